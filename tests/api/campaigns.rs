//! Campaigns (专项整治, issue 20) through the HTTP layer: the campaign form (422 by the field
//! with everything kept, one record per double submit, 409 on a stale edit), targets, tallies
//! frozen once submitted and corrected by new entries (409 when another correction came first),
//! the progress against 时序进度 as raw recounts, the bulletin printout, the exports, scope (404)
//! and roles (403), and the audit rows.

use crate::helpers::*;

fn id_after(r: &Resp) -> i32 {
    assert_eq!(r.status, 303, "{}", r.body);
    r.location()
        .trim_start_matches("/campaigns/")
        .split(['#', '?', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// A campaign of 林山寨街道 of 20 days, the 10th of which is today (时序进度 50.0%), with two
/// targets: 拆除违章建筑 1,000 m² and 清理占道 1,500 处. Returns (campaign, first target).
fn campaign(app: &TestApp, c: &Client, name: &str) -> (i32, i32) {
    let today = local_today();
    let starts = (today - chrono::Duration::days(9)).to_string();
    let ends = (today + chrono::Duration::days(10)).to_string();
    let unit = app.org_id("林山寨街道").to_string();
    let id = id_after(&c.submit(
        "/campaigns/new",
        "/campaigns",
        &[
            ("name", name),
            ("basis", "中原区城市管理提升工作实施方案"),
            ("lead_office", "城管科"),
            ("unit_id", &unit),
            ("starts_on", &starts),
            ("ends_on", &ends),
        ],
    ));
    let page = format!("/campaigns/{id}/targets/new");
    let action = format!("/campaigns/{id}/targets");
    for (item, unit, target) in [
        ("拆除违章建筑", "m2", "1000"),
        ("清理占道", "places", "1500"),
    ] {
        let r = c.submit(
            &page,
            &action,
            &[("item", item), ("unit_of_count", unit), ("target", target)],
        );
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let target = app.count(&format!(
        "SELECT CAST(MIN(id) AS BIGINT) AS n FROM campaign_targets WHERE campaign_id = {id}"
    )) as i32;
    (id, target)
}

fn tally(c: &Client, id: i32, target: i32, unit: i32, amount: &str) -> Resp {
    c.submit(
        &format!("/campaigns/{id}/tallies/new"),
        &format!("/campaigns/{id}/tallies"),
        &[
            ("target_id", &target.to_string()),
            ("unit_id", &unit.to_string()),
            ("done_on", &local_today().to_string()),
            ("amount", amount),
        ],
    )
}

fn last_tally(app: &TestApp, id: i32) -> i32 {
    app.count(&format!(
        "SELECT CAST(MAX(id) AS BIGINT) AS n FROM campaign_tallies WHERE campaign_id = {id}"
    )) as i32
}

#[test]
fn a_clerk_runs_a_campaign_and_the_grids_tally_toward_it() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    // Bad input: each message by its field, everything typed kept.
    let bad = clerk.submit(
        "/campaigns/new",
        "/campaigns",
        &[
            ("name", ""),
            ("lead_office", "城管科"),
            ("starts_on", "2026-06-01"),
            ("ends_on", "2026-05-01"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-name"));
    assert!(bad.has("#e-ends_on"));
    assert_eq!(bad.value("#f-lead_office").as_deref(), Some("城管科"));
    // A double submit makes one campaign.
    let page = clerk.get("/campaigns/new");
    let mut f = form_fields(&page, "/campaigns");
    for (k, v) in [
        ("name", "门前五包整治"),
        ("lead_office", "城管科"),
        ("starts_on", "2026-01-01"),
        ("ends_on", "2026-12-31"),
    ] {
        set_field(&mut f, k, v);
    }
    let first = clerk.post_raw("/campaigns", &pairs(&f));
    let again = clerk.post_raw("/campaigns", &pairs(&f));
    assert_eq!(first.location(), again.location());
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM campaigns WHERE name = '门前五包整治'"),
        1
    );
    let (id, target) = campaign(&app, &clerk, "城市管理提升集中整治（测试）");
    // A target needs a positive whole number.
    let bad = clerk.submit(
        &format!("/campaigns/{id}/targets/new"),
        &format!("/campaigns/{id}/targets"),
        &[("item", "清理小广告"), ("target", "-5")],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-target"));
    assert_eq!(bad.value("#f-item").as_deref(), Some("清理小广告"));
    // The grid worker enters for the grid; bad input kept by the field.
    let worker = app.login("worker");
    let grid = app.org_id("工人路社区第1网格");
    let bad = worker.submit(
        &format!("/campaigns/{id}/tallies/new"),
        &format!("/campaigns/{id}/tallies"),
        &[
            ("amount", "-3"),
            (
                "done_on",
                &(local_today() + chrono::Duration::days(1)).to_string(),
            ),
            ("note", "解放路北段"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-amount"));
    assert!(bad.has("#e-done_on"));
    assert_eq!(bad.text("#f-note"), "解放路北段");
    // A double post makes one entry.
    let page = worker.get(&format!("/campaigns/{id}/tallies/new"));
    let action = format!("/campaigns/{id}/tallies");
    let mut f = form_fields(&page, &action);
    set_field(&mut f, "target_id", &target.to_string());
    set_field(&mut f, "unit_id", &grid.to_string());
    set_field(&mut f, "amount", "300");
    let first = worker.post_raw(&action, &pairs(&f));
    let again = worker.post_raw(&action, &pairs(&f));
    assert_eq!(first.status, 303, "{}", first.body);
    assert_eq!(first.location(), again.location());
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM campaign_tallies WHERE campaign_id = {id}"
        )),
        1
    );
    let wt = last_tally(&app, id);
    // The community's clerk enters for the community.
    let cclerk = app.login("cclerk");
    let r = tally(&cclerk, id, target, app.org_id("工人路社区"), "300");
    assert_eq!(r.status, 303, "{}", r.body);
    // Progress: 600 of 1,000 m² is 60.0%, 10 points ahead of the 50.0% time schedule.
    let show = clerk.get(&format!("/campaigns/{id}"));
    assert_eq!(show.status, 200);
    assert_eq!(show.text("#schedule"), "50.0%");
    let row = format!("#progress tr[data-target=\"{target}\"]");
    assert_eq!(show.text(&format!("{row} .done")), "600");
    assert_eq!(show.text(&format!("{row} .rate")), "60.0%");
    assert!(show.text(&format!("{row} .pace")).contains("10.0"));
    assert!(show.text("#ranking").contains("工人路社区第1网格"));
    // Audit rows: the campaign, its targets, the entries.
    for entity in ["campaign", "campaign_target", "campaign_tally"] {
        assert!(
            app.count(&format!(
                "SELECT COUNT(*) AS n FROM audit_log WHERE entity = '{entity}'"
            )) >= 1,
            "{entity}"
        );
    }
    // Frozen once submitted: no edit of an entry; a correction is a new row with its reason.
    let no_edit = worker.post_raw(&format!("/campaigns/{id}/tallies/{wt}"), &[("amount", "1")]);
    assert!(
        no_edit.status == 404 || no_edit.status == 405,
        "{}",
        no_edit.status
    );
    let correct = format!("/campaigns/{id}/tallies/{wt}/correct");
    let bad = worker.submit(&correct, &correct, &[("amount", "250"), ("reason", "")]);
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-reason"));
    assert_eq!(bad.value("#f-amount").as_deref(), Some("250"));
    // Two people open the correction; the second to submit is stale (409 with both).
    let mine = worker.get(&correct);
    let fields_a = form_fields(&mine, &correct);
    let r = worker.submit(
        &correct,
        &correct,
        &[("amount", "250"), ("reason", "复核面积")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let mut f = fields_a;
    set_field(&mut f, "amount", "280");
    set_field(&mut f, "reason", "重新丈量");
    let stale = worker.post_raw(&correct, &pairs(&f));
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(stale.body.contains("250"));
    assert_eq!(stale.value("#f-amount").as_deref(), Some("280"));
    // The first entry is unchanged; the figure is the correction's: 250 + 300.
    assert_eq!(
        app.count(&format!(
            "SELECT amount AS n FROM campaign_tallies WHERE id = {wt}"
        )),
        300
    );
    let show = clerk.get(&format!("/campaigns/{id}"));
    assert_eq!(show.text(&format!("{row} .done")), "550");
    assert_eq!(show.text(&format!("{row} .rate")), "55.0%");
    // The bulletin on A4 in the shared frame, and the exports.
    let print = clerk.get(&format!("/campaigns/{id}/print"));
    assert_eq!(print.status, 200);
    assert!(print.has("#print-title-block"));
    assert!(print.has("#print-foot"));
    assert!(print.text("#progress").contains("550"));
    let xlsx = clerk.get("/campaigns/export.xlsx?q=%E5%9F%8E%E5%B8%82");
    assert_eq!(xlsx.status, 200);
    let text = xlsx_text(&xlsx.bytes);
    assert!(text.contains("城市管理提升集中整治（测试）"));
    assert!(!text.contains("门前五包整治"));
    let xlsx = clerk.get(&format!("/campaigns/{id}/export.xlsx"));
    assert_eq!(xlsx.status, 200);
    assert!(xlsx_text(&xlsx.bytes).contains("复核面积"));
    let list = worker.get("/campaigns");
    assert!(list.has(&format!("#campaigns tr[data-id=\"{id}\"]")));
}

#[test]
fn scope_roles_and_stale_edits() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let (id, target) = campaign(&app, &clerk, "爱国卫生环境卫生整治（测试）");
    // Another street's clerk: 404 that leaks nothing, and no row in the list.
    app.add_user("ldcclerk", "clerk", "绿东村街道");
    let other = app.login("ldcclerk");
    for path in [
        format!("/campaigns/{id}"),
        format!("/campaigns/{id}/print"),
        format!("/campaigns/{id}/export.xlsx"),
        format!("/campaigns/{id}/tallies/new"),
    ] {
        assert_eq!(other.get(&path).status, 404, "{path}");
    }
    assert!(
        !other
            .get("/campaigns")
            .has(&format!("tr[data-id=\"{id}\"]"))
    );
    // Roles: a branch secretary reads but enters nothing; a grid worker keeps no campaign.
    let secretary = app.login("secretary");
    assert_eq!(secretary.get(&format!("/campaigns/{id}")).status, 200);
    assert_eq!(
        secretary
            .get(&format!("/campaigns/{id}/tallies/new"))
            .status,
        403
    );
    let worker = app.login("worker");
    assert_eq!(worker.get("/campaigns/new").status, 403);
    assert_eq!(
        worker.get(&format!("/campaigns/{id}/targets/new")).status,
        403
    );
    assert_eq!(worker.get(&format!("/campaigns/{id}/edit")).status, 403);
    // The worker may not enter for a grid outside their scope (not offered: 422).
    let r = tally(&worker, id, target, app.org_id("工人路社区第2网格"), "5");
    assert_eq!(r.status, 422);
    // Nor correct another unit's entry.
    let r = tally(&clerk, id, target, app.org_id("工人路社区第2网格"), "5");
    assert_eq!(r.status, 303);
    let t = last_tally(&app, id);
    assert_eq!(
        worker
            .get(&format!("/campaigns/{id}/tallies/{t}/correct"))
            .status,
        404
    );
    // A stale edit of the campaign: 409 with both versions, everything typed kept.
    let edit = format!("/campaigns/{id}/edit");
    let record = format!("/campaigns/{id}");
    let seen = clerk.get(&edit);
    let leader = app.login("leader");
    let r = leader.submit(&edit, &record, &[("lead_office", "爱卫办")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let mut f = form_fields(&seen, &record);
    set_field(&mut f, "lead_office", "城管科、爱卫办");
    let stale = clerk.post_raw(&record, &pairs(&f));
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(stale.body.contains("爱卫办"));
    assert_eq!(
        stale.value("#f-lead_office").as_deref(),
        Some("城管科、爱卫办")
    );
    assert!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'campaign' AND entity_id = {id} AND action = 'update'"
        )) == 1
    );
}

#[test]
fn the_demo_has_the_seeds_campaigns() {
    let app = spawn_app();
    let leader = app.login("leader");
    let list = leader.get("/campaigns");
    assert_eq!(list.status, 200);
    assert!(list.text("#campaigns").contains("城市管理提升集中整治"));
    assert!(
        !list
            .text("#campaigns")
            .contains("门头牌匾和违法建设集中整治")
    );
    let id = app
        .count("SELECT CAST(id AS BIGINT) AS n FROM campaigns WHERE name = '城市管理提升集中整治'");
    let show = leader.get(&format!("/campaigns/{id}"));
    assert_eq!(show.status, 200);
    assert!(show.text("#progress").contains("15000"));
    // The cockpit's tile: the campaigns under way (both of 林山寨街道's demo campaigns).
    let home = leader.get("/");
    assert_eq!(home.text("#c-campaigns-active strong"), "2");
    let brief = leader.get("/brief");
    assert!(brief.has("#tile-campaigns"));
}
