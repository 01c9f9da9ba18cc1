//! The rules of a rectification notice (整改通知书), pure and unit-tested: its number, its
//! deadline on the work calendar, its computed state, who signs and answers, and when an
//! extension may be asked for and by whom it is decided.

use chrono::{NaiveDate, NaiveTime};

use crate::auth::CurrentUser;
use crate::calendar::domain::{Limit, WorkCalendar, due_day};
use crate::inspections::domain::{depth, may_edit_round};

/// The fewest and most working days a notice gives.
pub const DAYS: std::ops::RangeInclusive<i32> = 1..=60;

/// The most working days one extension adds.
pub const EXT_DAYS: std::ops::RangeInclusive<i32> = 1..=20;

/// The states a notice is in, computed (never stored), in the order the filter offers them:
/// 待签收, 整改中, 逾期, 待复查, 已销号.
pub const STATES: [&str; 5] = ["unsigned", "rectifying", "overdue", "review", "closed"];

/// The notice's number as printed: 〔2026〕督字第7号 (the words come from the locale).
pub fn number_text(pattern: &str, year: i32, number: i32) -> String {
    pattern
        .replace("%{year}", &year.to_string())
        .replace("%{n}", &number.to_string())
}

/// The next number of an office's year: one more than the highest (numbers have no gaps, as
/// they are assigned inside the write transaction and never deleted).
pub fn next_number(highest: Option<i32>) -> i32 {
    highest.unwrap_or(0) + 1
}

/// The last day to rectify: the `days`-th working day after `from` (the issuing day never
/// counts).
pub fn deadline(cal: &WorkCalendar, from: NaiveDate, days: i32) -> NaiveDate {
    let end = cal.deadline(from.and_time(NaiveTime::MIN), Limit::Days(days));
    due_day(end).unwrap_or(from)
}

/// What a notice's findings are at: how many, how many answered, how many closed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub findings: i64,
    pub answered: i64,
    pub closed: i64,
}

/// The computed state: 已销号 when every finding is closed, 待复查 when every one is answered,
/// 逾期 after the deadline, 待签收 until it is signed for, 整改中 otherwise.
pub fn state(signed: bool, p: Progress, deadline: NaiveDate, today: NaiveDate) -> &'static str {
    if p.findings > 0 && p.closed >= p.findings {
        "closed"
    } else if p.findings > 0 && p.answered >= p.findings {
        "review"
    } else if today > deadline {
        "overdue"
    } else if !signed {
        "unsigned"
    } else {
        "rectifying"
    }
}

/// Notices are issued by those who may edit the round (its planning office).
pub fn may_issue(user: &CurrentUser, issuer_path: &str) -> bool {
    may_edit_round(user, issuer_path)
}

/// The responsible unit signs for a notice and answers it: a user at or above the unit and below
/// the issuing office.
pub fn may_respond(user: &CurrentUser, issuer_path: &str, unit_path: &str) -> bool {
    user.sees(unit_path) && depth(&user.org_path) > depth(issuer_path)
}

/// Why an extension may not be asked for now (a locale key), if it may not.
pub fn ask_refused(ext_state: &str, deadline: NaiveDate, today: NaiveDate) -> Option<&'static str> {
    if ext_state == "asked" {
        Some("notices.ext_pending")
    } else if today > deadline {
        Some("notices.ext_after_deadline")
    } else {
        None
    }
}

/// An extension is decided by the issuing office, never by the one who asked for it.
pub fn may_decide(user: &CurrentUser, issuer_path: &str, asked_by: Option<i32>) -> bool {
    may_issue(user, issuer_path) && asked_by != Some(user.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn user(role: Role, path: &str, id: i32) -> CurrentUser {
        CurrentUser {
            id,
            username: "u".into(),
            display_name: "u".into(),
            role,
            org_unit_id: 1,
            org_name: "x".into(),
            org_path: path.into(),
            must_change_password: false,
            session_hash: String::new(),
            ip: String::new(),
        }
    }

    #[test]
    fn the_deadline_counts_working_days_after_the_issuing_day() {
        let cal = WorkCalendar::default();
        // Friday 2026-03-06 + 3 working days: Mon, Tue, Wed.
        assert_eq!(deadline(&cal, d("2026-03-06"), 3), d("2026-03-11"));
        // A holiday on the Tuesday moves it to Thursday.
        let cal = WorkCalendar::new([(d("2026-03-10"), false)]);
        assert_eq!(deadline(&cal, d("2026-03-06"), 3), d("2026-03-12"));
        // A worked Saturday counts.
        let cal = WorkCalendar::new([(d("2026-03-07"), true)]);
        assert_eq!(deadline(&cal, d("2026-03-06"), 1), d("2026-03-07"));
    }

    #[test]
    fn numbers_follow_without_gaps_and_print_in_the_pattern() {
        assert_eq!(next_number(None), 1);
        assert_eq!(next_number(Some(7)), 8);
        assert_eq!(
            number_text("〔%{year}〕督字第%{n}号", 2026, 8),
            "〔2026〕督字第8号"
        );
    }

    #[test]
    fn the_state_is_computed_from_signature_answers_closures_and_the_deadline() {
        let due = d("2026-03-11");
        let p = |answered, closed| Progress {
            findings: 2,
            answered,
            closed,
        };
        assert_eq!(state(false, p(0, 0), due, d("2026-03-10")), "unsigned");
        assert_eq!(state(true, p(1, 0), due, d("2026-03-11")), "rectifying");
        assert_eq!(state(true, p(1, 0), due, d("2026-03-12")), "overdue");
        assert_eq!(state(false, p(0, 0), due, d("2026-03-12")), "overdue");
        assert_eq!(state(true, p(2, 0), due, d("2026-03-12")), "review");
        assert_eq!(state(true, p(2, 2), due, d("2026-03-12")), "closed");
    }

    #[test]
    fn the_unit_responds_the_office_issues_and_someone_else_decides_extensions() {
        let clerk = user(Role::Clerk, "/1/2/", 5);
        let worker = user(Role::GridWorker, "/1/2/3/4/", 6);
        let other = user(Role::GridWorker, "/1/2/3/9/", 7);
        assert!(may_issue(&clerk, "/1/2/"));
        assert!(!may_issue(&worker, "/1/2/"));
        assert!(may_respond(&worker, "/1/2/", "/1/2/3/4/"));
        assert!(!may_respond(&other, "/1/2/", "/1/2/3/4/"));
        assert!(!may_respond(&clerk, "/1/2/", "/1/2/3/4/"));
        assert!(may_decide(&clerk, "/1/2/", Some(6)));
        assert!(!may_decide(&clerk, "/1/2/", Some(5)));
        assert!(!may_decide(&worker, "/1/2/", Some(5)));
    }

    #[test]
    fn an_extension_is_asked_for_only_before_the_deadline_and_once_at_a_time() {
        let due = d("2026-03-11");
        assert_eq!(ask_refused("", due, d("2026-03-11")), None);
        assert_eq!(ask_refused("refused", due, d("2026-03-10")), None);
        assert_eq!(
            ask_refused("", due, d("2026-03-12")),
            Some("notices.ext_after_deadline")
        );
        assert_eq!(
            ask_refused("asked", due, d("2026-03-10")),
            Some("notices.ext_pending")
        );
    }
}
