//! `estimate`: one PLS-PM fit with every output a report needs (PlsResult).

use faer::{Mat, MatRef, Par};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::bootstrap::min_cases;
use super::data::{Data, MissingReport, prepare};
use super::effects::{Effect, effects};
use super::error::{CsiError, Result};
use super::index::{
    index_basis, index_value, negative_weight_problems, normalise_weights, respondent_coefficients,
};
use super::linalg::{correlation, gram};
use super::model::{Layout, Mode, PlsModel};
use super::pls::{Core, PlsOptions, Scheme, fit};
use super::quality::{Quality, outer_vif, path_effect_size, quality};

/// Results for one indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorResult {
    /// indicator (column) name
    pub name: String,
    /// construct it measures
    pub construct: String,
    /// data column index
    pub column: usize,
    /// outer weight: for standardised indicators when `scaled`, otherwise
    /// on the centred original scale (as R plspm reports it); the composite
    /// Σ wᵢxᵢ has unit variance
    pub weight: f64,
    /// weight per unit of the original scale (weight ÷ item SD when scaled)
    pub unstandardised_weight: f64,
    /// weight of the item in the 0–100 index: the unstandardised weight of
    /// the item rescaled to 0–1, (weight ÷ SD) × (max − min), normalised to
    /// sum 1 in its block (= unstandardised weight ÷ its block sum when the
    /// block's items share a scale, as in the ACSI)
    pub index_weight: f64,
    /// loading = corr(item, construct score)
    pub loading: f64,
    /// loading²
    pub communality: f64,
    /// communality × R² of the construct (0 for exogenous constructs)
    pub redundancy: f64,
    /// outer VIF of the item within its block
    pub vif: f64,
    /// item mean on the original scale
    pub mean: f64,
    /// item standard deviation (n − 1 denominator)
    pub sd: f64,
}

/// Results for one construct.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConstructResult {
    /// construct name
    pub name: String,
    /// outer mode
    pub mode: Mode,
    /// has predecessors in the inner model
    pub endogenous: bool,
    /// R² (0 for exogenous)
    pub r_squared: f64,
    /// adjusted R² = 1 − (1 − R²)(n − 1)/(n − m − 1), m predecessors
    pub r_squared_adj: f64,
    /// mean communality of the block (Tenenhaus et al. 2005, §3.1)
    pub block_communality: f64,
    /// mean redundancy of the block
    pub mean_redundancy: f64,
    /// average variance extracted
    pub ave: f64,
    /// 0–100 index (NaN if the unstandardised weights sum to zero)
    pub index: f64,
    /// standard deviation of the respondents' 0–100 scores (population form)
    pub index_sd: f64,
}

/// One inner path with its OLS statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathResult {
    /// cause
    pub from: String,
    /// effect
    pub to: String,
    /// standardised path coefficient
    pub coefficient: f64,
    /// OLS standard error √((1 − R²)/(n − m − 1) · VIF) of the regression
    /// with intercept on the standardised scores (as R `lm`, used by plspm)
    pub std_error: f64,
    /// t = coefficient / SE
    pub t_value: f64,
    /// two-sided p-value from Student's t with n − m − 1 df
    pub p_value: f64,
    /// Cohen's f²
    pub f_squared: f64,
    /// inner VIF of `from` among the predecessors of `to`
    pub vif: f64,
}

/// Everything one PLS-PM estimation produces.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlsResult {
    /// cases analysed
    pub n: usize,
    /// iterations of the PLS algorithm
    pub iterations: usize,
    /// whether the stopping rule was met
    pub converged: bool,
    /// last value of the convergence criterion
    pub delta: f64,
    /// inner scheme used
    pub scheme: Scheme,
    /// indicators standardised
    pub scaled: bool,
    /// missing-value treatment
    pub missing: MissingReport,
    /// constructs in model order
    pub constructs: Vec<ConstructResult>,
    /// indicators in model order (block by block)
    pub indicators: Vec<IndicatorResult>,
    /// inner paths in the model's order
    pub paths: Vec<PathResult>,
    /// direct, indirect and total effects
    pub effects: Vec<Effect>,
    /// `cross_loadings[i][k]` = corr(indicator i, construct k)
    pub cross_loadings: Vec<Vec<f64>>,
    /// correlation matrix of the construct scores
    pub lv_correlations: Vec<Vec<f64>>,
    /// `scores[k][r]`: standardised score (mean 0, population variance 1) of construct k for case r
    pub scores: Vec<Vec<f64>>,
    /// `index_scores[k][r]`: 0–100 score of construct k for case r
    pub index_scores: Vec<Vec<f64>>,
    /// reliability and validity
    pub quality: Quality,
    /// goodness of fit √(mean communality · mean R²) (Tenenhaus et al. 2004)
    pub gof: f64,
    /// measurement problems and other warnings
    pub warnings: Vec<String>,
}

