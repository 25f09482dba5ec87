//! A cell's fitted model with its rows, the bootstrap of a fit, and the shared progress counter.

use crate::csi::{self, BootstrapOptions, Data, PlsModel, PlsOptions, PlsResult};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::ReportOptions;

/// The fitted model of one cell (its own, or the period's pooled one), with each record's row in it.
pub(super) struct Fit {
    pub(super) result: PlsResult,
    /// data row (of the fitted data) → row of `result.index_scores`
    pub(super) rows: Vec<Option<usize>>,
    pub(super) boot: Option<csi::BootstrapResult>,
}

impl Fit {
    pub(super) fn new(result: PlsResult, n: usize, boot: Option<csi::BootstrapResult>) -> Fit {
        let mut rows = vec![None; n];
        for (k, r) in result.missing.rows.iter().enumerate() {
            if let Some(slot) = rows.get_mut(*r) {
                *slot = Some(k);
            }
        }
        Fit { result, rows, boot }
    }

    /// 0–100 scores of construct `k` for the given data rows.
    pub(super) fn scores(&self, k: usize, data_rows: impl Iterator<Item = usize>) -> Vec<f64> {
        data_rows
            .filter_map(|r| self.rows.get(r).copied().flatten())
            .map(|i| self.result.index_scores[k][i])
            .collect()
    }
}

/// Shared progress: work units done of the planned total.
pub struct Progress<'a> {
    done: AtomicUsize,
    report: &'a (dyn Fn(usize) + Sync),
}

impl<'a> Progress<'a> {
    pub fn new(report: &'a (dyn Fn(usize) + Sync)) -> Progress<'a> {
        Progress {
            done: AtomicUsize::new(0),
            report,
        }
    }

    pub(super) fn add(&self, units: usize) {
        let done = self.done.fetch_add(units, Ordering::Relaxed) + units;
        (self.report)(done);
    }
}

pub(super) fn bootstrap(
    pls: &PlsModel,
    data: &Data,
    opts: &PlsOptions,
    options: &ReportOptions,
    stream: u64,
    progress: &Progress,
) -> Option<csi::BootstrapResult> {
    if options.resamples == 0 {
        return None;
    }
    let steps = Steps::new(progress);
    let tick = |d: usize| steps.reached(d);
    let result = csi::bootstrap(
        pls,
        data,
        opts,
        &BootstrapOptions {
            resamples: options.resamples,
            seed: options.seed.wrapping_add(stream),
            level: 0.95,
            bca: false,
        },
        Some(&tick),
    )
    .ok();
    steps.finish(options.resamples);
    result
}

/// Relays an engine's "steps done so far" callbacks to [`Progress`] as increments.
pub(super) struct Steps<'a, 'p> {
    last: AtomicUsize,
    progress: &'a Progress<'p>,
}

impl<'a, 'p> Steps<'a, 'p> {
    pub(super) fn new(progress: &'a Progress<'p>) -> Self {
        Steps {
            last: AtomicUsize::new(0),
            progress,
        }
    }

    /// `done` steps are done (callbacks may arrive out of order from several threads).
    pub(super) fn reached(&self, done: usize) {
        let before = self.last.fetch_max(done, Ordering::Relaxed);
        if done > before {
            self.progress.add(done - before);
        }
    }

    /// All `total` steps are done, however many were reported.
    pub(super) fn finish(&self, total: usize) {
        let before = self.last.swap(total, Ordering::Relaxed);
        if total > before {
            self.progress.add(total - before);
        }
    }
}
