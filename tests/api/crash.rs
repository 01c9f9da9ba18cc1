//! Crash safety, with the real binary: several clients report issues while the server is killed
//! with SIGKILL; after each restart every report that was answered with success is there exactly
//! once, a report whose answer was lost is sent again with its form token and is there once
//! too, and SQLite's `PRAGMA integrity_check` says ok. Ignored in the normal suite (it starts and
//! kills processes for about half a minute); `.ci/run` runs it on SQLite:
//! `cargo test --test api crash -- --ignored`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::RunQueryDsl;

use crate::helpers::{Client, PASSWORD, Resp, form_fields};

const CLIENTS: usize = 4;
const ROUNDS: usize = 4;

/// One report as sent: its title is unique, its form token is what a resend carries.
#[derive(Clone, Debug)]
struct Report {
    title: String,
    token: String,
}

/// What the clients saw: reports answered 303, and reports whose answer never came.
#[derive(Default)]
struct Seen {
    answered: Vec<Report>,
    unanswered: Vec<Report>,
}

struct Server {
    child: Child,
    base: String,
}

fn gridwork(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gridwork"));
    // Only the data directory decides where the store is (a CI environment's GRIDWORK_* would
    // point it elsewhere).
    for (k, _) in std::env::vars() {
        if k.starts_with("GRIDWORK_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("GRIDWORK_LOG", "warn").arg("--data").arg(data);
    cmd
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

fn start(data: &Path, log: &Path) -> Server {
    let port = free_port();
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    let child = gridwork(data)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log))
        .spawn()
        .expect("start gridwork serve");
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = agent().get(&format!("{base}/login")).call()
            && r.status() == 200
        {
            break;
        }
        assert!(Instant::now() < deadline, "the server did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }
    Server { child, base }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

/// A logged-in client and the report form's fields (CSRF token, defaults, the worker's grid).
fn logged_in(base: &str) -> (Client, Vec<(String, String)>) {
    let c = Client {
        base: base.to_string(),
        agent: agent(),
    };
    assert_eq!(c.login("worker", PASSWORD).status, 303);
    let page = c.get("/issues/new");
    assert_eq!(page.status, 200);
    (c, form_fields(&page, "/issues"))
}

/// Sends one report; `None` when no answer came (the server died under it).
fn send(c: &Client, form: &[(String, String)], r: &Report) -> Option<Resp> {
    let mut fields: Vec<(String, String)> = form
        .iter()
        .filter(|(k, _)| {
            !["title", "category_id", "form_token", "description"].contains(&k.as_str())
        })
        .cloned()
        .collect();
    fields.push(("title".into(), r.title.clone()));
    fields.push(("category_id".into(), "802".into()));
    fields.push(("form_token".into(), r.token.clone()));
    fields.push(("description".into(), "压力测试：服务被强制结束。".into()));
    let boundary = "----gridworkcrashboundary";
    let mut body = String::new();
    for (name, value) in &fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let mut resp = c
        .agent
        .post(&format!("{}/issues", c.base))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .send(body.as_bytes())
        .ok()?;
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = resp.body_mut().read_to_string().ok()?;
    Some(Resp {
        status,
        headers: vec![("location".into(), location)],
        bytes: body.clone().into_bytes(),
        body,
    })
}

/// Runs `CLIENTS` clients reporting until the server is killed (after some reports were
/// answered, at a moment that moves from round to round).
fn load_and_kill(server: &mut Server, round: usize, seen: &Arc<Mutex<Seen>>) {
    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    // Logged in first: the kill waits for reports, not for logins.
    let clients: Vec<_> = (0..CLIENTS).map(|_| logged_in(&server.base)).collect();
    let threads: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(client, (c, form))| {
            let (stop, answered, seen) = (stop.clone(), answered.clone(), seen.clone());
            std::thread::spawn(move || {
                for n in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let r = Report {
                        title: format!("崩溃测试 r{round} c{client} n{n}"),
                        token: format!("crash-{round}-{client}-{n}"),
                    };
                    match send(&c, &form, &r) {
                        Some(resp) if resp.status == 303 => {
                            answered.fetch_add(1, Ordering::Relaxed);
                            seen.lock().unwrap().answered.push(r);
                        }
                        Some(resp) => panic!("{}: {} {}", r.title, resp.status, resp.body),
                        None => {
                            seen.lock().unwrap().unanswered.push(r);
                            break;
                        }
                    }
                }
            })
        })
        .collect();
    let want = 6 + round * 5;
    let deadline = Instant::now() + Duration::from_secs(30);
    while answered.load(Ordering::Relaxed) < want && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(7 * round as u64));
    server.child.kill().expect("SIGKILL the server");
    server.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().expect("a client failed");
    }
    assert!(
        answered.load(Ordering::Relaxed) >= want,
        "round {round}: too few reports answered before the kill"
    );
}

