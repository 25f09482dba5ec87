//! The segments section: every brand's CSI per value of each respondent attribute.

use super::super::figures::{SEGMENT_ATTRIBUTES, SegmentCell};
use super::Section;
use super::figure::{Figure, interval};
use serde::Serialize;

/// One respondent attribute (customer class, region, …) and its values.
#[derive(Debug, Serialize)]
pub struct SegmentGroup {
    pub attribute: String,
    pub rows: Vec<SegmentRow>,
}

/// One value of an attribute: the CSI of every brand (in report order) with its sample size.
#[derive(Debug, Serialize)]
pub struct SegmentRow {
    pub value: String,
    pub cells: Vec<SegmentFigure>,
}

#[derive(Debug, Serialize)]
pub struct SegmentFigure {
    pub csi: Figure,
    pub n: usize,
}

/// A group per attribute the period has values of: every brand, CSI only.
pub(super) fn segments(s: &Section) -> Vec<SegmentGroup> {
    let (figures, period) = (s.figures, s.period);
    let t = figures
        .constructs
        .iter()
        .position(|c| c.code == s.target)
        .unwrap_or(0);
    let mut segments: Vec<SegmentGroup> = Vec::new();
    for attribute in SEGMENT_ATTRIBUTES {
        let mut values: Vec<&str> = Vec::new();
        for c in period.segments.iter().filter(|c| c.attribute == attribute) {
            if !values.contains(&c.value.as_str()) {
                values.push(&c.value);
            }
        }
        if values.is_empty() {
            continue;
        }
        let rows = values
            .into_iter()
            .map(|value| SegmentRow {
                value: value.to_owned(),
                cells: figures
                    .brands
                    .iter()
                    .map(|brand| {
                        segment_figure(
                            period.segments.iter().find(|c| {
                                c.attribute == attribute
                                    && c.value == value
                                    && c.brand_id == brand.id
                            }),
                            t,
                        )
                    })
                    .collect(),
            })
            .collect();
        segments.push(SegmentGroup {
            attribute: attribute_name(attribute, s.zh()),
            rows,
        });
    }
    segments
}

/// A segment cell's CSI (construct `t`) with its sample size; a dash when it is suppressed or missing.
fn segment_figure(cell: Option<&SegmentCell>, t: usize) -> SegmentFigure {
    match cell {
        Some(c) => SegmentFigure {
            n: c.n,
            csi: match c.indices.get(t) {
                Some(v) => Figure::shown(format!("{v:.1}"), interval(c.csi_ci_low, c.csi_ci_high)),
                None => Figure::dash(),
            },
        },
        None => SegmentFigure {
            n: 0,
            csi: Figure::dash(),
        },
    }
}

fn attribute_name(a: &str, zh: bool) -> String {
    match (a, zh) {
        ("customer_class", true) => "客户等级".into(),
        ("customer_class", false) => "Customer class".into(),
        ("region", true) => "地区".into(),
        ("region", false) => "Region".into(),
        ("channel", true) => "渠道".into(),
        ("channel", false) => "Channel".into(),
        ("lifecycle_stage", true) => "生命周期阶段".into(),
        _ => "Lifecycle stage".into(),
    }
}
