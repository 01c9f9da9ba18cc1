//! The test harness: a real server on 127.0.0.1:0 with a fresh database per test (SQLite file, or
//! a new PostgreSQL database when TEST_DATABASE_URL is set), seeded with the demo data, or the
//! database alone for checks that only run SQL; both give back their server, threads and
//! connections when the test ends. A cookie client; CSS-selector helpers.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use gridwork::config::Settings;
use gridwork::db::{self, AnyConnection, Pool};
use scraper::{Html, Selector};

pub const PASSWORD: &str = "Demo@2026";

/// The seeded demo database, made once per test run and copied for each test.
struct Template {
    _dir: tempfile::TempDir,
    sqlite_file: String,
    pg_name: Option<String>,
}

fn pg_base() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// `postgres://u:p@h:port/db` → the same URL naming `name`.
fn pg_url(base: &str, name: &str) -> String {
    let cut = base.rfind('/').expect("database URL has a path");
    format!("{}/{name}", &base[..cut])
}

fn template() -> &'static Template {
    static T: OnceLock<Template> = OnceLock::new();
    T.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let opts = gridwork::demo::DemoOptions {
            streets: 2,
            days: 7,
        };
        match pg_base() {
            None => {
                let file = dir
                    .path()
                    .join("template.db")
                    .to_string_lossy()
                    .into_owned();
                let pool = db::pool(&file, 1).unwrap();
                let mut conn = pool.get().unwrap();
                db::migrate(&mut conn).unwrap();
                gridwork::demo::seed(&mut conn, &opts).unwrap();
                Template {
                    _dir: dir,
                    sqlite_file: file,
                    pg_name: None,
                }
            }
            Some(base) => {
                let name = format!("gw_template_{}", std::process::id());
                admin_pg(
                    &base,
                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                );
                admin_pg(&base, &format!("CREATE DATABASE {name}"));
                {
                    let pool = db::pool(&pg_url(&base, &name), 1).unwrap();
                    let mut conn = pool.get().unwrap();
                    db::migrate(&mut conn).unwrap();
                    gridwork::demo::seed(&mut conn, &opts).unwrap();
                }
                Template {
                    _dir: dir,
                    sqlite_file: String::new(),
                    pg_name: Some(name),
                }
            }
        }
    })
}

fn admin_pg(base: &str, sql: &str) {
    use diesel::Connection;
    let mut c = diesel::PgConnection::establish(base).expect("connect to TEST_DATABASE_URL");
    c.batch_execute(sql).expect(sql);
}

/// A test's own database without a server (a copy of the demo's, or an empty one): for checks
/// that only run SQL. Dropping it closes its pool, then drops the PostgreSQL database.
pub struct TestDb {
    /// The store (a SQLite file or a PostgreSQL URL).
    pub db_url: String,
    /// `None` only while dropping: the pool goes before its database.
    pool: Option<Pool>,
    /// Holds the data directory (SQLite file, uploads, session key) until the test ends.
    dir: tempfile::TempDir,
    pg_name: Option<String>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        drop(self.pool.take());
        if let (Some(name), Some(base)) = (&self.pg_name, pg_base()) {
            let _ = std::panic::catch_unwind(|| {
                admin_pg(
                    &base,
                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                )
            });
        }
    }
}

/// A copy of the seeded template (a SQLite file, or a PostgreSQL database made from it), opened
/// and migrated through the app's own `open_store` with these settings.
fn copy_template(tweak: impl FnOnce(&mut Settings)) -> (TestDb, Settings) {
    let t = template();
    let dir = tempfile::tempdir().unwrap();
    let (url, pg_name) = match (&t.pg_name, pg_base()) {
        (Some(tpl), Some(base)) => {
            let name = fresh_pg_name();
            admin_pg(&base, &format!("CREATE DATABASE {name} TEMPLATE {tpl}"));
            (pg_url(&base, &name), Some(name))
        }
        _ => {
            let file = dir.path().join("gridwork.db");
            std::fs::copy(&t.sqlite_file, &file).unwrap();
            (file.to_string_lossy().into_owned(), None)
        }
    };
    let mut settings = Settings {
        data_dir: dir.path().to_path_buf(),
        database_url: url.clone(),
        bind: "127.0.0.1:0".into(),
        workers: 2,
        pool_size: 4,
        ..Settings::default()
    };
    tweak(&mut settings);
    let pool = gridwork::startup::open_store(&settings).unwrap();
    let db = TestDb {
        db_url: url,
        pool: Some(pool),
        dir,
        pg_name,
    };
    (db, settings)
}

