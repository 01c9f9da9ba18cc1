use askama::Template;
use askama_web::WebTemplate;

use chrono::Datelike;

use super::domain::festival_key;
use super::forms::BulkForm;
use super::models::SpecialDay;
use crate::web::ctx::Ctx;
use crate::web::forms::{FieldError, FormErrors};
use crate::web::list::Column;

/// One special day as the page shows it (festival already in the reader's language).
pub struct DayRow {
    /// `2026-10-01`, also the delete action's path segment.
    pub day: String,
    /// `calendar.weekday.N`, Monday = 1.
    pub weekday_key: String,
    /// `calendar.kind.holiday` or `calendar.kind.workday`.
    pub kind_key: String,
    pub is_workday: bool,
    pub festival: String,
}

impl DayRow {
    pub fn new(ctx: &Ctx, r: &SpecialDay) -> DayRow {
        DayRow {
            day: r.day.format("%Y-%m-%d").to_string(),
            weekday_key: format!("calendar.weekday.{}", r.day.weekday().number_from_monday()),
            kind_key: format!("calendar.kind.{}", r.kind),
            is_workday: r.is_workday(),
            // A seeded festival's name is translated; one typed by an admin is shown as typed.
            festival: festival_key(&r.festival).map_or_else(|| r.festival.clone(), |k| ctx.t(k)),
        }
    }
}

/// The export's columns: the page's table.
pub const EXPORT_COLUMNS: &[Column<DayRow>] = &[
    Column {
        header: "calendar.day",
        cell: |_, d| d.day.clone(),
    },
    Column {
        header: "calendar.weekday",
        cell: |ctx, d| ctx.t(&d.weekday_key),
    },
    Column {
        header: "calendar.kind",
        cell: |ctx, d| ctx.t(&d.kind_key),
    },
    Column {
        header: "calendar.festival",
        cell: |_, d| d.festival.clone(),
    },
];

#[derive(Template, WebTemplate)]
#[template(path = "calendar/list.html")]
pub struct CalendarPage {
    pub ctx: Ctx,
    pub year: i32,
    pub rows: Vec<DayRow>,
    /// Working days per month, January first.
    pub months: Vec<(u32, u32)>,
    pub total: u32,
    pub form: BulkForm,
    pub errors: FormErrors,
    /// One message per bad line of the bulk form.
    pub line_errors: Vec<FieldError>,
}
