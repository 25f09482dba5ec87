//! Nonparametric bootstrap with percentile and BCa intervals, parallel and reproducible from a seed.

use std::sync::atomic::{AtomicUsize, Ordering};

use faer::{Mat, MatRef, Par};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use super::data::{Data, prepare};
use super::effects::{effect_pairs, total_effects};
use super::error::{CsiError, Result};
use super::estimate::{Fitted, fit_cov};
use super::index::{index_value, respondent_coefficients};
use super::linalg::gram;
use super::model::{Layout, PlsModel};
use super::pls::PlsOptions;

/// Options of [`bootstrap`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BootstrapOptions {
    /// number of resamples (default 5 000, the publication default)
    pub resamples: usize,
    /// seed; resample b uses ChaCha8 seeded with `seed` on stream b, so
    /// results do not depend on the number of threads
    pub seed: u64,
    /// confidence level of the intervals (default 0.95)
    pub level: f64,
    /// also compute BCa intervals (needs a leave-one-out jackknife: n more fits)
    pub bca: bool,
}

impl Default for BootstrapOptions {
    fn default() -> Self {
        Self {
            resamples: 5000,
            seed: 1,
            level: 0.95,
            bca: true,
        }
    }
}

/// Bootstrap summary of one statistic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interval {
    /// indicator or construct name, or `"FROM -> TO"` for paths and effects
    pub name: String,
    /// estimate on the full sample
    pub estimate: f64,
    /// mean of the bootstrap distribution
    pub mean: f64,
    /// bootstrap standard error (SD of the resample estimates, n − 1 form)
    pub se: f64,
    /// lower percentile bound (Efron & Tibshirani 1993, §13.3)
    pub pct_low: f64,
    /// upper percentile bound
    pub pct_high: f64,
    /// lower BCa bound (Efron 1987; Efron & Tibshirani 1993, §14.3), if computed and defined
    pub bca_low: Option<f64>,
    /// upper BCa bound
    pub bca_high: Option<f64>,
}

/// Bootstrap results for every reported statistic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootstrapResult {
    /// resamples drawn
    pub resamples: usize,
    /// seed used
    pub seed: u64,
    /// resamples that failed (zero variance, no convergence, singular block); excluded from the intervals
    pub failed: usize,
    /// of which did not converge
    pub not_converged: usize,
    /// confidence level
    pub level: f64,
    /// outer weights (as reported by [`estimate`](super::estimate()))
    pub weights: Vec<Interval>,
    /// loadings
    pub loadings: Vec<Interval>,
    /// path coefficients in model order
    pub paths: Vec<Interval>,
    /// total effects of every connected pair
    pub total_effects: Vec<Interval>,
    /// R² of the endogenous constructs
    pub r_squared: Vec<Interval>,
    /// 0–100 index of every construct
    pub index: Vec<Interval>,
}

/// The centred data of a model with the labels and extractor of its statistics.
pub(crate) struct Resampler<'a> {
    pub model: &'a PlsModel,
    pub layout: Layout,
    pub opts: PlsOptions,
    /// centred data (n × q)
    pub centred: Mat<f64>,
    /// full-sample means
    pub means: Vec<f64>,
    pub scales: Vec<(f64, f64)>,
    pub names: Vec<String>,
    pub pairs: Vec<(usize, usize)>,
    pub endogenous: Vec<usize>,
}

impl<'a> Resampler<'a> {
    pub fn new(model: &'a PlsModel, data: &Data, opts: &PlsOptions) -> Result<Self> {
        let layout = model.layout(data.ncols())?;
        let prep = prepare(data, &layout.columns, opts.missing, min_cases(&layout))?;
        Ok(Self::from_parts(
            model,
            layout,
            opts,
            prep.centred,
            prep.means,
            prep.scales,
            prep.names,
        ))
    }

    /// A resampler on already treated, centred data.
    pub fn from_parts(
        model: &'a PlsModel,
        layout: Layout,
        opts: &PlsOptions,
        centred: Mat<f64>,
        means: Vec<f64>,
        scales: Vec<(f64, f64)>,
        names: Vec<String>,
    ) -> Self {
        let l = model.blocks.len();
        let mut o = *opts;
        o.allow_non_convergence = false;
        Self {
            pairs: effect_pairs(l, &model.paths),
            endogenous: (0..l).filter(|&k| !layout.preds[k].is_empty()).collect(),
            model,
            layout,
            opts: o,
            centred,
            means,
            scales,
            names,
        }
    }

