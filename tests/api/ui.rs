//! The UI pass (issue 15) over HTTP: assets under content-hashed URLs, error pages that keep the
//! logged-in user's header, inputs with the right types, the patrol form's first values.

use scraper::Selector;

use crate::helpers::*;

/// The URLs a page names under /static/ (stylesheets, scripts, images).
fn static_urls(page: &Resp) -> Vec<String> {
    let doc = page.doc();
    let sel = Selector::parse("link[href], script[src], img[src]").unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr("href").or(e.value().attr("src")))
        .filter(|u| u.starts_with("/static/"))
        .map(String::from)
        .collect()
}

#[test]
fn assets_are_served_under_their_content_hash_and_cached_for_good() {
    let app = spawn_app();
    let c = app.login("cclerk");
    let page = c.get("/issues/new");
    assert_eq!(page.status, 200);
    // The notice of a grid whose people have no photos shows the placeholder portrait.
    let notice = c.get(&format!(
        "/grids/{}/notice",
        app.org_id("工人路社区第1网格")
    ));
    assert_eq!(notice.status, 200);
    let mut urls = static_urls(&page);
    urls.extend(static_urls(&notice));
    let css = urls
        .iter()
        .find(|u| u.starts_with("/static/app.") && u.ends_with(".css"))
        .unwrap_or_else(|| panic!("no app.css in {urls:?}"));
    let hash = &css["/static/app.".len()..css.len() - ".css".len()];
    assert!(
        hash.len() >= 10 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{css}"
    );
    // Every asset the pages name (the layout's, the photo check's, the portrait) is hashed and
    // answers.
    for want in [
        "/static/print.",
        "/static/app.",
        "/static/photos.",
        "/static/person.",
    ] {
        assert!(
            urls.iter().any(|u| u.starts_with(want)),
            "{want} in {urls:?}"
        );
    }
    for u in &urls {
        let r = c.get(u);
        assert_eq!(r.status, 200, "{u}");
        assert_eq!(
            r.header("cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{u}"
        );
        let kind = match u.rsplit('.').next() {
            Some("css") => "text/css",
            Some("svg") => "image/svg+xml",
            _ => "text/javascript",
        };
        assert!(r.header("content-type").unwrap().starts_with(kind), "{u}");
    }
    assert!(c.get(css).body.contains(".choices"));
    // A hash that is not the content's is not found; so is one on a name that is no asset.
    assert_eq!(c.get("/static/app.0123456789ab.css").status, 404);
    assert_eq!(c.get(&css.replace("app.", "apq.")).status, 404);
    // The plain name still answers for pages cached before, revalidated each time.
    let plain = c.get("/static/app.css");
    assert_eq!(plain.status, 200);
    assert_eq!(plain.header("cache-control"), Some("no-cache"));
    assert!(
        plain
            .header("content-type")
            .unwrap()
            .starts_with("text/css")
    );
}

#[test]
fn a_logged_in_users_error_page_keeps_their_header_and_leaks_nothing() {
    let app = spawn_app();
    let c = app.login("cclerk");
    let name = app.strings("SELECT display_name AS s FROM users WHERE username = 'cclerk'");
    let name = &name[0];
    // An unknown path (no handler loaded the user) and a record outside the user's scope.
    let other_street = app.org_id("绿东村街道");
    for path in ["/no/such/page".to_string(), format!("/org/{other_street}")] {
        let r = c.get(&path);
        assert_eq!(r.status, 404, "{path}");
        assert!(r.text("h1").contains("未找到"), "{path}");
        assert!(r.text(".me .who").contains(name.as_str()), "{path}");
        assert!(r.has("nav.mainnav a[href=\"/issues\"]"), "{path}");
        assert!(r.has("form[action=\"/logout\"]"), "{path}");
    }
    // Out of scope and not existing are the same page, byte for byte but for the path the
    // language switch returns to.
    let hidden = c.get(&format!("/org/{other_street}"));
    let missing = c.get("/org/999999");
    assert_eq!(missing.status, 404);
    assert_eq!(
        hidden.body.replace(&format!("/org/{other_street}"), "PATH"),
        missing.body.replace("/org/999999", "PATH")
    );
    assert!(!hidden.body.contains("绿东村"));
    // A forbidden page keeps the header too.
    let r = c.get("/users");
    assert_eq!(r.status, 403);
    assert!(r.text(".me .who").contains(name.as_str()));
    // Logged out: the page, without anyone's header.
    let anon = app.client();
    let r = anon.get("/no/such/page");
    assert_eq!(r.status, 404);
    assert!(r.text("h1").contains("未找到"));
    assert!(!r.has(".me") && !r.has("nav.mainnav") && !r.has("form[action=\"/logout\"]"));
    assert!(!r.body.contains(name.as_str()));
}

/// Every phone field of every form is `type=tel`, every numeric one `inputmode=numeric` (a
/// phone's keypad on a phone).
#[test]
fn phone_fields_are_tel_and_numeric_fields_ask_for_digits() {
    let app = spawn_app();
    let grid = app.org_id("工人路社区第1网格");
    let community = app.org_id("工人路社区");
    let branch = app.count("SELECT CAST(MIN(id) AS BIGINT) AS n FROM party_branches");
    let pages: [(&str, String); 12] = [
        ("admin", "/users/new".into()),
        ("admin", format!("/org/{community}/edit")),
        ("admin", "/categories/new".into()),
        ("admin", "/calendar".into()),
        ("admin", format!("/grids/{grid}/people/new")),
        ("admin", format!("/grids/{grid}/sites/new")),
        ("admin", "/party/branches/new".into()),
        ("admin", format!("/party/branches/{branch}/members/new")),
        ("cclerk", "/party/opinions/new".into()),
        ("cclerk", "/patrols/coverage".into()),
        ("worker", "/patrols/new".into()),
        ("cclerk", "/issues/new".into()),
    ];
    let (mut phones, mut numbers) = (0, 0);
    for (user, path) in &pages {
        let c = app.login(user);
        let r = c.get(path);
        assert_eq!(r.status, 200, "{user} {path}");
        let doc = r.doc();
        let inputs = Selector::parse("input").unwrap();
        for e in doc.select(&inputs) {
            let (name, kind) = (
                e.value().attr("name").unwrap_or(""),
                e.value().attr("type").unwrap_or("text"),
            );
            if name.contains("phone") {
                phones += 1;
                assert_eq!(kind, "tel", "{path}: {name}");
            }
            if kind == "number" {
                numbers += 1;
                assert_eq!(
                    e.value().attr("inputmode"),
                    Some("numeric"),
                    "{path}: {name}"
                );
            }
        }
    }
    assert!(
        phones >= 7 && numbers >= 7,
        "{phones} phones, {numbers} numbers"
    );
}

#[test]
fn a_new_patrol_log_starts_now_with_one_household_row() {
    let app = spawn_app();
    let worker = app.login("worker");
    let before = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai);
    let page = worker.get("/patrols/new");
    let after = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai);
    assert_eq!(page.status, 200);
    let minutes = |hm: &str| {
        let t = chrono::NaiveTime::parse_from_str(hm, "%H:%M").unwrap_or_else(|_| panic!("{hm}"));
        chrono::Timelike::num_seconds_from_midnight(&t) / 60
    };
    let lo = minutes(&before.format("%H:%M").to_string());
    let hi = minutes(&after.format("%H:%M").to_string());
    for field in ["started_at", "ended_at"] {
        let v = page
            .value(&format!("#f-{field}"))
            .unwrap_or_else(|| panic!("{field} has a value"));
        let m = minutes(&v);
        // Across midnight the page may show either side of it.
        assert!(
            (lo <= m && m <= hi) || hi < lo,
            "{field} {v} between {before} and {after}"
        );
    }
    assert_eq!(page.texts(".row.visit").len(), 1, "one household row");
    assert!(page.has("#f-visit_address_0") && !page.has("#f-visit_address_1"));
}

