//! Pure domain types that parse, never half-valid: languages, scales, models, answers, periods.

pub mod answer;
pub mod attribute;
pub mod campaign;
pub mod contact_import;
pub mod field_data;
pub mod lang;
pub mod message;
pub mod model;
pub mod model_edit;
pub mod model_file;
pub mod network;
pub mod pairwise;
pub mod period;
pub mod report_period;
pub mod role;
pub mod scale;
pub mod survey_flow;
pub mod survey_gate;
pub mod table_file;
pub mod token;
pub mod version_diff;

pub use lang::{Lang, Text};
pub use model::{
    Construct, Dimension, Indicator, Model, ModelIssue, OuterMode, Path, Problem, Severity,
};
pub use model_file::{FileErrors, FileProblem, parse_model, to_model_file};
pub use period::Quarter;
pub use role::Role;
pub use scale::{Scale, ScaleKind};
