//! All the SQL of 量化考核: schemes and their indicators, a month's results and their entries,
//! computing a street's grids from the issue summary table (`issues::figures::models::live`) and
//! the patrol index (`patrols::coverage::models::logged_days`) on the work calendar, manual
//! entries, reversal and publication. Every read by id is scoped (outside: 404).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::domain::{self, DRAFT, Figure, PUBLISHED, Scored};
use crate::auth::CurrentUser;
use crate::db::schema::{assess_entries, assess_indicators, assess_results, assess_schemes, users};
use crate::db::{AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};
use crate::issues::figures::domain::{parse_month, rates};
use crate::org::models::OrgUnit;
use crate::ratio::Rate;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assess_schemes)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Scheme {
    pub id: i32,
    pub name: String,
    pub basis: String,
    pub objects: String,
    pub cycle: String,
    pub bands: String,
    pub scope_path: String,
    pub version: i32,
    pub status: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assess_indicators)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Indicator {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub depth: i32,
    pub code: String,
    pub name: String,
    pub full_marks: i32,
    pub method: String,
    pub params: String,
    pub source: String,
    pub floor_points: i32,
    pub cap_points: Option<i32>,
}

impl Indicator {
    /// A scored item (三级, or any indicator without children).
    pub fn is_leaf(&self) -> bool {
        self.method != "sum"
    }

    /// Scored by hand: manual entries only.
    pub fn is_manual(&self) -> bool {
        self.source == "manual"
    }

