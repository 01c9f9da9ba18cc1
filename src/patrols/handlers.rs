//! The patrol pages that read: the list with my grids of today, a log's page, the export.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;

use super::domain::{self, Change};
use super::forms::ListQuery;
use super::models;
use super::pages::{CorrectionView, ListPage, MyGrid, RowView, ShowPage, VisitView};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::issues::models as issue_models;
use crate::web::ctx::Ctx;
use crate::web::forms::Choice;
use crate::web::pagination::Pager;
use crate::web::{AppState, render_ok};

// ---------------------------------------------------------------------------------------------
// The log's page

/// GET /patrols/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let (p, names, sites, visits, issues, corrections) = db::run(&state.pool, move |conn| {
        let p = models::get_scoped(conn, &u, id)?;
        let names = issue_models::unit_names(conn, [p.grid_id])?;
        let worker: HashMap<i32, String> = issue_models::user_names(conn, &[p.worker_id])?
            .into_iter()
            .collect();
        let sites = models::site_checks(conn, p.id)?;
        let visits = models::visits(conn, p.id)?;
        let issues = models::issues_of(conn, p.id)?;
        let corrections = models::corrections(conn, p.id)?;
        Ok((p, (names, worker), sites, visits, issues, corrections))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let full = domain::sees_residents(&user, &p);
    let change =
        match domain::change_allowed(&user, &p, state.today(), state.settings.patrol_edit_days) {
            Some(Change::Edit) => "edit",
            Some(Change::Correct) => "correct",
            None => "",
        };
    let page = ShowPage {
        grid_name: names.0.get(&p.grid_id).cloned().unwrap_or_default(),
        worker_name: names.1.get(&p.worker_id).cloned().unwrap_or_default(),
        sites: sites
            .into_iter()
            .map(|(_, name, kind, finding, note)| (name, kind, finding, note))
            .collect(),
        visits: visits
            .into_iter()
            .map(|v| VisitView {
                householder: if full {
                    v.householder
                } else {
                    domain::mask_name(&v.householder)
                },
                // Phones are masked in this list for everyone; the full number only for those
                // who follow up, in its title (hover) and the print.
                phone: if full {
                    v.phone
                } else {
                    crate::web::forms::mask_phone(&v.phone)
                },
                address: v.address,
                learned: v.learned,
                needs: v.needs,
            })
            .collect(),
        issues,
        corrections: corrections
            .into_iter()
            .map(|(_, who, reason, changes, at)| CorrectionView {
                who: who.unwrap_or_default(),
                when: ctx.dt(&at),
                reason,
                changes: serde_json::from_str::<Vec<(String, String, String)>>(&changes)
                    .unwrap_or_default(),
            })
            .collect(),
        change,
        p,
        ctx,
    };
    render_ok(&page)
}

// ---------------------------------------------------------------------------------------------
// The list and its export

