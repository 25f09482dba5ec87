//! Black-box tests through HTTP: one binary, one module per capability.
//! Set `YARDSTICK_TEST_DATABASE=postgres` to run them against PostgreSQL.

mod chain;
mod helpers;
mod migrations;
mod templates;
