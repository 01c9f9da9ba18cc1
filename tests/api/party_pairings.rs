//! Pairings (结对帮扶) and activity photos through the HTTP layer: the branch's secretary edits a
//! pairing (audited without the household's address), bad input and stale edits keep what was
//! typed, ending a pairing keeps it and its visits but no new visit can name it, a second end
//! changes nothing; an activity's photo is removed with its file, and scope, rights and CSRF hold.

use chrono::Duration;

use crate::helpers::*;
use crate::issues::png;
use crate::party::{branch, id_after};
use crate::party_activities::{branch_with_members, member_id, new_fields, record, set};

/// Pairs `member` with a household through the form; returns the pairing's id.
fn pair(c: &Client, branch: i32, member: i32, household: &str) -> i32 {
    let since = (local_today() - Duration::days(60)).to_string();
    let r = c.submit(
        &format!("/party/branches/{branch}/pairings/new"),
        &format!("/party/branches/{branch}/pairings"),
        &[
            ("member_id", &member.to_string()),
            ("household", household),
            ("address", "工人路 8 号院 2 号楼"),
            ("situation", "独居老人，行动不便"),
            ("since", &since),
        ],
    );
    id_after(&r, &format!("/party/branches/{branch}/pairings/"))
}

fn edit_page(branch: i32, pairing: i32) -> String {
    format!("/party/branches/{branch}/pairings/{pairing}/edit")
}

/// The pairing's address, where its edit form posts.
fn pairing_url(branch: i32, pairing: i32) -> String {
    format!("/party/branches/{branch}/pairings/{pairing}")
}

/// A column of the pairing as text ('' for NULL).
fn column(app: &TestApp, col: &str, pairing: i32) -> String {
    app.strings(&format!(
        "SELECT COALESCE(CAST({col} AS TEXT), '') AS s FROM party_pairings WHERE id = {pairing}"
    ))
    .pop()
    .unwrap_or_default()
}

fn is_active(app: &TestApp, pairing: i32) -> bool {
    app.count(&format!(
        "SELECT COUNT(*) AS n FROM party_pairings WHERE id = {pairing} AND active = TRUE"
    )) == 1
}

#[test]
fn a_secretary_edits_a_pairing_and_the_audit_keeps_the_change_without_the_address() {
    let app = spawn_app();
    let id = branch_with_members(&app);
    let secretary = app.login("secretary");
    let (wang, zhou) = (member_id(&app, id, "王建华"), member_id(&app, id, "周丽"));
    let pid = pair(&secretary, id, wang, "李大娘家");
    let page = secretary.get(&format!("/party/branches/{id}/pairings/{pid}"));
    assert!(page.has(&format!("a[href=\"{}\"]", edit_page(id, pid))));
    // The edit form shows what is saved.
    let form = secretary.get(&edit_page(id, pid));
    assert_eq!(form.status, 200);
    assert_eq!(form.value("#f-household").as_deref(), Some("李大娘家"));
    assert!(form.has(&format!("#f-member_id option[value=\"{wang}\"][selected]")));
    let since = (local_today() - Duration::days(30)).to_string();
    let r = secretary.submit(
        &edit_page(id, pid),
        &pairing_url(id, pid),
        &[
            ("member_id", &zhou.to_string()),
            ("household", "李秀英家"),
            ("address", "工人路 10 号院 1 号楼"),
            ("situation", "独居老人，需要定期送药"),
            ("since", &since),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), format!("/party/branches/{id}/pairings/{pid}"));
    let shown = secretary.get(r.location());
    assert!(shown.text("#member").contains("周丽"));
    assert!(shown.text("#household").contains("李秀英家"));
    assert_eq!(shown.text("#since"), since);
    assert_eq!(column(&app, "version", pid), "2");
    // One audit row: who, before and after by name, never an address.
    let rows = app.strings(&format!(
        "SELECT before_json || '|' || after_json || '|' || actor_name AS s FROM audit_log \
         WHERE entity = 'party_pairing' AND action = 'update' AND entity_id = {pid}"
    ));
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    let (before, rest) = row.split_once('|').unwrap();
    let (after, actor) = rest.split_once('|').unwrap();
    assert!(
        before.contains("李大娘家") && before.contains("王建华"),
        "{before}"
    );
    assert!(
        after.contains("李秀英家") && after.contains("周丽"),
        "{after}"
    );
    assert!(after.contains("需要定期送药"));
    assert_eq!(actor, "secretary");
    assert!(!row.contains("工人路"), "no address in the audit: {row}");
}

