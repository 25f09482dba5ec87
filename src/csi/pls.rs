//! The Wold / Lohmöller PLS path-modelling algorithm, iterated on the p × p covariance matrix.

use faer::{Mat, MatRef, Side};
use serde::Serialize;

use super::data::Missing;
use super::error::{CsiError, Result};
use super::linalg::{regress, sub};
use super::model::{Layout, Mode, PlsModel};

/// Inner weighting scheme (Lohmöller 1989, §2.3; Tenenhaus et al. 2005, §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// Path weighting: predecessors get their multiple-regression
    /// coefficients, followers their correlation (default of SmartPLS and seminr).
    #[default]
    Path,
    /// Centroid: the sign of the correlation of adjacent constructs (Wold 1982).
    Centroid,
    /// Factorial: the correlation of adjacent constructs (Lohmöller 1989).
    Factorial,
}

/// Stopping rule of the iterations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Convergence {
    /// Σᵢ |wᵢ⁽ˢ⁾ − wᵢ⁽ˢ⁻¹⁾| over the normalised outer weights (SmartPLS, seminr).
    #[default]
    AbsoluteSum,
    /// Σᵢ (|w̃ᵢ⁽ˢ⁻¹⁾| − |w̃ᵢ⁽ˢ⁾|)² over the un-normalised outer weights, as R
    /// plspm does (Sanchez 2013, `get_weights`).
    SquaredPlspm,
}

/// Options of [`estimate`](super::estimate()).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PlsOptions {
    /// inner weighting scheme (default path)
    pub scheme: Scheme,
    /// standardise the indicators (default, as SmartPLS / seminr) or only
    /// centre them (R plspm `scaled = FALSE`)
    pub scaled: bool,
    /// convergence tolerance (default 1e-7)
    pub tolerance: f64,
    /// stopping rule (default [`Convergence::AbsoluteSum`])
    pub convergence: Convergence,
    /// maximum number of iterations (default 300)
    pub max_iter: usize,
    /// missing-value treatment (default mean replacement)
    pub missing: Missing,
    /// return results flagged `converged = false` instead of
    /// [`CsiError::NotConverged`] (default false)
    pub allow_non_convergence: bool,
}

impl Default for PlsOptions {
    fn default() -> Self {
        Self {
            scheme: Scheme::Path,
            scaled: true,
            tolerance: 1e-7,
            convergence: Convergence::AbsoluteSum,
            max_iter: 300,
            missing: Missing::MeanReplacement,
            allow_non_convergence: false,
        }
    }
}

impl PlsOptions {
    /// The settings of R plspm: `scaled` as given, tolerance 1e-6 with
    /// plspm's stopping rule, at most 100 iterations.
    pub fn plspm(scheme: Scheme, scaled: bool) -> Self {
        Self {
            scheme,
            scaled,
            tolerance: 1e-6,
            convergence: Convergence::SquaredPlspm,
            max_iter: 100,
            ..Self::default()
        }
    }
}

/// The converged weights and inner model on one covariance matrix.
#[derive(Debug, Clone)]
pub(crate) struct Core {
    /// outer weights per model indicator, scaled so every composite has unit variance under `s`
    pub w: Vec<f64>,
    /// `S W`: covariance of every indicator with every composite (q × L)
    pub sw: Mat<f64>,
    /// correlation matrix of the composites (L × L)
    pub rlv: Mat<f64>,
    /// path coefficients, `beta[(to, from)]`
    pub beta: Mat<f64>,
    /// R² of every construct (0 for exogenous)
    pub r2: Vec<f64>,
    /// iterations performed
    pub iterations: usize,
    /// last value of the convergence criterion
    pub delta: f64,
    /// whether the criterion fell below the tolerance
    pub converged: bool,
}

