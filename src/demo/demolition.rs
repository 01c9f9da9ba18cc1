//! The demo's demolition commands (issue 19), replayed from the seed report: the 陇海快速通道
//! command of 林山寨街道 — started 3/2, 13 groups, 299 households in 9 buildings and 17 public
//! units, surveys from 3/5, the first agreement on 3/6, over a hundred on 3/7, 258 on 3/8 and
//! all but one signed and moved out within ten days — with every group's daily report
//! submitted; and its 桐柏路下穿隧道 part (11 households all signed and moved out, 5 public
//! units of which 4 signed).

use chrono::{Datelike, NaiveDate};

use crate::db::{self, AnyConnection};
use crate::demolition::daily::models::{self as daily, ReportFields};
use crate::demolition::domain::{STEPS, day_counts};
use crate::demolition::households::models::{self as households, HouseholdFields, StepRow};
use crate::demolition::models::{self as commands, CommandFields, GroupFields};
use crate::error::AppResult;
use crate::org::models::OrgUnit;
use crate::projects::models::ProjectFields;

/// Cumulative households signed and moved out by day of March (the seed's series).
const SIGNED: [(u32, usize); 6] = [(6, 12), (7, 105), (8, 258), (9, 281), (10, 293), (11, 298)];
const MOVED: [(u32, usize); 4] = [(8, 120), (9, 220), (10, 280), (11, 298)];

const LEADERS: [&str; 13] = [
    "王东甫",
    "李建华",
    "张卫国",
    "刘志强",
    "陈桂兰",
    "杨明",
    "赵红梅",
    "黄建军",
    "周丽",
    "吴国庆",
    "徐海燕",
    "孙立新",
    "马晓东",
];

/// The day the k-th object (0-based) reaches a cumulative series; None when it never does.
fn day_of(series: &[(u32, usize)], k: usize, year: i32) -> Option<NaiveDate> {
    series
        .iter()
        .find(|(_, n)| *n > k)
        .and_then(|(d, _)| NaiveDate::from_ymd_opt(year, 3, *d))
}

/// One object's steps: surveyed, assessed and in negotiation from `survey`, then signed and
/// moved out on their days.
fn steps_of(
    survey: NaiveDate,
    sign: Option<NaiveDate>,
    vacate: Option<NaiveDate>,
) -> Vec<(&'static str, NaiveDate)> {
    let mut out: Vec<(&str, NaiveDate)> = STEPS[..3].iter().map(|s| (*s, survey)).collect();
    if let Some(s) = sign {
        out.push(("sign", s));
        if let Some(v) = vacate {
            out.push(("vacate", v));
        }
    }
    out
}

/// (kind, building, address, head, area m², steps)
type Object = (
    &'static str,
    String,
    String,
    String,
    i64,
    Vec<(&'static str, NaiveDate)>,
);

struct Plan<'a> {
    name: &'a str,
    start: NaiveDate,
    target: NaiveDate,
    groups: usize,
    objects: Vec<Object>,
    report_days: Vec<NaiveDate>,
}

fn command(conn: &mut AnyConnection, street: &OrgUnit, project: i32, p: Plan) -> AppResult<usize> {
    let now = db::now();
    let cid = commands::insert(
        conn,
        &CommandFields {
            project_id: project,
            scope_path: street.path.clone(),
            name: p.name.into(),
            commander: "王东甫".into(),
            started_on: p.start,
            target_on: p.target,
            closed: false,
        },
        now,
    )?;
    let mut gids = Vec::new();
    for i in 0..p.groups {
        let f = GroupFields {
            command_id: cid,
            name: format!("第{}组", i + 1),
            leader: LEADERS[i % LEADERS.len()].into(),
            members: "机关干部2名、社区干部1名".into(),
        };
        gids.push(commands::insert_group(conn, &f, now)?);
    }
    let mut rows = Vec::new();
    for (k, (kind, building, address, head, area, steps)) in p.objects.iter().enumerate() {
        let f = HouseholdFields {
            command_id: cid,
            group_id: gids[k % gids.len()],
            kind: (*kind).into(),
            building: building.clone(),
            address: address.clone(),
            area_dm2: area * 100,
            head: head.clone(),
            cadre: format!("包户干部{}", k % 40 + 1),
        };
        rows.push((f, steps.last().map(|s| s.0).unwrap_or("none")));
    }
    let ids = households::insert_many(conn, &rows, now)?;
    let mut steps: Vec<StepRow> = Vec::new();
    let mut counted = Vec::new();
    for (k, (kind, .., ss)) in p.objects.iter().enumerate() {
        let g = gids[k % gids.len()];
        for (s, on) in ss {
            steps.push((ids[k], cid, g, s, *on));
            if *kind == "household" && (*s == "sign" || *s == "vacate") {
                counted.push((g, s.to_string(), *on));
            }
        }
    }
    households::insert_steps(conn, &steps, now)?;
    let mut reports = Vec::new();
    for day in p.report_days {
        let counts = day_counts(&counted, day);
        for g in &gids {
            let c = counts.get(g).copied().unwrap_or_default();
            reports.push(ReportFields {
                command_id: cid,
                group_id: *g,
                day,
                signed_today: c.signed_today as i32,
                signed_total: c.signed_total as i32,
                moved_today: c.moved_today as i32,
                moved_total: c.moved_total as i32,
                difficulties: String::new(),
                submitted_by: None,
            });
        }
    }
    daily::insert_many(conn, &reports, now)?;
    Ok(p.objects.len())
}

