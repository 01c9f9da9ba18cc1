//! The demolition command (征拆指挥部, issue 19) through the HTTP layer: a command, its groups
//! and households, each household's steps in order (422 out of order or back in time, 409 on a
//! stale step), the daily report counted from the steps and frozen once a group submits, the
//! summary per group and in total (page, A4 print, .xlsx), scope (404), roles (403), the audit
//! rows, one record per double post, and the demo replaying the seed's series (258 of 299 =
//! 86.3 % on 3/8).

use chrono::{Days, NaiveDate};

use crate::helpers::*;

const P: &str = "/campaigns/demolition";

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

fn ago(n: u64) -> NaiveDate {
    local_today().checked_sub_days(Days::new(n)).unwrap()
}

/// The clerk's command for a new project, started ten days ago; answers its id.
fn command(app: &TestApp, c: &Client, name: &str) -> i32 {
    let project = crate::projects::project(app, c, &format!("{name}工程"), "林山寨街道", &[]);
    let r = c.submit(
        &format!("{P}/new"),
        P,
        &[
            ("project_id", &project.to_string()),
            ("name", name),
            ("commander", "王东甫"),
            ("started_on", &ago(10).to_string()),
            ("target_on", &local_today().to_string()),
        ],
    );
    id_after(&r, &format!("{P}/"))
}