#[derive(diesel::QueryableByName)]
struct Counted {
    #[diesel(sql_type = diesel::sql_types::Text)]
    title: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName)]
struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    integrity_check: String,
}

/// The crash test's reports in the store, by title, and `PRAGMA integrity_check`'s answer.
fn stored(db: &Path) -> (BTreeMap<String, i64>, Vec<String>) {
    use diesel::Connection;
    let mut conn = diesel::SqliteConnection::establish(&db.to_string_lossy()).unwrap();
    let check = diesel::sql_query("PRAGMA integrity_check")
        .load::<Line>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|l| l.integrity_check)
        .collect();
    let counts = diesel::sql_query(
        "SELECT title, COUNT(*) AS n FROM issues WHERE title LIKE '崩溃测试 %' GROUP BY title",
    )
    .load::<Counted>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|c| (c.title, c.n))
    .collect();
    (counts, check)
}

#[test]
#[ignore = "starts the real server and kills it; .ci/run runs it"]
fn reports_answered_before_a_kill_9_are_there_once_after_restart() {
    let began = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let data: PathBuf = dir.path().join("data");
    let log = dir.path().join("server.log");
    for args in [&["migrate"][..], &["demo", "--streets", "2", "--days", "1"]] {
        let status = gridwork(&data)
            .args(args)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "gridwork {args:?}");
    }
    let db = data.join("gridwork.db");
    let seen = Arc::new(Mutex::new(Seen::default()));
    let mut resent = 0;
    for round in 0..ROUNDS {
        let mut server = start(&data, &log);
        load_and_kill(&mut server, round, &seen);
        let (_, check) = stored(&db);
        assert_eq!(
            check,
            ["ok"],
            "round {round}: integrity_check after the kill"
        );
        // Restart; what the clients never heard about is sent again with its form token, as a
        // user would after the error (the same form, the token in it).
        let mut server = start(&data, &log);
        let unanswered = std::mem::take(&mut seen.lock().unwrap().unanswered);
        let (c, form) = logged_in(&server.base);
        resent += unanswered.len();
        for r in unanswered {
            let resp = send(&c, &form, &r).expect("an answer after restart");
            assert_eq!(resp.status, 303, "{}: {}", r.title, resp.body);
            seen.lock().unwrap().answered.push(r);
        }
        let (counts, _) = stored(&db);
        let s = seen.lock().unwrap();
        for r in &s.answered {
            assert_eq!(
                counts.get(&r.title),
                Some(&1),
                "round {round}: {} answered, stored {:?} times",
                r.title,
                counts.get(&r.title)
            );
        }
        assert!(counts.values().all(|n| *n == 1), "a duplicate: {counts:?}");
        drop(s);
        server.child.kill().unwrap();
        server.child.wait().unwrap();
    }
    let (counts, check) = stored(&db);
    assert_eq!(check, ["ok"]);
    let answered = seen.lock().unwrap().answered.len();
    assert_eq!(counts.len(), answered, "every stored report was answered");
    eprintln!(
        "crash test: {ROUNDS} kills, {answered} reports ({resent} sent again after a kill), \
         all there once, in {:.1} s",
        began.elapsed().as_secs_f64()
    );
}
