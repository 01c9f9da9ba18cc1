//! The demo's party building through the HTTP layer and the store: 林山寨街道's branches as the
//! seed report counts them, its five demonstration sites, kept counts equal to their rows, the
//! demo secretary keeping 工人路社区党支部, a summary that judges only the months and quarters
//! over (most branches meet the standard), and visits to most, not all, members in difficulty.

use chrono::Datelike;

use crate::helpers::*;

const LSZ_BRANCHES: &str = "SELECT COUNT(*) AS n FROM party_branches b \
    JOIN org_units u ON u.id = b.unit_id \
    JOIN org_units s ON s.kind = 'street' AND s.name = '林山寨街道' \
        AND (u.id = s.id OR u.parent_id = s.id)";

#[test]
fn linshanzhai_has_the_seeds_branches_and_demonstration_sites() {
    let db = test_db();
    let count = |extra: &str| db.count(&format!("{LSZ_BRANCHES} {extra}"));
    assert_eq!(count("WHERE b.kind IN ('community', 'village')"), 15);
    assert_eq!(count("WHERE b.kind = 'enterprise'"), 11);
    assert_eq!(count("WHERE b.kind = 'agency'"), 1);
    let mut sites = db.strings(
        "SELECT b.name AS s FROM party_branches b JOIN org_units u ON u.id = b.unit_id \
         JOIN org_units s ON s.kind = 'street' AND s.name = '林山寨街道' \
             AND (u.id = s.id OR u.parent_id = s.id) \
         WHERE b.demo_site = TRUE AND b.demo_criteria <> '' AND b.demo_evidence <> '' \
             AND b.demo_reviewed_on IS NOT NULL",
    );
    sites.sort();
    let mut seed: Vec<String> = [
        "郑州日报社区",
        "工人路社区",
        "林山寨村",
        "林山寨社区服务中心",
        "郑州有害生物防制协会",
    ]
    .iter()
    .map(|s| format!("{s}党支部"))
    .collect();
    seed.sort();
    assert_eq!(sites, seed);
}

#[test]
fn the_demos_kept_party_counts_equal_their_rows() {
    let db = test_db();
    let members = db.count(
        "SELECT COUNT(*) AS n FROM party_branches b WHERE b.members <> \
         (SELECT COUNT(*) FROM party_members m WHERE m.branch_id = b.id AND m.active = TRUE)",
    );
    assert_eq!(
        members, 0,
        "branches whose member count differs from their rows"
    );
    let attendance = db.count(
        "SELECT COUNT(*) AS n FROM party_activities a WHERE \
         a.expected <> (SELECT COUNT(*) FROM party_attendance t WHERE t.activity_id = a.id) \
         OR a.present <> (SELECT COUNT(*) FROM party_attendance t WHERE t.activity_id = a.id \
             AND t.attendance = 'present')",
    );
    assert_eq!(
        attendance, 0,
        "activities whose counts differ from their attendance"
    );
    let last = db.count(
        "SELECT COUNT(*) AS n FROM party_branches b WHERE \
         COALESCE(b.last_activity, '1900-01-01') <> COALESCE((SELECT MAX(a.day) \
             FROM party_activities a WHERE a.branch_id = b.id), '1900-01-01')",
    );
    assert_eq!(
        last, 0,
        "branches whose last activity is not their latest day"
    );
    // Not vacuous, even in the tests' week: every branch that is not silent did something.
    assert!(db.count("SELECT COALESCE(SUM(present), 0) AS n FROM party_activities") > 0);
    let idle = db.count("SELECT COUNT(*) AS n FROM party_branches WHERE last_activity IS NULL");
    let all = db.count("SELECT COUNT(*) AS n FROM party_branches");
    assert!(idle <= 6 && all >= 51, "{idle} of {all} branches idle");
    assert!(db.count("SELECT COUNT(*) AS n FROM party_opinions") > 0);
}