#[test]
fn a_bad_edit_keeps_what_was_typed_and_a_stale_one_shows_both_versions() {
    let app = spawn_app();
    let id = branch_with_members(&app);
    let secretary = app.login("secretary");
    let pid = pair(&secretary, id, member_id(&app, id, "王建华"), "李大娘家");
    let (edit, here) = (edit_page(id, pid), pairing_url(id, pid));
    // Bad input: 422, messages beside the fields, everything typed kept, nothing saved.
    let tomorrow = (local_today() + Duration::days(1)).to_string();
    let bad = secretary.submit(
        &edit,
        &here,
        &[
            ("household", ""),
            ("situation", "改为每周走访两次"),
            ("since", &tomorrow),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.has("#e-household"));
    assert!(bad.has("#e-since"));
    assert_eq!(bad.text("#f-situation"), "改为每周走访两次");
    assert_eq!(bad.value("#f-since").as_deref(), Some(tomorrow.as_str()));
    assert_eq!(column(&app, "household", pid), "李大娘家");
    assert_eq!(column(&app, "version", pid), "1");
    // A stale edit: the clerk opened the form, the secretary saved first.
    let clerk = app.login("clerk");
    let seen = clerk.get(&edit);
    assert_eq!(seen.status, 200);
    assert_eq!(
        secretary
            .submit(&edit, &here, &[("household", "甲：李大娘家（东院）")])
            .status,
        303
    );
    let mut f = form_fields(&seen, &here);
    set(&mut f, "household", "乙：李大娘家（西院）");
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let stale = clerk.post_raw(&here, &pairs);
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(
        stale
            .text(".conflict .mine")
            .contains("乙：李大娘家（西院）")
    );
    assert!(
        stale
            .text(".conflict .theirs")
            .contains("甲：李大娘家（东院）")
    );
    assert_eq!(
        stale.value("#f-household").as_deref(),
        Some("乙：李大娘家（西院）")
    );
    assert_eq!(column(&app, "household", pid), "甲：李大娘家（东院）");
    // Submitting the kept form again saves it deliberately.
    let f = form_fields(&stale, &here);
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(clerk.post_raw(&here, &pairs).status, 303);
    assert_eq!(column(&app, "household", pid), "乙：李大娘家（西院）");
    assert_eq!(column(&app, "version", pid), "3");
}

#[test]
fn pairings_are_changed_only_by_who_keeps_the_branch_and_stay_in_scope() {
    let app = spawn_app();
    let id = branch_with_members(&app);
    let clerk = app.login("clerk");
    let secretary = app.login("secretary");
    let pid = pair(&secretary, id, member_id(&app, id, "王建华"), "李大娘家");
    // A second branch in the secretary's community, kept by the clerk: its pairing is visible
    // to the secretary but not theirs to change.
    let second = branch(&app, &clerk, "工人路社区第二党支部", "工人路社区");
    app.exec(&format!(
        "UPDATE party_branches SET secretary_user_id = NULL WHERE id = {second}"
    ));
    let page = format!("/party/branches/{second}/members/new");
    let r = clerk.submit(
        &page,
        &format!("/party/branches/{second}/members"),
        &[
            ("name", "马文"),
            ("gender", "male"),
            ("joined_on", "1990-07-01"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let other = pair(&clerk, second, member_id(&app, second, "马文"), "赵大爷家");
    let token = secretary.csrf(&format!("/party/branches/{id}/pairings/{pid}"));
    let path = format!("/party/branches/{second}/pairings/{other}");
    assert_eq!(secretary.get(&path).status, 200);
    assert!(!secretary.get(&path).has("#end form"));
    assert_eq!(secretary.get(&format!("{path}/edit")).status, 403);
    let r = secretary.post_raw(
        &path,
        &[
            ("csrf_token", &token),
            ("household", "改名"),
            ("member_id", "1"),
            ("since", "2026-01-01"),
            ("version", "1"),
        ],
    );
    assert_eq!(r.status, 403);
    let r = secretary.post_raw(
        &format!("{path}/end"),
        &[
            ("csrf_token", &token),
            ("ended_on", &local_today().to_string()),
            ("version", "1"),
        ],
    );
    assert_eq!(r.status, 403);
    assert_eq!(column(&app, "household", other), "赵大爷家");
    assert!(is_active(&app, other));
    // Another street's clerk: none of it exists.
    app.add_user("lclerk", "clerk", "绿东村街道");
    let lclerk = app.login("lclerk");
    let token = lclerk.csrf("/party");
    let mine = format!("/party/branches/{id}/pairings/{pid}");
    for p in [mine.clone(), format!("{mine}/edit")] {
        assert_eq!(lclerk.get(&p).status, 404, "{p}");
    }
    for p in [mine.clone(), format!("{mine}/end")] {
        let r = lclerk.post_raw(
            &p,
            &[
                ("csrf_token", &token),
                ("household", "改名"),
                ("ended_on", &local_today().to_string()),
                ("version", "1"),
            ],
        );
        assert_eq!(r.status, 404, "{p}");
    }
    // Without the CSRF token: refused.
    let r = secretary.post_raw(
        &format!("{mine}/end"),
        &[("ended_on", &local_today().to_string()), ("version", "1")],
    );
    assert_eq!(r.status, 403);
    assert_eq!(column(&app, "household", pid), "李大娘家");
    assert!(is_active(&app, pid));
}

#[test]
fn an_ended_pairing_keeps_its_visits_but_takes_no_new_ones_and_a_second_end_changes_nothing() {
    let app = spawn_app();
    let id = branch_with_members(&app);
    let secretary = app.login("secretary");
    let pid = pair(&secretary, id, member_id(&app, id, "王建华"), "李大娘家");
    let day = local_today().to_string();
    let visit = record(
        &secretary,
        id,
        &[
            ("kind", "pairing"),
            ("pairing_id", &pid.to_string()),
            ("title", "结对走访：送冬衣"),
            ("day", &day),
        ],
    );
    let new_visit = format!("/party/branches/{id}/activities/new");
    let option = format!("#f-pairing_id option[value=\"{pid}\"]");
    assert!(secretary.get(&new_visit).has(&option));
    let here = format!("/party/branches/{id}/pairings/{pid}");
    let end = format!("{here}/end");
    // Bad input: the page again with the message beside the field and the note kept.
    let before_since = (local_today() - Duration::days(61)).to_string();
    let bad = secretary.submit(
        &here,
        &end,
        &[
            ("ended_on", &before_since),
            ("end_note", "户主已搬离本社区"),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.has("#e-ended_on"));
    assert_eq!(bad.text("#f-end_note"), "户主已搬离本社区");
    assert!(is_active(&app, pid));
    // Ended.
    let mut fields = form_fields(&secretary.get(&here), &end);
    set(&mut fields, "end_note", "户主已搬离本社区");
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = secretary.post_raw(&end, &pairs);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), here);
    let ended_version = column(&app, "version", pid);
    assert!(!is_active(&app, pid));
    assert_eq!(column(&app, "ended_on", pid), day);
    let shown = secretary.get(&here);
    assert!(shown.text(".flash").contains("结束"));
    assert!(shown.text("#status").contains("已结束"));
    assert!(shown.text("#status").contains(&day));
    assert!(shown.text("#end-note").contains("户主已搬离本社区"));
    assert!(!shown.has("#end form"));
    assert!(!shown.has("a[href*=\"kind=pairing\"]"));
    // Its visits stay, on its page and in the list's count.
    assert_eq!(shown.texts("table.visits tbody tr").len(), 1);
    assert!(shown.has(&format!("table.visits tr[data-id=\"{visit}\"]")));
    let list = secretary.get(&format!("/party/branches/{id}/pairings"));
    let row = format!("table.pairings tr[data-id=\"{pid}\"]");
    assert!(list.has(&format!("{row}.ended")));
    assert!(list.text(&format!("{row} .status")).contains("已结束"));
    assert_eq!(list.text(&format!("{row} .num")), "1");
    // The export says the same, without the household's address.
    let export = format!("/party/branches/{id}/pairings/export.xlsx");
    assert!(list.has(&format!("#pairings-export[href=\"{export}\"]")));
    let x = xlsx_text(&secretary.get(&export).bytes);
    assert!(x.contains("李大娘家") && x.contains("已结束"), "{x}");
    assert!(!x.contains("工人路 8 号院"));
    app.add_user("tclerk", "clerk", "桐柏路社区");
    assert_eq!(app.login("tclerk").get(&export).status, 404);
    // The activity form no longer offers it, not even from its own link; a forged choice is a
    // message.
    assert!(!secretary.get(&new_visit).has(&option));
    let linked = format!("{new_visit}?kind=pairing&pairing={pid}");
    assert!(!secretary.get(&linked).has(&option));
    let mut f = new_fields(
        &secretary,
        &new_visit,
        id,
        &[
            ("kind", "pairing"),
            ("title", "结对走访：送药"),
            ("day", &day),
        ],
    );
    set(&mut f, "pairing_id", &pid.to_string());
    let r = secretary.multipart(&format!("/party/branches/{id}/activities"), &f, &[]);
    assert_eq!(r.status, 422);
    assert!(r.has("#e-pairing_id"));
    // The visit recorded before the end can still be corrected and keeps its pairing.
    let edit = format!("/party/activities/{visit}/edit");
    let form = secretary.get(&edit);
    assert!(form.has(&format!("{option}[selected]")));
    let mut f = form_fields(&form, &format!("/party/activities/{visit}"));
    set(&mut f, "title", "结对走访：送冬衣和米面");
    let r = secretary.multipart(&format!("/party/activities/{visit}"), &f, &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(pairing_id AS BIGINT) AS n FROM party_activities WHERE id = {visit}"
        )),
        pid as i64
    );
    // The same end again (a double click): nothing changes, the user is told.
    let again = secretary.post_raw(&end, &pairs);
    assert_eq!(again.status, 303);
    assert_eq!(again.location(), here);
    assert!(secretary.get(&here).text(".flash").contains("此前已结束"));
    assert_eq!(column(&app, "version", pid), ended_version);
    assert_eq!(column(&app, "ended_on", pid), day);
    let audit = app.strings(&format!(
        "SELECT after_json AS s FROM audit_log WHERE entity = 'party_pairing' \
         AND action = 'pairing_end' AND entity_id = {pid}"
    ));
    assert_eq!(audit.len(), 1);
    assert!(audit[0].contains("户主已搬离本社区"));
    assert!(!audit[0].contains("工人路"));
}

#[test]
fn ending_from_a_page_older_than_the_pairing_shows_it_as_saved_now() {
    let app = spawn_app();
    let id = branch_with_members(&app);
    let secretary = app.login("secretary");
    let pid = pair(&secretary, id, member_id(&app, id, "王建华"), "李大娘家");
    let here = format!("/party/branches/{id}/pairings/{pid}");
    let end = format!("{here}/end");
    let clerk = app.login("clerk");
    let seen = clerk.get(&here);
    let edit = edit_page(id, pid);
    assert_eq!(
        secretary
            .submit(&edit, &here, &[("household", "李大娘家（已改为西院）")])
            .status,
        303
    );
    let mut f = form_fields(&seen, &end);
    set(&mut f, "end_note", "需求已解决");
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let stale = clerk.post_raw(&end, &pairs);
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(stale.has(".conflict"));
    assert!(stale.text("#household").contains("李大娘家（已改为西院）"));
    assert_eq!(stale.text("#f-end_note"), "需求已解决");
    assert_eq!(column(&app, "ended_on", pid), "");
    // Ending it now is deliberate.
    let f = form_fields(&stale, &end);
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(clerk.post_raw(&end, &pairs).status, 303);
    assert_eq!(column(&app, "end_note", pid), "需求已解决");
}

#[test]
fn removing_a_photo_deletes_its_row_and_file_and_keeps_the_count() {
    let app = spawn_app();
    let id = branch_with_members(&app);
    let secretary = app.login("secretary");
    let day = local_today().to_string();
    let page = format!("/party/branches/{id}/activities/new");
    let f = new_fields(
        &secretary,
        &page,
        id,
        &[("kind", "study"), ("title", "学习会"), ("day", &day)],
    );
    let (a, b) = (png(), png());
    let r = secretary.multipart(
        &format!("/party/branches/{id}/activities"),
        &f,
        &[
            ("photos", "a.png", "image/png", &a),
            ("photos", "b.png", "image/png", &b),
        ],
    );
    let aid = id_after(&r, "/party/activities/");
    let photo = |col: &str| {
        app.strings(&format!(
            "SELECT {col} AS s FROM party_activity_photos WHERE activity_id = {aid} ORDER BY id"
        ))
    };
    let ids = photo("CAST(id AS TEXT)");
    assert_eq!(ids.len(), 2);
    let (first, keys) = (
        ids[0].clone(),
        [photo("file_key"), photo("thumb_key")].concat(),
    );
    let uploads = app.data_dir().join("uploads");
    for k in &keys {
        assert!(uploads.join(k).exists(), "{k} stored");
    }
    let count =
        format!("SELECT CAST(photos AS BIGINT) AS n FROM party_activities WHERE id = {aid}");
    assert_eq!(app.count(&count), 2);
    let shown = format!("/party/activities/{aid}");
    let action = format!("/party/activities/{aid}/photos/{first}/delete");
    assert!(
        secretary
            .get(&shown)
            .has(&format!("form[action=\"{action}\"]"))
    );
    // Without the CSRF token: refused, nothing removed.
    assert_eq!(secretary.post_raw(&action, &[]).status, 403);
    // Another community's clerk: it does not exist for them.
    app.add_user("tclerk", "clerk", "桐柏路社区");
    let tclerk = app.login("tclerk");
    let token = tclerk.csrf("/party/activities");
    assert_eq!(
        tclerk.post_raw(&action, &[("csrf_token", &token)]).status,
        404
    );
    assert_eq!(photo("CAST(id AS TEXT)").len(), 2);
    // The secretary removes the first photo: row, both files and one from the count gone.
    let r = secretary.submit(&shown, &action, &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), format!("{shown}#photos"));
    assert_eq!(photo("CAST(id AS TEXT)"), vec![ids[1].clone()]);
    assert_eq!(app.count(&count), 1);
    for (k, gone) in keys.iter().zip([true, false, true, false]) {
        assert_eq!(!uploads.join(k).exists(), gone, "{k}");
    }
    let after = secretary.get(&shown);
    assert!(after.text(".flash").contains("照片已删除"));
    assert_eq!(after.texts("#photos img").len(), 1);
    assert_eq!(
        secretary
            .get(&format!("/party/activities/{aid}/photos/{first}"))
            .status,
        404
    );
    // Who removed which photo is audited.
    let audit = app.strings(&format!(
        "SELECT actor_name || '|' || before_json AS s FROM audit_log \
         WHERE entity = 'party_activity' AND action = 'delete_photo' AND entity_id = {aid}"
    ));
    assert_eq!(audit.len(), 1);
    assert!(audit[0].starts_with("secretary|"), "{}", audit[0]);
    assert!(audit[0].contains(&keys[0]), "{}", audit[0]);
    // A second click: back to the activity with a word, nothing else removed or audited.
    let token = secretary.csrf(&shown);
    let again = secretary.post_raw(&action, &[("csrf_token", &token)]);
    assert_eq!(again.status, 303);
    assert_eq!(again.location(), format!("{shown}#photos"));
    assert!(secretary.get(&shown).text(".flash").contains("此前已删除"));
    assert_eq!(app.count(&count), 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'delete_photo' AND entity_id = {aid}"
        )),
        1
    );
}

