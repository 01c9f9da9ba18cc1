use std::collections::HashMap;

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::domain::{Counts, Kind, UnitFigures, roll_up, tree_order};
use super::forms::{NewQuery, OrgForm};
use super::models::{self, OrgUnit, TreeRow};
use super::pages::{KindLabels, OrgFormPage, OrgPage, TreeLine, TreePage, crumbs_for};
use crate::audit;
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::grids::models as grid_models;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::ctx::{Ctx, flash};
use crate::web::edit::{self, Saved, VersionedForm};
use crate::web::forms::{Choice, ConflictRow, FormErrors};
use crate::web::{AppState, see_other};

/// Counts for every unit of a subtree, with the subtree's rows: one query, then a roll-up.
fn counted_subtree(
    conn: &mut AnyConnection,
    path: &str,
    max_depth: i32,
) -> AppResult<(Vec<TreeRow>, HashMap<i32, Counts>)> {
    let rows = models::subtree(conn, path, max_depth)?;
    let units: Vec<UnitFigures> = rows
        .iter()
        .map(|r| UnitFigures {
            id: r.id,
            parent_id: r.parent_id,
            kind: Kind::parse(&r.kind).unwrap_or(Kind::Grid),
            depth: r.depth,
            staff: i64::from(r.staff_count),
            sites: i64::from(r.site_count),
        })
        .collect();
    let counts = roll_up(&units);
    Ok((rows, counts))
}

/// The subtree's lines in the org tree's order (`domain::tree_order`: depth first, siblings by
/// sort order, then by name naturally), starting at `root`, the one unit whose parent is not
/// among the rows. Consumes the rows, moving their names into the lines.
fn depth_first(
    mut rows: Vec<TreeRow>,
    root: i32,
    counts: &HashMap<i32, Counts>,
    base_depth: i32,
) -> Vec<TreeLine> {
    let keys: Vec<(i32, Option<i32>, i32, &str)> = rows
        .iter()
        .map(|r| (r.id, r.parent_id, r.sort_order, r.name.as_str()))
        .collect();
    let order = tree_order(&keys);
    debug_assert!(order.first().is_none_or(|&i| rows[i].id == root));
    order
        .into_iter()
        .map(|i| {
            let r = &mut rows[i];
            TreeLine {
                id: r.id,
                name: std::mem::take(&mut r.name),
                kind: Kind::parse(&r.kind).unwrap_or(Kind::Grid),
                indent: r.depth - base_depth,
                counts: counts.get(&r.id).copied().unwrap_or_default(),
            }
        })
        .collect()
}

/// The lines of the user's whole tree: the page and its export share this.
async fn tree_lines(state: &AppState, user: &CurrentUser) -> AppResult<Vec<TreeLine>> {
    let (path, root) = (user.org_path.clone(), user.org_unit_id);
    db::run(&state.pool, move |conn| {
        let root_depth = models::get(conn, root)?.depth;
        let (rows, counts) = counted_subtree(conn, &path, root_depth + 3)?;
        Ok(depth_first(rows, root, &counts, root_depth))
    })
    .await
}

/// The tree page's query: a filter by name.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TreeQuery {
    pub q: String,
}

/// GET /org — the whole tree of the user's scope, every level, with counts; communities fold
/// over their grids, `?q=` keeps the units whose name contains it (and the units above them).
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<TreeQuery>,
) -> AppResult<HttpResponse> {
    let lines = tree_lines(&state, &user).await?;
    let ctx = Ctx::build(&req, Some(user));
    let labels = KindLabels::new(&ctx);
    let q: String = q.q.trim().chars().take(50).collect();
    let blocks = super::pages::tree_blocks(lines, &q);
    crate::web::render_ok(&TreePage {
        ctx,
        blocks,
        labels,
        q,
    })
}

