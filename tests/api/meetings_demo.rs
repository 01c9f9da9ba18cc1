//! The demo's meetings through the HTTP layer: the admin's list shows them, every meeting's kept
//! counts equal its rows, a finalized meeting's page shows its agenda, and every decision on an
//! issue's timeline comes from an agenda item.

use crate::helpers::*;

fn meeting_count(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) AS n FROM meetings")
}

#[test]
fn the_admin_lists_the_demo_meetings() {
    let app = spawn_app();
    assert!(meeting_count(&app) > 0, "the demo holds meetings");
    // Every kind: a district's list opens on the weekly meetings.
    let r = app.login("admin").get("/meetings?kind=all");
    assert_eq!(r.status, 200);
    let doc = r.doc();
    let sel = scraper::Selector::parse("tbody tr[data-id]").unwrap();
    let ids: Vec<String> = doc
        .select(&sel)
        .filter_map(|e| e.value().attr("data-id").map(String::from))
        .collect();
    assert!(!ids.is_empty(), "the list shows meetings");
    let listed = app.count(&format!(
        "SELECT COUNT(*) AS n FROM meetings WHERE id IN ({})",
        ids.join(",")
    ));
    assert_eq!(listed, ids.len() as i64, "every row is a stored meeting");
    // Newest first: today's meetings (held, or drafts later than now) lead the list.
    let newest = app.strings("SELECT CAST(MAX(day) AS TEXT) AS s FROM meetings");
    assert!(
        r.body.contains(&newest[0]),
        "the latest day {newest:?} is on page one"
    );
}

#[test]
fn every_demo_meeting_keeps_the_counts_of_its_rows() {
    let db = test_db();
    let wrong = db.count(
        "SELECT COUNT(*) AS n FROM meetings m WHERE \
         m.expected <> (SELECT COUNT(*) FROM meeting_people p WHERE p.meeting_id = m.id) \
         OR m.present <> (SELECT COUNT(*) FROM meeting_people p WHERE p.meeting_id = m.id \
             AND p.attendance = 'present') \
         OR m.items <> (SELECT COUNT(*) FROM meeting_items i WHERE i.meeting_id = m.id \
             AND i.removed = FALSE) \
         OR m.decided <> (SELECT COUNT(*) FROM meeting_items i WHERE i.meeting_id = m.id \
             AND i.removed = FALSE AND i.decided_at IS NOT NULL)",
    );
    assert_eq!(
        wrong, 0,
        "meetings whose kept counts differ from their rows"
    );
    // Not vacuous: there are attendees, agendas and decisions to count.
    for (what, sql) in [
        (
            "present",
            "SELECT COALESCE(SUM(present), 0) AS n FROM meetings",
        ),
        ("items", "SELECT COALESCE(SUM(items), 0) AS n FROM meetings"),
        (
            "decided",
            "SELECT COALESCE(SUM(decided), 0) AS n FROM meetings",
        ),
    ] {
        assert!(db.count(sql) > 0, "the demo has {what}");
    }
    // Past meetings are finalized, and only they and today's are held.
    let stray = db.count(&format!(
        "SELECT COUNT(*) AS n FROM meetings WHERE \
         (day < '{today}' AND (state <> 'final' OR finalized_at IS NULL OR held_at IS NULL)) \
         OR (state = 'draft' AND (held_at IS NOT NULL OR decided > 0))",
        today = local_today()
    ));
    assert_eq!(stray, 0, "meetings in the wrong state for their day");
}

#[test]
fn a_finalized_demo_meeting_shows_its_agenda() {
    let app = spawn_app();
    let id = app.count(
        "SELECT CAST(id AS BIGINT) AS n FROM meetings WHERE state = 'final' AND decided > 0 \
         ORDER BY items DESC, id LIMIT 1",
    );
    let admin = app.login("admin");
    let r = admin.get(&format!("/meetings/{id}"));
    assert_eq!(r.status, 200);
    assert_eq!(r.text("#meeting-state"), "纪要已定稿");
    let titles = app.strings(&format!(
        "SELECT title AS s FROM meeting_items WHERE meeting_id = {id} ORDER BY position"
    ));
    assert_eq!(r.texts("tr.agenda-item .item-title"), titles);
    // A decided item's page shows its decision.
    let item = app.count(&format!(
        "SELECT CAST(MIN(id) AS BIGINT) AS n FROM meeting_items WHERE meeting_id = {id} \
         AND decided_at IS NOT NULL"
    ));
    let solution = app.strings(&format!(
        "SELECT solution AS s FROM meeting_items WHERE id = {item}"
    ));
    let page = admin.get(&format!("/meetings/{id}/items/{item}"));
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(&solution[0]),
        "the item page shows its solution"
    );
}

#[test]
fn every_meeting_decision_on_an_issue_comes_from_an_agenda_item() {
    let app = spawn_app();
    let events = app.count("SELECT COUNT(*) AS n FROM issue_events WHERE action = 'meeting'");
    assert!(events > 0, "the demo writes decisions to issues");
    let orphans = app.count(
        "SELECT COUNT(*) AS n FROM issue_events e WHERE e.action = 'meeting' AND NOT EXISTS \
         (SELECT 1 FROM meeting_items i WHERE i.issue_id = e.issue_id \
          AND i.solution = e.note AND i.decided_at = e.created_at)",
    );
    assert_eq!(orphans, 0, "meeting events without their decided item");
    let decided = app.count(
        "SELECT COUNT(*) AS n FROM meeting_items \
         WHERE issue_id IS NOT NULL AND decided_at IS NOT NULL",
    );
    assert_eq!(
        decided, events,
        "one timeline entry per decision on an issue"
    );
    // The issue's page shows the decision on its timeline.
    let issue = app.count(
        "SELECT CAST(MIN(issue_id) AS BIGINT) AS n FROM issue_events WHERE action = 'meeting'",
    );
    let note = app.strings(&format!(
        "SELECT note AS s FROM issue_events WHERE action = 'meeting' AND issue_id = {issue} \
         ORDER BY id LIMIT 1"
    ));
    let r = app.login("admin").get(&format!("/issues/{issue}"));
    assert_eq!(r.status, 200);
    assert!(r.body.contains(&note[0]), "the timeline shows the decision");
    // The demo's timelines name the meeting in the reader's language too.
    let c = app.login("admin");
    c.set_lang("en");
    let r = c.get(&format!("/issues/{issue}"));
    let details = r.texts("ol.timeline .detail").join(" | ");
    assert!(!details.is_empty() && !r.body.contains("⟦"));
    assert!(
        !details.contains("日碰头") && !details.contains("周例会"),
        "{details}"
    );
}
