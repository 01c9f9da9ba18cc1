//! Campaign handlers: the list (page, export), a campaign's progress page and bulletin, the
//! campaign form.

use std::collections::{BTreeMap, HashMap};

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::domain::{self, Figure};
use super::forms::{CampaignForm, ListQuery, labelled};
use super::models::{self, Campaign, Target};
use super::pages::{
    COLUMNS, CampaignRow, FormPage, ListPage, PrintPage, Progress, ShowPage, TallyView,
};
use super::tallies::models::{self as tally_models, Tally};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit::{self, Saved, VersionedForm, labelled_json};
use crate::web::forms::FormErrors;
use crate::web::list::ListParams;
use crate::web::{AppState, render_ok};

/// The audit log's name for a campaign.
const ENTITY: &str = "campaign";

/// The list's rows in reach, with their figures.
async fn rows(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    q: &ListQuery,
) -> AppResult<Vec<CampaignRow>> {
    let (u, name) = (user.clone(), q.name());
    let (cs, targets, entries, names) = db::run(&state.pool, move |conn| {
        let cs = models::list(conn, &u, name.as_deref())?;
        let ids: Vec<i32> = cs.iter().map(|c| c.id).collect();
        let targets = models::targets_of(conn, &ids)?;
        let entries = tally_models::entries_of(conn, &ids)?;
        let names = crate::issues::models::unit_names(conn, cs.iter().map(|c| c.unit_id))?;
        Ok((cs, targets, entries, names))
    })
    .await?;
    let ctx = Ctx::build(req, Some(user.clone()));
    let today = state.today();
    Ok(cs
        .iter()
        .map(|c| {
            let ts: Vec<&Target> = targets.iter().filter(|t| t.campaign_id == c.id).collect();
            let es: Vec<domain::Entry> = entries
                .iter()
                .filter(|(id, _)| *id == c.id)
                .map(|(_, e)| *e)
                .collect();
            let done = domain::done_by_target(&domain::fold(&es));
            let unit = names.get(&c.unit_id).map(String::as_str).unwrap_or("");
            CampaignRow::of(&ctx, c, unit, &ts, &done, today)
        })
        .collect())
}

/// GET /campaigns — the campaigns in reach.
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let rows = rows(&state, &req, &user, &q).await?;
    render_ok(&ListPage {
        ctx: Ctx::build(&req, Some(user.clone())),
        export_query: q.base(),
        may_create: user.role.is_office_staff(),
        rows,
        q,
    })
}

/// GET /campaigns/export.xlsx — the same list.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let rows = rows(&state, &req, &user, &q).await?;
    let ctx = Ctx::build(&req, Some(user));
    let cells: Vec<Vec<String>> = rows.iter().map(CampaignRow::cells).collect();
    crate::web::xlsx::respond(&ctx, "campaigns.xlsx", "campaigns", &COLUMNS, &cells)
}

/// What a campaign's page, bulletin and export read.
pub struct Loaded {
    pub c: Campaign,
    pub targets: Vec<Target>,
    pub tallies: Vec<Tally>,
    pub figures: BTreeMap<i32, Figure>,
    pub names: HashMap<i32, String>,
    pub issues: Option<i64>,
}

/// The campaign in reach with its targets, entries (those in the user's scope when the user is
/// inside the campaign) and the names of their units.
pub async fn load(state: &AppState, user: &CurrentUser, id: i32) -> AppResult<Loaded> {
    let u = user.clone();
    let tz = state.tz;
    db::run(&state.pool, move |conn| {
        let c = models::get_scoped(conn, &u, id)?;
        let targets = models::targets(conn, id)?;
        let all = tally_models::of_campaign(conn, id)?;
        let entries: Vec<domain::Entry> = all.iter().map(Tally::entry).collect();
        let figures = domain::fold(&entries);
        let tallies: Vec<Tally> = all
            .into_iter()
            .filter(|t| u.sees(&t.scope_path) || u.sees(&c.scope_path))
            .collect();
        let mut ids: Vec<i32> = figures.values().map(|f| f.unit_id).collect();
        ids.push(c.unit_id);
        let names = crate::issues::models::unit_names(conn, ids)?;
        let issues = issues_count(conn, &u, &c, tz)?;
        Ok(Loaded {
            c,
            targets,
            tallies,
            figures,
            names,
            issues,
        })
    })
    .await
}

/// The issues reported inside the campaign (and the user's scope) during its period: a
/// read-only count through the issue list's own query.
fn issues_count(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    c: &Campaign,
    tz: chrono_tz::Tz,
) -> AppResult<Option<i64>> {
    let Some((from, to)) = domain::utc_period(c.starts_on, c.ends_on, tz) else {
        return Ok(None);
    };
    let path = if user.sees(&c.scope_path) {
        c.scope_path.clone()
    } else {
        user.org_path.clone()
    };
    let f = crate::issues::models::Filter {
        unit_path: Some(path),
        from: Some(from),
        to: Some(to),
        ..Default::default()
    };
    Ok(Some(crate::issues::models::count(
        conn,
        user,
        &f,
        db::now(),
    )?))
}

fn views(ctx: &Ctx, l: &Loaded) -> Vec<TallyView> {
    let heads: std::collections::HashSet<i32> = l.figures.values().map(|f| f.latest).collect();
    l.tallies
        .iter()
        .rev()
        .map(|t| TallyView::of(ctx, t, &l.targets, &l.names, heads.contains(&t.id)))
        .collect()
}

