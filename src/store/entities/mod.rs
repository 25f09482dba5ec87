//! sea-orm entities: one module per table, mirroring the migrations, grouped by what the tables are for.

mod accounts;
mod distribution;
mod measurement;
mod questionnaire_setup;
mod reports;
mod response_data;
mod status;

pub use accounts::{api_tokens, audit_log, login_failures, user_sessions, users};
pub use distribution::{contacts, distributions, invitations, outbox, webhooks};
pub use measurement::{constructs, dimensions, indicators, models, paths};
pub use questionnaire_setup::{
    brands, questionnaire_access, questionnaire_attributes, questionnaire_brands,
    questionnaire_versions, questionnaires,
};
pub use reports::{report_runs, report_settings};
pub use response_data::{answers, responses};
pub use status::{
    DistributionStatus, OutboxStatus, ReportRunStatus, ResponseStatus, VersionStatus,
};
