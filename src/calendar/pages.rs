use askama::Template;
use askama_web::WebTemplate;

use super::forms::BulkForm;
use crate::web::ctx::Ctx;
use crate::web::forms::{FieldError, FormErrors};

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