fn progress(ctx: &Ctx, l: &Loaded, today: chrono::NaiveDate) -> Progress {
    let unit = l.names.get(&l.c.unit_id).cloned().unwrap_or_default();
    Progress::new(
        ctx,
        l.c.clone(),
        unit,
        &l.targets,
        &l.figures,
        &l.names,
        today,
    )
}

/// GET /campaigns/{id} — the progress per target against 时序进度, the ranking, the entries.
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let l = load(&state, &user, path.into_inner()).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&ShowPage {
        tallies: views(&ctx, &l),
        p: progress(&ctx, &l, state.today()),
        may_keep: domain::may_keep(&user, &l.c.scope_path),
        may_tally: domain::may_enter(&user, &l.c.scope_path),
        issues: l.issues,
        ctx,
    })
}

/// GET /campaigns/{id}/print — the A4 bulletin (工作简报).
pub async fn print(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let l = load(&state, &user, path.into_inner()).await?;
    let ctx = Ctx::build(&req, Some(user));
    let mut latest = views(&ctx, &l);
    latest.truncate(20);
    render_ok(&PrintPage {
        period: format!("{} – {}", l.c.starts_on, state.today().min(l.c.ends_on)),
        p: progress(&ctx, &l, state.today()),
        latest,
        issues: l.issues,
        ctx,
    })
}

/// GET /campaigns/{id}/export.xlsx — the entries in reach.
pub async fn export_tallies(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let l = load(&state, &user, path.into_inner()).await?;
    let ctx = Ctx::build(&req, Some(user));
    let cells: Vec<Vec<String>> = views(&ctx, &l).iter().map(TallyView::cells).collect();
    crate::web::xlsx::respond(
        &ctx,
        "campaign-tallies.xlsx",
        "tallies",
        &super::pages::TALLY_COLUMNS,
        &cells,
    )
}

/// GET /campaigns/new
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    if !user.role.is_office_staff() {
        return Err(AppError::Forbidden);
    }
    let u = user.clone();
    let d = db::run(&state.pool, move |conn| models::lead_units(conn, &u)).await?;
    let today = state.today();
    let form = CampaignForm {
        unit_id: d.first().map(|u| u.0.to_string()).unwrap_or_default(),
        starts_on: today.to_string(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&FormPage::new(ctx, form, FormErrors::new(), &d, None))
}

/// POST /campaigns
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<CampaignForm>,
) -> AppResult<HttpResponse> {
    if !user.role.is_office_staff() {
        return Err(AppError::Forbidden);
    }
    let form = form.0;
    let u = user.clone();
    let d = db::run(&state.pool, move |conn| models::lead_units(conn, &u)).await?;
    let fields = match form.parse(&d) {
        Ok(f) => f,
        Err(e) => {
            let ctx = Ctx::build(&req, Some(user));
            return edit::invalid(&FormPage::new(ctx, form, e, &d, None));
        }
    };
    let actor = user.actor();
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let id = models::insert(conn, &fields, db::now())?;
        let (name, scope) = (&fields.name, &fields.scope_path);
        crate::audit::created(conn, &actor, ENTITY, id, name, &fields, scope)?;
        Ok(format!("/campaigns/{id}"))
    })
    .await
}

/// The campaign if the user may keep it, with the units the form offers.
async fn load_for_edit(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(Campaign, Vec<(i32, String, i32, String)>)> {
    let u = user.clone();
    let (c, d) = db::run(&state.pool, move |conn| {
        Ok((
            models::get_scoped(conn, &u, id)?,
            models::lead_units(conn, &u)?,
        ))
    })
    .await?;
    if !domain::may_keep(user, &c.scope_path) {
        return Err(AppError::Forbidden);
    }
    Ok((c, d))
}

/// GET /campaigns/{id}/edit
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (c, d) = load_for_edit(&state, &user, path.into_inner()).await?;
    let form = CampaignForm::from_campaign(&c);
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&FormPage::new(ctx, form, FormErrors::new(), &d, Some(&c)))
}

/// POST /campaigns/{id}
pub async fn update(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<CampaignForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut form = form.0;
    let (c, d) = load_for_edit(&state, &user, id).await?;
    let ctx = || Ctx::build(&req, Some(user.clone()));
    let fields = match form.parse(&d) {
        Ok(f) => f,
        Err(e) => return edit::invalid(&FormPage::new(ctx(), form, e, &d, Some(&c))),
    };
    let before = labelled_json(&labelled(&CampaignForm::from_campaign(&c)));
    let after = labelled_json(&labelled(&form));
    let (u, seen) = (user.clone(), form.seen_version());
    let saved = db::run_write(&state.pool, move |conn| {
        if !models::update(conn, id, seen, &fields, db::now())? {
            return Ok(Saved::Stale(models::get_scoped(conn, &u, id)?));
        }
        let (name, scope) = (&fields.name, &fields.scope_path);
        crate::audit::updated(conn, &u.actor(), ENTITY, id, name, &before, &after, scope)?;
        Ok(Saved::Done)
    })
    .await?;
    let done = format!("/campaigns/{id}");
    edit::answer(&session, saved, ("flash.saved", &done), |latest, e| {
        let conflicts = latest.as_ref().map(|l| {
            let (mine, theirs) = (labelled(&form), labelled(&CampaignForm::from_campaign(l)));
            edit::stale(&mut form, l.version, &mine, &theirs)
        });
        let mut page = FormPage::new(ctx(), form, e, &d, Some(latest.as_ref().unwrap_or(&c)));
        page.conflicts = conflicts.unwrap_or_default();
        page
    })
}
