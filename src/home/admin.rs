//! The admin's status panel (`templates/home/_admin.html`): accounts locked now, active accounts
//! that never logged in, whether next year's work calendar is entered (a warning in December, when
//! deadlines start to reach into it), and the age of the last backup `gridwork backup` recorded
//! (none recorded: said so, since a copy made by other means leaves no trace here). A page that
//! includes the partial has `ctx` and `admin: Option<AdminStatus>`.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::auth::CurrentUser;
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::users::models::UserFilter;

/// What the admin checks at a glance.
#[derive(Debug, Clone)]
pub struct AdminStatus {
    /// Accounts in scope locked now.
    pub locked: i64,
    /// Active accounts in scope that never logged in.
    pub never_logged_in: i64,
    pub next_year: i32,
    /// No special day entered for next year.
    pub calendar_missing: bool,
    /// Missing, and it is December.
    pub calendar_warn: bool,
    /// When the last recorded backup was written (UTC), and how many whole days ago.
    pub last_backup: Option<NaiveDateTime>,
    pub backup_days: Option<i64>,
}

impl AdminStatus {
    /// A backup older than a day (or none recorded) is worth a look.
    pub fn backup_stale(&self) -> bool {
        self.backup_days.is_none_or(|d| d >= 1)
    }
}

/// The admin's status for `user`'s scope on `today` (local).
pub fn admin_status(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    today: NaiveDate,
) -> AppResult<AdminStatus> {
    let accounts = |conn: &mut AnyConnection, status: &str| {
        let f = UserFilter {
            status: status.into(),
            ..Default::default()
        };
        crate::users::models::count(conn, user, &f)
    };
    let next_year = today.year() + 1;
    let calendar_missing = crate::calendar::models::list_year(conn, next_year)?.is_empty();
    let last_backup = crate::audit::latest(conn, "backup")?;
    Ok(AdminStatus {
        locked: accounts(conn, "locked")?,
        never_logged_in: accounts(conn, "never")?,
        next_year,
        calendar_missing,
        calendar_warn: calendar_missing && today.month() == 12,
        backup_days: last_backup.map(|t| (crate::db::now() - t).num_days()),
        last_backup,
    })
}
