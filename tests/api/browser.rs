//! The browser test: headless Chromium (Debian's chromium + chromedriver) logs in, opens the
//! tree and a notice page, and saves screenshots and an A4 PDF of the notice under
//! target/browser/. Ignored by a plain `cargo test`; `.ci/run` starts chromedriver and runs it
//! with `--ignored`.

use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

use crate::helpers::*;

struct Driver {
    base: String,
    session: String,
    agent: ureq::Agent,
}

impl Driver {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut r = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self.agent.post(&url).send_json(body.unwrap_or(json!({}))),
        }
        .unwrap();
        let v: Value = r.body_mut().read_json().unwrap();
        assert!(v["value"].get("error").is_none(), "{method} {path}: {v}");
        v["value"].clone()
    }

    fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(|x| x.as_str())
            .unwrap()
            .to_string()
    }

    fn text(&self, css: &str) -> String {
        let el = self.find(css);
        self.call("GET", &format!("/element/{el}/text"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn click(&self, css: &str) {
        let el = self.find(css);
        self.call("POST", &format!("/element/{el}/click"), None);
    }

    fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css);
        self.call(
            "POST",
            &format!("/element/{el}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn save_png(&self, file: &str) {
        let b64 = self.call("GET", "/screenshot", None);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        std::fs::write(file, bytes).unwrap();
    }
}

impl Driver {
    /// A new headless Chromium session through chromedriver (CHROMEDRIVER_URL).
    fn start() -> Driver {
        let driver_url =
            std::env::var("CHROMEDRIVER_URL").unwrap_or_else(|_| "http://127.0.0.1:9515".into());
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let caps = json!({ "capabilities": { "alwaysMatch": { "goog:chromeOptions": { "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--window-size=1280,900", "--lang=zh-CN"] } } } });
        let mut r = agent
            .post(&format!("{driver_url}/session"))
            .send_json(caps)
            .unwrap();
        let v: Value = r.body_mut().read_json().unwrap();
        let session = v["value"]["sessionId"]
            .as_str()
            .expect("a chromedriver session")
            .to_string();
        Driver {
            base: driver_url,
            session,
            agent,
        }
    }

    /// Logs in through the login form.
    fn login(&self, app: &TestApp, username: &str) {
        self.goto(&app.url("/login"));
        self.type_into("#username", username);
        self.type_into("#password", PASSWORD);
        self.click("#submit");
        std::thread::sleep(Duration::from_millis(400));
    }

    fn logout(&self) {
        self.click("form[action=\"/logout\"] button");
        std::thread::sleep(Duration::from_millis(300));
    }

    fn print_pdf(&self) -> Vec<u8> {
        let pdf = self.call(
            "POST",
            "/print",
            Some(json!({ "page": { "width": 21.0, "height": 29.7 }, "background": true })),
        );
        base64::engine::general_purpose::STANDARD
            .decode(pdf.as_str().unwrap())
            .unwrap()
    }

    /// Opens an action's form on the issue page, fills the note and submits it.
    fn act(&self, action: &str, note: &str) {
        let form = format!("details.action:has(input[name=action][value={action}])");
        if self.call(
            "POST",
            "/execute/sync",
            Some(json!({
            "script": "return document.querySelector(arguments[0]).open;",
            "args": [form.clone()] })),
        ) != json!(true)
        {
            self.click(&format!("{form} summary"));
        }
        if !note.is_empty() {
            self.type_into(&format!("{form} textarea[name=note]"), note);
        }
        self.click(&format!("{form} button[type=submit]"));
        std::thread::sleep(Duration::from_millis(400));
    }
}

#[test]
#[ignore = "needs chromedriver: .ci/run starts it and runs this with --ignored"]
fn a_browser_logs_in_opens_the_tree_and_prints_a_notice_on_a4() {
    let app = spawn_app();
    let d = Driver::start();
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser");
    std::fs::create_dir_all(&out).unwrap();

    d.goto(&app.url("/login"));
    let user = d.find("#username");
    d.call(
        "POST",
        &format!("/element/{user}/value"),
        Some(json!({ "text": "leader" })),
    );
    let pw = d.find("#password");
    d.call(
        "POST",
        &format!("/element/{pw}/value"),
        Some(json!({ "text": PASSWORD })),
    );
    let submit = d.find("#submit");
    d.call("POST", &format!("/element/{submit}/click"), None);
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        d.text("h1").contains("林山寨街道领导"),
        "logged in and on the home page"
    );
    d.save_png(out.join("home.png").to_str().unwrap());

    d.goto(&app.url("/org"));
    assert!(d.text("table.tree").contains("工人路社区第1网格"));
    d.save_png(out.join("tree.png").to_str().unwrap());

    let grid = app.org_id("工人路社区第1网格");
    d.goto(&app.url(&format!("/grids/{grid}/notice")));
    assert!(d.text("article.notice h1").contains("工人路社区第1网格"));
    d.save_png(out.join("notice.png").to_str().unwrap());
    let pdf = d.call(
        "POST",
        "/print",
        Some(json!({ "page": { "width": 21.0, "height": 29.7 }, "background": true })),
    );
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(pdf.as_str().unwrap())
        .unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    std::fs::write(out.join("notice.pdf"), &bytes).unwrap();

    // The service-card sheet prints eight cards on one A4 page.
    d.goto(&app.url(&format!("/grids/{grid}/card")));
    let pdf = d.call(
        "POST",
        "/print",
        Some(json!({ "page": { "width": 21.0, "height": 29.7 }, "background": true })),
    );
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(pdf.as_str().unwrap())
        .unwrap();
    std::fs::write(out.join("card.pdf"), &bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("/Count 1"), "eight cards fit on one A4 page");

    // Switching the language from the header keeps the user on the same page.
    d.goto(&app.url("/org"));
    d.click("form.lang button");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        d.text("h1").contains("Grid tree"),
        "English after the switch"
    );
    d.save_png(out.join("tree-en.png").to_str().unwrap());
    d.click("form.lang button");
    std::thread::sleep(Duration::from_millis(300));

    // A form with mistakes comes back with each message beside its field.
    d.click("form[action=\"/logout\"] button");
    std::thread::sleep(Duration::from_millis(300));
    d.goto(&app.url("/login"));
    d.type_into("#username", "admin");
    d.type_into("#password", PASSWORD);
    d.click("#submit");
    std::thread::sleep(Duration::from_millis(500));
    d.goto(&app.url("/users/new"));
    d.type_into("#f-username", "x y");
    d.type_into("#f-phone", "12345");
    d.click("form[action=\"/users\"] button[type=submit]");
    std::thread::sleep(Duration::from_millis(500));
    assert!(d.text("#e-phone").contains("电话"));
    d.save_png(out.join("user-form-errors.png").to_str().unwrap());
    d.call("DELETE", "", None);
}

