//! Analytic hierarchy process: expert weights from a pairwise-comparison matrix, with consistency.

use faer::Mat;
use serde::Serialize;

use super::error::{CsiError, Result};

/// Weights and consistency of a pairwise-comparison matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AhpResult {
    /// principal right eigenvector, normalised to sum 1
    pub weights: Vec<f64>,
    /// principal eigenvalue λmax
    pub lambda_max: f64,
    /// consistency index CI = (λmax − n)/(n − 1)
    pub ci: f64,
    /// Saaty's random index for this n
    pub ri: f64,
    /// consistency ratio CR = CI/RI (0 for n ≤ 2)
    pub cr: f64,
    /// CR < 0.1 (Saaty's acceptance rule)
    pub consistent: bool,
}

/// Saaty's random consistency index RI for an n × n matrix, n ≤ 15 (Saaty
/// 1980, *The Analytic Hierarchy Process*, table of random indices; n ≤ 2 → 0;
/// larger n use the value for 15).
pub fn random_index(n: usize) -> f64 {
    const RI: [f64; 16] = [
        0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
    ];
    RI.get(n).copied().unwrap_or(1.59)
}

/// AHP (Saaty 1977, 1980): the priority weights are the principal right
/// eigenvector of the positive reciprocal matrix `a` (aᵢⱼ = how much more
/// important i is than j, aⱼᵢ = 1/aᵢⱼ), λmax its eigenvalue, CI = (λmax −
/// n)/(n − 1) and CR = CI/RI. CR ≥ 0.1 is flagged (`consistent = false`).
/// Reciprocity is checked to 1 % so that typed values such as 0.33 pass.
pub fn ahp(a: &[Vec<f64>]) -> Result<AhpResult> {
    let n = a.len();
    if n == 0 || a.iter().any(|r| r.len() != n) {
        return Err(CsiError::Invalid(
            "a pairwise-comparison matrix must be square and non-empty".into(),
        ));
    }
    for (i, row) in a.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            if !(v.is_finite() && v > 0.0) {
                return Err(CsiError::Invalid(format!(
                    "comparison ({}, {}) = {v} must be positive",
                    i + 1,
                    j + 1
                )));
            }
            if (v * a[j][i] - 1.0).abs() > 0.01 {
                return Err(CsiError::Invalid(format!(
                    "comparisons ({0}, {1}) = {v} and ({1}, {0}) = {2} are not reciprocal",
                    i + 1,
                    j + 1,
                    a[j][i]
                )));
            }
        }
    }
    let m = Mat::<f64>::from_fn(n, n, |i, j| a[i][j]);
    let evd = m
        .eigen()
        .map_err(|e| CsiError::Numerical(format!("eigen decomposition failed: {e:?}")))?;
    let s = evd.S();
    let u = evd.U();
    let k = (0..n)
        .max_by(|&x, &y| s[x].re.total_cmp(&s[y].re))
        .ok_or_else(|| CsiError::Numerical("no eigenvalue".into()))?;
    let lambda_max = s[k].re;
    // the Perron vector is real and of one sign up to a complex phase: take moduli
    let v: Vec<f64> = (0..n).map(|i| u[(i, k)].re.hypot(u[(i, k)].im)).collect();
    let sum: f64 = v.iter().sum();
    let weights: Vec<f64> = v.iter().map(|x| x / sum).collect();
    let ci = if n > 1 {
        (lambda_max - n as f64) / (n as f64 - 1.0)
    } else {
        0.0
    };
    let ri = random_index(n);
    let cr = if ri > 0.0 { ci / ri } else { 0.0 };
    Ok(AhpResult {
        weights,
        lambda_max,
        ci,
        ri,
        cr,
        consistent: cr < 0.1,
    })
}
