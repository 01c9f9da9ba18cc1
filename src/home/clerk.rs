//! A clerk's home, by the level of their unit. A community's (or village's) clerk: today's 日碰头
//! (open it, or the new-meeting form filled in for today: the place, chair and recorder are
//! theirs to type), my to-dos, the community's overdue issues, the grids not patrolled today (the
//! coverage page's rule: a grid with a log today is patrolled). A street's clerk: my to-dos, the
//! meetings of this week not held yet, the finished months whose figures are not frozen.

use std::collections::HashMap;

use actix_web::HttpResponse;
use askama::Template;
use chrono::{Datelike, Duration, NaiveDate};

use super::{Home, IssueBox, Issues, todo_counts};
use crate::db;
use crate::error::AppResult;
use crate::issues::models::Filter;
use crate::meetings::domain::{Kind as MeetingKind, State as MeetingState, week_start};
use crate::meetings::models::{self as meeting_models, ListRow as MeetingRow};
use crate::meetings::pages::ListRowView as MeetingView;
use crate::org::domain::Kind;
use crate::org::models::UnitName;
use crate::patrols::coverage::models::{Grids, day_status};
use crate::patrols::models::{MyGridToday, my_grids_today};
use crate::web::ctx::Ctx;

/// Meetings the street clerk's home lists at most.
const MEETINGS_SHOWN: i64 = 10;

