use super::forms::{CategoryForm, NewQuery};
use super::models::{self, Category, CountCache, DAY};
use super::pages::{
    CategoriesPage, CategoryFormPage, EXPORT_COLUMNS, labelled, parent_choices, rows, unit_choices,
};
use crate::audit;
use crate::auth::CurrentUser;
use crate::calendar::root_path;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::ctx::{Ctx, flash};
use crate::web::edit::{self, Saved, VersionedForm};
use crate::web::forms::FormErrors;
use crate::web::{AppState, idempotency, list, render_ok, see_other};
use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use std::collections::HashMap;
use std::sync::Arc;

/// The audit log's entity name.
const ENTITY: &str = "issue_category";

type Listing = (Vec<Category>, Arc<HashMap<i32, i64>>);

async fn listing(state: &AppState, cache: web::Data<CountCache>) -> AppResult<Listing> {
    db::run(&state.pool, move |conn| {
        Ok((models::all(conn)?, models::kept_issue_counts(conn, &cache)?))
    })
    .await
}

/// GET /categories
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    cache: web::Data<CountCache>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let (all, counts) = listing(&state, cache).await?;
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&CategoriesPage {
        rows: rows(&ctx, &all, &counts),
        ctx,
    })
}

/// GET /categories/export.xlsx — the same table as the page.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    cache: web::Data<CountCache>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let (all, counts) = listing(&state, cache).await?;
    let ctx = Ctx::build(&req, Some(user));
    let rows = rows(&ctx, &all, &counts);
    list::xlsx(
        &ctx,
        "categories.xlsx",
        &ctx.t("categories.title"),
        EXPORT_COLUMNS,
        rows,
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

/// GET /categories/new?parent=3
pub async fn new_form(
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
pub async fn create(
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
    let (all, repeat) = db::run(&state.pool, move |conn| {
        idempotency::checked_then_seen(conn, &token, models::all)
    })
    .await?;
    if let Some(done) = repeat {
        return Ok(see_other(&done));
    }
    let fields = match form.parse(&all, None) {
        Ok(f) => f,
        Err(errors) => {
            let page = form_page(Ctx::build(&req, Some(user)), &all, None, form, errors);
            return edit::invalid(&page);
        }
    };
    let (actor, scope, uid) = (user.actor(), root_path(&user.org_path), user.id);
    edit::create(
        &state.pool,
        &session,
        (form.form_token, uid),
        "categories.created_flash",
        move |conn| {
            // Checked above; again here for two admins adding the same name at the same moment.
            if models::name_taken(conn, fields.parent_id, &fields.name, None)? {
                return Err(AppError::BadRequest);
            }
            let id = models::create(conn, &fields)?;
            let created = models::get(conn, id)?;
            audit::created(conn, &actor, ENTITY, id, &created.name, &created, &scope)?;
            Ok(format!("/categories#c-{id}"))
        },
    )
    .await
}

/// GET /categories/{id}/edit
pub async fn edit_form(
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

/// POST /categories/{id}
pub async fn update(
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
            return edit::invalid(&page);
        }
    };
    let (seen, actor, scope) = (form.seen_version(), user.actor(), root_path(&user.org_path));
    let saved = db::run_write(&state.pool, move |conn| {
        let before = models::get(conn, id)?;
        if before.version != seen {
            return stale(conn, before);
        }
        if models::name_taken(conn, fields.parent_id, &fields.name, Some(id))? {
            return Ok(Saved::refused("name", "categories.name_taken"));
        }
        if !models::update(conn, id, seen, &fields)? {
            let latest = models::get(conn, id)?;
            return stale(conn, latest);
        }
        let after = models::get(conn, id)?;
        let summary = after.name.clone();
        audit::updated(conn, &actor, ENTITY, id, &summary, &before, &after, &scope)?;
        Ok(Saved::Done)
    })
    .await?;
    // The layout context takes the session's pending flash, so it is built only for a page that
    // is shown here: after a save the flash waits for the page the redirect leads to.
    let done = format!("/categories#c-{id}");
    edit::answer(&session, saved, ("flash.saved", &done), |latest, errors| {
        let ctx = Ctx::build(&req, Some(user));
        let Some((latest, all)) = latest else {
            return form_page(ctx, &all, Some(cat), form, errors);
        };
        let major = latest.is_major();
        let theirs = labelled(&ctx, &all, &CategoryForm::from_category(&latest), major);
        let mine = labelled(&ctx, &all, &form, major);
        let rows = edit::stale(&mut form, latest.version, &mine, &theirs);
        let mut page = form_page(ctx, &all, Some(latest), form, errors);
        page.conflicts = rows;
        page
    })
}

/// Someone saved first: the category as it is now, and the categories its form's choices and
/// labels read (as they are now too).
fn stale(
    conn: &mut AnyConnection,
    latest: Category,
) -> AppResult<Saved<(Category, Vec<Category>)>> {
    Ok(Saved::Stale((latest, models::all(conn)?)))
}

/// POST /categories/{id}/delete — only a category no issue uses and without minors; the others
/// are deactivated instead, so history keeps their names.
pub async fn delete(
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
