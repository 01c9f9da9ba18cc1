//! The leader's cockpit (issue 16): every tile's number equals a raw recount over the demo data
//! (SQL here, or the total of the list page the tile links to), the cockpit is the user's own
//! unit's, an issue re-decided at every huddle stays overdue against its own deadline, and the
//! weekly brief prints with the print frame.

use chrono::{Datelike, Duration, NaiveDate};

use crate::helpers::*;

const STREET: &str = "林山寨街道";
const COMMUNITY: &str = "工人路社区";

/// Raw counts over a unit's subtree, in the office's time zone (UTC+8).
struct Raw<'a> {
    app: &'a TestApp,
    path: String,
    today: NaiveDate,
    now: String,
}

impl<'a> Raw<'a> {
    fn new(app: &'a TestApp, unit: &str) -> Raw<'a> {
        let id = app.org_id(unit);
        let path =
            app.strings(&format!("SELECT path AS s FROM org_units WHERE id = {id}"))[0].clone();
        let now = chrono::Utc::now().naive_utc();
        Raw {
            app,
            path,
            today: local_today(),
            now: now.format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
        }
    }

    /// Midnight of a local day, in UTC.
    fn start(d: NaiveDate) -> String {
        format!("{} 16:00:00", d - Duration::days(1))
    }

    fn issues(&self, cond: &str) -> i64 {
        self.app.count(&format!(
            "SELECT COUNT(*) AS n FROM issues WHERE scope_path LIKE '{}%' AND {cond}",
            self.path
        ))
    }

    /// Reported on the local days `from..=to`.
    fn reported(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        self.issues(&format!(
            "reported_at >= '{}' AND reported_at < '{}'",
            Self::start(from),
            Self::start(to + Duration::days(1))
        ))
    }

    fn overdue(&self) -> i64 {
        self.issues(&format!(
            "state IN ('dispatched', 'handling', 'returned') AND deadline < '{}'",
            self.now
        ))
    }

    fn monday(&self) -> NaiveDate {
        self.today - Duration::days(self.today.weekday().num_days_from_monday() as i64)
    }

    /// The latest decision of each open issue, overdue against its own deadline or the issue's.
    fn overdue_decisions(&self) -> i64 {
        let p = &self.path;
        self.app.count(&format!(
            "SELECT COUNT(*) AS n FROM issues i \
             JOIN meeting_items mi ON mi.id = (SELECT MAX(x.id) FROM meeting_items x \
               WHERE x.issue_id = i.id AND x.removed = FALSE AND x.deadline IS NOT NULL) \
             JOIN meetings m ON m.id = mi.meeting_id \
             WHERE i.state NOT IN ('closed', 'rejected', 'cancelled') AND i.scope_path LIKE '{p}%' \
             AND m.state <> 'draft' AND m.scope_path LIKE '{p}%' \
             AND (mi.deadline < '{today}' OR (i.state IN ('dispatched', 'handling', 'returned') \
               AND i.deadline < '{now}'))",
            today = self.today,
            now = self.now
        ))
    }
}

/// A card's number ("12", or "3/51" read as both parts).
fn card(page: &Resp, id: &str) -> String {
    page.text(&format!("#{id} strong")).trim().to_string()
}

/// A card's whole text (its number, label and comparison).
fn card_text(page: &Resp, id: &str) -> String {
    page.text(&format!("#{id}"))
}

fn n(page: &Resp, id: &str) -> i64 {
    card(page, id)
        .parse()
        .unwrap_or_else(|_| panic!("#{id}: {:?}", card(page, id)))
}

/// A rate as the cockpit prints it.
fn rate(num: i64, den: i64) -> String {
    if den == 0 {
        "—".into()
    } else {
        format!("{:.1}%", num as f64 * 100.0 / den as f64)
    }
}

#[test]
fn every_tile_of_the_street_leader_equals_a_recount() {
    let app = spawn_app();
    let leader = app.login("leader");
    let page = leader.get("/");
    assert_eq!(page.status, 200);
    assert!(
        page.has("#tile-issues") && page.has("#tile-ranking"),
        "the cockpit"
    );
    let raw = Raw::new(&app, STREET);
    let (today, monday) = (raw.today, raw.monday());
    // Issues.
    assert_eq!(n(&page, "c-today"), raw.reported(today, today));
    assert_eq!(n(&page, "c-week"), raw.reported(monday, today));
    assert!(
        page.text("#c-week .vs").contains(
            &raw.reported(monday - Duration::days(7), today - Duration::days(7))
                .to_string()
        )
    );
    let first = today.with_day(1).unwrap();
    assert_eq!(n(&page, "c-month"), raw.reported(first, today));
    assert_eq!(
        n(&page, "c-open"),
        raw.issues("state NOT IN ('closed', 'rejected', 'cancelled')")
    );
    // 在办 opens the list of every open issue, and only those.
    let open_href = page.attrs("#c-open", "href");
    assert_eq!(open_href, ["/issues?state=open"]);
    let open_list = leader.get(&open_href[0]);
    let states = open_list.attrs("tbody td span.state", "class");
    assert!(!states.is_empty());
    for s in &states {
        assert!(
            !["s-closed", "s-rejected", "s-cancelled"]
                .iter()
                .any(|e| s.ends_with(e)),
            "{s} is not open"
        );
    }
    let overdue = raw.overdue();
    assert!(overdue > 0, "the demo street has overdue issues");
    assert_eq!(n(&page, "c-overdue"), overdue);
    let oldest = app.strings(&format!(
        "SELECT number AS s FROM issues WHERE scope_path LIKE '{}%' AND \
         state IN ('dispatched', 'handling', 'returned') AND deadline < '{}' \
         ORDER BY deadline, id LIMIT 1",
        raw.path, raw.now
    ));
    assert!(page.text("#oldest-overdue").contains(&oldest[0]));
    // The community with most overdue issues leads that line.
    let top = app.count(&format!(
        "SELECT CAST(MAX(c) AS BIGINT) AS n FROM (SELECT COUNT(*) AS c FROM issues i \
         JOIN org_units g ON g.id = i.grid_id JOIN org_units c ON c.id = g.parent_id \
         WHERE i.scope_path LIKE '{}%' AND i.state IN ('dispatched', 'handling', 'returned') \
         AND i.deadline < '{}' GROUP BY c.id) t",
        raw.path, raw.now
    ));
    let first_unit = page.texts("#most-overdue a")[0].clone();
    assert!(
        first_unit.ends_with(&format!(" {top}")),
        "{first_unit} vs {top}"
    );
    let month_start = Raw::start(first);
    let closed = raw.issues(&format!(
        "state = 'closed' AND closed_at >= '{month_start}'"
    ));
    let due_open = raw.issues(&format!(
        "state IN ('dispatched', 'handling', 'returned') AND deadline >= '{month_start}' \
         AND deadline < '{}'",
        raw.now
    ));
    assert_eq!(card(&page, "c-closure"), rate(closed, closed + due_open));
    let on_time = raw.issues(&format!(
        "state = 'closed' AND closed_at >= '{month_start}' AND handled_at IS NOT NULL \
         AND (deadline IS NULL OR handled_at <= deadline)"
    ));
    assert_eq!(card(&page, "c-on-time"), rate(on_time, closed + due_open));
    // Last month's: closed in it, and still open with a running clock due in it.
    let last_start = Raw::start(first - chrono::Months::new(1));
    let in_last = |col: &str| format!("{col} >= '{last_start}' AND {col} < '{month_start}'");
    let closed_last = raw.issues(&format!("state = 'closed' AND {}", in_last("closed_at")));
    let due_last = raw.issues(&format!(
        "state IN ('dispatched', 'handling', 'returned') AND {}",
        in_last("deadline")
    ));
    assert!(
        page.text("#c-closure .vs")
            .contains(&rate(closed_last, closed_last + due_last)),
        "{}",
        page.text("#c-closure .vs")
    );
    let me = app.user_id("leader");
    let approvals = raw.issues(&format!(
        "state = 'handling' AND pending <> '' AND pending_by <> {me} AND owner_unit_id IN \
         (SELECT id FROM org_units WHERE path LIKE '{}%')",
        raw.path
    ));
    assert_eq!(n(&page, "c-approvals"), approvals);
    // Patrols: today's grids by SQL, the rest against the coverage page's totals.
    let grids = app.count(&format!(
        "SELECT COUNT(*) AS n FROM org_units WHERE kind = 'grid' AND path LIKE '{}%'",
        raw.path
    ));
    let patrolled = app.count(&format!(
        "SELECT COUNT(DISTINCT p.grid_id) AS n FROM patrols p JOIN org_units g ON g.id = p.grid_id \
         WHERE g.path LIKE '{}%' AND p.day = '{today}'",
        raw.path
    ));
    assert_eq!(card(&page, "c-patrolled"), format!("{patrolled}/{grids}"));
    let cov = leader.get("/patrols/coverage");
    assert_eq!(card(&page, "c-full-week"), cov.text("#cov-week"));
    assert_eq!(card(&page, "c-idle"), cov.text("#cov-idle"));
    assert_eq!(card(&page, "c-sites"), cov.text("#cov-sites"));
    // Meetings: the weekly meetings held by SQL, the overdue decisions by SQL and on the week.
    let due = app.count(&format!(
        "SELECT COUNT(*) AS n FROM org_units WHERE kind IN ('street', 'community', 'village') \
         AND path LIKE '{}%'",
        raw.path
    ));
    let held = app.count(&format!(
        "SELECT COUNT(DISTINCT m.unit_id) AS n FROM meetings m \
         JOIN org_units u ON u.id = m.unit_id \
         WHERE m.kind = 'weekly' AND m.state <> 'draft' AND m.day >= '{monday}' \
         AND m.day <= '{}' AND u.path LIKE '{}%' AND u.kind IN ('street', 'community', 'village')",
        monday + Duration::days(6),
        raw.path
    ));
    assert_eq!(card(&page, "c-held"), format!("{held}/{due}"));
    let decisions = raw.overdue_decisions();
    assert_eq!(n(&page, "c-decisions"), decisions);
    assert_eq!(
        leader.get("/meetings/week").text("#week-overdue"),
        decisions.to_string()
    );
    // Party: against the party summary of this year and quarter.
    let q = (today.month0() / 3) + 1;
    let sum = leader.get(&format!("/party/summary?year={}&quarter={q}", today.year()));
    assert_eq!(card(&page, "c-three-one"), sum.text("#sum-three-one"));
    assert_eq!(
        card(&page, "c-silent"),
        format!("{}/{}", sum.text("#sum-silent"), sum.text("#sum-branches"))
    );
    assert_eq!(card(&page, "c-unvisited"), sum.text("#sum-unvisited"));
    let three_one = app.count(&format!(
        "SELECT COUNT(*) AS n FROM party_activities a JOIN party_branches b ON b.id = a.branch_id \
         WHERE b.active AND b.scope_path LIKE '{}%' AND a.day >= '{}' AND a.day <= '{today}' \
         AND a.kind IN ('general_meeting', 'committee', 'group_meeting', 'lecture')",
        raw.path,
        NaiveDate::from_ymd_opt(today.year(), (q - 1) * 3 + 1, 1).unwrap()
    ));
    assert_eq!(n(&page, "c-three-one-held"), three_one);
    // 督办: the open issues urged (the demo urges five of the street's), those urged more than
    // once, the urges sent this week and in last week's same days.
    let urged = |more: &str| {
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM issues WHERE scope_path LIKE '{}%' \
             AND state NOT IN ('closed', 'rejected', 'cancelled') \
             AND id IN (SELECT issue_id FROM issue_urges GROUP BY issue_id HAVING COUNT(*) > {more})",
            raw.path
        ))
    };
    assert!(urged("0") > 0, "the demo urges some of the street's issues");
    assert_eq!(n(&page, "c-urged"), urged("0"));
    assert!(card_text(&page, "c-urged").contains(&urged("1").to_string()));
    let sent = |from: NaiveDate, to: NaiveDate| {
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM issue_urges g JOIN issues i ON i.id = g.issue_id \
             WHERE i.scope_path LIKE '{}%' AND g.created_at >= '{}' AND g.created_at < '{}'",
            raw.path,
            Raw::start(from),
            Raw::start(to + Duration::days(1))
        ))
    };
    assert_eq!(n(&page, "c-urges-sent"), sent(monday, today));
    let week = Duration::days(7);
    assert!(
        card_text(&page, "c-urges-sent").contains(&sent(monday - week, today - week).to_string())
    );
    assert_eq!(
        n(&page, "c-urged"),
        leader
            .get("/issues?urged=1")
            .texts("table.list.issues tbody td.title")
            .len() as i64
    );
    // Ranking: every community of the street, best closure rate first, on an axis that starts
    // where the differences show.
    let rows = page.attrs("#tile-ranking tbody tr", "data-unit");
    let communities = app.count(&format!(
        "SELECT COUNT(*) AS n FROM org_units WHERE parent_id = {}",
        app.org_id(STREET)
    ));
    assert_eq!(rows.len() as i64, communities);
    let rates: Vec<f64> = page
        .texts("#tile-ranking td.closure")
        .iter()
        .filter_map(|t| t.trim_end_matches('%').parse().ok())
        .collect();
    assert!(rates.windows(2).all(|w| w[0] >= w[1]), "sorted: {rates:?}");
    if !rates.is_empty() && rates.iter().all(|r| *r >= 60.0) {
        assert!(
            page.has("#tile-ranking svg .chart-axis"),
            "the axis does not start at 0"
        );
    }
}

