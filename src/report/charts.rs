//! The report's charts as inline SVG: CSI trend with interval bands and the IPMA map (plotters), the path diagram with coefficients.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Series colours: our brand first (dark blue), then competitors; all readable in grey-scale print.
const PALETTE: [RGBColor; 6] = [
    RGBColor(11, 92, 173),
    RGBColor(204, 85, 0),
    RGBColor(30, 130, 76),
    RGBColor(128, 60, 160),
    RGBColor(90, 90, 90),
    RGBColor(170, 40, 80),
];

/// The colour of the `i`-th brand, as CSS hex, for legends drawn in HTML.
pub fn colour_hex(i: usize) -> String {
    let RGBColor(r, g, b) = PALETTE[i % PALETTE.len()];
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Escapes text for SVG content and attributes.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Makes plotters' SVG scale with the page and names it for screen readers.
fn finish(svg: String, class: &str, label: &str) -> String {
    svg.replacen("<svg ", &format!("<svg class=\"chart {class}\" role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMidYMid meet\" ", escape(label)), 1)
}

/// A point of a trend line: (interval low, index, interval high).
pub type TrendPoint = (Option<f64>, f64, Option<f64>);

/// One brand's line: per period, a point or nothing.
pub struct TrendSeries {
    pub name: String,
    pub points: Vec<Option<TrendPoint>>,
}

/// CSI per period for every brand, with the 95 % interval as a shaded band.
pub fn trend_chart(
    periods: &[String],
    series: &[TrendSeries],
    y_label: &str,
    label: &str,
) -> String {
    let mut svg = String::new();
    let (lo, hi) = series
        .iter()
        .flat_map(|s| s.points.iter().flatten())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (l, m, h)| {
            (lo.min(l.unwrap_or(*m)), hi.max(h.unwrap_or(*m)))
        });
    let (lo, hi) = if lo.is_finite() {
        ((lo - 3.0).floor().max(0.0), (hi + 3.0).ceil().min(100.0))
    } else {
        (0.0, 100.0)
    };
    let n = periods.len().max(1);
    {
        let root = SVGBackend::with_string(&mut svg, (720, 340)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let x_max = (n as f64 - 0.5).max(0.5) + 0.25;
        let Ok(mut chart) = ChartBuilder::on(&root)
            .margin(14)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(-0.5f64..x_max, lo..hi)
        else {
            return String::new();
        };
        let labels = periods.to_vec();
        let _ = chart
            .configure_mesh()
            .x_labels(n)
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 {
                    labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_desc(y_label)
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 15))
            .bold_line_style(RGBColor(225, 225, 225))
            .light_line_style(TRANSPARENT)
            .draw();
        let end_labels = spread_end_labels(series, (hi - lo) * 0.065);
        for (s, line) in series.iter().enumerate() {
            let colour = PALETTE[s % PALETTE.len()];
            // The band: upper bounds left to right, lower bounds back.
            let band: Vec<(f64, f64, f64)> = line
                .points
                .iter()
                .enumerate()
                .filter_map(|(i, p)| p.and_then(|(l, _, h)| Some((i as f64, l?, h?))))
                .collect();
            if band.len() >= 2 {
                let mut polygon: Vec<(f64, f64)> = band.iter().map(|(x, _, h)| (*x, *h)).collect();
                polygon.extend(band.iter().rev().map(|(x, l, _)| (*x, *l)));
                let _ = chart.draw_series(std::iter::once(Polygon::new(
                    polygon,
                    colour.mix(0.12).filled(),
                )));
            }
            for (x, l, h) in &band {
                let _ = chart.draw_series(std::iter::once(PathElement::new(
                    vec![(*x, *l), (*x, *h)],
                    colour.mix(0.6).stroke_width(2),
                )));
            }
            let points: Vec<(f64, f64)> = line
                .points
                .iter()
                .enumerate()
                .filter_map(|(i, p)| p.map(|(_, m, _)| (i as f64, m)))
                .collect();
            let width = if s == 0 { 4 } else { 2 };
            let _ = chart.draw_series(LineSeries::new(points.clone(), colour.stroke_width(width)));
            let _ =
                chart.draw_series(points.iter().map(|(x, y)| {
                    Circle::new((*x, *y), if s == 0 { 5 } else { 4 }, colour.filled())
                }));
            if let (Some((x, y)), Some(at)) = (points.last(), end_labels[s]) {
                let _ = chart.draw_series(std::iter::once(Text::new(
                    format!("{y:.1}"),
                    (*x + 0.09, at),
                    ("sans-serif", 15)
                        .into_font()
                        .style(FontStyle::Bold)
                        .color(&colour)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                )));
            }
        }
        let _ = root.present();
    }
    finish(svg, "trend", label)
}