/// What one fit on a covariance matrix gives, shared with the bootstrap.
pub(crate) struct Fitted {
    pub core: Core,
    /// the matrix the algorithm ran on: correlations when scaled, else covariances
    pub s: Mat<f64>,
    /// item standard deviations (population form)
    pub sd: Vec<f64>,
    /// weights per unit of the original scale
    pub raw_w: Vec<f64>,
    /// loadings
    pub loadings: Vec<f64>,
    /// normalised index weights per block (None if they sum to zero)
    pub index_w: Vec<Option<Vec<f64>>>,
}

/// Runs the algorithm on the raw (population) covariance matrix `cov`.
pub(crate) fn fit_cov(
    model: &PlsModel,
    layout: &Layout,
    cov: MatRef<'_, f64>,
    scales: &[(f64, f64)],
    opts: &PlsOptions,
) -> Result<Fitted> {
    let q = cov.nrows();
    let sd: Vec<f64> = (0..q).map(|i| cov[(i, i)].sqrt()).collect();
    let s = if opts.scaled {
        correlation(cov)
    } else {
        cov.to_owned()
    };
    let core = fit(model, layout, s.as_ref(), opts)?;
    let raw_w: Vec<f64> = if opts.scaled {
        core.w.iter().zip(&sd).map(|(w, d)| w / d).collect()
    } else {
        core.w.clone()
    };
    let loadings = (0..q)
        .map(|i| core.sw[(i, layout.block_of[i])] / s[(i, i)].sqrt())
        .collect();
    let index_w = layout
        .ranges
        .iter()
        .map(|r| normalise_weights(&index_basis(&raw_w[r.clone()], &scales[r.clone()])))
        .collect();
    Ok(Fitted {
        core,
        s,
        sd,
        raw_w,
        loadings,
        index_w,
    })
}

