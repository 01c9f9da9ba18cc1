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

/// How many times `kind` was due in the months `from..=to` (whole months or quarters begun):
/// monthly kinds once per month, quarterly ones once per quarter touched.
pub fn due_count(kind: &str, from: NaiveDate, to: NaiveDate) -> u32 {
    let Some(every) = rhythm_months(kind) else {
        return 0;
    };
    if to < from {
        return 0;
    }
    let index = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    let (a, b) = (index(from), index(to));
    if every == 1 {
        (b - a + 1) as u32
    } else {
        let q = |i: i32| i.div_euclid(3);
        (q(b) - q(a) + 1) as u32
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