/// Where each series' value label goes at its last point: its own value, pushed apart so that
/// no two labels are closer than `gap` (in the chart's units).
fn spread_end_labels(series: &[TrendSeries], gap: f64) -> Vec<Option<f64>> {
    let mut ends: Vec<(usize, f64)> = series
        .iter()
        .enumerate()
        .filter_map(|(s, line)| {
            line.points
                .iter()
                .rev()
                .find_map(|p| p.map(|(_, m, _)| (s, m)))
        })
        .collect();
    ends.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut placed: Vec<(usize, f64)> = Vec::with_capacity(ends.len());
    for (s, y) in ends {
        let at = match placed.last() {
            Some((_, below)) if y - below < gap => below + gap,
            _ => y,
        };
        placed.push((s, at));
    }
    // Centre each group that was pushed up on its values, so labels stay next to their points.
    let mut out = vec![None; series.len()];
    let mut i = 0;
    while i < placed.len() {
        let mut j = i;
        while j + 1 < placed.len() && (placed[j + 1].1 - placed[j].1 - gap).abs() < 1e-9 {
            j += 1;
        }
        let values: Vec<f64> = (i..=j)
            .map(|k| {
                series[placed[k].0]
                    .points
                    .iter()
                    .rev()
                    .find_map(|p| p.map(|(_, m, _)| m))
                    .unwrap_or(placed[k].1)
            })
            .collect();
        let shift = values.iter().sum::<f64>() / values.len() as f64
            - (i..=j).map(|k| placed[k].1).sum::<f64>() / (j - i + 1) as f64;
        for k in i..=j {
            out[placed[k].0] = Some(placed[k].1 + shift);
        }
        i = j + 1;
    }
    out
}

/// One construct on the importance–performance map.
pub struct IpmaPoint {
    pub label: String,
    pub importance: f64,
    pub performance: f64,
    pub improve_first: bool,
}

