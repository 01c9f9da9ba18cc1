//! 量化考核 through the HTTP layer: a street's month computed from the records (one result per
//! grid, entries with their formula and the link to the records), the ranking, its export and
//! printed bulletin, manual entries (422, one per double post, 409 when stale), reversal (never
//! a deletion), publication that freezes the month, the roles (403) and the scope (404), the
//! audit rows, a grid worker's own score.

use chrono::Datelike;

use crate::helpers::*;

/// A month before the demo's published one, always in the past.
const MONTH: &str = "2026-09";

fn scheme_id(app: &TestApp) -> i64 {
    app.count("SELECT CAST(MIN(id) AS BIGINT) AS n FROM assess_schemes")
}

fn ranking(app: &TestApp) -> String {
    format!(
        "/assessment?scheme={}&period={MONTH}&unit={}",
        scheme_id(app),
        app.org_id("林山寨街道")
    )
}

fn grids_of(app: &TestApp, street: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) AS n FROM org_units g JOIN org_units s ON s.name = '{street}' \
         WHERE g.kind = 'grid' AND g.path >= s.path AND g.path < s.path || '~'"
    ))
}

/// Entries of this test's month matching `cond` (the demo's October has its own).
fn entries_where(app: &TestApp, cond: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) AS n FROM assess_entries e JOIN assess_results r ON r.id = e.result_id \
         WHERE r.period = '{MONTH}' AND {cond}"
    ))
}

fn total_of(app: &TestApp, id: i64) -> i64 {
    app.count(&format!(
        "SELECT CAST(total AS BIGINT) AS n FROM assess_results WHERE id = {id}"
    ))
}

