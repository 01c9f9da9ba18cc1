//! The log form's parsing: rows, blank rows, limits and every message.

use super::*;

fn cats() -> Vec<CategoryRow> {
    vec![
        CategoryRow {
            id: 1,
            parent_id: None,
            name: "环境".into(),
            limit_value: 0,
            limit_unit: "day".into(),
            active: true,
        },
        CategoryRow {
            id: 101,
            parent_id: Some(1),
            name: "垃圾".into(),
            limit_value: 3,
            limit_unit: "day".into(),
            active: true,
        },
    ]
}

fn cx<'a>(cats: &'a [CategoryRow]) -> Context<'a> {
    Context {
        grids: &[7],
        sites: &[3, 4],
        categories: cats,
        today: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        now: NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
        correcting: false,
        fixed_grid: None,
    }
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn base() -> Vec<(&'static str, &'static str)> {
    vec![
        ("grid_id", "7"),
        ("day", "2026-11-27"),
        ("started_at", "08:30"),
        ("ended_at", "11:00"),
    ]
}

#[test]
fn rows_are_read_and_blank_rows_skipped() {
    let mut p = base();
    p.extend([
        ("site_finding_3", "normal"),
        ("site_finding_4", ""),
        ("visit_address_0", "3号楼 2单元 301"),
        ("visit_householder_0", "王秀英"),
        ("visit_address_1", ""),
        ("problem_title_0", "垃圾堆放"),
        ("problem_category_0", "101"),
    ]);
    let f = PatrolForm::from_fields(&fields(&p));
    let cats = cats();
    let log = f.parse(&cx(&cats)).unwrap();
    assert_eq!(log.sites.len(), 1);
    assert_eq!(log.visits.len(), 1);
    assert_eq!(log.visits[0].household(), "3号楼2单元301");
    assert_eq!(log.problems.len(), 1);
    assert_eq!(log.problems[0].urgency, "normal");
}

#[test]
fn impossible_times_and_days() {
    let cats = cats();
    let mut p = base();
    p[3] = ("ended_at", "08:00");
    let e = PatrolForm::from_fields(&fields(&p))
        .parse(&cx(&cats))
        .unwrap_err();
    assert_eq!(
        e.form.get("ended_at").unwrap().key,
        "patrols.end_before_start"
    );

    let mut p = base();
    p[2] = ("started_at", "15:30");
    p[3] = ("ended_at", "17:00");
    let e = PatrolForm::from_fields(&fields(&p))
        .parse(&cx(&cats))
        .unwrap_err();
    assert_eq!(e.form.get("ended_at").unwrap().key, "patrols.future_time");

    let mut p = base();
    p[1] = ("day", "2026-11-28");
    let e = PatrolForm::from_fields(&fields(&p))
        .parse(&cx(&cats))
        .unwrap_err();
    assert_eq!(e.form.get("day").unwrap().key, "patrols.future_day");

    let mut p = base();
    p[1] = ("day", "2026-10-01");
    let e = PatrolForm::from_fields(&fields(&p))
        .parse(&cx(&cats))
        .unwrap_err();
    assert_eq!(e.form.get("day").unwrap().key, "patrols.too_old");
}

#[test]
fn unknown_sites_and_bad_rows() {
    let cats = cats();
    let mut p = base();
    p.extend([
        ("site_finding_99", "normal"),
        ("site_finding_3", "problem"),
        ("visit_householder_0", "李"),
        ("visit_phone_0", "12"),
        ("problem_title_0", "x"),
        ("problem_category_0", "1"),
    ]);
    let e = PatrolForm::from_fields(&fields(&p))
        .parse(&cx(&cats))
        .unwrap_err();
    assert_eq!(e.form.get("sites").unwrap().key, "patrols.unknown_site");
    assert_eq!(
        e.site(3).unwrap().get("note").unwrap().key,
        "patrols.site_problem_note"
    );
    assert!(e.visit(0).unwrap().has("address") && e.visit(0).unwrap().has("phone"));
    assert_eq!(
        e.problem(0).unwrap().get("category").unwrap().key,
        "issues.unknown_category"
    );
}

#[test]
fn more_rows_and_limits() {
    let mut f = PatrolForm::from_fields(&fields(&[("visit_address_500", "x")]));
    assert!(f.visits.is_empty(), "a row past the limit is ignored");
    f.pad_rows();
    assert_eq!(f.visits.len(), VISIT_ROWS);
    f.more = "visit".into();
    f.pad_rows();
    assert_eq!(f.visits.len(), VISIT_ROWS + 1);
}