#[test]
fn only_who_may_edit_the_activity_removes_its_photos() {
    let app = spawn_app();
    let _ = branch_with_members(&app);
    let clerk = app.login("clerk");
    let second = branch(&app, &clerk, "工人路社区第二党支部", "工人路社区");
    app.exec(&format!(
        "UPDATE party_branches SET secretary_user_id = NULL WHERE id = {second}"
    ));
    let day = local_today().to_string();
    let page = format!("/party/branches/{second}/activities/new");
    let f = new_fields(
        &clerk,
        &page,
        second,
        &[("kind", "study"), ("title", "学习会"), ("day", &day)],
    );
    let r = clerk.multipart(
        &format!("/party/branches/{second}/activities"),
        &f,
        &[("photos", "a.png", "image/png", &png())],
    );
    let aid = id_after(&r, "/party/activities/");
    let pid = app.count(&format!(
        "SELECT CAST(MAX(id) AS BIGINT) AS n FROM party_activity_photos WHERE activity_id = {aid}"
    ));
    let action = format!("/party/activities/{aid}/photos/{pid}/delete");
    // The secretary of another branch in the community sees the activity, without the button,
    // and cannot remove its photo.
    let secretary = app.login("secretary");
    let shown = secretary.get(&format!("/party/activities/{aid}"));
    assert_eq!(shown.status, 200);
    assert!(!shown.has(&format!("form[action=\"{action}\"]")));
    let token = secretary.csrf(&format!("/party/activities/{aid}"));
    assert_eq!(
        secretary
            .post_raw(&action, &[("csrf_token", &token)])
            .status,
        403
    );
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(photos AS BIGINT) AS n FROM party_activities WHERE id = {aid}"
        )),
        1
    );
}