#[test]
fn the_cockpit_is_the_leaders_own_unit() {
    let app = spawn_app();
    app.add_user("cleader", "leader", COMMUNITY);
    let community = app.login("cleader").get("/");
    let street = app.login("leader").get("/");
    assert_eq!(community.status, 200);
    assert!(community.text("h1").contains(COMMUNITY));
    let raw = Raw::new(&app, COMMUNITY);
    assert_eq!(n(&community, "c-overdue"), raw.overdue());
    assert_eq!(
        n(&community, "c-open"),
        raw.issues("state NOT IN ('closed', 'rejected', 'cancelled')")
    );
    assert!(
        n(&street, "c-open") > n(&community, "c-open"),
        "the street is wider"
    );
    // The community ranks its grids; the street its communities — never another street's.
    let grids = app.count(&format!(
        "SELECT COUNT(*) AS n FROM org_units WHERE parent_id = {}",
        app.org_id(COMMUNITY)
    ));
    assert_eq!(
        community.attrs("#tile-ranking tbody tr", "data-unit").len() as i64,
        grids
    );
    let lsz = app.org_id(STREET);
    for id in street.attrs("#tile-ranking tbody tr, #most-overdue a", "data-unit") {
        let parent = app.count(&format!(
            "SELECT CAST(parent_id AS BIGINT) AS n FROM org_units WHERE id = {id}"
        ));
        assert_eq!(parent, lsz as i64, "unit {id} lies in the street");
    }
    // The district admin's cockpit ranks the streets.
    let admin = app.login("admin").get("/");
    assert!(admin.has("#tile-ranking tbody tr"));
    assert!(n(&admin, "c-open") > n(&street, "c-open"));
    // Other roles keep their home; the brief is the leaders'.
    let worker = app.login("worker");
    assert!(!worker.get("/").has("#tile-issues"));
    assert_eq!(worker.get("/brief").status, 403);
}

