//! The issue life cycle (SPEC §4; research/mission-anchors.md §d.2, after GB/T 30428 practice):
//! which actions each state allows, who may take them, and the state they lead to. Pure code:
//! handlers ask [`allowed`] what to offer and [`check`] again on the server before any write.

/// Where an issue stands. Codes are stored in `issues.state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// 已上报: waits for a clerk to register (立案) or reject it.
    Reported,
    /// 不予立案.
    Rejected,
    /// 已立案: waits for dispatch (派遣) — or escalation to the level above.
    Registered,
    /// 已派遣: waits for the handler to accept it (or return it).
    Dispatched,
    /// 处置中.
    Handling,
    /// 已回退: the handler says it is not theirs; waits for a new dispatch.
    Returned,
    /// 挂账: cannot be solved for now, approved; the clock is stopped.
    Hung,
    /// 处置完毕: waits for on-site verification by someone other than the handler.
    Handled,
    /// 核查结案.
    Closed,
    /// 作废.
    Cancelled,
}

pub const STATES: [State; 10] = [
    State::Reported,
    State::Registered,
    State::Dispatched,
    State::Handling,
    State::Returned,
    State::Hung,
    State::Handled,
    State::Closed,
    State::Rejected,
    State::Cancelled,
];

impl State {
    pub fn code(self) -> &'static str {
        match self {
            State::Reported => "reported",
            State::Rejected => "rejected",
            State::Registered => "registered",
            State::Dispatched => "dispatched",
            State::Handling => "handling",
            State::Returned => "returned",
            State::Hung => "hung",
            State::Handled => "handled",
            State::Closed => "closed",
            State::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<State> {
        STATES.into_iter().find(|s| s.code() == code)
    }

    /// States whose handling clock runs: these can be overdue.
    pub fn clock_runs(self) -> bool {
        matches!(self, State::Dispatched | State::Handling | State::Returned)
    }

    /// Not ended (closed, rejected or cancelled).
    pub fn is_open(self) -> bool {
        !matches!(self, State::Closed | State::Rejected | State::Cancelled)
    }
}

/// The codes of the states that `keep`, for queries.
fn codes_where(keep: fn(State) -> bool) -> Vec<&'static str> {
    STATES
        .into_iter()
        .filter(|s| keep(*s))
        .map(State::code)
        .collect()
}

/// The codes of the states whose clock runs, for queries.
pub fn clock_states() -> Vec<&'static str> {
    codes_where(State::clock_runs)
}

/// The list filter's state that stands for every open state (the cockpit's 在办 links to it).
pub const OPEN: &str = "open";

/// The codes of the states not ended (closed, rejected, cancelled), for queries.
pub fn open_states() -> Vec<&'static str> {
    codes_where(State::is_open)
}

/// What a user can do to an issue. Codes are posted by the action forms and stored in the
/// timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Register,
    Reject,
    Dispatch,
    Escalate,
    Cancel,
    Accept,
    Return,
    Progress,
    RequestExtension,
    ApproveExtension,
    DenyExtension,
    RequestHang,
    ApproveHang,
    DenyHang,
    Resume,
    Handle,
    Close,
    Rework,
}

pub const ACTIONS: [Action; 18] = [
    Action::Register,
    Action::Reject,
    Action::Dispatch,
    Action::Escalate,
    Action::Cancel,
    Action::Accept,
    Action::Return,
    Action::Progress,
    Action::RequestExtension,
    Action::ApproveExtension,
    Action::DenyExtension,
    Action::RequestHang,
    Action::ApproveHang,
    Action::DenyHang,
    Action::Resume,
    Action::Handle,
    Action::Close,
    Action::Rework,
];

/// Who a user is to one issue; computed by the caller from the user and the issue row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    /// A clerk, leader or admin at the level that coordinates the issue or above it.
    pub coordinator: bool,
    /// The dispatched handler (the user, a clerk of the unit, or — for an outside department or
    /// partner unit — a coordinator recording on its behalf).
    pub handler: bool,
    /// May verify on site: in scope, not a branch secretary, and not the one who handled it.
    pub verifier: bool,
    /// The one who asked for the pending extension or hang (cannot approve their own).
    pub requested_pending: bool,
    /// The coordinating unit has a parent to escalate to.
    pub can_escalate: bool,
}

/// What is pending approval on an issue in handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    None,
    Extension,
    Hang,
}

