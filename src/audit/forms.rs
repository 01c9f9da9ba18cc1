//! The audit list's query string: filters by actor, entity, action and date range.

use serde::Deserialize;

use super::models::AuditFilter;
use crate::web::forms::FormErrors;
use crate::web::pagination::query_string;

/// `/audit?actor=&entity=&action=&from=&to=&page=`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    pub actor: String,
    pub entity: String,
    pub action: String,
    pub from: String,
    pub to: String,
    pub page: Option<String>,
}

impl AuditQuery {
    /// The filters, with a message for each date that does not read (the list then ignores it).
    pub fn parse(&self, tz: chrono_tz::Tz) -> (AuditFilter, FormErrors) {
        let mut errors = FormErrors::new();
        let mut date = |field: &'static str, raw: &str| {
            crate::web::forms::optional_date(&mut errors, field, raw)
        };
        let (from, to) = (date("from", &self.from), date("to", &self.to));
        let (from, to) = AuditFilter::from_dates(from, to, tz);
        let f = AuditFilter {
            actor: self.actor.trim().to_lowercase(),
            entity: self.entity.trim().to_string(),
            action: self.action.trim().to_string(),
            from,
            to,
        };
        (f, errors)
    }

    /// The filters as a query string, for the pager's links.
    pub fn query_string(&self) -> String {
        query_string(&[
            ("actor", &self.actor),
            ("entity", &self.entity),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_trimmed_and_a_bad_date_is_a_message() {
        let q = AuditQuery {
            actor: " Wang ".into(),
            from: "2026-13-01".into(),
            to: "2026-03-01".into(),
            ..Default::default()
        };
        let (f, errors) = q.parse(chrono_tz::Asia::Shanghai);
        assert_eq!(f.actor, "wang");
        assert!(f.from.is_none());
        // The end of 1 March in Shanghai is 15:59:59 UTC.
        assert_eq!(
            f.to.map(|t| t.to_string()),
            Some("2026-03-01 15:59:59".to_string())
        );
        assert!(errors.get("from").is_some());
        assert!(errors.get("to").is_none());
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;
    use crate::proptests::{CASES, form};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(CASES))]

        #[test]
        fn audit_queries(q in form::<AuditQuery>()) {
            if let Some(q) = q {
                let _ = q.parse(chrono_tz::Asia::Shanghai);
            }
        }
    }
}
