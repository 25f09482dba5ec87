//! The CSI trend chart: a line per brand with its 95 % interval band and value labels at the end.

use super::{PALETTE, finish};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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
