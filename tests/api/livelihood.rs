//! The livelihood report (民生月报) through the HTTP layer: the street's indicator catalogue,
//! monthly entries and corrections, frozen months, the computed report (2,602 of 2,580 is
//! 100.9%, not the seed's "108%"), its print and export, and the promises (422 by the field,
//! 409 on a stale edit, 404 outside the scope, 403 for roles that may not write, one record per
//! double submit, the audit rows). Every figure is for 2024, so no test depends on its day.

use crate::helpers::*;

const YEAR: &str = "2024";

fn id_after(r: &Resp, prefix: &str) -> i32 {
    assert_eq!(r.status, 303, "{}", r.body);
    r.location()
        .trim_start_matches(prefix)
        .split(['#', '?', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The street clerk's indicator of 2024; returns its id.
fn indicator(app: &TestApp, c: &Client, name: &str, unit: &str, target: &str) -> i32 {
    let street = app.org_id("林山寨街道").to_string();
    let r = c.submit(
        "/livelihood/indicators/new",
        "/livelihood/indicators",
        &[
            ("unit_id", &street),
            ("year", YEAR),
            ("name", name),
            ("count_unit", unit),
            ("summed", "1"),
            ("target", target),
            ("office", "社会事务办"),
        ],
    );
    id_after(&r, "/livelihood/indicators/")
}

fn enter(c: &Client, id: i32, month: &str, amount: &str, reason: &str) -> Resp {
    c.submit(
        &format!("/livelihood/indicators/{id}"),
        &format!("/livelihood/indicators/{id}/entries"),
        &[("month", month), ("amount", amount), ("reason", reason)],
    )
}

fn report_query(app: &TestApp, month: u32) -> String {
    format!(
        "unit={}&year={YEAR}&month={month}",
        app.org_id("林山寨街道")
    )
}

#[test]
fn the_report_computes_completion_and_the_time_schedule() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let jobs = indicator(&app, &clerk, "新增城镇就业", "人", "2,580");
    let money = indicator(&app, &clerk, "发放低保金", "万元", "48");
    // Twelve months of new jobs adding up to the seed's 2,602.
    for m in 1..=12 {
        let n = if m == 12 { 215 } else { 217 };
        assert_eq!(
            enter(&clerk, jobs, &m.to_string(), &n.to_string(), "").status,
            303
        );
    }
    assert_eq!(enter(&clerk, money, "1", "50.01", "").status, 303);
    let r = clerk.get(&format!("/livelihood?{}", report_query(&app, 12)));
    assert_eq!(r.status, 200);
    let row = format!("#report tr[data-id=\"{jobs}\"]");
    assert_eq!(r.text(&format!("{row} .cumulative")), "2,602");
    assert_eq!(r.text(&format!("{row} .completion")), "100.9%");
    assert!(r.text(&format!("{row} .pace")).contains("0.9"));
    let m = format!("#report tr[data-id=\"{money}\"]");
    assert_eq!(r.text(&format!("{m} .cumulative")), "50.01");
    assert_eq!(r.text(&format!("{m} .completion")), "104.2%");
    // In June: 1,302 of 2,580 is 50.5%, against a schedule of 50.0%.
    let june = clerk.get(&format!("/livelihood?{}", report_query(&app, 6)));
    assert_eq!(june.text(&format!("{row} .cumulative")), "1,302");
    assert_eq!(june.text(&format!("{row} .completion")), "50.5%");
    // The export and the print carry the same figures.
    let x = clerk.get(&format!(
        "/livelihood/export.xlsx?{}",
        report_query(&app, 12)
    ));
    assert_eq!(x.status, 200);
    let text = xlsx_text(&x.bytes);
    assert!(
        text.contains("新增城镇就业") && text.contains("100.9%"),
        "{text}"
    );
    let p = clerk.get(&format!("/livelihood/print?{}", report_query(&app, 12)));
    assert_eq!(p.status, 200);
    assert!(p.has("#print-title-block"));
    assert!(p.has("#print-foot"));
    assert!(
        p.text("#report-title")
            .contains("林山寨街道民生工作月报（2024年12月）")
    );
    assert!(!p.has("#freeze-form"));
    // The year view shows the twelve months.
    let y = clerk.get(&format!(
        "/livelihood/year?unit={}&year={YEAR}",
        app.org_id("林山寨街道")
    ));
    assert_eq!(y.status, 200);
    assert!(
        y.text(&format!("#year tr[data-id=\"{jobs}\"]"))
            .contains("215")
    );
}

#[test]
fn a_correction_is_a_new_entry_with_a_reason_and_a_frozen_month_takes_none() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let id = indicator(&app, &clerk, "审批低保", "户", "150");
    assert_eq!(enter(&clerk, id, "3", "12", "").status, 303);
    // A second figure for March needs its reason; what was typed stays.
    let bad = enter(&clerk, id, "3", "14", "");
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-reason"));
    assert_eq!(bad.value("#f-amount").as_deref(), Some("14"));
    assert_eq!(enter(&clerk, id, "3", "14", "漏报两户").status, 303);
    let page = clerk.get(&format!("/livelihood/indicators/{id}"));
    assert_eq!(page.text("#months tr[data-month=\"3\"] .figure"), "14");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM livelihood_entries WHERE indicator_id = {id}"
        )),
        2
    );
    // Negative, fractional and future figures are refused beside their field.
    let neg = enter(&clerk, id, "4", "-1", "");
    assert_eq!(neg.status, 422);
    assert!(neg.has("#e-amount"));
    assert_eq!(enter(&clerk, id, "4", "1.5", "").status, 422);
    // The clerk freezes March; it then takes no entries and keeps its figure.
    let q = report_query(&app, 3);
    let r = clerk.submit(&format!("/livelihood?{q}"), "/livelihood/freeze", &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    // A second freeze (a double click) changes nothing.
    let token = clerk.csrf(&format!("/livelihood?{q}"));
    let street = app.org_id("林山寨街道").to_string();
    let again = clerk.post_raw(
        "/livelihood/freeze",
        &[
            ("csrf_token", &token),
            ("unit", &street),
            ("year", YEAR),
            ("month", "3"),
        ],
    );
    assert_eq!(again.status, 303);
    let frozen = enter(&clerk, id, "3", "20", "再次更正");
    assert_eq!(frozen.status, 422);
    assert!(frozen.has("#e-month"));
    let report = clerk.get(&format!("/livelihood?{q}"));
    assert!(report.has("#report-frozen"));
    assert_eq!(
        report.text(&format!("#report tr[data-id=\"{id}\"] .cumulative")),
        "14"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'livelihood_month' AND action = 'freeze_figures'"),
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'livelihood_entry'"),
        2
    );
}