fn fresh_pg_name() -> String {
    format!("gw_t_{}", &gridwork::web::csrf::random_token()[..12])
}

/// An empty store, no migration run (for the migration tests).
pub fn empty_db() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg_name) = match pg_base() {
        Some(base) => {
            let name = fresh_pg_name();
            admin_pg(&base, &format!("CREATE DATABASE {name}"));
            (pg_url(&base, &name), Some(name))
        }
        None => {
            let file = dir.path().join("empty.db");
            (file.to_string_lossy().into_owned(), None)
        }
    };
    TestDb {
        pool: Some(db::pool(&url, 2).unwrap()),
        db_url: url,
        dir,
        pg_name,
    }
}

/// The demo database alone, for tests that only query it (two connections: no server shares
/// them).
pub fn test_db() -> TestDb {
    copy_template(|s| s.pool_size = 2).0
}

/// A running server over its own [`TestDb`]. Dropping it stops the server and its actix system
/// (workers and their blocking threads), then the database's pool, so each test gives back its
/// threads and connections when it ends rather than when the test binary exits.
pub struct TestApp {
    pub addr: SocketAddr,
    _server: Running,
    db: TestDb,
    settings: Settings,
}

/// A server running on its own thread and actix system, stopped when dropped.
struct Running(Option<(ServerHandle, std::thread::JoinHandle<()>)>);

impl Drop for Running {
    fn drop(&mut self) {
        if let Some((handle, thread)) = self.0.take() {
            // Not graceful: the test is over, and a graceful stop would wait for idle keep-alive
            // connections (a browser's) to time out. `stop` sends its command when called; the
            // server's thread ends once its system has stopped.
            drop(handle.stop(false));
            let _ = thread.join();
        }
    }
}

/// Starts the app on `pool` and answers where it listens.
fn start(settings: Settings, pool: Pool) -> (SocketAddr, Running) {
    let (tx, rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let system = actix_web::rt::System::new();
        system.block_on(async move {
            let (server, addr) = gridwork::startup::build(settings, pool).unwrap();
            tx.send((addr, server.handle())).unwrap();
            // Once the server has stopped, stop the system too: that ends the workers' arbiter
            // threads, which hold the app (and its pool) until then.
            actix_web::rt::spawn(async move {
                let _ = server.await;
                actix_web::rt::System::current().stop();
            });
        });
        let _ = system.run();
    });
    let (addr, handle) = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("server started");
    (addr, Running(Some((handle, thread))))
}

/// A second app server on a [`TestApp`]'s database, as a deployment runs several: its own
/// pool, caches and data directory, sharing the session key (as `GRIDWORK_SESSION_KEY` does).
pub struct SecondServer {
    pub addr: SocketAddr,
    _server: Running,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for TestApp {
    type Target = TestDb;

    fn deref(&self) -> &TestDb {
        &self.db
    }
}

pub fn spawn_app() -> TestApp {
    spawn_app_with(|_| {})
}

/// Starts a server with its own copy of the demo database; `tweak` adjusts the settings.
pub fn spawn_app_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let (db, settings) = copy_template(tweak);
    let pool = db.pool.clone().expect("an open pool");
    let (addr, server) = start(settings.clone(), pool);
    TestApp {
        addr,
        _server: server,
        db,
        settings,
    }
}

