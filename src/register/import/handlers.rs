//! Import handlers: the history, the upload form and the template, the upload (read and checked,
//! nothing written to the register), the preview, the commit (once, in one transaction,
//! audited).

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::check;
use super::domain::{self, Row};
use super::forms::CommitForm;
use super::models::{self, NewBatch};
use super::pages::{ListPage, NewPage, ShowPage};
use super::workbook;
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::register::domain::{may_write, sees_personal};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::{AppState, multipart, render_ok, render_status, see_other};

const ENTITY: &str = "register_import";

/// Who imports: a writer of the register somewhere in their scope.
fn may_import(user: &CurrentUser) -> bool {
    may_write(user, &user.org_path)
}

/// GET /imports — the batches in scope.
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let u = user.clone();
    let lines = db::run(&state.pool, move |conn| models::list(conn, &u, 200)).await?;
    let may_import = may_import(&user);
    render_ok(&ListPage {
        ctx: Ctx::build(&req, Some(user)),
        lines,
        may_import,
    })
}

/// GET /imports/new — the upload form.
pub async fn new_form(req: HttpRequest, user: CurrentUser) -> AppResult<HttpResponse> {
    if !may_import(&user) {
        return Err(AppError::Forbidden);
    }
    render_ok(&NewPage {
        ctx: Ctx::build(&req, Some(user)),
        error: None,
    })
}

/// GET /imports/template.xlsx — the blank template with the expected headers.
pub async fn template(req: HttpRequest, user: CurrentUser) -> AppResult<HttpResponse> {
    let ctx = Ctx::build(&req, Some(user));
    let bytes =
        workbook::template(|k| ctx.t(k)).map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"register-import-template.xlsx\"",
        ))
        .body(bytes))
}

/// The upload form again with why the file was refused (422).
fn refuse(req: &HttpRequest, user: CurrentUser, message: String) -> AppResult<HttpResponse> {
    let page = NewPage {
        ctx: Ctx::build(req, Some(user)),
        error: Some(message),
    };
    render_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

/// POST /imports (multipart: `csrf_token`, `file`) — reads and checks the workbook and keeps it
/// as a batch to preview; nothing is written to the register yet.
pub async fn upload(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let max = state.settings.upload_max_bytes;
    let parts = multipart::read(payload, max).await?;
    parts.verify_csrf(&req)?;
    if !may_import(&user) {
        return Err(AppError::Forbidden);
    }
    let ctx = Ctx::build(&req, Some(user.clone()));
    let Some(file) = parts
        .files
        .iter()
        .find(|f| f.field == "file" && !f.too_large)
    else {
        let mib = (max / (1024 * 1024)).to_string();
        return refuse(
            &req,
            user,
            ctx.ta("regimport.file.missing", &[("max", mib)]),
        );
    };
    let lines = match workbook::read(&file.bytes) {
        Ok(lines) => lines,
        Err(key) => {
            let limit = domain::MAX_ROWS.to_string();
            return refuse(&req, user, ctx.ta(key, &[("max", limit)]));
        }
    };
    let map = match domain::map_headers(&lines[0].1) {
        Ok(map) => map,
        Err(missing) => {
            let names: Vec<String> = missing
                .iter()
                .map(|c| ctx.t(format!("regimport.col.{}", domain::COLUMNS[*c])))
                .collect();
            let msg = ctx.ta("regimport.file.headers", &[("names", names.join("、"))]);
            return refuse(&req, user, msg);
        }
    };
    let mut rows: Vec<Row> = lines[1..]
        .iter()
        .map(|(line, cells)| Row {
            line: *line,
            cells: domain::cells_of(cells, &map),
            errors: Vec::new(),
        })
        .collect();
    let (u, today) = (user.clone(), state.today());
    let filename: String = file.filename.chars().take(120).collect();
    let id = db::run_write(&state.pool, move |conn| {
        let checked = check::check_all(conn, &u, &mut rows, today)?;
        let wrong = checked.iter().filter(|r| r.is_none()).count();
        let json = serde_json::to_string(&rows).map_err(|e| AppError::Internal(e.to_string()))?;
        let b = NewBatch {
            scope_path: u.org_path.clone(),
            user_id: u.id,
            filename,
            rows_json: json,
            total: rows.len() as i32,
            error_rows: wrong as i32,
            created_at: db::now(),
        };
        models::insert(conn, &b)
    })
    .await?;
    Ok(see_other(&format!("/imports/{id}")))
}

fn rows_of(json: &str) -> Vec<Row> {
    serde_json::from_str(json).unwrap_or_default()
}

/// GET /imports/{id} — the preview (or, once committed, the result): every row with the
/// messages beside its cells.
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (u, id) = (user.clone(), path.into_inner());
    let b = db::run(&state.pool, move |conn| models::get_scoped(conn, &u, id)).await?;
    let rows = rows_of(&b.rows_json);
    let full = sees_personal(&user, &b.scope_path);
    let may = may_write(&user, &b.scope_path);
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&ShowPage::new(ctx, b, &rows, full, may))
}