/// Seeds the two commands under the street (with their project); answers the objects made.
pub fn generate(conn: &mut AnyConnection, street: &OrgUnit, today: NaiveDate) -> AppResult<usize> {
    // The last March that has passed its 12th.
    let year = if today >= NaiveDate::from_ymd_opt(today.year(), 3, 13).unwrap_or(today) {
        today.year()
    } else {
        today.year() - 1
    };
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(year, m, day).unwrap_or(today);
    let now = db::now();
    let project = crate::projects::models::insert(
        conn,
        &ProjectFields {
            unit_id: street.id,
            scope_path: street.path.clone(),
            name: "陇海快速通道工程（林山寨街道段）".into(),
            level: "city".into(),
            class: "urban".into(),
            owner: "郑州市市政工程管理处".into(),
            place: "林山寨街道".into(),
            content: "“畅通郑州”十大重点工程之一：房屋征拆，涉及公共单位17家、居民住宅9栋共299户"
                .into(),
            total_cents: 0,
            plan_year: year,
            year_plan_cents: 0,
            planned_start: Some(d(3, 2)),
            planned_finish: None,
            actual_start: Some(d(3, 2)),
            actual_finish: None,
            leader: "王东甫".into(),
            person: "征拆指挥部".into(),
        },
        now,
    )?;
    crate::projects::milestones::models::seed_stages(conn, project, now)?;
    let mut objects = Vec::new();
    for k in 0..299 {
        let b = k % 9 + 1;
        let room = k / 9 + 1;
        let steps = steps_of(d(3, 5), day_of(&SIGNED, k, year), day_of(&MOVED, k, year));
        objects.push((
            "household",
            format!("{b}号楼"),
            format!("陇海西路{b}号楼{}单元{}号", (room - 1) / 12 + 1, room),
            format!("住户{:03}", k + 1),
            60 + (k as i64 * 7) % 40,
            steps,
        ));
    }
    for u in 0..17 {
        let steps = steps_of(d(3, 5), Some(d(3, 9)), Some(d(3, 11)));
        objects.push((
            "unit",
            String::new(),
            format!("陇海西路公房单位{}", u + 1),
            format!("公共单位{}", u + 1),
            400 + u as i64 * 50,
            steps,
        ));
    }
    let mut n = command(
        conn,
        street,
        project,
        Plan {
            name: "陇海快速通道工程征拆工作指挥部",
            start: d(3, 2),
            target: d(3, 31),
            groups: 13,
            objects,
            report_days: (5..=12).map(|x| d(3, x)).collect(),
        },
    )?;
    // 桐柏路下穿隧道: the households all signed and moved out; 4 of the 5 units signed.
    let mut objects = Vec::new();
    for k in 0..11 {
        objects.push((
            "household",
            "桐柏路住宅".to_string(),
            format!("桐柏路{}号", k + 1),
            format!("住户T{:02}", k + 1),
            70,
            steps_of(d(3, 16), Some(d(3, 18)), Some(d(3, 20))),
        ));
    }
    for u in 0..5 {
        let sign = (u < 4).then(|| d(3, 20));
        objects.push((
            "unit",
            String::new(),
            format!("桐柏路企事业单位{}", u + 1),
            format!("企事业单位{}", u + 1),
            1300,
            steps_of(d(3, 16), sign, sign.map(|_| d(3, 25))),
        ));
    }
    n += command(
        conn,
        street,
        project,
        Plan {
            name: "桐柏路下穿隧道征拆工作组",
            start: d(3, 14),
            target: d(4, 30),
            groups: 2,
            objects,
            report_days: Vec::new(),
        },
    )?;
    Ok(n)
}
