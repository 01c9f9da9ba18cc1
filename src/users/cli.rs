//! `gridwork user add|passwd|unlock`: account work from the shell, audited as "cli". What the
//! operator got wrong (a taken or unknown name, a weak password) is a [`CliError::Refused`]; the
//! write transactions hand it out as `Ok(Err(why))`, having changed nothing.

use diesel::prelude::*;

use crate::db::FirstRow;

use super::models::{self, AccountFields};
use crate::audit::{self, Actor};
use crate::auth::{Role, models as auth_models, password};
use crate::cli::{CliError, CliResult};
use crate::config::Settings;
use crate::db::schema::{org_units, users};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::org::domain::Kind;
use crate::web::forms::FormErrors;

fn policy(settings: &Settings, pw: &str, username: &str) -> CliResult<()> {
    let mut e = FormErrors::new();
    password::check_policy(settings, &mut e, "password", pw, username);
    match e.get("password") {
        Some(err) => Err(CliError::Refused(format!(
            "password refused: {}",
            crate::web::i18n::tr_args(
                crate::web::i18n::Lang::En,
                err.key,
                &err.args
                    .iter()
                    .map(|(k, v)| (*k, v.clone()))
                    .collect::<Vec<_>>()
            )
        ))),
        None => Ok(()),
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "mirrors the command line flags one to one"
)]
pub fn add(
    conn: &mut AnyConnection,
    settings: &Settings,
    username: &str,
    name: &str,
    role: &str,
    org: Option<i32>,
    district: &str,
    pw: &str,
) -> CliResult<String> {
    let username = username.trim().to_lowercase();
    let role =
        Role::parse(role).ok_or_else(|| CliError::Refused(format!("unknown role {role}")))?;
    policy(settings, pw, &username)?;
    let hash = password::hash_blocking(pw)?;
    refusable(db::write(conn, |conn| {
        if models::username_taken(conn, &username)? {
            return Ok(Err(format!("{username} exists")));
        }
        let org = match org {
            Some(id) => match crate::org::models::get(conn, id) {
                Err(AppError::NotFound) => return Ok(Err(format!("no org unit {id}"))),
                found => found?,
            },
            None => match org_units::table
                .filter(org_units::parent_id.is_null())
                .select(org_units::id)
                .first_row::<i32>(conn)
                .optional()?
            {
                Some(id) => crate::org::models::get(conn, id)?,
                None => crate::org::models::create_root(conn, Kind::District, district, "")?,
            },
        };
        let f = AccountFields {
            display_name: name.to_string(),
            role: role.code().to_string(),
            org_unit_id: org.id,
            phone: String::new(),
        };
        let id = models::create(conn, &username, &hash, &f, true)?;
        crate::org::models::refresh_counts(conn, &[org.id])?;
        audit::created(conn, &Actor::cli(), "user", id, &username, &f, &org.path)?;
        Ok(Ok(format!(
            "created {username} ({}) in {}; the password must be changed at first login",
            role.code(),
            org.name
        )))
    }))
}

/// A transaction's refusal, as the command line's.
fn refusable(outcome: AppResult<Result<String, String>>) -> CliResult<String> {
    outcome?.map_err(CliError::Refused)
}

pub fn passwd(
    conn: &mut AnyConnection,
    settings: &Settings,
    username: &str,
    pw: &str,
) -> CliResult<String> {
    let username = username.trim().to_lowercase();
    policy(settings, pw, &username)?;
    let hash = password::hash_blocking(pw)?;
    refusable(db::write(conn, |conn| {
        let Some(id) = users::table
            .filter(users::username.eq(&username))
            .select(users::id)
            .first_row::<i32>(conn)
            .optional()?
        else {
            return Ok(Err(format!("no user {username}")));
        };
        auth_models::set_password(conn, id, &hash, true)?;
        auth_models::end_all_sessions(conn, id)?;
        audit::record(
            conn,
            &Actor::cli(),
            "reset_password",
            "user",
            Some(id),
            &username,
            None::<&()>,
            None::<&()>,
            "",
        )?;
        Ok(Ok(format!(
            "password of {username} set; it must be changed at next login"
        )))
    }))
}

pub fn unlock(conn: &mut AnyConnection, username: &str) -> CliResult<String> {
    let username = username.trim().to_lowercase();
    refusable(db::write(conn, |conn| {
        match models::unlock_by_name(conn, &username)? {
            Some(id) => {
                audit::record(
                    conn,
                    &Actor::cli(),
                    "unlock",
                    "user",
                    Some(id),
                    &username,
                    None::<&()>,
                    None::<&()>,
                    "",
                )?;
                Ok(Ok(format!("{username} unlocked")))
            }
            None => Ok(Err(format!("no user {username}"))),
        }
    }))
}