#[test]
fn the_admin_lists_gongrenlu_branch_kept_by_the_demo_secretary() {
    let app = spawn_app();
    let list = app.login("admin").get("/party");
    assert_eq!(list.status, 200);
    assert!(list.text("table.branches").contains("工人路社区党支部"));
    let id = app.count(
        "SELECT CAST(b.id AS BIGINT) AS n FROM party_branches b \
         JOIN users u ON u.id = b.secretary_user_id \
         WHERE b.name = '工人路社区党支部' AND u.username = 'secretary'",
    );
    // The secretary keeps its members.
    let secretary = app.login("secretary");
    assert_eq!(
        secretary
            .get(&format!("/party/branches/{id}/members/new"))
            .status,
        200
    );
}

/// The demo's 林山寨街道 summary (the street clerk's: one line per branch), for the year its
/// window begins in.
fn lsz_summary(app: &TestApp) -> (Resp, bool) {
    let today = local_today();
    let start = today - chrono::Duration::days(7);
    // The window (the tests' week) reaches into a month that is over by today.
    let judged = (start.year(), start.month()) != (today.year(), today.month());
    let r = app
        .login("clerk")
        .get(&format!("/party/summary?year={}", start.year()));
    assert_eq!(r.status, 200, "{}", r.body);
    (r, judged)
}

#[test]
fn the_demo_summary_judges_only_periods_that_are_over() {
    let app = spawn_app();
    let (r, judged) = lsz_summary(&app);
    let rows = r.texts("#three-one tr[data-branch] td.met");
    let failed = r
        .texts("#three-one tr[data-branch] td.met .tag.overdue")
        .len();
    let met = r.texts("#three-one tr[data-branch] td.met .tag.yes").len();
    assert!(rows.len() >= 27, "{rows:?}");
    assert!(failed < rows.len(), "every branch reads 否: {rows:?}");
    if judged {
        // The month the window begins in is over: most branches held its meetings.
        assert!(
            met * 2 > rows.len(),
            "{met} of {} meet: {rows:?}",
            rows.len()
        );
        let card = r.text("#sum-three-one");
        assert_eq!(
            card.split('/').next(),
            Some(met.to_string().as_str()),
            "{card}"
        );
    } else {
        // Nothing is over yet: no branch is judged, none reads 否.
        assert_eq!((failed, met), (0, 0), "{rows:?}");
    }
    // The period under way is shown with what was held so far, never as due.
    assert!(r.has("#three-one td[data-kind=\"committee\"] .current"));
}

#[test]
fn the_demo_visits_most_members_in_difficulty() {
    let app = spawn_app();
    let today = local_today();
    let r = app
        .login("admin")
        .get(&format!("/party/summary?year={}", today.year()));
    assert_eq!(r.status, 200, "{}", r.body);
    let card = |css: &str| -> i64 { r.text(css).trim().parse().unwrap() };
    let in_difficulty = app.count(
        "SELECT COUNT(*) AS n FROM party_members m JOIN party_branches b ON b.id = m.branch_id \
         WHERE m.active = TRUE AND m.difficulty <> '' AND b.active = TRUE",
    );
    let (visits, unvisited) = (card("#sum-visits"), card("#sum-unvisited"));
    assert!(visits > 0, "no visits");
    assert!(
        unvisited > 0 && unvisited * 2 < in_difficulty,
        "{unvisited} of {in_difficulty} members in difficulty not visited"
    );
    // The visits are the members' own: named on the record, in difficulty.
    assert!(
        app.count(
            "SELECT COUNT(*) AS n FROM party_activities a \
             JOIN party_members m ON m.id = a.visited_member_id \
             WHERE a.kind = 'visit' AND a.visited = m.name AND m.difficulty <> ''"
        ) > 0
    );
    // 绿东村街道's first secretaries, as the seed counts them (the report names twelve).
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM party_branches b JOIN org_units u ON u.id = b.unit_id \
             JOIN org_units s ON s.id = u.parent_id \
             WHERE s.name = '绿东村街道' AND b.first_secretary <> ''"
        ),
        12
    );
}
