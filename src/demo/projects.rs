//! The demo's key projects (issue 19): the seed report's projects of 林山寨街道 with their
//! stages as it tells them (恒大中原经贸中心 68亿 in 拆迁 and 规划审批 at once, 嵩阳苑改造 past
//! 土地收储, 棉麻公司家属区连片改造 signed and surveyed, in 立项 and 规划审批 …) and monthly
//! reports up to this month, so the ledger shows every light.

use chrono::{Datelike, NaiveDate};

use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::org::models::OrgUnit;
use crate::projects::milestones::models::{self as milestones, MilestoneFields};
use crate::projects::models::{ProjectFields, insert};
use crate::projects::reports::models::{self as reports, ReportFields};

/// (name, level, class, owner, content, total 万元, year plan 万元, done stages, stages in
/// progress, share of the time schedule reached in %, 形象进度, problem)
type Seed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    &'static [&'static str],
    &'static [&'static str],
    i64,
    &'static str,
    &'static str,
);

const PROJECTS: [Seed; 6] = [
    (
        "恒大中原经贸中心",
        "city",
        "investment",
        "恒大地产集团郑州有限公司",
        "城市综合体，郑州市2013年重点工程",
        680_000,
        60_000,
        &["signed", "survey", "approval"],
        &["demolition", "planning"],
        60,
        "5月14日正式启动拆迁，规划方案进一步细化、论证",
        "规划方案尽快报批",
    ),
    (
        "河南省煤田地质局嵩阳苑改造",
        "district",
        "urban",
        "河南省煤田地质局",
        "家属院改造开发",
        20_000,
        8_000,
        &["signed", "survey", "approval", "planning", "land"],
        &["demolition"],
        95,
        "已完成土地收储",
        "",
    ),
    (
        "棉麻公司家属区连片改造开发",
        "district",
        "urban",
        "郑州市棉麻公司",
        "家属区连片改造开发",
        40_000,
        5_000,
        &["signed", "survey"],
        &["approval", "planning"],
        80,
        "中博会期间签约，完成居民和公共单位摸底调查",
        "旧城改造项目报批",
    ),
    (
        "郑州日报社印刷厂旧址改造开发",
        "city",
        "urban",
        "郑州日报社",
        "印刷厂旧址改造开发",
        35_000,
        12_000,
        &[
            "signed",
            "survey",
            "approval",
            "planning",
            "land",
            "demolition",
            "start",
            "topped_out",
        ],
        &[],
        105,
        "主体结构已封顶",
        "",
    ),
    (
        "中原宝龙城市广场",
        "district",
        "investment",
        "宝龙地产",
        "商业综合体",
        150_000,
        20_000,
        &["signed"],
        &["land"],
        20,
        "与土地权属单位就地价问题作进一步沟通",
        "地价协商",
    ),
    (
        "郑州市档案馆新馆",
        "city",
        "livelihood",
        "郑州市档案局",
        "档案馆新馆建设",
        30_000,
        3_000,
        &[
            "signed",
            "survey",
            "approval",
            "planning",
            "land",
            "demolition",
            "start",
            "topped_out",
            "finished",
        ],
        &[],
        100,
        "已顺利完工",
        "",
    ),
];

/// Seeds the projects under the street; answers how many.
pub fn generate(
    conn: &mut AnyConnection,
    street: &OrgUnit,
    reporter: i32,
    today: NaiveDate,
) -> AppResult<usize> {
    let year = today.year();
    let months = crate::projects::domain::months_elapsed(year, today);
    let now = db::now();
    for (name, level, class, owner, content, total, plan, done, going, reach, progress, problem) in
        PROJECTS
    {
        let f = ProjectFields {
            unit_id: street.id,
            scope_path: street.path.clone(),
            name: name.into(),
            level: level.into(),
            class: class.into(),
            owner: owner.into(),
            place: "林山寨街道".into(),
            content: content.into(),
            total_cents: total * 100,
            plan_year: year,
            year_plan_cents: plan * 100,
            planned_start: None,
            planned_finish: None,
            actual_start: None,
            actual_finish: None,
            leader: "王东甫".into(),
            person: "项目办".into(),
        };
        let id = insert(conn, &f, now)?;
        milestones::seed_stages(conn, id, now)?;
        for m in milestones::of_project(conn, id)? {
            let status = if done.contains(&m.stage.as_str()) {
                "done"
            } else if going.contains(&m.stage.as_str()) {
                "in_progress"
            } else {
                continue;
            };
            let fields = MilestoneFields {
                planned_on: None,
                actual_on: (status == "done")
                    .then_some(NaiveDate::from_ymd_opt(2013, 4, 1))
                    .flatten(),
                status: status.into(),
                note: String::new(),
            };
            milestones::update(conn, m.id, m.version, &fields, now)?;
        }
        // Monthly reports: an even pace reaching `reach` % of the time schedule.
        let per_month = plan * 100 * reach / 100 / 12;
        for month in 1..=months {
            let last = month == months;
            reports::insert(
                conn,
                &ReportFields {
                    project_id: id,
                    year,
                    month: month as i32,
                    done_cents: per_month,
                    progress: if last { progress.into() } else { String::new() },
                    problems: if last { problem.into() } else { String::new() },
                    corrects_id: None,
                    reason: String::new(),
                    reported_by: reporter,
                },
                now,
            )?;
        }
    }
    Ok(PROJECTS.len())
}