impl Pending {
    pub fn parse(code: &str) -> Pending {
        match code {
            "extension" => Pending::Extension,
            "hang" => Pending::Hang,
            _ => Pending::None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Pending::None => "",
            Pending::Extension => "extension",
            Pending::Hang => "hang",
        }
    }
}

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::Register => "register",
            Action::Reject => "reject",
            Action::Dispatch => "dispatch",
            Action::Escalate => "escalate",
            Action::Cancel => "cancel",
            Action::Accept => "accept",
            Action::Return => "return",
            Action::Progress => "progress",
            Action::RequestExtension => "request_extension",
            Action::ApproveExtension => "approve_extension",
            Action::DenyExtension => "deny_extension",
            Action::RequestHang => "request_hang",
            Action::ApproveHang => "approve_hang",
            Action::DenyHang => "deny_hang",
            Action::Resume => "resume",
            Action::Handle => "handle",
            Action::Close => "close",
            Action::Rework => "rework",
        }
    }

    pub fn parse(code: &str) -> Option<Action> {
        ACTIONS.into_iter().find(|a| a.code() == code)
    }

    /// Actions that must say why.
    pub fn needs_note(self) -> bool {
        matches!(
            self,
            Action::Reject
                | Action::Escalate
                | Action::Cancel
                | Action::Return
                | Action::Progress
                | Action::RequestExtension
                | Action::DenyExtension
                | Action::RequestHang
                | Action::DenyHang
                | Action::Handle
                | Action::Rework
        )
    }

    /// Actions whose form takes photos (before: none here — the report takes them; after: the
    /// handler's result and progress).
    pub fn takes_photos(self) -> bool {
        matches!(self, Action::Progress | Action::Handle)
    }

    /// The state an action leads to from `from` (the same state for progress notes and
    /// requests). `None` when the action is not possible from `from` with `pending`.
    pub fn target(self, from: State, pending: Pending) -> Option<State> {
        use State::*;
        let handling_free = from == Handling && pending == Pending::None;
        match self {
            Action::Register if from == Reported => Some(Registered),
            Action::Reject if from == Reported => Some(Rejected),
            Action::Dispatch if matches!(from, Registered | Returned) => Some(Dispatched),
            Action::Escalate if matches!(from, Registered | Returned) => Some(Registered),
            Action::Cancel if matches!(from, Reported | Registered | Returned) => Some(Cancelled),
            Action::Accept if from == Dispatched => Some(Handling),
            Action::Return if from == Dispatched || handling_free => Some(Returned),
            Action::Progress if from == Handling => Some(Handling),
            Action::RequestExtension | Action::RequestHang if handling_free => Some(Handling),
            Action::ApproveExtension | Action::DenyExtension
                if from == Handling && pending == Pending::Extension =>
            {
                Some(Handling)
            }
            Action::ApproveHang if from == Handling && pending == Pending::Hang => Some(Hung),
            Action::DenyHang if from == Handling && pending == Pending::Hang => Some(Handling),
            Action::Resume if from == Hung => Some(Handling),
            Action::Handle if handling_free => Some(Handled),
            Action::Close | Action::Rework if from == Handled => Some(if self == Action::Close {
                Closed
            } else {
                Dispatched
            }),
            _ => None,
        }
    }

    /// Whether someone of `standing` may take this action.
    pub fn permitted(self, s: &Standing) -> bool {
        match self {
            Action::Register
            | Action::Reject
            | Action::Dispatch
            | Action::Cancel
            | Action::Resume => s.coordinator,
            Action::Escalate => s.coordinator && s.can_escalate,
            Action::ApproveExtension
            | Action::DenyExtension
            | Action::ApproveHang
            | Action::DenyHang => s.coordinator && !s.requested_pending,
            Action::Accept
            | Action::Return
            | Action::Progress
            | Action::RequestExtension
            | Action::RequestHang
            | Action::Handle => s.handler,
            Action::Close | Action::Rework => s.verifier,
        }
    }
}

/// The actions `standing` may take on an issue in `state` with `pending`, in display order.
pub fn allowed(state: State, pending: Pending, standing: &Standing) -> Vec<Action> {
    ACTIONS
        .into_iter()
        .filter(|a| a.target(state, pending).is_some() && a.permitted(standing))
        .collect()
}

/// Why an action was refused, as a locale key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not possible in the issue's state (someone else acted first, or a forged form).
    WrongState,
    /// The user may not take it.
    NotPermitted,
}

