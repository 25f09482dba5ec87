//! Unit tests of the CSI engine against published reference results and known structure.

mod fixtures;
mod reference;
