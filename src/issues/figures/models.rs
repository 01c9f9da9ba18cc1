//! The SQL of the issue figures: the summary table `issue_stats` kept in step with every change
//! (upserts of the contributions' difference, in the change's transaction), rebuilt or read as
//! stored; the live figures of a unit read from it plus the overdue open issues; frozen months.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{
    Cell, MonthFigures, Tally, contributions, month_of, path_ids, sum_up, utc_bounds,
};
use crate::auth::CurrentUser;
use crate::db::AnyConnection;
use crate::db::schema::{issue_frozen, issue_stats, issues, org_units};
use crate::error::{AppError, AppResult};
use crate::issues::domain::clock_states;
use crate::issues::models::{CategoryRow, Issue, UnitName};
use crate::org::models::{self as org_models, OrgUnit};
use crate::web::forms::Choice;

#[derive(QueryableByName)]
struct StatRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    key: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    month: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    reported: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    registered: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    rejected: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    cancelled: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    closed: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    closed_on_time: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    reworked: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    open_due: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    handle_minutes: i64,
}

impl StatRow {
    fn tally(&self) -> Tally {
        Tally {
            reported: self.reported,
            registered: self.registered,
            rejected: self.rejected,
            cancelled: self.cancelled,
            closed: self.closed,
            closed_on_time: self.closed_on_time,
            reworked: self.reworked,
            open_due: self.open_due,
            handle_minutes: self.handle_minutes,
            overdue: 0,
        }
    }
}

const SUMS: &str = "CAST(SUM(reported) AS BIGINT) AS reported, \
    CAST(SUM(registered) AS BIGINT) AS registered, CAST(SUM(rejected) AS BIGINT) AS rejected, \
    CAST(SUM(cancelled) AS BIGINT) AS cancelled, CAST(SUM(closed) AS BIGINT) AS closed, \
    CAST(SUM(closed_on_time) AS BIGINT) AS closed_on_time, \
    CAST(SUM(reworked) AS BIGINT) AS reworked, CAST(SUM(open_due) AS BIGINT) AS open_due, \
    CAST(SUM(handle_minutes) AS BIGINT) AS handle_minutes";

/// An overdue open issue as the live figures count it.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = issues)]
struct OpenDue {
    category_id: i32,
    scope_path: String,
}

/// The live figures of `unit` for `months`, read from the summary table plus the overdue open
/// issues.
pub fn live(
    conn: &mut AnyConnection,
    unit: &OrgUnit,
    months: &[String],
    now: NaiveDateTime,
    tz: chrono_tz::Tz,
) -> AppResult<BTreeMap<String, MonthFigures>> {
    use diesel::sql_types::{Integer, Text};
    let mut out: BTreeMap<String, MonthFigures> = months
        .iter()
        .map(|m| (m.clone(), MonthFigures::default()))
        .collect();
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Ok(out);
    };
    let by_cat: Vec<StatRow> = diesel::sql_query(format!(
        "SELECT category_id AS key, month, {SUMS} FROM issue_stats \
         WHERE unit_id = $1 AND category_id <> 0 AND month >= $2 AND month <= $3 \
         GROUP BY category_id, month"
    ))
    .bind::<Integer, _>(unit.id)
    .bind::<Text, _>(first)
    .bind::<Text, _>(last)
    .load(conn)?;
    for r in by_cat {
        if let Some(m) = out.get_mut(&r.month) {
            m.by_category.entry(r.key).or_default().add(&r.tally());
        }
    }
    // Every key column is an equality or IN list, so both backends seek the month totals of each
    // child (a city: 200 streets × 12 months) instead of passing all their category rows. The
    // months are "YYYY-MM" strings made by months_between, safe to write into the statement.
    let month_list = months
        .iter()
        .filter(|m| m.len() == 7 && m.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
        .map(|m| format!("'{m}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let by_child: Vec<StatRow> = diesel::sql_query(format!(
        "SELECT unit_id AS key, month, {SUMS} FROM issue_stats \
         WHERE unit_id IN (SELECT id FROM org_units WHERE parent_id = $1) \
         AND month IN ({month_list}) AND category_id = 0 GROUP BY unit_id, month"
    ))
    .bind::<Integer, _>(unit.id)
    .load(conn)?;
    for r in by_child {
        if let Some(m) = out.get_mut(&r.month) {
            m.by_child.entry(r.key).or_default().add(&r.tally());
        }
    }
    // Overdue: in a month that is over, every open issue due in it (the table's open_due); in
    // the current month, those whose deadline has passed by now, read from the index.
    let this_month = month_of(now, tz);
    for f in out
        .iter_mut()
        .filter(|(m, _)| **m < this_month)
        .map(|(_, f)| f)
    {
        for t in f.by_category.values_mut().chain(f.by_child.values_mut()) {
            t.overdue = t.open_due;
        }
    }
    if let Some(f) = out.get_mut(&this_month)
        && let Some((lo, _)) = utc_bounds(&this_month, &this_month, tz)
    {
        let (plo, phi) = crate::db::subtree_range(&unit.path);
        // By (state, deadline): one month of deadlines is a narrow range; the path is tested on
        // the index entry (`|| ''` keeps the planner from the path index, which would pass every
        // long-open issue of the unit).
        let rows: Vec<OpenDue> = issues::table
            .filter(issues::state.eq_any(clock_states()))
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("(issues.scope_path || '') >= ")
                    .bind::<Text, _>(plo)
                    .sql(" AND (issues.scope_path || '') < ")
                    .bind::<Text, _>(phi),
            )
            .filter(issues::deadline.ge(lo))
            .filter(issues::deadline.lt(now))
            .select(OpenDue::as_select())
            .load(conn)?;
        for r in rows {
            f.by_category.entry(r.category_id).or_default().overdue += 1;
            let ids = path_ids(&r.scope_path);
            if let Some(child) = ids.get(unit.depth as usize + 1) {
                f.by_child.entry(*child).or_default().overdue += 1;
            }
        }
    }
    Ok(out)
}

