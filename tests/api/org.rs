use crate::helpers::*;

#[test]
fn the_tree_shows_every_level_with_the_seed_reports_counts() {
    let app = spawn_app();
    let admin = app.login("admin");
    let tree = admin.get("/org");
    assert_eq!(tree.status, 200);
    let row = |name: &str| -> Vec<String> {
        let sel = scraper::Selector::parse("table.tree tbody tr").unwrap();
        let td = scraper::Selector::parse("td").unwrap();
        tree.doc()
            .select(&sel)
            .map(|tr| {
                tr.select(&td)
                    .map(|c| c.text().collect::<String>().trim().to_string())
                    .collect::<Vec<_>>()
            })
            .find(|cells| cells[0] == name)
            .unwrap_or_else(|| panic!("no row {name}"))
    };
    // name, level, communities, grids, staff, key sites
    assert_eq!(row("林山寨街道")[2..4], ["15", "51"]);
    assert_eq!(row("绿东村街道")[2..4], ["13", "46"]);
    assert_eq!(row("中原区")[2..4], ["28", "97"]);
    assert!(tree.body.contains("林山寨村"));
    assert!(
        tree.body.contains("工人路社区第1网格"),
        "grids are listed too"
    );
    let sites = app.count("SELECT COUNT(*) AS n FROM key_sites");
    assert_eq!(row("中原区")[5], sites.to_string());
    let staff = app.count("SELECT COUNT(*) AS n FROM users WHERE active = true");
    assert_eq!(row("中原区")[4], staff.to_string());
    // 绿东村: 30 office staff sent down as grid workers sit in the street office itself.
    let ldc = app.org_id("绿东村街道");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM users WHERE org_unit_id = {ldc} AND role = 'grid_worker'"
        )),
        30
    );
}

#[test]
fn a_unit_page_has_breadcrumbs_children_and_counts() {
    let app = spawn_app();
    let c = app.login("leader");
    let id = app.org_id("工人路社区");
    let page = c.get(&format!("/org/{id}"));
    assert_eq!(page.status, 200);
    assert_eq!(page.texts("nav.crumbs a"), vec!["林山寨街道", "工人路社区"]);
    assert!(page.text("table").contains("工人路社区第1网格"));
    let grid = app.org_id("工人路社区第1网格");
    let gp = c.get(&format!("/org/{grid}"));
    assert!(gp.has(&format!("a[href=\"/grids/{grid}/notice\"]")));
    assert!(gp.text("table").contains("网格长"));
    // A leader reads but does not edit.
    assert!(!gp.has(&format!("a[href=\"/grids/{grid}/people/new\"]")));
}

#[test]
fn an_admin_adds_a_community_and_a_grid_and_a_double_click_creates_one() {
    let app = spawn_app();
    let admin = app.login("admin");
    let street = app.org_id("林山寨街道");
    let page = admin.get(&format!("/org/new?parent={street}"));
    let token = page.value("input[name=form_token]").unwrap();
    let csrf = page.value("input[name=csrf_token]").unwrap();
    let parent = street.to_string();
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("form_token", token.as_str()),
        ("parent_id", parent.as_str()),
        ("kind", "community"),
        ("name", "新建社区"),
        ("code", "lsz-16"),
        ("phone", "0371-67001234"),
    ];
    let first = admin.post_raw("/org", &fields);
    let second = admin.post_raw("/org", &fields);
    assert_eq!(first.status, 303);
    assert_eq!(second.status, 303);
    assert_eq!(first.location(), second.location());
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM org_units WHERE name = '新建社区'"),
        1
    );
    let id = app.org_id("新建社区");
    assert_eq!(app.count(&format!("SELECT COUNT(*) AS n FROM org_units WHERE id = {id} AND code = 'LSZ-16' AND path = '/1/{street}/{id}/' AND depth = 2")), 1);
    let r = admin.submit(
        &format!("/org/new?parent={id}"),
        "/org",
        &[("kind", "grid"), ("name", "新建社区第1网格")],
    );
    assert_eq!(r.status, 303);
    let tree = admin.get("/org");
    assert!(tree.body.contains("新建社区第1网格"));
    // Kinds must fit the level: no street under a community.
    let r = admin.submit(
        &format!("/org/new?parent={id}"),
        "/org",
        &[("kind", "street"), ("name", "错层")],
    );
    assert_eq!(r.status, 422);
    assert!(r.has("#e-kind"));
}