#[test]
#[ignore = "needs chromedriver: .ci/run starts it and runs this with --ignored"]
fn an_issue_is_reported_dispatched_handled_and_closed_in_a_browser() {
    let app = spawn_app();
    let d = Driver::start();
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser");
    std::fs::create_dir_all(&out).unwrap();
    let photo = out.join("site-photo.png");
    std::fs::write(&photo, crate::issues::png()).unwrap();

    // The grid worker reports with a photo.
    d.login(&app, "worker");
    d.goto(&app.url("/issues/new"));
    d.type_into("#f-title", "浏览器上报的占道经营");
    d.click("#f-category_id option[value='802']");
    d.type_into("#f-description", "早市摊位占用人行道。");
    d.type_into("#f-photos", photo.to_str().unwrap());
    d.save_png(out.join("issue-new.png").to_str().unwrap());
    d.click("form[action=\"/issues\"] button[type=submit]");
    std::thread::sleep(Duration::from_millis(600));
    let number = d.text("h1");
    assert!(number.starts_with("LSZ-"), "{number}");
    let url = d.call("GET", "/url", None).as_str().unwrap().to_string();
    d.logout();

    // The community clerk registers and dispatches it to the grid worker.
    d.login(&app, "cclerk");
    d.goto(&url);
    d.act("register", "");
    let worker = app.user_id("worker");
    d.click("details.action:has(input[name=action][value=dispatch]) summary");
    d.click(&format!(
        "select[name=target_user] option[value='{worker}']"
    ));
    d.act("dispatch", "请当日处置");
    assert!(d.text("span.state").contains("已派遣"));
    d.logout();

    // The grid worker accepts and reports the result.
    d.login(&app, "worker");
    d.goto(&url);
    d.act("accept", "");
    d.act("handle", "摊位已清理。");
    assert!(d.text("span.state").contains("待核查"));
    d.logout();

    // The clerk verifies on site and closes it; the timeline shows every step.
    d.login(&app, "cclerk");
    d.goto(&url);
    d.act("close", "");
    assert!(d.text("span.state").contains("已结案"));
    assert!(d.text("ol.timeline").contains("核查通过"));
    d.save_png(out.join("issue-closed.png").to_str().unwrap());
    std::fs::write(out.join("issue.pdf"), d.print_pdf()).unwrap();
    d.logout();

    // The leader's figures page prints on A4.
    d.login(&app, "leader");
    d.goto(&app.url("/issues/figures"));
    assert!(d.text("h1").contains("林山寨街道"));
    d.save_png(out.join("figures.png").to_str().unwrap());
    let pdf = d.print_pdf();
    assert!(pdf.starts_with(b"%PDF"));
    std::fs::write(out.join("figures.pdf"), pdf).unwrap();
    d.call("DELETE", "", None);
}