fn group(c: &Client, id: i32, name: &str) -> i32 {
    let r = c.submit(
        &format!("{P}/{id}/groups/new"),
        &format!("{P}/{id}/groups"),
        &[
            ("name", name),
            ("leader", "李建华"),
            ("members", "张三、李四"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get(&format!("{P}/{id}"));
    page.attrs("#summary tbody tr", "data-id")
        .last()
        .unwrap()
        .parse()
        .unwrap()
}

fn household(c: &Client, id: i32, g: i32, address: &str) -> i32 {
    let r = c.submit(
        &format!("{P}/{id}/households/new"),
        &format!("{P}/{id}/households"),
        &[
            ("group_id", &g.to_string()),
            ("kind", "household"),
            ("building", "1号楼"),
            ("address", address),
            ("area", "86.5"),
            ("head", "王某"),
        ],
    );
    id_after(&r, &format!("{P}/{id}/households/"))
}

/// Records the household's next step on `day`; answers the response.
fn step(c: &Client, id: i32, h: i32, name: &str, day: NaiveDate) -> Resp {
    let at = format!("{P}/{id}/households/{h}");
    c.submit(
        &at,
        &format!("{at}/steps"),
        &[("step", name), ("done_on", &day.to_string())],
    )
}

#[test]
fn a_clerk_runs_a_command_from_the_steps_to_the_daily_report() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    // Bad input: the message by its field, everything typed kept.
    let bad = clerk.submit(
        &format!("{P}/new"),
        P,
        &[
            ("name", "测试指挥部"),
            ("commander", "王东甫"),
            ("started_on", "2026-03-02"),
            ("target_on", "2026-03-01"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-target_on"));
    assert_eq!(bad.value("#f-name").as_deref(), Some("测试指挥部"));
    // A double post makes one command.
    let page = clerk.get(&format!("{P}/new"));
    let mut f = form_fields(&page, P);
    for (k, v) in [
        ("name", "双击指挥部"),
        ("commander", "王东甫"),
        ("started_on", "2026-03-02"),
        ("target_on", "2026-03-31"),
    ] {
        set_field(&mut f, k, v);
    }
    let first = clerk.post_raw(P, &pairs(&f));
    let again = clerk.post_raw(P, &pairs(&f));
    assert_eq!(first.status, 303, "{}", first.body);
    assert_eq!(first.location(), again.location());
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM demolition_commands WHERE name = '双击指挥部'"),
        1
    );

    let id = command(&app, &clerk, "测试路征拆指挥部");
    let g1 = group(&clerk, id, "第一组");
    let g2 = group(&clerk, id, "第二组");
    // A household with a negative area: 422 by the field, kept.
    let bad = clerk.submit(
        &format!("{P}/{id}/households/new"),
        &format!("{P}/{id}/households"),
        &[
            ("group_id", &g1.to_string()),
            ("address", "测试路1号"),
            ("area", "-5"),
            ("head", "王某"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-area"));
    assert_eq!(bad.value("#f-address").as_deref(), Some("测试路1号"));
    let h1 = household(&clerk, id, g1, "测试路1号");
    let h2 = household(&clerk, id, g1, "测试路2号");
    let h3 = household(&clerk, id, g2, "测试路3号");
    let show = clerk.get(&format!("{P}/{id}/households/{h1}"));
    assert_eq!(show.text("#area"), "86.5");

    // The steps in order, dated, never back in time.
    assert_eq!(step(&clerk, id, h1, "survey", ago(5)).status, 303);
    let r = step(&clerk, id, h1, "sign", ago(5));
    assert_eq!(r.status, 422, "out of order");
    assert!(r.has("#e-step"));
    assert_eq!(step(&clerk, id, h1, "assess", ago(5)).status, 303);
    let r = step(&clerk, id, h1, "negotiate", ago(6));
    assert_eq!(r.status, 422, "before the previous step");
    assert!(r.has("#e-done_on"));
    assert_eq!(r.value("#f-done_on"), Some(ago(6).to_string()));
    let tomorrow = local_today().checked_add_days(Days::new(1)).unwrap();
    assert_eq!(step(&clerk, id, h1, "negotiate", tomorrow).status, 422);
    for (s, d) in [("negotiate", 4), ("sign", 3), ("vacate", 2)] {
        assert_eq!(step(&clerk, id, h1, s, ago(d)).status, 303, "{s}");
    }
    for (s, d) in [("survey", 5), ("assess", 5), ("negotiate", 4)] {
        assert_eq!(step(&clerk, id, h2, s, ago(d)).status, 303, "{s}");
        assert_eq!(step(&clerk, id, h3, s, ago(d)).status, 303, "{s}");
    }
    assert_eq!(step(&clerk, id, h3, "sign", ago(3)).status, 303);
    // A stale step form: 409, the step not taken twice.
    let at = format!("{P}/{id}/households/{h2}");
    let page = clerk.get(&at);
    let mut f = form_fields(&page, &format!("{at}/steps"));
    set_field(&mut f, "done_on", &ago(3).to_string());
    assert_eq!(
        clerk.post_raw(&format!("{at}/steps"), &pairs(&f)).status,
        303
    );
    let stale = clerk.post_raw(&format!("{at}/steps"), &pairs(&f));
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM demolition_steps WHERE household_id = {h2} AND step = 'sign'"
        )),
        1
    );
    // The audit rows.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'demolition_step' AND entity_id = {h1}"
        )),
        5
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'demolition_command' AND entity_id = {id}"
        )),
        1
    );

    // The summary: per group and in total.
    let s = clerk.get(&format!("{P}/{id}"));
    assert_eq!(s.status, 200);
    let row = |g: i32, c: &str| s.text(&format!("#summary tr[data-id=\"{g}\"] .{c}"));
    assert_eq!(row(g1, "households"), "2");
    assert_eq!(row(g1, "signed"), "2");
    assert_eq!(row(g1, "rate"), "100.0%");
    assert_eq!(row(g1, "moved"), "1");
    assert_eq!(row(g1, "remaining"), "1");
    assert_eq!(s.text("#total .households"), "3");
    assert_eq!(s.text("#total .signed"), "3");
    assert_eq!(s.text("#total .rate"), "100.0%");
    assert_eq!(s.text("#days"), "11");
    let print = clerk.get(&format!("{P}/{id}/print"));
    assert_eq!(print.status, 200);
    assert!(print.has("#print-title-block") && print.has("#print-foot"));
    let x = clerk.get(&format!("{P}/{id}/export.xlsx"));
    assert_eq!(x.status, 200);
    assert!(xlsx_text(&x.bytes).contains("第二组"));
    let x = clerk.get(&format!("{P}/{id}/households/export.xlsx?group={g1}"));
    let t = xlsx_text(&x.bytes);
    assert!(t.contains("测试路2号") && !t.contains("测试路3号"));
    let list = clerk.get(P);
    assert!(list.has(&format!("#commands tr[data-id=\"{id}\"]")));
    assert!(xlsx_text(&clerk.get(&format!("{P}/export.xlsx")).bytes).contains("测试路征拆指挥部"));

    // The daily report, counted from the steps.
    let day = ago(3);
    let daily = format!("{P}/{id}/daily?date={day}");
    let d = clerk.get(&daily);
    assert_eq!(d.status, 200);
    let cell = |r: &Resp, g: i32, c: &str| r.text(&format!("#daily tr[data-id=\"{g}\"] .{c}"));
    assert_eq!(cell(&d, g1, "signed-today"), "2");
    assert_eq!(cell(&d, g1, "moved-total"), "0");
    assert_eq!(cell(&d, g2, "signed-total"), "1");
    assert_eq!(d.text("#total .signed-total"), "3");
    assert_eq!(d.text("#total .signed-rate"), "100.0%");
    assert!(d.text("#missing").contains('2'));
    let h4 = household(&clerk, id, g1, "测试路4号");
    for s in ["survey", "assess", "negotiate"] {
        assert_eq!(step(&clerk, id, h4, s, ago(4)).status, 303, "{s}");
    }
    // Group 1 submits the day (a double post keeps one report): its numbers freeze.
    let mut f = form_fields_sel(&d, "form.daily-form");
    set_field(&mut f, "group_id", &g1.to_string());
    set_field(&mut f, "difficulties", "一户子女就学待协调");
    let first = clerk.post_raw(&format!("{P}/{id}/daily"), &pairs(&f));
    let again = clerk.post_raw(&format!("{P}/{id}/daily"), &pairs(&f));
    assert_eq!(first.status, 303, "{}", first.body);
    assert_eq!(first.location(), again.location());
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM demolition_daily_reports WHERE group_id = {g1}"
        )),
        1
    );
    // A step on the frozen day is refused; a later one is not.
    let r = step(&clerk, id, h4, "sign", ago(3));
    assert_eq!(r.status, 422);
    assert!(r.has("#e-done_on"));
    // Even a row written behind the app's back leaves the submitted day as it was.
    app.exec(&format!(
        "UPDATE demolition_households SET stage = 'sign' WHERE id = {h4}"
    ));
    app.exec(&format!(
        "INSERT INTO demolition_steps (household_id, command_id, group_id, step, done_on, note, created_at) \
         VALUES ({h4}, {id}, {g1}, 'sign', '{day}', '', '2026-01-01 00:00:00')"
    ));
    let d = clerk.get(&daily);
    assert_eq!(cell(&d, g1, "signed-total"), "2", "frozen");
    assert!(
        d.text(&format!("#daily tr[data-id=\"{g1}\"] .difficulties"))
            .contains("子女就学")
    );
    assert!(d.text("#missing").contains('1'));
    let p = clerk.get(&format!("{P}/{id}/daily/print?date={day}"));
    assert_eq!(p.status, 200);
    assert!(p.has("#print-title-block"));
    let x = clerk.get(&format!("{P}/{id}/daily/export.xlsx?date={day}"));
    assert!(xlsx_text(&x.bytes).contains("子女就学"));
    // A day before the command started: 422 by the field.
    set_field(&mut f, "date", &ago(30).to_string());
    set_field(&mut f, "form_token", "another");
    set_field(&mut f, "group_id", &g2.to_string());
    let r = clerk.post_raw(&format!("{P}/{id}/daily"), &pairs(&f));
    assert_eq!(r.status, 422);
    assert!(r.has("#e-date"));
}