    pub fn n(&self) -> usize {
        self.centred.nrows()
    }

    /// The PLS fit of the covariance `cov`; an item without variance is an error.
    fn fit(&self, cov: MatRef<'_, f64>) -> Result<Fitted> {
        if let Some(i) = (0..cov.nrows()).find(|&i| cov[(i, i)].is_nan() || cov[(i, i)] <= 1e-300) {
            return Err(CsiError::NoVariance(self.names[i].clone()));
        }
        fit_cov(self.model, &self.layout, cov, &self.scales, &self.opts)
    }

    /// Statistics (weights, loadings, paths, total effects, R², index) for
    /// the covariance `cov` and item means `means`.
    pub fn stats(&self, cov: MatRef<'_, f64>, means: &[f64]) -> Result<Vec<f64>> {
        let q = cov.nrows();
        let f = self.fit(cov)?;
        let mut out = Vec::with_capacity(2 * q + 32);
        out.extend_from_slice(&f.core.w);
        out.extend_from_slice(&f.loadings);
        out.extend(self.model.paths.iter().map(|&(a, b)| f.core.beta[(b, a)]));
        let total = total_effects(f.core.beta.as_ref());
        out.extend(self.pairs.iter().map(|&(a, b)| total[(b, a)]));
        out.extend(self.endogenous.iter().map(|&k| f.core.r2[k]));
        for (k, r) in self.layout.ranges.iter().enumerate() {
            out.push(match &f.index_w[k] {
                Some(wn) => index_value(wn, &means[r.clone()], &self.scales[r.clone()]),
                None => f64::NAN,
            });
        }
        Ok(out)
    }

    /// Every construct's 0–100 index and its standard error for the covariance `cov` and
    /// means `means` of `n` cases: the index is the mean of the respondents' scores, so with
    /// the weights taken as given SE² = aᵀΣa/(n − 1), aᵢ = 100·w̃ᵢ/(maxᵢ − minᵢ) (`NaN` for a
    /// construct without an index).
    pub fn indices_with_se(
        &self,
        cov: MatRef<'_, f64>,
        means: &[f64],
        n: f64,
    ) -> Result<Vec<(f64, f64)>> {
        let f = self.fit(cov)?;
        Ok(self
            .layout
            .ranges
            .iter()
            .zip(&f.index_w)
            .map(|(r, wn)| match wn {
                Some(wn) => {
                    let scales = &self.scales[r.clone()];
                    let a = respondent_coefficients(wn, scales);
                    let variance: f64 = (0..a.len())
                        .flat_map(|i| (0..a.len()).map(move |j| (i, j)))
                        .map(|(i, j)| a[i] * a[j] * cov[(r.start + i, r.start + j)])
                        .sum();
                    let se = (variance.max(0.0) / (n - 1.0)).sqrt();
                    (index_value(wn, &means[r.clone()], scales), se)
                }
                None => (f64::NAN, f64::NAN),
            })
            .collect())
    }

    /// Statistics of the full sample.
    pub fn full(&self) -> Result<Vec<f64>> {
        self.stats(self.full_covariance().as_ref(), &self.means)
    }

    /// Covariance (divided by n) of the full sample.
    pub fn full_covariance(&self) -> Mat<f64> {
        gram(self.centred.as_ref(), self.n() as f64, Par::Seq)
    }

    /// Covariance and means of the sample that takes row r `counts[r]` times:
    /// Σ c_r d_r d_rᵀ / N − μμᵀ with μ = Σ c_r d_r / N (d centred at the full-sample means).
    pub fn weighted(&self, counts: &[u32]) -> (Mat<f64>, Vec<f64>) {
        let q = self.centred.ncols();
        let rows: Vec<usize> = (0..counts.len()).filter(|&r| counts[r] > 0).collect();
        let total: f64 = counts.iter().map(|&c| c as f64).sum();
        let mut xw = Mat::<f64>::zeros(rows.len(), q);
        let mut mu = vec![0.0; q];
        for (j, mu_j) in mu.iter_mut().enumerate() {
            let src = self.centred.col_as_slice(j);
            let dst = xw.col_as_slice_mut(j);
            let mut s = 0.0;
            for (o, &r) in dst.iter_mut().zip(&rows) {
                let c = counts[r] as f64;
                *o = c.sqrt() * src[r];
                s += c * src[r];
            }
            *mu_j = s / total;
        }
        let mut cov = gram(xw.as_ref(), total, Par::Seq);
        for i in 0..q {
            for j in 0..q {
                cov[(i, j)] -= mu[i] * mu[j];
            }
        }
        let means = self.means.iter().zip(&mu).map(|(m, d)| m + d).collect();
        (cov, means)
    }