/// Checks an action on the server: the state it leads to, or why not.
pub fn check(
    action: Action,
    state: State,
    pending: Pending,
    standing: &Standing,
) -> Result<State, Refusal> {
    let to = action.target(state, pending).ok_or(Refusal::WrongState)?;
    if !action.permitted(standing) {
        return Err(Refusal::NotPermitted);
    }
    Ok(to)
}

/// Where an issue came from (SPEC §4).
pub const SOURCES: [&str; 8] = [
    "patrol",
    "visit",
    "resident",
    "opinion_box",
    "hotline",
    "inspection",
    "superior",
    "meeting",
];

pub const URGENCIES: [&str; 2] = ["normal", "urgent"];

/// Whom an issue is dispatched to.
pub const TARGET_KINDS: [&str; 3] = ["user", "unit", "party"];

/// The human-readable number: street code, year, a per-street yearly sequence (LSZ-2026-000123).
pub fn number(prefix: &str, year: i32, seq: i32) -> String {
    format!("{prefix}-{year}-{seq:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coordinator() -> Standing {
        Standing {
            coordinator: true,
            can_escalate: true,
            ..Default::default()
        }
    }

    fn handler() -> Standing {
        Standing {
            handler: true,
            ..Default::default()
        }
    }

    #[test]
    fn the_main_path_runs_from_report_to_closure() {
        let c = coordinator();
        let h = handler();
        let v = Standing {
            verifier: true,
            ..Default::default()
        };
        let mut s = State::Reported;
        for (a, who) in [
            (Action::Register, &c),
            (Action::Dispatch, &c),
            (Action::Accept, &h),
            (Action::Progress, &h),
            (Action::Handle, &h),
            (Action::Close, &v),
        ] {
            s = check(a, s, Pending::None, who).unwrap();
        }
        assert_eq!(s, State::Closed);
        assert!(allowed(s, Pending::None, &c).is_empty());
    }

    #[test]
    fn illegal_transitions_are_refused() {
        let c = coordinator();
        assert_eq!(
            check(Action::Close, State::Reported, Pending::None, &c),
            Err(Refusal::WrongState)
        );
        assert_eq!(
            check(Action::Dispatch, State::Closed, Pending::None, &c),
            Err(Refusal::WrongState)
        );
        // A handler cannot register; a coordinator who is not the verifier cannot close.
        assert_eq!(
            check(Action::Register, State::Reported, Pending::None, &handler()),
            Err(Refusal::NotPermitted)
        );
        assert_eq!(
            check(Action::Close, State::Handled, Pending::None, &c),
            Err(Refusal::NotPermitted)
        );
        // While an extension waits for approval the handler cannot mark it handled.
        assert_eq!(
            check(
                Action::Handle,
                State::Handling,
                Pending::Extension,
                &handler()
            ),
            Err(Refusal::WrongState)
        );
    }

    #[test]
    fn rework_sends_a_handled_issue_back_to_dispatched() {
        let v = Standing {
            verifier: true,
            ..Default::default()
        };
        assert_eq!(
            check(Action::Rework, State::Handled, Pending::None, &v),
            Ok(State::Dispatched)
        );
    }

    #[test]
    fn approvals_need_someone_other_than_the_requester() {
        let mut c = coordinator();
        c.handler = true;
        c.requested_pending = true;
        assert_eq!(
            check(Action::ApproveHang, State::Handling, Pending::Hang, &c),
            Err(Refusal::NotPermitted)
        );
        c.requested_pending = false;
        assert_eq!(
            check(Action::ApproveHang, State::Handling, Pending::Hang, &c),
            Ok(State::Hung)
        );
        assert_eq!(
            check(Action::Resume, State::Hung, Pending::None, &c),
            Ok(State::Handling)
        );
    }

    #[test]
    fn escalation_needs_a_level_above() {
        let mut c = coordinator();
        assert!(allowed(State::Registered, Pending::None, &c).contains(&Action::Escalate));
        c.can_escalate = false;
        assert!(!allowed(State::Registered, Pending::None, &c).contains(&Action::Escalate));
    }

    #[test]
    fn codes_round_trip_and_numbers_are_padded() {
        for s in STATES {
            assert_eq!(State::parse(s.code()), Some(s));
        }
        for a in ACTIONS {
            assert_eq!(Action::parse(a.code()), Some(a));
        }
        assert_eq!(number("LSZ", 2026, 123), "LSZ-2026-000123");
    }
}
