//! Forms with photos at their edges: more photos than a form takes come back as the form with
//! everything typed and the message beside the photos (never a lost report), and a malformed or
//! non-UTF-8 multipart body is the localized 400 page, with nothing stored.

use crate::helpers::*;
use crate::issues::{png, report_with};
use crate::party_activities::{branch_with_members, new_fields};

const MAX_FILES: usize = 9;

/// `n` small photos for the field `photos`.
fn photos(n: usize, png: &[u8]) -> Vec<(&'static str, &'static str, &'static str, &[u8])> {
    (0..n)
        .map(|_| ("photos", "site.png", "image/png", png))
        .collect()
}

#[test]
fn ten_photos_on_a_report_keep_the_form_and_nine_are_reported() {
    let app = spawn_app();
    let worker = app.login("worker");
    // The form says the limit, and tells the browser's script.
    let page = worker.get("/issues/new");
    assert!(
        page.text("#f-photos + .hint").contains("最多 9 张"),
        "{}",
        page.body
    );
    assert!(page.has("#f-photos[data-max-files=\"9\"][data-too-many]"));
    let src = page
        .doc()
        .select(&scraper::Selector::parse("script[src^=\"/static/photos.\"]").unwrap())
        .next()
        .and_then(|e| e.value().attr("src").map(String::from))
        .expect("the photo check's script");
    let script = worker.get(&src);
    assert_eq!(script.status, 200);
    assert!(script.body.contains("data-max-files"));

    let before = app.count("SELECT COUNT(*) AS n FROM issues");
    let png = png();
    let r = report_with(
        &worker,
        "十张照片的报告",
        &[("people", "王先生 138****0000")],
        &photos(MAX_FILES + 1, &png),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.text("#e-photos").contains("最多 9 张"),
        "{}",
        r.text("#e-photos")
    );
    assert_eq!(r.value("#f-title").as_deref(), Some("十张照片的报告"));
    assert_eq!(r.value("#f-address").as_deref(), Some("工人路 88 号门前"));
    assert_eq!(r.text("#f-description"), "商户在人行道上摆摊，影响通行。");
    assert_eq!(r.text("#f-people"), "王先生 138****0000");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM issues"), before);

    // The same form sent again (its token kept) with nine photos is the report.
    let mut fields = form_fields(&r, "/issues");
    assert!(
        fields
            .iter()
            .any(|(k, v)| k == "form_token" && !v.is_empty())
    );
    fields.retain(|(k, _)| k != "title");
    fields.push(("title".into(), "九张照片的报告".into()));
    let ok = worker.multipart("/issues", &fields, &photos(MAX_FILES, &png));
    assert_eq!(ok.status, 303, "{}", ok.body);
    let id: i32 = ok
        .location()
        .trim_start_matches("/issues/")
        .parse()
        .unwrap();
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM issues"), before + 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM issue_photos WHERE issue_id = {id} AND stage = 'before'"
        )),
        MAX_FILES as i64
    );
    assert_eq!(
        app.strings(&format!(
            "SELECT description AS s FROM issues WHERE id = {id}"
        )),
        ["商户在人行道上摆摊，影响通行。"]
    );
}

#[test]
fn ten_photos_on_a_party_activity_keep_the_form() {
    let app = spawn_app();
    let id = branch_with_members(&app);
    let secretary = app.login("secretary");
    let page = format!("/party/branches/{id}/activities/new");
    let action = format!("/party/branches/{id}/activities");
    let form = secretary.get(&page);
    assert!(form.text("#f-photos + .hint").contains("最多 9 张"));
    let day = local_today().to_string();
    let typed = [
        ("kind", "committee"),
        ("title", "支委会：十张照片"),
        ("day", day.as_str()),
        ("content", "研究冬季走访。"),
    ];
    let f = new_fields(&secretary, &page, id, &typed);
    let png = png();
    let r = secretary.multipart(&action, &f, &photos(MAX_FILES + 1, &png));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.text("#e-photos").contains("最多 9 张"), "{}", r.body);
    assert_eq!(r.value("#f-title").as_deref(), Some("支委会：十张照片"));
    assert_eq!(r.text("#f-content"), "研究冬季走访。");
    let of_branch = format!("SELECT COUNT(*) AS n FROM party_activities WHERE branch_id = {id}");
    assert_eq!(app.count(&of_branch), 0);
    let f = form_fields(&r, &action);
    let ok = secretary.multipart(&action, &f, &photos(MAX_FILES, &png));
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(app.count(&of_branch), 1);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM party_activity_photos"),
        MAX_FILES as i64
    );
}

