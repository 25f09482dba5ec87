//! Significance of differences between two groups: index permutation test and bootstrap, Welch t, two-proportion z.

use faer::{Mat, MatRef};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use super::bootstrap::{Resampler, quantile, resample_counts};
use super::data::Data;
use super::error::{CsiError, Result};
use super::metrics::t_value;
use super::model::PlsModel;
use super::pls::PlsOptions;

/// Options of [`compare_indices`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CompareOptions {
    /// random permutations of the group labels (default 1 000)
    pub permutations: usize,
    /// bootstrap resamples for the interval of the difference (default 1 000)
    pub resamples: usize,
    /// seed (permutation j uses ChaCha8 stream j, resample b stream 2³² + b)
    pub seed: u64,
    /// confidence level (default 0.95)
    pub level: f64,
}

/// The statistic a comparison tests and bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Statistic {
    /// the difference divided by its standard error (what [`compare_indices`] uses)
    Studentized,
    /// the raw difference with a percentile interval: miscalibrated when the groups differ in
    /// size and spread, kept only so `benches/calibration.rs` can show it
    Raw,
}

impl Default for CompareOptions {
    fn default() -> Self {
        Self {
            permutations: 1000,
            resamples: 1000,
            seed: 1,
            level: 0.95,
        }
    }
}

/// The difference of one construct's index between groups A and B.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexDifference {
    /// construct
    pub construct: String,
    /// index in group A
    pub index_a: f64,
    /// index in group B
    pub index_b: f64,
    /// A − B
    pub difference: f64,
    /// standard error of the difference, √(SEₐ² + SEᵦ²)
    pub se: f64,
    /// two-sided permutation p-value (1 + #|T*| ≥ |T|)/(1 + P) of T = difference ÷ se
    pub p_value: f64,
    /// bootstrap-t interval of the difference, lower bound
    pub ci_low: f64,
    /// upper bound
    pub ci_high: f64,
}

/// Index comparison of two groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupComparison {
    /// cases in A (after missing-value treatment)
    pub n_a: usize,
    /// cases in B
    pub n_b: usize,
    /// permutations drawn
    pub permutations: usize,
    /// bootstrap resamples drawn
    pub resamples: usize,
    /// permutations and resamples that could not be estimated (left out)
    pub failed: usize,
    /// per construct
    pub differences: Vec<IndexDifference>,
}

/// Per construct: the index difference A − B and its standard error.
type Contrast = Vec<(f64, f64)>;

/// The contrast of two samples, each given by its resampler, covariance, means and size.
fn contrast(
    (ra, cov_a, means_a, na): (&Resampler<'_>, MatRef<'_, f64>, &[f64], f64),
    (rb, cov_b, means_b, nb): (&Resampler<'_>, MatRef<'_, f64>, &[f64], f64),
) -> Option<Contrast> {
    let a = ra.indices_with_se(cov_a, means_a, na).ok()?;
    let b = rb.indices_with_se(cov_b, means_b, nb).ok()?;
    Some(difference_of(&a, &b))
}

/// A − B per construct, with the standard error √(SEₐ² + SEᵦ²) of independent groups.
fn difference_of(a: &[(f64, f64)], b: &[(f64, f64)]) -> Contrast {
    a.iter()
        .zip(b)
        .map(|((ia, sa), (ib, sb))| (ia - ib, (sa * sa + sb * sb).sqrt()))
        .collect()
}

/// The test statistic of a difference: studentized, or the raw difference.
fn statistic((difference, se): (f64, f64), studentized: bool) -> f64 {
    if !studentized {
        difference
    } else if se > 0.0 {
        difference / se
    } else if difference == 0.0 {
        0.0
    } else {
        difference.signum() * f64::INFINITY
    }
}