#[test]
#[ignore = "needs chromedriver: .ci/run starts it and runs this with --ignored"]
fn a_grid_workers_day_and_a_leaders_coverage_check_in_a_browser() {
    let app = spawn_app();
    // Start from a day with nothing logged for the demo worker.
    app.clear_patrols();
    let d = Driver::start();
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser");
    std::fs::create_dir_all(&out).unwrap();

    // The worker opens the patrol page, logs the morning round: a key site, a household, a
    // problem that becomes an issue.
    d.login(&app, "worker");
    d.goto(&app.url("/patrols"));
    assert!(d.text(".my-grids").contains("今日尚未登记巡查"));
    d.click(".my-grids a.button.primary");
    std::thread::sleep(Duration::from_millis(300));
    d.call(
        "POST",
        "/execute/sync",
        Some(
            json!({ "script": "document.querySelector('#f-started_at').value = '00:00'; \
                                document.querySelector('#f-ended_at').value = '00:01';",
                     "args": [] }),
        ),
    );
    d.type_into("#f-route", "工人路—桐柏路—市场东门");
    d.click("table.sites input[type=radio][value=normal]");
    d.type_into("#f-visit_address_0", "工人路 12 号院 3 号楼 2 单元 301");
    d.type_into("#f-visit_householder_0", "王秀英");
    d.type_into("#f-visit_needs_0", "希望有人定期探望");
    d.type_into("#f-problem_title_0", "路灯不亮");
    d.click("#f-problem_category_0 option[value='802']");
    d.save_png(out.join("patrol-form.png").to_str().unwrap());
    d.click("form.patrol-form button.primary");
    std::thread::sleep(Duration::from_millis(600));
    assert!(d.text("h1").contains("巡查日志"), "{}", d.text("h1"));
    assert!(d.text("main").contains("路灯不亮"));
    assert!(d.text("main").contains("王秀英"));
    d.save_png(out.join("patrol-log.png").to_str().unwrap());
    d.goto(&app.url("/patrols"));
    assert!(d.text(".my-grids").contains("今日已登记"));
    d.logout();

    // The street leader checks today's coverage and prints it.
    d.login(&app, "leader");
    d.goto(&app.url("/patrols/coverage"));
    assert!(d.text("main").contains("工人路社区第1网格"));
    d.save_png(out.join("coverage.png").to_str().unwrap());
    let pdf = d.print_pdf();
    assert!(pdf.starts_with(b"%PDF"));
    std::fs::write(out.join("coverage.pdf"), pdf).unwrap();
    d.call("DELETE", "", None);
}
