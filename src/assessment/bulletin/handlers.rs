//! The month's export and its printed bulletin (考核通报).

use crate::auth::CurrentUser;
use crate::db::{self};
use crate::error::AppResult;
use crate::web::ctx::Ctx;
use crate::web::{AppState, render_ok};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::assessment::forms::RankQuery;
use crate::assessment::pages::BulletinPage;
use crate::assessment::results::handlers::ranking;

/// GET /assessment/export.xlsx — the ranking with every scored indicator.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<RankQuery>,
) -> AppResult<HttpResponse> {
    let (u, q, today) = (user.clone(), q.into_inner(), state.today());
    let rk = db::run(&state.pool, move |conn| ranking(conn, &u, &q, today)).await?;
    let ctx = Ctx::build(&req, Some(user));
    let mut headers: Vec<String> = ["assess.rank", "assess.object"]
        .iter()
        .map(|k| ctx.t(k))
        .collect();
    headers.extend(rk.leaves.iter().map(|i| format!("{} {}", i.code, i.name)));
    headers.extend(
        [
            "assess.bonus",
            "assess.deduction",
            "assess.total",
            "assess.grade_label",
            "assess.state_label",
        ]
        .iter()
        .map(|k| ctx.t(k)),
    );
    let rows: Vec<Vec<String>> = rk
        .rows(&ctx)
        .into_iter()
        .map(|r| {
            let mut v = vec![r.rank.to_string(), r.name];
            v.extend(r.scores);
            v.extend([r.bonus, r.deduction, r.total, r.grade, r.state]);
            v
        })
        .collect();
    crate::web::xlsx::respond_sheets(
        &format!("assessment-{}.xlsx", rk.period),
        &[crate::web::xlsx::Sheet {
            name: rk.period.clone(),
            headers,
            rows,
        }],
    )
}

/// GET /assessment/bulletin — the month's 考核通报, on A4.
pub async fn bulletin(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<RankQuery>,
) -> AppResult<HttpResponse> {
    let (u, q, today) = (user.clone(), q.into_inner(), state.today());
    let rk = db::run(&state.pool, move |conn| ranking(conn, &u, &q, today)).await?;
    let ctx = Ctx::build(&req, Some(user));
    let title = ctx.ta("assess.bulletin_title", &[("month", rk.month_words(&ctx))]);
    let basis = rk.scheme.as_ref().map_or(String::new(), |s| {
        ctx.ta(
            "assess.bulletin_basis",
            &[("basis", s.basis.clone()), ("scheme", s.name.clone())],
        )
    });
    render_ok(&BulletinPage {
        rows: rk.rows(&ctx),
        title,
        basis,
        rk,
        ctx,
    })
}
