//! Comparing two cells: the studentized permutation test and bootstrap-t interval with separate weights, Welch's t test with pooled ones.

use super::fit::{Fit, Progress, Steps};
use super::{ALPHA, Cell, Comparison, Difference, ReportOptions, Test, finite};
use crate::csi::{self, CompareOptions, Data, PlsModel, PlsOptions};

/// Compares cell A with cell B (A − B): the engine's studentized comparison with separate weights, Welch t with pooled ones.
pub(super) fn compare(
    pls: &PlsModel,
    opts: &PlsOptions,
    options: &ReportOptions,
    a: (&Option<Data>, &Option<Fit>, &Cell),
    b: (&Option<Data>, &Option<Fit>, &Cell),
    stream: u64,
    progress: &Progress,
) -> Option<Comparison> {
    let (Some(data_a), Some(fit_a), cell_a) = a else {
        return None;
    };
    let (Some(data_b), Some(fit_b), cell_b) = b else {
        return None;
    };
    if !cell_a.is_ok() || !cell_b.is_ok() {
        return None;
    }
    if options.pooled {
        let constructs = cell_a
            .constructs
            .iter()
            .enumerate()
            .map(|(k, ca)| {
                let sa = fit_a.scores(k, 0..data_a.nrows());
                let sb = fit_b.scores(k, 0..data_b.nrows());
                let index_b = cell_b.constructs.get(k).map_or(f64::NAN, |c| c.index);
                let welch = csi::welch_t(&sa, &sb, 0.95).ok();
                Difference {
                    code: ca.code.clone(),
                    difference: ca.index - index_b,
                    ci_low: welch.as_ref().and_then(|w| finite(w.ci_low)),
                    ci_high: welch.as_ref().and_then(|w| finite(w.ci_high)),
                    p_value: welch.as_ref().and_then(|w| finite(w.p_value)),
                    significant: welch.as_ref().is_some_and(|w| w.p_value < ALPHA),
                }
            })
            .collect();
        return Some(Comparison {
            test: Test::Welch,
            constructs,
        });
    }
    if options.permutations == 0 {
        return None;
    }
    // The test and the interval come from one procedure (the studentized difference), each
    // with as many draws: permutations for the p-value, resamples for the bootstrap-t interval.
    let draws = options.permutations;
    let steps = Steps::new(progress);
    let tick = |d: usize| steps.reached(d.min(2 * draws));
    let result = csi::compare_indices(
        pls,
        data_a,
        data_b,
        opts,
        &CompareOptions {
            permutations: draws,
            resamples: draws,
            seed: options.seed.wrapping_add(stream),
            level: 0.95,
        },
        Some(&tick),
    );
    steps.finish(2 * draws);
    let constructs = result
        .ok()?
        .differences
        .iter()
        .map(|d| Difference {
            code: d.construct.clone(),
            difference: d.difference,
            ci_low: finite(d.ci_low),
            ci_high: finite(d.ci_high),
            p_value: finite(d.p_value),
            significant: d.p_value < ALPHA,
        })
        .collect();
    Some(Comparison {
        test: Test::Permutation,
        constructs,
    })
}
