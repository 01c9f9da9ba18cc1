//! The meeting record form (issue 15): the attendee table folded behind its counts, the chair and
//! recorder picked by name, a warning when the chair is marked absent.

use crate::helpers::*;
use crate::meetings::create;

/// A fresh weekly meeting of 工人路社区 by its clerk: the clerk, the meeting and the id of its
/// first attendee with their name.
fn meeting(app: &TestApp) -> (Client, i32, i32, String) {
    app.clear_meetings();
    let clerk = app.login("cclerk");
    let id = create(
        &clerk,
        app.org_id("工人路社区"),
        "weekly",
        &local_today().to_string(),
    );
    let person = app.count(&format!(
        "SELECT CAST(MIN(id) AS BIGINT) AS n FROM meeting_people WHERE meeting_id = {id} \
         AND user_id IS NOT NULL"
    ));
    let name = app.strings(&format!(
        "SELECT name AS s FROM meeting_people WHERE id = {person}"
    ))[0]
        .clone();
    (clerk, id, person as i32, name)
}

#[test]
fn the_attendee_table_folds_behind_its_counts_and_opens_on_a_message() {
    let app = spawn_app();
    let (clerk, id, person, _) = meeting(&app);
    let page = format!("/meetings/{id}/record");
    let n = app.count(&format!(
        "SELECT COUNT(*) AS n FROM meeting_people WHERE meeting_id = {id}"
    ));
    let form = clerk.get(&page);
    assert!(form.has("details#attendees table.attendance"));
    assert!(!form.has("details#attendees[open]"), "folded by default");
    assert_eq!(
        form.text("#attendance-summary"),
        format!("共 {n} 人：出席 0，缺席 0，请假 0，未登记 {n}")
    );
    // Marked as typed; an absence without a reason opens the table at its message.
    let att = format!("att_{person}");
    let bad = clerk.submit(&page, &page, &[(&att, "absent")]);
    assert_eq!(bad.status, 422);
    assert!(bad.has("details#attendees[open]"));
    assert!(bad.text("#attendance-summary").contains("缺席 1"));
}

#[test]
fn chair_and_recorder_are_picked_from_staff_and_an_absent_chair_is_flagged() {
    let app = spawn_app();
    let (clerk, id, person, name) = meeting(&app);
    let page = format!("/meetings/{id}/record");
    let form = clerk.get(&page);
    // Selects of names, the staff attendees among them; the typed name stays chosen.
    assert!(form.has("select#f-chair[required]") && form.has("select#f-recorder[required]"));
    let chairs = form.texts("select#f-chair option");
    assert!(chairs.contains(&name), "{chairs:?}");
    assert_eq!(form.text("select#f-chair option[selected]"), "李建国");
    // A name stored before the select (or a guest's) is kept and saves unchanged.
    app.exec(&format!(
        "UPDATE meetings SET chair = '老主任' WHERE id = {id}"
    ));
    let form = clerk.get(&page);
    assert_eq!(form.text("select#f-chair option[selected]"), "老主任");
    let same = clerk.post_raw(&page, &pairs(&form_fields(&form, &page)));
    assert_eq!(same.status, 303, "{}", same.body);
    assert_eq!(
        app.strings(&format!("SELECT chair AS s FROM meetings WHERE id = {id}")),
        ["老主任"]
    );
    assert!(!clerk.get(&format!("/meetings/{id}")).has("#chair-absent"));
    // The chair marked absent: saved, with a warning beside the field and on the meeting.
    let (att, reason) = (format!("att_{person}"), format!("absence_{person}"));
    let r = clerk.submit(
        &page,
        &page,
        &[("chair", &name), (&att, "absent"), (&reason, "外出开会")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = clerk.get(&format!("/meetings/{id}"));
    assert!(shown.text("#chair-absent").contains("主持人被登记为缺席"));
    let again = clerk.get(&page);
    assert!(again.text("#w-chair").contains("主持人被登记为缺席"));
    assert_eq!(
        again.attrs("select#f-chair", "aria-describedby"),
        ["w-chair"]
    );
    // Present again: no warning.
    let r = clerk.submit(&page, &page, &[(&att, "present"), (&reason, "")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(!clerk.get(&page).has("#w-chair"));
    assert!(!clerk.get(&format!("/meetings/{id}")).has("#chair-absent"));
}
