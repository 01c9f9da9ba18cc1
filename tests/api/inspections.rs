//! Supervision inspections (督查) through the HTTP layer: a street plans a round over its own
//! units, and the promises (bad input kept, one record per double submit, stale edits, scope,
//! roles, audit, the list's export).

use crate::helpers::*;

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

/// The fields of a round over 工人路社区第1网格 with the street leader as inspector.
fn round_fields(app: &TestApp, c: &Client, title: &str) -> Vec<(String, String)> {
    let page = c.get("/inspections/rounds/new");
    assert_eq!(page.status, 200);
    let mut f = form_fields(&page, "/inspections/rounds");
    set_field(&mut f, "title", title);
    set_field(&mut f, "mode", "covert");
    set_field(&mut f, "planned_from", "2026-03-02");
    set_field(&mut f, "planned_to", "2026-03-06");
    set_field(
        &mut f,
        "items",
        "门头牌匾 | 无破损、无缺字\n占道经营 | 店外无摆放\n窨井盖 | 无缺失、无破损",
    );
    f.push(("unit".into(), app.org_id("工人路社区第1网格").to_string()));
    f.push(("unit".into(), app.org_id("工人路社区第2网格").to_string()));
    f.push(("inspector".into(), app.user_id("leader").to_string()));
    f
}

/// The street clerk plans a round; returns its id.
pub fn round(app: &TestApp, c: &Client, title: &str) -> i32 {
    let f = round_fields(app, c, title);
    id_after(
        &c.post_raw("/inspections/rounds", &pairs(&f)),
        "/inspections/rounds/",
    )
}

#[test]
fn a_street_clerk_plans_a_round_once_and_it_is_listed_and_exported() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let f = round_fields(&app, &clerk, "三月暗访");
    let first = clerk.post_raw("/inspections/rounds", &pairs(&f));
    let again = clerk.post_raw("/inspections/rounds", &pairs(&f));
    let id = id_after(&first, "/inspections/rounds/");
    assert_eq!(again.location(), first.location());
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM inspection_rounds WHERE title = '三月暗访'"),
        1
    );
    let page = clerk.get(&format!("/inspections/rounds/{id}"));
    assert_eq!(page.status, 200);
    assert_eq!(page.texts("table.items tbody tr").len(), 3);
    assert!(page.text("#units").contains("工人路社区第1网格"));
    assert!(page.text("#inspectors").contains("林山寨街道领导"));
    assert!(page.text("table.items").contains("店外无摆放"));
    // The list and its export, filtered by kind and period.
    let list = clerk.get("/inspections?mode=covert&from=2026-03-01&to=2026-03-31");
    assert!(list.has(&format!("tr[data-id=\"{id}\"]")));
    assert!(
        !clerk
            .get("/inspections?mode=open")
            .has(&format!("tr[data-id=\"{id}\"]"))
    );
    assert!(
        !clerk
            .get("/inspections?from=2026-04-01")
            .has(&format!("tr[data-id=\"{id}\"]"))
    );
    let xlsx = clerk.get("/inspections/export.xlsx?mode=covert");
    assert_eq!(xlsx.status, 200);
    let text = xlsx_text(&xlsx.bytes);
    assert!(text.contains("三月暗访") && text.contains("暗访"), "{text}");
    // The audit row names the round and its units.
    let audit = app.strings(&format!(
        "SELECT after_json AS s FROM audit_log WHERE entity = 'inspection_round' \
         AND action = 'create' AND entity_id = {id}"
    ));
    assert_eq!(audit.len(), 1);
    assert!(audit[0].contains("工人路社区第1网格"), "{}", audit[0]);
}

#[test]
fn bad_input_is_refused_beside_its_field_with_everything_kept() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let mut f = round_fields(&app, &clerk, "四月明查");
    set_field(&mut f, "planned_to", "2026-03-01");
    set_field(&mut f, "items", "| 只有标准");
    f.retain(|(k, _)| k != "inspector");
    // A unit of the other street is not among the round's choices.
    f.push(("unit".into(), app.org_id("绿东村街道").to_string()));
    let r = clerk.post_raw("/inspections/rounds", &pairs(&f));
    assert_eq!(r.status, 422);
    for field in ["planned_to", "items", "inspectors", "units"] {
        assert!(r.has(&format!("#e-{field}")), "{field}: {}", r.body);
    }
    assert_eq!(r.value("#f-title").as_deref(), Some("四月明查"));
    let grid = app.org_id("工人路社区第1网格");
    assert!(r.has(&format!("input[name=unit][value=\"{grid}\"][checked]")));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM inspection_rounds WHERE title = '四月明查'"),
        0
    );
}

