//! An agenda item's page: the discussion and the decision (solution, responsible, deadline),
//! written back to the issue's timeline — dispatching it or moving its deadline where the
//! decision says so — and a free topic turned into a new issue.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;

use super::domain::{self, State};
use super::forms::{DecisionForm, DecisionInput, TopicIssueForm, decision_fields};
use super::handlers::{Loaded, item_view, load};
use super::models::{self, Decision, Item};
use super::pages::{ItemPage, meeting_name};
use crate::auth::CurrentUser;
use crate::db::schema::org_units;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::issues::decision::{self, MeetingDecision};
use crate::issues::forms::minor_category;
use crate::issues::models::{self as issue_models, CategoryRow};
use crate::issues::pages::CategoryGroup;
use crate::issues::workflow::{self, Clock, Report, Target};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::{Choice, FormErrors, conflicts, required, version};
use crate::web::{AppState, drafts, render_ok, render_status, see_other};

const DRAFT_KEY: &str = "meeting_item_draft";

/// Whom a decision can name: staff and units of the meeting's unit (the issue dispatch lists).
struct Targets {
    users: Vec<(i32, String, String)>,
    units: Vec<(i32, String, i32)>,
}

fn targets(conn: &mut AnyConnection, path: &str, depth: i32) -> AppResult<Targets> {
    let (lo, hi) = crate::db::subtree_range(path);
    Ok(Targets {
        users: issue_models::dispatch_users(conn, path)?,
        units: org_units::table
            .filter(org_units::path.ge(lo))
            .filter(org_units::path.lt(hi))
            .filter(org_units::depth.le(depth + 1))
            .order(org_units::path)
            .select((org_units::id, org_units::name, org_units::depth))
            .load(conn)?,
    })
}

/// The name a decision's responsible shows as.
fn target_name(t: &Targets, target: &Option<Target>) -> Option<String> {
    match target {
        None => Some(String::new()),
        Some(Target::User(id)) => t
            .users
            .iter()
            .find(|u| u.0 == *id)
            .map(|u| format!("{}（{}）", u.1, u.2)),
        Some(Target::Unit(id)) => t.units.iter().find(|u| u.0 == *id).map(|u| u.1.clone()),
        Some(Target::Party(name)) => Some(name.trim().to_string()),
    }
}

/// The saved decision as a form.
fn form_of(it: &Item) -> DecisionForm {
    let (kind, user, unit) = match (it.resp_user_id, it.resp_unit_id) {
        (Some(u), _) => ("user", u.to_string(), String::new()),
        (_, Some(o)) => ("unit", String::new(), o.to_string()),
        _ if !it.resp_party.is_empty() => ("party", String::new(), String::new()),
        _ => ("", String::new(), String::new()),
    };
    DecisionForm {
        discussion: it.discussion.clone(),
        solution: it.solution.clone(),
        target_kind: kind.into(),
        target_user: user,
        target_unit: unit,
        target_party: it.resp_party.clone(),
        deadline: it.deadline.map(|d| d.to_string()).unwrap_or_default(),
        version: it.version.to_string(),
        ..Default::default()
    }
}

/// The name the typed form's responsible shows as (for comparisons).
fn typed_name(t: &Targets, f: &DecisionForm) -> String {
    let target = match f.target_kind.trim() {
        "user" => f.target_user.trim().parse().ok().map(Target::User),
        "unit" => f.target_unit.trim().parse().ok().map(Target::Unit),
        "party" => Some(Target::Party(f.target_party.clone())),
        _ => None,
    };
    target_name(t, &target).unwrap_or_default()
}

struct Data {
    l: Loaded,
    item: Item,
    targets: Targets,
    cats: Vec<CategoryRow>,
    grids: Vec<(i32, String)>,
}

