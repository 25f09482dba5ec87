//! Assembles report data from stored responses (pure: no I/O).

pub mod mean_scores;
