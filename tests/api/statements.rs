//! The statement count the bench reads (issue 22 §3): `X-Statements` on every response when
//! `count_statements` is set, exact per request under concurrency, absent otherwise.

use crate::helpers::*;

fn statements(r: &Resp) -> u64 {
    r.header("x-statements")
        .unwrap_or_else(|| panic!("no X-Statements on {}", r.status))
        .parse()
        .unwrap()
}

#[test]
fn each_response_tells_its_own_statements_when_asked() {
    let app = spawn_app_with(|s| s.count_statements = true);
    // The health check does not touch the database.
    assert_eq!(statements(&app.client().get("/healthz")), 0);
    let clerk = app.login("clerk");
    // The first view fills the kept to-do counts; the next ones read them.
    let first = statements(&clerk.get("/issues"));
    let alone = statements(&clerk.get("/issues"));
    assert!(first > alone, "{first} then {alone}");
    assert!(alone >= 2, "the session's user and the list: {alone}");
    assert_eq!(
        statements(&clerk.get("/issues")),
        alone,
        "the same page, the same work"
    );
    // Eight at once: each response counts its own request's statements, not its neighbours'.
    let (base, cookie) = (app.url(""), clerk.cookie_header());
    let counts: Vec<u64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| s.spawn(|| statements(&Client::get_with_cookie(&base, "/issues", &cookie))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(counts, vec![alone; 8]);
}

#[test]
fn responses_keep_the_count_to_themselves_by_default() {
    let app = spawn_app();
    let r = app.login("clerk").get("/issues");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-statements"), None);
}

#[test]
fn every_worker_serves_the_cockpit_from_one_cache() {
    // Two HTTP workers (the harness's), each connection its own: the figures the first view
    // read serve every later one, whichever worker takes it, rather than each worker reading
    // them again into a cache of its own.
    let app = spawn_app_with(|s| s.count_statements = true);
    let leader = app.login("leader");
    let cold = statements(&leader.get("/"));
    let (base, cookie) = (app.url(""), leader.cookie_header());
    let warm: Vec<u64> = (0..4)
        .map(|_| statements(&Client::get_with_cookie(&base, "/", &cookie)))
        .collect();
    assert!(warm.iter().all(|&n| n * 3 < cold), "{cold} then {warm:?}");
    assert!(warm.windows(2).all(|w| w[0] == w[1]), "{warm:?}");
}