/// Compares the 0–100 index of every construct between two groups (two
/// brands, two quarters), each estimated with its own PLS weights.
///
/// The statistic is studentized, T = (Iₐ − Iᵦ)/√(SEₐ² + SEᵦ²), with each
/// group's SE that of the mean of its respondents' scores: then the
/// permutation test of the group labels on the pooled cases stays exact when
/// the groups are exchangeable and is asymptotically valid when they differ
/// in size and spread (Chung & Romano 2013; the raw difference is not:
/// `benches/calibration.rs` measures both), with the +1 correction of
/// Phipson & Smyth (2010). The interval is the bootstrap-t interval
/// [d − t*₁₋α/₂·SE, d − t*α/₂·SE] of the same statistic, resampling each group
/// separately (Efron & Tibshirani 1993, §12.5). Both are reproducible from
/// the seed regardless of the number of threads. Each group's missing
/// values are treated within the group first.
pub fn compare_indices(
    model: &PlsModel,
    a: &Data,
    b: &Data,
    opts: &PlsOptions,
    cmp: &CompareOptions,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Result<GroupComparison> {
    compare_indices_by(Statistic::Studentized, model, a, b, opts, cmp, progress)
}

/// [`compare_indices`] with the statistic chosen.
pub fn compare_indices_by(
    statistic: Statistic,
    model: &PlsModel,
    a: &Data,
    b: &Data,
    opts: &PlsOptions,
    cmp: &CompareOptions,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Result<GroupComparison> {
    let studentized = statistic == Statistic::Studentized;
    if a.names() != b.names() || a.scales() != b.scales() {
        return Err(CsiError::Invalid(
            "the two groups must have the same columns and scales".into(),
        ));
    }
    if !(cmp.level > 0.0 && cmp.level < 1.0) {
        return Err(CsiError::Invalid(format!(
            "confidence level {} is not in (0, 1)",
            cmp.level
        )));
    }
    let ra = Resampler::new(model, a, opts)?;
    let rb = Resampler::new(model, b, opts)?;
    let (na, nb) = (ra.n(), rb.n());
    let ia = ra.indices_with_se(ra.full_covariance().as_ref(), &ra.means, na as f64)?;
    let ib = rb.indices_with_se(rb.full_covariance().as_ref(), &rb.means, nb as f64)?;
    let observed = difference_of(&ia, &ib);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let tick = || {
        let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if let Some(p) = progress {
            p(d);
        }
    };
    let perms = permuted_contrasts(model, opts, cmp, (&ra, &rb), &tick)?;
    let boots: Vec<Option<Contrast>> = (0..cmp.resamples)
        .into_par_iter()
        .map(|j| {
            let stream = (1u64 << 32) + j as u64;
            let (cov_a, m_a) = ra.weighted(&resample_counts(cmp.seed, stream, na));
            let (cov_b, m_b) = rb.weighted(&resample_counts(
                cmp.seed ^ 0x9E37_79B9_7F4A_7C15,
                stream,
                nb,
            ));
            let out = contrast(
                (&ra, cov_a.as_ref(), &m_a, na as f64),
                (&rb, cov_b.as_ref(), &m_b, nb as f64),
            );
            tick();
            out
        })
        .collect();
    let failed = perms.iter().chain(&boots).filter(|x| x.is_none()).count();
    let perms: Vec<Contrast> = perms.into_iter().flatten().collect();
    let boots: Vec<Contrast> = boots.into_iter().flatten().collect();
    if perms.is_empty() || boots.len() < 2 {
        return Err(CsiError::Numerical(
            "too few permutations or resamples could be estimated".into(),
        ));
    }
    let differences = (0..model.blocks.len())
        .map(|k| {
            let (ci_low, ci_high) = interval(
                observed[k],
                boots.iter().map(|x| x[k]),
                cmp.level,
                studentized,
            );
            IndexDifference {
                construct: model.blocks[k].name.clone(),
                index_a: ia[k].0,
                index_b: ib[k].0,
                difference: observed[k].0,
                se: observed[k].1,
                p_value: permutation_p_value(observed[k], perms.iter().map(|p| p[k]), studentized),
                ci_low,
                ci_high,
            }
        })
        .collect();
    Ok(GroupComparison {
        n_a: na,
        n_b: nb,
        permutations: cmp.permutations,
        resamples: cmp.resamples,
        failed,
        differences,
    })
}

/// The contrasts of random relabellings of the pooled cases (each group's means moved to the
/// pooled means first, as the null hypothesis has it).
fn permuted_contrasts(
    model: &PlsModel,
    opts: &PlsOptions,
    cmp: &CompareOptions,
    (ra, rb): (&Resampler<'_>, &Resampler<'_>),
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<Option<Contrast>>> {
    let (na, nb) = (ra.n(), rb.n());
    let q = ra.centred.ncols();
    let total = (na + nb) as f64;
    let pooled_means: Vec<f64> = (0..q)
        .map(|j| (ra.means[j] * na as f64 + rb.means[j] * nb as f64) / total)
        .collect();
    let centred = Mat::<f64>::from_fn(na + nb, q, |r, j| {
        if r < na {
            ra.centred[(r, j)] + ra.means[j] - pooled_means[j]
        } else {
            rb.centred[(r - na, j)] + rb.means[j] - pooled_means[j]
        }
    });
    let layout = model.layout(q)?;
    let pooled = Resampler::from_parts(
        model,
        layout,
        opts,
        centred,
        pooled_means,
        ra.scales.clone(),
        ra.names.clone(),
    );
    Ok((0..cmp.permutations)
        .into_par_iter()
        .map(|j| {
            let mut rng = ChaCha8Rng::seed_from_u64(cmp.seed);
            rng.set_stream(j as u64);
            let mut idx: Vec<usize> = (0..na + nb).collect();
            for i in (1..idx.len()).rev() {
                let k = rng.random_range(0..=i);
                idx.swap(i, k);
            }
            let mut ca = vec![0u32; na + nb];
            for &r in &idx[..na] {
                ca[r] = 1;
            }
            let cb: Vec<u32> = ca.iter().map(|c| 1 - c).collect();
            let (cov_a, m_a) = pooled.weighted(&ca);
            let (cov_b, m_b) = pooled.weighted(&cb);
            let out = contrast(
                (&pooled, cov_a.as_ref(), &m_a, na as f64),
                (&pooled, cov_b.as_ref(), &m_b, nb as f64),
            );
            tick();
            out
        })
        .collect())
}

/// Two-sided permutation p-value (1 + #{|T*| ≥ |T|})/(1 + P) of the observed contrast.
fn permutation_p_value(
    observed: (f64, f64),
    permuted: impl Iterator<Item = (f64, f64)>,
    studentized: bool,
) -> f64 {
    let t = statistic(observed, studentized).abs();
    let (mut extreme, mut count) = (0usize, 0usize);
    for p in permuted {
        let tp = statistic(p, studentized);
        if tp.is_nan() {
            continue;
        }
        count += 1;
        if tp.abs() >= t - 1e-12 * t.max(1.0) {
            extreme += 1;
        }
    }
    (1 + extreme) as f64 / (1 + count) as f64
}

/// The interval of a difference from its bootstrap contrasts: bootstrap-t when studentized,
/// percentile otherwise (`NaN` when no resample is usable).
fn interval(
    (difference, se): (f64, f64),
    resampled: impl Iterator<Item = (f64, f64)>,
    level: f64,
    studentized: bool,
) -> (f64, f64) {
    let alpha = (1.0 - level) / 2.0;
    let mut pivots: Vec<f64> = resampled
        .map(|(d, s)| if studentized { (d - difference) / s } else { d })
        .filter(|v| v.is_finite())
        .collect();
    if pivots.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    pivots.sort_by(f64::total_cmp);
    let (lo, hi) = (quantile(&pivots, alpha), quantile(&pivots, 1.0 - alpha));
    if studentized {
        (difference - hi * se, difference - lo * se)
    } else {
        (lo, hi)
    }
}

/// Welch's t test of two means.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WelchT {
    /// mean of A
    pub mean_a: f64,
    /// mean of B
    pub mean_b: f64,
    /// A − B
    pub difference: f64,
    /// t statistic
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom
    pub df: f64,
    /// two-sided p-value
    pub p_value: f64,
    /// interval of the difference, lower bound
    pub ci_low: f64,
    /// upper bound
    pub ci_high: f64,
}

/// Welch's (1947) unequal-variance t test: t = (x̄ₐ − x̄ᵦ)/√(sₐ²/nₐ + sᵦ²/nᵦ),
/// df = (sₐ²/nₐ + sᵦ²/nᵦ)² / ((sₐ²/nₐ)²/(nₐ−1) + (sᵦ²/nᵦ)²/(nᵦ−1))
/// (Satterthwaite 1946). `NaN` values are skipped.
pub fn welch_t(a: &[f64], b: &[f64], level: f64) -> Result<WelchT> {
    let stats = |x: &[f64]| -> Result<(f64, f64, f64)> {
        let v: Vec<f64> = x.iter().copied().filter(|v| !v.is_nan()).collect();
        if v.len() < 2 {
            return Err(CsiError::TooFewCases {
                cases: v.len(),
                needed: 2,
            });
        }
        let n = v.len() as f64;
        let m = v.iter().sum::<f64>() / n;
        let s2 = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
        Ok((n, m, s2))
    };
    let (na, ma, va) = stats(a)?;
    let (nb, mb, vb) = stats(b)?;
    let (ea, eb) = (va / na, vb / nb);
    let se = (ea + eb).sqrt();
    if se == 0.0 {
        return Err(CsiError::Invalid(
            "both groups are constant: the t test is undefined".into(),
        ));
    }
    let df = (ea + eb).powi(2) / (ea * ea / (na - 1.0) + eb * eb / (nb - 1.0));
    let t = (ma - mb) / se;
    let dist = StudentsT::new(0.0, 1.0, df).map_err(|e| CsiError::Numerical(e.to_string()))?;
    let tq = t_value(level, df)?;
    Ok(WelchT {
        mean_a: ma,
        mean_b: mb,
        difference: ma - mb,
        t,
        df,
        p_value: 2.0 * dist.sf(t.abs()),
        ci_low: ma - mb - tq * se,
        ci_high: ma - mb + tq * se,
    })
}

/// Two-proportion z test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TwoProportionZ {
    /// rate of A
    pub p_a: f64,
    /// rate of B
    pub p_b: f64,
    /// A − B
    pub difference: f64,
    /// z with the pooled standard error
    pub z: f64,
    /// two-sided p-value
    pub p_value: f64,
    /// Wald interval of the difference (unpooled SE), lower bound
    pub ci_low: f64,
    /// upper bound
    pub ci_high: f64,
}

/// Two-proportion z test: z = (p̂ₐ − p̂ᵦ)/√(p̂(1 − p̂)(1/nₐ + 1/nᵦ)) with the
/// pooled p̂ (equivalent to Pearson's χ² without continuity correction),
/// and the Wald interval p̂ₐ − p̂ᵦ ± z₁₋α/2 √(p̂ₐq̂ₐ/nₐ + p̂ᵦq̂ᵦ/nᵦ) (Agresti 2013, §2.4, §3.1).
pub fn two_proportion_z(
    xa: usize,
    na: usize,
    xb: usize,
    nb: usize,
    level: f64,
) -> Result<TwoProportionZ> {
    if na == 0 || nb == 0 || xa > na || xb > nb {
        return Err(CsiError::Invalid(format!(
            "{xa}/{na} and {xb}/{nb} are not proportions"
        )));
    }
    if !(level > 0.0 && level < 1.0) {
        return Err(CsiError::Invalid(format!(
            "confidence level {level} is not in (0, 1)"
        )));
    }
    let (naf, nbf) = (na as f64, nb as f64);
    let (pa, pb) = (xa as f64 / naf, xb as f64 / nbf);
    let p = (xa + xb) as f64 / (naf + nbf);
    let se0 = (p * (1.0 - p) * (1.0 / naf + 1.0 / nbf)).sqrt();
    let z = if se0 > 0.0 { (pa - pb) / se0 } else { 0.0 };
    let std = Normal::standard();
    let zq = std.inverse_cdf(1.0 - (1.0 - level) / 2.0);
    let se1 = (pa * (1.0 - pa) / naf + pb * (1.0 - pb) / nbf).sqrt();
    Ok(TwoProportionZ {
        p_a: pa,
        p_b: pb,
        difference: pa - pb,
        z,
        p_value: 2.0 * std.sf(z.abs()),
        ci_low: pa - pb - zq * se1,
        ci_high: pa - pb + zq * se1,
    })
}
