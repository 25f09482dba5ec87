//! Everyday survey metrics: means with t intervals, top-two-box rates (Wilson), NPS, CSAT, C and gap.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use super::error::{CsiError, Result};

/// A mean with its t interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeanEstimate {
    /// observed (non-missing) values
    pub n: usize,
    /// arithmetic mean
    pub mean: f64,
    /// standard deviation (n − 1)
    pub sd: f64,
    /// standard error sd/√n
    pub se: f64,
    /// lower bound mean − t₍₁₋α/2, n−1₎·se
    pub ci_low: f64,
    /// upper bound
    pub ci_high: f64,
    /// confidence level
    pub level: f64,
}

/// A rate with its Wilson score interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proportion {
    /// trials (non-missing answers)
    pub n: usize,
    /// successes
    pub successes: usize,
    /// successes / n
    pub rate: f64,
    /// Wilson lower bound
    pub ci_low: f64,
    /// Wilson upper bound
    pub ci_high: f64,
    /// confidence level
    pub level: f64,
}

/// Net promoter score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Nps {
    /// answers
    pub n: usize,
    /// 9–10
    pub promoters: usize,
    /// 7–8
    pub passives: usize,
    /// 0–6
    pub detractors: usize,
    /// 100 · (promoters − detractors)/n
    pub nps: f64,
    /// standard error (in NPS points)
    pub se: f64,
    /// lower bound NPS − z·SE (clamped to −100)
    pub ci_low: f64,
    /// upper bound (clamped to 100)
    pub ci_high: f64,
    /// confidence level
    pub level: f64,
}

/// The two simple readings of perceived against expected quality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpectationGap {
    /// complete pairs
    pub n: usize,
    /// mean perceived score
    pub perceived: f64,
    /// mean expected score
    pub expected: f64,
    /// C = perceived / expected (C ≥ 1: expectations met)
    pub c: f64,
    /// gap = perceived − expected (mean of the paired differences)
    pub gap: f64,
    /// paired-t interval of the gap, lower bound
    pub gap_ci_low: f64,
    /// upper bound
    pub gap_ci_high: f64,
    /// confidence level
    pub level: f64,
}

fn check_level(level: f64) -> Result<()> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(CsiError::Invalid(format!(
            "confidence level {level} is not in (0, 1)"
        )))
    }
}

fn z_value(level: f64) -> f64 {
    Normal::standard().inverse_cdf(1.0 - (1.0 - level) / 2.0)
}

pub(crate) fn t_value(level: f64, df: f64) -> Result<f64> {
    let t = StudentsT::new(0.0, 1.0, df).map_err(|e| CsiError::Numerical(e.to_string()))?;
    Ok(t.inverse_cdf(1.0 - (1.0 - level) / 2.0))
}

/// Mean, SD and the Student t interval x̄ ± t₁₋α/2,n−1 · s/√n (Student 1908);
/// `NaN` (missing) values are skipped.
pub fn mean_ci(values: &[f64], level: f64) -> Result<MeanEstimate> {
    check_level(level)?;
    let x: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    let n = x.len();
    if n < 2 {
        return Err(CsiError::TooFewCases {
            cases: n,
            needed: 2,
        });
    }
    let nf = n as f64;
    let mean = x.iter().sum::<f64>() / nf;
    let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (nf - 1.0)).sqrt();
    let se = sd / nf.sqrt();
    let t = t_value(level, nf - 1.0)?;
    Ok(MeanEstimate {
        n,
        mean,
        sd,
        se,
        ci_low: mean - t * se,
        ci_high: mean + t * se,
        level,
    })
}

/// Wilson (1927) score interval for `successes` out of `n`:
/// (p̂ + z²/2n ± z√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n).
pub fn wilson(successes: usize, n: usize, level: f64) -> Result<Proportion> {
    check_level(level)?;
    if n == 0 || successes > n {
        return Err(CsiError::Invalid(format!(
            "{successes} successes out of {n} trials"
        )));
    }
    let nf = n as f64;
    let p = successes as f64 / nf;
    let z = z_value(level);
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * nf)) / (1.0 + z2 / nf);
    let half = z * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt() / (1.0 + z2 / nf);
    Ok(Proportion {
        n,
        successes,
        rate: p,
        ci_low: (centre - half).max(0.0),
        ci_high: (centre + half).min(1.0),
        level,
    })
}

