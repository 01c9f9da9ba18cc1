//! The patrol list's query as typed (kept in the filter boxes) and the filter it reads as.

use serde::{Deserialize, Serialize};

use super::models::Filter;
use crate::web::forms::FormErrors;
use crate::web::list::{self, ListParams};

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
    /// "problems": logs that reported problems; "quick": one-click "nothing to report" logs;
    /// "corrected".
    pub kind: String,
    pub page: Option<String>,
}

impl ListParams for ListQuery {
    fn filters(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("unit", &self.unit),
            ("worker", &self.worker),
            ("from", &self.from),
            ("to", &self.to),
            ("kind", &self.kind),
        ]
    }

    fn page(&self) -> Option<&str> {
        self.page.as_deref()
    }
}

impl ListQuery {
    /// The filter, with `unit_path` already resolved in the user's scope
    /// (`org::models::unit_filter`); a bad date is a message beside its field and leaves that
    /// end of the period open (`web::list::period`).
    pub fn filter(&self, unit_path: Option<String>) -> (Filter, FormErrors) {
        let mut errors = FormErrors::new();
        let period = list::period(&mut errors, &self.from, &self.to);
        let f = Filter {
            unit_path,
            worker_id: self.worker.trim().parse().ok(),
            from: period.from,
            to: period.to,
            kind: self.kind.trim().to_string(),
        };
        (f, errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_impossible_date_is_a_message_and_no_bound() {
        let q = ListQuery {
            from: "2026-02-30".into(),
            to: "2026-03-31".into(),
            kind: " quick ".into(),
            ..Default::default()
        };
        let (f, e) = q.filter(None);
        assert_eq!(e.get("from").unwrap().key, "form.date_invalid");
        assert_eq!(f.from, None);
        assert_eq!(f.to.map(|d| d.to_string()).as_deref(), Some("2026-03-31"));
        assert_eq!(f.kind, "quick");
        assert_eq!(q.base(), "from=2026-02-30&to=2026-03-31&kind=quick");
    }
}