/// POSTs `body` with this Content-Type (none when `None`) on a connection of its own: the
/// server answers a malformed body before reading all of it, and a kept-alive connection would
/// carry the rest into the next request.
fn post_bytes(c: &Client, path: &str, ctype: Option<&str>, body: &[u8]) -> Resp {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(20)))
        .build()
        .into();
    let mut req = agent
        .post(&format!("{}{path}", c.base))
        .header("Cookie", c.cookie_header())
        .header("Connection", "close");
    if let Some(t) = ctype {
        req = req.header("Content-Type", t);
    }
    let mut r = req.send(body).unwrap();
    let status = r.status().as_u16();
    let body = r.body_mut().read_to_string().unwrap_or_default();
    Resp {
        status,
        headers: Vec::new(),
        bytes: body.clone().into_bytes(),
        body,
    }
}

const B: &str = "gridworkedgeboundary";

/// A multipart body of these (name, raw bytes) text fields.
fn body_of(fields: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{B}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{B}--\r\n").as_bytes());
    body
}

/// The localized 400 page, inside the layout (never actix's plain text).
fn assert_localized_400(r: &Resp, what: &str) {
    assert_eq!(r.status, 400, "{what}: {}", r.body);
    assert!(
        r.body.contains("<html lang=\"zh-CN\""),
        "{what}: {}",
        r.body
    );
    assert!(r.text("h1").contains("请求无效"), "{what}: {}", r.body);
}

#[test]
fn malformed_multipart_bodies_get_the_localized_400_page() {
    let app = spawn_app();
    let worker = app.login("worker");
    let token = worker.csrf("/issues/new");
    let csrf = ("csrf_token".to_string(), token.into_bytes());
    let multipart = format!("multipart/form-data; boundary={B}");
    let complete = body_of(std::slice::from_ref(&csrf));
    // A body cut short inside a field (one cut inside its closing boundary is refused too, after
    // the reader's idle limit: `web::multipart`'s unit tests cover it without the wait).
    let cut = &complete[..complete.len() - B.len() - 12];
    let no_disposition = format!("--{B}\r\nX-Other: y\r\n\r\nabc\r\n--{B}--\r\n");
    let cases: [(&str, Option<&str>, &[u8]); 7] = [
        ("no content type", None, &complete),
        ("text/plain", Some("text/plain"), &complete),
        (
            "urlencoded",
            Some("application/x-www-form-urlencoded"),
            b"title=x",
        ),
        ("no boundary", Some("multipart/form-data"), &complete),
        ("not multipart inside", Some(&multipart), b"title=x"),
        ("cut short", Some(&multipart), cut),
        (
            "no disposition",
            Some(&multipart),
            no_disposition.as_bytes(),
        ),
    ];
    let before = app.count("SELECT COUNT(*) AS n FROM issues");
    for path in ["/issues", "/patrols", "/issues/1/steps"] {
        for (what, ctype, body) in &cases {
            let r = post_bytes(&worker, path, *ctype, body);
            assert_localized_400(&r, &format!("{path}, {what}"));
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM issues"), before);
}

#[test]
fn a_multipart_text_field_that_is_not_utf8_is_refused_never_stored() {
    let app = spawn_app();
    let worker = app.login("worker");
    let page = worker.get("/issues/new");
    let mut fields: Vec<(String, Vec<u8>)> = form_fields(&page, "/issues")
        .into_iter()
        .filter(|(k, _)| k != "title" && k != "category_id" && k != "description")
        .map(|(k, v)| (k, v.into_bytes()))
        .collect();
    fields.push(("category_id".into(), b"802".to_vec()));
    fields.push(("description".into(), "路灯不亮。".as_bytes().to_vec()));
    let mut title = "坏字节".as_bytes().to_vec();
    title.extend_from_slice(b"\xff\xfe\xc3");
    fields.push(("title".into(), title));
    let before = app.count("SELECT COUNT(*) AS n FROM issues");
    let ctype = format!("multipart/form-data; boundary={B}");
    let r = post_bytes(&worker, "/issues", Some(&ctype), &body_of(&fields));
    assert_localized_400(&r, "invalid UTF-8 in the title");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM issues"), before);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM issues WHERE title LIKE '坏字节%'"),
        0
    );
    // The same body with the title made valid is a report: the refusal was the bytes alone.
    fields.pop();
    fields.push(("title".into(), "坏字节".as_bytes().to_vec()));
    let r = post_bytes(&worker, "/issues", Some(&ctype), &body_of(&fields));
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM issues"), before + 1);
}
