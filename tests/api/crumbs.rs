//! Breadcrumbs: issue, meeting, patrol-log and party pages show where they sit, drawn by the one
//! macro the org pages use; a unit above the user's scope is plain text, never a link.

use crate::helpers::*;
use crate::issues::report;

/// (every step's text, the links' texts, the links' targets) of the page's trail.
fn trail(r: &Resp) -> (Vec<String>, Vec<String>, Vec<String>) {
    assert_eq!(r.status, 200, "{}", r.body);
    let steps = r
        .text("nav.crumbs")
        .split('›')
        .map(|s| s.trim().to_string())
        .collect();
    (
        steps,
        r.texts("nav.crumbs a"),
        r.attrs("nav.crumbs a", "href"),
    )
}

fn id_of(app: &TestApp, sql: &str) -> i32 {
    app.count(&format!("SELECT CAST(id AS BIGINT) AS n FROM {sql}")) as i32
}

#[test]
fn an_issue_and_a_patrol_log_sit_in_street_community_grid_linked_only_inside_the_scope() {
    let app = spawn_app();
    let district = app
        .strings("SELECT name AS s FROM org_units WHERE depth = 0")
        .remove(0);
    let (street, community, grid) = ("林山寨街道", "工人路社区", "工人路社区第1网格");
    let ids = [street, community, grid].map(|n| format!("/org/{}", app.org_id(n)));
    let worker = app.login("worker");
    let issue = format!("/issues/{}", report(&worker, "井盖缺失"));
    let patrol = format!(
        "/patrols/{}",
        id_of(
            &app,
            &format!(
                "patrols WHERE grid_id = {} ORDER BY id LIMIT 1",
                app.org_id(grid)
            )
        )
    );
    for page in [&issue, &patrol] {
        // The street leader opens the street, the community and the grid, not the district.
        let (steps, links, hrefs) = trail(&app.login("leader").get(page));
        assert_eq!(
            steps,
            [district.as_str(), street, community, grid],
            "{page}"
        );
        assert_eq!(links, [street, community, grid], "{page}");
        assert_eq!(hrefs, ids, "{page}");
        // The grid worker sees where the grid sits but opens only the grid.
        let (steps, links, hrefs) = trail(&worker.get(page));
        assert_eq!(
            steps,
            [district.as_str(), street, community, grid],
            "{page}"
        );
        assert_eq!(links, [grid], "{page}");
        assert_eq!(hrefs, [ids[2].clone()], "{page}");
    }
}

#[test]
fn a_meeting_sits_in_its_unit_and_party_pages_under_the_party_and_the_branch() {
    let app = spawn_app();
    let community = app.org_id("工人路社区");
    let meeting = id_of(
        &app,
        &format!("meetings WHERE unit_id = {community} LIMIT 1"),
    );
    let cclerk = app.login("cclerk");
    let (_, links, hrefs) = trail(&cclerk.get(&format!("/meetings/{meeting}")));
    assert_eq!(links, ["工人路社区"]);
    assert_eq!(hrefs, [format!("/org/{community}")]);
    // The record form adds the meeting.
    let (_, links, hrefs) = trail(&cclerk.get(&format!("/meetings/{meeting}/record")));
    assert_eq!(links.len(), 2, "{links:?}");
    assert_eq!(links[0], "工人路社区");
    assert_eq!(hrefs[1], format!("/meetings/{meeting}"));
    let leader = app.login("leader");
    let branch = id_of(&app, "party_branches WHERE name = '工人路社区党支部'");
    let activity = id_of(
        &app,
        &format!("party_activities WHERE branch_id = {branch} LIMIT 1"),
    );
    let to_branch = ["/party".to_string(), format!("/party/branches/{branch}")];
    for page in [
        format!("/party/activities/{activity}"),
        format!("/party/branches/{branch}/members/new"),
        format!("/party/branches/{branch}/activities/new"),
    ] {
        let (steps, _, hrefs) = trail(&leader.get(&page));
        assert_eq!(steps, ["党建", "工人路社区党支部"], "{page}");
        assert_eq!(hrefs, to_branch, "{page}");
    }
    // Editing a record adds the record, named by its title.
    let title = app.strings(&format!(
        "SELECT title AS s FROM party_activities WHERE id = {activity}"
    ));
    let (steps, _, hrefs) = trail(&leader.get(&format!("/party/activities/{activity}/edit")));
    assert_eq!(steps, ["党建", "工人路社区党支部", title[0].as_str()]);
    assert_eq!(hrefs[2], format!("/party/activities/{activity}"));
    let (steps, _, _) = trail(&leader.get(&format!("/party/branches/{branch}")));
    assert_eq!(steps, ["党建"]);
    // The org pages draw theirs with the same macro.
    let (_, links, _) = trail(&leader.get(&format!("/org/{community}")));
    assert_eq!(links, ["林山寨街道", "工人路社区"]);
}