/// Top-two-box satisfaction rate (满意率): the share of answers in the two
/// highest categories of a scale whose top is `scale_max` (≥ max − 1), with
/// its Wilson interval; missing values are skipped.
pub fn top_two_box(values: &[f64], scale_max: f64, level: f64) -> Result<Proportion> {
    let x: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    let hits = x.iter().filter(|&&v| v >= scale_max - 1.0).count();
    wilson(hits, x.len(), level)
}

/// CSAT: the percentage of satisfied answers (the top two boxes, e.g. 4–5
/// on a 1–5 scale), with its Wilson interval, all in percent.
pub fn csat(values: &[f64], scale_max: f64, level: f64) -> Result<Proportion> {
    let p = top_two_box(values, scale_max, level)?;
    Ok(Proportion {
        rate: 100.0 * p.rate,
        ci_low: 100.0 * p.ci_low,
        ci_high: 100.0 * p.ci_high,
        ..p
    })
}

/// Net promoter score (Reichheld 2003) of 0–10 answers: 100·(P − D)/n with
/// promoters P (9–10) and detractors D (0–6). Its standard error treats the
/// answer as a variable taking +1, 0, −1: SE = 100·√((p + d − (p − d)²)/n),
/// interval NPS ± z·SE (Rocks 2016).
pub fn nps(values: &[f64], level: f64) -> Result<Nps> {
    check_level(level)?;
    let x: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    if let Some(v) = x.iter().find(|v| !(0.0..=10.0).contains(*v)) {
        return Err(CsiError::Invalid(format!(
            "NPS answers lie on 0–10; got {v}"
        )));
    }
    let n = x.len();
    if n == 0 {
        return Err(CsiError::TooFewCases {
            cases: 0,
            needed: 1,
        });
    }
    let promoters = x.iter().filter(|&&v| v >= 9.0).count();
    let detractors = x.iter().filter(|&&v| v <= 6.0).count();
    let nf = n as f64;
    let (p, d) = (promoters as f64 / nf, detractors as f64 / nf);
    let score = 100.0 * (p - d);
    let se = 100.0 * ((p + d - (p - d).powi(2)) / nf).sqrt();
    let z = z_value(level);
    Ok(Nps {
        n,
        promoters,
        passives: n - promoters - detractors,
        detractors,
        nps: score,
        se,
        ci_low: (score - z * se).max(-100.0),
        ci_high: (score + z * se).min(100.0),
        level,
    })
}

/// C = perceived ÷ expected and gap = perceived − expected over the
/// respondents who answered both, with a paired-t interval for the gap.
pub fn expectation_gap(perceived: &[f64], expected: &[f64], level: f64) -> Result<ExpectationGap> {
    check_level(level)?;
    if perceived.len() != expected.len() {
        return Err(CsiError::Invalid(format!(
            "{} perceived but {} expected answers",
            perceived.len(),
            expected.len()
        )));
    }
    let pairs: Vec<(f64, f64)> = perceived
        .iter()
        .zip(expected)
        .filter(|(p, e)| !p.is_nan() && !e.is_nan())
        .map(|(&p, &e)| (p, e))
        .collect();
    let diffs: Vec<f64> = pairs.iter().map(|(p, e)| p - e).collect();
    let g = mean_ci(&diffs, level)?;
    let nf = pairs.len() as f64;
    let pm = pairs.iter().map(|x| x.0).sum::<f64>() / nf;
    let em = pairs.iter().map(|x| x.1).sum::<f64>() / nf;
    if em == 0.0 {
        return Err(CsiError::Invalid(
            "the mean expectation is 0, so C = perceived/expected is undefined".into(),
        ));
    }
    Ok(ExpectationGap {
        n: pairs.len(),
        perceived: pm,
        expected: em,
        c: pm / em,
        gap: g.mean,
        gap_ci_low: g.ci_low,
        gap_ci_high: g.ci_high,
        level,
    })
}
