//! The home page (`/`): what each role logs in for, its day's work first. `home` dispatches by
//! role and unit level to one module per home — the grid worker's (`worker`), the community's and
//! the street's clerk (`clerk`), the branch secretary's (`secretary`) — and leaders and admins to
//! their cockpit (`cockpit`; an admin's with the status of the system, `admin::admin_status`,
//! the partial `home/_admin.html`). What several homes show is written once below: the to-do
//! counts and a short list of issues with their deadlines.

pub mod admin;
mod clerk;
pub mod cockpit;
mod secretary;
mod worker;

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDateTime;

use crate::auth::{CurrentUser, Role};
use crate::calendar::domain::WorkCalendar;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::issues::models::{self as issue_models, Filter, ListRow, TodoCache};
use crate::issues::pages::ListRowView;
use crate::web::AppState;
use crate::web::ctx::Ctx;

/// Issues a home lists at most; the rest are behind the list's link.
const ISSUES_SHOWN: i64 = 10;

/// GET / — the home of the user's role (a clerk's by the level of their unit).
pub async fn home(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    todos: web::Data<TodoCache>,
) -> AppResult<HttpResponse> {
    let role = user.role;
    let h = Home {
        req,
        user,
        state,
        todos,
    };
    match role {
        Role::GridWorker => worker::show(h).await,
        Role::Clerk if issue_models::is_wide(&h.user.org_path) => clerk::street(h).await,
        Role::Clerk => clerk::community(h).await,
        Role::BranchSecretary => secretary::show(h).await,
        Role::Leader | Role::Admin => cockpit::show(h.req, h.user).await,
    }
}

/// What every home is made from: the request (for the layout), the user, the app, the to-do
/// counts' cache.
struct Home {
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    todos: web::Data<TodoCache>,
}

impl Home {
    /// The layout's data, once the page's own is read.
    fn ctx(&self) -> Ctx {
        Ctx::build(&self.req, Some(self.user.clone()))
    }
}

pub fn routes(cfg: &mut web::ServiceConfig, once: &crate::web::singletons::Singletons) {
    cfg.route("/", web::get().to(home));
    cockpit::routes(cfg, once);
}

/// The user's to-do counts (我的待办) as (to-do code, count), through the shared cache.
fn todo_counts(
    conn: &mut AnyConnection,
    todos: &TodoCache,
    user: &CurrentUser,
) -> AppResult<Vec<(&'static str, i64)>> {
    Ok(todos
        .counts(conn, user, db::now())?
        .into_iter()
        .map(|(t, n)| (t.code(), n))
        .collect())
}

/// A short list of issues as read (the issue list's query and rows), with how many match in
/// all; shown through [`Issues::views`].
struct Issues {
    total: i64,
    rows: Vec<ListRow>,
    categories: HashMap<i32, String>,
    grids: HashMap<i32, String>,
    cal: WorkCalendar,
    now: NaiveDateTime,
}

impl Issues {
    /// The first [`ISSUES_SHOWN`] issues in the user's scope matching `f`, nearest deadline
    /// first, and how many match.
    fn read(
        conn: &mut AnyConnection,
        user: &CurrentUser,
        mut f: Filter,
        tz: chrono_tz::Tz,
    ) -> AppResult<Issues> {
        let now = db::now();
        f.sort = "deadline".into();
        let rows = issue_models::list(conn, user, &f, now, 0, ISSUES_SHOWN)?;
        Ok(Issues {
            total: issue_models::count(conn, user, &f, now)?,
            categories: issue_models::category_names(&issue_models::categories(conn)?),
            grids: issue_models::unit_names(conn, rows.iter().map(|r| r.grid_id))?,
            cal: issue_models::late_calendar(conn, &rows, tz, now)?,
            rows,
            now,
        })
    }

    /// The rows as the issue list shows them (deadline as `issues::pages::deadline_text`, the
    /// working days late).
    fn views(&self, ctx: &Ctx, title_key: &'static str, href: &str) -> IssueBox {
        IssueBox {
            title_key,
            href: href.to_string(),
            total: self.total,
            rows: self
                .rows
                .iter()
                .map(|r| {
                    ListRowView::of(r, (&self.categories, &self.grids), &self.cal, ctx, self.now)
                })
                .collect(),
        }
    }
}

/// What `home/_issues.html` shows: a title, the rows, how many there are in all and the list
/// they come from.
pub struct IssueBox {
    pub title_key: &'static str,
    pub href: String,
    pub total: i64,
    pub rows: Vec<ListRowView>,
}

impl IssueBox {
    /// More match than are shown.
    pub fn more(&self) -> bool {
        self.total > self.rows.len() as i64
    }
}
