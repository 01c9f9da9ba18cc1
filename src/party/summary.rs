//! The party summary (党建统计, SPEC §7): per branch the activities of each month of a year and
//! of a quarter by kind, branches silent for 30 days, 三会一课 done against the expected rhythm
//! year-to-date, visits to members in difficulty (and who was not visited) — filtered by unit,
//! printable on A4 and exported as a workbook of several sheets.

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::domain::ACTIVITY_KINDS;
use super::models::{self, Branch};
use super::summary_data::{Summary, compute, read};
use super::summary_models as q;
use crate::auth::{CurrentUser, Role};
use crate::db::{self, stamped::StampedCache};
use crate::error::{AppError, AppResult};
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};
use crate::web::xlsx::Sheet;
use crate::web::{AppState, render_ok};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SummaryQuery {
    pub unit: String,
    pub year: String,
    pub quarter: String,
}

impl SummaryQuery {
    fn base(&self) -> String {
        crate::web::pagination::query_string(&[
            ("unit", self.unit.trim()),
            ("year", self.year.trim()),
            ("quarter", self.quarter.trim()),
        ])
    }

    /// The year and quarter asked for; a bad one is a message and the default (this year, the
    /// whole year).
    fn period(&self, today: NaiveDate, e: &mut FormErrors) -> (i32, Option<u32>) {
        let year = match self.year.trim() {
            "" => today.year(),
            raw => match raw.parse::<i32>() {
                Ok(y) if (2000..=today.year() + 1).contains(&y) => y,
                _ => {
                    e.add("year", "party.summary.bad_year");
                    today.year()
                }
            },
        };
        let quarter = match self.quarter.trim() {
            "" => None,
            raw => match raw.parse::<u32>() {
                Ok(q) if (1..=4).contains(&q) => Some(q),
                _ => {
                    e.add("quarter", "party.summary.bad_quarter");
                    None
                }
            },
        };
        (year, quarter)
    }
}

#[derive(Template)]
#[template(path = "party/summary.html")]
pub struct SummaryPage {
    pub ctx: Ctx,
    pub q: SummaryQuery,
    pub s: Arc<Summary>,
    pub unit_name: String,
    pub units: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub errors: FormErrors,
    pub export_query: String,
}

impl SummaryPage {
    pub fn kind_label(&self, kind: &str) -> String {
        self.ctx.t(format!("party.summary.kind.{kind}"))
    }

    pub fn difficulty_label(&self, d: &str) -> String {
        self.ctx.t(format!("party.difficulty.{d}"))
    }

    pub fn period(&self) -> String {
        match self.s.quarter {
            Some(q) => self.ctx.ta(
                "party.summary.period_quarter",
                &[("year", self.s.year.to_string()), ("q", q.to_string())],
            ),
            None => self
                .ctx
                .ta1("party.summary.period_year", "year", self.s.year),
        }
    }

    /// The query of a street's own summary for the same period.
    pub fn street_query(&self, street: &i32) -> String {
        crate::web::pagination::query_string(&[
            ("unit", &street.to_string()),
            ("year", &self.s.year.to_string()),
            (
                "quarter",
                &self.s.quarter.map(|q| q.to_string()).unwrap_or_default(),
            ),
        ])
    }

    pub fn until(&self) -> String {
        self.ctx
            .ta1("party.summary.until", "day", self.ctx.date(&self.s.until))
    }
}

fn may_read(user: &CurrentUser) -> bool {
    matches!(
        user.role,
        Role::Clerk | Role::Leader | Role::Admin | Role::BranchSecretary
    )
}

/// Summaries by (branches, year, quarter, today) until an activity is recorded or an audited
/// change is made (see `crate::db::stamped`): a district's summary folds ~25,000 rows of a year.
#[derive(Default)]
pub struct Cache(StampedCache<CacheKey, Vec<Option<i32>>, Summary>);

/// The branches' ids, the year, the quarter, today.
type CacheKey = (Vec<i32>, i32, Option<u32>, NaiveDate);

/// The summary asked for: the branches of the unit (or the user's scope) and their rows.
async fn load(
    state: &AppState,
    cache: web::Data<Cache>,
    user: &CurrentUser,
    query: &SummaryQuery,
) -> AppResult<(Arc<Summary>, String, Vec<Choice>, FormErrors)> {
    if !may_read(user) {
        return Err(AppError::Forbidden);
    }
    let today = state.today();
    let mut errors = FormErrors::new();
    let (year, quarter) = query.period(today, &mut errors);
    let (u, unit) = (user.clone(), query.unit.trim().parse::<i32>().ok());
    let (s, unit_name, units) = db::run(&state.pool, move |conn| {
        let mut f = models::Filter::default();
        let unit_name = match unit {
            Some(id) => {
                let unit = crate::org::models::get_scoped(conn, &u, id)?;
                f.unit_path = Some(unit.path);
                unit.name
            }
            None => u.org_name.clone(),
        };
        let branches: Vec<Branch> = models::list(conn, &u, &f)?
            .into_iter()
            .filter(|b| b.active)
            .collect();
        let units = crate::org::models::options(conn, &u, false)?
            .into_iter()
            .map(crate::org::models::choice)
            .collect::<Vec<_>>();
        let key = (
            branches.iter().map(|b| b.id).collect(),
            year,
            quarter,
            today,
        );
        let s = cache.0.get_or_load(key, q::stamp(conn)?, || {
            Ok(compute(
                read(conn, branches, year, today)?,
                year,
                quarter,
                today,
            ))
        })?;
        Ok((s, unit_name, units))
    })
    .await?;
    Ok((s, unit_name, units, errors))
}

