//! Measurement and structural quality: reliability, validity, collinearity and effect sizes.

use faer::MatRef;
use serde::Serialize;

use super::linalg::{regress, sub, sym_eigen_desc};
use super::model::Layout;

/// Reliability and convergent validity of one construct.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConstructQuality {
    /// construct name
    pub construct: String,
    /// number of indicators
    pub items: usize,
    /// Cronbach's α of the standardised items, q/(q−1)·(1 − q/(q + 2Σᵢ<ⱼ rᵢⱼ))
    /// (Cronbach 1951); 1 for a single item
    pub alpha: f64,
    /// Dijkstra–Henseler ρA = (ŵᵀŵ)²·ŵᵀ(S − diag S)ŵ / ŵᵀ(ŵŵᵀ − diag ŵŵᵀ)ŵ
    /// with the standardised weights ŵ (Dijkstra & Henseler 2015, eq. 12); 1 for a single item
    pub rho_a: f64,
    /// composite reliability ρC = (Σλᵢ)² / ((Σλᵢ)² + Σ(1 − λᵢ²)) with the
    /// PLS loadings (Werts, Linn & Jöreskog 1974)
    pub rho_c: f64,
    /// Dillon–Goldstein ρ: the same formula with the loadings on the first
    /// principal component of the block (Tenenhaus et al. 2005, §3.1; R plspm)
    pub dg_rho: f64,
    /// average variance extracted, Σλᵢ²/q (Fornell & Larcker 1981)
    pub ave: f64,
    /// eigenvalues of the block's correlation matrix, largest first
    /// (unidimensionality: one eigenvalue above 1)
    pub eigenvalues: Vec<f64>,
}

/// Heterotrait–monotrait ratio of two constructs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Htmt {
    /// first construct
    pub a: String,
    /// second construct
    pub b: String,
    /// HTMT, or `None` when a block has a single item or a non-positive
    /// mean within-block correlation
    pub value: Option<f64>,
}

/// Measurement-model quality of a fitted model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quality {
    /// per construct
    pub constructs: Vec<ConstructQuality>,
    /// Fornell–Larcker matrix: √AVE on the diagonal, construct correlations
    /// elsewhere (Fornell & Larcker 1981)
    pub fornell_larcker: Vec<Vec<f64>>,
    /// HTMT for every pair of constructs (Henseler, Ringle & Sarstedt 2015, eq. 6)
    pub htmt: Vec<Htmt>,
}

/// Quality measures from the item correlation matrix `r` (q × q, layout
/// order), the standardised weights and the PLS loadings.
pub(crate) fn quality(
    names: &[String],
    layout: &Layout,
    r: MatRef<'_, f64>,
    w_std: &[f64],
    loadings: &[f64],
    rlv: MatRef<'_, f64>,
) -> Quality {
    let l = names.len();
    let mut constructs = Vec::with_capacity(l);
    for (k, range) in layout.ranges.iter().enumerate() {
        let idx: Vec<usize> = range.clone().collect();
        let q = idx.len();
        let lam = &loadings[range.clone()];
        let ave = lam.iter().map(|x| x * x).sum::<f64>() / q as f64;
        let rho_c = composite_reliability(lam);
        let rkk = sub(r, &idx, &idx);
        let (eigenvalues, first) = sym_eigen_desc(rkk.as_ref()).unwrap_or_default();
        let (alpha, rho_a, dg_rho) = if q == 1 {
            (1.0, 1.0, 1.0)
        } else {
            let off: f64 = (0..q)
                .flat_map(|i| (0..q).map(move |j| (i, j)))
                .filter(|(i, j)| i < j)
                .map(|(i, j)| rkk[(i, j)])
                .sum();
            let qf = q as f64;
            let alpha = qf / (qf - 1.0) * (1.0 - qf / (qf + 2.0 * off));
            let pc: Vec<f64> = first.iter().map(|v| v * eigenvalues[0].sqrt()).collect();
            (
                alpha,
                rho_a(rkk.as_ref(), &w_std[range.clone()]),
                composite_reliability(&pc),
            )
        };
        constructs.push(ConstructQuality {
            construct: names[k].clone(),
            items: q,
            alpha,
            rho_a,
            rho_c,
            dg_rho,
            ave,
            eigenvalues,
        });
    }
    let fornell_larcker = (0..l)
        .map(|a| {
            (0..l)
                .map(|b| {
                    if a == b {
                        constructs[a].ave.sqrt()
                    } else {
                        rlv[(a, b)]
                    }
                })
                .collect()
        })
        .collect();
    let mut htmt = Vec::new();
    for a in 0..l {
        for b in a + 1..l {
            htmt.push(Htmt {
                a: names[a].clone(),
                b: names[b].clone(),
                value: htmt_value(layout, r, a, b),
            });
        }
    }
    Quality {
        constructs,
        fornell_larcker,
        htmt,
    }
}

