//! Entries: the points of a result, manual bonus and deductions, reversal.

pub mod handlers;
pub mod models;
pub mod write;
