//! Rectification notices (整改通知书) through the HTTP layer: issued from a round's findings with
//! a number per office per year and a deadline in working days, 签收 and the answers by the
//! grid, the extension rules, the list with its export, the A4 print, and the promises (bad
//! input kept, one record per double submit, stale steps, scope, roles, audit).

use crate::helpers::*;
use crate::inspections::round;

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

/// The leader records an inspection of 工人路社区第1网格 with one finding; answers its id.
fn finding(app: &TestApp, round: i32, description: &str) -> i32 {
    let leader = app.login("leader");
    let new = format!("/inspections/rounds/{round}/visits/new");
    let action = format!("/inspections/rounds/{round}/visits");
    let form = leader.get(&new);
    let mut f = form_fields(&form, &action);
    for i in form.attrs("#results [data-item]", "data-item") {
        set_field(&mut f, &format!("result_{i}"), "fail");
    }
    let category = app.count(
        "SELECT CAST(MIN(c.id) AS BIGINT) AS n FROM issue_categories c \
         JOIN issue_categories m ON m.id = c.parent_id WHERE c.active = TRUE AND m.active = TRUE",
    );
    set_field(&mut f, "unit", &app.org_id("工人路社区第1网格").to_string());
    set_field(&mut f, "day", &local_today().to_string());
    set_field(&mut f, "description", description);
    set_field(&mut f, "place", "工人路 88 号");
    set_field(&mut f, "category", &category.to_string());
    set_field(&mut f, "severity", "minor");
    id_after(
        &leader.post_raw(&action, &pairs(&f)),
        "/inspections/visits/",
    );
    app.count(&format!(
        "SELECT CAST(MAX(id) AS BIGINT) AS n FROM inspection_findings WHERE description = '{description}'"
    )) as i32
}

/// The notice form of the grid in `round`, filled with `days` working days.
fn notice_form(app: &TestApp, c: &Client, round: i32, days: &str) -> Vec<(String, String)> {
    let grid = app.org_id("工人路社区第1网格");
    let page = c.get(&format!(
        "/inspections/notices/new?round={round}&unit={grid}"
    ));
    assert_eq!(page.status, 200, "{}", page.body);
    let mut f = form_fields(&page, "/inspections/notices");
    set_field(&mut f, "working_days", days);
    f
}

/// The clerk issues a notice of every open finding of the grid in `round`; answers its id.
fn notice(app: &TestApp, round: i32, days: &str) -> i32 {
    let clerk = app.login("clerk");
    let f = notice_form(app, &clerk, round, days);
    id_after(
        &clerk.post_raw("/inspections/notices", &pairs(&f)),
        "/inspections/notices/",
    )
}

/// The `n`-th working day after `from`, by the weekend rule and the work calendar's rows.
fn working_day_after(app: &TestApp, from: chrono::NaiveDate, n: i32) -> chrono::NaiveDate {
    use chrono::Datelike;
    let special = app.strings("SELECT CAST(day AS TEXT) || ' ' || kind AS s FROM work_calendar");
    let worked = |d: chrono::NaiveDate| match special.iter().find(|s| s.starts_with(&d.to_string()))
    {
        Some(s) => s.ends_with("workday"),
        None => d.weekday().number_from_monday() <= 5,
    };
    let (mut d, mut left) = (from, n);
    while left > 0 {
        d = d.succ_opt().unwrap();
        if worked(d) {
            left -= 1;
        }
    }
    d
}

