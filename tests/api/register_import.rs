//! The register's edits, moves out, exports and Excel import through the HTTP layer, on the demo
//! slice (工人路 46 号院 in the demo worker's grid): versions checked, nothing deleted, exports
//! masked as the pages are, every change audited.

use crate::helpers::*;

/// The first household of the demo's 工人路 46 号院 and its householder.
fn demo_household(app: &TestApp) -> (i32, i32) {
    let h = app.count(
        "SELECT CAST(MIN(h.id) AS BIGINT) AS n FROM register_households h \
         JOIN register_compounds c ON c.id = h.compound_id WHERE c.name = '工人路 46 号院'",
    );
    let p = app.count(&format!(
        "SELECT CAST(MIN(id) AS BIGINT) AS n FROM register_persons WHERE household_id = {h}"
    ));
    (h as i32, p as i32)
}

#[test]
fn a_household_is_edited_with_its_version_checked() {
    let app = spawn_app();
    let (hid, _) = demo_household(&app);
    let worker = app.login("worker");
    let edit = format!("/register/households/{hid}/edit");
    let action = format!("/register/households/{hid}");
    // The household's page offers the edit to who may write.
    assert!(worker.get(&action).body.contains(&edit));
    let bad = worker.submit(&edit, &action, &[("room", ""), ("notes", "一楼东户")]);
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-room"));
    assert_eq!(bad.text("#f-notes"), "一楼东户");
    // The clerk saves first; the worker's stale form answers 409 with both versions.
    let mine = worker.get(&edit);
    let clerk = app.login("clerk");
    let r = clerk.submit(&edit, &action, &[("room", "909")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let mut f = form_fields(&mine, &action);
    set_field(&mut f, "room", "808");
    let stale = worker.post_raw(&action, &pairs(&f));
    assert_eq!(stale.status, 409);
    assert!(stale.text(".conflict").contains("808"));
    assert!(stale.text(".conflict").contains("909"));
    let after = app.strings(&format!(
        "SELECT after_json AS s FROM audit_log WHERE entity = 'register_household' \
         AND action = 'update' AND entity_id = {hid}"
    ));
    assert_eq!(after.len(), 1);
    assert!(after[0].contains("909"));
    // The branch secretary reads but may not edit; another community sees nothing.
    assert_eq!(app.login("secretary").get(&edit).status, 403);
    app.add_user("tclerk", "clerk", "桐柏路社区");
    assert_eq!(app.login("tclerk").get(&edit).status, 404);
}

#[test]
fn a_person_is_edited_by_who_reads_them_in_full() {
    let app = spawn_app();
    let (_, pid) = demo_household(&app);
    let worker = app.login("worker");
    let edit = format!("/register/persons/{pid}/edit");
    let action = format!("/register/persons/{pid}");
    assert!(worker.get(&action).body.contains(&edit));
    // A wrong check character is named beside the field and kept.
    let bad = worker.submit(&edit, &action, &[("id_number", "410102198503120031")]);
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-id_number"));
    assert_eq!(
        bad.value("#f-id_number").as_deref(),
        Some("410102198503120031")
    );
    // Another living person's ID number is refused.
    let other = app.strings(&format!(
        "SELECT id_number AS s FROM register_persons WHERE id <> {pid} AND moved_out IS NULL \
         AND sex = (SELECT sex FROM register_persons WHERE id = {pid}) ORDER BY id"
    ));
    let taken = worker.submit(&edit, &action, &[("id_number", &other[0])]);
    assert_eq!(taken.status, 422, "{}", taken.body);
    assert!(taken.has("#e-id_number"));
    // A good edit, then a stale one.
    let mine = worker.get(&edit);
    let ok = worker.submit(
        &edit,
        &action,
        &[("phone", "13900001111"), ("tag_veteran", "on")],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert!(worker.get(&action).text("#tags").contains("退役军人"));
    let mut f = form_fields(&mine, &action);
    set_field(&mut f, "phone", "13900002222");
    let stale = worker.post_raw(&action, &pairs(&f));
    assert_eq!(stale.status, 409);
    assert!(stale.text(".conflict").contains("13900001111"));
    // The audit keeps the person masked.
    let after = app.strings(&format!(
        "SELECT after_json AS s FROM audit_log WHERE entity = 'register_person' \
         AND action = 'update' AND entity_id = {pid}"
    ));
    assert_eq!(after.len(), 1);
    assert!(!after[0].contains("13900001111"));
    assert!(after[0].contains("139****1111"));
    // The admin writes the register but reads ID numbers masked: no person form for them.
    let admin = app.login("admin");
    assert_eq!(admin.get(&edit).status, 403);
    assert!(!admin.get(&action).body.contains(&edit));
    assert_eq!(app.login("secretary").get(&edit).status, 403);
}

#[test]
fn moving_out_is_dated_and_deletes_nothing() {
    let app = spawn_app();
    let (hid, pid) = demo_household(&app);
    let living = format!(
        "SELECT COUNT(*) AS n FROM register_persons WHERE household_id = {hid} AND moved_out IS NULL"
    );
    let all = format!("SELECT COUNT(*) AS n FROM register_persons WHERE household_id = {hid}");
    let before = app.count(&all);
    assert!(app.count(&living) > 0);
    let worker = app.login("worker");
    let edit = format!("/register/households/{hid}/edit");
    let action = format!("/register/households/{hid}/move_out");
    let bad = worker.submit(&edit, &action, &[("moved_out", "2999-01-01")]);
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-moved_out"));
    // A double click moves out once.
    let page = worker.get(&edit);
    let mut f = form_fields(&page, &action);
    set_field(&mut f, "moved_out", "2026-11-20");
    assert_eq!(worker.post_raw(&action, &pairs(&f)).status, 303);
    assert_eq!(worker.post_raw(&action, &pairs(&f)).status, 303);
    assert_eq!(app.count(&living), 0);
    assert_eq!(app.count(&all), before);
    let moves = format!(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'move_out' \
         AND entity = 'register_household' AND entity_id = {hid}"
    );
    assert_eq!(app.count(&moves), 1);
    // The record stays, marked with its day, the persons too.
    let show = worker.get(&format!("/register/households/{hid}"));
    assert_eq!(show.status, 200);
    assert!(show.text("table.persons").contains("2026-11-20"));
    assert!(worker.get(&edit).text("#moved-out").contains("2026-11-20"));
    let p = worker.get(&format!("/register/persons/{pid}"));
    assert!(p.body.contains("2026-11-20"));
}

#[test]
fn a_person_moves_out_alone() {
    let app = spawn_app();
    let (hid, pid) = demo_household(&app);
    let worker = app.login("worker");
    let r = worker.submit(
        &format!("/register/persons/{pid}/edit"),
        &format!("/register/persons/{pid}/move_out"),
        &[("moved_out", "2026-10-01")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM register_households WHERE id = {hid} AND moved_out IS NULL"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'move_out' AND entity_id = {pid}"
        )),
        1
    );
}

#[test]
fn exports_mask_as_the_pages_do_and_are_audited() {
    let app = spawn_app();
    let (_, pid) = demo_household(&app);
    let id = app
        .strings(&format!(
            "SELECT id_number AS s FROM register_persons WHERE id = {pid}"
        ))
        .remove(0);
    let masked = format!("{}**********{}", &id[..4], &id[14..]);
    let worker = app.login("worker");
    let x = worker.get("/register/export/persons.xlsx");
    assert_eq!(x.status, 200);
    let text = xlsx_text(&x.bytes);
    assert!(text.contains(&id));
    assert!(text.contains("工人路 46 号院"));
    let x = worker.get("/register/export/households.xlsx");
    assert!(xlsx_text(&x.bytes).contains("工人路 46 号院"));
    // The admin and the secretary read it masked, in the export as on the page.
    for who in ["admin", "secretary"] {
        let c = app.login(who);
        for what in ["persons", "households"] {
            let text = xlsx_text(&c.get(&format!("/register/export/{what}.xlsx")).bytes);
            assert!(!text.contains(&id), "{who} {what}");
            assert!(text.contains(&masked), "{who} {what}");
        }
        assert!(
            c.get(&format!("/register/persons/{pid}"))
                .body
                .contains(&masked)
        );
    }
    // Another community's clerk: none of it, and a compound outside the scope is a 404.
    app.add_user("tclerk", "clerk", "桐柏路社区");
    let tclerk = app.login("tclerk");
    let text = xlsx_text(&tclerk.get("/register/export/persons.xlsx").bytes);
    assert!(!text.contains("工人路 46 号院"));
    let cid = app.count(
        "SELECT CAST(id AS BIGINT) AS n FROM register_compounds WHERE name = '工人路 46 号院'",
    );
    let r = tclerk.get(&format!("/register/export/persons.xlsx?compound={cid}"));
    assert_eq!(r.status, 404);
    let one = worker.get(&format!("/register/export/persons.xlsx?compound={cid}"));
    assert!(!xlsx_text(&one.bytes).contains("供电局"));
    assert!(app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'export_personal'") >= 6);
}

/// A valid ID number of 中原区 for a birth day and a sequence (odd sequence: a man).
fn id_for(born: &str, seq: u32) -> String {
    let base = format!("410102{born}{seq:03}");
    let digits: Vec<u32> = base.chars().filter_map(|c| c.to_digit(10)).collect();
    format!("{base}{}", gridwork::register::domain::check_char(&digits))
}

/// A workbook with the usual Chinese headers (in an order of its own) and these rows.
fn workbook(rows: &[[&str; 9]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let headers = [
        "姓名",
        "身份证号",
        "与户主关系",
        "联系电话",
        "小区",
        "楼栋",
        "单元",
        "房号",
        "关爱标签",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[test]
fn an_import_is_previewed_row_by_row_then_committed_once() {
    let app = spawn_app();
    let worker = app.login("worker");
    let (_, pid) = demo_household(&app);
    let registered = app
        .strings(&format!(
            "SELECT id_number AS s FROM register_persons WHERE id = {pid}"
        ))
        .remove(0);
    let (a, b) = (id_for("19800101", 901), id_for("19820202", 902));
    let mut bad = id_for("19800303", 903);
    bad.replace_range(17.., if bad.ends_with('1') { "2" } else { "1" });
    let bytes = workbook(&[
        [
            "韩立新",
            &a,
            "户主",
            "13700001111",
            "工人路 46 号院",
            "1号楼",
            "1单元",
            "601",
            "低保",
        ],
        [
            "韩校验",
            &bad,
            "子女",
            "",
            "工人路 46 号院",
            "1号楼",
            "1单元",
            "601",
            "",
        ],
        [
            "韩无名",
            &id_for("19900101", 905),
            "户主",
            "",
            "没有这个小区",
            "",
            "",
            "1",
            "",
        ],
        ["韩重复", &a, "户主", "", "工人路 46 号院", "", "", "2", ""],
        [
            "韩已登",
            &registered,
            "户主",
            "",
            "工人路 46 号院",
            "",
            "",
            "3",
            "",
        ],
        [
            "韩别处",
            &id_for("19900202", 907),
            "户主",
            "",
            "郑州日报社家属院",
            "",
            "",
            "4",
            "",
        ],
        [
            "韩妻子",
            &b,
            "配偶",
            "",
            "工人路 46 号院",
            "1号楼",
            "1单元",
            "601",
            "独居老人",
        ],
    ]);
    let r = worker.upload(
        "/imports/new",
        "/imports",
        "file",
        "persons-1.xlsx",
        XLSX,
        &bytes,
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let batch = r.location().to_string();
    let id: i32 = batch.trim_start_matches("/imports/").parse().unwrap();
    let p = worker.get(&batch);
    assert_eq!(p.status, 200);
    assert_eq!(p.text("#n-rows"), "7");
    assert_eq!(p.text("#n-correct"), "2");
    assert!(
        p.text("#row-3 .cell-error").contains("校验位"),
        "{}",
        p.text("#row-3")
    );
    assert!(p.text("#row-4 .cell-error").contains("管辖范围"));
    assert!(p.text("#row-5 .cell-error").contains("第 2 行"));
    assert!(p.text("#row-6 .cell-error").contains("已在台账"));
    // Another community's compound is outside the worker's scope: an error, as unknown.
    assert!(p.text("#row-7 .cell-error").contains("管辖范围"));
    assert!(!p.has("#row-2 .cell-error"));
    let written = "SELECT COUNT(*) AS n FROM register_persons WHERE name LIKE '韩%'";
    assert_eq!(app.count(written), 0);
    // All or nothing with wrong rows: nothing is written.
    let commit = format!("/imports/{id}/commit");
    let refused = worker.submit(&batch, &commit, &[("mode", "all")]);
    assert_eq!(refused.status, 422);
    assert!(refused.has("#refused"));
    assert_eq!(app.count(written), 0);
    // The correct rows only, posted twice: written once, as one household of two.
    let page = worker.get(&batch);
    let mut f = form_fields(&page, &commit);
    set_field(&mut f, "mode", "valid");
    assert_eq!(worker.post_raw(&commit, &pairs(&f)).status, 303);
    assert_eq!(worker.post_raw(&commit, &pairs(&f)).status, 303);
    assert_eq!(app.count(written), 2);
    assert_eq!(
        app.count(
            "SELECT COUNT(DISTINCT household_id) AS n FROM register_persons WHERE name LIKE '韩%'"
        ),
        1
    );
    let tags = app.strings("SELECT tags AS s FROM register_persons WHERE name = '韩立新'");
    assert_eq!(tags, vec!["dibao".to_string()]);
    let result = worker.get(&batch);
    assert_eq!(result.text("#n-persons"), "2");
    assert_eq!(result.text("#n-households"), "1");
    let audit = app.strings(&format!(
        "SELECT after_json AS s FROM audit_log WHERE action = 'import' \
         AND entity = 'register_import' AND entity_id = {id}"
    ));
    assert_eq!(audit.len(), 1);
    assert!(audit[0].contains("\"persons\":2"), "{}", audit[0]);
    // The history lists it; another community sees nothing of it.
    assert!(worker.get("/imports").body.contains("persons-1.xlsx"));
    app.add_user("tclerk", "clerk", "桐柏路社区");
    let tclerk = app.login("tclerk");
    assert_eq!(tclerk.get(&batch).status, 404);
    assert!(!tclerk.get("/imports").body.contains("persons-1.xlsx"));
}

#[test]
fn the_template_bad_files_and_who_may_import() {
    let app = spawn_app();
    let worker = app.login("worker");
    let t = worker.get("/imports/template.xlsx");
    assert_eq!(t.status, 200);
    let text = xlsx_text(&t.bytes);
    for h in [
        "姓名",
        "身份证号",
        "与户主关系",
        "联系电话",
        "小区",
        "楼栋",
        "单元",
        "房号",
    ] {
        assert!(text.contains(h), "{h}");
    }
    // A file that is no workbook, and a workbook without the required columns.
    let r = worker.upload(
        "/imports/new",
        "/imports",
        "file",
        "a.xlsx",
        XLSX,
        b"not a workbook",
    );
    assert_eq!(r.status, 422);
    assert!(r.text("#file-error").contains("xlsx"));
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "姓名").unwrap();
    ws.write_string(1, 0, "张三").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let r = worker.upload("/imports/new", "/imports", "file", "b.xlsx", XLSX, &bytes);
    assert_eq!(r.status, 422);
    assert!(r.text("#file-error").contains("身份证号"));
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM register_imports"), 0);
    // The branch secretary reads the register but imports nothing.
    let secretary = app.login("secretary");
    assert_eq!(secretary.get("/imports/new").status, 403);
}
