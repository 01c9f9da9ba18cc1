//! All the SQL of 量化考核, by sub-feature (schemes, results and their computation, entries),
//! re-exported here so other features keep calling `assessment::models::…` (the cockpit's
//! `standing`, the demo's `insert_entry`, inspection findings' `add_manual`).

pub use super::entries::models::*;
pub use super::results::compute::*;
pub use super::results::models::*;
pub use super::schemes::models::*;
