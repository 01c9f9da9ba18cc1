//! The patrol list's query as typed (kept in the filter boxes) and the kinds it filters by.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The kinds of log the list filters by.
pub const KINDS: [&str; 3] = ["problems", "quick", "corrected"];

/// The list's query as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub unit: String,
    pub worker: String,
    pub from: String,
    pub to: String,
    /// "problems": logs that reported problems; "quick": one-click "nothing to report" logs.
    pub kind: String,
    pub page: Option<String>,
}

impl ListQuery {
    /// The query string without the page (for the pager and the export link).
    pub fn base(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("unit", &self.unit),
            ("worker", &self.worker),
            ("from", &self.from),
            ("to", &self.to),
            ("kind", &self.kind),
        ] {
            if !v.trim().is_empty() {
                parts.push(format!("{k}={}", crate::web::urlencode(v.trim())));
            }
        }
        parts.join("&")
    }

    /// A date as typed, or none (blank or not a date: the filter is left out).
    pub fn day(raw: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
    }
}
