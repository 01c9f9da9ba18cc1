//! The week's query string: any day of the week shown, and a unit in scope.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::meetings::domain;
use crate::web::forms::{FormErrors, optional_date};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct WeekQuery {
    /// Any day of the week shown (default: today).
    pub week: String,
    pub unit: String,
}

/// The week asked for (its Monday), or a message for the field.
pub fn week_of(q: &WeekQuery, today: NaiveDate, errors: &mut FormErrors) -> NaiveDate {
    let day = optional_date(errors, "week", &q.week).unwrap_or(today);
    domain::week_start(day)
}
