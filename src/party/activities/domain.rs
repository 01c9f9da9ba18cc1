//! An activity as parsed, and the rules on it: the kept attendance counts, what an attendance row
//! needs. Pure code.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::party::domain::{ATTENDANCE, needs_reason};

/// The activity, parsed.
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub kind: String,
    pub title: String,
    pub day: NaiveDate,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub host: String,
    pub recorder: String,
    pub content: String,
    pub outcomes: String,
    pub visited: String,
    pub visited_member_id: Option<i32>,
    pub difficulty: String,
    pub given: String,
    pub pairing_id: Option<i32>,
    /// Member id → (attendance, reason), rows left blank omitted.
    pub attendance: BTreeMap<i32, (String, String)>,
    pub grids: Vec<i32>,
    pub issues: Vec<i32>,
}

impl Activity {
    pub fn expected(&self) -> i32 {
        self.attendance.len() as i32
    }

    pub fn present(&self) -> i32 {
        self.attendance
            .values()
            .filter(|(a, _)| a == "present")
            .count() as i32
    }
}

/// What is wrong with an attendance row, if anything: an unknown code, an absence or leave
/// without a reason, a reason too long.
pub fn attendance_error(code: &str, reason: &str) -> Option<&'static str> {
    if !ATTENDANCE.contains(&code) {
        Some("party.activity.bad_attendance")
    } else if needs_reason(code) && reason.is_empty() {
        Some("party.activity.reason_needed")
    } else if reason.chars().count() > 100 {
        Some("party.activity.reason_too_long")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absence_and_leave_need_a_reason() {
        assert_eq!(attendance_error("present", ""), None);
        assert_eq!(
            attendance_error("absent", ""),
            Some("party.activity.reason_needed")
        );
        assert_eq!(attendance_error("leave", "病假"), None);
        assert_eq!(
            attendance_error("late", ""),
            Some("party.activity.bad_attendance")
        );
    }
}