#[test]
fn a_leader_computes_enters_reverses_and_publishes_a_month() {
    let app = spawn_app();
    let leader = app.login("leader");
    let page = ranking(&app);
    let p = leader.get(&page);
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.has("#compute-form"));
    assert!(p.has("#assess-empty"));
    // Computed, once for a double post.
    let form = form_fields(&p, "/assessment/compute");
    let first = leader.post_raw("/assessment/compute", &pairs(&form));
    assert_eq!(first.status, 303, "{}", first.body);
    let again = leader.post_raw("/assessment/compute", &pairs(&form));
    assert_eq!(again.location(), first.location());
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'assess_compute'"),
        1
    );
    let grids = grids_of(&app, "林山寨街道");
    assert!(grids > 10);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM assess_results WHERE period = '{MONTH}'"
        )),
        grids
    );
    // Every scored indicator has its computed entry.
    assert_eq!(entries_where(&app, "e.manual = FALSE"), grids * 6);
    let p = leader.get(&page);
    assert_eq!(p.texts("#ranking tbody tr").len() as i64, grids);
    assert_eq!(p.texts("#ranking td.rank")[0], "1");
    // The export and the printed bulletin.
    let x = leader.get(&format!(
        "/assessment/export.xlsx?scheme={}&period={MONTH}&unit={}",
        scheme_id(&app),
        app.org_id("林山寨街道")
    ));
    assert_eq!(x.status, 200);
    let text = xlsx_text(&x.bytes);
    assert!(text.contains("A1.1 办结率"), "{text}");
    assert!(text.contains("第1网格"));
    let b = leader.get(&page.replace("/assessment?", "/assessment/bulletin?"));
    assert_eq!(b.status, 200);
    assert!(
        b.body.contains("关于2026年9月网格化管理考评结果的通报"),
        "{}",
        b.body
    );
    assert!(b.has("#bulletin-annex"));
    assert!(b.has("#print-title-block"));
    assert!(b.has("#bulletin-draft"));

    // An object's page: every entry with its formula and the records behind it.
    let id = app.count(&format!(
        "SELECT CAST(MIN(id) AS BIGINT) AS n FROM assess_results WHERE period = '{MONTH}'"
    ));
    // The demo's October is there too, published with its two inspection entries.
    assert!(
        app.count(
            "SELECT COUNT(*) AS n FROM assess_entries e JOIN assess_results r ON r.id = e.result_id \
             WHERE r.state = 'published' AND e.manual = TRUE"
        ) >= 2
    );
    let show = format!("/assessment/results/{id}");
    let s = leader.get(&show);
    assert_eq!(s.status, 200);
    assert!(
        s.attrs("a.records", "href")
            .iter()
            .any(|h| h.starts_with("/issues?unit=") && h.contains("from=2026-09-01"))
    );
    assert!(
        s.attrs("a.records", "href")
            .iter()
            .any(|h| h.ends_with("/patrols?month=2026-09"))
    );
    assert!(!s.texts("td.formula").is_empty());
    let before = total_of(&app, id);

    // A manual entry: bad input kept with its messages.
    let action = format!("{show}/entries");
    let bad = leader.submit(
        &show,
        &action,
        &[
            ("points", "zwei"),
            ("reason", " "),
            ("evidence", "/issues/1"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-points") && bad.has("#e-reason") && bad.has("#e-indicator_id"));
    assert_eq!(bad.value("#f-evidence").as_deref(), Some("/issues/1"));
    // Entered once for a double post.
    let s = leader.get(&show);
    let mut f = form_fields(&s, &action);
    let b11 = app.count(&format!(
        "SELECT CAST(id AS BIGINT) AS n FROM assess_indicators WHERE code = 'B1.1' AND scheme_id = {}",
        scheme_id(&app)
    ));
    set_field(&mut f, "indicator_id", &b11.to_string());
    set_field(&mut f, "points", "-2");
    set_field(&mut f, "reason", "督查发现占道经营未及时处置");
    set_field(&mut f, "evidence", "/issues/1");
    let r1 = leader.post_raw(&action, &pairs(&f));
    assert_eq!(r1.status, 303, "{}", r1.body);
    let r2 = leader.post_raw(&action, &pairs(&f));
    assert_eq!(r2.location(), r1.location());
    assert_eq!(entries_where(&app, "e.manual = TRUE"), 1);
    assert_eq!(total_of(&app, id), before - 20);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'assess_entry' AND action = 'create'"
        ),
        1
    );
    // A stale form (the result moved on): 409 with both versions, the typed entry kept.
    set_field(&mut f, "form_token", "another-token");
    set_field(&mut f, "reason", "再次扣分");
    let stale = leader.post_raw(&action, &pairs(&f));
    assert_eq!(stale.status, 409);
    assert!(stale.has(".conflict"));
    assert_eq!(stale.text("#f-reason"), "再次扣分");

    // Reversed, never deleted: a reason is required.
    let entry = app.count(&format!(
        "SELECT CAST(MIN(e.id) AS BIGINT) AS n FROM assess_entries e \
         JOIN assess_results r ON r.id = e.result_id WHERE r.period = '{MONTH}' AND e.manual = TRUE"
    ));
    let rev = format!("{show}/entries/{entry}/reverse");
    let no_reason = leader.submit(&show, &rev, &[("reason", "")]);
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.has("#e-reason"));
    let ok = leader.submit(&show, &rev, &[("reason", "复核：已于当日处置")]);
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(total_of(&app, id), before);
    assert_eq!(entries_where(&app, "e.manual = TRUE"), 2);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM assess_entries WHERE id = {entry} AND reversed_by IS NOT NULL"
        )),
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'assess_reverse'"),
        1
    );

    // Published: frozen for every route.
    let p = leader.get(&page);
    let pubf = form_fields(&p, "/assessment/publish");
    assert_eq!(
        leader.post_raw("/assessment/publish", &pairs(&pubf)).status,
        303
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM assess_results WHERE period = '{MONTH}' AND state = 'published'"
        )),
        grids
    );
    let p = leader.get(&page);
    assert!(p.has("#assess-published"));
    assert!(!p.has("#compute-form"));
    let mut again = form.clone();
    set_field(&mut again, "form_token", "recompute-token");
    assert_eq!(
        leader
            .post_raw("/assessment/compute", &pairs(&again))
            .status,
        409
    );
    set_field(&mut f, "form_token", "late-token");
    set_field(&mut f, "version", "99");
    assert_eq!(leader.post_raw(&action, &pairs(&f)).status, 409);
    let s = leader.get(&show);
    assert!(!s.has("#entry-form"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'assess_publish'"),
        1
    );
}

