//! The opinion box (党情民意箱) through the HTTP layer: opinions entered (bad input kept, one per
//! double submit), answered (a stale answer shows both), turned into an issue in one step (linked
//! both ways), the resident's contact private (masked in lists, the export and the audit; in
//! full only on the record's page to who keeps it, each view audited), and the scope, CSRF and
//! audit promises.

use crate::helpers::*;

const PHONE: &str = "13912345678";

fn pairs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(n, _)| n != name);
    fields.push((name.to_string(), value.to_string()));
}

fn id_after(r: &Resp) -> i32 {
    assert_eq!(r.status, 303, "{}", r.body);
    r.location()
        .trim_start_matches("/party/opinions/")
        .split(['#', '?', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Enters an opinion for 工人路社区 with the resident's contact; returns its id.
fn opinion(app: &TestApp, c: &Client, content: &str) -> i32 {
    opinion_in(c, app.org_id("工人路社区"), content)
}

/// Enters an opinion for the unit `unit` with the resident's contact; returns its id.
pub fn opinion_in(c: &Client, unit: i32, content: &str) -> i32 {
    let unit = unit.to_string();
    id_after(&c.submit(
        "/party/opinions/new",
        "/party/opinions",
        &[
            ("unit_id", &unit),
            ("channel", "visit"),
            ("received_on", &local_today().to_string()),
            ("content", content),
            ("contact_name", "王建华"),
            ("contact_phone", PHONE),
        ],
    ))
}

#[test]
fn a_clerk_enters_answers_and_turns_opinions_into_issues() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let unit = app.org_id("工人路社区").to_string();
    // Bad input: every message at once, everything typed kept.
    let bad = clerk.submit(
        "/party/opinions/new",
        "/party/opinions",
        &[
            ("unit_id", &unit),
            ("channel", "phone"),
            ("received_on", "2026-02-30"),
            ("content", ""),
            ("contact_name", "王建华"),
            ("contact_phone", "12"),
        ],
    );
    assert_eq!(bad.status, 422);
    for e in ["#e-content", "#e-received_on", "#e-contact_phone"] {
        assert!(bad.has(e), "{e}");
    }
    assert_eq!(bad.value("#f-contact_name").as_deref(), Some("王建华"));
    assert_eq!(bad.value("#f-received_on").as_deref(), Some("2026-02-30"));
    assert!(bad.has("#f-channel option[value=phone][selected]"));
    assert!(bad.has(&format!("#f-unit_id option[value=\"{unit}\"][selected]")));
    // A double submit keeps one opinion.
    let form = clerk.get("/party/opinions/new");
    let mut f = form_fields(&form, "/party/opinions");
    set(&mut f, "unit_id", &unit);
    set(&mut f, "content", "建议在工人路 12 号院加装路灯\n夜里太黑");
    set(&mut f, "contact_name", "王建华");
    set(&mut f, "contact_phone", PHONE);
    let first = clerk.post_raw("/party/opinions", &pairs(&f));
    let again = clerk.post_raw("/party/opinions", &pairs(&f));
    assert_eq!(first.location(), again.location());
    let id = id_after(&first);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM party_opinions WHERE content LIKE '建议在工人路%'"),
        1
    );
    let page = clerk.get(&format!("/party/opinions/{id}"));
    assert_eq!(page.status, 200);
    assert_eq!(page.text("#contact-phone"), PHONE);
    // The issue's title is proposed from the content's first line.
    assert_eq!(
        page.value("#issue-form #f-title").as_deref(),
        Some("建议在工人路 12 号院加装路灯")
    );
    // Answered.
    let answer = format!("/party/opinions/{id}/answer");
    let page_path = format!("/party/opinions/{id}");
    let r = clerk.submit(&page_path, &answer, &[("answer", "")]);
    assert_eq!(r.status, 422);
    assert!(r.has("#e-answer"));
    let r = clerk.submit(
        &page_path,
        &answer,
        &[("answer", "已协调物业，下周安装两盏路灯。")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = clerk.get(&page_path);
    assert!(page.text("#opinion-answer").contains("下周安装两盏路灯"));
    assert_eq!(
        app.strings(&format!(
            "SELECT state AS s FROM party_opinions WHERE id = {id}"
        )),
        vec!["answered".to_string()]
    );
    // Another becomes an issue in one step: bad input first, the address kept.
    let other = opinion(&app, &clerk, "3 号楼楼道堆放杂物，存在消防隐患");
    let other_page = format!("/party/opinions/{other}");
    let to_issue = format!("/party/opinions/{other}/issue");
    let grid = app.org_id("工人路社区第1网格").to_string();
    let bad = clerk.submit(
        &other_page,
        &to_issue,
        &[("grid_id", &grid), ("address", "工人路 3 号楼")],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-category_id"));
    assert_eq!(
        bad.value("#issue-form #f-address").as_deref(),
        Some("工人路 3 号楼")
    );
    let r = clerk.submit(
        &other_page,
        &to_issue,
        &[
            ("grid_id", &grid),
            ("category_id", "802"),
            ("address", "工人路 3 号楼"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let issue = app.count(&format!(
        "SELECT CAST(issue_id AS BIGINT) AS n FROM party_opinions WHERE id = {other} AND state = 'issue'"
    ));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM issues WHERE id = {issue} AND source = 'opinion_box'"
        )),
        1
    );
    let page = clerk.get(&other_page);
    assert!(page.has(&format!("#opinion-issue a[href=\"/issues/{issue}\"]")));
    assert!(!page.has("#issue-form"));
    let issue_page = clerk.get(&format!("/issues/{issue}"));
    assert!(issue_page.has(&format!(
        "#issue-opinion a[href=\"/party/opinions/{other}\"]"
    )));
    // The issue carries the opinion, not the resident's contact.
    assert!(!issue_page.body.contains(PHONE));
    // The list filters by state; a bad date is a message beside its field.
    let list = clerk.get("/party/opinions?state=issue");
    assert!(list.has(&format!("tr[data-id=\"{other}\"]")));
    assert!(!list.has(&format!("tr[data-id=\"{id}\"]")));
    let list = clerk.get("/party/opinions?from=2026-13-01");
    assert_eq!(list.status, 200);
    assert!(list.has("#e-from"));
    // The export has the opinions, never the phone.
    let xlsx = xlsx_text(&clerk.get("/party/opinions/export.xlsx").bytes);
    assert!(xlsx.contains("消防隐患"));
    assert!(!xlsx.contains(PHONE));
    // Every change is audited, without the phone; so is every view of the full contact.
    let audit = app.strings(
        "SELECT COALESCE(before_json, '') || COALESCE(after_json, '') || summary AS s \
         FROM audit_log WHERE entity = 'party_opinion' AND action <> 'view_contact'",
    );
    assert_eq!(audit.len(), 4, "{audit:?}");
    let audit = app.strings(
        "SELECT summary AS s FROM audit_log WHERE entity = 'party_opinion' \
         AND action = 'view_contact'",
    );
    assert!(!audit.is_empty());
    assert!(
        audit
            .iter()
            .all(|a| !a.contains(PHONE) && !a.contains("王建华"))
    );
    // No CSRF token, nothing written.
    let r = clerk.post_raw(
        "/party/opinions",
        &[
            ("unit_id", unit.as_str()),
            ("channel", "box"),
            ("received_on", "2026-01-05"),
            ("content", "x"),
        ],
    );
    assert_eq!(r.status, 403);
    let r = clerk.post_raw(&answer, &[("answer", "y"), ("version", "2")]);
    assert_eq!(r.status, 403);
}

#[test]
fn a_stale_answer_shows_both_answers_and_keeps_the_typed_one() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let id = opinion(&app, &clerk, "小区健身器材损坏");
    app.add_user("clerk2", "clerk", "林山寨街道");
    let other = app.login("clerk2");
    let page = format!("/party/opinions/{id}");
    let action = format!("/party/opinions/{id}/answer");
    let seen = other.get(&page);
    assert_eq!(
        clerk
            .submit(&page, &action, &[("answer", "甲：已报修")])
            .status,
        303
    );
    let mut f = form_fields(&seen, &action);
    set(&mut f, "answer", "乙：已联系厂家");
    let r = other.post_raw(&action, &pairs(&f));
    assert_eq!(r.status, 409);
    assert!(r.text(".conflict .theirs").contains("甲：已报修"));
    assert!(r.text(".conflict .mine").contains("乙：已联系厂家"));
    assert_eq!(r.text("#answer-form #f-answer"), "乙：已联系厂家");
    // Sent again with the version the 409 page carries, it is saved.
    let f = form_fields(&r, &action);
    assert_eq!(other.post_raw(&action, &pairs(&f)).status, 303);
    assert!(
        clerk
            .get(&page)
            .text("#opinion-answer")
            .contains("乙：已联系厂家")
    );
}

#[test]
fn a_leader_sees_the_contact_masked_and_nothing_leaks_outside_the_scope() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let id = opinion(&app, &clerk, "希望社区多组织老年人健康讲座");
    let page = format!("/party/opinions/{id}");
    // The street's leader reads it, the contact masked (not a keeper of the record): no view of
    // the contact to audit.
    let r = app.login("leader").get(&page);
    assert_eq!(r.status, 200);
    assert_eq!(r.text("#contact-phone"), "139****5678");
    assert_eq!(r.text("#contact-name"), "王**");
    assert!(!r.body.contains(PHONE) && !r.body.contains("王建华"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'view_contact'"),
        0
    );
    // The community's branch secretary keeps the unit's record: in full; they answer it.
    let secretary = app.login("secretary");
    let r = secretary.get(&page);
    assert_eq!(r.status, 200);
    assert_eq!(r.text("#contact-phone"), PHONE);
    let list = secretary.get("/party/opinions");
    assert!(list.has(&format!("tr[data-id=\"{id}\"]")));
    assert!(!list.body.contains(PHONE));
    assert_eq!(
        secretary
            .submit(
                &page,
                &format!("/party/opinions/{id}/answer"),
                &[("answer", "下月起每月一次")]
            )
            .status,
        303
    );
    // They enter opinions for their own unit only.
    let tongbai = app.org_id("桐柏路社区").to_string();
    let r = secretary.submit(
        "/party/opinions/new",
        "/party/opinions",
        &[
            ("unit_id", &tongbai),
            ("content", "x"),
            ("received_on", &local_today().to_string()),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.has("#e-unit_id"));
    // Another community's clerk: not found, not listed, not exported.
    app.add_user("tclerk", "clerk", "桐柏路社区");
    let tclerk = app.login("tclerk");
    let r = tclerk.get(&page);
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("老年人健康讲座"));
    assert!(
        !tclerk
            .get("/party/opinions")
            .body
            .contains("老年人健康讲座")
    );
    let gongrenlu = app.org_id("工人路社区");
    assert_eq!(
        tclerk
            .get(&format!("/party/opinions?unit={gongrenlu}"))
            .status,
        404
    );
    let xlsx = tclerk.get("/party/opinions/export.xlsx");
    assert_eq!(xlsx.status, 200);
    assert!(!xlsx_text(&xlsx.bytes).contains("老年人健康讲座"));
    assert_eq!(
        tclerk
            .get(&format!("/party/opinions/export.xlsx?unit={gongrenlu}"))
            .status,
        404
    );
    let csrf = tclerk.csrf("/party/opinions/new");
    let r = tclerk.post_raw(
        &format!("/party/opinions/{id}/answer"),
        &[("csrf_token", &csrf), ("answer", "x"), ("version", "1")],
    );
    assert_eq!(r.status, 404);
    // A grid worker of the community neither reads it nor enters opinions.
    let worker = app.login("worker");
    assert_eq!(worker.get(&page).status, 404);
    assert_eq!(worker.get("/party/opinions/new").status, 403);
}

/// Every full phone number of the demo's opinions.
fn demo_phones(app: &TestApp) -> Vec<String> {
    app.strings("SELECT contact_phone AS s FROM party_opinions WHERE contact_phone <> ''")
}

#[test]
fn lists_and_the_export_mask_every_contact_and_the_keepers_view_is_audited() {
    let app = spawn_app();
    let phones = demo_phones(&app);
    assert!(phones.len() >= 5, "{phones:?}");
    let names =
        app.strings("SELECT contact_name AS s FROM party_opinions WHERE LENGTH(contact_name) > 1");
    assert!(!names.is_empty());
    // Every reader of the box, the keepers included: masked in every page of the list and the
    // export.
    for who in ["admin", "clerk", "cclerk", "leader", "secretary"] {
        let c = app.login(who);
        let mut seen = String::new();
        for n in 1..=40 {
            let r = c.get(&format!("/party/opinions?page={n}"));
            assert_eq!(r.status, 200, "{who}");
            seen.push_str(&r.text("table.opinions"));
            if !r.body.contains(&format!("page={}", n + 1)) {
                break;
            }
        }
        let xlsx = xlsx_text(&c.get("/party/opinions/export.xlsx").bytes);
        for p in &phones {
            assert!(!seen.contains(p.as_str()), "{who}: {p} in the list");
            assert!(!xlsx.contains(p.as_str()), "{who}: {p} in the export");
        }
        for n in &names {
            assert!(!xlsx.contains(n.as_str()), "{who}: {n} in the export");
        }
    }
    let admin = app.login("admin");
    let listed = admin.get("/party/opinions");
    assert!(listed.text("table.opinions").contains("****"));
    // The record's page: the street clerk keeps it and reads the phone; one audit row, the
    // contact masked in it.
    let (id, phone) = {
        let street = app
            .strings("SELECT path AS s FROM org_units WHERE name = '林山寨街道'")
            .remove(0);
        let rows = app.strings(&format!(
            "SELECT CAST(id AS VARCHAR(20)) || ' ' || contact_phone AS s FROM party_opinions \
             WHERE scope_path LIKE '{street}%' AND contact_phone <> '' ORDER BY id"
        ));
        let first = rows
            .first()
            .expect("an opinion of 林山寨街道 with a phone")
            .clone();
        let (id, phone) = first.split_once(' ').unwrap();
        (id.parse::<i32>().unwrap(), phone.to_string())
    };
    let page = format!("/party/opinions/{id}");
    let views = |who: &str| {
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM audit_log a JOIN users u ON u.id = a.actor_id \
             WHERE a.action = 'view_contact' AND a.entity = 'party_opinion' \
             AND a.entity_id = {id} AND u.username = '{who}'"
        ))
    };
    let r = app.login("clerk").get(&page);
    assert_eq!(r.status, 200);
    assert_eq!(r.text("#contact-phone"), phone);
    assert_eq!(views("clerk"), 1);
    let summary = app.strings(&format!(
        "SELECT summary AS s FROM audit_log WHERE action = 'view_contact' AND entity_id = {id}"
    ));
    assert!(summary.iter().all(|s| !s.contains(&phone)), "{summary:?}");
    // The audit log lists the view.
    let log = admin.get("/audit");
    assert!(log.body.contains("view_contact") || log.body.contains("查看联系方式"));
    // A leader is no keeper: masked, nothing audited.
    let r = app.login("leader").get(&page);
    assert_eq!(r.status, 200);
    assert!(!r.body.contains(&phone));
    assert!(r.text("#contact-phone").contains("****"));
    assert_eq!(views("leader"), 0);
    // Another street's clerk: 404, nothing shown or audited.
    app.add_user("oclerk", "clerk", "绿东村街道");
    let r = app.login("oclerk").get(&page);
    assert_eq!(r.status, 404);
    assert!(!r.body.contains(&phone));
    assert_eq!(views("oclerk"), 0);
}
