//! Assembles report data from stored responses (pure: no I/O): figures, charts, exports.

pub mod charts;
pub mod diagram;
pub mod export;
pub mod figures;
pub mod mean_scores;
pub mod page;
