//! A meeting's rules: its kinds and states, why an issue is on the agenda, attendance, who may
//! record and what a finalized meeting still allows. Pure code.

use chrono::{Duration, NaiveDate};

use crate::auth::CurrentUser;

/// What kind of meeting (SPEC §5). Codes are stored in `meetings.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 日碰头: the day's new problems, a compact one-page record.
    Huddle,
    /// 周例会: the weekly meeting and its filed sheet (周例会记录表).
    Weekly,
    /// 督查会: a supervision meeting on overdue and reworked problems.
    Supervision,
}

impl serde::Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

pub const KINDS: [Kind; 3] = [Kind::Weekly, Kind::Huddle, Kind::Supervision];

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Huddle => "huddle",
            Kind::Weekly => "weekly",
            Kind::Supervision => "supervision",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        KINDS.into_iter().find(|k| k.code() == code)
    }

    /// How far back "new since the last meeting" looks when there was no earlier meeting of
    /// this kind for the unit.
    pub fn first_window(self) -> Duration {
        match self {
            Kind::Huddle => Duration::days(1),
            Kind::Weekly => Duration::days(7),
            Kind::Supervision => Duration::days(30),
        }
    }
}

/// draft → held → final. Codes are stored in `meetings.state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// 筹备: the agenda is prepared, attendees invited.
    Draft,
    /// 已召开: attendance and decisions are recorded.
    Held,
    /// 纪要定稿: read-only; a change is a correction appended with a reason.
    Final,
}

impl State {
    pub fn code(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Held => "held",
            State::Final => "final",
        }
    }

    pub fn parse(code: &str) -> State {
        match code {
            "held" => State::Held,
            "final" => State::Final,
            _ => State::Draft,
        }
    }

    /// The one state a meeting can move to from this one.
    pub fn next(self) -> Option<State> {
        match self {
            State::Draft => Some(State::Held),
            State::Held => Some(State::Final),
            State::Final => None,
        }
    }
}

/// Why an issue is on the agenda. Stored comma-separated in `meeting_items.reasons`, in this
/// order (the first is the item's group on the sheet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Still open from an earlier meeting of the unit (遗留).
    Carried,
    /// Escalated to this unit (上报至本级).
    Escalated,
    /// Sent back after a failed verification (核查返工).
    Reworked,
    /// Past its deadline (超期).
    Overdue,
    /// Reported since the last meeting of this kind (新增).
    New,
    /// Added by hand from the register.
    Added,
    /// A free topic, not (yet) an issue (临时议题).
    Topic,
}

pub const REASONS: [Reason; 7] = [
    Reason::Carried,
    Reason::Escalated,
    Reason::Reworked,
    Reason::Overdue,
    Reason::New,
    Reason::Added,
    Reason::Topic,
];

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Reason::Carried => "carried",
            Reason::Escalated => "escalated",
            Reason::Reworked => "reworked",
            Reason::Overdue => "overdue",
            Reason::New => "new",
            Reason::Added => "added",
            Reason::Topic => "topic",
        }
    }

    pub fn parse(code: &str) -> Option<Reason> {
        REASONS.into_iter().find(|r| r.code() == code)
    }
}

/// The reasons as stored: known codes, deduplicated, in the canonical order.
pub fn join_reasons(reasons: &[Reason]) -> String {
    REASONS
        .into_iter()
        .filter(|r| reasons.contains(r))
        .map(Reason::code)
        .collect::<Vec<_>>()
        .join(",")
}

pub fn split_reasons(stored: &str) -> Vec<Reason> {
    let found: Vec<Reason> = stored.split(',').filter_map(Reason::parse).collect();
    REASONS.into_iter().filter(|r| found.contains(r)).collect()
}

/// How one person on an attendance list took part. Meetings (`meeting_people.attendance`) and
/// party activities (`party_attendance.attendance`) store the same codes; each offers its own
/// vocabulary of them ([`Attendance::MEETING`]; a party activity has no "expected": a member
/// not expected has no row), and both ask a reason for an absence or a leave the same way
/// ([`Attendance::read`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attendance {
    /// Invited, not marked yet (a meeting's attendee before the meeting).
    Expected,
    Present,
    Absent,
    /// On leave (请假).
    Leave,
}

/// Why a typed attendance row was refused; each feature words it in its own locale keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowError {
    /// A code outside the vocabulary offered.
    Unknown,
    /// Absent or on leave without a reason.
    ReasonMissing,
    /// A reason longer than [`Attendance::REASON_MAX`] characters.
    ReasonTooLong,
}

impl Attendance {
    /// A meeting's vocabulary, in the order its form offers it.
    pub const MEETING: [Attendance; 4] = [
        Attendance::Expected,
        Attendance::Present,
        Attendance::Absent,
        Attendance::Leave,
    ];

    /// The longest reason kept, in characters.
    pub const REASON_MAX: usize = 100;

