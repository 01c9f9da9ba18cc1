//! The calendar page's query (`?year=`) and the bulk form: one special day per line, `2027-01-01,holiday,元旦` (the kind may also be 休 or
//! 班; the festival is optional). Every bad line gets its own message naming its line number.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::domain::parse_kind;
use super::models::SpecialDay;
use crate::error::{AppError, AppResult};
use crate::web::forms::{FieldError, FormErrors};

/// Lines accepted in one submission: a year's notice has about 40.
pub const MAX_LINES: usize = 500;
pub const FESTIVAL_MAX: usize = 30;
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The page's and the export's query: `?year=2026`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CalendarQuery {
    pub year: String,
}

impl CalendarQuery {
    /// The year asked for, `today`'s when none; a garbled or far-off year is a bad request.
    pub fn year(&self, today: NaiveDate) -> AppResult<i32> {
        parse_year(&self.year).unwrap_or_else(|| Ok(today.year()))
    }
}

/// A year within [`YEARS`]; None when nothing was typed.
pub fn parse_year(raw: &str) -> Option<AppResult<i32>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    Some(
        raw.parse::<i32>()
            .ok()
            .filter(|y| YEARS.contains(y))
            .ok_or(AppError::BadRequest),
    )
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BulkForm {
    pub lines: String,
    /// The year the page showed, to show it again when the form comes back.
    pub year: String,
}

/// Why the bulk form was refused: the field's summary, and one message per bad line.
#[derive(Debug, Default)]
pub struct BulkErrors {
    pub errors: FormErrors,
    pub lines: Vec<FieldError>,
}

fn line_error(line: usize, key: &'static str, more: &[(&'static str, String)]) -> FieldError {
    let mut args = vec![("line", line.to_string())];
    args.extend(more.iter().cloned());
    FieldError { key, args }
}

impl BulkForm {
    /// The days, in the order typed, or every error at once.
    pub fn parse(&self) -> Result<Vec<SpecialDay>, BulkErrors> {
        let mut out: Vec<(usize, SpecialDay)> = Vec::new();
        let mut bad = Vec::new();
        let numbered: Vec<(usize, &str)> = self
            .lines
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim().trim_start_matches('\u{feff}').trim()))
            .filter(|(_, l)| !l.is_empty())
            .collect();
        let mut e = FormErrors::new();
        if numbered.is_empty() {
            e.add("lines", "form.required");
            return Err(BulkErrors {
                errors: e,
                lines: bad,
            });
        }
        if numbered.len() > MAX_LINES {
            e.add_args(
                "lines",
                "calendar.lines_too_many",
                vec![("max", MAX_LINES.to_string())],
            );
            return Err(BulkErrors {
                errors: e,
                lines: bad,
            });
        }
        for (n, line) in numbered {
            let parts: Vec<&str> = line.splitn(3, [',', '，', '\t']).map(str::trim).collect();
            if parts.len() < 2 {
                bad.push(line_error(n, "calendar.line_shape", &[]));
                continue;
            }
            let day = NaiveDate::parse_from_str(parts[0], "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(parts[0], "%Y/%m/%d"));
            let day = match day {
                Ok(d) if YEARS.contains(&d.year()) => Some(d),
                Ok(_) => {
                    bad.push(line_error(
                        n,
                        "calendar.line_year",
                        &[
                            ("min", YEARS.start().to_string()),
                            ("max", YEARS.end().to_string()),
                        ],
                    ));
                    None
                }
                Err(_) => {
                    bad.push(line_error(
                        n,
                        "calendar.line_date",
                        &[("value", parts[0].to_string())],
                    ));
                    None
                }
            };
            let kind = parse_kind(parts[1]);
            if kind.is_none() {
                bad.push(line_error(
                    n,
                    "calendar.line_kind",
                    &[("value", parts[1].to_string())],
                ));
            }
            let festival = parts.get(2).copied().unwrap_or("").to_string();
            if festival.chars().count() > FESTIVAL_MAX {
                bad.push(line_error(
                    n,
                    "calendar.line_festival_long",
                    &[("max", FESTIVAL_MAX.to_string())],
                ));
                continue;
            }
            let (Some(day), Some(kind)) = (day, kind) else {
                continue;
            };
            if let Some((first, _)) = out.iter().find(|(_, r)| r.day == day) {
                bad.push(line_error(
                    n,
                    "calendar.line_repeat",
                    &[
                        ("day", day.format("%Y-%m-%d").to_string()),
                        ("first", first.to_string()),
                    ],
                ));
                continue;
            }
            out.push((
                n,
                SpecialDay {
                    day,
                    kind: kind.to_string(),
                    festival,
                },
            ));
        }
        if bad.is_empty() {
            return Ok(out.into_iter().map(|(_, r)| r).collect());
        }
        e.add_args(
            "lines",
            "calendar.lines_invalid",
            vec![("count", bad.len().to_string())],
        );
        Err(BulkErrors {
            errors: e,
            lines: bad,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(s: &str) -> BulkForm {
        BulkForm {
            lines: s.into(),
            year: String::new(),
        }
    }

    #[test]
    fn lines_in_both_notations() {
        let days = form("2027-01-01,holiday,元旦\n\n2027/02/07，班，春节\r\n2027-02-08\t休\n")
            .parse()
            .unwrap();
        assert_eq!(days.len(), 3);
        assert_eq!(days[0].festival, "元旦");
        assert_eq!(days[1].kind, "workday");
        assert_eq!(days[2].kind, "holiday");
        assert_eq!(days[2].festival, "");
    }

    #[test]
    fn every_bad_line_is_named() {
        let e = form(
            "2027-01-01,holiday,元旦\n2027-13-01,holiday\n2027-01-02,off\njust text\n\
             2027-01-01,workday\n1900-01-01,holiday",
        )
        .parse()
        .unwrap_err();
        let got: Vec<(&str, String)> = e
            .lines
            .iter()
            .map(|f| (f.key, f.args[0].1.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("calendar.line_date", "2".to_string()),
                ("calendar.line_kind", "3".to_string()),
                ("calendar.line_shape", "4".to_string()),
                ("calendar.line_repeat", "5".to_string()),
                ("calendar.line_year", "6".to_string()),
            ]
        );
        assert_eq!(e.errors.get("lines").unwrap().key, "calendar.lines_invalid");
    }

    #[test]
    fn empty_is_required() {
        let e = form(" \n ").parse().unwrap_err();
        assert_eq!(e.errors.get("lines").unwrap().key, "form.required");
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;
    use crate::proptests::{CASES, text};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(CASES))]

        #[test]
        fn calendar_import_lines(
            lines in proptest::collection::vec(
                prop_oneof![
                    3 => text(),
                    3 => ("[0-9]{4}-[0-9]{2}-[0-9]{2}", "[ \\t,，]{0,2}", text(), "[ \\t,，]{0,2}", text())
                        .prop_map(|(d, s1, k, s2, n)| format!("{d}{s1}{k}{s2}{n}")),
                ],
                0..40,
            ),
            newline in prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
            year in text(),
        ) {
            let f = BulkForm { lines: lines.join(newline), year: year.clone() };
            if let Err(e) = f.parse() {
                prop_assert!(!e.errors.is_empty() || !e.lines.is_empty(), "refused with no message");
            }
            match parse_year(&year) {
                None => prop_assert!(year.trim().is_empty()),
                Some(Ok(y)) => prop_assert!(YEARS.contains(&y)),
                Some(Err(e)) => prop_assert!(matches!(e, crate::error::AppError::BadRequest)),
            }
        }
    }
}
