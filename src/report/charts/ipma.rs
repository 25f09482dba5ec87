//! The importance–performance map (IPMA) with its improve-first zone.

use super::{PALETTE, finish};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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