    pub fn code(self) -> &'static str {
        match self {
            Attendance::Expected => "expected",
            Attendance::Present => "present",
            Attendance::Absent => "absent",
            Attendance::Leave => "leave",
        }
    }

    /// A code of `vocabulary`, or None.
    pub fn parse_in(code: &str, vocabulary: &[Attendance]) -> Option<Attendance> {
        vocabulary.iter().copied().find(|a| a.code() == code)
    }

    /// Absent or on leave: the record (and the filed sheet) wants the reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, Attendance::Absent | Attendance::Leave)
    }

    /// One typed row, trimmed and checked against `vocabulary`: the attendance and the reason,
    /// kept only where one is due (a reason typed beside "present" is dropped).
    pub fn read(
        code: &str,
        reason: &str,
        vocabulary: &[Attendance],
    ) -> Result<(Attendance, String), RowError> {
        let att = Attendance::parse_in(code.trim(), vocabulary).ok_or(RowError::Unknown)?;
        let reason = reason.trim();
        if att.needs_reason() && reason.is_empty() {
            return Err(RowError::ReasonMissing);
        }
        if reason.chars().count() > Attendance::REASON_MAX {
            return Err(RowError::ReasonTooLong);
        }
        let kept = if att.needs_reason() { reason } else { "" };
        Ok((att, kept.to_string()))
    }
}

/// Whether a stored attendance code wants a reason (absent, leave).
pub fn needs_reason(code: &str) -> bool {
    Attendance::parse_in(code, &Attendance::MEETING).is_some_and(Attendance::needs_reason)
}

/// Clerks, leaders and admins in whose scope the unit lies prepare, record and finalize
/// meetings; others in scope read them.
pub fn may_record(user: &CurrentUser, unit_path: &str) -> bool {
    may_call(user) && user.sees(unit_path)
}

/// Clerks, leaders and admins call meetings (for the units in their scope).
pub fn may_call(user: &CurrentUser) -> bool {
    user.role.is_office_staff()
}

/// Units that hold meetings: streets, communities and villages (a grid reports at its
/// community's meetings).
pub fn holds_meetings(kind: &str) -> bool {
    matches!(kind, "street" | "community" | "village")
}

/// The Monday of `day`'s week (weeks run Monday to Sunday).
pub fn week_start(day: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    day - Duration::days(day.weekday().num_days_from_monday() as i64)
}

/// A local "HH:MM" time, or None.
pub fn parse_time(raw: &str) -> Option<chrono::NaiveTime> {
    chrono::NaiveTime::parse_from_str(raw.trim(), "%H:%M").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_round_trip_in_canonical_order() {
        let stored = join_reasons(&[Reason::New, Reason::Carried, Reason::New]);
        assert_eq!(stored, "carried,new");
        assert_eq!(
            split_reasons("new,bogus,carried"),
            vec![Reason::Carried, Reason::New]
        );
        assert_eq!(split_reasons(""), Vec::<Reason>::new());
    }

    #[test]
    fn states_move_forward_only() {
        assert_eq!(State::Draft.next(), Some(State::Held));
        assert_eq!(State::Held.next(), Some(State::Final));
        assert_eq!(State::Final.next(), None);
        assert_eq!(State::parse("final"), State::Final);
        assert_eq!(State::parse("anything"), State::Draft);
    }

    #[test]
    fn weeks_start_on_monday() {
        let thu = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(
            week_start(thu),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
        let mon = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(week_start(mon), mon);
        let sun = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(week_start(sun), mon);
    }

    #[test]
    fn absence_needs_a_reason() {
        assert!(needs_reason("absent"));
        assert!(needs_reason("leave"));
        assert!(!needs_reason("present"));
        assert!(!needs_reason("expected"));
        assert!(!needs_reason("bogus"));
    }

    #[test]
    fn a_typed_row_is_read_against_its_vocabulary() {
        use Attendance::*;
        let m = &Attendance::MEETING;
        assert_eq!(
            Attendance::read(" leave ", " 病假 ", m),
            Ok((Leave, "病假".into()))
        );
        assert_eq!(
            Attendance::read("present", "ignored", m),
            Ok((Present, String::new()))
        );
        assert_eq!(
            Attendance::read("absent", " ", m),
            Err(RowError::ReasonMissing)
        );
        assert_eq!(Attendance::read("none", "", m), Err(RowError::Unknown));
        let long = "因".repeat(101);
        assert_eq!(
            Attendance::read("absent", &long, m),
            Err(RowError::ReasonTooLong)
        );
        // A party activity offers no "expected".
        let party = [Present, Absent, Leave];
        assert_eq!(
            Attendance::read("expected", "", &party),
            Err(RowError::Unknown)
        );
    }

    #[test]
    fn kinds_parse_and_windows() {
        assert_eq!(Kind::parse("weekly"), Some(Kind::Weekly));
        assert_eq!(Kind::parse("x"), None);
        assert_eq!(Kind::Weekly.first_window(), Duration::days(7));
    }
}