impl TestApp {
    /// Another app server on this one's database (see [`SecondServer`]).
    pub fn second_server(&self) -> SecondServer {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            self.data_dir().join("session.key"),
            dir.path().join("session.key"),
        )
        .expect("the first server wrote its session key");
        let settings = Settings {
            data_dir: dir.path().to_path_buf(),
            ..self.settings.clone()
        };
        let pool = gridwork::startup::open_store(&settings).unwrap();
        let (addr, server) = start(settings, pool);
        SecondServer {
            addr,
            _server: server,
            _dir: dir,
        }
    }
}

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn location(&self) -> &str {
        self.header("location").unwrap_or("")
    }

    pub fn doc(&self) -> Html {
        Html::parse_document(&self.body)
    }

    /// Texts of the elements matching `css`.
    pub fn texts(&self, css: &str) -> Vec<String> {
        let sel = Selector::parse(css).unwrap();
        self.doc()
            .select(&sel)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }

    pub fn text(&self, css: &str) -> String {
        self.texts(css).join(" ")
    }

    /// The `value` of an input, by CSS selector.
    pub fn value(&self, css: &str) -> Option<String> {
        let sel = Selector::parse(css).unwrap();
        self.doc()
            .select(&sel)
            .next()
            .and_then(|e| e.value().attr("value").map(String::from))
    }

    /// The `attr` of every element matching `css` that has one, in document order.
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        let sel = Selector::parse(css).unwrap();
        self.doc()
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(String::from))
            .collect()
    }

    pub fn has(&self, css: &str) -> bool {
        let sel = Selector::parse(css).unwrap();
        self.doc().select(&sel).next().is_some()
    }
}

/// A browser-like client: keeps cookies, does not follow redirects, does not fail on 4xx/5xx.
pub struct Client {
    pub base: String,
    pub agent: ureq::Agent,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn client(&self) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            // The server closes idle keep-alive connections after 5 s; never reuse one that
            // old (a loaded machine otherwise sees "peer disconnected" between two requests).
            .max_idle_age(Duration::from_secs(2))
            .build()
            .into();
        Client {
            base: self.url(""),
            agent,
        }
    }

    /// A client logged in as a demo account (password changes not required for them).
    pub fn login(&self, username: &str) -> Client {
        let c = self.client();
        let r = c.login(username, PASSWORD);
        assert_eq!(r.status, 303, "login of {username} failed: {}", r.body);
        c
    }
}

impl TestDb {
    /// The data directory (SQLite file, local uploads, session key).
    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    pub fn conn(&self) -> r2d2::PooledConnection<db::Manager> {
        self.pool.as_ref().expect("an open pool").get().unwrap()
    }

    /// Runs SQL against the test database (to move clocks back, mostly).
    pub fn exec(&self, sql: &str) {
        let mut c = self.conn();
        let conn: &mut AnyConnection = &mut c;
        conn.batch_execute(sql).unwrap();
    }

    /// A text column `s` of every row of `sql`.
    pub fn strings(&self, sql: &str) -> Vec<String> {
        #[derive(diesel::QueryableByName)]
        struct S {
            #[diesel(sql_type = diesel::sql_types::Text)]
            s: String,
        }
        let mut c = self.conn();
        let conn: &mut AnyConnection = &mut c;
        diesel::sql_query(sql)
            .load::<S>(conn)
            .unwrap()
            .into_iter()
            .map(|r| r.s)
            .collect()
    }

    /// Removes every patrol log (the demo's included), for tests that count from zero.
    pub fn clear_patrols(&self) {
        for t in [
            "patrol_sites",
            "patrol_visits",
            "patrol_issues",
            "patrol_corrections",
            "patrols",
        ] {
            self.exec(&format!("DELETE FROM {t}"));
        }
    }

    /// Removes every meeting (the demo's included), for tests whose agenda must not carry items
    /// over from earlier meetings.
    pub fn clear_meetings(&self) {
        for t in [
            "meeting_corrections",
            "meeting_items",
            "meeting_people",
            "meetings",
        ] {
            self.exec(&format!("DELETE FROM {t}"));
        }
    }

    pub fn count(&self, sql: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut c = self.conn();
        let conn: &mut AnyConnection = &mut c;
        diesel::sql_query(sql).get_result::<N>(conn).unwrap().n
    }

