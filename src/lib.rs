//! Yardstick: survey collection and customer-satisfaction indices (ACSI / ECSI / CCSI) with PLS path modelling.

pub mod catalog;
pub mod config;
pub mod demo;
pub mod domain;
pub mod report;
pub mod startup;
pub mod store;
pub mod web;