/// GET /party/summary
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    cache: web::Data<Cache>,
    query: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let (s, unit_name, units, errors) = load(&state, cache, &user, &query).await?;
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&SummaryPage {
        kinds: ACTIVITY_KINDS
            .iter()
            .map(|k| Choice::new(k, ctx.t(format!("party.summary.kind.{k}"))))
            .collect(),
        export_query: query.base(),
        q: query,
        s,
        unit_name,
        units,
        errors,
        ctx,
    })
}

/// GET /party/summary/export.xlsx — the summary's tables as sheets.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    cache: web::Data<Cache>,
    query: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let (s, _, _, _) = load(&state, cache, &user, &query).await?;
    let ctx = Ctx::build(&req, Some(user));
    let t = |k: &str| ctx.t(k);
    let kind = |k: &str| ctx.t(format!("party.summary.kind.{k}"));
    let mut month_headers = vec![t("party.summary.branch"), t("party.summary.unit")];
    month_headers.extend((1..=12).map(|m| ctx.ta1("party.summary.month_n", "m", m)));
    month_headers.push(t("party.summary.total"));
    let months = Sheet {
        name: t("party.summary.sheet_months"),
        headers: month_headers,
        rows: s
            .branches
            .iter()
            .map(|b| {
                let mut r = vec![b.name.clone(), b.unit.clone()];
                r.extend(b.months.iter().map(|n| n.to_string()));
                r.push(b.total.to_string());
                r
            })
            .collect(),
    };
    let mut kind_headers = vec![t("party.summary.branch")];
    kind_headers.extend(ACTIVITY_KINDS.iter().map(|k| kind(k)));
    kind_headers.push(t("party.summary.total"));
    let kinds = Sheet {
        name: t("party.summary.sheet_kinds"),
        headers: kind_headers,
        rows: s
            .branches
            .iter()
            .map(|b| {
                let mut r = vec![b.name.clone()];
                r.extend(b.kinds.iter().map(|k| k.1.to_string()));
                r.push(b.period_total.to_string());
                r
            })
            .collect(),
    };
    let mut q_headers = vec![t("party.summary.kind_label")];
    q_headers.extend((1..=4).map(|q| ctx.ta1("party.summary.quarter_n", "q", q)));
    q_headers.push(t("party.summary.total"));
    let quarters = Sheet {
        name: t("party.summary.sheet_quarters"),
        headers: q_headers,
        rows: s
            .kind_quarters
            .iter()
            .map(|k| {
                let mut r = vec![kind(&k.kind)];
                r.extend(k.quarters.iter().map(|n| n.to_string()));
                r.push(k.total.to_string());
                r
            })
            .collect(),
    };
    let yes_no = |b: bool| t(if b { "form.yes" } else { "form.no" });
    let three_one = Sheet {
        name: t("party.summary.sheet_three_one"),
        headers: vec![
            t("party.summary.branch"),
            t("party.summary.kind_label"),
            t("party.summary.done"),
            t("party.summary.due"),
            t("party.summary.met"),
        ],
        rows: s
            .branches
            .iter()
            .flat_map(|b| {
                b.three_one.iter().map(|x| {
                    vec![
                        b.name.clone(),
                        kind(&x.kind),
                        x.done.to_string(),
                        x.due.to_string(),
                        yes_no(x.met()),
                    ]
                })
            })
            .collect(),
    };
    let silent = Sheet {
        name: t("party.summary.sheet_silent"),
        headers: vec![t("party.summary.branch"), t("party.summary.last_activity")],
        rows: s
            .silent()
            .iter()
            .map(|b| vec![b.name.clone(), ctx.date_opt(&b.last)])
            .collect(),
    };
    let visits = Sheet {
        name: t("party.summary.sheet_visits"),
        headers: vec![
            t("party.summary.branch"),
            t("party.summary.visits"),
            t("party.summary.unvisited"),
        ],
        rows: s
            .branches
            .iter()
            .map(|b| {
                vec![
                    b.name.clone(),
                    b.visits.to_string(),
                    b.unvisited
                        .iter()
                        .map(|u| u.0.clone())
                        .collect::<Vec<_>>()
                        .join("、"),
                ]
            })
            .collect(),
    };
    let mut sheets = vec![months, kinds, quarters, three_one, silent, visits];
    if !s.streets.is_empty() {
        let mut headers = vec![t("party.summary.street"), t("party.summary.card_branches")];
        headers.extend((1..=12).map(|m| ctx.ta1("party.summary.month_n", "m", m)));
        headers.extend([
            t("party.summary.total"),
            t("party.summary.met_branches"),
            t("party.summary.card_silent"),
            t("party.summary.visits"),
            t("party.summary.card_unvisited"),
        ]);
        let rows = s
            .streets
            .iter()
            .map(|l| {
                let mut r = vec![l.name.clone(), l.branches.to_string()];
                r.extend(l.months.iter().map(|n| n.to_string()));
                r.extend(
                    [
                        l.total,
                        l.meeting as i64,
                        l.silent as i64,
                        l.visits,
                        l.unvisited as i64,
                    ]
                    .map(|n| n.to_string()),
                );
                r
            })
            .collect();
        let name = t("party.summary.sheet_streets");
        sheets.insert(
            0,
            Sheet {
                name,
                headers,
                rows,
            },
        );
    }
    crate::web::xlsx::respond_sheets("party-summary.xlsx", &sheets)
}
