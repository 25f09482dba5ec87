//! Yardstick: survey collection and customer-satisfaction indices (ACSI / ECSI / CCSI) with PLS path modelling.

pub mod analysis;
pub mod catalog;
pub mod config;
pub use csi;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod report;
pub mod startup;
pub mod store;
pub mod web;
