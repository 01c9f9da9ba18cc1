//! The grid's base register through the HTTP layer: compounds and their buildings kept by the
//! grid's worker and the office staff over it, read inside the scope only, and the promises
//! (bad input kept beside its field, one record per double submit, stale edits, 403, audit).

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

/// The demo grid worker registers a compound in their grid; returns its id.
pub fn compound(c: &Client, name: &str) -> i32 {
    let r = c.submit(
        "/register/compounds/new",
        "/register/compounds",
        &[
            ("name", name),
            ("kind", "unmanaged"),
            ("address", "工人路 12 号院"),
            ("head_name", "李建国"),
            ("head_phone", "13812345678"),
            ("lights_on", "2026-05-10"),
        ],
    );
    id_after(&r, "/register/compounds/")
}

#[test]
fn the_grid_worker_registers_a_compound_and_its_buildings() {
    let app = spawn_app();
    let worker = app.login("worker");
    // Bad input: the messages beside their fields, everything typed kept.
    let bad = worker.submit(
        "/register/compounds/new",
        "/register/compounds",
        &[
            ("name", ""),
            ("address", "工人路 12 号院"),
            ("head_phone", "12"),
            ("water_on", "2999-01-01"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-name"));
    assert!(bad.has("#e-head_phone"));
    assert!(bad.has("#e-water_on"));
    assert_eq!(bad.value("#f-address").as_deref(), Some("工人路 12 号院"));

    // A double click registers one compound.
    let page = worker.get("/register/compounds/new");
    let mut f = form_fields(&page, "/register/compounds");
    set_field(&mut f, "name", "工人路 12 号院");
    set_field(&mut f, "kind", "work_unit");
    let first = worker.post_raw("/register/compounds", &pairs(&f));
    let second = worker.post_raw("/register/compounds", &pairs(&f));
    assert_eq!(first.status, 303);
    assert_eq!(second.location(), first.location());
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM register_compounds WHERE name = '工人路 12 号院'"),
        1
    );
    let id = id_after(&first, "/register/compounds/");
    let audit = app.count(&format!(
        "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'register_compound' \
         AND action = 'create' AND entity_id = {id}"
    ));
    assert_eq!(audit, 1);

    // A building on the compound's page: a bad number is named, a good one listed.
    let path = format!("/register/compounds/{id}");
    let action = format!("{path}/buildings");
    let bad = worker.submit(&path, &action, &[("name", "3号楼"), ("floors", "x")]);
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-floors"));
    let ok = worker.submit(
        &path,
        &action,
        &[
            ("name", "3号楼"),
            ("floors", "6"),
            ("units", "2"),
            ("households", "24"),
        ],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let show = worker.get(&path);
    assert_eq!(show.status, 200);
    assert!(show.text("table.buildings").contains("3号楼"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'register_building'"),
        1
    );

    // The list finds it by name inside the scope, and its export has it.
    let list = worker.get("/register?q=12");
    assert_eq!(list.status, 200);
    assert!(list.text("table.compounds").contains("工人路 12 号院"));
    assert!(
        !worker
            .get("/register?q=nothing-like-it")
            .text("table.compounds")
            .contains("工人路")
    );
    let x = worker.get("/register/export.xlsx?q=12");
    assert_eq!(x.status, 200);
    assert!(xlsx_text(&x.bytes).contains("工人路 12 号院"));
}

#[test]
fn the_checklist_keeps_the_days_met_and_a_stale_edit_is_refused() {
    let app = spawn_app();
    let worker = app.login("worker");
    let id = compound(&worker, "工人路 8 号院");
    let show = worker.get(&format!("/register/compounds/{id}"));
    assert!(show.text("#checklist").contains("2026"));
    let edit = format!("/register/compounds/{id}/edit");
    let action = format!("/register/compounds/{id}");
    let clerk = app.login("clerk");
    let mine = worker.get(&edit);
    // The clerk saves first.
    let r = clerk.submit(&edit, &action, &[("roads_on", "2026-06-01")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let mut f = form_fields(&mine, &action);
    set_field(&mut f, "head_name", "王秀英");
    let stale = worker.post_raw(&action, &pairs(&f));
    assert_eq!(stale.status, 409);
    assert!(stale.body.contains("王秀英"));
    assert!(stale.body.contains("李建国"));
    // The audit keeps before and after.
    let after = app.strings(&format!(
        "SELECT after_json AS s FROM audit_log WHERE entity = 'register_compound' \
         AND action = 'update' AND entity_id = {id}"
    ));
    assert_eq!(after.len(), 1);
    assert!(after[0].contains("2026-06-01"));
}

#[test]
fn outside_the_scope_nothing_and_readers_may_not_write() {
    let app = spawn_app();
    let worker = app.login("worker");
    let id = compound(&worker, "工人路 5 号院");
    // Another community's clerk: 404 on the page, the edit and the export's rows.
    app.add_user("tclerk", "clerk", "桐柏路社区");
    let tclerk = app.login("tclerk");
    assert_eq!(tclerk.get(&format!("/register/compounds/{id}")).status, 404);
    assert_eq!(
        tclerk.get(&format!("/register/compounds/{id}/edit")).status,
        404
    );
    assert!(!tclerk.get("/register").body.contains("工人路 5 号院"));
    assert!(!xlsx_text(&tclerk.get("/register/export.xlsx").bytes).contains("工人路 5 号院"));
    // A unit filter outside the scope is a 404 too.
    let other = app.org_id("工人路社区");
    assert_eq!(tclerk.get(&format!("/register?unit={other}")).status, 404);
    // The branch secretary reads but may not write.
    let secretary = app.login("secretary");
    assert_eq!(
        secretary.get(&format!("/register/compounds/{id}")).status,
        200
    );
    assert_eq!(secretary.get("/register/compounds/new").status, 403);
    assert_eq!(
        secretary
            .get(&format!("/register/compounds/{id}/edit"))
            .status,
        403
    );
    // A worker cannot place a compound in a grid not theirs.
    let grid2 = app.org_id("工人路社区第2网格").to_string();
    let r = worker.submit(
        "/register/compounds/new",
        "/register/compounds",
        &[("name", "别处"), ("grid_id", &grid2)],
    );
    assert_eq!(r.status, 422);
    assert!(r.has("#e-grid_id"));
}

#[test]
fn households_and_persons_with_checked_id_numbers_masked_for_who_may_not_read_them() {
    let app = spawn_app();
    let worker = app.login("worker");
    let id = compound(&worker, "工人路 3 号院");
    let path = format!("/register/compounds/{id}");
    let action = format!("{path}/households");
    // A household needs its room; what was typed stays.
    let bad = worker.submit(&path, &action, &[("unit_no", "2"), ("room", "")]);
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-room"));
    assert_eq!(bad.value("#f-unit_no").as_deref(), Some("2"));
    let r = worker.submit(&path, &action, &[("unit_no", "2"), ("room", "301")]);
    let hid = id_after(&r, "/register/households/");
    let hpath = format!("/register/households/{hid}");
    let paction = format!("{hpath}/persons");
    let person = |id_number: &str, sex: &str| {
        worker.submit(
            &hpath,
            &paction,
            &[
                ("name", "张建军"),
                ("relation", "householder"),
                ("sex", sex),
                ("id_number", id_number),
                ("phone", "13812345678"),
                ("tag_dibao", "on"),
            ],
        )
    };
    // A wrong check character, a sex the 17th digit denies: named beside the field, kept.
    let bad = person("410102198503120031", "male");
    assert_eq!(bad.status, 422);
    assert!(bad.text("#e-id_number").contains("校验位"));
    assert_eq!(
        bad.value("#f-id_number").as_deref(),
        Some("410102198503120031")
    );
    let bad = person("410102198503120030", "female");
    assert_eq!(bad.status, 422);
    assert!(bad.text("#e-id_number").contains("第 17 位"));
    // A double click registers one person.
    let page = worker.get(&hpath);
    let mut f = form_fields(&page, &paction);
    for (k, v) in [
        ("name", "张建军"),
        ("sex", "male"),
        ("id_number", "410102198503120030"),
        ("phone", "13812345678"),
        ("tag_dibao", "on"),
    ] {
        set_field(&mut f, k, v);
    }
    assert_eq!(worker.post_raw(&paction, &pairs(&f)).status, 303);
    assert_eq!(worker.post_raw(&paction, &pairs(&f)).status, 303);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM register_persons WHERE name = '张建军'"),
        1
    );
    // The audit keeps the person masked.
    let audit =
        app.strings("SELECT after_json AS s FROM audit_log WHERE entity = 'register_person'");
    assert_eq!(audit.len(), 1);
    assert!(!audit[0].contains("410102198503120030"));
    let pid =
        app.count("SELECT CAST(id AS BIGINT) AS n FROM register_persons WHERE name = '张建军'");
    let ppath = format!("/register/persons/{pid}");

    // The grid's worker reads it in full, and the view is audited.
    let h = worker.get(&hpath);
    assert!(h.text("table.persons").contains("410102198503120030"));
    let p = worker.get(&ppath);
    assert_eq!(p.text("#id-number"), "410102198503120030");
    assert_eq!(p.text("#phone"), "13812345678");
    assert!(p.text("#tags").contains("低保"));
    let views = format!(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'view_personal' AND entity_id = {pid}"
    );
    assert_eq!(app.count(&views), 1);
    // The admin and the branch secretary read it masked; their views show nothing to log.
    for who in ["admin", "secretary"] {
        let c = app.login(who);
        let p = c.get(&ppath);
        assert_eq!(p.status, 200, "{who}");
        assert_eq!(p.text("#id-number"), "4101**********0030");
        assert_eq!(p.text("#phone"), "138****5678");
        assert!(!c.get(&hpath).body.contains("410102198503120030"));
    }
    assert_eq!(app.count(&views), 1);
    // The secretary may not write.
    let secretary = app.login("secretary");
    let mut f = form_fields(&secretary.get(&hpath), &paction);
    if f.is_empty() {
        f = vec![("csrf_token".into(), secretary.csrf(&hpath))];
    }
    set_field(&mut f, "name", "李四");
    assert_eq!(secretary.post_raw(&paction, &pairs(&f)).status, 403);
    // Outside the scope: 404, telling nothing.
    app.add_user("tclerk", "clerk", "桐柏路社区");
    let tclerk = app.login("tclerk");
    assert_eq!(tclerk.get(&hpath).status, 404);
    assert_eq!(tclerk.get(&ppath).status, 404);
    // A person is found by name or ID number inside the scope only.
    let found = worker.get("/register?who=%E5%BC%A0%E5%BB%BA");
    assert_eq!(found.status, 200);
    assert!(
        found.text("#found-persons").contains("410102198503120030"),
        "{}",
        found.text("#found-persons")
    );
    let found = worker.get("/register?who=410102198503120030");
    assert!(found.text("#found-persons").contains("张建军"));
    let none = tclerk.get("/register?who=410102198503120030");
    assert!(!none.text("#found-persons").contains("张建军"));
    // The compound's page lists the household.
    assert!(worker.get(&path).text("#households").contains("301"));
}
