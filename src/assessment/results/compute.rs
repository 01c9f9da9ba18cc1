//! Computing a street's month: each grid's figures from the issue summary table and the patrol
//! index on the work calendar, scored by the scheme's methods.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::assessment::domain::{self, DRAFT, Figure, Scored};
use crate::assessment::models::*;
use crate::db::AnyConnection;
use crate::db::schema::{assess_entries, assess_results};
use crate::error::{AppError, AppResult};
use crate::issues::figures::domain::{parse_month, rates};
use crate::org::models::OrgUnit;
use crate::ratio::Rate;

/// What a month's figures were read from for one grid.
#[derive(Debug, Clone, Default)]
pub struct GridFigures {
    pub closure: Rate,
    pub on_time: Rate,
    pub overdue: i64,
    pub patrol: Rate,
}

/// The first and last day of a "2026-11" month.
pub fn month_bounds(period: &str) -> Option<(NaiveDate, NaiveDate)> {
    let first = parse_month(period)?;
    let last = first
        .checked_add_months(chrono::Months::new(1))?
        .pred_opt()?;
    Some((first, last))
}

/// The month's figures of every grid under `street`: issues from the summary table per
/// community (its children's tallies), patrols as working days with a log of the working days
/// up to `today` (the whole month once it is over).
pub fn grid_figures(
    conn: &mut AnyConnection,
    street: &OrgUnit,
    period: &str,
    now: NaiveDateTime,
    today: NaiveDate,
    tz: chrono_tz::Tz,
) -> AppResult<Vec<(crate::patrols::coverage::models::UnitRow, GridFigures)>> {
    use crate::patrols::coverage::models::{Grids, logged_days, subtree_units};
    let (first, last) = month_bounds(period).ok_or(AppError::BadRequest)?;
    let units = subtree_units(conn, &street.path)?;
    let mut grids: Vec<_> = units.iter().filter(|u| u.kind == "grid").cloned().collect();
    grids.sort_by(|a, b| a.path.cmp(&b.path));
    let parents: Vec<i32> = {
        let mut p: Vec<i32> = grids.iter().filter_map(|g| g.parent_id).collect();
        p.sort_unstable();
        p.dedup();
        p
    };
    let months = [period.to_string()];
    let mut tallies = BTreeMap::new();
    for parent in crate::org::models::by_ids(conn, &parents)? {
        let live = crate::issues::figures::models::live(conn, &parent, &months, now, tz)?;
        if let Some(f) = live.get(period) {
            tallies.extend(f.by_child.clone());
        }
    }
    let end = last.min(today);
    let mut working = 0i64;
    let mut patrolled: HashMap<i32, i64> = HashMap::new();
    if end >= first {
        let cal = crate::calendar::models::load(conn, first, end)?;
        working = first
            .iter_days()
            .take_while(|d| *d <= end)
            .filter(|d| cal.is_workday(*d))
            .count() as i64;
        let ids: Vec<i32> = grids.iter().map(|g| g.id).collect();
        for d in logged_days(conn, &Grids::new(&ids), first, end)? {
            if cal.is_workday(d.day) {
                *patrolled.entry(d.grid_id).or_default() += 1;
            }
        }
    }
    Ok(grids
        .into_iter()
        .map(|g| {
            let t = tallies.get(&g.id).cloned().unwrap_or_default();
            let r = rates(&t);
            let f = GridFigures {
                closure: r.closure,
                on_time: r.on_time,
                overdue: t.overdue,
                patrol: Rate::new(patrolled.get(&g.id).copied().unwrap_or(0), working),
            };
            (g, f)
        })
        .collect())
}

/// The figure an indicator's source reads, shown beside its points, and the link to the records
/// behind it.
fn figure_of(
    ind: &Indicator,
    f: &GridFigures,
    grid_id: i32,
    period: &str,
) -> (Figure, String, String) {
    let (first, last) = month_bounds(period).unwrap_or_default();
    let issues = format!("/issues?unit={grid_id}&from={first}&to={last}");
    let rate = |r: Rate| (Figure::Rate(r), format!("{}/{}", r.num, r.den));
    let ((figure, text), url) = match ind.source.as_str() {
        "issues.closure" => (rate(f.closure), issues),
        "issues.on_time" => (rate(f.on_time), issues),
        "issues.overdue" => (
            (Figure::Count(f.overdue), f.overdue.to_string()),
            format!("/issues?unit={grid_id}&overdue=1"),
        ),
        "patrols.days" => (
            rate(f.patrol),
            format!("/grids/{grid_id}/patrols?month={period}"),
        ),
        _ => ((Figure::Manual, String::new()), String::new()),
    };
    (figure, text, url)
}