#[derive(Template)]
#[template(path = "home/clerk.html")]
struct CommunityPage {
    ctx: Ctx,
    /// Today's huddle of the clerk's unit, if it is called: (id, state code).
    huddle: Option<(i32, String)>,
    /// The new-meeting form for today's huddle.
    new_huddle: String,
    todos: Vec<(&'static str, i64)>,
    overdue: IssueBox,
    /// The grids of the unit without a log today, and how many grids it has.
    unpatrolled: Vec<UnitName>,
    grids: usize,
    mine: Vec<MyGridToday>,
    quick_token: String,
}

/// GET / for a community's or a village's clerk.
pub async fn community(h: Home) -> AppResult<HttpResponse> {
    let (u, today, tz, todos) = (h.user.clone(), h.state.today(), h.state.tz, h.todos.clone());
    let (huddle, todos, overdue, (unpatrolled, grids), mine) =
        db::run(&h.state.pool, move |conn| {
            let f = meeting_models::Filter {
                unit_path: Some(u.org_path.clone()),
                kind: Some(MeetingKind::Huddle.code().into()),
                from: Some(today),
                to: Some(today),
                state: None,
            };
            let huddle = meeting_models::list(conn, &u, &f, 0, 50)?
                .into_iter()
                .find(|m| m.unit_id == u.org_unit_id)
                .map(|m| (m.id, m.state));
            let all = crate::org::models::units_of_kind(conn, &u.org_path, Kind::Grid)?;
            let ids: Vec<i32> = all.iter().map(|g| g.id).collect();
            let logged = day_status(conn, &Grids::new(&ids), today)?;
            let grids = all.len();
            let unpatrolled = all
                .into_iter()
                .filter(|g| !logged.iter().any(|l| l.grid_id == g.id))
                .collect();
            let overdue = Filter {
                overdue: true,
                ..Default::default()
            };
            Ok((
                huddle,
                todo_counts(conn, &todos, &u)?,
                Issues::read(conn, &u, overdue, tz)?,
                (unpatrolled, grids),
                my_grids_today(conn, &u, today)?,
            ))
        })
        .await?;
    let new_huddle = format!(
        "/meetings/new?unit={}&kind={}&day={today}",
        h.user.org_unit_id,
        MeetingKind::Huddle.code()
    );
    let ctx = h.ctx();
    crate::web::render_ok(&CommunityPage {
        overdue: overdue.views(
            &ctx,
            "homes.clerk.overdue",
            "/issues?overdue=1&sort=deadline",
        ),
        ctx,
        huddle,
        new_huddle,
        todos,
        unpatrolled,
        grids,
        mine,
        quick_token: crate::web::csrf::random_token(),
    })
}

#[derive(Template)]
#[template(path = "home/clerk_street.html")]
struct StreetPage {
    ctx: Ctx,
    todos: Vec<(&'static str, i64)>,
    /// This week's meetings not held yet, in the clerk's scope (the first few).
    meetings: Vec<MeetingView>,
    /// The meeting list filtered to them.
    meetings_href: String,
    /// More than are shown.
    more_meetings: bool,
    /// The finished months of the year (of last month) whose figures are not frozen, with the
    /// figures page of each.
    unfrozen: Vec<(String, String)>,
    mine: Vec<MyGridToday>,
    quick_token: String,
}

/// Monday and Sunday of `today`'s week.
fn this_week(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = week_start(today);
    (monday, monday + Duration::days(6))
}

/// The finished months of the year last month lies in, up to last month ("2026-01" …
/// "2026-11"): the months whose figures can be frozen.
fn finished_months(today: NaiveDate) -> Vec<String> {
    let first = today.with_day(1).unwrap_or(today);
    let last = first.pred_opt().unwrap_or(first);
    (1..=last.month())
        .map(|m| format!("{}-{m:02}", last.year()))
        .collect()
}

/// GET / for a street's (or the district's) clerk.
pub async fn street(h: Home) -> AppResult<HttpResponse> {
    let (u, today, todos) = (h.user.clone(), h.state.today(), h.todos.clone());
    let (monday, sunday) = this_week(today);
    let (todos, (rows, names), frozen, mine) = db::run(&h.state.pool, move |conn| {
        let f = meeting_models::Filter {
            unit_path: None,
            kind: None,
            state: Some(MeetingState::Draft.code().into()),
            from: Some(monday),
            to: Some(sunday),
        };
        let rows: Vec<MeetingRow> = meeting_models::list(conn, &u, &f, 0, MEETINGS_SHOWN + 1)?;
        let names = crate::issues::models::unit_names(conn, rows.iter().map(|r| r.unit_id))?;
        let months = finished_months(today);
        let frozen = crate::issues::figures::models::frozen(conn, u.org_unit_id, &months)?;
        Ok((
            todo_counts(conn, &todos, &u)?,
            (rows, names),
            frozen,
            my_grids_today(conn, &u, today)?,
        ))
    })
    .await?;
    let unit = h.user.org_unit_id;
    let unfrozen = finished_months(today)
        .into_iter()
        .filter(|m| !frozen.contains_key(m))
        .map(|m| {
            let href = format!("/issues/figures?unit={unit}&from={m}&to={m}");
            (m, href)
        })
        .collect();
    let ctx = h.ctx();
    let more_meetings = rows.len() as i64 > MEETINGS_SHOWN;
    crate::web::render_ok(&StreetPage {
        meetings: meeting_views(&ctx, &rows, &names),
        meetings_href: format!("/meetings?kind=all&state=draft&from={monday}&to={sunday}"),
        more_meetings,
        todos,
        unfrozen,
        mine,
        quick_token: crate::web::csrf::random_token(),
        ctx,
    })
}

fn meeting_views(ctx: &Ctx, rows: &[MeetingRow], names: &HashMap<i32, String>) -> Vec<MeetingView> {
    rows.iter()
        .take(MEETINGS_SHOWN as usize)
        .map(|r| MeetingView::new(ctx, r, names))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_months_to_freeze_are_the_finished_ones_of_last_months_year() {
        assert_eq!(finished_months(d(2026, 3, 31)), ["2026-01", "2026-02"]);
        assert_eq!(finished_months(d(2026, 1, 5)).len(), 12);
        assert_eq!(finished_months(d(2026, 1, 5))[11], "2025-12");
        assert_eq!(this_week(d(2026, 12, 2)), (d(2026, 11, 30), d(2026, 12, 6)));
    }
}
