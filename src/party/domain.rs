//! Party building's rules shared by its sub-features (SPEC §7; mission-anchors §A5): the kinds
//! of branches and activities, the expected rhythm of 三会一课, who may edit a branch and who
//! sees members' personal data, when a branch counts as silent (attendance is `crate::attendance`,
//! shared with meetings). Pure code.

use chrono::{Datelike, NaiveDate};

use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};

/// Kinds of branch under the street's party working committee. Codes in `party_branches.kind`.
pub const BRANCH_KINDS: [&str; 4] = ["community", "village", "enterprise", "agency"];

/// Activity kinds (codes in `party_activities.kind`), 三会一课 first.
pub const ACTIVITY_KINDS: [&str; 9] = [
    "general_meeting",
    "committee",
    "group_meeting",
    "lecture",
    "themed_day",
    "study",
    "volunteer",
    "visit",
    "pairing",
];

/// 三会一课: how often each is due — branch general meeting (党员大会) and party lecture (党课)
/// once a quarter, branch committee (支委会) and group meeting (党小组会) once a month.
pub fn rhythm_months(kind: &str) -> Option<u32> {
    match kind {
        "general_meeting" | "lecture" => Some(3),
        "committee" | "group_meeting" => Some(1),
        _ => None,
    }
}

/// The 三会一课 kinds.
pub fn three_one() -> Vec<&'static str> {
    ACTIVITY_KINDS
        .into_iter()
        .filter(|k| rhythm_months(k).is_some())
        .collect()
}

/// A month as a number (year × 12 + month0), so months and quarters are counted by division.
fn month_index(d: NaiveDate) -> i32 {
    d.year() * 12 + d.month0() as i32
}

/// The first day of a month given by [`month_index`].
fn first_of(index: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or(NaiveDate::MAX)
}

/// How many times `kind` was due in the months `from..=to` (whole months or quarters begun):
/// monthly kinds once per month, quarterly ones once per quarter touched.
pub fn due_count(kind: &str, from: NaiveDate, to: NaiveDate) -> u32 {
    let Some(every) = rhythm_months(kind) else {
        return 0;
    };
    if to < from {
        return 0;
    }
    let p = |d: NaiveDate| month_index(d).div_euclid(every as i32);
    (p(to) - p(from) + 1) as u32
}

/// The periods of a 三会一课 kind's rhythm (months or quarters) that `from..=to` touches, as they
/// stand on `today`: only those over are due (a month or a quarter is over once the next one has
/// begun, so the last day of a month still belongs to it); today's, if it lies among them, is
/// under way and never due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Periods {
    /// The complete periods: how many times the kind was due.
    pub due: u32,
    /// The last day of the last complete period: what was held up to it counts against `due`.
    pub complete_until: Option<NaiveDate>,
    /// The first day (not before `from`) of the period under way, when it lies in `from..=to`.
    pub current_from: Option<NaiveDate>,
}