/// A frozen month as stored: its figures as JSON.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = issue_frozen)]
struct FrozenRow {
    month: String,
    figures: String,
    frozen_at: NaiveDateTime,
}

/// Frozen months of a unit: month → (figures, frozen at).
pub fn frozen(
    conn: &mut AnyConnection,
    unit_id: i32,
    months: &[String],
) -> AppResult<BTreeMap<String, (MonthFigures, NaiveDateTime)>> {
    let rows: Vec<FrozenRow> = issue_frozen::table
        .filter(issue_frozen::unit_id.eq(unit_id))
        .filter(issue_frozen::month.eq_any(months))
        .select(FrozenRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let f: MonthFigures = serde_json::from_str(&r.figures).ok()?;
            Some((r.month, (f, r.frozen_at)))
        })
        .collect())
}

/// Freezes one past month of a unit. Returns false if it was frozen already.
pub fn freeze(
    conn: &mut AnyConnection,
    unit_id: i32,
    month: &str,
    figures: &MonthFigures,
    user_id: i32,
) -> AppResult<bool> {
    let exists: i64 = issue_frozen::table
        .filter(issue_frozen::unit_id.eq(unit_id))
        .filter(issue_frozen::month.eq(month))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    let json = serde_json::to_string(figures).map_err(|e| AppError::Internal(e.to_string()))?;
    diesel::insert_into(issue_frozen::table)
        .values((
            issue_frozen::unit_id.eq(unit_id),
            issue_frozen::month.eq(month),
            issue_frozen::figures.eq(json),
            issue_frozen::frozen_by.eq(Some(user_id)),
            issue_frozen::frozen_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    Ok(true)
}

/// The child units of a unit, in display order.
pub fn children(conn: &mut AnyConnection, unit_id: i32) -> AppResult<Vec<UnitName>> {
    Ok(org_units::table
        .filter(org_units::parent_id.eq(unit_id))
        .order((org_units::sort_order, org_units::id))
        .select(UnitName::as_select())
        .load(conn)?)
}

/// Adds `delta` to one (unit, month, category) row, creating it if needed.
fn upsert(conn: &mut AnyConnection, unit_id: i32, cell: &Cell, d: &Tally) -> AppResult<()> {
    use diesel::sql_types::{BigInt, Integer, Text};
    // `$n` placeholders work on both backends (SQLite numbers `$`-parameters in order). Both
    // support INSERT … ON CONFLICT; diesel's MultiConnection DSL does not, hence raw SQL.
    diesel::sql_query(
        "INSERT INTO issue_stats (unit_id, month, category_id, reported, registered, rejected, \
         cancelled, closed, closed_on_time, reworked, open_due, handle_minutes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (unit_id, month, category_id) DO UPDATE SET \
         reported = issue_stats.reported + excluded.reported, \
         registered = issue_stats.registered + excluded.registered, \
         rejected = issue_stats.rejected + excluded.rejected, \
         cancelled = issue_stats.cancelled + excluded.cancelled, \
         closed = issue_stats.closed + excluded.closed, \
         closed_on_time = issue_stats.closed_on_time + excluded.closed_on_time, \
         reworked = issue_stats.reworked + excluded.reworked, \
         open_due = issue_stats.open_due + excluded.open_due, \
         handle_minutes = issue_stats.handle_minutes + excluded.handle_minutes",
    )
    .bind::<Integer, _>(unit_id)
    .bind::<Text, _>(&cell.0)
    .bind::<Integer, _>(cell.1)
    .bind::<Integer, _>(d.reported as i32)
    .bind::<Integer, _>(d.registered as i32)
    .bind::<Integer, _>(d.rejected as i32)
    .bind::<Integer, _>(d.cancelled as i32)
    .bind::<Integer, _>(d.closed as i32)
    .bind::<Integer, _>(d.closed_on_time as i32)
    .bind::<Integer, _>(d.reworked as i32)
    .bind::<Integer, _>(d.open_due as i32)
    .bind::<BigInt, _>(d.handle_minutes)
    .execute(conn)?;
    Ok(())
}

/// Applies the change of one issue from `before` (None for a new issue) to `after`.
pub fn apply_change(
    conn: &mut AnyConnection,
    before: Option<&Issue>,
    after: &Issue,
    tz: chrono_tz::Tz,
) -> AppResult<()> {
    let mut delta = contributions(after, tz);
    if let Some(b) = before {
        for (cell, t) in contributions(b, tz) {
            delta.entry(cell).or_default().sub(&t);
        }
    }
    // The grid never changes, so before and after share one path.
    let units = path_ids(&after.scope_path);
    for (cell, d) in delta.iter().filter(|(_, d)| !d.is_zero()) {
        for unit in &units {
            upsert(conn, *unit, cell, d)?;
        }
    }
    Ok(())
}

/// A row of the summary table as stored.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = issue_stats)]
struct StoredRow {
    unit_id: i32,
    month: String,
    category_id: i32,
    reported: i32,
    registered: i32,
    rejected: i32,
    cancelled: i32,
    closed: i32,
    closed_on_time: i32,
    reworked: i32,
    open_due: i32,
    handle_minutes: i64,
}

/// The table as stored, without empty rows.
pub fn stored(conn: &mut AnyConnection) -> AppResult<BTreeMap<(i32, Cell), Tally>> {
    let rows: Vec<StoredRow> = issue_stats::table
        .select(StoredRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let t = Tally {
                reported: r.reported.into(),
                registered: r.registered.into(),
                rejected: r.rejected.into(),
                cancelled: r.cancelled.into(),
                closed: r.closed.into(),
                closed_on_time: r.closed_on_time.into(),
                reworked: r.reworked.into(),
                open_due: r.open_due.into(),
                handle_minutes: r.handle_minutes,
                overdue: 0,
            };
            ((r.unit_id, (r.month, r.category_id)), t)
        })
        .filter(|(_, t)| !t.is_zero())
        .collect())
}

