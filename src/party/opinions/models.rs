//! Opinion-box rows (党情民意箱): the list in scope, one opinion, writing, answering and linking
//! an issue, the names and numbers an opinion's page shows.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::CountUpto;
use crate::db::schema::party_opinions;
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;
use crate::web::list::{Listing, Resolved};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = party_opinions)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Opinion {
    pub id: i32,
    pub unit_id: i32,
    pub scope_path: String,
    pub channel: String,
    pub received_on: NaiveDate,
    pub content: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub state: String,
    pub answer: String,
    pub answered_by: Option<i32>,
    pub answered_at: Option<NaiveDateTime>,
    pub issue_id: Option<i32>,
    pub created_by: Option<i32>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What the opinion form sets.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = party_opinions)]
pub struct OpinionFields {
    pub unit_id: i32,
    pub scope_path: String,
    pub channel: String,
    pub received_on: NaiveDate,
    pub content: String,
    pub contact_name: String,
    pub contact_phone: String,
}

/// Filters of the opinion list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub unit_path: Option<String>,
    pub state: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// An opinion by id if it lies in the user's scope (outside: not found).
pub fn get_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Opinion> {
    let (lo, hi) = user.scope();
    Ok(party_opinions::table
        .find(id)
        .filter(party_opinions::scope_path.ge(lo))
        .filter(party_opinions::scope_path.lt(hi))
        .select(Opinion::as_select())
        .first_row(conn)?)
}

/// The list's filter through the list kit: the unit in the user's scope (outside: 404).
impl Listing for super::forms::ListQuery {
    type Filter = Filter;
    fn filter(&self, conn: &mut AnyConnection, user: &CurrentUser) -> Resolved<Filter> {
        let mut e = crate::web::forms::FormErrors::new();
        let period = crate::web::list::period(&mut e, &self.from, &self.to);
        let f = Filter {
            from: period.from,
            to: period.to,
            state: self.state(),
            unit_path: crate::org::models::unit_filter(conn, user, &self.unit)?,
        };
        Ok((f, e))
    }
}

/// The list's opinions of `f` in `user`'s scope, unordered.
fn filtered(
    user: &CurrentUser,
    f: &Filter,
) -> party_opinions::BoxedQuery<'static, crate::db::MultiBackend> {
    let path = f.unit_path.clone().unwrap_or_else(|| user.org_path.clone());
    let (lo, hi) = crate::db::subtree_range(&path);
    let mut q = party_opinions::table
        .filter(party_opinions::scope_path.ge(lo))
        .filter(party_opinions::scope_path.lt(hi))
        .into_boxed();
    if let Some(s) = &f.state {
        q = q.filter(party_opinions::state.eq(s.clone()));
    }
    if let Some(d) = f.from {
        q = q.filter(party_opinions::received_on.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(party_opinions::received_on.le(d));
    }
    q
}

/// The list's opinions, counted up to `cap + 1` (`web::list::Count`).
pub fn count(conn: &mut AnyConnection, user: &CurrentUser, f: &Filter, cap: i64) -> AppResult<i64> {
    Ok(filtered(user, f)
        .select(party_opinions::id)
        .count_upto(conn, cap)?)
}

pub fn list(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    f: &Filter,
    offset: i64,
    fetch: i64,
) -> AppResult<Vec<Opinion>> {
    Ok(filtered(user, f)
        .order((
            party_opinions::received_on.desc(),
            party_opinions::id.desc(),
        ))
        .offset(offset)
        .limit(fetch)
        .select(Opinion::as_select())
        .load(conn)?)
}

/// How many opinions in scope match `f`, all of them (a home's count of those waiting).
pub fn count_all(conn: &mut AnyConnection, user: &CurrentUser, f: &Filter) -> AppResult<i64> {
    Ok(filtered(user, f).count().get_result(conn)?)
}

pub fn insert(
    conn: &mut AnyConnection,
    f: &OpinionFields,
    user_id: i32,
    now: NaiveDateTime,
) -> AppResult<i32> {
    Ok(diesel::insert_into(party_opinions::table)
        .values((
            f,
            party_opinions::state.eq("open"),
            party_opinions::created_by.eq(Some(user_id)),
            party_opinions::created_at.eq(now),
            party_opinions::updated_at.eq(now),
        ))
        .returning(party_opinions::id)
        .get_result(conn)?)
}

/// Records the answer if the opinion is still at `version`; false when someone saved first.
/// An opinion already turned into an issue keeps the state `issue`.
pub fn answer(
    conn: &mut AnyConnection,
    o: &Opinion,
    version: i32,
    text: &str,
    user_id: i32,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let state = if o.issue_id.is_some() {
        "issue"
    } else {
        "answered"
    };
    let n = diesel::update(
        party_opinions::table
            .filter(party_opinions::id.eq(o.id))
            .filter(party_opinions::version.eq(version)),
    )
    .set((
        party_opinions::answer.eq(text),
        party_opinions::state.eq(state),
        party_opinions::answered_by.eq(Some(user_id)),
        party_opinions::answered_at.eq(Some(now)),
        party_opinions::version.eq(version + 1),
        party_opinions::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Links the issue the opinion became, if it has none yet; false when it had one.
pub fn link_issue(
    conn: &mut AnyConnection,
    id: i32,
    issue_id: i32,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        party_opinions::table
            .filter(party_opinions::id.eq(id))
            .filter(party_opinions::issue_id.is_null()),
    )
    .set((
        party_opinions::issue_id.eq(Some(issue_id)),
        party_opinions::state.eq("issue"),
        party_opinions::version.eq(party_opinions::version + 1),
        party_opinions::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The opinion an issue came from, for the issue's page.
pub fn of_issue(conn: &mut AnyConnection, issue_id: i32) -> AppResult<Option<i32>> {
    Ok(party_opinions::table
        .filter(party_opinions::issue_id.eq(Some(issue_id)))
        .select(party_opinions::id)
        .first_row::<i32>(conn)
        .optional()?)
}

/// The number of the issue an opinion became.
pub fn issue_number(conn: &mut AnyConnection, issue_id: i32) -> AppResult<String> {
    use crate::db::schema::issues;
    Ok(issues::table
        .find(issue_id)
        .select(issues::number)
        .first_row::<String>(conn)
        .optional()?
        .unwrap_or_default())
}

/// Display names of users by id.
pub fn user_name(conn: &mut AnyConnection, id: Option<i32>) -> AppResult<String> {
    let Some(id) = id else {
        return Ok(String::new());
    };
    Ok(crate::issues::models::user_names(conn, &[id])?
        .into_iter()
        .next()
        .map(|(_, n)| n)
        .unwrap_or_default())
}
