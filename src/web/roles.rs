//! Roles (SPEC §1). What each may do is decided here, in one place. Below every feature (the
//! navigation and every scope check read it); `auth::Role` re-exports it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    GridWorker,
    Clerk,
    BranchSecretary,
    Leader,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::GridWorker,
        Role::Clerk,
        Role::BranchSecretary,
        Role::Leader,
        Role::Admin,
    ];

    /// Office staff (clerks, leaders, admins) keep the records of every unit in their scope:
    /// coordinate issues, call meetings, keep branches and opinions, correct patrol logs. Grid
    /// workers and branch secretaries keep only their own.
    pub fn is_office_staff(self) -> bool {
        matches!(self, Role::Clerk | Role::Leader | Role::Admin)
    }

    pub fn code(self) -> &'static str {
        match self {
            Role::GridWorker => "grid_worker",
            Role::Clerk => "clerk",
            Role::BranchSecretary => "branch_secretary",
            Role::Leader => "leader",
            Role::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Locale key of the role's name.
    pub fn label_key(self) -> String {
        format!("role.{}", self.code())
    }

    /// Users and the org tree.
    pub fn is_admin(self) -> bool {
        self == Role::Admin
    }

    /// Grid responsible people, key sites and the notice's verification: admins and clerks
    /// (who keep the ledgers, SPEC §1).
    pub fn can_edit_grids(self) -> bool {
        matches!(self, Role::Admin | Role::Clerk)
    }
}
