//! One analysis of a model on data: PLS estimation, optional bootstrap and IPMA, in the documented JSON shape.

use crate::csi::{self, BootstrapOptions, Data, Missing, PlsModel, PlsOptions, PlsResult, Scheme};
use serde::Serialize;

/// What the analyst chose (the `yardstick analyze` flags).
#[derive(Debug, Clone)]
pub struct AnalysisOptions {
    pub scheme: Scheme,
    pub scaled: bool,
    pub missing: Missing,
    /// Bootstrap resamples; 0 = no bootstrap.
    pub bootstrap: usize,
    pub seed: u64,
    /// IPMA target construct; defaults to SAT when the model has it, else the last construct.
    pub target: Option<String>,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            scheme: Scheme::Path,
            scaled: true,
            missing: Missing::MeanReplacement,
            bootstrap: 0,
            seed: 1,
            target: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ConstructSummary {
    pub code: String,
    pub r_squared: Option<f64>,
    pub r_squared_adj: Option<f64>,
    pub index: f64,
    pub alpha: f64,
    pub rho_a: f64,
    pub rho_c: f64,
    pub ave: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorSummary {
    pub code: String,
    pub construct: String,
    pub weight: f64,
    pub loading: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PathSummary {
    pub from: String,
    pub to: String,
    pub coefficient: f64,
    pub total_effect: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct HtmtSummary {
    pub a: String,
    pub b: String,
    pub value: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IpmaSummary {
    pub construct: String,
    pub importance: f64,
    pub performance: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PathInterval {
    pub from: String,
    pub to: String,
    pub se: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexInterval {
    pub construct: String,
    pub ci_low: f64,
    pub ci_high: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BootstrapSummary {
    pub resamples: usize,
    pub seed: u64,
    pub failed: usize,
    pub paths: Vec<PathInterval>,
    pub index: Vec<IndexInterval>,
}

/// The documented JSON output of `yardstick analyze` (see the README).
#[derive(Debug, Clone, Serialize)]
pub struct AnalysisSummary {
    pub n: usize,
    pub iterations: usize,
    pub converged: bool,
    pub constructs: Vec<ConstructSummary>,
    pub indicators: Vec<IndicatorSummary>,
    pub paths: Vec<PathSummary>,
    pub htmt: Vec<HtmtSummary>,
    pub ipma: Vec<IpmaSummary>,
    pub bootstrap: Option<BootstrapSummary>,
    #[serde(skip)]
    pub improve_first: Vec<String>,
    #[serde(skip)]
    pub target: String,
    #[serde(skip)]
    pub result: PlsResult,
}

/// Estimates the model; bootstraps when asked; IPMA on the target. `progress` counts finished resamples.
pub fn run(
    model: &PlsModel,
    data: &Data,
    options: &AnalysisOptions,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Result<AnalysisSummary, csi::CsiError> {
    let pls = PlsOptions {
        scheme: options.scheme,
        scaled: options.scaled,
        missing: options.missing,
        ..PlsOptions::default()
    };
    let result = csi::estimate(model, data, &pls)?;
    let target = options.target.clone().unwrap_or_else(|| {
        model
            .blocks
            .iter()
            .find(|b| b.name == "SAT")
            .or(model.blocks.last())
            .map(|b| b.name.clone())
            .unwrap_or_default()
    });
    let ipma = csi::ipma(&result, &target)?;
    let bootstrap = if options.bootstrap > 0 {
        let boot = csi::bootstrap(
            model,
            data,
            &pls,
            &BootstrapOptions {
                resamples: options.bootstrap,
                seed: options.seed,
                level: 0.95,
                bca: false,
            },
            progress,
        )?;
        Some(BootstrapSummary {
            resamples: boot.resamples,
            seed: boot.seed,
            failed: boot.failed + boot.not_converged,
            paths: boot
                .paths
                .iter()
                .map(|i| {
                    let (from, to) = i.name.split_once(" -> ").unwrap_or((&i.name, ""));
                    PathInterval {
                        from: from.to_owned(),
                        to: to.to_owned(),
                        se: i.se,
                        ci_low: i.pct_low,
                        ci_high: i.pct_high,
                    }
                })
                .collect(),
            index: boot
                .index
                .iter()
                .map(|i| IndexInterval {
                    construct: i.name.clone(),
                    ci_low: i.pct_low,
                    ci_high: i.pct_high,
                })
                .collect(),
        })
    } else {
        None
    };
    let quality = |code: &str| {
        result
            .quality
            .constructs
            .iter()
            .find(|q| q.construct == code)
    };
    let total = |from: &str, to: &str| {
        result
            .effects
            .iter()
            .find(|e| e.from == from && e.to == to)
            .map(|e| e.total)
            .unwrap_or(0.0)
    };
    Ok(AnalysisSummary {
        n: result.n,
        iterations: result.iterations,
        converged: result.converged,
        constructs: result
            .constructs
            .iter()
            .map(|c| {
                let q = quality(&c.name);
                ConstructSummary {
                    code: c.name.clone(),
                    r_squared: c.endogenous.then_some(c.r_squared),
                    r_squared_adj: c.endogenous.then_some(c.r_squared_adj),
                    index: c.index,
                    alpha: q.map_or(f64::NAN, |q| q.alpha),
                    rho_a: q.map_or(f64::NAN, |q| q.rho_a),
                    rho_c: q.map_or(f64::NAN, |q| q.rho_c),
                    ave: c.ave,
                }
            })
            .collect(),
        indicators: result
            .indicators
            .iter()
            .map(|i| IndicatorSummary {
                code: i.name.clone(),
                construct: i.construct.clone(),
                weight: i.weight,
                loading: i.loading,
            })
            .collect(),
        paths: result
            .paths
            .iter()
            .map(|p| PathSummary {
                from: p.from.clone(),
                to: p.to.clone(),
                coefficient: p.coefficient,
                total_effect: total(&p.from, &p.to),
            })
            .collect(),
        htmt: result
            .quality
            .htmt
            .iter()
            .map(|h| HtmtSummary {
                a: h.a.clone(),
                b: h.b.clone(),
                value: h.value,
            })
            .collect(),
        ipma: ipma
            .points
            .iter()
            .map(|p| IpmaSummary {
                construct: p.construct.clone(),
                importance: p.importance,
                performance: p.performance,
            })
            .collect(),
        improve_first: ipma.improve_first.clone(),
        target,
        bootstrap,
        result,
    })
}