/// Rebuilds the table from the issues (after a bulk load, or to repair).
pub fn recount(conn: &mut AnyConnection, tz: chrono_tz::Tz) -> AppResult<usize> {
    let issues = crate::issues::models::all(conn)?;
    let sums = sum_up(&issues, tz);
    diesel::delete(issue_stats::table).execute(conn)?;
    for ((unit, cell), t) in &sums {
        upsert(conn, *unit, cell, t)?;
    }
    Ok(sums.len())
}

/// Everything the figures page and its export show of a unit and a period.
pub struct UnitFigures {
    pub unit: OrgUnit,
    /// The units the unit box offers.
    pub units: Vec<Choice>,
    /// Each month with its figures and, when frozen, when.
    pub months: Vec<(String, MonthFigures, Option<NaiveDateTime>)>,
    pub cats: Vec<CategoryRow>,
    pub children: Vec<UnitName>,
}

/// Reads the figures of unit `unit_id` (in scope, else 404) for `months`: frozen months as
/// stored, the others live.
pub fn unit_figures(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    unit_id: i32,
    months: &[String],
    tz: chrono_tz::Tz,
) -> AppResult<UnitFigures> {
    let unit = org_models::get_scoped(conn, user, unit_id)?;
    let mut live = live(conn, &unit, months, crate::db::now(), tz)?;
    let frozen = frozen(conn, unit.id, months)?;
    let months = months
        .iter()
        .map(|m| match frozen.get(m) {
            Some((f, at)) => (m.clone(), f.clone(), Some(*at)),
            None => (m.clone(), live.remove(m).unwrap_or_default(), None),
        })
        .collect();
    // The unit box offers the user's own level and the one below (a city's streets, a street's
    // communities); deeper units are reached through the links of the table by unit.
    let user_depth = org_models::get(conn, user.org_unit_id)?.depth;
    let units = org_models::unit_options(conn, user, false)?
        .iter()
        .filter(|u| u.depth <= user_depth + 1 || u.id == unit.id)
        .map(org_models::UnitOption::choice)
        .collect();
    Ok(UnitFigures {
        children: children(conn, unit.id)?,
        cats: crate::issues::models::categories(conn)?,
        unit,
        units,
        months,
    })
}

/// Freezes `month` of unit `unit_id` (in scope, else 404) with its live figures and audits it.
/// Returns false if it was frozen already.
pub fn freeze_month(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    unit_id: i32,
    month: &str,
    tz: chrono_tz::Tz,
) -> AppResult<bool> {
    let unit = org_models::get_scoped(conn, user, unit_id)?;
    let months = [month.to_string()];
    let f = live(conn, &unit, &months, crate::db::now(), tz)?
        .remove(month)
        .unwrap_or_default();
    let done = freeze(conn, unit.id, month, &f, user.id)?;
    if done {
        crate::audit::record(
            conn,
            &user.actor(),
            "freeze_figures",
            "org_unit",
            Some(unit.id),
            &format!("{} {month}", unit.name),
            None::<&()>,
            Some(&f.total()),
            &unit.path,
        )?;
    }
    Ok(done)
}
