//! Two app servers on one database, as a district or city deploys them behind a load balancer
//! (issue 22 §4): sessions, kept pages, conflicting edits and issue numbers hold across them.
//! Runs on SQLite (two pools on one file) and, in CI, on PostgreSQL.

use crate::helpers::*;
use crate::issues::report;

/// The number on the cockpit's card `id`.
fn card(page: &Resp, id: &str) -> i64 {
    let t = page.text(&format!("#{id} strong"));
    t.parse().unwrap_or_else(|_| panic!("#{id}: {t:?}"))
}

/// The to-do badge in the navigation (0 when none shows).
fn badge(page: &Resp) -> i64 {
    page.texts("nav .badge")
        .first()
        .map_or(0, |t| t.parse().unwrap())
}

#[test]
fn a_session_made_on_one_server_works_on_the_other_and_ends_on_both() {
    let app = spawn_app();
    let b = app.second_server();
    // Logged in through A, recognised by B.
    let leader = app.login("leader");
    let page = leader.on(b.addr).get("/");
    assert_eq!(page.status, 200, "{}", page.location());
    assert!(
        page.has("#tile-issues"),
        "the leader's cockpit, served by B"
    );
    // Logging out on A ends the session on B.
    let worker = app.login("worker");
    assert_eq!(worker.on(b.addr).get("/").status, 200);
    assert_eq!(worker.submit("/", "/logout", &[]).status, 303);
    let r = worker.on(b.addr).get("/");
    assert_eq!((r.status, r.location()), (303, "/login"));
    // Deactivating an account on B ends its session on A.
    let cclerk = app.login("cclerk");
    let id = app.user_id("cclerk");
    let admin = app.login("admin").on(b.addr);
    let r = admin.submit(
        &format!("/users/{id}/edit"),
        &format!("/users/{id}/deactivate"),
        &[],
    );
    assert_eq!(r.status, 303);
    assert_eq!(cclerk.get("/").status, 303, "deactivated through B");
}

#[test]
fn every_kept_page_on_one_server_shows_a_write_made_through_the_other() {
    let app = spawn_app();
    let b = app.second_server();
    let on_b = |c: &Client| c.on(b.addr);
    let (leader, clerk) = (on_b(&app.login("leader")), on_b(&app.login("clerk")));
    app.clear_patrols();
    // B reads (and keeps) the cockpit, the clerk's to-dos and the coverage first.
    let cockpit = leader.get("/");
    let todos = badge(&clerk.get("/issues"));
    let coverage = leader.get("/patrols/coverage").text("#cov-today");
    assert!(coverage.starts_with("0/"), "{coverage}");
    // A grid worker reports an issue and logs "nothing to report" through A.
    let worker = app.login("worker");
    report(&worker, "两台服务器：人行道占道经营");
    let home = worker.get("/");
    let f = form_fields(&home, "/patrols/quick");
    assert_eq!(worker.post_raw("/patrols/quick", &pairs(&f)).status, 303);
    // B shows both on its next request.
    let after = leader.get("/");
    assert_eq!(card(&after, "c-today"), card(&cockpit, "c-today") + 1);
    assert_eq!(card(&after, "c-open"), card(&cockpit, "c-open") + 1);
    assert_eq!(
        badge(&clerk.get("/issues")),
        todos + 1,
        "a report to register"
    );
    let coverage = leader.get("/patrols/coverage").text("#cov-today");
    assert!(coverage.starts_with("1/"), "{coverage}");
}

#[test]
fn conflicting_edits_through_both_servers_one_wins_the_other_gets_409() {
    let app = spawn_app();
    let b = app.second_server();
    let id = app.org_id("工人路社区");
    let page = format!("/org/{id}/edit");
    let (on_a, on_b) = (app.login("admin"), app.login("admin").on(b.addr));
    // Both open the form at the same version, then save at the same moment.
    let fields = |c: &Client, name: &str| {
        let mut f = form_fields(&c.get(&page), &format!("/org/{id}"));
        f.retain(|(k, _)| k != "name");
        f.push(("name".into(), name.into()));
        f
    };
    let (fa, fb) = (
        fields(&on_a, "工人路社区（甲）"),
        fields(&on_b, "工人路社区（乙）"),
    );
    let target = format!("/org/{id}");
    let statuses = std::thread::scope(|s| {
        let a = s.spawn(|| on_a.post_raw(&target, &pairs(&fa)).status);
        let b = s.spawn(|| on_b.post_raw(&target, &pairs(&fb)).status);
        let mut v = [a.join().unwrap(), b.join().unwrap()];
        v.sort();
        v
    });
    assert_eq!(statuses, [303, 409]);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM org_units WHERE id = {id} AND name IN \
             ('工人路社区（甲）', '工人路社区（乙）')"
        )),
        1
    );
}

#[test]
fn concurrent_reports_through_both_servers_never_share_an_issue_number() {
    let app = spawn_app();
    let b = app.second_server();
    let before = app.count("SELECT COUNT(*) AS n FROM issues");
    let clients: Vec<Client> = (0..4)
        .map(|k| {
            let c = app.login("worker");
            if k % 2 == 1 { c.on(b.addr) } else { c }
        })
        .collect();
    const EACH: usize = 5;
    std::thread::scope(|s| {
        for (k, c) in clients.iter().enumerate() {
            s.spawn(move || {
                for i in 0..EACH {
                    report(c, &format!("并发上报 {k}-{i}"));
                }
            });
        }
    });
    let after = app.count("SELECT COUNT(*) AS n FROM issues");
    assert_eq!(after - before, (4 * EACH) as i64);
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT number) AS n FROM issues"),
        after,
        "every number once"
    );
}