#[test]
fn an_issue_decided_again_at_every_huddle_stays_overdue() {
    let app = spawn_app();
    let raw = Raw::new(&app, STREET);
    // An open issue of the street decided at a held meeting: its issue deadline passed two days
    // ago, while its latest decision (today's huddle, say) set a date next week.
    let item = app.count(&format!(
        "SELECT CAST(MAX(mi.id) AS BIGINT) AS n FROM meeting_items mi \
         JOIN issues i ON i.id = mi.issue_id JOIN meetings m ON m.id = mi.meeting_id \
         WHERE i.state = 'handling' AND i.scope_path LIKE '{}%' AND m.state <> 'draft' \
         AND mi.removed = FALSE AND mi.deadline IS NOT NULL AND mi.id = (SELECT MAX(x.id) \
         FROM meeting_items x WHERE x.issue_id = i.id AND x.removed = FALSE \
         AND x.deadline IS NOT NULL) AND m.scope_path LIKE '{}%'",
        raw.path, raw.path
    ));
    assert!(item > 0, "a decided issue in the demo");
    let issue = app.count(&format!(
        "SELECT CAST(issue_id AS BIGINT) AS n FROM meeting_items WHERE id = {item}"
    ));
    let next_week = raw.today + Duration::days(7);
    let past = (chrono::Utc::now() - Duration::days(2)).naive_utc();
    app.exec(&format!(
        "UPDATE meeting_items SET deadline = '{next_week}' WHERE id = {item}"
    ));
    app.exec(&format!(
        "UPDATE issues SET deadline = '{}' WHERE id = {issue}",
        past.format("%Y-%m-%d %H:%M:%S")
    ));
    let leader = app.login("leader");
    let week = leader.get("/meetings/week");
    assert!(
        week.has(&format!("tr.overdue-row[data-item=\"{item}\"]")),
        "overdue against the issue's deadline"
    );
    let expected = raw.overdue_decisions();
    assert_eq!(week.text("#week-overdue"), expected.to_string());
    assert_eq!(n(&leader.get("/"), "c-decisions"), expected);
    // Once the issue is no longer late and the decision's date is ahead, it is not overdue.
    let later = (chrono::Utc::now() + Duration::days(20)).naive_utc();
    app.exec(&format!(
        "UPDATE issues SET deadline = '{}' WHERE id = {issue}",
        later.format("%Y-%m-%d %H:%M:%S")
    ));
    // A step writes a timeline row; here one moves the stamp the kept figures are checked by.
    app.exec(&format!(
        "INSERT INTO issue_events (issue_id, actor_id, action, from_state, to_state, note, \
         detail, created_at) SELECT {issue}, CAST(NULL AS INTEGER), 'progress', state, state, \
         '', '', updated_at FROM issues WHERE id = {issue}"
    ));
    let week = leader.get("/meetings/week");
    assert!(!week.has(&format!("tr.overdue-row[data-item=\"{item}\"]")));
    assert_eq!(
        week.text("#week-overdue"),
        raw.overdue_decisions().to_string()
    );
}

#[test]
fn the_brief_prints_the_week_with_the_print_frame() {
    let app = spawn_app();
    let leader = app.login("leader");
    let r = leader.get("/brief");
    assert_eq!(r.status, 200);
    assert!(r.text("h1").contains(STREET));
    assert!(r.text("#print-title-block").contains(STREET));
    assert!(r.has("#print-foot"), "the closing line");
    let monday = Raw::new(&app, STREET).monday();
    let period = r.text("#brief-period");
    assert!(
        period.contains(&monday.format("%Y").to_string()),
        "{period}"
    );
    // The brief's figures are the cockpit's.
    let home = leader.get("/");
    for id in ["c-overdue", "c-patrolled", "c-held", "c-three-one"] {
        assert_eq!(card(&r, id), card(&home, id), "{id}");
    }
    assert!(home.has("a#cockpit-brief[href='/brief']"));
    assert!(r.has("link[rel=stylesheet][media=print]"));
}
