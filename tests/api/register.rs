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
