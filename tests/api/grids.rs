use crate::helpers::*;

#[test]
fn the_public_notice_shows_the_responsible_people_and_prints() {
    let app = spawn_app();
    let c = app.login("worker");
    let grid = app.org_id("工人路社区第1网格");
    let r = c.get(&format!("/grids/{grid}/notice"));
    assert_eq!(r.status, 200);
    assert!(r.text("h1").contains("工人路社区第1网格"));
    assert!(r.text(".sub").contains("林山寨街道") && r.text(".sub").contains("工人路社区"));
    let people = r.texts(".person .pname");
    assert!(people.contains(&"工人路网格员".to_string()), "{people:?}");
    assert_eq!(
        people.len() as i64,
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM grid_people WHERE grid_id = {grid}"
        ))
    );
    assert!(
        r.texts(".person .duty")[0].contains("网格长"),
        "grid leader first"
    );
    // Phones are in full on the public notice.
    assert!(
        r.text(".person .phone")
            .chars()
            .filter(|c| c.is_ascii_digit())
            .count()
            >= 11
    );
    assert!(r.text("#verified").contains("尚未核对"));
    assert!(r.has("link[rel=stylesheet][media=print]"));
    assert!(r.has("button[data-print]"));
}

#[test]
fn a_clerk_marks_the_notice_verified_today() {
    let app = spawn_app();
    let c = app.login("cclerk");
    let grid = app.org_id("工人路社区第1网格");
    let page = format!("/grids/{grid}/notice");
    let r = c.submit(&page, &format!("/grids/{grid}/notice/verify"), &[]);
    assert_eq!(r.status, 303);
    let today = local_today().format("%Y-%m-%d").to_string();
    assert!(c.get(&page).text("#verified").contains(&today));
    // A grid worker may read, not verify.
    let w = app.login("worker");
    assert!(
        !w.get(&page)
            .has(&format!("form[action=\"/grids/{grid}/notice/verify\"]"))
    );
    let token = w.csrf(&page);
    assert_eq!(
        w.post_raw(
            &format!("/grids/{grid}/notice/verify"),
            &[("csrf_token", &token)]
        )
        .status,
        403
    );
}

#[test]
fn the_service_card_sheet_has_eight_cards() {
    let app = spawn_app();
    let c = app.login("leader");
    let grid = app.org_id("工人路社区第2网格");
    let r = c.get(&format!("/grids/{grid}/card"));
    assert_eq!(r.status, 200);
    assert_eq!(r.texts(".service-card").len(), 8);
    assert!(r.text(".service-card").contains("工人路社区第2网格"));
}