/// Iterates the PLS algorithm on the covariance matrix `s` of the model's
/// indicators (q × q, in layout order).
///
/// Outer estimate Yⱼ = Xⱼwⱼ with var(Yⱼ) = 1; inner estimate Zⱼ = Σₖ eⱼₖYₖ;
/// mode A: wⱼ ∝ cov(Xⱼ, Zⱼ) = (S W E)ⱼ; mode B: wⱼ ∝ Sⱼⱼ⁻¹(S W E)ⱼ
/// (Lohmöller 1989, §2.3; Tenenhaus et al. 2005, eqs. 4–10). Every quantity
/// needs only S, never the n × p data. After convergence each construct's
/// sign is fixed so that it correlates positively with most of its items.
pub(crate) fn fit(
    model: &PlsModel,
    layout: &Layout,
    s: MatRef<'_, f64>,
    opts: &PlsOptions,
) -> Result<Core> {
    let l = model.blocks.len();
    let q = layout.columns.len();
    // Cholesky factors of the mode B blocks, computed once.
    let mut chol = Vec::with_capacity(l);
    for (k, block) in model.blocks.iter().enumerate() {
        if block.mode == Mode::B && layout.ranges[k].len() > 1 {
            let idx: Vec<usize> = layout.ranges[k].clone().collect();
            let skk = sub(s, &idx, &idx);
            let f = skk.llt(Side::Lower).map_err(|_| CsiError::Construct {
                construct: block.name.clone(),
                reason: "its indicators are perfectly collinear (mode B needs a regular block)"
                    .into(),
            })?;
            chol.push(Some(f));
        } else {
            chol.push(None);
        }
    }
    let mut w = vec![1.0; q];
    normalise(layout, s, &mut w, model)?;
    let mut prev = w.clone();
    let mut iterations = 0;
    let mut delta = f64::INFINITY;
    let mut converged = false;
    let mut sw = Mat::<f64>::zeros(q, l);
    let mut rlv = Mat::<f64>::zeros(l, l);
    let mut e = Mat::<f64>::zeros(l, l);
    let mut swe = vec![0.0; q];
    while iterations < opts.max_iter {
        iterations += 1;
        composites(layout, s, &w, &mut sw, &mut rlv);
        inner_weights(model, layout, rlv.as_ref(), opts.scheme, &mut e)?;
        let mut new_w = vec![0.0; q];
        for (k, block) in model.blocks.iter().enumerate() {
            // var(Z_k) = e_kᵀ R e_k ; cov(X, Z_k) = S W e_k
            let mut var = 0.0;
            for a in 0..l {
                for b in 0..l {
                    var += e[(a, k)] * rlv[(a, b)] * e[(b, k)];
                }
            }
            if var.is_nan() || var <= 1e-300 {
                return Err(CsiError::Construct {
                    construct: block.name.clone(),
                    reason:
                        "its inner estimate is zero (it is uncorrelated with all its neighbours)"
                            .into(),
                });
            }
            let scale = 1.0 / var.sqrt();
            let range = layout.ranges[k].clone();
            for i in range.clone() {
                let mut acc = 0.0;
                for a in 0..l {
                    acc += sw[(i, a)] * e[(a, k)];
                }
                swe[i] = acc * scale;
            }
            match &chol[k] {
                Some(f) => {
                    let rhs = Mat::<f64>::from_fn(range.len(), 1, |i, _| swe[range.start + i]);
                    let x = faer::linalg::solvers::Solve::solve(f, rhs.as_ref());
                    for (i, r) in range.clone().enumerate() {
                        new_w[r] = x[(i, 0)];
                    }
                }
                None => new_w[range.clone()].copy_from_slice(&swe[range]),
            }
        }
        let raw = new_w.clone();
        normalise(layout, s, &mut new_w, model)?;
        delta = match opts.convergence {
            Convergence::AbsoluteSum => new_w.iter().zip(&prev).map(|(a, b)| (a - b).abs()).sum(),
            Convergence::SquaredPlspm => raw
                .iter()
                .zip(&prev)
                .map(|(a, b)| (a.abs() - b.abs()).powi(2))
                .sum(),
        };
        prev = match opts.convergence {
            Convergence::AbsoluteSum => new_w.clone(),
            Convergence::SquaredPlspm => raw,
        };
        w = new_w;
        if !delta.is_finite() {
            return Err(CsiError::Numerical(
                "outer weights became non-finite during the iterations".into(),
            ));
        }
        if delta < opts.tolerance {
            converged = true;
            break;
        }
    }
    if !converged && !opts.allow_non_convergence {
        return Err(CsiError::NotConverged {
            iterations,
            delta,
            tolerance: opts.tolerance,
        });
    }
    // sign fixing: a construct correlates positively with most of its items
    composites(layout, s, &w, &mut sw, &mut rlv);
    for k in 0..l {
        let range = layout.ranges[k].clone();
        let (mut pos, mut neg, mut sum) = (0usize, 0usize, 0.0);
        for i in range.clone() {
            let c = sw[(i, k)];
            sum += c / s[(i, i)].sqrt();
            if c > 0.0 {
                pos += 1;
            } else if c < 0.0 {
                neg += 1;
            }
        }
        if neg > pos || (neg == pos && sum < 0.0) {
            for v in &mut w[range] {
                *v = -*v;
            }
        }
    }
    composites(layout, s, &w, &mut sw, &mut rlv);
    let (beta, r2) = inner_model(model, layout, rlv.as_ref())?;
    Ok(Core {
        w,
        sw,
        rlv,
        beta,
        r2,
        iterations,
        delta,
        converged,
    })
}

