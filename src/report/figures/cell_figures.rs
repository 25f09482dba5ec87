//! What one fitted cell shows: indices, quality, paths, HTMT and IPMA from the fit, and the everyday rates from its data.

use super::{Cell, ConstructFigure, HtmtFigure, IpmaFigure, PathFigure, RateFigure, finite};
use crate::csi::{self, Data, PlsResult};
use crate::domain::{Model, ScaleKind};

/// Estimates, quality, paths and IPMA of a fit (and its bootstrap intervals) into a cell.
pub(super) fn fill_from_fit(
    cell: &mut Cell,
    result: &PlsResult,
    boot: Option<&csi::BootstrapResult>,
    target: &str,
) {
    let interval = |list: Option<&Vec<csi::Interval>>, name: &str| {
        list.and_then(|l| l.iter().find(|i| i.name == name))
            .map(|i| (finite(i.pct_low), finite(i.pct_high)))
    };
    cell.constructs = result
        .constructs
        .iter()
        .map(|c| {
            let q = result
                .quality
                .constructs
                .iter()
                .find(|q| q.construct == c.name);
            let (ci_low, ci_high) =
                interval(boot.map(|b| &b.index), &c.name).unwrap_or((None, None));
            ConstructFigure {
                code: c.name.clone(),
                index: c.index,
                ci_low,
                ci_high,
                r_squared: if c.endogenous {
                    finite(c.r_squared)
                } else {
                    None
                },
                alpha: q.and_then(|q| finite(q.alpha)),
                rho_c: q.and_then(|q| finite(q.rho_c)),
                ave: finite(c.ave),
            }
        })
        .collect();
    cell.paths = result
        .paths
        .iter()
        .map(|p| {
            let (ci_low, ci_high) =
                interval(boot.map(|b| &b.paths), &format!("{} -> {}", p.from, p.to))
                    .unwrap_or((None, None));
            PathFigure {
                from: p.from.clone(),
                to: p.to.clone(),
                coefficient: p.coefficient,
                ci_low,
                ci_high,
            }
        })
        .collect();
    cell.htmt = result
        .quality
        .htmt
        .iter()
        .map(|h| HtmtFigure {
            a: h.a.clone(),
            b: h.b.clone(),
            value: h.value.and_then(finite),
        })
        .collect();
    match csi::ipma(result, target) {
        Ok(map) => {
            cell.ipma = map
                .points
                .iter()
                .filter(|p| p.importance.is_finite() && p.performance.is_finite())
                .map(|p| IpmaFigure {
                    construct: p.construct.clone(),
                    importance: p.importance,
                    performance: p.performance,
                    improve_first: p.improve_first,
                })
                .collect();
            cell.improve_first = map.improve_first;
        }
        Err(e) => cell.warnings.push(e.to_string()),
    }
    cell.warnings.extend(result.warnings.iter().cloned());
}

/// Which data columns carry the everyday metrics.
pub(super) struct RateColumns {
    /// The CSI construct's first item (satisfaction rate, top-two-box), with its scale top.
    satisfaction: Option<(usize, f64)>,
    /// A 0–10 recommendation item.
    pub(super) nps: Option<usize>,
    /// A 5-point item of the CSI construct (CSAT).
    pub(super) csat: Option<usize>,
}

impl RateColumns {
    pub(super) fn of(model: &Model, target: &str) -> RateColumns {
        let items: Vec<_> = model.indicators().collect();
        let position =
            |pred: &dyn Fn(&crate::domain::Construct, &crate::domain::Indicator) -> bool| {
                items.iter().position(|(c, i)| pred(c, i))
            };
        RateColumns {
            satisfaction: position(&|c, i| c.code == target && i.scale.kind() == ScaleKind::Likert)
                .map(|j| (j, f64::from(items[j].1.scale.max()))),
            nps: position(&|_, i| i.scale.kind() == ScaleKind::Nps),
            csat: position(&|c, i| {
                c.code == target && i.scale.kind() == ScaleKind::Likert && i.scale.points() == 5
            }),
        }
    }

    pub(super) fn fill(&self, cell: &mut Cell, data: &Data) {
        let percent = |p: csi::Proportion| RateFigure {
            n: p.n,
            value: 100.0 * p.rate,
            ci_low: 100.0 * p.ci_low,
            ci_high: 100.0 * p.ci_high,
        };
        if let Some((j, top)) = self.satisfaction {
            cell.satisfaction_rate = csi::top_two_box(data.column(j), top, 0.95)
                .ok()
                .map(percent);
        }
        if let Some(j) = self.nps {
            cell.nps = csi::nps(data.column(j), 0.95).ok().map(|n| RateFigure {
                n: n.n,
                value: n.nps,
                ci_low: n.ci_low,
                ci_high: n.ci_high,
            });
        }
        if let Some(j) = self.csat {
            cell.csat = csi::csat(data.column(j), 5.0, 0.95)
                .ok()
                .map(|p| RateFigure {
                    n: p.n,
                    value: p.rate,
                    ci_low: p.ci_low,
                    ci_high: p.ci_high,
                });
        }
    }
}