    pub fn cap(&self) -> i32 {
        self.cap_points.unwrap_or(self.full_marks)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assess_results)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct AssessResult {
    pub id: i32,
    pub scheme_id: i32,
    pub period: String,
    pub object_kind: String,
    pub object_id: i32,
    pub object_name: String,
    pub scope_path: String,
    pub group_path: String,
    pub total: i32,
    pub grade: String,
    pub group_rank: i32,
    pub state: String,
    pub version: i32,
    pub computed_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
}

impl AssessResult {
    pub fn is_published(&self) -> bool {
        self.state == PUBLISHED
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assess_entries)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Entry {
    pub id: i32,
    pub result_id: i32,
    pub indicator_id: i32,
    pub points: i32,
    pub figure: String,
    pub formula: String,
    pub source_url: String,
    pub manual: bool,
    pub reason: String,
    pub evidence: String,
    pub entered_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub reverses: Option<i32>,
    pub reversed_by: Option<i32>,
}

/// The active schemes that serve `group_path` (their scope lies on its path), newest first.
pub fn schemes_for(conn: &mut AnyConnection, group_path: &str) -> AppResult<Vec<Scheme>> {
    let mut rows: Vec<Scheme> = assess_schemes::table
        .filter(assess_schemes::status.eq("active"))
        .order(assess_schemes::id.desc())
        .select(Scheme::as_select())
        .load(conn)?;
    rows.retain(|s| group_path.starts_with(&s.scope_path));
    Ok(rows)
}

/// Every scheme the user may read (those serving a unit on their path or below it).
pub fn schemes_seen(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<Scheme>> {
    let mut rows: Vec<Scheme> = assess_schemes::table
        .order(assess_schemes::id)
        .select(Scheme::as_select())
        .load(conn)?;
    rows.retain(|s| user.org_path.starts_with(&s.scope_path) || user.sees(&s.scope_path));
    Ok(rows)
}

pub fn scheme(conn: &mut AnyConnection, id: i32) -> AppResult<Scheme> {
    Ok(assess_schemes::table
        .find(id)
        .select(Scheme::as_select())
        .first_row(conn)?)
}

/// A scheme's indicators in the tree's order.
pub fn indicators(conn: &mut AnyConnection, scheme_id: i32) -> AppResult<Vec<Indicator>> {
    Ok(assess_indicators::table
        .filter(assess_indicators::scheme_id.eq(scheme_id))
        .order((assess_indicators::sort_order, assess_indicators::id))
        .select(Indicator::as_select())
        .load(conn)?)
}

/// A group's results of a period inside the user's scope, by rank.
pub fn results(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    scheme_id: i32,
    period: &str,
    group_path: &str,
) -> AppResult<Vec<AssessResult>> {
    let (lo, hi) = user.scope();
    Ok(assess_results::table
        .filter(assess_results::group_path.eq(group_path))
        .filter(assess_results::period.eq(period))
        .filter(assess_results::scheme_id.eq(scheme_id))
        .filter(assess_results::scope_path.ge(lo))
        .filter(assess_results::scope_path.lt(hi))
        .order((assess_results::group_rank, assess_results::object_name))
        .select(AssessResult::as_select())
        .load(conn)?)
}

/// The results of the given objects (a worker's grids), newest period first.
pub fn results_of_objects(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<Vec<AssessResult>> {
    Ok(assess_results::table
        .filter(assess_results::object_kind.eq("grid"))
        .filter(assess_results::object_id.eq_any(ids))
        .order((assess_results::period.desc(), assess_results::object_name))
        .limit(120)
        .select(AssessResult::as_select())
        .load(conn)?)
}

/// A result, if it lies in the user's scope.
pub fn get_scoped(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i32,
) -> AppResult<AssessResult> {
    let (lo, hi) = user.scope();
    Ok(assess_results::table
        .find(id)
        .filter(assess_results::scope_path.ge(lo))
        .filter(assess_results::scope_path.lt(hi))
        .select(AssessResult::as_select())
        .first_row(conn)?)
}

/// A result's entries, oldest first.
pub fn entries(conn: &mut AnyConnection, result_id: i32) -> AppResult<Vec<Entry>> {
    Ok(assess_entries::table
        .filter(assess_entries::result_id.eq(result_id))
        .order(assess_entries::id)
        .select(Entry::as_select())
        .load(conn)?)
}

/// The names of the users who made entries.
pub fn user_names(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<HashMap<i32, String>> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect())
}

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

#[derive(Insertable)]
#[diesel(table_name = assess_entries)]
pub struct NewEntry<'a> {
    pub result_id: i32,
    pub indicator_id: i32,
    pub points: i32,
    pub figure: &'a str,
    pub formula: &'a str,
    pub source_url: &'a str,
    pub manual: bool,
    pub reason: &'a str,
    pub evidence: &'a str,
    pub entered_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub reverses: Option<i32>,
}

/// Whether the group's month has a published result (then nothing of it changes).
pub fn is_published(
    conn: &mut AnyConnection,
    scheme_id: i32,
    period: &str,
    group_path: &str,
) -> AppResult<bool> {
    let n: i64 = assess_results::table
        .filter(assess_results::group_path.eq(group_path))
        .filter(assess_results::period.eq(period))
        .filter(assess_results::scheme_id.eq(scheme_id))
        .filter(assess_results::state.eq(PUBLISHED))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
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

/// Each scored indicator's points for a result's entries (id → score within floor and cap).
pub fn indicator_scores(inds: &[Indicator], entries: &[Entry]) -> BTreeMap<i32, i32> {
    inds.iter()
        .filter(|i| i.is_leaf())
        .map(|i| {
            let pts: Vec<i32> = entries
                .iter()
                .filter(|e| e.indicator_id == i.id)
                .map(|e| e.points)
                .collect();
            (i.id, domain::indicator_score(&pts, i.floor_points, i.cap()))
        })
        .collect()
}

/// Writes a result's total and grade from its entries.
pub fn retotal(
    conn: &mut AnyConnection,
    id: i32,
    scheme: &Scheme,
    inds: &[Indicator],
) -> AppResult<i32> {
    let es = entries(conn, id)?;
    let total: i32 = indicator_scores(inds, &es).values().sum();
    diesel::update(assess_results::table.find(id))
        .set((
            assess_results::total.eq(total),
            assess_results::grade.eq(domain::grade(total, &scheme.bands)),
        ))
        .execute(conn)?;
    Ok(total)
}

/// Ranks a group's month by total.
pub fn rerank(
    conn: &mut AnyConnection,
    scheme_id: i32,
    period: &str,
    group_path: &str,
) -> AppResult<()> {
    let rows: Vec<(i32, i32, i32)> = assess_results::table
        .filter(assess_results::group_path.eq(group_path))
        .filter(assess_results::period.eq(period))
        .filter(assess_results::scheme_id.eq(scheme_id))
        .select((
            assess_results::id,
            assess_results::total,
            assess_results::group_rank,
        ))
        .load(conn)?;
    let totals: Vec<i32> = rows.iter().map(|r| r.1).collect();
    for ((id, _, old), rank) in rows.iter().zip(domain::ranks(&totals)) {
        if *old != rank {
            diesel::update(assess_results::table.find(*id))
                .set(assess_results::group_rank.eq(rank))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Moves a draft result's version on from `seen`: false when it moved already or it is published.
pub fn bump(conn: &mut AnyConnection, id: i32, seen: i32) -> AppResult<bool> {
    Ok(diesel::update(
        assess_results::table
            .find(id)
            .filter(assess_results::version.eq(seen))
            .filter(assess_results::state.eq(DRAFT)),
    )
    .set(assess_results::version.eq(assess_results::version + 1))
    .execute(conn)?
        == 1)
}

pub fn insert_entry(conn: &mut AnyConnection, e: &NewEntry) -> AppResult<i32> {
    Ok(diesel::insert_into(assess_entries::table)
        .values(e)
        .returning(assess_entries::id)
        .get_result(conn)?)
}

pub fn get_entry(conn: &mut AnyConnection, result_id: i32, id: i32) -> AppResult<Entry> {
    Ok(assess_entries::table
        .find(id)
        .filter(assess_entries::result_id.eq(result_id))
        .select(Entry::as_select())
        .first_row(conn)?)
}

/// Marks `id` reversed by `by`: false when someone reversed it first.
pub fn mark_reversed(conn: &mut AnyConnection, id: i32, by: i32) -> AppResult<bool> {
    Ok(diesel::update(
        assess_entries::table
            .find(id)
            .filter(assess_entries::reversed_by.is_null()),
    )
    .set(assess_entries::reversed_by.eq(Some(by)))
    .execute(conn)?
        == 1)
}

/// Publishes a group's draft month: answers how many results were published.
pub fn publish(
    conn: &mut AnyConnection,
    scheme_id: i32,
    period: &str,
    group_path: &str,
    by: i32,
    now: NaiveDateTime,
) -> AppResult<usize> {
    Ok(diesel::update(
        assess_results::table
            .filter(assess_results::group_path.eq(group_path))
            .filter(assess_results::period.eq(period))
            .filter(assess_results::scheme_id.eq(scheme_id))
            .filter(assess_results::state.eq(DRAFT)),
    )
    .set((
        assess_results::state.eq(PUBLISHED),
        assess_results::published_at.eq(Some(now)),
        assess_results::published_by.eq(Some(by)),
        assess_results::version.eq(assess_results::version + 1),
    ))
    .execute(conn)?)
}

/// The month before `today`'s, "2026-10".
pub fn last_month(today: NaiveDate) -> String {
    let d = today
        .with_day(1)
        .unwrap_or(today)
        .pred_opt()
        .unwrap_or(today);
    d.format("%Y-%m").to_string()
}

/// Result id → scored indicator id → points, and result id → (bonus, deductions) of its manual
/// entries, for a page of results (one query).
#[allow(clippy::type_complexity)]
pub fn scored(
    conn: &mut AnyConnection,
    inds: &[Indicator],
    results: &[AssessResult],
) -> AppResult<(HashMap<i32, BTreeMap<i32, i32>>, HashMap<i32, (i32, i32)>)> {
    let ids: Vec<i32> = results.iter().map(|r| r.id).collect();
    let all: Vec<Entry> = assess_entries::table
        .filter(assess_entries::result_id.eq_any(&ids))
        .select(Entry::as_select())
        .load(conn)?;
    let mut by_result: HashMap<i32, Vec<Entry>> = HashMap::new();
    for e in all {
        by_result.entry(e.result_id).or_default().push(e);
    }
    let mut scores = HashMap::new();
    let mut manual = HashMap::new();
    for (rid, es) in &by_result {
        scores.insert(*rid, indicator_scores(inds, es));
        let (mut plus, mut minus) = (0, 0);
        for e in es.iter().filter(|e| e.manual) {
            if e.points > 0 {
                plus += e.points;
            } else {
                minus += e.points;
            }
        }
        manual.insert(*rid, (plus, minus));
    }
    Ok((scores, manual))
}

/// A group's results of a period, by rank (no user scope: the demo and the cockpit's own reads
/// pass a group already in scope).
pub fn group_results(
    conn: &mut AnyConnection,
    scheme_id: i32,
    period: &str,
    group_path: &str,
) -> AppResult<Vec<AssessResult>> {
    Ok(assess_results::table
        .filter(assess_results::group_path.eq(group_path))
        .filter(assess_results::period.eq(period))
        .filter(assess_results::scheme_id.eq(scheme_id))
        .order((assess_results::group_rank, assess_results::object_name))
        .select(AssessResult::as_select())
        .load(conn)?)
}

/// The newest month with results in the user's scope, for the cockpit's tile: its results by
/// total, best first.
pub struct Standing {
    pub period: String,
    pub results: Vec<AssessResult>,
}

pub fn standing(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Option<Standing>> {
    let (lo, hi) = user.scope();
    let period: Option<String> = assess_results::table
        .filter(assess_results::scope_path.ge(&lo))
        .filter(assess_results::scope_path.lt(&hi))
        .select(diesel::dsl::max(assess_results::period))
        .get_result(conn)?;
    let Some(period) = period else {
        return Ok(None);
    };
    let results = assess_results::table
        .filter(assess_results::period.eq(&period))
        .filter(assess_results::scope_path.ge(lo))
        .filter(assess_results::scope_path.lt(hi))
        .order((assess_results::total.desc(), assess_results::object_name))
        .select(AssessResult::as_select())
        .load(conn)?;
    Ok(Some(Standing { period, results }))
}