#[test]
fn commands_keep_to_their_scope_and_roles() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let id = command(&app, &clerk, "范围测试指挥部");
    let g = group(&clerk, id, "第一组");
    let h = household(&clerk, id, g, "范围路1号");
    // Another community's clerk sees nothing of it.
    app.add_user("tclerk", "clerk", "桐柏路社区");
    let t = app.login("tclerk");
    for path in [
        format!("{P}/{id}"),
        format!("{P}/{id}/print"),
        format!("{P}/{id}/export.xlsx"),
        format!("{P}/{id}/daily"),
        format!("{P}/{id}/households"),
        format!("{P}/{id}/households/{h}"),
        format!("{P}/{id}/edit"),
    ] {
        let r = t.get(&path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("范围测试指挥部"));
    }
    assert!(!t.get(P).body.contains("范围测试指挥部"));
    assert!(!xlsx_text(&t.get(&format!("{P}/export.xlsx")).bytes).contains("范围测试指挥部"));
    // A household of another command is not found under this one.
    let other = command(&app, &clerk, "另一个指挥部");
    assert_eq!(
        clerk.get(&format!("{P}/{other}/households/{h}")).status,
        404
    );
    // A branch secretary may not write, even one who sees the street's commands.
    assert_eq!(app.login("secretary").get(&format!("{P}/new")).status, 403);
    app.add_user("ssec", "branch_secretary", "林山寨街道");
    let s = app.login("ssec");
    assert_eq!(s.get(&format!("{P}/{id}")).status, 200);
    assert_eq!(s.get(&format!("{P}/new")).status, 403);
    assert_eq!(s.get(&format!("{P}/{id}/groups/new")).status, 403);
    assert_eq!(s.get(&format!("{P}/{id}/households/new")).status, 403);
    // A stale edit of the command: 409 with both versions.
    let edit = format!("{P}/{id}/edit");
    let page = clerk.get(&edit);
    let mut f = form_fields(&page, &format!("{P}/{id}"));
    set_field(&mut f, "commander", "李建华");
    assert_eq!(clerk.post_raw(&format!("{P}/{id}"), &pairs(&f)).status, 303);
    set_field(&mut f, "commander", "张卫国");
    let r = clerk.post_raw(&format!("{P}/{id}"), &pairs(&f));
    assert_eq!(r.status, 409);
    assert!(r.body.contains("李建华") && r.body.contains("张卫国"));
}

