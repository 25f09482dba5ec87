//! Yardstick's statistics engine: PLS path modelling, the 0–100 CSI, quality, bootstrap, IPMA, AHP, metrics and comparisons.
//!
//! Pure functions on matrices; no I/O and no dependency on the rest of the
//! crate. The PLS algorithm follows Wold (1982) and Lohmöller (1989) as
//! implemented in R plspm (Sanchez 2013), seminr and SmartPLS; it iterates
//! on the q × q covariance (correlation) matrix of the model's indicators,
//! so a bootstrap resample costs one weighted Gram product plus q × q work.
//!
//! Start with [`PlsModel`], [`Data`] and [`estimate()`]; then [`bootstrap()`],
//! [`ipma()`], [`ahp()`], the everyday [`metrics`] and the group comparisons in [`compare`].

pub mod ahp;
pub mod bootstrap;
pub mod compare;
pub mod data;
pub mod effects;
pub mod error;
pub mod estimate;
pub mod index;
pub mod ipma;
mod linalg;
pub mod metrics;
pub mod model;
pub mod pls;
pub mod quality;
pub mod simulate;

pub use ahp::{AhpResult, ahp, random_index};
pub use bootstrap::{BootstrapOptions, BootstrapResult, Interval, bootstrap};
pub use compare::{
    CompareOptions, GroupComparison, IndexDifference, Statistic, TwoProportionZ, WelchT,
    compare_indices, compare_indices_by, two_proportion_z, welch_t,
};
pub use data::{Data, Missing, MissingReport};
pub use effects::Effect;
pub use error::CsiError;
pub use estimate::{ConstructResult, IndicatorResult, PathResult, PlsResult, estimate};
pub use index::{ExpertIndex, expert_index};
pub use ipma::{Ipma, IpmaPoint, ipma};
pub use metrics::{
    ExpectationGap, MeanEstimate, Nps, Proportion, csat, expectation_gap, mean_ci, nps,
    top_two_box, wilson,
};
pub use model::{Block, Mode, PlsModel};
pub use pls::{Convergence, PlsOptions, Scheme};
pub use quality::{ConstructQuality, Htmt, Quality};
pub use simulate::{Simulation, ecsi_model, ecsi_population};

#[cfg(test)]
mod tests;
