//! Segment cells: every segment value of every brand of a period, scored with its cell's weights.

use super::fit::Fit;
use super::grouping::Group;
use super::{Cell, SEGMENT_ATTRIBUTES, SegmentCell, SurveyRecord, finite, target_of};
use crate::csi;
use crate::domain::Model;
use crate::store::responses::Segments;
use std::collections::BTreeMap;

fn segment_value<'a>(segments: &'a Segments, attribute: &str) -> Option<&'a str> {
    match attribute {
        "customer_class" => segments.customer_class.as_deref(),
        "region" => segments.region.as_deref(),
        "channel" => segments.channel.as_deref(),
        "lifecycle_stage" => segments.lifecycle_stage.as_deref(),
        _ => None,
    }
    .map(str::trim)
    .filter(|v| !v.is_empty())
}

/// Every segment value of every brand of a period, scored with the cell's weights; small cells suppressed.
pub(super) fn segment_cells(
    model: &Model,
    records: &[SurveyRecord],
    groups: &[Group],
    fits: &[Option<Fit>],
    cells: &[Cell],
    min_sample: usize,
) -> Vec<SegmentCell> {
    let mut out = Vec::new();
    let target = target_of(model);
    let t = model
        .constructs
        .iter()
        .position(|c| c.code == target)
        .unwrap_or(0);
    for (b, g) in groups.iter().enumerate() {
        let (Some(fit), true) = (&fits[b], cells[b].is_ok()) else {
            continue;
        };
        for attribute in SEGMENT_ATTRIBUTES {
            let mut values: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for (row, &i) in g.members.iter().enumerate() {
                if let Some(value) = segment_value(&records[i].segments, attribute) {
                    values.entry(value).or_default().push(row);
                }
            }
            for (value, rows) in values {
                let enough = rows.len() >= min_sample;
                let indices: Vec<f64> = if enough {
                    (0..model.constructs.len())
                        .map(|k| {
                            let s = fit.scores(k, rows.iter().copied());
                            if s.is_empty() {
                                f64::NAN
                            } else {
                                s.iter().sum::<f64>() / s.len() as f64
                            }
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let ci = enough
                    .then(|| csi::mean_ci(&fit.scores(t, rows.iter().copied()), 0.95).ok())
                    .flatten();
                out.push(SegmentCell {
                    attribute: attribute.to_owned(),
                    value: value.to_owned(),
                    brand_id: cells[b].brand_id,
                    n: rows.len(),
                    indices,
                    csi_ci_low: ci.as_ref().and_then(|c| finite(c.ci_low)),
                    csi_ci_high: ci.as_ref().and_then(|c| finite(c.ci_high)),
                });
            }
        }
    }
    out
}
