//! Assembles report data from stored responses (pure: no I/O): figures, charts, exports; and `pdf`, which prints a report page through headless Chromium.

pub mod charts;
pub mod diagram;
pub mod export;
pub mod figures;
pub mod mean_scores;
pub mod page;
pub mod pdf;
