//! The opinion box's rules: its channels and states, who enters and answers opinions, who keeps
//! the record and so reads the resident's contact in full (masking is `web::privacy`'s), the
//! issue title an opinion proposes. Pure code.

use crate::auth::{CurrentUser, Role};

/// How an opinion reached the branch (codes in `party_opinions.channel`).
pub const CHANNELS: [&str; 5] = ["box", "visit", "phone", "meeting", "online"];

/// An opinion's states: open, answered, turned into an issue.
pub const STATES: [&str; 3] = ["open", "answered", "issue"];

/// Clerks, leaders and admins enter and answer opinions of units in their scope; a branch
/// secretary those of their own unit.
pub fn may_enter(user: &CurrentUser, scope_path: &str) -> bool {
    match user.role {
        Role::Clerk | Role::Leader | Role::Admin => user.sees(scope_path),
        Role::BranchSecretary => scope_path == user.org_path,
        Role::GridWorker => false,
    }
}

/// Who keeps an opinion's record, and so reads the resident's contact in full — on the
/// opinion's own page only, each view audited (`view_contact`): the admins and clerks over its
/// unit (the street's or the community's, who enter, answer and call back) and the branch
/// secretary of the unit itself. Leaders read the box to oversee it and see the contact masked,
/// like everyone else; lists and the export show it masked to all.
pub fn keeps_contact(user: &CurrentUser, scope_path: &str) -> bool {
    match user.role {
        Role::Admin | Role::Clerk => user.sees(scope_path),
        Role::BranchSecretary => scope_path == user.org_path,
        Role::Leader | Role::GridWorker => false,
    }
}

/// The title proposed from the opinion's content: its first line, at most 30 characters.
pub fn title_of(content: &str) -> String {
    content
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .chars()
        .take(30)
        .collect()
}

/// Clerks, leaders, admins and branch secretaries enter opinions (each for the units
/// [`may_enter`] allows).
pub fn may_create(user: &CurrentUser) -> bool {
    matches!(
        user.role,
        Role::Clerk | Role::Leader | Role::Admin | Role::BranchSecretary
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, org_path: &str) -> CurrentUser {
        CurrentUser {
            id: 1,
            username: "u".into(),
            display_name: "U".into(),
            role,
            org_unit_id: 1,
            org_name: String::new(),
            org_path: org_path.into(),
            must_change_password: false,
            session_hash: String::new(),
            ip: String::new(),
        }
    }

    #[test]
    fn the_record_keepers_read_the_contact_leaders_do_not() {
        let community = "/1/2/3/";
        assert!(keeps_contact(&user(Role::Admin, "/1/"), community));
        assert!(keeps_contact(&user(Role::Clerk, "/1/2/"), community));
        assert!(keeps_contact(&user(Role::Clerk, community), community));
        assert!(keeps_contact(
            &user(Role::BranchSecretary, community),
            community
        ));
        assert!(!keeps_contact(&user(Role::Leader, "/1/2/"), community));
        assert!(!keeps_contact(
            &user(Role::GridWorker, community),
            community
        ));
        // Outside the scope, or a secretary of a unit below or beside it: no.
        assert!(!keeps_contact(&user(Role::Clerk, "/1/9/"), community));
        assert!(!keeps_contact(
            &user(Role::BranchSecretary, "/1/2/"),
            community
        ));
        assert!(!keeps_contact(
            &user(Role::BranchSecretary, "/1/2/3/4/"),
            community
        ));
    }

    #[test]
    fn the_title_is_the_first_line() {
        assert_eq!(title_of("\n  楼道堆物\n第二行"), "楼道堆物");
    }
}
