//! Our brand's diagrams: the importance–performance map with what to improve first, and the path diagram.

use super::super::charts::{self, DiagramEdge, DiagramNode, IpmaPoint};
use super::Section;

/// The IPMA chart (empty when our cell has no estimates) and the improve-first list, in words.
pub(super) fn ipma(s: &Section) -> (String, Vec<String>) {
    let own = s.own;
    let ipma_points: Vec<IpmaPoint> = own
        .ipma
        .iter()
        .map(|p| IpmaPoint {
            label: s.name_of(&p.construct),
            importance: p.importance,
            performance: p.performance,
            improve_first: p.improve_first,
        })
        .collect();
    let zh = s.zh();
    let ipma_svg = if own.is_ok() {
        charts::ipma_chart(
            &ipma_points,
            if zh {
                "重要性（对CSI的总效应）"
            } else {
                "importance (total effect on the CSI)"
            },
            if zh {
                "表现（0–100 指数）"
            } else {
                "performance (0–100 index)"
            },
            if zh {
                "优先改进区：重要而表现偏弱"
            } else {
                "improve first: important, weaker"
            },
            if zh {
                "重要性–表现矩阵"
            } else {
                "Importance–performance map"
            },
        )
    } else {
        String::new()
    };
    let mean_performance = if ipma_points.is_empty() {
        0.0
    } else {
        ipma_points.iter().map(|p| p.performance).sum::<f64>() / ipma_points.len() as f64
    };
    let improve_first = own
        .improve_first
        .iter()
        .filter_map(|code| own.ipma.iter().find(|p| &p.construct == code))
        .map(|p| {
            let name = s.name_of(&p.construct);
            if zh {
                format!("优先改进“{name}”：其表现为 {:.1}，低于各驱动因素的平均 {mean_performance:.1}；而其重要性较高，指数每提高 1 分，CSI 约提高 {:.2} 分。", p.performance, p.importance)
            } else {
                format!("Improve “{name}” first: it performs at {:.1}, below the drivers’ average of {mean_performance:.1}, and it matters — one more point on it lifts the CSI by about {:.2} points.", p.performance, p.importance)
            }
        })
        .collect();
    (ipma_svg, improve_first)
}

/// The path diagram of our brand (empty when our cell has no estimates).
pub(super) fn paths_svg(s: &Section) -> String {
    let own = s.own;
    if !own.is_ok() {
        return String::new();
    }
    let nodes: Vec<DiagramNode> = s
        .figures
        .constructs
        .iter()
        .map(|c| {
            let figure = own.construct(&c.code);
            DiagramNode {
                code: c.code.clone(),
                name: s.name_of(&c.code),
                caption: match figure {
                    Some(f) => match f.r_squared {
                        Some(r2) => format!("{:.1} · R² {r2:.2}", f.index),
                        None => format!("{:.1}", f.index),
                    },
                    None => String::new(),
                },
                target: c.code == s.target,
            }
        })
        .collect();
    let edges: Vec<DiagramEdge> = own
        .paths
        .iter()
        .map(|p| DiagramEdge {
            from: p.from.clone(),
            to: p.to.clone(),
            coefficient: p.coefficient,
            significant: match (p.ci_low, p.ci_high) {
                (Some(l), Some(h)) => l > 0.0 || h < 0.0,
                _ => true,
            },
        })
        .collect();
    charts::path_diagram(
        &nodes,
        &edges,
        if s.zh() {
            "路径图与路径系数"
        } else {
            "Path diagram with coefficients"
        },
    )
}