    /// A staff account with the demo password (copied from "worker"), ready to log in.
    pub fn add_user(&self, username: &str, role: &str, org_name: &str) {
        let org = self.org_id(org_name);
        self.exec(&format!(
            "INSERT INTO users (username, display_name, password_hash, role, org_unit_id, phone, \
             active, must_change_password, failed_logins, version, created_at, updated_at) \
             SELECT '{username}', '{username}', password_hash, '{role}', {org}, '', active, \
             must_change_password, 0, 1, created_at, updated_at FROM users WHERE username = 'worker'"
        ));
    }

    /// The id of the org unit with this name.
    pub fn org_id(&self, name: &str) -> i32 {
        self.count(&format!(
            "SELECT CAST(id AS BIGINT) AS n FROM org_units WHERE name = '{name}'"
        )) as i32
    }

    pub fn user_id(&self, username: &str) -> i32 {
        self.count(&format!(
            "SELECT CAST(id AS BIGINT) AS n FROM users WHERE username = '{username}'"
        )) as i32
    }
}

fn read(mut r: ureq::http::Response<ureq::Body>) -> Resp {
    let status = r.status().as_u16();
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let bytes = r
        .body_mut()
        .with_config()
        .limit(50 * 1024 * 1024)
        .read_to_vec()
        .unwrap_or_default();
    let body = String::from_utf8_lossy(&bytes).into_owned();
    Resp {
        status,
        headers,
        body,
        bytes,
    }
}

impl Client {
    /// The same browser (its cookies) talking to the server at `addr`.
    pub fn on(&self, addr: SocketAddr) -> Client {
        Client {
            base: format!("http://{addr}"),
            agent: self.agent.clone(),
        }
    }

    pub fn get(&self, path: &str) -> Resp {
        read(
            self.agent
                .get(&format!("{}{path}", self.base))
                .call()
                .unwrap(),
        )
    }