#[test]
fn a_stale_round_edit_shows_both_versions_and_keeps_what_was_typed() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let id = round(&app, &clerk, "三月暗访");
    let leader = app.login("leader");
    let (page, record) = (
        format!("/inspections/rounds/{id}/edit"),
        format!("/inspections/rounds/{id}"),
    );
    let seen = leader.get(&page);
    assert_eq!(seen.status, 200);
    assert_eq!(
        clerk
            .submit(&page, &record, &[("title", "三月第一次暗访")])
            .status,
        303
    );
    let mut f = form_fields(&seen, &record);
    set_field(&mut f, "title", "三月第二次暗访");
    let r = leader.post_raw(&record, &pairs(&f));
    assert_eq!(r.status, 409);
    assert!(r.text(".conflict").contains("三月第一次暗访"));
    assert_eq!(r.value("#f-title").as_deref(), Some("三月第二次暗访"));
    // Submitting again overwrites deliberately; the audit keeps before and after.
    let f = form_fields(&r, &record);
    assert_eq!(leader.post_raw(&record, &pairs(&f)).status, 303);
    let page = clerk.get(&record);
    assert!(page.text("h1").contains("三月第二次暗访"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'inspection_round' \
             AND action = 'update' AND entity_id = {id}"
        )),
        2
    );
    // The checklist kept its lines (their ids) where the text did not change.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM inspection_round_items WHERE round_id = {id}"
        )),
        3
    );
}

#[test]
fn others_street_reads_nothing_and_communities_and_workers_may_not_plan() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let id = round(&app, &clerk, "三月暗访");
    // Another street's clerk: not found, nothing of it in the list or the export.
    app.add_user("lclerk", "clerk", "绿东村街道");
    let other = app.login("lclerk");
    let r = other.get(&format!("/inspections/rounds/{id}"));
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("三月暗访"));
    assert_eq!(
        other.get(&format!("/inspections/rounds/{id}/edit")).status,
        404
    );
    assert!(!other.get("/inspections").body.contains("三月暗访"));
    assert!(!xlsx_text(&other.get("/inspections/export.xlsx").bytes).contains("三月暗访"));
    // A community's clerk and a grid worker plan no round and edit none.
    let cclerk = app.login("cclerk");
    assert_eq!(cclerk.get("/inspections/rounds/new").status, 403);
    assert!(!cclerk.get("/inspections").has("#new-round"));
    let worker = app.login("worker");
    assert_eq!(worker.get("/inspections/rounds/new").status, 403);
    let token = worker.csrf("/inspections");
    let r = worker.post_raw(
        "/inspections/rounds",
        &[("csrf_token", &token), ("title", "x")],
    );
    assert_eq!(r.status, 403);
    // The demo's round of 林山寨 is the street's, not the other street's.
    assert!(
        app.login("leader")
            .get("/inspections")
            .body
            .contains("环境秩序暗访")
    );
    assert!(!other.get("/inspections").body.contains("环境秩序暗访"));
    // The district's admin sees the street's round and may edit it.
    let admin = app.login("admin");
    assert!(
        admin
            .get("/inspections")
            .has(&format!("tr[data-id=\"{id}\"]"))
    );
    assert!(
        admin
            .get(&format!("/inspections/rounds/{id}"))
            .has("#edit-round")
    );
}

/// A minor category (under an active major) that the grid has reported issues of (`reported`)
/// or none of.
fn category(app: &TestApp, grid: i32, reported: bool) -> Option<i64> {
    let not = if reported { "" } else { "NOT" };
    let n = app.count(&format!(
        "SELECT CAST(COALESCE(MIN(c.id), 0) AS BIGINT) AS n FROM issue_categories c \
         JOIN issue_categories m ON m.id = c.parent_id \
         WHERE c.active = {t} AND m.active = {t} AND {not} EXISTS \
         (SELECT 1 FROM issues i WHERE i.grid_id = {grid} AND i.category_id = c.id)",
        t = "TRUE"
    ));
    (n > 0).then_some(n)
}