/// GET /org/export.xlsx — the tree as a sheet: one row per unit, indented by level.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let lines = tree_lines(&state, &user).await?;
    let ctx = Ctx::build(&req, Some(user));
    let labels = KindLabels::new(&ctx);
    let headers = [
        "org.unit",
        "org.kind",
        "count.communities",
        "count.grids",
        "count.staff",
        "count.sites",
    ];
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            let (communities, grids) = if l.is_grid() {
                (String::new(), String::new())
            } else {
                (l.counts.communities.to_string(), l.counts.grids.to_string())
            };
            vec![
                format!("{}{}", "    ".repeat(l.indent.max(0) as usize), l.name),
                labels.of(&l.kind).to_string(),
                communities,
                grids,
                l.counts.staff.to_string(),
                l.counts.sites.to_string(),
            ]
        })
        .collect();
    crate::web::xlsx::respond(&ctx, "org-tree.xlsx", "org", &headers, &rows)
}

/// GET /org/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let u = user.clone();
    let (unit, crumbs, counts, children, people, sites) = db::run(&state.pool, move |conn| {
        let unit = models::get_scoped(conn, &u, id)?;
        let crumbs = crumbs_for(conn, &u, &unit.path)?;
        let (rows, counts) = counted_subtree(conn, &unit.path, unit.depth + 3)?;
        let mut children: Vec<TreeLine> = depth_first(rows, unit.id, &counts, unit.depth)
            .into_iter()
            .filter(|l| l.indent == 1)
            .collect();
        children.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let (people, sites) = if unit.kind() == Kind::Grid {
            (
                grid_models::people(conn, unit.id)?,
                grid_models::sites(conn, unit.id)?,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let own = counts.get(&unit.id).copied().unwrap_or_default();
        Ok((unit, crumbs, own, children, people, sites))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    let labels = KindLabels::new(&ctx);
    let child_kinds = if ctx.is_admin() {
        unit.kind()
            .child_kinds()
            .iter()
            .map(|k| Choice::new(k.code(), ctx.t(k.label_key())))
            .collect()
    } else {
        Vec::new()
    };
    let page = OrgPage {
        kind_key: unit.kind().label_key(),
        is_grid: unit.kind() == Kind::Grid,
        ctx,
        unit,
        crumbs,
        counts,
        children,
        labels,
        people,
        sites,
        child_kinds,
    };
    crate::web::render_ok(&page)
}

fn kind_choices(ctx: &Ctx, parent: Kind) -> Vec<Choice> {
    parent
        .child_kinds()
        .iter()
        .map(|k| Choice::new(k.code(), ctx.t(k.label_key())))
        .collect()
}

/// The form of a new unit under `parent`, offering the kinds that may go there.
fn new_page(ctx: Ctx, parent: OrgUnit, form: OrgForm, errors: FormErrors) -> OrgFormPage {
    OrgFormPage {
        kinds: kind_choices(&ctx, parent.kind()),
        ctx,
        unit_id: None,
        parent_name: parent.name,
        form,
        errors,
        conflicts: Vec::new(),
    }
}

/// GET /org/new?parent=ID
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<NewQuery>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let u = user.clone();
    let parent_id = q.parent;
    let parent = db::run(&state.pool, move |conn| {
        models::get_scoped(conn, &u, parent_id)
    })
    .await?;
    if parent.kind().child_kinds().is_empty() {
        return Err(AppError::NotFound);
    }
    let ctx = Ctx::build(&req, Some(user));
    let form = OrgForm {
        parent_id: parent.id.to_string(),
        kind: q
            .kind
            .clone()
            .unwrap_or_else(|| parent.kind().child_kinds()[0].code().to_string()),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    crate::web::render_ok(&new_page(ctx, parent, form, FormErrors::new()))
}

/// POST /org
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<OrgForm>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let form = form.0;
    let parent_id: i32 = form
        .parent_id
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest)?;
    let u = user.clone();
    let parent = db::run(&state.pool, move |conn| {
        models::get_scoped(conn, &u, parent_id)
    })
    .await?;
    let parsed = form.parse();
    let mut kind_errors = FormErrors::new();
    let kind = form.parse_kind(parent.kind(), &mut kind_errors);
    let (fields, kind) = match (parsed, kind) {
        (Ok(f), Some(k)) => (f, k),
        (parsed, _) => {
            let mut errors = parsed.err().unwrap_or_default();
            if let Some(e) = kind_errors.get("kind") {
                errors.add("kind", e.key);
            }
            let page = new_page(Ctx::build(&req, Some(user)), parent, form, errors);
            return edit::invalid(&page);
        }
    };
    let actor = user.actor();
    let token = form.form_token.clone();
    let uid = user.id;
    edit::create(
        &state.pool,
        &session,
        (token, uid),
        "flash.saved",
        move |conn| {
            let unit = models::create(conn, &parent, kind, &fields)?;
            audit::created(
                conn, &actor, "org_unit", unit.id, &unit.name, &unit, &unit.path,
            )?;
            Ok(format!("/org/{}", unit.id))
        },
    )
    .await
}

/// The edit form of unit `id` (its kind and parent are fixed).
fn edit_page(
    ctx: Ctx,
    id: i32,
    form: OrgForm,
    errors: FormErrors,
    conflicts: Vec<ConflictRow>,
) -> OrgFormPage {
    OrgFormPage {
        ctx,
        unit_id: Some(id),
        parent_name: String::new(),
        kinds: Vec::new(),
        form,
        errors,
        conflicts,
    }
}

/// GET /org/{id}/edit
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let u = user.clone();
    let id = id.into_inner();
    let unit = db::run(&state.pool, move |conn| models::get_scoped(conn, &u, id)).await?;
    let form = OrgForm::from_unit(&unit);
    let page = edit_page(
        Ctx::build(&req, Some(user)),
        id,
        form,
        FormErrors::new(),
        Vec::new(),
    );
    crate::web::render_ok(&page)
}