#[test]
fn the_branch_member_and_pairing_forms_post_to_the_record_and_the_old_edit_address_redirects() {
    let app = spawn_app();
    let id = branch_with_members(&app);
    let clerk = app.login("clerk");
    let member = member_id(&app, id, "王建华");
    let pid = pair(&clerk, id, member, "李大娘家");
    let branch = format!("/party/branches/{id}");
    let member = format!("/party/branches/{id}/members/{member}");
    let pairing = pairing_url(id, pid);
    for (record, field, value) in [
        (&branch, "secretary", "甲书记"),
        (&member, "building_group", "3 号楼楼组"),
        (&pairing, "household", "李大娘家（西院）"),
    ] {
        let page = format!("{record}/edit");
        let seen = clerk.get(&page);
        assert_eq!(seen.status, 200, "{page}");
        assert!(seen.has(&format!("form[action=\"{record}\"]")), "{page}");
        // A page opened before the move posts to …/edit: 308 (not 303), so the browser repeats
        // the same POST with the same fields at the record's address.
        let mut f = form_fields(&seen, record);
        f.retain(|(k, _)| k != field);
        f.push((field.to_string(), value.to_string()));
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = clerk.post_raw(&page, &pairs);
        assert_eq!((r.status, r.location()), (308, record.as_str()), "{page}");
        let r = clerk.post_raw(r.location(), &pairs);
        assert_eq!(r.status, 303, "{page}: {}", r.body);
        assert_eq!(
            clerk.get(&page).value(&format!("#f-{field}")).as_deref(),
            Some(value)
        );
    }
}