/// Scales each block's weights so that its composite has unit variance: wⱼ ← wⱼ / √(wⱼᵀSⱼⱼwⱼ).
fn normalise(layout: &Layout, s: MatRef<'_, f64>, w: &mut [f64], model: &PlsModel) -> Result<()> {
    for (k, range) in layout.ranges.iter().enumerate() {
        let mut var = 0.0;
        for i in range.clone() {
            for j in range.clone() {
                var += w[i] * s[(i, j)] * w[j];
            }
        }
        if var.is_nan() || var <= 1e-300 {
            return Err(CsiError::Construct {
                construct: model.blocks[k].name.clone(),
                reason: "its composite has no variance".into(),
            });
        }
        let f = 1.0 / var.sqrt();
        for v in &mut w[range.clone()] {
            *v *= f;
        }
    }
    Ok(())
}

/// `sw = S W` (q × L) and `rlv = Wᵀ S W` (L × L) for block-diagonal W.
fn composites(
    layout: &Layout,
    s: MatRef<'_, f64>,
    w: &[f64],
    sw: &mut Mat<f64>,
    rlv: &mut Mat<f64>,
) {
    let q = w.len();
    let l = layout.ranges.len();
    for (k, range) in layout.ranges.iter().enumerate() {
        for i in 0..q {
            let mut acc = 0.0;
            for j in range.clone() {
                acc += s[(i, j)] * w[j];
            }
            sw[(i, k)] = acc;
        }
    }
    for a in 0..l {
        for b in 0..l {
            let mut acc = 0.0;
            for i in layout.ranges[a].clone() {
                acc += w[i] * sw[(i, b)];
            }
            rlv[(a, b)] = acc;
        }
    }
}

/// Inner weights `e[(j, k)]`: the weight of Yⱼ in the inner estimate Zₖ.
fn inner_weights(
    model: &PlsModel,
    layout: &Layout,
    rlv: MatRef<'_, f64>,
    scheme: Scheme,
    e: &mut Mat<f64>,
) -> Result<()> {
    let l = rlv.nrows();
    e.fill(0.0);
    for &(from, to) in &model.paths {
        let r = rlv[(from, to)];
        let v = match scheme {
            Scheme::Centroid => r.signum(),
            Scheme::Factorial | Scheme::Path => r,
        };
        e[(from, to)] = v;
        e[(to, from)] = v;
    }
    if scheme == Scheme::Path {
        for k in 0..l {
            let preds = &layout.preds[k];
            if preds.is_empty() {
                continue;
            }
            let (beta, _) = regress(rlv, preds, k).ok_or_else(|| CsiError::Construct {
                construct: model.blocks[k].name.clone(),
                reason: "its predecessors are perfectly collinear".into(),
            })?;
            for (&j, b) in preds.iter().zip(beta) {
                e[(j, k)] = b;
            }
        }
    }
    Ok(())
}

/// OLS path coefficients of every endogenous construct on its predecessors,
/// from the composite correlation matrix: β = R_PP⁻¹ r_P,k, R² = βᵀ r_P,k.
pub(crate) fn inner_model(
    model: &PlsModel,
    layout: &Layout,
    rlv: MatRef<'_, f64>,
) -> Result<(Mat<f64>, Vec<f64>)> {
    let l = rlv.nrows();
    let mut beta = Mat::<f64>::zeros(l, l);
    let mut r2 = vec![0.0; l];
    for k in 0..l {
        let preds = &layout.preds[k];
        if preds.is_empty() {
            continue;
        }
        let (b, r) = regress(rlv, preds, k).ok_or_else(|| CsiError::Construct {
            construct: model.blocks[k].name.clone(),
            reason: "its predecessors are perfectly collinear".into(),
        })?;
        for (&j, v) in preds.iter().zip(b) {
            beta[(k, j)] = v;
        }
        r2[k] = r;
    }
    Ok((beta, r2))
}