#[test]
fn a_clerk_adds_edits_and_removes_a_responsible_person() {
    let app = spawn_app();
    let c = app.login("cclerk");
    let grid = app.org_id("工人路社区第1网格");
    let new = format!("/grids/{grid}/people/new");
    let action = format!("/grids/{grid}/people");
    // A partner-unit person needs their unit; the phone must be a phone.
    let bad = c.submit(
        &new,
        &action,
        &[
            ("duty", "partner_unit"),
            ("name", "赵志强"),
            ("phone", "abc"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-unit_name") && bad.has("#e-phone"));
    assert_eq!(bad.value("#f-name").as_deref(), Some("赵志强"));
    let ok = c.submit(
        &new,
        &action,
        &[
            ("duty", "partner_unit"),
            ("name", "赵志强"),
            ("unit_name", "林山寨派出所"),
            ("phone", "13900001111"),
            ("service_items", "治安巡逻"),
        ],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let pid = app.count("SELECT CAST(id AS BIGINT) AS n FROM grid_people WHERE name = '赵志强'");
    let notice = c.get(&format!("/grids/{grid}/notice"));
    assert!(notice.text(".people").contains("林山寨派出所"));
    // Choosing a staff account fills the name and phone.
    let staff = app.user_id("cclerk").to_string();
    let r = c.submit(
        &new,
        &action,
        &[("duty", "sent_down_cadre"), ("user_id", &staff)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(app.count(&format!("SELECT COUNT(*) AS n FROM grid_people WHERE grid_id = {grid} AND user_id = {staff} AND name = '工人路社区工作人员'")), 1);
    let edit = format!("/grids/{grid}/people/{pid}/edit");
    let r = c.submit(
        &edit,
        &format!("/grids/{grid}/people/{pid}"),
        &[("phone", "13900002222")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM grid_people WHERE phone = '13900002222'"),
        1
    );
    let r = c.submit(&edit, &format!("/grids/{grid}/people/{pid}/delete"), &[]);
    assert_eq!(r.status, 303);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM grid_people WHERE id = {pid}"
        )),
        0
    );
}

pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([10, 120, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

#[test]
fn a_photo_is_checked_by_content_reencoded_and_served_only_in_scope() {
    let app = spawn_app_with(|s| s.upload_max_bytes = 200_000);
    let c = app.login("cclerk");
    let grid = app.org_id("工人路社区第1网格");
    let pid = app.count(&format!(
        "SELECT CAST(MIN(id) AS BIGINT) AS n FROM grid_people WHERE grid_id = {grid}"
    ));
    let edit = format!("/grids/{grid}/people/{pid}/edit");
    let action = format!("/grids/{grid}/people/{pid}/photo");
    let fake = c.upload(
        &edit,
        &action,
        "photo",
        "photo.jpg",
        "image/jpeg",
        b"<html><script>alert(1)</script></html>",
    );
    assert_eq!(fake.status, 422);
    assert!(fake.text("#e-photo").contains("JPEG"));
    let big = c.upload(
        &edit,
        &action,
        "photo",
        "big.png",
        "image/png",
        &vec![7u8; 300_000],
    );
    assert_eq!(big.status, 422);
    assert!(big.text("#e-photo").contains("MB"));
    let ok = c.upload(
        &edit,
        &action,
        "photo",
        "me.png",
        "image/png",
        &png(800, 1000),
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let photo = c.get(&action);
    assert_eq!(photo.status, 200);
    assert_eq!(photo.header("content-type"), Some("image/jpeg"));
    assert_eq!(&photo.bytes[..2], &[0xFF, 0xD8]);
    let img = image::load_from_memory(&photo.bytes).unwrap();
    assert!(img.width() <= 600 && img.height() <= 600);
    // Another street's clerk cannot fetch it.
    app.exec(&format!(
        "UPDATE users SET org_unit_id = {} WHERE username = 'clerk'",
        app.org_id("绿东村街道")
    ));
    let other = app.login("clerk");
    assert_eq!(other.get(&action).status, 404);
}

#[test]
fn key_sites_are_added_with_a_patrol_interval_and_edited() {
    let app = spawn_app();
    let c = app.login("clerk");
    let grid = app.org_id("工人路社区第3网格");
    let new = format!("/grids/{grid}/sites/new");
    let action = format!("/grids/{grid}/sites");
    let bad = c.submit(
        &new,
        &action,
        &[
            ("name", "工人路实验学校"),
            ("kind", "castle"),
            ("patrol_days", "0"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-kind") && bad.has("#e-patrol_days"));
    assert_eq!(bad.value("#f-name").as_deref(), Some("工人路实验学校"));
    let ok = c.submit(
        &new,
        &action,
        &[
            ("name", "工人路实验学校"),
            ("kind", "school"),
            ("patrol_days", "1"),
            ("address", "工人路 12 号"),
        ],
    );
    assert_eq!(ok.status, 303);
    let sid =
        app.count("SELECT CAST(id AS BIGINT) AS n FROM key_sites WHERE name = '工人路实验学校'");
    let page = c.get(&format!("/org/{grid}"));
    assert!(page.text("table").contains("工人路实验学校"));
    let edit = format!("/grids/{grid}/sites/{sid}/edit");
    // Unticking "in use" retires the site.
    let p = c.get(&edit);
    let csrf = p.value("input[name=csrf_token]").unwrap();
    let version = p.value("input[name=version]").unwrap();
    let r = c.post_raw(
        &format!("/grids/{grid}/sites/{sid}"),
        &[
            ("csrf_token", &csrf),
            ("version", &version),
            ("name", "工人路实验学校"),
            ("kind", "school"),
            ("patrol_days", "7"),
        ],
    );
    assert_eq!(r.status, 303);
    assert_eq!(app.count(&format!("SELECT COUNT(*) AS n FROM key_sites WHERE id = {sid} AND patrol_days = 7 AND active = false")), 1);
}