/// The fields of the form matching `css`: those marked required beside their labels, those with
/// the `required` attribute, and those a person fills in (text, dates, times, text areas, selects
/// with a "Choose…" option).
fn required_fields(page: &Resp, css: &str) -> [std::collections::BTreeSet<String>; 3] {
    let doc = page.doc();
    let sel = |s: &str| Selector::parse(s).unwrap();
    let form = doc
        .select(&sel(css))
        .next()
        .unwrap_or_else(|| panic!("no {css}"));
    let name_of_id = |id: &str| {
        form.select(&sel(&format!("[id='{id}']")))
            .next()
            .and_then(|e| e.value().attr("name").map(String::from))
    };
    let marked = form
        .select(&sel("label[for]"))
        .filter(|l| l.select(&sel(".req")).next().is_some())
        .filter_map(|l| name_of_id(l.value().attr("for").unwrap()))
        .collect();
    let attr = form
        .select(&sel("[required]"))
        .filter_map(|e| e.value().attr("name").map(String::from))
        .collect();
    let typed = form
        .select(&sel("input, textarea, select"))
        .filter(|e| match e.value().name() {
            "input" => !matches!(
                e.value().attr("type").unwrap_or("text"),
                "hidden" | "checkbox" | "radio" | "file" | "submit"
            ),
            "select" => e.select(&sel("option[value='']")).next().is_some(),
            _ => true,
        })
        .filter_map(|e| e.value().attr("name").map(String::from))
        .collect();
    [marked, attr, typed]
}