/// (Σλ)² / ((Σλ)² + Σ(1 − λ²)).
fn composite_reliability(lam: &[f64]) -> f64 {
    let s: f64 = lam.iter().sum();
    let e: f64 = lam.iter().map(|x| 1.0 - x * x).sum();
    s * s / (s * s + e)
}

/// ρA of Dijkstra & Henseler (2015, eq. 12) for the correlation matrix
/// `s` of a block and its standardised weights `w` (wᵀ s w = 1).
fn rho_a(s: MatRef<'_, f64>, w: &[f64]) -> f64 {
    let q = w.len();
    let ww: f64 = w.iter().map(|x| x * x).sum();
    let mut num = 0.0;
    for i in 0..q {
        for j in 0..q {
            if i != j {
                num += w[i] * s[(i, j)] * w[j];
            }
        }
    }
    let den = ww * ww - w.iter().map(|x| x.powi(4)).sum::<f64>();
    ww * ww * num / den
}

/// HTMT = mean heterotrait correlation / √(mean monotrait correlation of a ·
/// that of b) (Henseler, Ringle & Sarstedt 2015, eq. 6).
fn htmt_value(layout: &Layout, r: MatRef<'_, f64>, a: usize, b: usize) -> Option<f64> {
    let ra = layout.ranges[a].clone();
    let rb = layout.ranges[b].clone();
    let mono = |rg: std::ops::Range<usize>| -> Option<f64> {
        let q = rg.len();
        if q < 2 {
            return None;
        }
        let mut s = 0.0;
        for i in rg.clone() {
            for j in rg.clone() {
                if i < j {
                    s += r[(i, j)];
                }
            }
        }
        let m = s / (q * (q - 1) / 2) as f64;
        (m > 0.0).then_some(m)
    };
    let ma = mono(ra.clone())?;
    let mb = mono(rb.clone())?;
    let mut h = 0.0;
    for i in ra.clone() {
        for j in rb.clone() {
            h += r[(i, j)];
        }
    }
    h /= (ra.len() * rb.len()) as f64;
    Some(h / (ma * mb).sqrt())
}

/// Outer VIF of every indicator within its block, 1/(1 − R²ᵢ) with R²ᵢ from
/// regressing the item on the block's other items (Hair et al. 2022, ch. 5).
pub(crate) fn outer_vif(layout: &Layout, r: MatRef<'_, f64>) -> Vec<f64> {
    let mut out = vec![1.0; layout.columns.len()];
    for range in &layout.ranges {
        for i in range.clone() {
            let others: Vec<usize> = range.clone().filter(|&j| j != i).collect();
            if let Some((_, r2)) = regress(r, &others, i) {
                out[i] = 1.0 / (1.0 - r2);
            } else {
                out[i] = f64::INFINITY;
            }
        }
    }
    out
}

/// f² = (R²_incl − R²_excl)/(1 − R²_incl) of the path `from → to`
/// (Cohen 1988; Hair et al. 2022, ch. 6), R²_excl from regressing the same
/// construct scores on the other predecessors (R seminr instead re-estimates
/// the whole model without the path), and the inner VIF of `from` among the
/// predecessors of `to`.
pub(crate) fn path_effect_size(
    preds: &[usize],
    rlv: MatRef<'_, f64>,
    r2: f64,
    from: usize,
    to: usize,
) -> (f64, f64) {
    let others: Vec<usize> = preds.iter().copied().filter(|&j| j != from).collect();
    let r2_excl = regress(rlv, &others, to).map_or(f64::NAN, |x| x.1);
    let f2 = (r2 - r2_excl) / (1.0 - r2);
    let vif = regress(rlv, &others, from).map_or(f64::INFINITY, |x| 1.0 / (1.0 - x.1));
    (f2, vif)
}
