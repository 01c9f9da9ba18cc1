//! What the search box finds, each kind through the scoped query of the feature that owns it:
//! the issue list's filter (its text match is a trigram index on both backends: FTS5 on
//! SQLite, pg_trgm on PostgreSQL — see `issues::models::list`), the account list's filter and
//! the org units by name. No scope rule is written here.

use chrono::NaiveDateTime;

use crate::auth::CurrentUser;
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::issues::models::{Filter, ListRow};
use crate::org::models::OrgUnit;
use crate::users::models::{Account, UserFilter};

/// The rows shown per kind; one more is read to know there are more.
pub const LIMIT: i64 = 20;

/// Issues' text is searched from three characters: the trigram index's least. A shorter term
/// would read every issue in a street's or a district's scope (1.3 s at 32 connections on a
/// district-year); two characters are mostly a name, which people and units still find.
pub const ISSUE_MIN_CHARS: usize = 3;

/// One kind's rows, cut at `LIMIT`.
pub struct Group<T> {
    pub rows: Vec<T>,
    pub more: bool,
}

impl<T> Group<T> {
    fn cut(mut rows: Vec<T>) -> Group<T> {
        let more = rows.len() as i64 > LIMIT;
        rows.truncate(LIMIT as usize);
        Group { rows, more }
    }
}

pub struct Found {
    /// `None`: the term is shorter than `ISSUE_MIN_CHARS`.
    pub issues: Option<Group<ListRow>>,
    pub people: Group<Account>,
    pub units: Group<OrgUnit>,
}

pub enum Outcome {
    /// The term is the number of an issue in scope.
    Jump(i32),
    Found(Found),
}

pub fn search(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    term: &str,
    now: NaiveDateTime,
) -> AppResult<Outcome> {
    let number = term.to_uppercase();
    if let Some(id) = crate::issues::models::scoped_id_by_number(conn, user, &number)? {
        return Ok(Outcome::Jump(id));
    }
    let issues = if term.chars().count() >= ISSUE_MIN_CHARS {
        let f = Filter {
            q: term.to_string(),
            ..Filter::default()
        };
        let rows = crate::issues::models::list(conn, user, &f, now, 0, LIMIT + 1)?;
        Some(Group::cut(rows))
    } else {
        None
    };
    let people = UserFilter {
        text: term.to_string(),
        status: "active".into(),
        ..UserFilter::default()
    };
    let people = crate::users::models::list(conn, user, &people, 0, LIMIT + 1)?;
    let units = crate::org::models::named(conn, user, term, LIMIT + 1)?;
    Ok(Outcome::Found(Found {
        issues,
        people: Group::cut(people),
        units: Group::cut(units),
    }))
}
