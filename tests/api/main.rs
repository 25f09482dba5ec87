//! Black-box tests through HTTP: one binary, one module per capability.
//! Set `YARDSTICK_TEST_DATABASE=postgres` to run them against PostgreSQL.

mod analyze_cli;
mod api_v1;
mod campaigns;
mod chain;
mod design;
mod escaping;
mod fuzz;
mod hardening;
mod helpers;
mod migrations;
mod privacy;
mod reports;
mod route_access;
mod security;
mod sessions;
mod survey;
mod templates;
mod upload_limits;
mod webhooks;
