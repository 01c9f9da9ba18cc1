//! Reading activity records: an activity's page (attendance, the visit or pairing, the grids
//! and issues it served, photos) and the list in scope with its export (photos are served and
//! removed in `activity_photos.rs`). Scope is the branch's (`models::get_scoped`): the user's
//! subtree, or their own branch.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::activity_models::{self as am, Filter, ListRow};
use super::activity_pages::{ActivitiesPage, ActivityPage, ActivityRow, AttendanceView};
use super::domain::{self, ACTIVITY_KINDS};
use super::models as branch_models;
use super::pairing_data;
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};
use crate::web::pagination::Pager;
use crate::web::{AppState, render_ok};

/// GET /party/activities/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let (a, b, attendance, (grids, issues), photos, pairing) = db::run(&state.pool, move |conn| {
        let (a, b) = am::get_scoped(conn, &u, id)?;
        let attendance = am::attendance(conn, id)?;
        let links = am::links(conn, id)?;
        let photos = am::photos(conn, id)?;
        let pairing = match a.pairing_id {
            Some(p) => Some(pairing_data::pairing(conn, b.id, p)?),
            None => None,
        };
        Ok((a, b, attendance, links, photos, pairing))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&ActivityPage {
        may_edit: domain::may_edit(&user, &b.scope_path, b.secretary_user_id),
        attendance: attendance
            .into_iter()
            .map(|(member_id, name, attendance, reason)| AttendanceView {
                member_id,
                name,
                attendance,
                reason,
            })
            .collect(),
        grids,
        issues,
        photos: photos.into_iter().map(|p| p.0).collect(),
        pairing: pairing.map(|(p, name)| (p.id, format!("{name} → {}", p.household))),
        branch_id: b.id,
        branch_name: b.name,
        a,
        ctx,
    })
}

/// The list's query string.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub unit: String,
    pub branch: String,
    pub kind: String,
    pub from: String,
    pub to: String,
    pub page: Option<String>,
}

impl ListQuery {
    /// The query string without the page (for the pager and the export link).
    pub fn base(&self) -> String {
        crate::web::pagination::query_string(&[
            ("unit", self.unit.trim()),
            ("branch", self.branch.trim()),
            ("kind", self.kind.trim()),
            ("from", self.from.trim()),
            ("to", self.to.trim()),
        ])
    }
}

/// The list's filter: the unit and branch resolved in the user's scope (outside: 404); a bad
/// date is a message beside its field.
fn resolve_filter(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    q: &ListQuery,
) -> AppResult<(Filter, FormErrors)> {
    let mut e = FormErrors::new();
    let mut day =
        |field: &'static str, raw: &str| crate::web::forms::optional_date(&mut e, field, raw);
    let mut f = Filter {
        from: day("from", &q.from),
        to: day("to", &q.to),
        kind: ACTIVITY_KINDS
            .iter()
            .find(|k| **k == q.kind.trim())
            .map(|k| k.to_string()),
        ..Default::default()
    };
    if let (Some(a), Some(b)) = (f.from, f.to)
        && b < a
    {
        e.add("to", "party.activity.to_before_from");
    }
    if let Ok(unit) = q.unit.trim().parse::<i32>() {
        f.unit_path = Some(crate::org::models::get_scoped(conn, user, unit)?.path);
    }
    if let Ok(branch) = q.branch.trim().parse::<i32>() {
        f.branch_id = Some(branch_models::get_scoped(conn, user, branch)?.id);
    }
    Ok((f, e))
}

pub fn row_view(ctx: &Ctx, (a, branch): &ListRow) -> ActivityRow {
    ActivityRow {
        id: a.id,
        day: ctx.date(&a.day),
        time: if a.start_time.is_empty() {
            String::new()
        } else {
            format!("{}-{}", a.start_time, a.end_time)
        },
        branch_id: a.branch_id,
        branch: branch.clone(),
        kind: ctx.t(format!("party.activity_kind.{}", a.kind)),
        title: a.title.clone(),
        place: a.place.clone(),
        host: a.host.clone(),
        attendance: if a.expected > 0 {
            format!("{}/{}", a.present, a.expected)
        } else {
            String::new()
        },
        photos: a.photos,
    }
}

/// GET /party/activities
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let mut pager = Pager::open_ended("/party/activities", q.page.as_deref(), q.base());
    let (u, qq) = (user.clone(), q.clone());
    let (offset, fetch) = (pager.offset(), pager.fetch());
    let (mut rows, units, branches, errors) = db::run(&state.pool, move |conn| {
        let (f, errors) = resolve_filter(conn, &u, &qq)?;
        let rows = am::list(conn, &u, &f, offset, fetch)?;
        let units = crate::org::models::options(conn, &u, false)?
            .into_iter()
            .map(crate::org::models::choice)
            .collect::<Vec<_>>();
        let branches = branch_models::list(conn, &u, &Default::default())?
            .into_iter()
            .map(|b| Choice::new(b.id, b.name))
            .collect::<Vec<_>>();
        Ok((rows, units, branches, errors))
    })
    .await?;
    pager.trim(&mut rows);
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&ActivitiesPage {
        kinds: ACTIVITY_KINDS
            .iter()
            .map(|k| Choice::new(k, ctx.t(format!("party.activity_kind.{k}"))))
            .collect(),
        rows: rows.iter().map(|r| row_view(&ctx, r)).collect(),
        units,
        branches,
        pager,
        errors,
        q,
        ctx,
    })
}

/// Rows exported at most (narrow the filter for more).
const EXPORT_MAX: i64 = 100_000;

/// GET /party/activities/export.xlsx — the list with its filters, in scope.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let (u, q) = (user.clone(), q.into_inner());
    let rows = db::run(&state.pool, move |conn| {
        let (f, _) = resolve_filter(conn, &u, &q)?;
        am::list(conn, &u, &f, 0, EXPORT_MAX)
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    let difficulty: HashMap<&str, String> = domain::DIFFICULTY
        .iter()
        .filter(|d| !d.is_empty())
        .map(|d| (*d, ctx.t(format!("party.difficulty.{d}"))))
        .collect();
    let out: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let v = row_view(&ctx, r);
            let a = &r.0;
            vec![
                v.day,
                v.time,
                v.branch,
                v.kind,
                v.title,
                v.place,
                v.host,
                a.recorder.clone(),
                a.expected.to_string(),
                a.present.to_string(),
                a.visited.clone(),
                difficulty
                    .get(a.difficulty.as_str())
                    .cloned()
                    .unwrap_or_default(),
                a.given.clone(),
                a.content.clone(),
                a.outcomes.clone(),
                a.photos.to_string(),
            ]
        })
        .collect();
    crate::web::xlsx::respond(
        &ctx,
        "party-activities.xlsx",
        "activities",
        &[
            "party.activity.day",
            "party.activity.time",
            "party.branch",
            "party.activity.kind",
            "party.activity.title",
            "party.activity.place",
            "party.activity.host",
            "party.activity.recorder",
            "party.activity.expected",
            "party.activity.present",
            "party.activity.visited",
            "party.difficulty_label",
            "party.activity.given",
            "party.activity.content",
            "party.activity.outcomes",
            "party.activity.photos",
        ],
        &out,
    )
}
