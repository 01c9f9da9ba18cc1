//! A checked log (what the form parses into and the write stores), and how a log is summed up
//! for a stale-edit comparison and for the record of a correction.

use chrono::NaiveDate;
use serde::Serialize;

use crate::web::privacy::mask_name;

#[derive(Debug, Clone, Serialize)]
pub struct SiteCheck {
    pub site_id: i32,
    pub finding: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Visit {
    pub address: String,
    pub householder: String,
    pub phone: String,
    pub learned: String,
    pub needs: String,
}

impl Visit {
    /// The household a visit counts for: the address with its spaces removed, so "3号楼 2单元"
    /// and "3号楼2单元" are one household.
    pub fn household(&self) -> String {
        self.address.split_whitespace().collect()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// Its row on the form (for its photos).
    pub row: usize,
    pub title: String,
    pub category_id: i32,
    pub address: String,
    pub description: String,
    pub urgency: String,
}

/// A checked log.
#[derive(Debug, Clone, Serialize)]
pub struct Log {
    pub grid_id: i32,
    pub day: NaiveDate,
    pub started_at: String,
    pub ended_at: String,
    pub route: String,
    pub notes: String,
    pub sites: Vec<SiteCheck>,
    pub visits: Vec<Visit>,
    pub problems: Vec<Problem>,
    pub reason: String,
}

impl Log {
    /// What the audit log keeps of a log: everything but residents' phone numbers.
    pub fn audit_view(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let Some(visits) = v.get_mut("visits").and_then(|x| x.as_array_mut()) {
            for visit in visits {
                if let Some(p) = visit.get_mut("phone") {
                    *p = serde_json::Value::String(crate::web::privacy::mask_phone(
                        p.as_str().unwrap_or_default(),
                    ));
                }
            }
        }
        v
    }
}

/// A log as the lines a person compares: times, route, notes, site checks, visits. Built the
/// same way from what is saved and from what was typed, so a stale edit shows both and a
/// correction records before and after.
pub struct Summary {
    pub time: String,
    pub route: String,
    pub notes: String,
    pub sites: String,
    pub visits: String,
}

impl Summary {
    /// `sites`: (name, finding label, note); `visits`: (address, householder).
    pub fn new(
        started_at: &str,
        ended_at: &str,
        route: &str,
        notes: &str,
        sites: &[(String, String, String)],
        visits: &[(String, String)],
    ) -> Summary {
        let time = if started_at.is_empty() && ended_at.is_empty() {
            String::new()
        } else {
            format!("{started_at}–{ended_at}")
        };
        let sites = sites
            .iter()
            .map(|(name, finding, note)| {
                if note.is_empty() {
                    format!("{name}: {finding}")
                } else {
                    format!("{name}: {finding} ({note})")
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        let visits = visits
            .iter()
            .map(|(address, who)| {
                if who.is_empty() {
                    address.clone()
                } else {
                    format!("{address} ({})", mask_name(who))
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        Summary {
            time,
            route: route.into(),
            notes: notes.into(),
            sites,
            visits,
        }
    }

    /// (label key, value) pairs in form order.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("patrols.time", self.time.clone()),
            ("patrols.route", self.route.clone()),
            ("patrols.notes", self.notes.clone()),
            ("patrols.sites", self.sites.clone()),
            ("patrols.visits", self.visits.clone()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_compare_field_by_field() {
        let a = Summary::new(
            "08:00",
            "10:00",
            "r",
            "",
            &[],
            &[("1号".into(), "张三".into())],
        );
        let b = Summary::new(
            "08:00",
            "11:00",
            "r",
            "",
            &[],
            &[("1号".into(), "张三".into())],
        );
        let rows = crate::web::forms::conflicts(&a.fields(), &b.fields());
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].label, "patrols.time");
        assert_eq!(a.visits, "1号 (张*)");
    }
}