#[test]
fn a_notice_is_numbered_given_working_days_signed_answered_listed_and_printed() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let r = round(&app, &clerk, "三月暗访");
    let f1 = finding(&app, r, "门头牌匾破损");
    // Issued once on a double post, with the finding ticked and the next number of the year.
    let f = notice_form(&app, &clerk, r, "3");
    assert!(f.contains(&("finding".to_string(), f1.to_string())));
    let first = clerk.post_raw("/inspections/notices", &pairs(&f));
    let again = clerk.post_raw("/inspections/notices", &pairs(&f));
    let id = id_after(&first, "/inspections/notices/");
    assert_eq!(again.location(), first.location());
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM inspection_notices"), 1);
    let year = local_today().format("%Y").to_string();
    let page = clerk.get(&format!("/inspections/notices/{id}"));
    assert_eq!(page.status, 200);
    assert!(
        page.text("h1").contains(&format!("〔{year}〕督字第1号")),
        "{}",
        page.text("h1")
    );
    assert_eq!(page.attrs("#state", "data-state"), ["unsigned"]);
    // The deadline: the third working day after today on the work calendar.
    let due = working_day_after(&app, local_today(), 3);
    assert_eq!(page.attrs("#deadline", "data-date"), [due.to_string()]);
    // The finding is no longer offered; a second finding gets the next number.
    let f2 = finding(&app, r, "占道经营");
    let f = notice_form(&app, &clerk, r, "5");
    assert!(!f.contains(&("finding".to_string(), f1.to_string())));
    assert!(f.contains(&("finding".to_string(), f2.to_string())));
    let second = id_after(
        &clerk.post_raw("/inspections/notices", &pairs(&f)),
        "/inspections/notices/",
    );
    let page = clerk.get(&format!("/inspections/notices/{second}"));
    assert!(page.text("h1").contains(&format!("〔{year}〕督字第2号")));
    // The grid worker signs for it, then answers the finding (once on a double post).
    let worker = app.login("worker");
    let show = format!("/inspections/notices/{id}");
    let seen = worker.get(&show);
    assert!(seen.has("#sign-form") && !seen.has("#answer-form"));
    let sign = format!("{show}/sign");
    let mut s = form_fields(&seen, &sign);
    set_field(&mut s, "signed_name", "王网格");
    assert_eq!(worker.post_raw(&sign, &pairs(&s)).status, 303);
    let page = worker.get(&show);
    assert!(page.text("#signed").contains("王网格"));
    assert_eq!(page.attrs("#state", "data-state"), ["rectifying"]);
    let answers = format!("{show}/answers");
    let mut a = form_fields(&page, &answers);
    set_field(&mut a, "finding", &f1.to_string());
    set_field(&mut a, "body", "已更换牌匾");
    let one = worker.post_raw(&answers, &pairs(&a));
    let two = worker.post_raw(&answers, &pairs(&a));
    assert_eq!(one.status, 303);
    assert_eq!(one.location(), two.location());
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM inspection_answers"), 1);
    let page = clerk.get(&show);
    assert!(
        page.text(&format!("#finding-{f1} .answers"))
            .contains("已更换牌匾")
    );
    assert_eq!(page.attrs("#state", "data-state"), ["review"]);
    // The list by state, its export, the print with its receipt.
    let list = clerk.get("/inspections/notices?state=review");
    assert!(list.has(&format!("tr[data-id=\"{id}\"]")));
    assert!(!list.has(&format!("tr[data-id=\"{second}\"]")));
    assert!(
        clerk
            .get("/inspections/notices?state=unsigned")
            .has(&format!("tr[data-id=\"{second}\"]"))
    );
    let xlsx = clerk.get("/inspections/notices/export.xlsx");
    assert_eq!(xlsx.status, 200);
    let text = xlsx_text(&xlsx.bytes);
    assert!(
        text.contains(&format!("〔{year}〕督字第2号")) && text.contains("待复查"),
        "{text}"
    );
    let print = worker.get(&format!("{show}/print"));
    assert_eq!(print.status, 200);
    assert!(print.text("#notice-number").contains("督字第1号"));
    assert!(print.text("#notice-items").contains("门头牌匾破损"));
    assert!(print.has("#notice-receipt") && print.has("#print-foot"));
    assert!(print.text("#notice-sign").contains("王网格"));
    // The audit rows: the notice issued, signed, answered.
    for (entity, action, n) in [
        ("inspection_notice", "create", 2),
        ("inspection_notice", "update", 1),
        ("inspection_answer", "create", 1),
    ] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) AS n FROM audit_log WHERE entity = '{entity}' AND action = '{action}'"
            )),
            n,
            "{entity} {action}"
        );
    }
}