/// Importance (total effect on the CSI) across, performance (0–100 index) up; dashed lines at the means.
pub fn ipma_chart(
    points: &[IpmaPoint],
    x_label: &str,
    y_label: &str,
    zone_label: &str,
    label: &str,
) -> String {
    let mut svg = String::new();
    if points.is_empty() {
        return svg;
    }
    let (x_lo, x_hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.importance), b.max(p.importance))
        });
    let (y_lo, y_hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.performance), b.max(p.performance))
        });
    let pad_x = ((x_hi - x_lo) * 0.15).max(0.05);
    let (x_lo, x_hi) = ((x_lo - pad_x).min(0.0), x_hi + pad_x * 2.0);
    let (y_lo, y_hi) = ((y_lo - 6.0).max(0.0), (y_hi + 6.0).min(100.0));
    let mean_x = points.iter().map(|p| p.importance).sum::<f64>() / points.len() as f64;
    let mean_y = points.iter().map(|p| p.performance).sum::<f64>() / points.len() as f64;
    {
        let root = SVGBackend::with_string(&mut svg, (560, 360)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let Ok(mut chart) = ChartBuilder::on(&root)
            .margin(14)
            .x_label_area_size(40)
            .y_label_area_size(48)
            .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)
        else {
            return String::new();
        };
        let _ = chart
            .configure_mesh()
            .x_desc(x_label)
            .y_desc(y_label)
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 14))
            .bold_line_style(RGBColor(225, 225, 225))
            .light_line_style(TRANSPARENT)
            .draw();
        let grey = RGBColor(120, 120, 120);
        let _ = chart.draw_series(std::iter::once(Rectangle::new(
            [(mean_x, y_lo), (x_hi, mean_y)],
            RGBColor(253, 236, 220).filled(),
        )));
        let _ = chart.draw_series(std::iter::once(Text::new(
            zone_label.to_owned(),
            (x_hi - (x_hi - x_lo) * 0.015, y_lo + (y_hi - y_lo) * 0.03),
            ("sans-serif", 13)
                .into_font()
                .style(FontStyle::Bold)
                .color(&RGBColor(150, 60, 0))
                .pos(Pos::new(HPos::Right, VPos::Bottom)),
        )));
        let _ = chart.draw_series(std::iter::once(PathElement::new(
            vec![(mean_x, y_lo), (mean_x, y_hi)],
            grey.stroke_width(1),
        )));
        let _ = chart.draw_series(std::iter::once(PathElement::new(
            vec![(x_lo, mean_y), (x_hi, mean_y)],
            grey.stroke_width(1),
        )));
        for p in points {
            let colour = if p.improve_first {
                PALETTE[1]
            } else {
                PALETTE[0]
            };
            let _ = chart.draw_series(std::iter::once(Circle::new(
                (p.importance, p.performance),
                6,
                colour.filled(),
            )));
            // Labels of points in the right half go to their left, so they stay on the chart.
            let right_half = p.importance > (x_lo + x_hi) / 2.0;
            let dx = (x_hi - x_lo) * 0.022;
            let _ = chart.draw_series(std::iter::once(Text::new(
                format!("{} ({:.1})", p.label, p.performance),
                (
                    p.importance + if right_half { -dx } else { dx },
                    p.performance,
                ),
                ("sans-serif", 14).into_font().color(&BLACK).pos(Pos::new(
                    if right_half { HPos::Right } else { HPos::Left },
                    VPos::Center,
                )),
            )));
        }
        let _ = root.present();
    }
    finish(svg, "ipma", label)
}

/// A construct box of the path diagram.
pub struct DiagramNode {
    pub code: String,
    pub name: String,
    /// e.g. "72.4" (the index) or "R² 0.61"
    pub caption: String,
    /// The satisfaction index the report is about: the middle column of the diagram.
    pub target: bool,
}

/// A path with its coefficient; `significant` draws it solid, otherwise dashed.
pub struct DiagramEdge {
    pub from: String,
    pub to: String,
    pub coefficient: f64,
    pub significant: bool,
}

const BOX_W: i32 = 176;
const BOX_H: i32 = 58;
const COL_GAP: i32 = 96;
const ROW_GAP: i32 = 40;
const MARGIN: i32 = 12;
/// Room left of the first column for arcs between boxes of one column that skip a box.
const ARC_ROOM: i32 = 52;
/// Room above the boxes for arcs that jump over a column.
const JUMP_ROOM: i32 = 44;

