//! Rendering tests of the charts: labels escaped, lines, bands and coefficients drawn.

use super::*;

#[test]
fn trend_chart_draws_lines_bands_and_labels() {
    let series = vec![
        TrendSeries {
            name: "Ours".into(),
            points: vec![
                Some((Some(70.0), 72.0, Some(74.0))),
                None,
                Some((Some(73.0), 75.0, Some(77.0))),
            ],
        },
        TrendSeries {
            name: "<Rival>".into(),
            points: vec![
                Some((None, 68.0, None)),
                Some((None, 69.0, None)),
                Some((None, 70.0, None)),
            ],
        },
    ];
    let svg = trend_chart(
        &["2026-Q1".into(), "2026-Q2".into(), "2026-Q3".into()],
        &series,
        "CSI",
        "CSI & trend",
    );
    assert!(
        svg.starts_with("<svg class=\"chart trend\" role=\"img\" aria-label=\"CSI &amp; trend\"")
    );
    assert!(svg.contains("2026-Q3") && svg.contains("75.0"));
    assert!(svg.contains("<polyline") || svg.contains("<path"));
}

#[test]
fn ipma_and_paths_render_escaped_labels() {
    let svg = ipma_chart(
        &[
            IpmaPoint {
                label: "Quality".into(),
                importance: 0.5,
                performance: 70.0,
                improve_first: true,
            },
            IpmaPoint {
                label: "<Value>".into(),
                importance: 0.2,
                performance: 80.0,
                improve_first: false,
            },
        ],
        "importance",
        "performance",
        "improve first",
        "IPMA",
    );
    assert!(svg.contains("&lt;Value&gt;") && !svg.contains("<Value>"));
    let nodes = vec![
        DiagramNode {
            code: "QUA".into(),
            name: "Quality".into(),
            caption: "70.0".into(),
            target: false,
        },
        DiagramNode {
            code: "SAT".into(),
            name: "Satisfaction".into(),
            caption: "R² 0.55".into(),
            target: true,
        },
    ];
    let edges = vec![DiagramEdge {
        from: "QUA".into(),
        to: "SAT".into(),
        coefficient: 0.61,
        significant: true,
    }];
    let svg = path_diagram(&nodes, &edges, "paths");
    assert!(svg.contains(">0.61<") && svg.contains("R² 0.55"));
}