#[test]
fn invalid_input_is_marked_beside_each_field_and_everything_typed_is_kept() {
    let app = spawn_app();
    let admin = app.login("admin");
    let street = app.org_id("林山寨街道");
    let long = "很".repeat(501);
    let r = admin.submit(
        &format!("/org/new?parent={street}"),
        "/org",
        &[
            ("kind", "community"),
            ("name", ""),
            ("phone", "12ab"),
            ("address", "中原路 88 号"),
            ("boundary", &long),
        ],
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.text("#e-name"), "此项必填");
    assert!(r.text("#e-phone").contains("电话"));
    assert_eq!(r.value("#f-phone").as_deref(), Some("12ab"));
    assert_eq!(r.value("#f-address").as_deref(), Some("中原路 88 号"));
    assert_eq!(r.text("#f-boundary"), long);
    assert!(r.text("#e-boundary").contains("500"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM org_units WHERE address = '中原路 88 号'"),
        0
    );
}

#[test]
fn a_stale_edit_is_refused_with_both_versions_shown() {
    let app = spawn_app();
    let a = app.login("admin");
    let id = app.org_id("工人路社区");
    let page = format!("/org/{id}/edit");
    let stale = a.get(&page);
    let fields_of = |name: &str| {
        vec![
            (
                "csrf_token".to_string(),
                stale.value("input[name=csrf_token]").unwrap(),
            ),
            (
                "version".to_string(),
                stale.value("input[name=version]").unwrap(),
            ),
            ("name".to_string(), name.to_string()),
            ("phone".to_string(), "0371-67000001".to_string()),
        ]
    };
    // Someone else saves first.
    let r = a.submit(
        &page,
        &format!("/org/{id}"),
        &[("name", "工人路社区（新）")],
    );
    assert_eq!(r.status, 303);
    let mine = fields_of("工人路社区（我的）");
    let pairs: Vec<(&str, &str)> = mine.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = a.post_raw(&format!("/org/{id}"), &pairs);
    assert_eq!(r.status, 409);
    assert!(r.text(".conflict .mine").contains("工人路社区（我的）"));
    assert!(r.text(".conflict .theirs").contains("工人路社区（新）"));
    assert_eq!(
        r.value("#f-name").as_deref(),
        Some("工人路社区（我的）"),
        "what was typed is kept"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM org_units WHERE name = '工人路社区（新）'"),
        1
    );
    // Submitting again (now against the current version) saves it deliberately.
    let again = a.post_raw(
        &format!("/org/{id}"),
        &[
            ("csrf_token", &r.value("input[name=csrf_token]").unwrap()),
            ("version", &r.value("input[name=version]").unwrap()),
            ("name", "工人路社区（我的）"),
        ],
    );
    assert_eq!(again.status, 303);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM org_units WHERE name = '工人路社区（我的）'"),
        1
    );
}

#[test]
fn only_admins_change_the_tree() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let street = app.org_id("林山寨街道");
    assert_eq!(clerk.get(&format!("/org/new?parent={street}")).status, 403);
    assert_eq!(clerk.get(&format!("/org/{street}/edit")).status, 403);
    let token = clerk.csrf("/org");
    let r = clerk.post_raw(
        "/org",
        &[
            ("csrf_token", &token),
            ("parent_id", &street.to_string()),
            ("kind", "community"),
            ("name", "x"),
        ],
    );
    assert_eq!(r.status, 403);
}

/// The counts kept on each unit equal a recount of the rows, after the changes that move them.
fn assert_counts_match(app: &TestApp) {
    let off = app.count(
        "SELECT COUNT(*) AS n FROM org_units o WHERE \
         o.staff_count <> (SELECT COUNT(*) FROM users u WHERE u.org_unit_id = o.id AND u.active) \
         OR o.site_count <> (SELECT COUNT(*) FROM key_sites k WHERE k.grid_id = o.id AND k.active)",
    );
    assert_eq!(off, 0, "units whose kept counts differ from a recount");
}

#[test]
fn kept_unit_counts_equal_a_raw_recount_after_changes() {
    let app = spawn_app();
    assert_counts_match(&app);
    let admin = app.login("admin");
    let org = app.org_id("工人路社区").to_string();
    let r = admin.submit(
        "/users/new",
        "/users",
        &[
            ("username", "zhouqian"),
            ("display_name", "周倩"),
            ("role", "clerk"),
            ("org_unit_id", &org),
            ("password", "Count#2026ok"),
        ],
    );
    assert_eq!(r.status, 303);
    assert_counts_match(&app);
    let id = app.user_id("zhouqian");
    let other = app.org_id("陇西社区").to_string();
    assert_eq!(
        admin
            .submit(
                &format!("/users/{id}/edit"),
                &format!("/users/{id}"),
                &[("org_unit_id", &other)]
            )
            .status,
        303
    );
    assert_counts_match(&app);
    assert_eq!(
        admin
            .submit(
                &format!("/users/{id}/edit"),
                &format!("/users/{id}/deactivate"),
                &[]
            )
            .status,
        303
    );
    assert_counts_match(&app);
    let grid = app.org_id("陇西社区第1网格");
    let r = admin.submit(
        &format!("/grids/{grid}/sites/new"),
        &format!("/grids/{grid}/sites"),
        &[
            ("name", "陇西加油站"),
            ("kind", "enterprise"),
            ("patrol_days", "1"),
        ],
    );
    assert_eq!(r.status, 303);
    assert_counts_match(&app);
    let tree = admin.get("/org");
    let sites = app.count("SELECT COUNT(*) AS n FROM key_sites WHERE active");
    assert!(
        tree.text("table.tree tbody tr:first-child")
            .contains(&sites.to_string())
    );
}

