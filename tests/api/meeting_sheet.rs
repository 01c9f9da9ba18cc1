//! The printed meeting record (周例会记录表, 日碰头记录表) and its workbook: a meeting made
//! through the real forms, held, recorded and decided, then its sheet and .xlsx read back.

use crate::helpers::*;

const TOPIC: &str = "楼道堆物清理";
const REMOVED: &str = "已移出的临时议题";
const SOLUTION: &str = "由物业公司三日内清理楼道堆物";
const PARTY: &str = "社区物业办";
const MINUTES_1: &str = "一、通报本周矛盾问题排查情况。";
const MINUTES_2: &str = "二、部署下周重点工作。";

/// A meeting of 工人路社区 created through the new-meeting form; its id.
pub fn create_meeting(app: &TestApp, c: &Client, kind: &str) -> i32 {
    let unit = app.org_id("工人路社区");
    let r = c.submit(
        &format!("/meetings/new?unit={unit}&kind={kind}"),
        "/meetings",
        &[
            ("kind", kind),
            ("start_time", "09:00"),
            ("end_time", "10:30"),
            ("place", "社区二楼会议室"),
            ("chair", "王主任"),
            ("recorder", "李记录"),
            ("guests", "张明，林山寨派出所"),
        ],
    );
    assert_eq!(r.status, 303, "create: {}", r.body);
    r.location()
        .trim_start_matches("/meetings/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Moves the meeting to its next state through the button on its page.
pub fn advance(app: &TestApp, c: &Client, id: i32, to: &str) {
    let r = c.submit(
        &format!("/meetings/{id}"),
        &format!("/meetings/{id}/state"),
        &[],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        app.strings(&format!("SELECT state AS s FROM meetings WHERE id = {id}")),
        vec![to.to_string()]
    );
}

/// Adds a free topic through the form on the meeting's page; the new item's id.
pub fn add_topic(app: &TestApp, c: &Client, id: i32, topic: &str) -> i32 {
    let r = c.submit(
        &format!("/meetings/{id}"),
        &format!("/meetings/{id}/items"),
        &[("topic", topic)],
    );
    assert_eq!(r.status, 303, "add topic: {}", r.body);
    app.count(&format!(
        "SELECT CAST(id AS BIGINT) AS n FROM meeting_items WHERE meeting_id = {id} AND title = '{topic}'"
    )) as i32
}

/// Records a decision on an item through its page.
pub fn decide(c: &Client, id: i32, item: i32, fields: &[(&str, &str)]) {
    let page = format!("/meetings/{id}/items/{item}");
    let r = c.submit(&page, &page, fields);
    assert_eq!(r.status, 303, "decide: {}", r.body);
}

/// A weekly meeting, held, with its attendance (the first attendee on leave) and minutes, a
/// decided free topic, and a topic removed from the agenda.
fn held_weekly(app: &TestApp, c: &Client) -> i32 {
    let id = create_meeting(app, c, "weekly");
    advance(app, c, id, "held");
    let people = app.strings(&format!(
        "SELECT CAST(id AS TEXT) AS s FROM meeting_people WHERE meeting_id = {id} ORDER BY position, id"
    ));
    assert!(people.len() >= 2, "staff invited and a guest: {people:?}");
    let mut fields: Vec<(String, String)> =
        vec![("minutes".into(), format!("{MINUTES_1}\n{MINUTES_2}"))];
    for (n, p) in people.iter().enumerate() {
        if n == 0 {
            fields.push((format!("att_{p}"), "leave".into()));
            fields.push((format!("absence_{p}"), "外出培训".into()));
        } else {
            fields.push((format!("att_{p}"), "present".into()));
        }
    }
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let record = format!("/meetings/{id}/record");
    let r = c.submit(&record, &record, &pairs);
    assert_eq!(r.status, 303, "record: {}", r.body);

    let topic = add_topic(app, c, id, TOPIC);
    let deadline = (local_today() + chrono::Duration::days(7)).to_string();
    decide(
        c,
        id,
        topic,
        &[
            ("discussion", "楼道堆放杂物存在消防隐患。"),
            ("solution", SOLUTION),
            ("target_kind", "party"),
            ("target_party", PARTY),
            ("deadline", &deadline),
        ],
    );
    let gone = add_topic(app, c, id, REMOVED);
    let r = c.submit(
        &format!("/meetings/{id}"),
        &format!("/meetings/{id}/items/{gone}/move"),
        &[("op", "remove")],
    );
    assert_eq!(r.status, 303);
    id
}

#[test]
fn the_weekly_sheet_prints_the_title_block_the_agenda_minutes_and_signatures() {
    let app = spawn_app();
    let c = app.login("cclerk");
    let id = held_weekly(&app, &c);
    let r = c.get(&format!("/meetings/{id}/sheet"));
    assert_eq!(r.status, 200, "{}", r.body);

    // Its own page: no navigation, the stylesheets, print and back on screen only.
    assert!(!r.has("nav") && !r.has(".topbar") && !r.has("header"));
    assert!(r.has("link[href^=\"/static/app.\"][href$=\".css\"]"));
    assert!(r.has("link[href^=\"/static/print.\"][media=print]"));
    assert!(r.has(".no-print button[data-print]"));
    assert!(r.has(&format!(".no-print a[href=\"/meetings/{id}\"]")));

    // The title block.
    assert_eq!(r.text("h1.sheet-title"), "工人路社区周例会记录表");
    assert_eq!(r.text("#sheet-unit"), "工人路社区");
    assert_eq!(r.text("#sheet-kind"), "周例会");
    assert_eq!(
        r.text("#sheet-time"),
        format!("{} 09:00–10:30", local_today())
    );
    assert_eq!(r.text("#sheet-place"), "社区二楼会议室");
    assert_eq!(r.text("#sheet-chair"), "王主任");
    assert_eq!(r.text("#sheet-recorder"), "李记录");
    let expected = app.count(&format!(
        "SELECT COUNT(*) AS n FROM meeting_people WHERE meeting_id = {id}"
    ));
    assert_eq!(
        r.text("#sheet-attendance"),
        format!("应到 {expected} 人 / 实到 {} 人", expected - 1)
    );
    let on_leave = app.strings(&format!(
        "SELECT name AS s FROM meeting_people WHERE meeting_id = {id} AND attendance = 'leave'"
    ));
    assert_eq!(
        r.text("#sheet-absent"),
        format!("{}（请假：外出培训）", on_leave[0])
    );
    assert!(r.text(".sheet-state").contains("纪要尚未定稿"));

    // One numbered row per agenda item, in the page's order; the removed topic is not printed.
    let page = c.get(&format!("/meetings/{id}"));
    assert_eq!(page.text("#absent"), r.text("#sheet-absent"));
    let agenda = page.texts("tr.agenda-item a.item-title");
    let titles = r.texts("#sheet-items tr.sheet-item .item-title");
    assert_eq!(titles, agenda);
    let on_agenda = app.count(&format!(
        "SELECT COUNT(*) AS n FROM meeting_items WHERE meeting_id = {id} AND removed = FALSE"
    ));
    assert_eq!(titles.len() as i64, on_agenda);
    assert!(titles.iter().any(|t| t == TOPIC));
    assert!(!r.body.contains(REMOVED));
    let numbers: Vec<String> = (1..=titles.len()).map(|n| n.to_string()).collect();
    assert_eq!(r.texts("#sheet-items tr.sheet-item td.num"), numbers);
    assert_eq!(
        r.texts("#sheet-items thead th"),
        [
            "序号",
            "问题",
            "所在网格",
            "责任单位",
            "处理意见",
            "办结时限"
        ]
    );

    // The decided topic's line: reason in words, responsible, decision, deadline.
    let row = r
        .doc()
        .select(&scraper::Selector::parse("#sheet-items tr.sheet-item").unwrap())
        .map(|tr| {
            tr.select(&scraper::Selector::parse("td").unwrap())
                .map(|td| td.text().collect::<String>().trim().to_string())
                .collect::<Vec<_>>()
        })
        .find(|cells| cells[1].contains(TOPIC))
        .unwrap();
    assert_eq!(row[1], format!("{TOPIC}（临时议题）"));
    assert_eq!(row[3], PARTY);
    assert_eq!(row[4], SOLUTION);
    assert_eq!(
        row[5],
        (local_today() + chrono::Duration::days(7)).to_string()
    );
    // Drafted issues carry their number and reasons in words (遗留, 超期, 新增 …), and their
    // grid without the community's name, which the title gives.
    let issue_rows: Vec<Vec<String>> = r
        .doc()
        .select(&scraper::Selector::parse("#sheet-items tr.sheet-item").unwrap())
        .map(|tr| {
            tr.select(&scraper::Selector::parse("td").unwrap())
                .map(|td| td.text().collect::<String>().trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|cells| cells[1].starts_with("LSZ-"))
        .collect();
    assert!(!issue_rows.is_empty(), "the register drafted issues");
    for cells in &issue_rows {
        assert!(cells[1].ends_with('）'), "{cells:?}");
        assert!(
            cells[2].starts_with('第') && cells[2].ends_with("网格"),
            "{cells:?}"
        );
    }

    // Minutes keep their line breaks; the signature lines close the sheet.
    assert_eq!(
        r.text("#sheet-minutes .minutes").replace("\r\n", "\n"),
        format!("{MINUTES_1}\n{MINUTES_2}")
    );
    assert!(r.has("#sheet-minutes .minutes.pre"));
    assert!(!r.has("#sheet-corrections"));
    let sign = r.text("#signatures");
    for s in ["主持人签字：", "记录人签字：", "日期："] {
        assert!(sign.contains(s), "{sign}");
    }

    // Page numbers on every printed page, from the locale, in the print frame's stylesheet; the
    // policy admits no inline style. The frame's footer closes the sheet.
    let style = crate::print::page_numbers(&c, &r);
    assert!(
        style.contains(
            r#"@bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页";"#
        ),
        "{style}"
    );
    let csp = r.header("content-security-policy").unwrap();
    assert!(csp.contains("style-src 'self';"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self';"));
    assert!(!r.has("style") && !r.body.contains("nonce"));
    assert!(r.text("#meeting-sheet #print-foot").contains("制表单位："));
}

#[test]
fn the_sheet_shows_corrections_after_the_minutes_and_speaks_english() {
    let app = spawn_app();
    let c = app.login("cclerk");
    let id = held_weekly(&app, &c);
    advance(&app, &c, id, "final");
    let record = format!("/meetings/{id}/record");
    let r = c.submit(
        &record,
        &record,
        &[
            ("minutes", &format!("{MINUTES_1}\n{MINUTES_2}\n三、补记。")),
            ("reason", "补记会议要求"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = c.get(&format!("/meetings/{id}/sheet"));
    assert!(
        !r.has(".sheet-state"),
        "a finalized record says nothing more"
    );
    assert!(r.text("#sheet-corrections").contains("补记会议要求"));
    let html = &r.body;
    assert!(
        html.find("id=\"sheet-minutes\"").unwrap() < html.find("id=\"sheet-corrections\"").unwrap()
            && html.find("id=\"sheet-corrections\"").unwrap()
                < html.find("id=\"signatures\"").unwrap()
    );

    // English: the title, the labels and the page numbers.
    let token = c.csrf(&format!("/meetings/{id}"));
    let r = c.post_raw(
        "/locale",
        &[("csrf_token", &token), ("lang", "en"), ("next", "/")],
    );
    assert_eq!(r.status, 303);
    let r = c.get(&format!("/meetings/{id}/sheet"));
    assert_eq!(r.text("h1.sheet-title"), "工人路社区 weekly meeting record");
    assert!(r.text("#signatures").contains("Chair's signature:"));
    let style = crate::print::page_numbers(&c, &r);
    assert!(
        style.contains(r#"content: "Page " counter(page) " of " counter(pages);"#),
        "{style}"
    );
}

#[test]
fn the_workbook_holds_the_title_block_the_items_and_the_attendance() {
    let app = spawn_app();
    let c = app.login("cclerk");
    let id = held_weekly(&app, &c);
    let r = c.get(&format!("/meetings/{id}/sheet.xlsx"));
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().contains("spreadsheetml"));
    assert!(
        r.header("content-disposition")
            .unwrap()
            .contains(&format!("meeting-{id}.xlsx"))
    );
    let text = xlsx_text(&r.bytes);
    for s in [
        "工人路社区周例会记录表",
        "社区二楼会议室",
        "王主任",
        "李记录",
        "序号",
        "责任单位",
        "办结时限",
        TOPIC,
        SOLUTION,
        PARTY,
        "外出培训",
        "张明",
        "林山寨派出所",
        "请假",
        "出席",
        MINUTES_2,
    ] {
        assert!(text.contains(s), "{s} in the workbook");
    }
    assert!(!text.contains(REMOVED));
    // Every item on the agenda is a row of the items sheet.
    for title in app.strings(&format!(
        "SELECT title AS s FROM meeting_items WHERE meeting_id = {id} AND removed = FALSE"
    )) {
        let escaped = title.replace('&', "&amp;").replace('<', "&lt;");
        assert!(text.contains(&escaped), "{title}");
    }
    // Three sheets.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&r.bytes[..])).unwrap();
    for n in 1..=3 {
        assert!(zip.by_name(&format!("xl/worksheets/sheet{n}.xml")).is_ok());
    }
    assert!(zip.by_name("xl/worksheets/sheet4.xml").is_err());
}

#[test]
fn outside_the_scope_neither_sheet_nor_workbook_exists() {
    let app = spawn_app();
    let c = app.login("cclerk");
    let id = create_meeting(&app, &c, "weekly");
    app.add_user("bclerk", "clerk", "百花社区");
    let other = app.login("bclerk");
    assert_eq!(other.get(&format!("/meetings/{id}/sheet")).status, 404);
    assert_eq!(other.get(&format!("/meetings/{id}/sheet.xlsx")).status, 404);
    assert_eq!(other.get("/meetings/999999/sheet").status, 404);
    // The street sees it; logged out, the login page.
    let street = app.login("leader");
    assert_eq!(street.get(&format!("/meetings/{id}/sheet")).status, 200);
    assert_eq!(
        street.get(&format!("/meetings/{id}/sheet.xlsx")).status,
        200
    );
    let anon = app.client();
    let r = anon.get(&format!("/meetings/{id}/sheet"));
    assert_eq!(r.status, 303);
    assert!(r.location().starts_with("/login"));
}

#[test]
fn a_huddle_prints_the_compact_form_and_a_supervision_meeting_its_own_title() {
    let app = spawn_app();
    let c = app.login("cclerk");
    let id = create_meeting(&app, &c, "huddle");
    advance(&app, &c, id, "held");
    let topic = add_topic(&app, &c, id, TOPIC);
    decide(
        &c,
        id,
        topic,
        &[
            ("solution", SOLUTION),
            ("target_kind", "party"),
            ("target_party", PARTY),
        ],
    );
    let r = c.get(&format!("/meetings/{id}/sheet"));
    assert_eq!(r.status, 200);
    assert_eq!(r.text("h1.sheet-title"), "工人路社区日碰头记录表");
    assert!(r.has("article.meeting-sheet.compact"));
    assert_eq!(
        r.texts("#sheet-items thead th"),
        ["序号", "问题", "网格", "处理意见/责任", "时限"]
    );
    let decision = r
        .texts("#sheet-items tr.sheet-item td.decision")
        .into_iter()
        .find(|t| t.contains(SOLUTION))
        .unwrap();
    assert!(decision.contains(&format!("责任：{PARTY}")), "{decision}");
    assert!(r.has("#signatures") && r.has("#sheet-minutes"));
    assert!(!r.has("#sheet-unit"), "the compact title block");

    let sup = create_meeting(&app, &c, "supervision");
    let r = c.get(&format!("/meetings/{sup}/sheet"));
    assert_eq!(r.text("h1.sheet-title"), "工人路社区督查会记录表");
    assert!(!r.has("article.meeting-sheet.compact"));
    assert_eq!(r.texts("#sheet-items thead th").len(), 6);

    // The weekly sheet is not compact either.
    let weekly = create_meeting(&app, &c, "weekly");
    assert!(
        !c.get(&format!("/meetings/{weekly}/sheet"))
            .has("article.meeting-sheet.compact")
    );
}