    /// Labels of the statistics vector, split into its six groups.
    pub fn labels(&self) -> [Vec<String>; 6] {
        let cn: Vec<&str> = self.model.blocks.iter().map(|b| b.name.as_str()).collect();
        let pair = |a: usize, b: usize| format!("{} -> {}", cn[a], cn[b]);
        [
            self.names.clone(),
            self.names.clone(),
            self.model.paths.iter().map(|&(a, b)| pair(a, b)).collect(),
            self.pairs.iter().map(|&(a, b)| pair(a, b)).collect(),
            self.endogenous.iter().map(|&k| cn[k].to_string()).collect(),
            cn.iter().map(|s| s.to_string()).collect(),
        ]
    }
}

/// Fewest cases an estimation accepts: two more than the largest number of predecessors, at least 3.
pub(crate) fn min_cases(layout: &Layout) -> usize {
    (layout.preds.iter().map(Vec::len).max().unwrap_or(0) + 2).max(3)
}

/// Draws the resample counts of resample `b`: n indices uniform on 0..n
/// from ChaCha8 seeded with `seed`, stream `b`.
pub(crate) fn resample_counts(seed: u64, b: u64, n: usize) -> Vec<u32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(b);
    let mut counts = vec![0u32; n];
    for _ in 0..n {
        counts[rng.random_range(0..n)] += 1;
    }
    counts
}

/// Bootstraps a PLS path model (Efron & Tibshirani 1993; in PLS-SEM:
/// Chin 1998, Hair et al. 2022 ch. 5): `resamples` case resamples, each
/// one weighted Gram product plus q × q work, run in parallel with rayon.
///
/// Missing values are treated once on the full sample (as SmartPLS does),
/// then cases are resampled. Resamples that fail (an item without
/// variance, non-convergence, a singular block) are counted in `failed`
/// and left out of the intervals. `progress`, if given, is called with the
/// number of finished resamples after each one (from worker threads).
pub fn bootstrap(
    model: &PlsModel,
    data: &Data,
    opts: &PlsOptions,
    boot: &BootstrapOptions,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Result<BootstrapResult> {
    if boot.resamples < 2 {
        return Err(CsiError::Invalid(
            "the bootstrap needs at least 2 resamples".into(),
        ));
    }
    if !(boot.level > 0.0 && boot.level < 1.0) {
        return Err(CsiError::Invalid(format!(
            "confidence level {} is not in (0, 1)",
            boot.level
        )));
    }
    let rs = Resampler::new(model, data, opts)?;
    let full = rs.full()?;
    let n = rs.n();
    let done = AtomicUsize::new(0);
    let draws: Vec<Result<Vec<f64>>> = (0..boot.resamples)
        .into_par_iter()
        .map(|b| {
            let counts = resample_counts(boot.seed, b as u64, n);
            let (cov, means) = rs.weighted(&counts);
            let out = rs.stats(cov.as_ref(), &means);
            let d = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(p) = progress {
                p(d);
            }
            out
        })
        .collect();
    let failed = draws.iter().filter(|d| d.is_err()).count();
    let not_converged = draws
        .iter()
        .filter(|d| matches!(d, Err(CsiError::NotConverged { .. })))
        .count();
    let ok: Vec<Vec<f64>> = draws.into_iter().filter_map(|d| d.ok()).collect();
    if ok.len() < 2 {
        return Err(CsiError::Numerical(format!(
            "only {} of {} bootstrap resamples could be estimated",
            ok.len(),
            boot.resamples
        )));
    }
    let jack = if boot.bca { Some(jackknife(&rs)) } else { None };
    let labels = rs.labels();
    let mut groups: Vec<Vec<Interval>> = Vec::with_capacity(6);
    let mut offset = 0;
    for names in labels {
        let mut g = Vec::with_capacity(names.len());
        for name in names {
            let col: Vec<f64> = ok.iter().map(|d| d[offset]).collect();
            let jk: Option<Vec<f64>> = jack.as_ref().map(|j| j.iter().map(|d| d[offset]).collect());
            g.push(summarise(
                name,
                full[offset],
                col,
                jk.as_deref(),
                boot.level,
            ));
            offset += 1;
        }
        groups.push(g);
    }
    let mut it = groups.into_iter();
    let mut next = || it.next().unwrap_or_default();
    Ok(BootstrapResult {
        resamples: boot.resamples,
        seed: boot.seed,
        failed,
        not_converged,
        level: boot.level,
        weights: next(),
        loadings: next(),
        paths: next(),
        total_effects: next(),
        r_squared: next(),
        index: next(),
    })
}

/// Leave-one-out estimates, each from a rank-one downdate of the Gram
/// matrix: S₋ᵢ = (nS − dᵢdᵢᵀ)/(n − 1) − dᵢdᵢᵀ/(n − 1)²; failed fits are left out.
fn jackknife(rs: &Resampler<'_>) -> Vec<Vec<f64>> {
    let n = rs.n();
    let q = rs.centred.ncols();
    let nf = n as f64;
    let cov = gram(rs.centred.as_ref(), nf, Par::Seq);
    let out: Vec<Option<Vec<f64>>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let d: Vec<f64> = (0..q).map(|j| rs.centred[(i, j)]).collect();
            let c = Mat::<f64>::from_fn(q, q, |a, b| {
                (nf * cov[(a, b)] - d[a] * d[b]) / (nf - 1.0)
                    - d[a] * d[b] / ((nf - 1.0) * (nf - 1.0))
            });
            let means: Vec<f64> = rs
                .means
                .iter()
                .zip(&d)
                .map(|(m, x)| m - x / (nf - 1.0))
                .collect();
            rs.stats(c.as_ref(), &means).ok()
        })
        .collect();
    out.into_iter().flatten().collect()
}