#[test]
fn an_inspector_records_results_and_a_finding_with_its_missed_report_computed() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let id = round(&app, &clerk, "三月暗访");
    let grid = app.org_id("工人路社区第1网格");
    let leader = app.login("leader");
    let round_page = leader.get(&format!("/inspections/rounds/{id}"));
    assert!(round_page.has("#new-visit"));
    let new = format!("/inspections/rounds/{id}/visits/new");
    let action = format!("/inspections/rounds/{id}/visits");
    let form = leader.get(&new);
    assert_eq!(form.status, 200);
    let items: Vec<String> = form.attrs("#results [data-item]", "data-item");
    assert_eq!(items.len(), 3);
    let mut f = form_fields(&form, &action);
    set_field(&mut f, "unit", &grid.to_string());
    set_field(&mut f, "day", "2026-03-03");
    // A failed item without a finding, an item without a result: refused, all kept.
    set_field(&mut f, &format!("result_{}", items[0]), "fail");
    set_field(&mut f, &format!("result_{}", items[1]), "pass");
    let r = leader.post_raw(&action, &pairs(&f));
    assert_eq!(r.status, 422);
    assert!(r.has("#e-results") && r.has("#e-description"));
    assert!(r.has(&format!(
        "input[name=result_{}][value=fail][checked]",
        items[0]
    )));
    // A unit outside the round: refused beside the field.
    set_field(&mut f, &format!("result_{}", items[2]), "na");
    set_field(&mut f, "unit", &app.org_id("陇西社区第1网格").to_string());
    let unmissed = category(&app, grid, false).expect("a category the grid never reported");
    set_field(&mut f, "description", "门头牌匾破损，缺两字");
    set_field(&mut f, "place", "工人路 88 号");
    set_field(&mut f, "category", &unmissed.to_string());
    set_field(&mut f, "severity", "minor");
    let r = leader.post_raw(&action, &pairs(&f));
    assert_eq!(r.status, 422);
    assert!(r.has("#e-unit"));
    assert_eq!(r.value("#f-place").as_deref(), Some("工人路 88 号"));
    // Recorded once on a double post; the finding is 漏报 (no such issue reported).
    set_field(&mut f, "unit", &grid.to_string());
    let first = leader.post_raw(&action, &pairs(&f));
    let again = leader.post_raw(&action, &pairs(&f));
    let visit = id_after(&first, "/inspections/visits/");
    assert_eq!(again.location(), first.location());
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM inspection_visits"), 1);
    let page = leader.get(&format!("/inspections/visits/{visit}"));
    assert_eq!(page.status, 200);
    assert_eq!(page.attrs("tr[data-result=fail]", "data-result").len(), 1);
    assert!(page.has("tr[data-finding] .missed"));
    assert!(page.text("table.findings").contains("门头牌匾破损"));
    // A category the grid has reported before is no 漏报; fixed on the spot closes it.
    if let Some(reported) = category(&app, grid, true) {
        let form = leader.get(&new);
        let mut g = form_fields(&form, &action);
        for i in &items {
            set_field(&mut g, &format!("result_{i}"), "fail");
        }
        set_field(&mut g, "unit", &grid.to_string());
        set_field(&mut g, "day", "2026-03-04");
        set_field(&mut g, "description", "店外占道摆放");
        set_field(&mut g, "place", "工人路与建设路口");
        set_field(&mut g, "category", &reported.to_string());
        set_field(&mut g, "severity", "major");
        set_field(&mut g, "fixed_on_spot", "on");
        let v = id_after(
            &leader.post_raw(&action, &pairs(&g)),
            "/inspections/visits/",
        );
        let page = leader.get(&format!("/inspections/visits/{v}"));
        assert!(!page.has(".missed") && page.has(".fixed"));
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) AS n FROM inspection_findings f JOIN inspection_visits v \
                 ON v.id = f.visit_id WHERE v.id = {v} AND f.state = 'closed'"
            )),
            1
        );
    }
    // The audit row; another street reads nothing; a community clerk may not record.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'inspection_visit' \
             AND entity_id = {visit}"
        )),
        1
    );
    app.add_user("lclerk", "clerk", "绿东村街道");
    let other = app.login("lclerk");
    let r = other.get(&format!("/inspections/visits/{visit}"));
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("门头牌匾破损"));
    assert_eq!(other.get(&new).status, 404);
    assert_eq!(app.login("cclerk").get(&new).status, 404);
    assert_eq!(app.login("worker").get(&new).status, 404);
}
