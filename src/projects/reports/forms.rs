//! The monthly report form, as typed and as parsed.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::projects::domain;
use crate::web::forms::{FormErrors, optional};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportForm {
    /// 2026-11
    pub month: String,
    pub done: String,
    pub progress: String,
    pub problems: String,
    pub reason: String,
    pub form_token: String,
}

/// A report as parsed: the month, the amount, the texts.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub year: i32,
    pub month: i32,
    pub done_cents: i64,
    pub progress: String,
    pub problems: String,
    pub reason: String,
}

impl ReportForm {
    /// A month not after this one; the month's investment in 万元.
    pub fn parse(&self, today: NaiveDate) -> Result<Parsed, FormErrors> {
        let mut e = FormErrors::new();
        let month =
            NaiveDate::parse_from_str(&format!("{}-01", self.month.trim()), "%Y-%m-%d").ok();
        match month {
            None => e.add("month", "projects.bad_month"),
            Some(m) if (m.year(), m.month()) > (today.year(), today.month()) => {
                e.add("month", "projects.month_future")
            }
            _ => {}
        }
        let done_cents = if self.done.trim().is_empty() {
            e.add("done", "form.required");
            0
        } else {
            domain::parse_wan(&self.done).unwrap_or_else(|| {
                e.add("done", "projects.bad_amount");
                0
            })
        };
        let progress = optional(&mut e, "progress", &self.progress, 1000);
        let problems = optional(&mut e, "problems", &self.problems, 1000);
        let reason = optional(&mut e, "reason", &self.reason, 500);
        let m = month.unwrap_or(today);
        e.finish(|| Parsed {
            year: m.year(),
            month: m.month() as i32,
            done_cents,
            progress,
            problems,
            reason,
        })
    }
}
