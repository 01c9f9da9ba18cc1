//! The summary's query: the unit, the year, the quarter.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::web::forms::FormErrors;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SummaryQuery {
    pub unit: String,
    pub year: String,
    pub quarter: String,
}

impl SummaryQuery {
    /// The query string (for the export link).
    pub fn base(&self) -> String {
        crate::web::pagination::query_string(&[
            ("unit", self.unit.trim()),
            ("year", self.year.trim()),
            ("quarter", self.quarter.trim()),
        ])
    }

    /// The year and quarter asked for; a bad one is a message and the default (this year, the
    /// whole year).
    pub fn period(&self, today: NaiveDate, e: &mut FormErrors) -> (i32, Option<u32>) {
        let year = match self.year.trim() {
            "" => today.year(),
            raw => match raw.parse::<i32>() {
                Ok(y) if (2000..=today.year() + 1).contains(&y) => y,
                _ => {
                    e.add("year", "party.summary.bad_year");
                    today.year()
                }
            },
        };
        let quarter = match self.quarter.trim() {
            "" => None,
            raw => match raw.parse::<u32>() {
                Ok(q) if (1..=4).contains(&q) => Some(q),
                _ => {
                    e.add("quarter", "party.summary.bad_quarter");
                    None
                }
            },
        };
        (year, quarter)
    }
}
