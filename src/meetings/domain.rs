//! A meeting's rules: its kinds and states, why an issue is on the agenda, who may
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

/// The kind a user's meetings list opens on: the weekly meetings for a leader or anyone at a
/// street or above, whose list a day's huddles in every community would bury; every kind
/// (`all`) for a community's or a grid's staff, who hold and read their own few.
pub fn default_list_kind(user: &CurrentUser) -> &'static str {
    let wide = crate::issues::models::is_wide(&user.org_path);
    if wide || user.role == crate::auth::Role::Leader {
        Kind::Weekly.code()
    } else {
        "all"
    }
}

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
    /// Urged by a leader (领导督办) and still open: first on the agenda.
    Urged,
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

pub const REASONS: [Reason; 8] = [
    Reason::Urged,
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
            Reason::Urged => "urged",
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
/// Whether the chair (by name) is an attendee marked absent or on leave, in `people` (name,
/// attendance code): a warning beside the field and on the meeting's page, not an error (someone
/// may have chaired in their stead, and the record says so when corrected).
pub fn chair_absent<'a>(chair: &str, people: impl IntoIterator<Item = (&'a str, &'a str)>) -> bool {
    let chair = chair.trim();
    !chair.is_empty()
        && people
            .into_iter()
            .any(|(name, att)| name == chair && matches!(att, "absent" | "leave"))
}

pub fn parse_time(raw: &str) -> Option<chrono::NaiveTime> {
    chrono::NaiveTime::parse_from_str(raw.trim(), "%H:%M").ok()
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_absent_chair_is_noticed_by_name() {
        let people = [("李建国", "absent"), ("王敏", "present"), ("周丽", "leave")];
        assert!(chair_absent(" 李建国 ", people));
        assert!(chair_absent("周丽", people));
        assert!(!chair_absent("王敏", people));
        assert!(!chair_absent("来宾", people) && !chair_absent("", people));
    }

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
    fn kinds_parse_and_windows() {
        assert_eq!(Kind::parse("weekly"), Some(Kind::Weekly));
        assert_eq!(Kind::parse("x"), None);
        assert_eq!(Kind::Weekly.first_window(), Duration::days(7));
    }
}
