//! Party branches and members through the HTTP layer: the branch record kept by the street's
//! clerks, members kept by the branch's own secretary, personal data masked for others, and
//! the promises (bad input kept, one record per double submit, stale edits, scope, CSRF, audit).

use crate::helpers::*;

fn pairs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(n, _)| n != name);
    fields.push((name.to_string(), value.to_string()));
}

pub fn id_after(r: &Resp, prefix: &str) -> i32 {
    assert_eq!(r.status, 303, "{}", r.body);
    r.location()
        .trim_start_matches(prefix)
        .split(['#', '?', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The street clerk registers 工人路社区党支部 with the demo secretary's account as its
/// secretary; returns its id.
pub fn branch(app: &TestApp, clerk: &Client, name: &str, community: &str) -> i32 {
    let unit = app.org_id(community).to_string();
    let secretary = app.user_id("secretary").to_string();
    let r = clerk.submit(
        "/party/branches/new",
        "/party/branches",
        &[
            ("name", name),
            ("kind", "community"),
            ("unit_id", &unit),
            ("secretary", "刘桂芳"),
            ("secretary_user_id", &secretary),
            ("first_secretary", "赵立新"),
            ("first_secretary_post", "街道办事处副主任科员"),
        ],
    );
    id_after(&r, "/party/branches/")
}

pub fn add_member(c: &Client, branch: i32, name: &str, extra: &[(&str, &str)]) -> Resp {
    let page = format!("/party/branches/{branch}/members/new");
    let mut f = vec![
        ("name", name),
        ("gender", "female"),
        ("joined_on", "1986-07-01"),
        ("phone", "13912345678"),
        ("address", "工人路 12 号院 3 号楼"),
    ];
    f.extend_from_slice(extra);
    c.submit(&page, &format!("/party/branches/{branch}/members"), &f)
}

#[test]
fn a_clerk_registers_a_branch_and_its_secretary_keeps_the_members() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    // A demonstration site needs its criteria; what was typed stays.
    let unit = app.org_id("工人路社区").to_string();
    let bad = clerk.submit(
        "/party/branches/new",
        "/party/branches",
        &[
            ("name", "工人路社区党支部"),
            ("unit_id", &unit),
            ("demo_site", "on"),
            ("phone", "12"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-demo_criteria"));
    assert!(bad.has("#e-phone"));
    assert_eq!(bad.value("#f-name").as_deref(), Some("工人路社区党支部"));
    let id = branch(&app, &clerk, "工人路社区党支部", "工人路社区");
    let page = clerk.get(&format!("/party/branches/{id}"));
    assert_eq!(page.status, 200);
    assert!(page.text("#first-secretary").contains("赵立新"));
    // The branch's secretary adds members; a double submit adds one.
    let secretary = app.login("secretary");
    let form = secretary.get(&format!("/party/branches/{id}/members/new"));
    let mut f = form_fields(&form, &format!("/party/branches/{id}/members"));
    set(&mut f, "name", "张秀兰");
    set(&mut f, "joined_on", "1948-03-01");
    set(&mut f, "difficulty", "difficult");
    set(&mut f, "phone", "13812345678");
    let action = format!("/party/branches/{id}/members");
    assert_eq!(secretary.post_raw(&action, &pairs(&f)).status, 303);
    assert_eq!(secretary.post_raw(&action, &pairs(&f)).status, 303);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM party_members WHERE branch_id = {id}"
        )),
        1
    );
    // A bad joining date: a message, the name kept.
    let bad = add_member(&secretary, id, "李明", &[("joined_on", "2999-01-01")]);
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-joined_on"));
    assert_eq!(bad.value("#f-name").as_deref(), Some("李明"));
    assert_eq!(
        add_member(&secretary, id, "李明", &[("volunteer", "on")]).status,
        303
    );
    let page = secretary.get(&format!("/party/branches/{id}"));
    assert_eq!(page.texts("table.members tbody tr").len(), 2);
    assert!(page.text("table.members").contains("13812345678"));
    assert!(page.text("table.members").contains("老党员"));
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(members AS BIGINT) AS n FROM party_branches WHERE id = {id}"
        )),
        2
    );
    // The audit keeps the member without the full phone number.
    let audit = app.strings("SELECT after_json AS s FROM audit_log WHERE entity = 'party_member'");
    assert_eq!(audit.len(), 2);
    assert!(audit.iter().all(|a| !a.contains("13812345678")));
}