#[test]
fn an_extension_is_asked_for_before_the_deadline_only_and_decided_by_the_office() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let r = round(&app, &clerk, "三月暗访");
    finding(&app, r, "窨井盖缺失");
    let id = notice(&app, r, "3");
    let show = format!("/inspections/notices/{id}");
    let worker = app.login("worker");
    let ext = format!("{show}/extension");
    let page = worker.get(&show);
    let mut e = form_fields(&page, &ext);
    set_field(&mut e, "ext_days", "2");
    set_field(&mut e, "ext_reason", "需订购新井盖");
    assert_eq!(worker.post_raw(&ext, &pairs(&e)).status, 303);
    // Asked for once at a time; the worker does not decide it.
    let page = worker.get(&show);
    assert_eq!(page.attrs("#extension", "data-ext"), ["asked"]);
    assert!(!page.has("#ext-form") && !page.has("#decide-form"));
    let decide = format!("{show}/extension/decide");
    let token = worker.csrf(&show);
    let r2 = worker.post_raw(&decide, &[("csrf_token", &token), ("decision", "approved")]);
    assert_eq!(r2.status, 403);
    // The office approves: the deadline moves by two working days.
    let before: chrono::NaiveDate = app.strings(&format!(
        "SELECT CAST(deadline AS TEXT) AS s FROM inspection_notices WHERE id = {id}"
    ))[0]
        .parse()
        .unwrap();
    let page = clerk.get(&show);
    let mut d = form_fields(&page, &decide);
    d.push(("decision".into(), "approved".into()));
    assert_eq!(clerk.post_raw(&decide, &pairs(&d)).status, 303);
    let page = clerk.get(&show);
    assert_eq!(page.attrs("#extension", "data-ext"), ["approved"]);
    assert_eq!(
        page.attrs("#deadline", "data-date"),
        [working_day_after(&app, before, 2).to_string()]
    );
    // Past the deadline no extension may be asked for: refused beside the field, typed kept.
    let yesterday = local_today().pred_opt().unwrap();
    app.exec(&format!(
        "UPDATE inspection_notices SET deadline = '{yesterday}' WHERE id = {id}"
    ));
    let page = worker.get(&show);
    assert_eq!(page.attrs("#state", "data-state"), ["overdue"]);
    assert!(!page.has("#ext-form"));
    let mut e = e.clone();
    let version = app.count(&format!(
        "SELECT CAST(version AS BIGINT) AS n FROM inspection_notices WHERE id = {id}"
    ));
    set_field(&mut e, "version", &version.to_string());
    set_field(&mut e, "ext_reason", "再延两天");
    let r3 = worker.post_raw(&ext, &pairs(&e));
    assert_eq!(r3.status, 422);
    assert!(r3.has("#e-ext_days"));
    assert_eq!(r3.value("#f-ext_days").as_deref(), Some("2"));
    assert!(r3.text("#f-ext_reason").contains("再延两天"));
}

#[test]
fn bad_input_stale_steps_scope_and_roles() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let r = round(&app, &clerk, "三月暗访");
    let f1 = finding(&app, r, "违建");
    // Nothing ticked and zero working days: refused beside the fields, the typed text kept.
    let mut f = notice_form(&app, &clerk, r, "0");
    f.retain(|(k, _)| k != "finding");
    set_field(&mut f, "requirements", "三日内拆除");
    let bad = clerk.post_raw("/inspections/notices", &pairs(&f));
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-findings") && bad.has("#e-working_days"));
    assert!(bad.text("#f-requirements").contains("三日内拆除"));
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM inspection_notices"), 0);
    let id = notice(&app, r, "3");
    let show = format!("/inspections/notices/{id}");
    // Answering before signing: refused.
    let worker = app.login("worker");
    let token = worker.csrf(&show);
    let early = worker.post_raw(
        &format!("{show}/answers"),
        &[
            ("csrf_token", &token),
            ("finding", &f1.to_string()),
            ("body", "已拆除"),
            ("form_token", "t1"),
        ],
    );
    assert_eq!(early.status, 422);
    // Two of the grid sign from the same page: the second sees both names (409).
    let cclerk = app.login("cclerk");
    let sign = format!("{show}/sign");
    let seen = cclerk.get(&show);
    let mut s = form_fields(&worker.get(&show), &sign);
    set_field(&mut s, "signed_name", "王网格");
    assert_eq!(worker.post_raw(&sign, &pairs(&s)).status, 303);
    let mut s = form_fields(&seen, &sign);
    set_field(&mut s, "signed_name", "李社区");
    let stale = cclerk.post_raw(&sign, &pairs(&s));
    assert_eq!(stale.status, 409);
    assert!(stale.text(".conflict").contains("王网格"));
    assert_eq!(stale.value("#f-signed_name").as_deref(), Some("李社区"));
    // The office does not sign for the unit; the grid does not issue notices.
    let token = clerk.csrf(&show);
    let r1 = clerk.post_raw(&sign, &[("csrf_token", &token), ("signed_name", "x")]);
    assert_eq!(r1.status, 403);
    let grid = app.org_id("工人路社区第1网格");
    assert_eq!(
        worker
            .get(&format!("/inspections/notices/new?round={r}&unit={grid}"))
            .status,
        404
    );
    // Another street reads nothing of it.
    app.add_user("lclerk", "clerk", "绿东村街道");
    let other = app.login("lclerk");
    let r404 = other.get(&show);
    assert_eq!(r404.status, 404);
    assert!(!r404.body.contains("违建"));
    assert_eq!(other.get(&format!("{show}/print")).status, 404);
    assert!(
        !other
            .get("/inspections/notices")
            .has(&format!("tr[data-id=\"{id}\"]"))
    );
    assert!(!xlsx_text(&other.get("/inspections/notices/export.xlsx").bytes).contains("督字"));
    // Another grid's worker neither.
    app.add_user("w2", "grid_worker", "陇西社区第1网格");
    assert_eq!(app.login("w2").get(&show).status, 404);
}
