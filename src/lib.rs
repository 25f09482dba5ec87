//! Yardstick: survey collection and customer-satisfaction indices (ACSI / ECSI / CCSI) with PLS path modelling.

pub mod config;
pub mod domain;
pub mod store;
