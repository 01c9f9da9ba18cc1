//! The ledger's query: the year.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LedgerQuery {
    pub year: String,
}

impl LedgerQuery {
    /// The year asked for (2000 to next year), else this year.
    pub fn year(&self, today: NaiveDate) -> i32 {
        self.year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=today.year() + 1).contains(y))
            .unwrap_or(today.year())
    }
}
