use crate::helpers::*;

#[test]
fn a_grid_worker_cannot_open_another_communitys_grid() {
    let app = spawn_app();
    let worker = app.login("worker");
    let own = app.org_id("工人路社区第1网格");
    let other = app.org_id("陇西社区第1网格");
    assert_eq!(worker.get(&format!("/org/{own}")).status, 200);
    for path in [
        format!("/org/{other}"),
        format!("/grids/{other}/notice"),
        format!("/grids/{other}/card"),
    ] {
        let r = worker.get(&path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("陇西"), "{path} leaks the name");
    }
    // Even the grid next door in the same community is outside a grid worker's scope.
    let neighbour = app.org_id("工人路社区第2网格");
    assert_eq!(
        worker.get(&format!("/grids/{neighbour}/notice")).status,
        404
    );
}

#[test]
fn a_community_clerk_sees_only_their_community_in_tree_and_counts() {
    let app = spawn_app();
    let c = app.login("cclerk");
    let tree = c.get("/org");
    assert_eq!(tree.status, 200);
    let names = tree.texts("table.tree td.name");
    assert_eq!(names[0], "工人路社区");
    assert!(
        names.iter().all(|n| n.starts_with("工人路社区")),
        "{names:?}"
    );
    let grids = app.count(&format!(
        "SELECT COUNT(*) AS n FROM org_units WHERE parent_id = {}",
        app.org_id("工人路社区")
    ));
    assert_eq!(names.len() as i64, grids + 1);
    let street = app.org_id("林山寨街道");
    assert_eq!(c.get(&format!("/org/{street}")).status, 404);
    // The home counts the community's grids not patrolled today, out of all of them.
    let home = c.get("/");
    assert!(home.text(".unpatrolled h2").ends_with(&format!("/{grids}")));
}

#[test]
fn a_street_clerk_never_sees_the_other_street() {
    let app = spawn_app();
    let c = app.login("clerk");
    let tree = c.get("/org");
    assert!(tree.body.contains("工人路社区"));
    assert!(!tree.body.contains("绿东村") && !tree.body.contains("陇西社区"));
    let ldc = app.org_id("绿东村街道");
    assert_eq!(c.get(&format!("/org/{ldc}")).status, 404);
    let grid = app.org_id("陇西社区第2网格");
    let person = app.count(&format!(
        "SELECT CAST(MIN(id) AS BIGINT) AS n FROM grid_people WHERE grid_id = {grid}"
    ));
    assert_eq!(
        c.get(&format!("/grids/{grid}/people/{person}/edit")).status,
        404
    );
    // Nor can they change it by POST.
    let own_grid = app.org_id("工人路社区第1网格");
    let token = c.csrf(&format!("/org/{own_grid}"));
    let r = c.post_raw(
        &format!("/grids/{grid}/people/{person}/delete"),
        &[("csrf_token", &token)],
    );
    assert_eq!(r.status, 404);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM grid_people WHERE id = {person}"
        )),
        1
    );
}

#[test]
fn a_street_admin_manages_only_their_streets_users() {
    let app = spawn_app();
    // Make an admin whose scope is 林山寨街道.
    let lsz = app.org_id("林山寨街道");
    app.exec(&format!("UPDATE users SET role = 'admin' WHERE username = 'leader'; UPDATE users SET org_unit_id = {lsz} WHERE username = 'leader'"));
    let a = app.login("leader");
    let list = a.get("/users?q=&status=");
    assert_eq!(list.status, 200);
    let total_lsz = app.count(&format!("SELECT COUNT(*) AS n FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE o.path LIKE '/1/{lsz}/%'"));
    assert!(
        list.text(".pager").contains(&total_lsz.to_string()),
        "{}",
        list.text(".pager")
    );
    let foreign = app.count("SELECT CAST(MIN(u.id) AS BIGINT) AS n FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE o.name = '陇西社区'");
    let r = a.get(&format!("/users/{foreign}/edit"));
    assert_eq!(r.status, 404);
    let export = a.get("/users/export.xlsx");
    assert_eq!(export.status, 200);
    let text = xlsx_text(&export.bytes);
    assert!(text.contains("cclerk") && text.contains("工人路社区"));
    assert!(
        !text.contains("陇西社区") && !text.contains(">admin<"),
        "no user outside the scope"
    );
    // The district admin is outside too.
    let admin_id = app.user_id("admin");
    assert_eq!(a.get(&format!("/users/{admin_id}/edit")).status, 404);
}

#[test]
fn the_tree_export_holds_the_users_scope_only() {
    let app = spawn_app();
    let c = app.login("cclerk");
    let x = c.get("/org/export.xlsx");
    assert_eq!(x.status, 200);
    assert!(x.header("content-type").unwrap().contains("spreadsheetml"));
    let text = xlsx_text(&x.bytes);
    assert!(text.contains("工人路社区第4网格"));
    assert!(
        !text.contains("林山寨街道") && !text.contains("陇西社区"),
        "nothing outside the scope"
    );
    let whole = xlsx_text(&app.login("admin").get("/org/export.xlsx").bytes);
    assert!(whole.contains("陇西社区第1网格") && whole.contains("中原区"));
}
