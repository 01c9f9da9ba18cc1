//! The figures page's query (unit and period) and the freeze form, as typed and as read.

use chrono::Datelike;
use serde::Deserialize;

use super::domain::{months_between, parse_month};
use crate::web::forms::FormErrors;

/// The figures page's query string: the unit and the months from … to.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FiguresQuery {
    pub unit: String,
    pub from: String,
    pub to: String,
}

/// A period read from the query: its months, or the default period with messages.
pub struct Period {
    /// "2026-01".
    pub from: String,
    pub to: String,
    /// Every month from `from` to `to`.
    pub months: Vec<String>,
    pub errors: FormErrors,
}

impl FiguresQuery {
    /// The period asked for, at most three years; bad months get a message and the default
    /// period: the twelve months up to this one (eleven finished and the current).
    pub fn period(&self, today: chrono::NaiveDate) -> Period {
        let mut e = FormErrors::new();
        let this_month = today.format("%Y-%m").to_string();
        let jan = today
            .with_day(1)
            .and_then(|d| d.checked_sub_months(chrono::Months::new(11)))
            .unwrap_or(today)
            .format("%Y-%m")
            .to_string();
        let from = month_or(&mut e, "from", &self.from, &jan);
        let to = month_or(&mut e, "to", &self.to, &this_month);
        if e.is_empty() {
            let (a, b) = (parse_month(&from), parse_month(&to));
            if a > b {
                e.add("to", "figures.to_before_from");
            } else if months_between(a.unwrap_or(today), b.unwrap_or(today)).len() > 36 {
                e.add("to", "figures.too_long");
            }
        }
        let (from, to) = if e.is_empty() {
            (from, to)
        } else {
            (jan, this_month)
        };
        Period {
            months: months_between(
                parse_month(&from).unwrap_or(today),
                parse_month(&to).unwrap_or(today),
            ),
            from,
            to,
            errors: e,
        }
    }
}

/// The month typed in `field`, `default` when empty, or a message and `default` when not a month.
fn month_or(e: &mut FormErrors, field: &'static str, raw: &str, default: &str) -> String {
    if raw.trim().is_empty() {
        default.to_string()
    } else if parse_month(raw).is_some() {
        raw.trim().to_string()
    } else {
        e.add(field, "figures.month_invalid");
        default.to_string()
    }
}

/// The freeze button's form: a unit and a past month.
#[derive(Debug, Deserialize)]
pub struct FreezeForm {
    pub unit: String,
    pub month: String,
}

/// A freeze as read: a unit and a finished month, or a month that has not ended (refused with a
/// message: its figures still move).
#[derive(Debug, PartialEq, Eq)]
pub enum Freeze {
    Finished(i32, String),
    Unfinished(i32, String),
}

impl FreezeForm {
    /// The unit id and the month ("2026-10"), finished when before `this_month`; None when
    /// either is not one.
    pub fn parse(&self, this_month: &str) -> Option<Freeze> {
        let month = parse_month(&self.month).map(|d| d.format("%Y-%m").to_string())?;
        let unit = self.unit.trim().parse().ok()?;
        Some(if month.as_str() < this_month {
            Freeze::Finished(unit, month)
        } else {
            Freeze::Unfinished(unit, month)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_bad_or_too_long_period_falls_back_to_the_last_twelve_months_with_a_message() {
        let q = |from: &str, to: &str| FiguresQuery {
            unit: String::new(),
            from: from.into(),
            to: to.into(),
        };
        let p = q("", "").period(day(2026, 11, 27));
        assert_eq!((p.from.as_str(), p.to.as_str()), ("2025-12", "2026-11"));
        assert!(p.errors.is_empty());
        assert_eq!(p.months.len(), 12);
        let p = q("2026-13", "").period(day(2026, 11, 27));
        assert!(p.errors.has("from"));
        assert_eq!(p.from, "2025-12");
        let p = q("2022-01", "2026-01").period(day(2026, 11, 27));
        assert!(p.errors.has("to"));
        let p = q("2026-05", "2026-03").period(day(2026, 11, 27));
        assert!(p.errors.has("to"));
        assert_eq!(p.to, "2026-11");
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;
    use crate::proptests::{CASES, form, today};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(CASES))]

        #[test]
        fn figures_queries(
            q in form::<FiguresQuery>(),
            freeze in form::<FreezeForm>(),
            today in today(),
        ) {
            if let Some(q) = q {
                prop_assert!(q.period(today).months.len() <= 36);
            }
            if let Some(f) = freeze {
                let _ = f.parse(&today.format("%Y-%m").to_string());
            }
        }
    }
}
