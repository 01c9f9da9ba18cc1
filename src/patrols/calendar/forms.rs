//! The calendar's query: which month ("YYYY-MM", this month by default).

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::error::{AppError, AppResult};

#[derive(Debug, Deserialize)]
pub struct MonthQuery {
    pub month: Option<String>,
}

/// The first day of the month `raw` names ("YYYY-MM"), this month when it is absent or blank; a
/// malformed month is a bad request (only a hand-edited URL sends one).
pub fn parse_month(raw: Option<&str>, today: NaiveDate) -> AppResult<NaiveDate> {
    let Some(s) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(today.with_day(1).unwrap_or(today));
    };
    let b = s.as_bytes();
    if b.len() != 7 || b[4] != b'-' {
        return Err(AppError::BadRequest);
    }
    let (Ok(y), Ok(m)) = (s[..4].parse::<i32>(), s[5..].parse::<u32>()) else {
        return Err(AppError::BadRequest);
    };
    match NaiveDate::from_ymd_opt(y, m, 1) {
        Some(d) if (2000..=2100).contains(&y) => Ok(d),
        _ => Err(AppError::BadRequest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn months_parse_strictly_and_default_to_this_one() {
        let today = d("2026-11-27");
        assert_eq!(parse_month(None, today).unwrap(), d("2026-11-01"));
        assert_eq!(parse_month(Some(" "), today).unwrap(), d("2026-11-01"));
        assert_eq!(
            parse_month(Some("2027-02"), today).unwrap(),
            d("2027-02-01")
        );
        for bad in ["2026-13", "2026-1", "26-11", "2026/11", "1999-12", "x"] {
            assert!(parse_month(Some(bad), today).is_err(), "{bad}");
        }
    }
}