#[test]
fn the_demo_replays_the_seed_series() {
    let app = spawn_app();
    let leader = app.login("leader");
    let id = app.count(
        "SELECT CAST(MIN(id) AS BIGINT) AS n FROM demolition_commands WHERE name = '陇海快速通道工程征拆工作指挥部'",
    );
    let start = app.strings(&format!(
        "SELECT CAST(started_on AS TEXT) AS s FROM demolition_commands WHERE id = {id}"
    ));
    let start = NaiveDate::parse_from_str(&start[0], "%Y-%m-%d").unwrap();
    let day = |d: u64| start.checked_add_days(Days::new(d - 2)).unwrap();
    // 3/8: 258 of 299 households signed, 86.3 %.
    let r = leader.get(&format!("{P}/{id}/daily?date={}", day(8)));
    assert_eq!(r.status, 200);
    assert_eq!(r.text("#total .households"), "299");
    assert_eq!(r.text("#total .signed-total"), "258");
    assert_eq!(r.text("#total .signed-rate"), "86.3%");
    assert_eq!(r.texts("#daily tbody tr").len(), 13);
    // 3/7: over a hundred; 3/6: the first agreements.
    let r = leader.get(&format!("{P}/{id}/daily?date={}", day(7)));
    assert!(r.text("#total .signed-total").parse::<i64>().unwrap() >= 100);
    // All but one signed and moved out within ten days.
    let r = leader.get(&format!("{P}/{id}/daily?date={}", day(11)));
    assert_eq!(r.text("#total .signed-total"), "298");
    assert_eq!(r.text("#total .moved-total"), "298");
    let s = leader.get(&format!("{P}/{id}"));
    assert_eq!(s.text("#total .households"), "299");
    assert_eq!(s.text("#total .remaining"), "1");
    assert_eq!(s.text("#total .units"), "17/17");
    assert_eq!(s.texts("#summary tbody tr").len(), 13);
}
