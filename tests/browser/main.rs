//! Browser tests: real headless Chromium through WebDriver (see `harness`), one module per
//! capability. Needs Debian's `chromium` and `chromium-driver` and npm's `axe-core`
//! (tests/run.sh installs them). Runs on SQLite; the HTTP tests cover PostgreSQL.

mod design;
pub mod harness;
#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;
mod report;
mod survey;