/// The computed entry of an indicator: its method's points, or a manual item's base.
fn computed_entry(ind: &Indicator, figure: Figure) -> Scored {
    domain::score(
        &ind.method,
        &ind.params,
        ind.full_marks,
        ind.floor_points,
        figure,
    )
    .unwrap_or_else(|| {
        let base = domain::base_of(&ind.method, ind.full_marks);
        Scored {
            points: base,
            formula: domain::pts(base),
        }
    })
}

/// Computes (or recomputes) the draft results of every grid under `street` for `period`: the
/// computed entries are written afresh, the manual ones kept, then totals, grades and ranks.
/// Answers the number of results, or `Conflict` when the month is published.
#[allow(clippy::too_many_arguments)]
pub fn compute(
    conn: &mut AnyConnection,
    scheme: &Scheme,
    street: &OrgUnit,
    period: &str,
    now: NaiveDateTime,
    today: NaiveDate,
    tz: chrono_tz::Tz,
) -> AppResult<usize> {
    if is_published(conn, scheme.id, period, &street.path)? {
        return Err(AppError::Conflict);
    }
    let inds = indicators(conn, scheme.id)?;
    let figures = grid_figures(conn, street, period, now, today, tz)?;
    for (g, f) in &figures {
        let existing: Option<i32> = assess_results::table
            .filter(assess_results::scheme_id.eq(scheme.id))
            .filter(assess_results::period.eq(period))
            .filter(assess_results::object_kind.eq("grid"))
            .filter(assess_results::object_id.eq(g.id))
            .select(assess_results::id)
            .load::<i32>(conn)?
            .into_iter()
            .next();
        let id = match existing {
            Some(id) => {
                diesel::delete(
                    assess_entries::table
                        .filter(assess_entries::result_id.eq(id))
                        .filter(assess_entries::manual.eq(false)),
                )
                .execute(conn)?;
                diesel::update(assess_results::table.find(id))
                    .set((
                        assess_results::object_name.eq(&g.name),
                        assess_results::computed_at.eq(now),
                        assess_results::version.eq(assess_results::version + 1),
                    ))
                    .execute(conn)?;
                id
            }
            None => diesel::insert_into(assess_results::table)
                .values((
                    assess_results::scheme_id.eq(scheme.id),
                    assess_results::period.eq(period),
                    assess_results::object_kind.eq("grid"),
                    assess_results::object_id.eq(g.id),
                    assess_results::object_name.eq(&g.name),
                    assess_results::scope_path.eq(&g.path),
                    assess_results::group_path.eq(&street.path),
                    assess_results::ranking_group.eq(""),
                    assess_results::total.eq(0),
                    assess_results::grade.eq(""),
                    assess_results::group_rank.eq(0),
                    assess_results::state.eq(DRAFT),
                    assess_results::version.eq(1),
                    assess_results::computed_at.eq(now),
                ))
                .returning(assess_results::id)
                .get_result(conn)?,
        };
        for ind in inds.iter().filter(|i| i.is_leaf()) {
            let (figure, text, url) = figure_of(ind, f, g.id, period);
            let s = computed_entry(ind, figure);
            diesel::insert_into(assess_entries::table)
                .values(&NewEntry {
                    result_id: id,
                    indicator_id: ind.id,
                    points: s.points,
                    figure: &text,
                    formula: &s.formula,
                    source_url: &url,
                    manual: false,
                    reason: "",
                    evidence: "",
                    entered_by: None,
                    created_at: now,
                    reverses: None,
                })
                .execute(conn)?;
        }
        retotal(conn, id, scheme, &inds)?;
    }
    rerank(conn, scheme.id, period, &street.path)?;
    Ok(figures.len())
}
