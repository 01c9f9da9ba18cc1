//! The week's query string: any day of the week shown, and a unit in scope.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::meetings::domain;
use crate::web::forms::FormErrors;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct WeekQuery {
    /// Any day of the week shown (default: today).
    pub week: String,
    pub unit: String,
}

/// The week asked for (its Monday), or a message for the field.
pub fn week_of(q: &WeekQuery, today: NaiveDate, errors: &mut FormErrors) -> NaiveDate {
    let day = match q.week.trim() {
        "" => today,
        raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap_or_else(|_| {
            errors.add("week", "form.date_invalid");
            today
        }),
    };
    domain::week_start(day)
}