fn parse_day(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// The list's filter with its unit resolved inside the user's scope (outside: 404).
fn resolve_filter(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    q: &ListQuery,
) -> AppResult<models::Filter> {
    let mut f = models::Filter {
        worker_id: q.worker.trim().parse().ok(),
        from: parse_day(&q.from),
        to: parse_day(&q.to),
        kind: q.kind.trim().to_string(),
        ..Default::default()
    };
    if let Ok(unit) = q.unit.trim().parse::<i32>() {
        f.unit_path = Some(crate::org::models::get_scoped(conn, user, unit)?.path);
    }
    Ok(f)
}

type Names = (HashMap<i32, String>, HashMap<i32, String>);

fn row_names(conn: &mut AnyConnection, rows: &[models::ListRow]) -> AppResult<Names> {
    let mut workers: Vec<i32> = rows.iter().map(|r| r.2).collect();
    workers.sort_unstable();
    workers.dedup();
    Ok((
        issue_models::unit_names(conn, rows.iter().map(|r| r.1))?,
        issue_models::user_names(conn, &workers)?
            .into_iter()
            .collect(),
    ))
}

fn time_span(start: &str, end: &str) -> String {
    if start.is_empty() {
        String::new()
    } else {
        format!("{start}–{end}")
    }
}

const KINDS: [&str; 3] = ["problems", "quick", "corrected"];

/// GET /patrols — my grids of today (for those who patrol), and the logs in scope.
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let mut pager = Pager::open_ended("/patrols", q.page.as_deref(), q.base());
    let (u, qq, today) = (user.clone(), q.clone(), state.today());
    let (offset, fetch) = (pager.offset(), pager.fetch());
    let (mut rows, names, units, workers, mine) = db::run(&state.pool, move |conn| {
        let f = resolve_filter(conn, &u, &qq)?;
        let rows = models::list(conn, &u, &f, offset, fetch)?;
        let names = row_names(conn, &rows)?;
        // Grids and workers are offered by name within a street; a district admin narrows by
        // street or community first (the unit select) and then finds them offered.
        let within = f.unit_path.clone().unwrap_or_else(|| u.org_path.clone());
        let units = crate::org::models::options(conn, &u, models::names_each(&u.org_path))?
            .into_iter()
            .map(crate::org::models::choice)
            .collect::<Vec<_>>();
        let workers = if models::names_each(&within) {
            models::workers(conn, &within)?
        } else {
            Vec::new()
        };
        let workers = workers
            .into_iter()
            .map(|(id, name)| Choice::new(id, name))
            .collect::<Vec<_>>();
        let logged = models::logged_today(conn, u.id, today)?;
        let mine = models::my_grids(conn, &u)?
            .into_iter()
            .map(|(id, name)| MyGrid {
                id,
                name,
                logged: logged.iter().find(|l| l.0 == id).map(|l| (l.1, l.2)),
            })
            .collect::<Vec<_>>();
        Ok((rows, names, units, workers, mine))
    })
    .await?;
    pager.trim(&mut rows);
    let ctx = Ctx::build(&req, Some(user));
    let rows = rows
        .iter()
        .map(|r| RowView {
            id: r.0,
            grid: names.0.get(&r.1).cloned().unwrap_or_default(),
            worker_id: r.2,
            worker: names.1.get(&r.2).cloned().unwrap_or_default(),
            day: ctx.date(&r.3),
            time: time_span(&r.4, &r.5),
            quick: r.6,
            sites: r.7,
            site_problems: r.8,
            visits: r.9,
            problems: r.10,
            corrections: r.11,
        })
        .collect();
    render_ok(&ListPage {
        kinds: KINDS
            .iter()
            .map(|k| Choice::new(k, ctx.t(format!("patrols.kind.{k}"))))
            .collect(),
        rows,
        pager,
        q,
        units,
        workers,
        mine,
        quick_token: crate::web::csrf::random_token(),
        today: ctx.date(&state.today()),
        ctx,
    })
}

/// Rows exported at most (a district-year is ~190,000 logs: narrow the filter for more).
const EXPORT_MAX: i64 = 100_000;

/// GET /patrols/export.xlsx — the list with its filters, in scope (no residents' data).
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let (u, q) = (user.clone(), q.into_inner());
    let (rows, names) = db::run(&state.pool, move |conn| {
        let f = resolve_filter(conn, &u, &q)?;
        let rows = models::list(conn, &u, &f, 0, EXPORT_MAX)?;
        let names = row_names(conn, &rows)?;
        Ok((rows, names))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    let yes = ctx.t("form.yes");
    let out: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                ctx.date(&r.3),
                names.0.get(&r.1).cloned().unwrap_or_default(),
                names.1.get(&r.2).cloned().unwrap_or_default(),
                time_span(&r.4, &r.5),
                if r.6 { yes.clone() } else { String::new() },
                r.7.to_string(),
                r.8.to_string(),
                r.9.to_string(),
                r.10.to_string(),
                r.11.to_string(),
            ]
        })
        .collect();
    crate::web::xlsx::respond(
        &ctx,
        "patrols.xlsx",
        "patrols",
        &[
            "patrols.day",
            "patrols.grid",
            "patrols.worker",
            "patrols.time",
            "patrols.quick",
            "patrols.sites_checked",
            "patrols.site_problems",
            "patrols.visits",
            "patrols.problems",
            "patrols.corrections",
        ],
        &out,
    )
}
