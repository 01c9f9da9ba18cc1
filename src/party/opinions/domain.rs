//! The opinion box's rules: its channels and states, who enters and answers opinions, who reads
//! the resident's contact in full, how a name is masked, the issue title an opinion proposes.
//! Pure code.

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

/// The resident's contact in full: clerks, leaders and admins in scope; others see it masked.
pub fn sees_contact(user: &CurrentUser, scope_path: &str) -> bool {
    user.role.is_office_staff() && user.sees(scope_path)
}

/// A name masked for those who may not read it: its first character, then one star per
/// character hidden.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count())),
        None => String::new(),
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

    #[test]
    fn names_are_masked_after_their_first_character() {
        assert_eq!(mask_name("王建华"), "王**");
        assert_eq!(mask_name(""), "");
        assert_eq!(title_of("\n  楼道堆物\n第二行"), "楼道堆物");
    }
}