#[test]
fn personal_data_and_editing_stay_with_those_who_keep_the_record() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let own = branch(&app, &clerk, "工人路社区党支部", "工人路社区");
    let other = branch(&app, &clerk, "桐柏路社区党支部", "桐柏路社区");
    assert_eq!(add_member(&clerk, own, "王建华", &[]).status, 303);
    assert_eq!(add_member(&clerk, other, "周丽", &[]).status, 303);
    app.exec(&format!(
        "UPDATE party_branches SET secretary_user_id = NULL WHERE id = {other}"
    ));
    let secretary = app.login("secretary");
    // Not their branch: no adding, no editing; outside their unit: not found at all.
    assert_eq!(
        secretary
            .get(&format!("/party/branches/{other}/members/new"))
            .status,
        404
    );
    assert_eq!(
        secretary.get(&format!("/party/branches/{own}/edit")).status,
        403
    );
    // A grid worker of the community reads nothing of the branches above them.
    let worker = app.login("worker");
    assert_eq!(worker.get(&format!("/party/branches/{own}")).status, 404);
    // The street leader reads the phone in full; another community's clerk does not see the
    // branch at all.
    let leader = app.login("leader");
    assert!(
        leader
            .get(&format!("/party/branches/{own}"))
            .text("table.members")
            .contains("13912345678")
    );
    app.add_user("tclerk", "clerk", "桐柏路社区");
    let tclerk = app.login("tclerk");
    let r = tclerk.get(&format!("/party/branches/{own}"));
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("王建华"));
    assert!(!tclerk.get("/party").body.contains("工人路社区党支部"));
    let xlsx = tclerk.get("/party/export.xlsx");
    assert!(!xlsx_text(&xlsx.bytes).contains("工人路社区党支部"));
    // A branch secretary of the community who does not keep this branch sees phones masked.
    app.add_user("secretary2", "branch_secretary", "工人路社区");
    let s2 = app.login("secretary2");
    let page = s2.get(&format!("/party/branches/{own}"));
    assert_eq!(page.status, 200);
    assert!(page.text("table.members").contains("139****5678"));
    assert!(!page.body.contains("工人路 12 号院"));
    // No CSRF token, no member.
    let r = clerk.post_raw(
        &format!("/party/branches/{own}/members"),
        &[("name", "x"), ("joined_on", "2000-01-01")],
    );
    assert_eq!(r.status, 403);
}

#[test]
fn a_stale_branch_edit_shows_both_versions() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let id = branch(&app, &clerk, "工人路社区党支部", "工人路社区");
    app.add_user("clerk2", "clerk", "林山寨街道");
    let other = app.login("clerk2");
    let (page, record) = (
        format!("/party/branches/{id}/edit"),
        format!("/party/branches/{id}"),
    );
    let seen = other.get(&page);
    assert_eq!(
        clerk
            .submit(&page, &record, &[("secretary", "甲书记")])
            .status,
        303
    );
    let mut f = form_fields(&seen, &record);
    set(&mut f, "secretary", "乙书记");
    let r = other.post_raw(&record, &pairs(&f));
    assert_eq!(r.status, 409);
    assert!(r.text(".conflict").contains("甲书记"));
    assert_eq!(r.value("#f-secretary").as_deref(), Some("乙书记"));
    let list = clerk.get("/party?demo=");
    assert!(list.has(&format!("tr[data-id=\"{id}\"]")));
}

#[test]
fn the_member_roll_exports_as_each_reader_may_see_it() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let id = branch(&app, &clerk, "工人路社区党支部", "工人路社区");
    let secretary = app.login("secretary");
    assert_eq!(add_member(&secretary, id, "王建华", &[]).status, 303);
    let path = format!("/party/branches/{id}/members/export.xlsx");
    assert!(
        secretary
            .get(&format!("/party/branches/{id}"))
            .has(&format!("#members-export[href=\"{path}\"]"))
    );
    // The secretary keeps the record: phone and address in full.
    let full = xlsx_text(&secretary.get(&path).bytes);
    assert!(
        full.contains("王建华") && full.contains("13912345678"),
        "{full}"
    );
    assert!(full.contains("工人路 12 号院"));
    // Another secretary of the community reads the roll, masked, without the address.
    app.exec(&format!(
        "UPDATE party_branches SET secretary_user_id = NULL WHERE id = {id}"
    ));
    app.add_user("secretary2", "branch_secretary", "工人路社区");
    let masked = xlsx_text(&app.login("secretary2").get(&path).bytes);
    assert!(
        masked.contains("王建华") && masked.contains("139****5678"),
        "{masked}"
    );
    assert!(!masked.contains("13912345678") && !masked.contains("工人路 12 号院"));
    // Outside the scope: not found, nothing in it.
    app.add_user("tclerk", "clerk", "桐柏路社区");
    let r = app.login("tclerk").get(&path);
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("王建华"));
}
