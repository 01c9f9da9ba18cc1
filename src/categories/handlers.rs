use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::forms::CategoryForm;
use super::models::{self, Category, DAY, HOUR};
use super::pages::{CategoriesPage, CategoryFormPage, CategoryRow};
use crate::audit;
use crate::auth::CurrentUser;
use crate::calendar::root_path;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::{Choice, FormErrors, conflicts, version};
use crate::web::{AppState, idempotency, render_ok, render_status, see_other};

/// The audit log's entity name.
const ENTITY: &str = "issue_category";

fn limit_text(ctx: &Ctx, value: impl ToString, unit: &str) -> String {
    let key = if unit == HOUR {
        "categories.limit_hours"
    } else {
        "categories.limit_days"
    };
    ctx.ta1(key, "n", value)
}

fn unit_choices(ctx: &Ctx) -> Vec<Choice> {
    vec![
        Choice::new(DAY, ctx.t("categories.unit_day")),
        Choice::new(HOUR, ctx.t("categories.unit_hour")),
    ]
}

/// The majors as parent choices; on create first the "no parent: a major" choice.
fn parent_choices(ctx: &Ctx, all: &[Category], creating: bool) -> Vec<Choice> {
    let none = creating.then(|| Choice::new("", ctx.t("categories.as_major")));
    none.into_iter()
        .chain(
            all.iter()
                .filter(|c| c.is_major())
                .map(|c| Choice::new(c.id, &c.name)),
        )
        .collect()
}

/// Majors in order, each followed by its minors, with issue counts (a major's: its minors').
fn rows(
    ctx: &Ctx,
    all: &[Category],
    counts: &std::collections::HashMap<i32, i64>,
) -> Vec<CategoryRow> {
    let count = |id: i32| counts.get(&id).copied().unwrap_or(0);
    let mut out = Vec::with_capacity(all.len());
    for major in all.iter().filter(|c| c.is_major()) {
        let minors: Vec<&Category> = all
            .iter()
            .filter(|c| c.parent_id == Some(major.id))
            .collect();
        out.push(CategoryRow {
            id: major.id,
            major: major.name.clone(),
            name: major.name.clone(),
            is_major: true,
            limit: String::new(),
            active: major.active,
            issues: count(major.id) + minors.iter().map(|m| count(m.id)).sum::<i64>(),
        });
        out.extend(minors.into_iter().map(|m| CategoryRow {
            id: m.id,
            major: major.name.clone(),
            name: m.name.clone(),
            is_major: false,
            limit: limit_text(ctx, m.limit_value, &m.limit_unit),
            active: m.active,
            issues: count(m.id),
        }));
    }
    out
}

type Listing = (Vec<Category>, std::collections::HashMap<i32, i64>);

async fn listing(state: &AppState) -> AppResult<Listing> {
    db::run(&state.pool, |conn| {
        Ok((models::all(conn)?, models::issue_counts(conn)?))
    })
    .await
}

/// GET /categories
pub async fn list_categories(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let (all, counts) = listing(&state).await?;
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&CategoriesPage {
        rows: rows(&ctx, &all, &counts),
        ctx,
    })
}

/// GET /categories/export.xlsx — the same table as the page.
pub async fn export_categories(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let (all, counts) = listing(&state).await?;
    let ctx = Ctx::build(&req, Some(user));
    let headers = [
        "categories.major",
        "categories.minor",
        "categories.limit",
        "categories.status",
        "categories.issues",
    ];
    let data: Vec<Vec<String>> = rows(&ctx, &all, &counts)
        .into_iter()
        .map(|r| {
            vec![
                r.major,
                if r.is_major { String::new() } else { r.name },
                r.limit,
                ctx.t(if r.active {
                    "categories.active"
                } else {
                    "categories.inactive"
                }),
                r.issues.to_string(),
            ]
        })
        .collect();
    crate::web::xlsx::respond(
        &ctx,
        "categories.xlsx",
        &ctx.t("categories.title"),
        &headers,
        &data,
    )
}

