//! A month's results: computed, ranked, published.

pub mod compute;
pub mod handlers;
pub mod models;