    /// POSTs exactly these fields (no CSRF token added).
    pub fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        read(
            self.agent
                .post(&format!("{}{path}", self.base))
                .send_form(fields.iter().copied())
                .unwrap(),
        )
    }

    /// POSTs with extra headers.
    pub fn post_with_headers(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = self.agent.post(&format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        read(req.send_form(fields.iter().copied()).unwrap())
    }

    /// The CSRF token on a page the client can open.
    pub fn csrf(&self, page: &str) -> String {
        self.get(page)
            .value("input[name=csrf_token]")
            .expect("page has a csrf token")
    }

    /// Switches the interface language with the footer's form (`lang` is "en" or "zh-CN").
    pub fn set_lang(&self, lang: &str) {
        let token = self.csrf("/");
        let r = self.post_raw(
            "/locale",
            &[("csrf_token", &token), ("lang", lang), ("next", "/")],
        );
        assert_eq!(r.status, 303);
    }

    /// Like a browser submitting the form at `action` on `page`: every field as the page shows
    /// it (hidden CSRF token, version and form token included), with `fields` typed over them.
    pub fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> Resp {
        let p = self.get(page);
        assert_eq!(p.status, 200, "form page {page}: {}", p.status);
        let all = form_fields(&p, action);
        assert!(
            all.iter().any(|(k, _)| k == "csrf_token"),
            "no form posting to {action} on {page}"
        );
        let mut all = all;
        for (k, v) in fields {
            all.retain(|(n, _)| n != k);
            all.push((k.to_string(), v.to_string()));
        }
        let pairs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.post_raw(action, &pairs)
    }

    pub fn login(&self, username: &str, password: &str) -> Resp {
        let token = self.csrf("/login");
        self.post_raw(
            "/login",
            &[
                ("csrf_token", &token),
                ("username", username),
                ("password", password),
            ],
        )
    }

    /// The session cookie as a `Cookie:` header value.
    pub fn cookie_header(&self) -> String {
        let jar = self.agent.cookie_jar_lock();
        let s = jar
            .iter()
            .map(|c| format!("{}={}", c.name(), c.value()))
            .collect::<Vec<_>>()
            .join("; ");
        jar.release();
        s
    }

    /// A GET carrying exactly this Cookie header, from a client with no jar of its own.
    pub fn get_with_cookie(base: &str, path: &str, cookie: &str) -> Resp {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .build()
            .into();
        read(
            agent
                .get(&format!("{base}{path}"))
                .header("Cookie", cookie)
                .call()
                .unwrap(),
        )
    }

    /// A multipart form post: text `fields` (the CSRF token among them) and `files` as
    /// (field, filename, content type, bytes).
    pub fn multipart(
        &self,
        action: &str,
        fields: &[(String, String)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Resp {
        let boundary = "----gridworktestboundary7MA4YWxk";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (field, filename, ctype, data) in files {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: {ctype}\r\n\r\n").as_bytes());
            body.extend_from_slice(data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        read(
            self.agent
                .post(&format!("{}{action}", self.base))
                .header(
                    "Content-Type",
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .send(&body[..])
                .unwrap(),
        )
    }

    /// A multipart upload with the CSRF token of `page`.
    pub fn upload(
        &self,
        page: &str,
        action: &str,
        field: &str,
        filename: &str,
        content_type: &str,
        data: &[u8],
    ) -> Resp {
        let token = self.csrf(page);
        let boundary = "----gridworktestboundary7MA4YWxk";
        let mut body = Vec::new();
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n").as_bytes());
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
        body.extend_from_slice(data);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        read(
            self.agent
                .post(&format!("{}{action}", self.base))
                .header(
                    "Content-Type",
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .send(&body[..])
                .unwrap(),
        )
    }
}

/// Today in the office's time zone (the app's default, Asia/Shanghai).
pub fn local_today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive()
}

/// The name/value pairs a browser would send for the form posting to `action`.
pub fn form_fields(page: &Resp, action: &str) -> Vec<(String, String)> {
    form_fields_sel(page, &format!("form[action=\"{action}\"]"))
}

/// The name/value pairs a browser would send for the first form matching `css`.
pub fn form_fields_sel(page: &Resp, css: &str) -> Vec<(String, String)> {
    let doc = page.doc();
    let form_sel = Selector::parse(css).unwrap();
    let field_sel = Selector::parse("input, select, textarea").unwrap();
    let option_sel = Selector::parse("option").unwrap();
    let Some(form) = doc.select(&form_sel).next() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for el in form.select(&field_sel) {
        let v = el.value();
        let Some(name) = v.attr("name") else { continue };
        match v.name() {
            "input" => match v.attr("type").unwrap_or("text") {
                "checkbox" | "radio" => {
                    if v.attr("checked").is_some() {
                        out.push((
                            name.to_string(),
                            v.attr("value").unwrap_or("on").to_string(),
                        ));
                    }
                }
                "file" | "submit" | "button" | "image" | "reset" => {}
                _ => out.push((name.to_string(), v.attr("value").unwrap_or("").to_string())),
            },
            "textarea" => out.push((name.to_string(), el.text().collect())),
            "select" => {
                let opts: Vec<_> = el.select(&option_sel).collect();
                let chosen = opts
                    .iter()
                    .find(|o| o.value().attr("selected").is_some())
                    .or(opts.first());
                if let Some(o) = chosen {
                    out.push((
                        name.to_string(),
                        o.value().attr("value").unwrap_or("").to_string(),
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

/// The text of every cell of an exported .xlsx (its shared-strings table), for content checks.
pub fn xlsx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx is a zip");
    let mut xml = String::new();
    zip.by_name("xl/sharedStrings.xml")
        .expect("shared strings")
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// The fields as `post_raw` takes them.
pub fn pairs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Sets (or adds) one field of a form read from a page.
pub fn set_field(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(n, _)| n != name);
    fields.push((name.to_string(), value.to_string()));
}

impl Client {
    /// POSTs a body of exactly these bytes, with this Content-Type (or none).
    pub fn post_bytes(&self, path: &str, content_type: Option<&str>, body: &[u8]) -> Resp {
        let mut req = self.agent.post(&format!("{}{path}", self.base));
        if let Some(ct) = content_type {
            req = req.header("Content-Type", ct);
        }
        read(req.send(body).unwrap())
    }
}
