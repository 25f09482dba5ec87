//! Runs the CSI engine on an indicator model: data preparation, the analysis summary and its text report.

pub mod input;
pub mod summary;
pub mod text;

pub use input::{data_from_csv, data_from_records, pls_model};
pub use summary::{AnalysisOptions, AnalysisSummary, run};
