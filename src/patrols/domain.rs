//! Who may do what with a patrol log, and how a log is summed up for a stale-edit comparison
//! and for the record of a correction.

use chrono::NaiveDate;

use super::models::Patrol;
use crate::auth::CurrentUser;

/// What a user may do to a saved log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The worker, within the edit window: a plain edit.
    Edit,
    /// Past the window (or someone else with the standing to fix it): a correction, appended
    /// with a reason beside the original values.
    Correct,
}

/// `edit_days`: days after its date the log stays freely editable (0: the same day).
pub fn change_allowed(
    user: &CurrentUser,
    p: &Patrol,
    today: NaiveDate,
    edit_days: i64,
) -> Option<Change> {
    let own = user.id == p.worker_id;
    if own && (today - p.day).num_days() <= edit_days {
        Some(Change::Edit)
    } else if own || user.role.is_office_staff() {
        Some(Change::Correct)
    } else {
        None
    }
}

/// Residents' names and phone numbers are shown to the worker who recorded them and to the
/// staff who follow up (clerks, leaders, admins); others (branch secretaries, other workers of
/// the grid) see them masked.
pub fn sees_residents(user: &CurrentUser, p: &Patrol) -> bool {
    user.id == p.worker_id || user.role.is_office_staff()
}

/// 王秀英 → 王**.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => {
            let rest = chars.count();
            format!("{first}{}", "*".repeat(rest))
        }
        None => String::new(),
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
    fn names_are_masked() {
        assert_eq!(mask_name("王秀英"), "王**");
        assert_eq!(mask_name(""), "");
    }

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
