//! The executive report's figures for one questionnaire: every period × brand estimated, compared and segmented (pure).
//!
//! [`compute`] is the one entry point: it groups stored responses into
//! periods ([`Calendar`]) and brands, runs PLS with the designer's model on
//! every cell with at least `min_sample` responses (separately per cell, or
//! with weights pooled over the period's brands as ACSI does), bootstraps the
//! 0–100 indices, tests every change against the previous period and every
//! competitor's gap against our brand, and scores segments. The result is a
//! plain serialisable struct: the report page, the exports, the JSON API and
//! the cache all read it.

mod cell_figures;
mod compare;
mod compute;
mod fit;
mod grouping;
mod segments;
mod types;

pub use compute::compute;
pub use fit::Progress;
pub use grouping::plan;
pub use types::*;

use crate::domain::Model;

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// The CSI construct: SAT when the model has it, else the last construct.
pub fn target_of(model: &Model) -> String {
    model
        .construct("SAT")
        .or(model.constructs.last())
        .map(|c| c.code.clone())
        .unwrap_or_default()
}

/// Work units of a computation, for the progress bar: each cell's resamples, and each
/// comparison's permutations and as many resamples.
pub fn planned_work(cells_ok: usize, comparisons: usize, options: &ReportOptions) -> usize {
    cells_ok * options.resamples + comparisons * 2 * options.permutations
}