/// POST /org/{id}
pub async fn update(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    id: web::Path<i32>,
    form: CsrfForm<OrgForm>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let id = id.into_inner();
    let mut form = form.0;
    let u = user.clone();
    let current = db::run(&state.pool, move |conn| models::get_scoped(conn, &u, id)).await?;
    let fields = match form.parse() {
        Ok(f) => f,
        Err(errors) => {
            let page = edit_page(Ctx::build(&req, Some(user)), id, form, errors, Vec::new());
            return edit::invalid(&page);
        }
    };
    let (seen, actor, before) = (form.seen_version(), user.actor(), current);
    let saved = db::run_write(&state.pool, move |conn| {
        if !models::update(conn, id, seen, &fields)? {
            return Ok(Saved::Stale(models::get(conn, id)?));
        }
        let after = models::get(conn, id)?;
        let name = after.name.clone();
        audit::updated(
            conn,
            &actor,
            "org_unit",
            id,
            &name,
            &before,
            &after,
            &after.path,
        )?;
        Ok(Saved::Done)
    })
    .await?;
    let done = format!("/org/{id}");
    edit::answer(&session, saved, ("flash.saved", &done), |latest, errors| {
        // Stale: someone saved first; both versions, what this user typed kept, and the form
        // moved on to the current version so a resubmit is deliberate.
        let conflicts = latest.map(|l| {
            let (mine, theirs) = (form.labelled(), OrgForm::from_unit(&l).labelled());
            edit::stale(&mut form, l.version, &mine, &theirs)
        });
        let ctx = Ctx::build(&req, Some(user));
        edit_page(ctx, id, form, errors, conflicts.unwrap_or_default())
    })
}

/// POST /org/{id}/delete — removes a unit entered by mistake: only an empty one (no units,
/// accounts, responsible people or key sites), and never the admin's own scope root.
pub async fn delete(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    id: web::Path<i32>,
    _f: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let id = id.into_inner();
    let (u, actor) = (user.clone(), user.actor());
    let outcome = db::run_write(&state.pool, move |conn| {
        let unit = models::get_scoped(conn, &u, id)?;
        if unit.id == u.org_unit_id || !models::is_removable(conn, id)? {
            return Ok(Err(unit.id));
        }
        models::delete(conn, id)?;
        audit::deleted(conn, &actor, "org_unit", id, &unit.name, &unit, &unit.path)?;
        Ok(Ok(unit.parent_id.unwrap_or(unit.id)))
    })
    .await?;
    match outcome {
        Ok(parent) => {
            flash(&session, "ok", "flash.deleted", &[]);
            Ok(see_other(&format!("/org/{parent}")))
        }
        Err(unit) => {
            flash(&session, "warn", "org.not_removable", &[]);
            Ok(see_other(&format!("/org/{unit}/edit")))
        }
    }
}
