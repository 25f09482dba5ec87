//! Pages for quality teams designing questionnaires: the list and overview, the indicator system, weights, versions, settings and field-data import.

pub mod field_import;
pub mod forms;
pub mod model;
pub mod questionnaires;
pub mod settings;
pub mod versions;
pub mod weights;