#[test]
fn roles_scope_bad_months_and_my_score() {
    let app = spawn_app();
    let leader = app.login("leader");
    let page = ranking(&app);
    // A month in the future or garbled: 422 on the ranking page.
    let future = leader.submit(&page, "/assessment/compute", &[("period", "2999-01")]);
    assert_eq!(future.status, 422);
    assert!(future.has("#e-period"));
    let garbled = leader.submit(&page, "/assessment/compute", &[("period", "13/2026")]);
    assert_eq!(garbled.status, 422);
    assert_eq!(leader.submit(&page, "/assessment/compute", &[]).status, 303);
    // A clerk reads the ranking but may not compute.
    let clerk = app.login("clerk");
    assert_eq!(clerk.get(&page).status, 200);
    let token = clerk.csrf(&page);
    let sid = scheme_id(&app).to_string();
    let unit = app.org_id("林山寨街道").to_string();
    let r = clerk.post_raw(
        "/assessment/compute",
        &[
            ("csrf_token", &token),
            ("form_token", "t1"),
            ("scheme", &sid),
            ("unit", &unit),
            ("period", MONTH),
        ],
    );
    assert_eq!(r.status, 403);
    // Another street is outside the leader's scope.
    let other = app.org_id("绿东村街道");
    assert_eq!(
        leader
            .get(&format!("/assessment?unit={other}&period={MONTH}"))
            .status,
        404
    );
    // A community clerk sees their own grids only; another community's grid is not there.
    let cclerk = app.login("cclerk");
    let seen = cclerk.get(&page.replace(&format!("&unit={unit}"), ""));
    assert_eq!(seen.status, 200);
    let own = app.count(&format!(
        "SELECT COUNT(*) AS n FROM assess_results r JOIN org_units c ON c.name = '工人路社区' \
         WHERE r.period = '{MONTH}' AND r.scope_path >= c.path AND r.scope_path < c.path || '~'"
    ));
    assert!(own > 0);
    assert_eq!(seen.texts("#ranking tbody tr").len() as i64, own);
    let foreign = app.count(&format!(
        "SELECT CAST(MIN(r.id) AS BIGINT) AS n FROM assess_results r \
         JOIN org_units c ON c.name = '工人路社区' \
         WHERE r.period = '{MONTH}' AND NOT (r.scope_path >= c.path AND r.scope_path < c.path || '~')"
    ));
    assert_eq!(
        cclerk.get(&format!("/assessment/results/{foreign}")).status,
        404
    );
    // The scheme with its indicator tree, readable by everyone it serves.
    let schemes = cclerk.get("/assessment/schemes");
    assert_eq!(schemes.status, 200);
    assert!(schemes.body.contains("网格化管理月度考核"));
    assert!(schemes.has("#outcomes-only"));
    assert_eq!(schemes.texts("table.scheme-indicators tbody tr").len(), 11);
    // The grid worker's own score.
    let worker = app.login("worker");
    let me = worker.get("/assessment/me");
    assert_eq!(me.status, 200);
    assert!(!me.texts("#my-scores tbody tr").is_empty());
    let first = me.attrs("#my-scores a", "href")[0].clone();
    assert_eq!(worker.get(&first).status, 200);
    assert!(!worker.get(&first).has("#entry-form"));
}

/// The figures behind the computed points equal raw recounts over the demo records: the closure
/// rate's numerator (issues of the grid closed in the month, local time) and the patrol days
/// (working days of the month with a log; the demo logs on working days only).
#[test]
fn computed_figures_equal_a_raw_recount() {
    let app = spawn_app();
    let leader = app.login("leader");
    let today = local_today();
    let month = today.format("%Y-%m").to_string();
    let page = format!(
        "/assessment?scheme={}&period={month}&unit={}",
        scheme_id(&app),
        app.org_id("林山寨街道")
    );
    let r = leader.submit(&page, "/assessment/compute", &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let grid =
        app.count("SELECT CAST(org_unit_id AS BIGINT) AS n FROM users WHERE username = 'worker'");
    let figure = |code: &str| -> String {
        app.strings(&format!(
            "SELECT e.figure AS s FROM assess_entries e \
             JOIN assess_results r ON r.id = e.result_id \
             JOIN assess_indicators i ON i.id = e.indicator_id \
             WHERE r.period = '{month}' AND r.object_id = {grid} AND i.code = '{code}'"
        ))[0]
            .clone()
    };
    let first = today.with_day(1).unwrap();
    let lo = (first.and_hms_opt(0, 0, 0).unwrap() - chrono::Duration::hours(8))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    let closed = app.count(&format!(
        "SELECT COUNT(*) AS n FROM issues WHERE grid_id = {grid} AND state = 'closed' \
         AND closed_at >= '{lo}'"
    ));
    let closure = figure("A1.1");
    assert_eq!(
        closure.split('/').next().unwrap(),
        closed.to_string(),
        "{closure}"
    );
    let days = app.count(&format!(
        "SELECT COUNT(DISTINCT day) AS n FROM patrols WHERE grid_id = {grid} AND day >= '{first}'"
    ));
    let patrol = figure("A2.1");
    assert_eq!(
        patrol.split('/').next().unwrap(),
        days.to_string(),
        "{patrol}"
    );
}