/// Columns of the diagram: with a target, its drivers | the target | its outcomes (as the ACSI
/// diagram is drawn); without one, layers by the longest path from a source.
fn columns_of(nodes: &[DiagramNode], edges: &[DiagramEdge]) -> BTreeMap<String, usize> {
    let reach = |start: &str, forward: bool| -> Vec<String> {
        let mut seen: Vec<String> = vec![start.to_owned()];
        let mut i = 0;
        while i < seen.len() {
            let here = seen[i].clone();
            for e in edges {
                let (a, b) = if forward {
                    (&e.from, &e.to)
                } else {
                    (&e.to, &e.from)
                };
                if *a == here && !seen.contains(b) {
                    seen.push(b.clone());
                }
            }
            i += 1;
        }
        seen.remove(0);
        seen
    };
    if let Some(target) = nodes.iter().find(|n| n.target) {
        let drivers = reach(&target.code, false);
        let outcomes = reach(&target.code, true);
        return nodes
            .iter()
            .map(|n| {
                let column = if n.code == target.code {
                    1
                } else if outcomes.contains(&n.code) && !drivers.contains(&n.code) {
                    2
                } else {
                    0
                };
                (n.code.clone(), column)
            })
            .collect();
    }
    let mut layer: BTreeMap<String, usize> = nodes.iter().map(|n| (n.code.clone(), 0)).collect();
    for _ in 0..nodes.len() {
        let mut changed = false;
        for e in edges {
            let (Some(&f), Some(&t)) = (layer.get(&e.from), layer.get(&e.to)) else {
                continue;
            };
            if t < f + 1 && f + 1 < nodes.len() {
                layer.insert(e.to.clone(), f + 1);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    layer
}

/// The order of boxes within each column: by the longest chain of paths inside the column, then model order.
fn rows_of<'a>(
    nodes: &'a [DiagramNode],
    edges: &[DiagramEdge],
    column: &BTreeMap<String, usize>,
) -> BTreeMap<usize, Vec<&'a DiagramNode>> {
    let mut depth: BTreeMap<&str, usize> = nodes.iter().map(|n| (n.code.as_str(), 0)).collect();
    for _ in 0..nodes.len() {
        let mut changed = false;
        for e in edges
            .iter()
            .filter(|e| column.get(&e.from) == column.get(&e.to))
        {
            let (Some(&f), Some(&t)) = (depth.get(e.from.as_str()), depth.get(e.to.as_str()))
            else {
                continue;
            };
            if t < f + 1 && f + 1 < nodes.len() {
                depth.insert(e.to.as_str(), f + 1);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut columns: BTreeMap<usize, Vec<&DiagramNode>> = BTreeMap::new();
    for n in nodes {
        columns.entry(column[&n.code]).or_default().push(n);
    }
    for list in columns.values_mut() {
        list.sort_by_key(|n| depth[n.code.as_str()]);
    }
    columns
}

/// The structural model with path coefficients on the arrows: drivers left, the satisfaction
/// index in the middle, outcomes right; paths inside a column run down it (arcs on the left when
/// they skip a box), paths over a column arc above the boxes.
pub fn path_diagram(nodes: &[DiagramNode], edges: &[DiagramEdge], label: &str) -> String {
    let column = columns_of(nodes, edges);
    let columns = rows_of(nodes, edges, &column);
    let tallest = columns.values().map(Vec::len).max().unwrap_or(1) as i32;
    let count = columns.keys().next_back().map_or(1, |l| l + 1) as i32;
    let jumps = edges
        .iter()
        .any(|e| match (column.get(&e.from), column.get(&e.to)) {
            (Some(a), Some(b)) => a.abs_diff(*b) >= 2,
            _ => false,
        });
    let top = MARGIN + if jumps { JUMP_ROOM } else { 0 };
    let left = MARGIN + ARC_ROOM;
    let width = left + count * BOX_W + (count - 1).max(0) * COL_GAP + MARGIN;
    let height = top + tallest * BOX_H + (tallest - 1).max(0) * ROW_GAP + MARGIN;
    // (x, y, column, row) of each box's top-left corner.
    let mut position: BTreeMap<&str, (i32, i32, i32, i32)> = BTreeMap::new();
    for (c, list) in &columns {
        let used = list.len() as i32 * BOX_H + (list.len() as i32 - 1) * ROW_GAP;
        let free = tallest * BOX_H + (tallest - 1) * ROW_GAP - used;
        for (r, n) in list.iter().enumerate() {
            position.insert(
                &n.code,
                (
                    left + *c as i32 * (BOX_W + COL_GAP),
                    top + free / 2 + r as i32 * (BOX_H + ROW_GAP),
                    *c as i32,
                    r as i32,
                ),
            );
        }
    }
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart paths" viewBox="0 0 {width} {height}" role="img" aria-label="{}"><defs><marker id="report-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>"##,
        escape(label)
    );
    let mut labels = String::new();
    for e in edges {
        let (Some(&(fx, fy, fc, fr)), Some(&(tx, ty, tc, tr))) =
            (position.get(e.from.as_str()), position.get(e.to.as_str()))
        else {
            continue;
        };
        // The line (an SVG path) and where its coefficient goes.
        let (d, (lx, ly)) = if (fc - tc).abs() == 1 {
            let (x1, x2) = if tc > fc {
                (fx + BOX_W, tx)
            } else {
                (fx, tx + BOX_W)
            };
            let (y1, y2) = (fy + BOX_H / 2, ty + BOX_H / 2);
            // Fanning lines are furthest apart near their own box: the label sits nearer the wider end.
            let t = 0.42;
            (
                format!("M{x1},{y1} L{x2},{y2}"),
                (
                    x1 + ((x2 - x1) as f64 * t) as i32,
                    y1 + ((y2 - y1) as f64 * t) as i32,
                ),
            )
        } else if fc == tc && (fr - tr).abs() == 1 {
            let x = fx + BOX_W / 2;
            let (y1, y2) = if tr > fr {
                (fy + BOX_H, ty)
            } else {
                (fy, ty + BOX_H)
            };
            (format!("M{x},{y1} L{x},{y2}"), (x + 30, (y1 + y2) / 2))
        } else if fc == tc {
            let span = (fr - tr).abs();
            let bulge = 34 + 12 * (span - 2);
            let (y1, y2) = (fy + BOX_H / 2, ty + BOX_H / 2);
            (
                format!("M{fx},{y1} Q{},{} {tx},{y2}", fx - 2 * bulge, (y1 + y2) / 2),
                (fx - bulge, (y1 + y2) / 2),
            )
        } else {
            let (x1, x2) = (fx + BOX_W / 2, tx + BOX_W / 2);
            let lift = (fy.min(ty) - MARGIN - 10).max(0) + 10;
            let apex = fy.min(ty) - lift;
            (
                format!(
                    "M{x1},{fy} Q{},{} {x2},{ty}",
                    (x1 + x2) / 2,
                    2 * apex - (fy + ty) / 2
                ),
                ((x1 + x2) / 2, apex),
            )
        };
        let dash = if e.significant {
            ""
        } else {
            r#" stroke-dasharray="5 4""#
        };
        let stroke = 1.0 + (e.coefficient.abs() * 5.0).min(4.0);
        let _ = write!(
            svg,
            r##"<path d="{d}" fill="none" stroke="#333" stroke-width="{stroke:.1}"{dash} marker-end="url(#report-arrow)"/>"##
        );
        let _ = write!(
            labels,
            r##"<rect x="{}" y="{}" width="44" height="20" rx="3" fill="#fff" stroke="#999"/><text class="coefficient" x="{lx}" y="{}" text-anchor="middle" font-size="13" font-family="sans-serif" fill="#111">{:.2}</text>"##,
            lx - 22,
            ly - 10,
            ly + 5,
            e.coefficient
        );
    }
    for n in nodes {
        let (x, y, _, _) = position[n.code.as_str()];
        let cx = x + BOX_W / 2;
        let (fill, stroke) = if n.target {
            ("#dbe9fb", "3")
        } else {
            ("#eef5ff", "2")
        };
        let _ = write!(
            svg,
            r##"<g><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="{fill}" stroke="#0b5cad" stroke-width="{stroke}"/><text x="{cx}" y="{}" text-anchor="middle" font-size="14" font-weight="700" font-family="sans-serif" fill="#111">{}</text><text x="{cx}" y="{}" text-anchor="middle" font-size="13" font-family="sans-serif" fill="#111">{}</text></g>"##,
            y + 24,
            escape(&shorten(&n.name, 24)),
            y + 44,
            escape(&n.caption)
        );
    }
    // Coefficients last, so no line or box hides them.
    svg.push_str(&labels);
    svg.push_str("</svg>");
    svg
}

/// Shortens a name to fit a box (CJK characters count double).
fn shorten(text: &str, width: usize) -> String {
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        used += if c.is_ascii() { 1 } else { 2 };
        if used > width {
            out.push('…');
            return out;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
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
            svg.starts_with(
                "<svg class=\"chart trend\" role=\"img\" aria-label=\"CSI &amp; trend\""
            )
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
}