/// What a commit found.
enum Outcome {
    Done,
    /// Committed already (a double post): nothing more written.
    Already,
    /// All or nothing, and rows are wrong: nothing written; the rows as checked now.
    Refused(Vec<Row>),
}

/// POST /imports/{id}/commit — writes the batch once, in one transaction: every row or none
/// (`mode=all`, the default), or the correct rows only (`mode=valid`); audited with its counts.
pub async fn commit(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<CommitForm>,
) -> AppResult<HttpResponse> {
    let (u, id, today) = (user.clone(), path.into_inner(), state.today());
    let b = db::run(&state.pool, move |conn| models::get_scoped(conn, &u, id)).await?;
    if !may_write(&user, &b.scope_path) {
        return Err(AppError::Forbidden);
    }
    let (mode, seen) = (form.0.mode(), crate::web::forms::version(&form.0.version));
    let (u, scope, name) = (user.clone(), b.scope_path.clone(), b.filename.clone());
    let outcome = db::run_write(&state.pool, move |conn| {
        let now = models::get_scoped(conn, &u, id)?;
        if now.state != "checked" {
            return Ok(Outcome::Already);
        }
        let mut rows = rows_of(&now.rows_json);
        let checked = check::check_all(conn, &u, &mut rows, today)?;
        let wrong = checked.iter().filter(|r| r.is_none()).count() as i32;
        if mode == "all" && wrong > 0 {
            return Ok(Outcome::Refused(rows));
        }
        if !models::claim(conn, id, seen, mode)? {
            return Ok(Outcome::Already);
        }
        let (hh, pp) = check::write(conn, &rows, checked)?;
        let json = serde_json::to_string(&rows).map_err(|e| AppError::Internal(e.to_string()))?;
        models::finish(conn, id, &json, (wrong, hh, pp), db::now())?;
        let after = serde_json::json!({
            "mode": mode, "rows": rows.len(), "skipped": wrong, "households": hh, "persons": pp,
        });
        let summary = format!("{name}: {pp} / {}", rows.len());
        let none = None::<&()>;
        crate::audit::record(
            conn,
            &u.actor(),
            "import",
            ENTITY,
            Some(id),
            &summary,
            none,
            Some(&after),
            &scope,
        )?;
        Ok(Outcome::Done)
    })
    .await?;
    let done = format!("/imports/{id}");
    match outcome {
        Outcome::Done => flash(&session, "ok", "regimport.committed", &[]),
        Outcome::Already => flash(&session, "ok", "regimport.already", &[]),
        Outcome::Refused(rows) => {
            let full = sees_personal(&user, &b.scope_path);
            let ctx = Ctx::build(&req, Some(user));
            let mut page = ShowPage::new(ctx, b, &rows, full, true);
            page.refused = true;
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    }
    Ok(see_other(&done))
}
