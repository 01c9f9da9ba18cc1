//! Who may do what with a patrol log: change it (a plain edit or a correction) and see the
//! residents it names.

use chrono::NaiveDate;

use super::models::Patrol;
use crate::auth::CurrentUser;

/// What a user may do to a saved log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The worker, within the edit window: a plain edit.
    Edit,
    /// Past the window (or someone else with the standing to fix it): a correction, appended
    /// with a reason beside the original values.
    Correct,
}

/// `edit_days`: days after its date the log stays freely editable (0: the same day).
pub fn change_allowed(
    user: &CurrentUser,
    p: &Patrol,
    today: NaiveDate,
    edit_days: i64,
) -> Option<Change> {
    let own = user.id == p.worker_id;
    if own && (today - p.day).num_days() <= edit_days {
        Some(Change::Edit)
    } else if own || user.role.is_office_staff() {
        Some(Change::Correct)
    } else {
        None
    }
}

/// Residents' names and phone numbers are shown to the worker who recorded them and to the
/// staff who follow up (clerks, leaders, admins); others (branch secretaries, other workers of
/// the grid) see them masked.
pub fn sees_residents(user: &CurrentUser, p: &Patrol) -> bool {
    user.id == p.worker_id || user.role.is_office_staff()
}
