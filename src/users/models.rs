//! Staff accounts as the admin sees them: a scoped, filtered list and the changes an admin makes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::FirstRow;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::schema::{org_units, users};
use crate::db::{AnyConnection, now};
use crate::error::AppResult;

/// An account without its password hash (what lists, forms and the audit log see).
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Account {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub org_unit_id: i32,
    pub phone: String,
    pub active: bool,
    pub must_change_password: bool,
    pub locked_until: Option<NaiveDateTime>,
    pub last_login_at: Option<NaiveDateTime>,
    pub version: i32,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
}

impl Account {
    pub fn is_locked(&self) -> bool {
        self.locked_until.is_some_and(|t| t > now())
    }

    /// The account's state as the list and the form name it (a locale key).
    pub fn status_key(&self) -> &'static str {
        if !self.active {
            "users.inactive"
        } else if self.is_locked() {
            "users.locked"
        } else {
            "users.active"
        }
    }
}

#[derive(Debug, Clone, Serialize, Insertable, AsChangeset)]
#[diesel(table_name = users)]
pub struct AccountFields {
    pub display_name: String,
    pub role: String,
    pub org_unit_id: i32,
    pub phone: String,
}

/// The account list's filter, parsed (see `forms::UserQuery`).
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub text: String,
    pub role: String,
    /// The chosen unit's path: the unit and everything under it.
    pub unit_path: Option<String>,
    /// "active", "inactive", "locked", "never" (active, never logged in) or "" for all.
    pub status: String,
}

macro_rules! scoped_accounts {
    ($user:expr) => {{
        let (lo, hi) = $user.scope();
        users::table
            .inner_join(org_units::table)
            .filter(org_units::path.ge(lo))
            .filter(org_units::path.lt(hi))
            .into_boxed()
    }};
}

macro_rules! account_columns {
    () => {
        (
            users::id,
            users::username,
            users::display_name,
            users::role,
            users::org_unit_id,
            users::phone,
            users::active,
            users::must_change_password,
            users::locked_until,
            users::last_login_at,
            users::version,
            org_units::name,
            org_units::path,
        )
    };
}

macro_rules! filtered {
    ($user:expr, $f:expr) => {{
        let mut q = scoped_accounts!($user);
        if !$f.text.is_empty() {
            let like = crate::db::like_pattern(&$f.text);
            q = q.filter(
                users::username
                    .like(like.clone())
                    .escape('\\')
                    .or(users::display_name.like(like).escape('\\')),
            );
        }
        if !$f.role.is_empty() {
            q = q.filter(users::role.eq($f.role.clone()));
        }
        if let Some(path) = &$f.unit_path {
            let (lo, hi) = crate::db::subtree_range(path);
            q = q
                .filter(org_units::path.ge(lo))
                .filter(org_units::path.lt(hi));
        }
        match $f.status.as_str() {
            "active" => q = q.filter(users::active.eq(true)),
            "inactive" => q = q.filter(users::active.eq(false)),
            "locked" => q = q.filter(users::locked_until.gt(now())),
            "never" => {
                q = q
                    .filter(users::active.eq(true))
                    .filter(users::last_login_at.is_null())
            }
            _ => {}
        }
        q
    }};
}

/// How many accounts the filter finds: the list says so (an admin's scope holds hundreds, not
/// the hundred thousands that make other lists open-ended).
pub fn count(conn: &mut AnyConnection, user: &CurrentUser, f: &UserFilter) -> AppResult<i64> {
    Ok(filtered!(user, f).count().get_result(conn)?)
}

/// One page of the filtered list (`limit` rows from `offset`), in tree order.
pub fn list(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    f: &UserFilter,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<Account>> {
    Ok(filtered!(user, f)
        .order((org_units::path, users::username))
        .offset(offset)
        .limit(limit)
        .select(account_columns!())
        .load(conn)?)
}

/// One account, if it lies in the user's scope.
pub fn get_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Account> {
    Ok(scoped_accounts!(user)
        .filter(users::id.eq(id))
        .select(account_columns!())
        .first_row(conn)?)
}

pub fn username_taken(conn: &mut AnyConnection, username: &str) -> AppResult<bool> {
    Ok(users::table
        .filter(users::username.eq(username))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

pub fn create(
    conn: &mut AnyConnection,
    username: &str,
    hash: &str,
    f: &AccountFields,
    must_change: bool,
) -> AppResult<i32> {
    let t = now();
    Ok(diesel::insert_into(users::table)
        .values((
            users::username.eq(username),
            f,
            users::password_hash.eq(hash),
            users::must_change_password.eq(must_change),
            users::created_at.eq(t),
            users::updated_at.eq(t),
        ))
        .returning(users::id)
        .get_result(conn)?)
}

pub fn update(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    f: &AccountFields,
) -> AppResult<bool> {
    let n = diesel::update(users::table.find(id).filter(users::version.eq(version)))
        .set((
            f,
            users::version.eq(version + 1),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn set_active(conn: &mut AnyConnection, id: i32, active: bool) -> AppResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::active.eq(active),
            users::version.eq(users::version + 1),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn unlock(conn: &mut AnyConnection, id: i32) -> AppResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::locked_until.eq(None::<NaiveDateTime>),
            users::failed_logins.eq(0),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Unlock by username (the command line's `user unlock`).
pub fn unlock_by_name(conn: &mut AnyConnection, username: &str) -> AppResult<Option<i32>> {
    let id: Option<i32> = users::table
        .filter(users::username.eq(username))
        .select(users::id)
        .first_row(conn)
        .optional()?;
    if let Some(id) = id {
        unlock(conn, id)?;
    }
    Ok(id)
}