#[test]
fn only_an_empty_unit_can_be_deleted() {
    let app = spawn_app();
    let admin = app.login("admin");
    let street = app.org_id("林山寨街道");
    let r = admin.submit(
        &format!("/org/{street}/edit"),
        &format!("/org/{street}/delete"),
        &[],
    );
    assert_eq!(r.status, 303);
    assert!(admin.get(r.location()).text(".flash").contains("不能删除"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM org_units WHERE id = {street}"
        )),
        1
    );
    let r = admin.submit(
        &format!("/org/new?parent={street}"),
        "/org",
        &[("kind", "community"), ("name", "误建社区")],
    );
    let id = app.org_id("误建社区");
    assert_eq!(r.location(), format!("/org/{id}"));
    let r = admin.submit(
        &format!("/org/{id}/edit"),
        &format!("/org/{id}/delete"),
        &[],
    );
    assert_eq!(r.location(), format!("/org/{street}"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM org_units WHERE name = '误建社区'"),
        0
    );
    assert_eq!(app.count(&format!("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'delete' AND entity = 'org_unit' AND entity_id = {id}")), 1);
}

#[test]
fn simultaneous_submissions_of_one_form_create_one_record() {
    let app = spawn_app();
    let admin = app.login("admin");
    let street = app.org_id("林山寨街道");
    let page = admin.get(&format!("/org/new?parent={street}"));
    let token = page.value("input[name=form_token]").unwrap();
    let csrf = page.value("input[name=csrf_token]").unwrap();
    let cookie = admin.cookie_header();
    let parent = street.to_string();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (base, cookie, token, csrf, parent) = (
                admin.base.clone(),
                cookie.clone(),
                token.clone(),
                csrf.clone(),
                parent.clone(),
            );
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .max_redirects(0)
                    .build()
                    .into();
                let fields = [
                    ("csrf_token", csrf.as_str()),
                    ("form_token", token.as_str()),
                    ("parent_id", parent.as_str()),
                    ("kind", "community"),
                    ("name", "并发社区"),
                ];
                let r = agent
                    .post(&format!("{base}/org"))
                    .header("Cookie", &cookie)
                    .send_form(fields)
                    .unwrap();
                (
                    r.status().as_u16(),
                    r.headers()
                        .get("location")
                        .map(|v| v.to_str().unwrap().to_string()),
                )
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(results.iter().all(|(s, _)| *s == 303), "{results:?}");
    assert!(
        results.windows(2).all(|w| w[0].1 == w[1].1),
        "all go to the same record: {results:?}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM org_units WHERE name = '并发社区'"),
        1
    );
}

#[test]
fn the_tree_folds_communities_and_filters_by_name_without_script() {
    let app = spawn_app();
    let admin = app.login("admin");
    let tree = admin.get("/org");
    let communities =
        app.count("SELECT COUNT(*) AS n FROM org_units WHERE kind IN ('community', 'village')");
    let folds = tree.attrs("details.tree-fold", "data-name");
    assert_eq!(folds.len() as i64, communities);
    assert!(
        !tree.has("details.tree-fold[open]"),
        "folded below the district"
    );
    let grids = app.count(&format!(
        "SELECT COUNT(*) AS n FROM org_units WHERE parent_id = {} AND kind = 'grid'",
        app.org_id("工人路社区")
    ));
    let grl = "details.tree-fold[data-name='工人路社区']";
    assert!(
        tree.text(&format!("{grl} > summary"))
            .contains(&format!("{grids} 个网格"))
    );
    assert_eq!(
        tree.texts(&format!("{grl} tbody tr")).len() as i64,
        grids + 1,
        "the community's line, then its grids"
    );
    assert_eq!(tree.texts("table.tree thead").len(), 1, "one header");
    // The community's own clerk finds it open.
    let own = app.login("cclerk").get("/org");
    assert!(own.has(&format!("{grl}[open]")), "{}", own.body);
    // A grid's name: its community opened with that grid only, the units above kept.
    let found = admin
        .get("/org?q=%E5%B7%A5%E4%BA%BA%E8%B7%AF%E7%A4%BE%E5%8C%BA%E7%AC%AC2%E7%BD%91%E6%A0%BC");
    assert_eq!(found.value("#tree-q").as_deref(), Some("工人路社区第2网格"));
    assert_eq!(
        found.attrs("details.tree-fold", "data-name"),
        ["工人路社区"]
    );
    assert!(found.has(&format!("{grl}[open]")));
    assert_eq!(
        found.attrs(&format!("{grl} tbody tr"), "data-name"),
        ["工人路社区", "工人路社区第2网格"]
    );
    let above = found.attrs("table.tree:not(details table) tbody tr", "data-name");
    assert_eq!(above, ["中原区", "林山寨街道"]);
    // A community's name: all its grids.
    let found = admin.get(&format!(
        "/org?q={}",
        "%E5%B7%A5%E4%BA%BA%E8%B7%AF%E7%A4%BE%E5%8C%BA"
    ));
    assert_eq!(
        found.texts(&format!("{grl} tbody tr")).len() as i64,
        grids + 1
    );
    let none = admin.get("/org?q=NOSUCHUNIT");
    assert!(none.text("#tree-none").contains("NOSUCHUNIT"));
    assert!(!none.has("table.tree tbody tr"));
}
