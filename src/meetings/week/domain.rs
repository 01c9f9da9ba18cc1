//! When a meeting's decision on an issue is overdue: the one rule the leader's week and the
//! cockpit count by. Pure code.

use chrono::NaiveDate;

/// An issue's own deadline while its clock runs: the day (local) and whether the moment passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssueDue {
    pub day: NaiveDate,
    pub passed: bool,
}

/// The issue's latest decision is overdue when the deadline it set has passed, or when the
/// issue's own deadline has: a huddle that decides the issue again and again, each time with a
/// new date, does not make an overdue issue on time. Returns the deadline it is late against
/// (the earlier of the two) and the days since it, or None when it is not late.
pub fn late(
    decided: Option<NaiveDate>,
    issue: Option<IssueDue>,
    today: NaiveDate,
) -> Option<(NaiveDate, i64)> {
    let decision_late = decided.is_some_and(|d| d < today);
    let issue_late = issue.is_some_and(|i| i.passed);
    if !decision_late && !issue_late {
        return None;
    }
    let deadline = match (decided, issue) {
        (Some(d), Some(i)) => d.min(i.day),
        (Some(d), None) => d,
        (None, Some(i)) => i.day,
        (None, None) => return None,
    };
    Some((deadline, (today - deadline).num_days().max(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn a_new_decision_does_not_reset_an_overdue_issue() {
        let today = d(12, 2);
        // Re-decided at today's huddle with a deadline next week; the issue was due on 20 Nov.
        let issue = Some(IssueDue {
            day: d(11, 20),
            passed: true,
        });
        assert_eq!(late(Some(d(12, 9)), issue, today), Some((d(11, 20), 12)));
    }

    #[test]
    fn a_decision_is_late_on_its_own_date_while_the_issue_is_not() {
        let today = d(12, 2);
        let issue = Some(IssueDue {
            day: d(12, 20),
            passed: false,
        });
        assert_eq!(late(Some(d(11, 30)), issue, today), Some((d(11, 30), 2)));
        assert_eq!(late(Some(d(12, 5)), issue, today), None);
        // A suspended issue (no running clock) is judged on the decision alone.
        assert_eq!(late(Some(d(12, 5)), None, today), None);
        assert_eq!(
            late(Some(d(12, 2)), None, today),
            None,
            "due today is not late"
        );
    }
}