async fn load_item(state: &AppState, user: &CurrentUser, id: i32, item_id: i32) -> AppResult<Data> {
    let u = user.clone();
    db::run(&state.pool, move |conn| {
        let l = load(conn, &u, id)?;
        let item = l
            .items
            .iter()
            .find(|i| i.id == item_id)
            .cloned()
            .ok_or(AppError::NotFound)?;
        let unit = crate::org::models::get(conn, l.m.unit_id)?;
        let targets = targets(conn, &unit.path, unit.depth)?;
        let (cats, grids) = if item.issue_id.is_none() {
            let (lo, hi) = crate::db::subtree_range(&unit.path);
            let grids = org_units::table
                .filter(org_units::path.ge(lo))
                .filter(org_units::path.lt(hi))
                .filter(org_units::kind.eq("grid"))
                .order(org_units::path)
                .select((org_units::id, org_units::name))
                .load(conn)?;
            (issue_models::categories(conn)?, grids)
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(Data {
            l,
            item,
            targets,
            cats,
            grids,
        })
    })
    .await
}

fn page(
    ctx: Ctx,
    state: &AppState,
    user: &CurrentUser,
    d: Data,
    form: DecisionForm,
    errors: FormErrors,
) -> ItemPage {
    let number =
        d.l.items
            .iter()
            .filter(|i| !i.removed)
            .position(|i| i.id == d.item.id)
            .map(|n| n + 1)
            .unwrap_or(0);
    let view = item_view(
        d.item.clone(),
        number,
        &d.l.issues,
        &d.l.grids,
        crate::db::now(),
        state.today(),
    );
    let topic = TopicIssueForm {
        title: d.item.title.clone(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    ItemPage {
        name: meeting_name(&ctx, &d.l.unit_name, &d.l.m.kind, &d.l.m.day),
        correcting: d.l.m.state() == State::Final,
        may_record: domain::may_record(user, &d.l.m.scope_path),
        target_users: d
            .targets
            .users
            .iter()
            .map(|(id, n, u)| Choice::new(id, format!("{n}（{u}）")))
            .collect(),
        target_units: d
            .targets
            .units
            .iter()
            .cloned()
            .map(|(id, n, depth)| crate::org::models::choice((id, n, depth, String::new())))
            .collect(),
        categories: CategoryGroup::all(&d.cats, false),
        grids: d.grids.iter().map(|(id, n)| Choice::new(id, n)).collect(),
        m: d.l.m,
        view,
        form,
        errors,
        conflicts: Vec::new(),
        restored: false,
        topic,
        topic_errors: FormErrors::new(),
        ctx,
    }
}

#[derive(Deserialize)]
pub struct ItemQuery {
    #[serde(default)]
    draft: Option<String>,
}

/// GET /meetings/{id}/items/{item}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    query: web::Query<ItemQuery>,
) -> AppResult<HttpResponse> {
    let (id, item_id) = path.into_inner();
    let draft: Option<DecisionForm> = if query.draft.is_some() {
        drafts::restore(&state.pool, &session, DRAFT_KEY).await?
    } else {
        None
    };
    let d = load_item(&state, &user, id, item_id).await?;
    let restored = draft.is_some();
    let form = draft.unwrap_or_else(|| form_of(&d.item));
    let mut p = page(
        Ctx::build(&req, Some(user.clone())),
        &state,
        &user,
        d,
        form,
        FormErrors::new(),
    );
    p.restored = restored;
    render_ok(&p)
}

/// What saving a decision came to.
enum Outcome {
    Done,
    Stale(Box<Item>),
}

/// POST /meetings/{id}/items/{item} — saves the discussion and decision; a decision on an issue
/// is written back to it in the same transaction.
pub async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<DecisionForm>,
) -> AppResult<HttpResponse> {
    let (id, item_id) = path.into_inner();
    let form = form.0;
    let next = format!("/meetings/{id}/items/{item_id}?draft=1");
    let user = drafts::poster(&req, &state.pool, &session, DRAFT_KEY, &form, next).await?;
    let d = load_item(&state, &user, id, item_id).await?;
    if !domain::may_record(&user, &d.l.m.scope_path) {
        return Err(AppError::Forbidden);
    }
    let ctx = Ctx::build(&req, Some(user.clone()));
    let m = d.l.m.clone();
    if m.state() == State::Draft {
        let mut e = FormErrors::new();
        e.add("solution", "meetings.hold_first");
        let p = page(ctx, &state, &user, d, form, e);
        return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let correcting = m.state() == State::Final;
    if version(&form.version) != d.item.version {
        let saved = d.item.clone();
        return stale(ctx, &state, &user, d, form, &saved);
    }
    let before = decision_fields(
        &form_of(&d.item),
        &typed_name(&d.targets, &form_of(&d.item)),
    );
    let after = decision_fields(&form, &typed_name(&d.targets, &form));
    let changes = conflicts(&before, &after);
    let mut parsed = form.parse(m.day, correcting);
    if let Ok(input) = &parsed {
        let mut e = FormErrors::new();
        match target_name(&d.targets, &input.target) {
            None => e.add("target_kind", "meetings.target_outside"),
            Some(_) if correcting && changes.is_empty() => {
                e.add("reason", "meetings.nothing_changed")
            }
            Some(_) => {}
        }
        if let (Some(issue), Some(t)) = (d.item.issue_id, &input.target) {
            let (u, t) = (user.clone(), t.clone());
            if let Err(key) = db::run(&state.pool, move |conn| {
                Ok(decision::check(conn, &u, issue, &t))
            })
            .await?
            {
                e.add("target_kind", key);
            }
        }
        if !e.is_empty() {
            parsed = Err(e);
        }
    }
    let input: DecisionInput = match parsed {
        Ok(i) => i,
        Err(e) => {
            let p = page(ctx, &state, &user, d, form, e);
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let resp_name = target_name(&d.targets, &input.target).unwrap_or_default();
    let changes_json = serde_json::to_string(
        &changes
            .iter()
            .map(|c| (c.label, c.mine.clone(), c.theirs.clone()))
            .collect::<Vec<_>>(),
    )
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let meeting_label = meeting_name(&ctx, &d.l.unit_name, &m.kind, &m.day);
    let (u, clock, item) = (user.clone(), Clock::at(state.tz), d.item.clone());
    let outcome = db::run_write(&state.pool, move |conn| {
        let decided = !input.solution.is_empty();
        let dec = Decision {
            discussion: input.discussion.clone(),
            solution: input.solution.clone(),
            resp_user_id: match input.target {
                Some(Target::User(id)) => Some(id),
                _ => None,
            },
            resp_unit_id: match input.target {
                Some(Target::Unit(id)) => Some(id),
                _ => None,
            },
            resp_party: match &input.target {
                Some(Target::Party(p)) => p.clone(),
                _ => String::new(),
            },
            resp_name: resp_name.clone(),
            deadline: input.deadline,
            decided_at: if decided {
                item.decided_at.or(Some(clock.now))
            } else {
                None
            },
        };
        if !models::decide(conn, item.id, item.version, &dec)? {
            return Ok(Outcome::Stale(Box::new(models::item(conn, id, item.id)?)));
        }
        // The decision goes to the issue when it says something new about it.
        let changed_decision = item.solution != input.solution
            || item.resp_name != resp_name
            || item.deadline != input.deadline;
        if let (Some(issue), true, true) = (item.issue_id, decided, changed_decision) {
            write_back(conn, &u, issue, &meeting_label, &input, &clock)?;
        }
        models::refresh_counts(conn, id)?;
        if correcting {
            models::add_correction(conn, id, u.id, &input.reason, &changes_json)?;
        } else {
            models::touch(conn, id, clock.now)?;
        }
        crate::audit::record(
            conn,
            &u.actor(),
            "meeting_decision",
            "meeting",
            Some(id),
            &format!("{} · {}", meeting_label, item.title),
            Some(&serde_json::json!({
                "item": item.id,
                "solution": item.solution,
                "responsible": item.resp_name,
                "deadline": item.deadline,
            })),
            Some(&serde_json::json!({
                "item": item.id,
                "discussion_chars": input.discussion.chars().count(),
                "solution": input.solution,
                "responsible": resp_name,
                "deadline": input.deadline,
                "reason": input.reason,
            })),
            &m.scope_path,
        )?;
        Ok(Outcome::Done)
    })
    .await?;
    match outcome {
        Outcome::Done => {
            flash(&session, "ok", "meetings.decision_saved_flash", &[]);
            Ok(see_other(&format!("/meetings/{id}#item-{item_id}")))
        }
        Outcome::Stale(saved) => {
            let d = load_item(&state, &user, id, item_id).await?;
            stale(ctx, &state, &user, d, form, &saved)
        }
    }
}

fn write_back(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    issue: i32,
    meeting: &str,
    input: &DecisionInput,
    clock: &Clock,
) -> AppResult<()> {
    let d = MeetingDecision {
        meeting: meeting.to_string(),
        solution: input.solution.clone(),
        target: input.target.clone(),
        deadline: input.deadline,
    };
    match decision::apply(conn, user, issue, &d, clock) {
        Ok(_) => Ok(()),
        Err(workflow::StepError::App(e)) => Err(e),
        // Checked before the transaction; someone acting on the issue in between makes it stale.
        Err(_) => Err(AppError::Conflict),
    }
}

/// 409: someone saved this item since the form was opened; both versions shown, typed kept.
fn stale(
    ctx: Ctx,
    state: &AppState,
    user: &CurrentUser,
    d: Data,
    mut form: DecisionForm,
    saved: &Item,
) -> AppResult<HttpResponse> {
    let theirs = decision_fields(&form_of(saved), &saved.resp_name);
    let mine = decision_fields(&form, &typed_name(&d.targets, &form));
    let rows = conflicts(&mine, &theirs);
    form.version = saved.version.to_string();
    let mut p = page(ctx, state, user, d, form, FormErrors::new());
    p.conflicts = rows;
    render_status(&p, StatusCode::CONFLICT)
}

/// POST /meetings/{id}/items/{item}/issue — a free topic becomes an issue in the register
/// (source: meeting), linked to the item; the item's decision, if any, is written to it.
pub async fn topic_issue(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<TopicIssueForm>,
) -> AppResult<HttpResponse> {
    let (id, item_id) = path.into_inner();
    let form = form.0;
    let d = load_item(&state, &user, id, item_id).await?;
    if !domain::may_record(&user, &d.l.m.scope_path) || d.l.m.state() == State::Final {
        return Err(AppError::Forbidden);
    }
    if d.item.issue_id.is_some() {
        return Ok(see_other(&format!("/meetings/{id}/items/{item_id}")));
    }
    let mut e = FormErrors::new();
    let title = required(&mut e, "title", &form.title, 100);
    let category_id = minor_category(&mut e, "category_id", &form.category_id, &d.cats);
    let grid_id = form.grid_id.trim().parse::<i32>().unwrap_or(0);
    if !d.grids.iter().any(|g| g.0 == grid_id) {
        e.add("grid_id", "form.invalid_choice");
    }
    let address = crate::web::forms::optional(&mut e, "address", &form.address, 200);
    let description = crate::web::forms::optional(&mut e, "description", &form.description, 2000);
    let ctx = Ctx::build(&req, Some(user.clone()));
    if !e.is_empty() {
        let saved = form_of(&d.item);
        let mut p = page(ctx, &state, &user, d, saved, FormErrors::new());
        p.topic = form;
        p.topic_errors = e;
        return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let meeting_label = meeting_name(&ctx, &d.l.unit_name, &d.l.m.kind, &d.l.m.day);
    let (u, clock, item) = (user.clone(), Clock::at(state.tz), d.item.clone());
    let location = crate::web::idempotency::create_once(
        &state.pool,
        form.form_token.clone(),
        user.id,
        move |conn| {
            let report = Report {
                title,
                description: if description.is_empty() {
                    format!("{meeting_label}：{}", item.discussion)
                } else {
                    description
                },
                category_id,
                source: "meeting".into(),
                grid_id,
                address,
                people: String::new(),
                urgency: "normal".into(),
            };
            let (issue, _) = workflow::report(conn, &u, &report, &clock)?;
            models::link_issue(conn, item.id, issue.id)?;
            diesel::update(crate::db::schema::meeting_items::table.find(item.id))
                .set(crate::db::schema::meeting_items::grid_id.eq(Some(grid_id)))
                .execute(conn)?;
            if !item.solution.is_empty() {
                let target = match (item.resp_user_id, item.resp_unit_id) {
                    (Some(u), _) => Some(Target::User(u)),
                    (_, Some(o)) => Some(Target::Unit(o)),
                    _ if !item.resp_party.is_empty() => {
                        Some(Target::Party(item.resp_party.clone()))
                    }
                    _ => None,
                };
                let input = DecisionInput {
                    discussion: item.discussion.clone(),
                    solution: item.solution.clone(),
                    target,
                    deadline: item.deadline,
                    reason: String::new(),
                };
                // A responsible the new issue's coordinator cannot dispatch to is left to the
                // issue's page; the decision is on its timeline either way.
                if let Err(e) = write_back(conn, &u, issue.id, &meeting_label, &input, &clock) {
                    if !matches!(e, AppError::Conflict) {
                        return Err(e);
                    }
                    let plain = DecisionInput {
                        target: None,
                        ..input
                    };
                    write_back(conn, &u, issue.id, &meeting_label, &plain, &clock)?;
                }
            }
            models::touch(conn, id, clock.now)?;
            crate::audit::record(
                conn,
                &u.actor(),
                "meeting_topic_issue",
                "meeting",
                Some(id),
                &issue.number,
                None::<&()>,
                Some(&serde_json::json!({"item": item.id, "issue": issue.number})),
                &issue.scope_path,
            )?;
            Ok(format!("/meetings/{id}/items/{}", item.id))
        },
    )
    .await?;
    flash(&session, "ok", "meetings.topic_issue_flash", &[]);
    Ok(see_other(&location))
}
