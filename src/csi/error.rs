//! The error type of the statistics engine; every variant names what it is about.

use thiserror::Error;

/// Everything that can go wrong in the CSI engine.
///
/// Messages name the offending indicator, construct or input, so that they
/// can be shown to a quality team as they are.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CsiError {
    /// The data or model are malformed (wrong lengths, bad indices, …).
    #[error("invalid input: {0}")]
    Invalid(String),
    /// An indicator is constant over the analysed cases.
    #[error("indicator {0} has no variance")]
    NoVariance(String),
    /// An indicator has no observed value at all.
    #[error("indicator {0} has no observed values")]
    AllMissing(String),
    /// A value lies outside the indicator's declared scale.
    #[error("indicator {indicator}: value {value} lies outside its scale {min}–{max}")]
    OutOfScale {
        /// indicator name
        indicator: String,
        /// offending value
        value: f64,
        /// scale minimum
        min: f64,
        /// scale maximum
        max: f64,
    },
    /// Too few complete cases remain for the analysis.
    #[error("too few cases: {cases} remain, at least {needed} are needed")]
    TooFewCases {
        /// cases available
        cases: usize,
        /// cases needed
        needed: usize,
    },
    /// A construct cannot be estimated (isolated, collinear block, …).
    #[error("construct {construct} cannot be estimated: {reason}")]
    Construct {
        /// construct name
        construct: String,
        /// why
        reason: String,
    },
    /// The PLS iterations did not converge.
    #[error(
        "PLS algorithm did not converge within {iterations} iterations (last change {delta:e}, tolerance {tolerance:e})"
    )]
    NotConverged {
        /// iterations performed
        iterations: usize,
        /// last convergence criterion value
        delta: f64,
        /// tolerance asked for
        tolerance: f64,
    },
    /// A numerical decomposition failed.
    #[error("numerical failure: {0}")]
    Numerical(String),
}

/// Short alias used throughout the engine.
pub type Result<T> = std::result::Result<T, CsiError>;
