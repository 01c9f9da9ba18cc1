//! An activity as parsed, and the rules on it: the kept attendance counts, what an attendance row
//! needs. Pure code.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::attendance::{Attendance, RowError};

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

/// A member's typed attendance row read against an activity's vocabulary: the code and the reason
/// kept (only where one is due), or the message beside the row.
pub fn read_attendance(code: &str, reason: &str) -> Result<(String, String), &'static str> {
    match Attendance::read(code, reason, &Attendance::ACTIVITY) {
        Ok((att, reason)) => Ok((att.code().to_string(), reason)),
        Err(RowError::Unknown) => Err("party.activity.bad_attendance"),
        Err(RowError::ReasonMissing) => Err("party.activity.reason_needed"),
        Err(RowError::ReasonTooLong) => Err("party.activity.reason_too_long"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absence_and_leave_need_a_reason() {
        assert_eq!(
            read_attendance("present", "ignored"),
            Ok(("present".into(), String::new()))
        );
        assert_eq!(
            read_attendance("absent", " "),
            Err("party.activity.reason_needed")
        );
        assert_eq!(
            read_attendance("leave", " 病假 "),
            Ok(("leave".into(), "病假".into()))
        );
        assert_eq!(
            read_attendance("late", ""),
            Err("party.activity.bad_attendance")
        );
        // "expected" is a meeting's word: a member not expected has no row.
        assert_eq!(
            read_attendance("expected", ""),
            Err("party.activity.bad_attendance")
        );
        assert_eq!(
            read_attendance("absent", &"因".repeat(101)),
            Err("party.activity.reason_too_long")
        );
    }
}