#[test]
fn required_marks_match_what_the_server_refuses_for_the_users_role() {
    let app = spawn_app();
    let branch = crate::party_activities::branch_with_members(&app);
    let opinion = crate::party_opinions::opinion_in(
        &app.login("clerk"),
        app.org_id("工人路社区"),
        "楼道灯不亮",
    );
    let opinion = format!("/party/opinions/{opinion}");
    let meeting = format!(
        "/meetings/new?unit={}&kind=weekly",
        app.org_id("工人路社区")
    );
    let activities = format!("/party/branches/{branch}/activities/new");
    let make_issue = format!("{opinion}/issue");
    let forms: [(&str, &str, &str, &str, bool); 6] = [
        (
            "cclerk",
            "/issues/new",
            "/issues",
            "form[action='/issues']",
            true,
        ),
        (
            "worker",
            "/patrols/new",
            "/patrols",
            "form.patrol-form",
            true,
        ),
        ("clerk", &meeting, "/meetings", "form.meeting-form", false),
        ("secretary", &activities, "", "form[enctype]", true),
        (
            "clerk",
            "/party/opinions/new",
            "/party/opinions",
            "form[action='/party/opinions']",
            false,
        ),
        (
            "clerk",
            &opinion,
            &make_issue,
            "form[action$='/issue']",
            false,
        ),
    ];
    for (who, path, action, css, multipart) in forms {
        let c = app.login(who);
        let page = c.get(path);
        assert_eq!(page.status, 200, "{path}");
        let [marked, attr, typed] = required_fields(&page, css);
        assert!(!attr.is_empty(), "{path}: nothing required?");
        assert_eq!(marked, attr, "{path}: the marks and the attributes");
        // Everything a person fills in left empty: the server's "required" messages name
        // exactly the fields marked so.
        let mut fields = form_fields_sel(&page, css);
        for name in &typed {
            set_field(&mut fields, name, "");
        }
        let action = if action.is_empty() {
            let doc = page.doc();
            let f = doc.select(&Selector::parse(css).unwrap()).next().unwrap();
            f.value().attr("action").unwrap().to_string()
        } else {
            action.to_string()
        };
        let r = if multipart {
            c.multipart(&action, &fields, &[])
        } else {
            c.post_raw(&action, &pairs(&fields))
        };
        assert_eq!(r.status, 422, "{path}: {}", r.body);
        let refused: std::collections::BTreeSet<String> = r
            .doc()
            .select(&Selector::parse("p.field-error[id^='e-']").unwrap())
            .filter(|p| p.text().collect::<String>().trim() == "此项必填")
            .map(|p| p.value().attr("id").unwrap()[2..].to_string())
            .collect();
        assert_eq!(refused, attr, "{path}: what the server refuses empty");
    }
}

#[test]
fn activity_attendance_is_one_line_a_member_with_the_reason_only_when_due() {
    let app = spawn_app();
    let branch = crate::party_activities::branch_with_members(&app);
    let secretary = app.login("secretary");
    let page = format!("/party/branches/{branch}/activities/new");
    let form = secretary.get(&page);
    let rows = form.attrs("#attendance tr.att-row", "data-member");
    assert_eq!(rows.len(), 3, "one line a member");
    assert!(
        !form.has("#attendance thead"),
        "no header row before the members"
    );
    for m in &rows {
        let row = format!("#attendance tr[data-member='{m}']");
        assert_eq!(
            form.texts(&format!("{row} > *")).len(),
            2,
            "name, then the line"
        );
        assert_eq!(
            form.attrs(&format!("{row} input[type=radio]"), "value"),
            ["present", "absent", "leave", "none"]
        );
        assert!(form.has(&format!("{row} input[value=present][checked]")));
        // The reason is there for a browser without scripts, folded until it is due.
        assert!(form.has(&format!(
            "{row} .att-reason:not(.shown) input[name='reason_{m}']"
        )));
    }
    let css_url = form
        .attrs("link[rel=stylesheet]", "href")
        .into_iter()
        .find(|h| h.contains("/app."))
        .unwrap();
    let css = secretary.get(&css_url).body;
    assert!(css.contains(
        "tr.att-row:not(:has(input[value=absent]:checked)):not(:has(input[value=leave]:checked)) .att-reason:not(.shown) { display: none; }"
    ));
    // A leave without a reason: that row's reason shows with its message, the others stay folded.
    let mut f = form_fields(&form, &format!("/party/branches/{branch}/activities"));
    set_field(&mut f, "title", "支部学习");
    set_field(&mut f, &format!("att_{}", rows[1]), "leave");
    let bad = secretary.multipart(&format!("/party/branches/{branch}/activities"), &f, &[]);
    assert_eq!(bad.status, 422, "{}", bad.body);
    let row = format!("#attendance tr[data-member='{}']", rows[1]);
    assert!(bad.has(&format!("{row} .att-reason.shown.invalid .field-error")));
    assert!(bad.has(&format!("{row} input[value=leave][checked]")));
    assert!(!bad.has(&format!(
        "#attendance tr[data-member='{}'] .att-reason.shown",
        rows[0]
    )));
    // A reason typed stays shown.
    set_field(&mut f, &format!("reason_{}", rows[1]), "病假");
    set_field(&mut f, "title", "");
    let kept = secretary.multipart(&format!("/party/branches/{branch}/activities"), &f, &[]);
    assert_eq!(kept.status, 422);
    assert_eq!(
        kept.value(&format!("{row} .att-reason.shown input"))
            .as_deref(),
        Some("病假")
    );
}
