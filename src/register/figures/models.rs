//! Counting the register in a scope: living households and persons, persons by care tag, moves
//! out since a day.

use chrono::NaiveDate;
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::auth::CurrentUser;
use crate::db::AnyConnection;
use crate::db::schema::{register_households as h, register_persons as p};
use crate::error::AppResult;
use crate::register::domain::{CARE_TAGS, tags_of};

/// The register of a scope in a few numbers.
#[derive(Debug, Clone, Default)]
pub struct RegisterFigures {
    pub households: i64,
    pub persons: i64,
    /// (care tag code, living persons with it), in `CARE_TAGS` order, those with none left out.
    pub tags: Vec<(&'static str, i64)>,
    /// Persons who moved out on or after `since`.
    pub moved_out: i64,
}

pub fn figures(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    since: NaiveDate,
) -> AppResult<RegisterFigures> {
    let (lo, hi) = user.scope();
    let households = h::table
        .filter(h::scope_path.ge(&lo))
        .filter(h::scope_path.lt(&hi))
        .filter(h::moved_out.is_null())
        .select(count_star())
        .first(conn)?;
    let persons = p::table
        .filter(p::scope_path.ge(&lo))
        .filter(p::scope_path.lt(&hi))
        .filter(p::moved_out.is_null())
        .select(count_star())
        .first(conn)?;
    let moved_out = p::table
        .filter(p::scope_path.ge(&lo))
        .filter(p::scope_path.lt(&hi))
        .filter(p::moved_out.ge(since))
        .select(count_star())
        .first(conn)?;
    let tagged: Vec<(String, i64)> = p::table
        .filter(p::scope_path.ge(&lo))
        .filter(p::scope_path.lt(&hi))
        .filter(p::moved_out.is_null())
        .filter(p::tags.ne(""))
        .group_by(p::tags)
        .select((p::tags, count_star()))
        .load(conn)?;
    let tags = CARE_TAGS
        .into_iter()
        .map(|t| {
            let n = tagged
                .iter()
                .filter(|(s, _)| tags_of(s).contains(&t))
                .map(|(_, n)| n)
                .sum();
            (t, n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    Ok(RegisterFigures {
        households,
        persons,
        tags,
        moved_out,
    })
}