fn form_page(
    ctx: Ctx,
    all: &[Category],
    category: Option<Category>,
    form: CategoryForm,
    errors: FormErrors,
) -> CategoryFormPage {
    CategoryFormPage {
        parents: parent_choices(&ctx, all, category.is_none()),
        units: unit_choices(&ctx),
        ctx,
        category,
        form,
        errors,
        conflicts: Vec::new(),
        issues: None,
        deletable: false,
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    /// Preselects the major a new minor goes under.
    pub parent: String,
}

/// GET /categories/new?parent=3
pub async fn new_category_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<NewQuery>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let all = db::run(&state.pool, models::all).await?;
    let form = CategoryForm {
        parent_id: q.parent.trim().to_string(),
        limit_value: "5".into(),
        limit_unit: DAY.into(),
        active: "1".into(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&form_page(ctx, &all, None, form, FormErrors::new()))
}

/// POST /categories
pub async fn create_category(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<CategoryForm>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let form = form.0;
    // A repeated submission goes where the first one went, before the name check would call the
    // category its own duplicate.
    let token = form.form_token.clone();
    if let Some(done) = db::run(&state.pool, move |conn| idempotency::seen(conn, &token)).await? {
        return Ok(see_other(&done));
    }
    let all = db::run(&state.pool, models::all).await?;
    let fields = match form.parse(&all, None) {
        Ok(f) => f,
        Err(errors) => {
            let page = form_page(Ctx::build(&req, Some(user)), &all, None, form, errors);
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (actor, scope, uid) = (user.actor(), root_path(&user.org_path), user.id);
    let location = idempotency::create_once(&state.pool, form.form_token, uid, move |conn| {
        // Checked above; again here for two admins adding the same name at the same moment.
        if models::name_taken(conn, fields.parent_id, &fields.name, None)? {
            return Err(AppError::BadRequest);
        }
        let id = models::create(conn, &fields)?;
        let created = models::get(conn, id)?;
        audit::created(conn, &actor, ENTITY, id, &created.name, &created, &scope)?;
        Ok(format!("/categories#c-{id}"))
    })
    .await?;
    flash(&session, "ok", "categories.created_flash", &[]);
    Ok(see_other(&location))
}

/// GET /categories/{id}/edit
pub async fn edit_category_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let id = id.into_inner();
    let (cat, all, issues, children) = db::run(&state.pool, move |conn| {
        Ok((
            models::get(conn, id)?,
            models::all(conn)?,
            models::issue_count(conn, id)?,
            models::child_count(conn, id)?,
        ))
    })
    .await?;
    let form = CategoryForm::from_category(&cat);
    let mut page = form_page(
        Ctx::build(&req, Some(user)),
        &all,
        Some(cat),
        form,
        FormErrors::new(),
    );
    page.issues = Some(issues);
    page.deletable = issues == 0 && children == 0;
    render_ok(&page)
}

/// The edit form's fields as the conflict table shows them (names and units in words).
fn labelled(
    ctx: &Ctx,
    all: &[Category],
    f: &CategoryForm,
    major: bool,
) -> Vec<(&'static str, String)> {
    let mut out = vec![("categories.name", f.name.clone())];
    if !major {
        let parent = all
            .iter()
            .find(|c| c.id.to_string() == f.parent_id.trim())
            .map_or_else(|| f.parent_id.clone(), |c| c.name.clone());
        out.push(("categories.parent", parent));
        out.push((
            "categories.limit",
            limit_text(ctx, f.limit_value.trim(), f.limit_unit.trim()),
        ));
    }
    out.push(("categories.sort_order", f.sort_order.clone()));
    let active = if f.is_active() {
        "categories.active"
    } else {
        "categories.inactive"
    };
    out.push(("categories.status", ctx.t(active)));
    out
}

enum Saved {
    Yes,
    Stale,
    NameTaken,
}

/// POST /categories/{id}
pub async fn update_category(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    id: web::Path<i32>,
    form: CsrfForm<CategoryForm>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let (id, mut form) = (id.into_inner(), form.0);
    let (cat, all) = db::run(&state.pool, move |conn| {
        Ok((models::get(conn, id)?, models::all(conn)?))
    })
    .await?;
    let fields = match form.parse(&all, Some(&cat)) {
        Ok(f) => f,
        Err(errors) => {
            let page = form_page(Ctx::build(&req, Some(user)), &all, Some(cat), form, errors);
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (expected, actor, scope) = (
        version(&form.version),
        user.actor(),
        root_path(&user.org_path),
    );
    let saved = db::run_write(&state.pool, move |conn| {
        let before = models::get(conn, id)?;
        if before.version != expected {
            return Ok(Saved::Stale);
        }
        if models::name_taken(conn, fields.parent_id, &fields.name, Some(id))? {
            return Ok(Saved::NameTaken);
        }
        if !models::update(conn, id, expected, &fields)? {
            return Ok(Saved::Stale);
        }
        let after = models::get(conn, id)?;
        audit::updated(
            conn,
            &actor,
            ENTITY,
            id,
            &after.name,
            &before,
            &after,
            &scope,
        )?;
        Ok(Saved::Yes)
    })
    .await?;
    match saved {
        Saved::Yes => {
            flash(&session, "ok", "flash.saved", &[]);
            Ok(see_other(&format!("/categories#c-{id}")))
        }
        Saved::NameTaken => {
            let mut errors = FormErrors::new();
            errors.add("name", "categories.name_taken");
            let page = form_page(Ctx::build(&req, Some(user)), &all, Some(cat), form, errors);
            render_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Saved::Stale => {
            let (latest, all) = db::run(&state.pool, move |conn| {
                Ok((models::get(conn, id)?, models::all(conn)?))
            })
            .await?;
            let ctx = Ctx::build(&req, Some(user));
            let major = latest.is_major();
            let rows = conflicts(
                &labelled(&ctx, &all, &form, major),
                &labelled(&ctx, &all, &CategoryForm::from_category(&latest), major),
            );
            // Everything typed stays; the version moves on, so submitting again overwrites
            // deliberately.
            form.version = latest.version.to_string();
            let mut page = form_page(ctx, &all, Some(latest), form, FormErrors::new());
            page.conflicts = rows;
            render_status(&page, StatusCode::CONFLICT)
        }
    }
}

/// POST /categories/{id}/delete — only a category no issue uses and without minors; the others
/// are deactivated instead, so history keeps their names.
pub async fn delete_category(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    id: web::Path<i32>,
    _f: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let id = id.into_inner();
    let (actor, scope) = (user.actor(), root_path(&user.org_path));
    let deleted = db::run_write(&state.pool, move |conn| {
        let before = models::get(conn, id)?;
        if models::issue_count(conn, id)? > 0 || models::child_count(conn, id)? > 0 {
            return Ok(false);
        }
        models::delete(conn, id)?;
        audit::deleted(conn, &actor, ENTITY, id, &before.name, &before, &scope)?;
        Ok(true)
    })
    .await?;
    if !deleted {
        flash(&session, "warn", "categories.in_use", &[]);
        return Ok(see_other(&format!("/categories/{id}/edit")));
    }
    flash(&session, "ok", "flash.deleted", &[]);
    Ok(see_other("/categories"))
}
