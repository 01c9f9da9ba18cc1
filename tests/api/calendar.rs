use crate::helpers::*;

fn calendar_rows(app: &TestApp, year: i32) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) AS n FROM work_calendar WHERE day >= '{year}-01-01' AND day <= '{year}-12-31'"
    ))
}

#[test]
fn an_admin_adds_next_years_days_in_bulk_changes_and_deletes_them() {
    let app = spawn_app();
    let admin = app.login("admin");
    assert_eq!(calendar_rows(&app, 2027), 0);
    let r = admin.submit(
        "/calendar?year=2027",
        "/calendar/days",
        &[(
            "lines",
            "2027-01-01,holiday,元旦\n\n2027-02-06，班，春节\r\n2027-02-08\t休\n",
        )],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/calendar?year=2027");
    assert_eq!(calendar_rows(&app, 2027), 3);
    let page = admin.get("/calendar?year=2027");
    assert!(page.text(".flash").contains('3'), "{}", page.text(".flash"));
    let table = page.text("table.calendar");
    assert!(
        table.contains("2027-01-01") && table.contains("元旦"),
        "{table}"
    );
    assert_eq!(page.text("#d-2027-02-06 td:nth-child(3)"), "班");
    assert_eq!(page.text("#d-2027-02-06 td:nth-child(2)"), "星期六");
    // January 2027: 21 weekdays less New Year's Day; February: 20 weekdays, one Monday off,
    // one Saturday worked.
    let months = page.texts("table.months td");
    assert_eq!((months[0].as_str(), months[1].as_str()), ("20", "20"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'work_calendar' AND action = 'create'"),
        3
    );

    // The same date again replaces its row.
    let r = admin.submit(
        "/calendar?year=2027",
        "/calendar/days",
        &[("lines", "2027-01-01,workday,test")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(calendar_rows(&app, 2027), 3);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM work_calendar WHERE day = '2027-01-01' AND kind = 'workday'"
        ),
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'work_calendar' AND action = 'update' AND before_json LIKE '%holiday%'"),
        1
    );

    let r = admin.submit("/calendar?year=2027", "/calendar/2027-01-01/delete", &[]);
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/calendar?year=2027");
    assert_eq!(calendar_rows(&app, 2027), 2);
    assert!(!admin.get("/calendar?year=2027").has("#d-2027-01-01"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'work_calendar' AND action = 'delete'"),
        1
    );
    // The district admin reads the changes in the audit log.
    assert!(
        admin
            .get("/audit?entity=work_calendar")
            .text("table.list")
            .contains("2027-01-01")
    );
}

#[test]
fn bad_lines_are_named_and_the_text_is_kept() {
    let app = spawn_app();
    let admin = app.login("admin");
    let typed = "2027-01-01,holiday,元旦\n2027-02-30,休\njust words\n2027-01-01,班";
    let r = admin.submit("/calendar?year=2027", "/calendar/days", &[("lines", typed)]);
    assert_eq!(r.status, 422);
    let msg = r.text("#e-lines");
    assert!(msg.contains("3 行"), "{msg}");
    let lines = r.texts("#e-lines li");
    assert_eq!(lines.len(), 3, "{msg}");
    assert!(lines[0].starts_with("第 2 行") && lines[0].contains("2027-02-30"));
    assert!(lines[1].starts_with("第 3 行"));
    assert!(lines[2].starts_with("第 4 行") && lines[2].contains("第 1 行"));
    assert_eq!(r.texts("#f-lines")[0], typed);
    assert!(r.has("#f-lines[aria-invalid=true]"));
    assert_eq!(calendar_rows(&app, 2027), 0, "all or nothing");
    assert_eq!(r.value("input[name=year]").as_deref(), Some("2027"));
    // Resubmitting the kept form reads the same lines (numbers do not shift).
    let again = admin.submit(
        "/calendar?year=2027",
        "/calendar/days",
        &[("lines", &r.texts("#f-lines")[0])],
    );
    assert_eq!(again.text("#e-lines"), msg);
}

#[test]
fn everyone_reads_the_calendar_but_only_admins_change_it() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let page = clerk.get("/calendar?year=2026");
    assert_eq!(page.status, 200);
    assert!(!page.has("textarea") && !page.has("form[action=\"/calendar/2026-10-01/delete\"]"));
    let csrf = page.value("input[name=csrf_token]").unwrap();
    let r = clerk.post_raw(
        "/calendar/days",
        &[("csrf_token", &csrf), ("lines", "2027-01-01,holiday")],
    );
    assert_eq!(r.status, 403);
    let r = clerk.post_raw("/calendar/2026-10-01/delete", &[("csrf_token", &csrf)]);
    assert_eq!(r.status, 403);
    assert_eq!(calendar_rows(&app, 2027), 0);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM work_calendar WHERE day = '2026-10-01'"),
        1
    );
    assert_eq!(clerk.get("/calendar?year=abc").status, 400);
    // Without login: to the login page.
    assert_eq!(app.client().get("/calendar").status, 303);
}

#[test]
fn the_page_shows_the_seeded_2026_holidays() {
    let app = spawn_app();
    let worker = app.login("worker");
    let page = worker.get("/calendar?year=2026");
    assert_eq!(page.status, 200);
    assert_eq!(page.text("#d-2026-10-01 td:nth-child(4)"), "国庆节");
    assert_eq!(page.text("#d-2026-10-01 td:nth-child(3)"), "休");
    assert_eq!(page.text("#d-2026-10-10 td:nth-child(3)"), "班");
    assert_eq!(page.text("#d-2026-02-17 td:nth-child(4)"), "春节");
    let months = page.texts("table.months td");
    assert_eq!(months.len(), 13);
    assert_eq!(months[9], "18", "October 2026");
    assert_eq!(months[12], "248", "the year");
    assert!(
        page.has("a[href=\"/calendar?year=2025\"]") && page.has("a[href=\"/calendar?year=2027\"]")
    );
}

#[test]
fn the_year_exports_to_excel() {
    let app = spawn_app();
    let admin = app.login("admin");
    let x = admin.get("/calendar/export.xlsx?year=2026");
    assert_eq!(x.status, 200);
    assert!(x.header("content-type").unwrap().contains("spreadsheetml"));
    assert!(
        x.header("content-disposition")
            .unwrap()
            .contains("calendar-2026.xlsx")
    );
    let text = xlsx_text(&x.bytes);
    assert!(
        text.contains("2026-10-01") && text.contains("国庆节") && text.contains("星期四"),
        "{text}"
    );
    assert!(!text.contains("2025-10-01"), "only the year asked for");
}

#[test]
fn the_exports_old_address_redirects_to_the_xlsx_with_its_query() {
    let app = spawn_app();
    let admin = app.login("admin");
    let old = admin.get("/calendar/export?year=2026");
    assert_eq!(old.status, 308);
    assert_eq!(
        old.header("location"),
        Some("/calendar/export.xlsx?year=2026")
    );
    let bare = admin.get("/calendar/export");
    assert_eq!(bare.status, 308);
    assert_eq!(bare.header("location"), Some("/calendar/export.xlsx"));
    let x = admin.get(old.header("location").unwrap());
    assert_eq!(x.status, 200);
    assert!(x.header("content-type").unwrap().contains("spreadsheetml"));
}
