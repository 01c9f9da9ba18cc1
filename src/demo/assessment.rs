//! The demo's 量化考核: 林山寨街道's grids computed for the last October from the demo records
//! under the default scheme, two inspection entries with their evidence (a 区级督查 deduction
//! and a bonus for a 市级 media report), then published, so the ranking, a grid's drill-down,
//! the bulletin and the cockpit tile have a frozen month to show.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use crate::assessment::models::{self, NewEntry};
use crate::db::schema::users;
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;
use crate::org::models::OrgUnit;

/// The last October before this month ("2026-10").
pub fn october(today: NaiveDate) -> String {
    let year = if today.month() > 10 {
        today.year()
    } else {
        today.year() - 1
    };
    format!("{year}-10")
}

/// Computes, annotates and publishes `street`'s October; answers how many results.
pub fn generate(conn: &mut AnyConnection, street: &OrgUnit, today: NaiveDate) -> AppResult<usize> {
    let Some(scheme) = models::schemes_for(conn, &street.path)?.into_iter().next() else {
        return Ok(0);
    };
    let Some(leader) = users::table
        .filter(users::username.eq("leader"))
        .select(users::id)
        .first_row::<i32>(conn)
        .optional()?
    else {
        return Ok(0);
    };
    let period = october(today);
    let now = crate::db::now();
    let n = models::compute(
        conn,
        &scheme,
        street,
        &period,
        now,
        today,
        chrono_tz::Asia::Shanghai,
    )?;
    let inds = models::indicators(conn, scheme.id)?;
    let results = models::group_results(conn, scheme.id, &period, &street.path)?;
    let entries = [
        ("B1.1", -20, "区级督查发现：背街小巷占道经营未及时劝离", 0),
        ("B1.2", 10, "市级媒体报道网格员帮扶独居老人事迹", 1),
    ];
    for (code, points, reason, at) in entries {
        let (Some(ind), Some(r)) = (inds.iter().find(|i| i.code == code), results.get(at)) else {
            continue;
        };
        let evidence = format!("/issues?unit={}", r.object_id);
        let formula = if points > 0 {
            format!("+{}", crate::assessment::domain::pts(points))
        } else {
            crate::assessment::domain::pts(points)
        };
        models::insert_entry(
            conn,
            &NewEntry {
                result_id: r.id,
                indicator_id: ind.id,
                points,
                figure: "",
                formula: &formula,
                source_url: "",
                manual: true,
                reason,
                evidence: &evidence,
                entered_by: Some(leader),
                created_at: now,
                reverses: None,
            },
        )?;
        models::retotal(conn, r.id, &scheme, &inds)?;
    }
    models::rerank(conn, scheme.id, &period, &street.path)?;
    models::publish(conn, scheme.id, &period, &street.path, leader, now)?;
    Ok(n)
}
