//! Who may send a 督办 and on which issues: office staff (leaders, and clerks on a leader's
//! behalf; admins) on an issue in their scope that is still open. Grid workers and branch
//! secretaries handle or record; they do not chase.

use crate::auth::Role;
use crate::issues::domain::State;

/// The role may urge at all (the page offers the form; the POST answers 403 otherwise).
pub fn may_urge(role: Role) -> bool {
    role.is_office_staff()
}

/// The issue can still be urged: not closed, rejected or cancelled.
pub fn urgeable(state: State) -> bool {
    state.is_open()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaders_and_clerks_urge_open_issues_only() {
        assert!(may_urge(Role::Leader));
        assert!(may_urge(Role::Clerk));
        assert!(!may_urge(Role::GridWorker));
        assert!(!may_urge(Role::BranchSecretary));
        assert!(urgeable(State::Handling));
        assert!(urgeable(State::Reported));
        assert!(!urgeable(State::Closed));
        assert!(!urgeable(State::Cancelled));
    }
}
