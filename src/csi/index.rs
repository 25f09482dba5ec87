//! The 0–100 satisfaction index from unstandardised (or expert) weights on the original scale.

use serde::Serialize;

use super::data::{Data, Missing};
use super::error::{CsiError, Result};

/// Normalises unstandardised weights to sum to 1 within a block:
/// w̃ᵢ = wᵢ / Σⱼ wⱼ. `None` when the sum is (numerically) zero.
pub(crate) fn normalise_weights(raw: &[f64]) -> Option<Vec<f64>> {
    let s: f64 = raw.iter().sum();
    let scale: f64 = raw.iter().map(|w| w.abs()).sum();
    if s.is_nan() || s.abs() <= 1e-12 * scale {
        return None;
    }
    Some(raw.iter().map(|w| w / s).collect())
}

/// Index weights before normalisation: the unstandardised weight of each
/// item rescaled to 0–1, wᵢ·(maxᵢ − minᵢ) (Ringle & Sarstedt 2016, IPMA). Within a
/// block whose items share one scale this is proportional to wᵢ itself, so the
/// index is the ACSI formula; across mixed scales it keeps the index invariant
/// to a linear change of an item's unit.
pub(crate) fn index_basis(raw: &[f64], scales: &[(f64, f64)]) -> Vec<f64> {
    raw.iter()
        .zip(scales)
        .map(|(w, (lo, hi))| w * (hi - lo))
        .collect()
}

/// The 0–100 index 100·Σ w̃ᵢ(x̄ᵢ − minᵢ)/(maxᵢ − minᵢ) (Fornell et al. 1996,
/// ACSI: Σwᵢ(x̄ᵢ−1)/(9Σwᵢ)·100 on 1–10 items).
pub(crate) fn index_value(wn: &[f64], means: &[f64], scales: &[(f64, f64)]) -> f64 {
    100.0
        * wn.iter()
            .zip(means)
            .zip(scales)
            .map(|((w, m), (lo, hi))| w * (m - lo) / (hi - lo))
            .sum::<f64>()
}

/// Coefficients aᵢ = 100·w̃ᵢ/(maxᵢ − minᵢ) of a respondent's 0–100 score
/// (the score is index + Σ aᵢ(xᵢ − x̄ᵢ)).
pub(crate) fn respondent_coefficients(wn: &[f64], scales: &[(f64, f64)]) -> Vec<f64> {
    wn.iter()
        .zip(scales)
        .map(|(w, (lo, hi))| 100.0 * w / (hi - lo))
        .collect()
}

/// Names the indicators whose weight is negative: a measurement problem
/// (the item works against its construct) that must be shown, not hidden.
pub(crate) fn negative_weight_problems(
    construct: &str,
    names: &[String],
    raw: &[f64],
) -> Vec<String> {
    names
        .iter()
        .zip(raw)
        .filter(|(_, w)| **w < 0.0)
        .map(|(n, w)| {
            format!("indicator {n} has a negative weight ({w:.4}) in construct {construct}: measurement problem")
        })
        .collect()
}

/// An index computed from expert (typed or AHP) weights.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpertIndex {
    /// the 0–100 index
    pub index: f64,
    /// weights normalised to sum 1
    pub weights: Vec<f64>,
    /// item means on the original scale (after missing-value treatment)
    pub means: Vec<f64>,
    /// 0–100 score of every analysed respondent
    pub scores: Vec<f64>,
    /// number of analysed respondents
    pub n: usize,
    /// mean-replaced values
    pub replaced: usize,
    /// deleted cases
    pub deleted: usize,
}

/// The 0–100 index of the items `columns` of `data` with expert weights
/// `weights` (non-negative, not all zero; normalised here), by the same
/// formula as the PLS index: 100·Σ w̃ᵢ(x̄ᵢ − minᵢ)/(maxᵢ − minᵢ).
pub fn expert_index(
    data: &Data,
    columns: &[usize],
    weights: &[f64],
    missing: Missing,
) -> Result<ExpertIndex> {
    if columns.is_empty() || columns.len() != weights.len() {
        return Err(CsiError::Invalid(format!(
            "{} columns but {} weights",
            columns.len(),
            weights.len()
        )));
    }
    if let Some(i) = weights.iter().position(|w| !(w.is_finite() && *w >= 0.0)) {
        return Err(CsiError::Invalid(format!(
            "expert weight of indicator {} must be a non-negative number",
            data.names().get(columns[i]).map_or("?", String::as_str)
        )));
    }
    let wn = normalise_weights(weights)
        .ok_or_else(|| CsiError::Invalid("expert weights are all zero".into()))?;
    if let Some(c) = columns.iter().find(|&&c| c >= data.ncols()) {
        return Err(CsiError::Invalid(format!("column {c} out of range")));
    }
    let n = data.nrows();
    // variance is irrelevant for a fixed-weight index, so a constant item is fine here
    let mut means = Vec::with_capacity(columns.len());
    let mut scores = Vec::new();
    let rows: Vec<usize> = match missing {
        Missing::MeanReplacement => (0..n).collect(),
        Missing::CasewiseDeletion => (0..n)
            .filter(|&r| columns.iter().all(|&c| !data.column(c)[r].is_nan()))
            .collect(),
    };
    if rows.is_empty() {
        return Err(CsiError::TooFewCases {
            cases: 0,
            needed: 1,
        });
    }
    let mut filled = Vec::with_capacity(columns.len());
    let mut replaced = 0;
    for &c in columns {
        let col = data.column(c);
        let obs: Vec<f64> = rows
            .iter()
            .map(|&r| col[r])
            .filter(|v| !v.is_nan())
            .collect();
        if obs.is_empty() {
            return Err(CsiError::AllMissing(data.names()[c].clone()));
        }
        let m = obs.iter().sum::<f64>() / obs.len() as f64;
        replaced += rows.len() - obs.len();
        means.push(m);
        filled.push(
            rows.iter()
                .map(|&r| if col[r].is_nan() { m } else { col[r] })
                .collect::<Vec<_>>(),
        );
    }
    let scales: Vec<(f64, f64)> = columns.iter().map(|&c| data.scales()[c]).collect();
    let index = index_value(&wn, &means, &scales);
    for i in 0..rows.len() {
        let x: Vec<f64> = filled.iter().map(|f| f[i]).collect();
        scores.push(index_value(&wn, &x, &scales));
    }
    Ok(ExpertIndex {
        index,
        weights: wn,
        means,
        scores,
        n: rows.len(),
        replaced,
        deleted: n - rows.len(),
    })
}