/// Linear-interpolation quantile of sorted values (Hyndman & Fan 1996, type 7).
pub(crate) fn quantile(sorted: &[f64], p: f64) -> f64 {
    let m = sorted.len();
    let h = (m - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(m - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Percentile and BCa intervals of one statistic.
///
/// BCa: ẑ₀ = Φ⁻¹(#{θ* < θ̂}/B), â = Σ(θ̄₍.₎ − θ₍ᵢ₎)³ / (6[Σ(θ̄₍.₎ − θ₍ᵢ₎)²]^{3/2}),
/// α₁,₂ = Φ(ẑ₀ + (ẑ₀ + z_α)/(1 − â(ẑ₀ + z_α))) (Efron & Tibshirani 1993, eqs. 14.9–14.15).
pub(crate) fn summarise(
    name: String,
    estimate: f64,
    mut values: Vec<f64>,
    jack: Option<&[f64]>,
    level: f64,
) -> Interval {
    values.retain(|v| v.is_finite());
    let b = values.len();
    if b < 2 {
        return Interval {
            name,
            estimate,
            mean: f64::NAN,
            se: f64::NAN,
            pct_low: f64::NAN,
            pct_high: f64::NAN,
            bca_low: None,
            bca_high: None,
        };
    }
    values.sort_by(f64::total_cmp);
    let mean = values.iter().sum::<f64>() / b as f64;
    let se = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (b - 1) as f64).sqrt();
    let alpha = (1.0 - level) / 2.0;
    let std = Normal::standard();
    let mut bca = None;
    if let Some(j) = jack {
        let j: Vec<f64> = j.iter().copied().filter(|v| v.is_finite()).collect();
        let below = values.iter().filter(|&&v| v < estimate).count() as f64;
        let ties = values.iter().filter(|&&v| v == estimate).count() as f64;
        let prop = (below + 0.5 * ties) / b as f64;
        if prop > 0.0 && prop < 1.0 && j.len() > 2 && estimate.is_finite() {
            let z0 = std.inverse_cdf(prop);
            let jm = j.iter().sum::<f64>() / j.len() as f64;
            let s2: f64 = j.iter().map(|v| (jm - v).powi(2)).sum();
            let s3: f64 = j.iter().map(|v| (jm - v).powi(3)).sum();
            let a = if s2 > 0.0 {
                s3 / (6.0 * s2.powf(1.5))
            } else {
                0.0
            };
            let adj = |z: f64| std.cdf(z0 + (z0 + z) / (1.0 - a * (z0 + z)));
            let (a1, a2) = (
                adj(std.inverse_cdf(alpha)),
                adj(std.inverse_cdf(1.0 - alpha)),
            );
            if a1.is_finite() && a2.is_finite() {
                bca = Some((quantile(&values, a1), quantile(&values, a2)));
            }
        }
    }
    Interval {
        name,
        estimate,
        mean,
        se,
        pct_low: quantile(&values, alpha),
        pct_high: quantile(&values, 1.0 - alpha),
        bca_low: bca.map(|x| x.0),
        bca_high: bca.map(|x| x.1),
    }
}