/// The complete periods of `kind` in `from..=to` on `today`, and the one under way ([`Periods`]).
pub fn periods(kind: &str, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Periods {
    let Some(every) = rhythm_months(kind) else {
        return Periods::default();
    };
    if to < from {
        return Periods::default();
    }
    let every = every as i32;
    let p = |d: NaiveDate| month_index(d).div_euclid(every);
    let (first, last, now) = (p(from), p(to), p(today));
    let last_complete = last.min(now - 1);
    let (due, complete_until) = if last_complete >= first {
        let next = first_of((last_complete + 1) * every);
        ((last_complete - first + 1) as u32, next.pred_opt())
    } else {
        (0, None)
    };
    Periods {
        due,
        complete_until,
        current_from: (first..=last)
            .contains(&now)
            .then(|| first_of(now * every).max(from)),
    }
}

/// Difficulty levels of a member or a visited person (after `Sympathy.java`: 0/1/2).
pub const DIFFICULTY: [&str; 3] = ["", "difficult", "very_difficult"];

/// Joined before the founding of the People's Republic (新中国成立前老党员).
pub fn is_veteran(joined_on: NaiveDate) -> bool {
    joined_on < NaiveDate::from_ymd_opt(1949, 10, 1).unwrap_or(NaiveDate::MIN)
}

/// Clerks, leaders and admins in scope keep every branch's record; a branch secretary keeps their
/// own branch (`secretary_user_id`).
pub fn may_edit(user: &CurrentUser, scope_path: &str, secretary_user_id: Option<i32>) -> bool {
    match user.role {
        Role::Clerk | Role::Leader | Role::Admin => user.sees(scope_path),
        Role::BranchSecretary => secretary_user_id == Some(user.id),
        Role::GridWorker => false,
    }
}

/// 403 unless the user keeps the branch's record ([`may_edit`]).
pub fn require_edit(
    user: &CurrentUser,
    scope_path: &str,
    secretary_user_id: Option<i32>,
) -> AppResult<()> {
    if may_edit(user, scope_path, secretary_user_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Members' phone numbers and addresses: those who keep the branch's record and the staff who
/// follow up; everyone else sees them masked.
pub fn sees_personal(user: &CurrentUser, scope_path: &str, secretary_user_id: Option<i32>) -> bool {
    may_edit(user, scope_path, secretary_user_id)
}

/// Days without an activity after which a branch counts as silent.
pub const SILENT_DAYS: i64 = 30;

/// Silent: no activity recorded for more than `days` days before `today` (or never).
pub fn silent(last: Option<NaiveDate>, today: NaiveDate, days: i64) -> bool {
    match last {
        Some(d) => (today - d).num_days() > days,
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn three_meetings_one_lesson_are_due_by_month_and_quarter() {
        assert_eq!(due_count("committee", d(2026, 1, 1), d(2026, 12, 31)), 12);
        assert_eq!(
            due_count("general_meeting", d(2026, 1, 1), d(2026, 12, 31)),
            4
        );
        assert_eq!(due_count("lecture", d(2026, 2, 10), d(2026, 4, 2)), 2);
        assert_eq!(due_count("group_meeting", d(2025, 12, 5), d(2026, 1, 3)), 2);
        assert_eq!(due_count("volunteer", d(2026, 1, 1), d(2026, 12, 31)), 0);
        assert_eq!(three_one().len(), 4);
    }

    #[test]
    fn only_periods_over_by_today_are_due() {
        let year = (d(2026, 1, 1), d(2026, 12, 31));
        let on = |kind: &str, today: NaiveDate| periods(kind, year.0, year.1, today);
        // Mid-November: January to October are due, November is under way.
        let p = on("committee", d(2026, 11, 15));
        assert_eq!(p.due, 10);
        assert_eq!(p.complete_until, Some(d(2026, 10, 31)));
        assert_eq!(p.current_from, Some(d(2026, 11, 1)));
        // The quarter under way is never due: Q1 to Q3.
        let q = on("general_meeting", d(2026, 11, 15));
        assert_eq!((q.due, q.complete_until), (3, Some(d(2026, 9, 30))));
        assert_eq!(q.current_from, Some(d(2026, 10, 1)));
        // The last day of a month still belongs to it; the next day it is over.
        assert_eq!(on("committee", d(2026, 3, 31)).due, 2);
        assert_eq!(on("lecture", d(2026, 3, 31)).due, 0);
        assert_eq!(on("committee", d(2026, 4, 1)).due, 3);
        assert_eq!(on("lecture", d(2026, 4, 1)).due, 1);
        // January: nothing over yet, the first month and quarter under way.
        let jan = on("group_meeting", d(2026, 1, 20));
        assert_eq!((jan.due, jan.complete_until), (0, None));
        assert_eq!(jan.current_from, Some(d(2026, 1, 1)));
        assert_eq!(
            on("lecture", d(2026, 1, 20)).current_from,
            Some(d(2026, 1, 1))
        );
        // A year gone by: every period over, none under way; a year to come: nothing.
        let past = on("committee", d(2027, 2, 1));
        assert_eq!((past.due, past.current_from), (12, None));
        assert_eq!(past.complete_until, Some(d(2026, 12, 31)));
        assert_eq!(on("committee", d(2025, 6, 1)), Periods::default());
        // Records begun mid-quarter: the quarter under way starts with them.
        let late = periods("lecture", d(2026, 11, 20), year.1, d(2026, 12, 2));
        assert_eq!((late.due, late.current_from), (0, Some(d(2026, 11, 20))));
        assert_eq!(on("volunteer", d(2026, 11, 15)), Periods::default());
    }

    #[test]
    fn veterans_joined_before_october_1949() {
        assert!(is_veteran(d(1948, 5, 1)));
        assert!(!is_veteran(d(1949, 10, 1)));
    }

    #[test]
    fn silence_is_counted_in_days() {
        let today = d(2026, 11, 27);
        assert!(silent(None, today, 30));
        assert!(silent(Some(d(2026, 10, 27)), today, 30));
        assert!(!silent(Some(d(2026, 10, 28)), today, 30));
    }
}
