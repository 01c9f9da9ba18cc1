//! The branch secretary's home: my branch (its page) and 记录活动 in one click (the branch's
//! new-activity form), the 三会一课 due in this month and this quarter (the party summary's fold
//! over the branch's year: held so far in the period under way, and the complete periods held
//! against due), the members in difficulty not visited this year, and the opinions in my scope
//! waiting for an answer.

use std::collections::HashMap;

use actix_web::HttpResponse;
use askama::Template;
use chrono::Datelike;

use super::Home;
use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::party::branches::models::{self as branch_models, Branch};
use crate::party::domain::rhythm_months;
use crate::party::opinions::models::{self as opinion_models, Opinion};
use crate::party::opinions::pages::RowView as OpinionView;
use crate::party::summary::domain::{BranchSummary, compute};
use crate::web::ctx::Ctx;

/// Opinions the home lists at most.
const OPINIONS_SHOWN: i64 = 10;

/// A 三会一课 kind in the period under way (this month or this quarter).
pub struct Due {
    pub kind: String,
    /// `homes.secretary.this_month` or `…this_quarter`.
    pub period_key: &'static str,
    /// Held so far in the period.
    pub held: u32,
    /// The complete periods of the year: held, due.
    pub done: u32,
    pub due: u32,
}

impl Due {
    /// "This year: 9 of 10 held" over the complete periods.
    pub fn so_far(&self, ctx: &Ctx) -> String {
        ctx.ta(
            "homes.secretary.year_so_far",
            &[
                ("done", self.done.to_string()),
                ("due", self.due.to_string()),
            ],
        )
    }
}

/// My branch with its year folded.
pub struct MyBranch {
    pub id: i32,
    pub name: String,
    pub dues: Vec<Due>,
    pub unvisited: Vec<(String, String)>,
}

impl MyBranch {
    fn of(b: &BranchSummary) -> MyBranch {
        MyBranch {
            id: b.id,
            name: b.name.clone(),
            dues: b
                .three_one
                .iter()
                .map(|t| Due {
                    kind: t.kind.clone(),
                    period_key: match rhythm_months(&t.kind) {
                        Some(1) => "homes.secretary.this_month",
                        _ => "homes.secretary.this_quarter",
                    },
                    held: t.current.unwrap_or(0),
                    done: t.done,
                    due: t.due,
                })
                .collect(),
            unvisited: b
                .unvisited
                .iter()
                .map(|m| (m.name.clone(), m.difficulty.clone()))
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "home/secretary.html")]
struct SecretaryPage {
    ctx: Ctx,
    /// The branches whose secretary I am (active ones), usually one.
    branches: Vec<MyBranch>,
    opinions: Vec<OpinionView>,
    /// Open opinions in my scope in all.
    open_opinions: i64,
}

/// The branches whose secretary the user is, folded over this year as the summary folds them.
fn my_branches(
    conn: &mut crate::db::AnyConnection,
    user: &CurrentUser,
    today: chrono::NaiveDate,
) -> AppResult<Vec<MyBranch>> {
    let mine: Vec<Branch> = branch_models::list(conn, user, &Default::default())?
        .into_iter()
        .filter(|b| b.active && b.secretary_user_id == Some(user.id))
        .collect();
    let raw = crate::party::summary::models::read(conn, mine, today.year(), today)?;
    let s = compute(raw, today.year(), None, today);
    Ok(s.branches.iter().map(MyBranch::of).collect())
}

/// GET / for a branch secretary.
pub async fn show(h: Home) -> AppResult<HttpResponse> {
    let (u, today) = (h.user.clone(), h.state.today());
    let (branches, opinions, total, units) = db::run(&h.state.pool, move |conn| {
        let f = opinion_models::Filter {
            state: Some("open".into()),
            ..Default::default()
        };
        let total = opinion_models::count_all(conn, &u, &f)?;
        let opinions: Vec<Opinion> = opinion_models::list(conn, &u, &f, 0, OPINIONS_SHOWN)?;
        let units: HashMap<i32, String> =
            crate::issues::models::unit_names(conn, opinions.iter().map(|o| o.unit_id))?;
        Ok((my_branches(conn, &u, today)?, opinions, total, units))
    })
    .await?;
    let ctx = h.ctx();
    crate::web::render_ok(&SecretaryPage {
        opinions: opinions
            .iter()
            .map(|o| OpinionView::of(&ctx, o, &units))
            .collect(),
        open_opinions: total,
        branches,
        ctx,
    })
}
