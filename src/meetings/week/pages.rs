//! The leader's week as a page (on screen and on A4).

use chrono::NaiveDate;

use super::forms::WeekQuery;
use super::models::{OverdueDecision, UnitWeek};
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};

/// The leader's week (本周例会).
#[derive(askama::Template)]
#[template(path = "meetings/week/show.html")]
pub struct WeekPage {
    pub ctx: Ctx,
    pub q: WeekQuery,
    pub errors: FormErrors,
    pub units: Vec<Choice>,
    pub monday: NaiveDate,
    pub sunday: NaiveDate,
    pub prev: String,
    pub next: String,
    pub rows: Vec<UnitWeek>,
    pub overdue: Vec<OverdueDecision>,
    /// All the overdue decisions (`overdue` may be cut).
    pub overdue_total: usize,
    pub export_query: String,
}

impl WeekPage {
    pub fn held_count(&self) -> usize {
        self.rows.iter().filter(|r| r.held()).count()
    }
}
