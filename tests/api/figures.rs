//! The figures page: totals that equal a raw recount over the issues, scope, frozen months,
//! bad periods and the export.

use crate::helpers::*;
use crate::issues::{act, assert_summary_matches, report};

/// Raw counts over the issues of a unit's subtree for this year (local time), independent of the
/// summary table.
struct Raw<'a> {
    app: &'a TestApp,
    path: String,
    year_start: String,
    now: String,
}

impl<'a> Raw<'a> {
    fn new(app: &'a TestApp, unit: i32) -> Raw<'a> {
        let path = app.strings(&format!(
            "SELECT path AS s FROM org_units WHERE id = {unit}"
        ))[0]
            .clone();
        let now = chrono::Utc::now().naive_utc();
        let local_year = (now + chrono::Duration::hours(8)).format("%Y").to_string();
        let year: i32 = local_year.parse().unwrap();
        // 1 January 00:00 in Asia/Shanghai is 31 December 16:00 UTC.
        let year_start = format!("{}-12-31 16:00:00", year - 1);
        Raw {
            app,
            path,
            year_start,
            now: now.format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
        }
    }

    fn count(&self, cond: &str) -> i64 {
        self.app.count(&format!(
            "SELECT COUNT(*) AS n FROM issues WHERE scope_path LIKE '{}%' AND {cond}",
            self.path
        ))
    }

    fn reported(&self) -> i64 {
        self.count(&format!("reported_at >= '{}'", self.year_start))
    }

    fn closed(&self) -> i64 {
        self.count(&format!(
            "state = 'closed' AND closed_at >= '{}'",
            self.year_start
        ))
    }

    fn overdue(&self) -> i64 {
        self.count(&format!(
            "state IN ('dispatched', 'handling', 'returned') AND deadline < '{}' AND deadline >= '{}'",
            self.now, self.year_start
        ))
    }
}

fn recount_summary(app: &TestApp) {
    let mut c = app.conn();
    let conn: &mut gridwork::db::AnyConnection = &mut c;
    gridwork::issues::figures::recount(conn, chrono_tz::Asia::Shanghai).unwrap();
}

/// An issue closed through the whole cycle; returns its id.
fn closed_issue(app: &TestApp, title: &str) -> i32 {
    let worker = app.login("worker");
    let clerk = app.login("cclerk");
    let id = report(&worker, title);
    let wid = app.user_id("worker").to_string();
    act(&clerk, id, "register", &[]);
    act(
        &clerk,
        id,
        "dispatch",
        &[("target_kind", "user"), ("target_user", &wid)],
    );
    act(&worker, id, "accept", &[]);
    act(&worker, id, "handle", &[("note", "已处置")]);
    act(&clerk, id, "close", &[]);
    id
}

#[test]
fn street_figures_equal_a_raw_recount_of_the_issues() {
    let app = spawn_app();
    closed_issue(&app, "已办结一");
    closed_issue(&app, "已办结二");
    let worker = app.login("worker");
    report(&worker, "未办结");
    // One dispatched issue whose deadline has passed counts as overdue and as due.
    let late = report(&worker, "超期的");
    let clerk = app.login("cclerk");
    let wid = app.user_id("worker").to_string();
    act(&clerk, late, "register", &[]);
    act(
        &clerk,
        late,
        "dispatch",
        &[("target_kind", "user"), ("target_user", &wid)],
    );
    app.exec(&format!(
        "UPDATE issues SET deadline = reported_at WHERE id = {late}"
    ));
    // A deadline changed behind the application's back: rebuild the summary from the issues.
    recount_summary(&app);
    assert_summary_matches(&app);
    let leader = app.login("leader");
    let street = app.org_id("林山寨街道");
    // Deadlines of the demo's open issues pass while the test runs: count overdue just before
    // and just after the page and expect the page within.
    let overdue_before = Raw::new(&app, street).overdue();
    let page = leader.get("/issues/figures");
    assert_eq!(page.status, 200, "{}", page.body);
    let raw = Raw::new(&app, street);
    let (reported, closed) = (raw.reported(), raw.closed());
    let overdue: i64 = page.text("#fig-overdue").parse().unwrap();
    assert!(
        (overdue_before..=raw.overdue()).contains(&overdue),
        "{overdue_before} ≤ {overdue} ≤ {}",
        raw.overdue()
    );
    assert!(
        reported >= 4 && closed >= 2 && overdue >= 1,
        "{reported} {closed} {overdue}"
    );
    assert_eq!(page.text("#fig-reported"), reported.to_string());
    assert_eq!(page.text("#fig-closed"), closed.to_string());
    let rate = closed as f64 * 100.0 / (closed + overdue) as f64;
    assert_eq!(page.text("#fig-closure"), format!("{rate:.1}%"));
    assert!(page.has("figure.chart svg"));
    // The community's own page agrees with a recount of its issues.
    let community = app.org_id("工人路社区");
    let c = leader.get(&format!("/issues/figures?unit={community}"));
    assert_eq!(
        c.text("#fig-reported"),
        Raw::new(&app, community).reported().to_string()
    );
    // Overdue in a month that is over comes from the summary (open_due), not from the clock:
    // move the late issue's deadline into last month and count again.
    let shifted = if app.db_url.starts_with("postgres") {
        "deadline - INTERVAL '35 days'".to_string()
    } else {
        "datetime(deadline, '-35 days')".to_string()
    };
    app.exec(&format!(
        "UPDATE issues SET deadline = {shifted} WHERE id = {late}"
    ));
    recount_summary(&app);
    let before = Raw::new(&app, street).overdue();
    let page = leader.get("/issues/figures");
    let after = Raw::new(&app, street).overdue();
    let overdue: i64 = page.text("#fig-overdue").parse().unwrap();
    assert!(
        (before..=after).contains(&overdue),
        "{before} ≤ {overdue} ≤ {after}"
    );
    let export = leader.get("/issues/figures/export.xlsx");
    assert_eq!(export.status, 200);
    assert!(xlsx_text(&export.bytes).contains(&format!(">{reported}<")));
}

#[test]
fn figures_respect_the_scope() {
    let app = spawn_app();
    closed_issue(&app, "工人路的");
    app.add_user("worker2", "grid_worker", "陇西社区第1网格");
    let other = app.login("worker2");
    let page = other.get("/issues/figures");
    assert_eq!(page.status, 200);
    let grid = app.org_id("陇西社区第1网格");
    assert_eq!(
        page.text("#fig-reported"),
        Raw::new(&app, grid).reported().to_string()
    );
    let community = app.org_id("工人路社区");
    let street = app.org_id("林山寨街道");
    for unit in [community, street] {
        let r = other.get(&format!("/issues/figures?unit={unit}"));
        assert_eq!(r.status, 404);
        let r = other.get(&format!("/issues/figures/export.xlsx?unit={unit}"));
        assert_eq!(r.status, 404);
    }
}

#[test]
fn a_frozen_month_keeps_its_figures() {
    let app = spawn_app();
    let id = closed_issue(&app, "上月的问题");
    // Move the issue into last month (as if it had happened then) and rebuild the summary.
    let move_sql = |id: i32| {
        format!(
            "UPDATE issues SET reported_at = reported_at - INTERVAL_EXPR, \
             registered_at = registered_at - INTERVAL_EXPR, dispatched_at = dispatched_at - INTERVAL_EXPR, \
             handled_at = handled_at - INTERVAL_EXPR, closed_at = closed_at - INTERVAL_EXPR, \
             deadline = deadline - INTERVAL_EXPR WHERE id = {id}"
        )
    };
    let shift = |sql: String| {
        if app.db_url.starts_with("postgres") {
            sql.replace("INTERVAL_EXPR", "INTERVAL '35 days'")
        } else {
            // SQLite keeps timestamps as text: shift with datetime().
            let mut s = sql;
            for col in [
                "reported_at",
                "registered_at",
                "dispatched_at",
                "handled_at",
                "closed_at",
                "deadline",
            ] {
                s = s.replace(
                    &format!("{col} = {col} - INTERVAL_EXPR"),
                    &format!("{col} = datetime({col}, '-35 days')"),
                );
            }
            s
        }
    };
    app.exec(&shift(move_sql(id)));
    recount_summary(&app);
    let month = app.strings(&format!(
        "SELECT CAST(reported_at AS TEXT) AS s FROM issues WHERE id = {id}"
    ))[0][..7]
        .to_string();
    let leader = app.login("leader");
    let path = format!("/issues/figures?from={month}&to={month}");
    let page = leader.get(&path);
    assert_eq!(page.text("#fig-reported"), "1");
    let street = app.org_id("林山寨街道").to_string();
    let r = leader.submit(
        &path,
        "/issues/figures/freeze",
        &[("unit", &street), ("month", &month)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    // A second issue lands in that month afterwards: the frozen figures do not move.
    let id2 = closed_issue(&app, "后补的问题");
    app.exec(&shift(move_sql(id2)));
    recount_summary(&app);
    let page = leader.get(&path);
    assert_eq!(page.text("#fig-reported"), "1");
    assert!(page.body.contains(&"已冻结".to_string()));
    // A clerk cannot freeze.
    let clerk = app.login("clerk");
    assert!(
        !clerk
            .get(&path)
            .has("form[action=\"/issues/figures/freeze\"]")
    );
    let token = clerk.csrf(&path);
    let r = clerk.post_raw(
        "/issues/figures/freeze",
        &[("csrf_token", &token), ("unit", &street), ("month", &month)],
    );
    assert_eq!(r.status, 403);
}

#[test]
fn a_bad_period_gets_a_message_next_to_the_field() {
    let app = spawn_app();
    let leader = app.login("leader");
    let r = leader.get("/issues/figures?from=2026-13&to=2026-01");
    assert_eq!(r.status, 422);
    assert!(r.has("#e-from"));
    let r = leader.get("/issues/figures?from=2026-05&to=2026-01");
    assert_eq!(r.status, 422);
    assert!(r.has("#e-to"));
}
