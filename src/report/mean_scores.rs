//! Mean-based 0–100 construct scores per quarter and brand: `100·(mean − min)/(max − min)`.
//!
//! The simple reading every report can give before PLS weights exist: each
//! indicator's mean on its own scale is mapped to 0–100 (reverse-coded items
//! recoded first), and a construct's score is the plain average of its
//! indicators' scores. "Don't know" answers are left out of the means.

use crate::domain::{Model, Quarter};
use crate::store::responses::ResponseRecord;
use std::collections::BTreeMap;

/// One row of the table: a quarter and a brand.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRow {
    pub quarter: Quarter,
    pub brand_id: Option<i32>,
    pub n: usize,
    /// One score per construct of the model, in model order; `None` when nobody answered.
    pub scores: Vec<Option<f64>>,
}

/// Scores for every quarter × brand that has responses, newest quarter first.
pub fn mean_scores(model: &Model, records: &[ResponseRecord]) -> Vec<ScoreRow> {
    let mut groups: BTreeMap<(Quarter, Option<i32>), Vec<&ResponseRecord>> = BTreeMap::new();
    for record in records {
        groups
            .entry((Quarter::of(record.completed_at), record.brand_id))
            .or_default()
            .push(record);
    }
    let mut rows: Vec<ScoreRow> = groups
        .into_iter()
        .map(|((quarter, brand_id), group)| ScoreRow {
            quarter,
            brand_id,
            n: group.len(),
            scores: model
                .constructs
                .iter()
                .map(|c| construct_score(c, &group))
                .collect(),
        })
        .collect();
    rows.sort_by(|a, b| b.quarter.cmp(&a.quarter).then(a.brand_id.cmp(&b.brand_id)));
    rows
}

fn construct_score(construct: &crate::domain::Construct, group: &[&ResponseRecord]) -> Option<f64> {
    let scores: Vec<f64> = construct
        .indicators
        .iter()
        .filter_map(|indicator| {
            let values: Vec<f64> = group
                .iter()
                .filter_map(|r| r.answers.get(&indicator.code).copied().flatten())
                .map(|v| {
                    let v = f64::from(v);
                    if indicator.reverse {
                        indicator.scale.reverse(v)
                    } else {
                        v
                    }
                })
                .collect();
            (!values.is_empty()).then(|| {
                indicator
                    .scale
                    .to_percent(values.iter().sum::<f64>() / values.len() as f64)
            })
        })
        .collect();
    (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::collections::HashMap;

    fn record(id: i32, brand: i32, month: u32, answers: &[(&str, Option<i32>)]) -> ResponseRecord {
        ResponseRecord {
            id,
            version_id: 1,
            brand_id: Some(brand),
            completed_at: chrono::Utc
                .with_ymd_and_hms(2026, month, 15, 12, 0, 0)
                .unwrap(),
            answers: answers
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect::<HashMap<_, _>>(),
        }
    }

    #[test]
    fn scores_are_mean_based_and_grouped_by_quarter_and_brand() {
        let model = crate::catalog::load("acsi.toml").unwrap().unwrap();
        let records = vec![
            record(
                1,
                1,
                2,
                &[("SAT1", Some(10)), ("SAT2", Some(1)), ("SAT3", None)],
            ),
            record(
                2,
                1,
                3,
                &[("SAT1", Some(1)), ("SAT2", Some(1)), ("SAT3", Some(10))],
            ),
            record(3, 2, 5, &[("SAT1", Some(7))]),
        ];
        let rows = mean_scores(&model, &records);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].quarter.to_string(), "2026-Q2");
        let sat = model
            .constructs
            .iter()
            .position(|c| c.code == "SAT")
            .unwrap();
        let q1 = &rows[1];
        assert_eq!(q1.n, 2);
        // SAT1 mean 5.5 → 50; SAT2 mean 1 → 0; SAT3 mean 10 → 100 ("don't know" left out).
        assert!((q1.scores[sat].unwrap() - 50.0).abs() < 1e-12);
        assert_eq!(q1.scores[0], None, "nobody answered EXP");
        assert!((rows[0].scores[sat].unwrap() - 100.0 * 6.0 / 9.0).abs() < 1e-12);
    }
}