#[test]
fn a_double_post_makes_one_record_and_a_stale_edit_answers_409() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let street = app.org_id("林山寨街道").to_string();
    let page = clerk.get("/livelihood/indicators/new");
    let mut f = form_fields(&page, "/livelihood/indicators");
    for (k, v) in [
        ("unit_id", street.as_str()),
        ("year", YEAR),
        ("name", "文化活动中心"),
        ("count_unit", "个"),
        ("summed", "0"),
        ("target", "9"),
        ("office", "社会事务办"),
    ] {
        set_field(&mut f, k, v);
    }
    let one = clerk.post_raw("/livelihood/indicators", &pairs(&f));
    let two = clerk.post_raw("/livelihood/indicators", &pairs(&f));
    assert_eq!(one.status, 303);
    assert_eq!(two.location(), one.location());
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM livelihood_indicators WHERE name = '文化活动中心' AND year = 2024"),
        1
    );
    let id = id_after(&one, "/livelihood/indicators/");
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'livelihood_indicator' AND entity_id = {id}")),
        1
    );
    // A 422 by the field, everything typed kept.
    let edit = format!("/livelihood/indicators/{id}/edit");
    let action = format!("/livelihood/indicators/{id}");
    let bad = clerk.submit(
        &edit,
        &action,
        &[
            ("target", "abc"),
            ("count_unit", "斤"),
            ("name", "文化活动中心（新）"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-target") && bad.has("#e-count_unit"));
    assert_eq!(bad.value("#f-name").as_deref(), Some("文化活动中心（新）"));
    // Two clerks open the form; the second save is stale.
    let leader = app.login("leader");
    let mine = clerk.get(&edit);
    let ok = leader.submit(&edit, &action, &[("target", "10")]);
    assert_eq!(ok.status, 303);
    let mut f = form_fields(&mine, &action);
    set_field(&mut f, "target", "12");
    let stale = clerk.post_raw(&action, &pairs(&f));
    assert_eq!(stale.status, 409);
    assert!(stale.body.contains("10") && stale.body.contains("12"));
    // The list and its export.
    let q = format!("unit={street}&year={YEAR}");
    let list = clerk.get(&format!("/livelihood/indicators?{q}"));
    assert!(list.text("#indicators").contains("文化活动中心"));
    let x = clerk.get(&format!("/livelihood/indicators/export.xlsx?{q}"));
    assert_eq!(x.status, 200);
    assert!(xlsx_text(&x.bytes).contains("文化活动中心"));
}

#[test]
fn scope_and_roles() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let id = indicator(&app, &clerk, "健身场所", "处", "24");
    // A community's clerk and a grid worker do not see the street's indicator.
    for who in ["cclerk", "worker"] {
        let c = app.login(who);
        assert_eq!(
            c.get(&format!("/livelihood/indicators/{id}")).status,
            404,
            "{who}"
        );
        assert_eq!(
            c.get(&format!("/livelihood?{}", report_query(&app, 3)))
                .status,
            404,
            "{who}"
        );
    }
    // Another street's clerk does not either.
    app.add_user("ldcclerk", "clerk", "绿东村街道");
    let other = app.login("ldcclerk");
    assert_eq!(
        other.get(&format!("/livelihood/indicators/{id}")).status,
        404
    );
    // A grid worker and a branch secretary may not keep indicators.
    assert_eq!(
        app.login("worker").get("/livelihood/indicators/new").status,
        403
    );
    assert_eq!(
        app.login("secretary")
            .get("/livelihood/indicators/new")
            .status,
        403
    );
    // The admin may keep but not freeze (that is the street's clerk's or leader's).
    let admin = app.login("admin");
    let q = report_query(&app, 3);
    let page = admin.get(&format!("/livelihood?{q}"));
    assert_eq!(page.status, 200);
    assert!(!page.has("#freeze-form"));
    let token = admin.csrf(&format!("/livelihood?{q}"));
    let street = app.org_id("林山寨街道").to_string();
    let r = admin.post_raw(
        "/livelihood/freeze",
        &[
            ("csrf_token", &token),
            ("unit", &street),
            ("year", YEAR),
            ("month", "3"),
        ],
    );
    assert_eq!(r.status, 403);
}

#[test]
fn the_demo_carries_the_seeds_2012_figures_and_the_cockpit_shows_the_tile() {
    let app = spawn_app();
    let leader = app.login("leader");
    let street = app.org_id("林山寨街道");
    let r = leader.get(&format!("/livelihood?unit={street}&year=2012&month=12"));
    assert_eq!(r.status, 200);
    assert!(r.has("#report-frozen"));
    let row = r
        .doc()
        .select(&scraper::Selector::parse("#report tbody tr").unwrap())
        .map(|e| e.text().collect::<String>())
        .find(|t| t.contains("新增城镇就业"))
        .expect("the seed's employment row");
    assert!(row.contains("2,602") && row.contains("100.9%"), "{row}");
    assert!(!r.body.contains("108%"));
    assert!(leader.get("/").has("#tile-livelihood"));
}

#[test]
fn the_report_compares_with_the_same_month_last_year() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let street = app.org_id("林山寨街道").to_string();
    let make = |year: &str| {
        let r = clerk.submit(
            "/livelihood/indicators/new",
            "/livelihood/indicators",
            &[
                ("unit_id", &street),
                ("year", year),
                ("name", "就业困难人员就业"),
                ("count_unit", "人"),
                ("summed", "1"),
                ("target", "200"),
                ("office", "劳动保障事务所"),
            ],
        );
        id_after(&r, "/livelihood/indicators/")
    };
    let (before, now) = (make("2023"), make(YEAR));
    assert_eq!(enter(&clerk, before, "1", "40", "").status, 303);
    assert_eq!(enter(&clerk, now, "1", "50", "").status, 303);
    let r = clerk.get(&format!("/livelihood?{}", report_query(&app, 1)));
    let row = format!("#report tr[data-id=\"{now}\"]");
    assert_eq!(r.text(&format!("{row} .last-year")), "40");
    assert_eq!(r.text(&format!("{row} .yoy")), "25.0%");
}
