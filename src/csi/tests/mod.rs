//! Unit tests of the CSI engine against published reference results and known structure.

mod ahp;
mod bootstrap;
mod errors;
mod fixtures;
mod index;
mod metrics;
mod reference;
mod synthetic;
