//! The 督办 form as typed and as parsed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::web::forms::{FormErrors, optional_date, required};

/// The form as typed: everything comes back on an error.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UrgeForm {
    pub note: String,
    /// The deadline agreed, as a local date (empty: unchanged).
    pub new_deadline: String,
    /// A double click sends one urge (`web::idempotency`).
    pub form_token: String,
}

/// A parsed urge.
#[derive(Debug, Clone)]
pub struct Urge {
    pub note: String,
    pub new_deadline: Option<NaiveDate>,
}

impl UrgeForm {
    /// The note is required; a new deadline, when given, is today or later.
    pub fn parse(&self, today: NaiveDate) -> Result<Urge, FormErrors> {
        let mut e = FormErrors::new();
        let note = required(&mut e, "note", &self.note, 2000);
        let new_deadline = optional_date(&mut e, "new_deadline", &self.new_deadline);
        if new_deadline.is_some_and(|d| d < today) {
            e.add("new_deadline", "urge.deadline_past");
        }
        e.finish(|| Urge { note, new_deadline })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_required_and_the_deadline_not_past() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let form = UrgeForm {
            new_deadline: "2026-12-01".into(),
            ..Default::default()
        };
        let e = form.parse(today).unwrap_err();
        assert!(e.has("note") && e.has("new_deadline"));
        let form = UrgeForm {
            note: "本周内办结".into(),
            new_deadline: "2026-12-09".into(),
            ..Default::default()
        };
        let u = form.parse(today).unwrap();
        assert_eq!(u.new_deadline, NaiveDate::from_ymd_opt(2026, 12, 9));
    }
}