/// Estimates a PLS path model (Wold 1982; Lohmöller 1989; Tenenhaus et al.
/// 2005) with every output of a report: outer weights and loadings,
/// cross-loadings, scores, path coefficients with OLS inference, R²,
/// effects, quality criteria, GoF and the 0–100 indices.
///
/// The data are read twice: once for the Gram product XᵀX/n (the
/// algorithm then iterates on this q × q matrix only) and once for the
/// scores.
pub fn estimate(model: &PlsModel, data: &Data, opts: &PlsOptions) -> Result<PlsResult> {
    let layout = model.layout(data.ncols())?;
    let prep = prepare(data, &layout.columns, opts.missing, min_cases(&layout))?;
    let n = prep.n();
    let q = layout.columns.len();
    let l = model.blocks.len();
    // sequential on purpose: a Gram product of q ≤ ~100 columns is memory-bound,
    // and threads only add contention (and thread-count-dependent rounding)
    let cov = gram(prep.centred.as_ref(), n as f64, Par::Seq);
    let f = fit_cov(model, &layout, cov.as_ref(), &prep.scales, opts)?;
    let core = &f.core;
    let names: Vec<String> = model.blocks.iter().map(|b| b.name.clone()).collect();
    let mut warnings = Vec::new();
    if !core.converged {
        warnings.push(format!(
            "PLS algorithm did not converge within {} iterations (last change {:e}); results are unreliable",
            core.iterations, core.delta
        ));
    }
    let rlv = core.rlv.as_ref();
    let std_w: Vec<f64> = f.raw_w.iter().zip(&f.sd).map(|(w, d)| w * d).collect();
    let r_items = correlation(cov.as_ref());
    let qual = quality(&names, &layout, r_items.as_ref(), &std_w, &f.loadings, rlv);
    let vifs = outer_vif(&layout, r_items.as_ref());
    let nf = n as f64;
    // indicators
    let mut indicators = Vec::with_capacity(q);
    for i in 0..q {
        let k = layout.block_of[i];
        let r = &layout.ranges[k];
        let lam = f.loadings[i];
        indicators.push(IndicatorResult {
            name: prep.names[i].clone(),
            construct: names[k].clone(),
            column: layout.columns[i],
            weight: core.w[i],
            unstandardised_weight: f.raw_w[i],
            index_weight: f.index_w[k].as_ref().map_or(f64::NAN, |w| w[i - r.start]),
            loading: lam,
            communality: lam * lam,
            redundancy: lam * lam * core.r2[k],
            vif: vifs[i],
            mean: prep.means[i],
            sd: (cov[(i, i)] * nf / (nf - 1.0)).sqrt(),
        });
    }
    // scores: Y = X_c W (unit population variance) and the 0–100 scores
    let mut scores = vec![vec![0.0; n]; l];
    let mut index_scores = Vec::with_capacity(l);
    let mut index = vec![f64::NAN; l];
    let mut index_sd = vec![f64::NAN; l];
    for k in 0..l {
        let r = layout.ranges[k].clone();
        for i in r.clone() {
            let x = prep.centred.col_as_slice(i);
            let w = f.raw_w[i];
            for (y, v) in scores[k].iter_mut().zip(x) {
                *y += w * v;
            }
        }
        match &f.index_w[k] {
            Some(wn) => {
                let scales = &prep.scales[r.clone()];
                index[k] = index_value(wn, &prep.means[r.clone()], scales);
                let a = respondent_coefficients(wn, scales);
                let mut var = 0.0;
                for (ii, i) in r.clone().enumerate() {
                    for (jj, j) in r.clone().enumerate() {
                        var += a[ii] * cov[(i, j)] * a[jj];
                    }
                }
                index_sd[k] = var.max(0.0).sqrt();
                let mut s = vec![index[k]; n];
                for (ii, i) in r.clone().enumerate() {
                    let x = prep.centred.col_as_slice(i);
                    for (y, v) in s.iter_mut().zip(x) {
                        *y += a[ii] * v;
                    }
                }
                if wn.iter().all(|w| *w >= 0.0) {
                    // a convex combination of items within their scales: remove rounding overshoot
                    for y in &mut s {
                        *y = y.clamp(0.0, 100.0);
                    }
                }
                index_scores.push(s);
                warnings.extend(negative_weight_problems(
                    &names[k],
                    &prep.names[r.clone()],
                    &f.raw_w[r],
                ));
            }
            None => {
                warnings.push(format!(
                    "construct {}: its unstandardised weights sum to zero, so it has no 0–100 index",
                    names[k]
                ));
                index_scores.push(vec![f64::NAN; n]);
            }
        }
    }
    // constructs
    let constructs: Vec<ConstructResult> = (0..l)
        .map(|k| {
            let r = layout.ranges[k].clone();
            let m = layout.preds[k].len();
            let qk = r.len() as f64;
            let comm = indicators[r.clone()]
                .iter()
                .map(|x| x.communality)
                .sum::<f64>()
                / qk;
            let red = indicators[r].iter().map(|x| x.redundancy).sum::<f64>() / qk;
            let r2 = core.r2[k];
            ConstructResult {
                name: names[k].clone(),
                mode: model.blocks[k].mode,
                endogenous: m > 0,
                r_squared: r2,
                r_squared_adj: if m > 0 {
                    1.0 - (1.0 - r2) * (nf - 1.0) / (nf - m as f64 - 1.0)
                } else {
                    0.0
                },
                block_communality: comm,
                mean_redundancy: red,
                ave: qual.constructs[k].ave,
                index: index[k],
                index_sd: index_sd[k],
            }
        })
        .collect();
    // paths with OLS inference
    let mut paths = Vec::with_capacity(model.paths.len());
    for &(from, to) in &model.paths {
        let preds = &layout.preds[to];
        let m = preds.len();
        let df = nf - m as f64 - 1.0;
        let (f2, vif) = path_effect_size(preds, rlv, core.r2[to], from, to);
        let b = core.beta[(to, from)];
        let se = ((1.0 - core.r2[to]) / df * vif).sqrt();
        let t = b / se;
        let p = StudentsT::new(0.0, 1.0, df)
            .map(|d| 2.0 * d.sf(t.abs()))
            .map_err(|e| CsiError::Numerical(e.to_string()))?;
        paths.push(PathResult {
            from: names[from].clone(),
            to: names[to].clone(),
            coefficient: b,
            std_error: se,
            t_value: t,
            p_value: p,
            f_squared: f2,
            vif,
        });
    }
    let effects = effects(&names, core.beta.as_ref(), &model.paths);
    let cross_loadings = (0..q)
        .map(|i| {
            (0..l)
                .map(|k| core.sw[(i, k)] / f.s[(i, i)].sqrt())
                .collect()
        })
        .collect();
    let lv_correlations = (0..l)
        .map(|a| (0..l).map(|b| rlv[(a, b)]).collect())
        .collect();
    let gof = goodness_of_fit(&layout, &f.loadings, &core.r2);
    Ok(PlsResult {
        n,
        iterations: core.iterations,
        converged: core.converged,
        delta: core.delta,
        scheme: opts.scheme,
        scaled: opts.scaled,
        missing: prep.report,
        constructs,
        indicators,
        paths,
        effects,
        cross_loadings,
        lv_correlations,
        scores,
        index_scores,
        quality: qual,
        gof,
        warnings,
    })
}

/// GoF = √(mean communality of the items of multi-item blocks × mean R² of
/// the endogenous constructs) (Tenenhaus, Amato & Esposito Vinzi 2004; R plspm).
fn goodness_of_fit(layout: &Layout, loadings: &[f64], r2: &[f64]) -> f64 {
    let (mut sum, mut count) = (0.0, 0usize);
    for r in &layout.ranges {
        if r.len() > 1 {
            sum += loadings[r.clone()].iter().map(|x| x * x).sum::<f64>();
            count += r.len();
        }
    }
    let endo: Vec<f64> = (0..r2.len())
        .filter(|&k| !layout.preds[k].is_empty())
        .map(|k| r2[k])
        .collect();
    let mean_r2 = endo.iter().sum::<f64>() / endo.len() as f64;
    (sum / count as f64 * mean_r2).sqrt()
}
