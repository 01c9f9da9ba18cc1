//! The agenda's pure rules: what a drafted line is, which issues are over, and the order and
//! cap of a drafted agenda.

use chrono::NaiveDateTime;

use crate::issues::domain::State as IssueState;
use crate::meetings::domain::{REASONS, Reason};

/// More than this many drafted lines is no agenda; the oldest of each group are kept and the
/// page says how many were left for the issue list.
pub const MAX_DRAFTED: usize = 80;

/// One drafted line before it is numbered.
#[derive(Debug, Clone)]
pub struct Line {
    pub issue_id: i32,
    pub title: String,
    pub grid_id: i32,
    pub reported_at: NaiveDateTime,
    pub reasons: Vec<Reason>,
}

/// Issue states that are over: not on any agenda.
pub fn ended() -> Vec<&'static str> {
    [
        IssueState::Closed,
        IssueState::Rejected,
        IssueState::Cancelled,
    ]
    .into_iter()
    .map(IssueState::code)
    .collect()
}

/// The drafted lines in agenda order — by reason group (urged, carried, escalated, reworked, overdue,
/// new), then oldest first — capped at [`MAX_DRAFTED`]; and how many the cap left out.
pub fn order(mut lines: Vec<Line>) -> (Vec<Line>, usize) {
    lines.sort_by_key(|l| (group(&l.reasons), l.reported_at, l.issue_id));
    let left = lines.len().saturating_sub(MAX_DRAFTED);
    lines.truncate(MAX_DRAFTED);
    (lines, left)
}

fn group(reasons: &[Reason]) -> usize {
    reasons
        .first()
        .and_then(|r| REASONS.iter().position(|x| x == r))
        .unwrap_or(REASONS.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: i32, reasons: Vec<Reason>, minute: u32) -> Line {
        Line {
            issue_id: id,
            title: String::new(),
            grid_id: 1,
            reported_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 2)
                .unwrap()
                .and_hms_opt(8, minute, 0)
                .unwrap(),
            reasons,
        }
    }

    #[test]
    fn lines_go_by_reason_group_then_age_and_are_capped() {
        let lines = vec![
            line(1, vec![Reason::New], 1),
            line(2, vec![Reason::Carried, Reason::Overdue], 5),
            line(3, vec![Reason::Carried], 2),
        ];
        let (ordered, left) = order(lines);
        assert_eq!(
            ordered.iter().map(|l| l.issue_id).collect::<Vec<_>>(),
            [3, 2, 1]
        );
        assert_eq!(left, 0);
        let many = (0..MAX_DRAFTED as i32 + 3)
            .map(|i| line(i, vec![Reason::New], 0))
            .collect();
        assert_eq!(order(many).1, 3);
    }
}
