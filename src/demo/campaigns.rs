//! The demo's campaigns (issue 20): the seed report's clean-up work as this year's campaigns,
//! with tallies by community at the report's rates up to today. 林山寨街道's 城市管理提升集中整治
//! (小广告、橱窗广告 15,000余次, 窨井 100余起, 占道 1,500余处, 违建 1,000余 m²) and 爱国卫生
//! 环境卫生整治; 绿东村街道's 门头牌匾和违法建设集中整治 (1,168 处 / 50,356 m² of signs, 196 处 /
//! 5,689 m² of 违建).

use chrono::{Datelike, NaiveDate};

use crate::campaigns::models::{self, CampaignFields, TargetFields};
use crate::campaigns::tallies::models::{self as tallies, TallyFields};
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::org::domain::Kind;
use crate::org::models::OrgUnit;

/// (name, basis, lead office, whole year, targets: (item, unit, target))
type Seed = (
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static [(&'static str, &'static str, i64)],
);

const LSZ: [Seed; 2] = [
    (
        "城市管理提升集中整治",
        "中原区城市管理提升工作实施方案",
        "城管科",
        true,
        &[
            ("清理小广告、橱窗广告", "times", 15_000),
            ("排查整改窨井", "cases", 100),
            ("清理占道经营", "places", 1_500),
            ("拆除违章建筑", "m2", 1_000),
        ],
    ),
    (
        "爱国卫生环境卫生整治",
        "郑州市“爱国卫生杯”竞赛考评办法",
        "爱卫办",
        false,
        &[("清理卫生死角", "places", 300), ("清运垃圾", "m3", 800)],
    ),
];

const LDC: [Seed; 1] = [(
    "门头牌匾和违法建设集中整治",
    "绿东村街道城市管理13项提升整治方案",
    "城管科",
    true,
    &[
        ("清理违章墙体广告、门头牌匾", "places", 1_168),
        ("清理违章广告面积", "m2", 50_356),
        ("拆除违章建筑", "places", 196),
        ("拆除违章建筑面积", "m2", 5_689),
    ],
)];

/// Writes the campaigns of a street with their tallies; answers how many tallies.
fn street(
    conn: &mut AnyConnection,
    street: &OrgUnit,
    seeds: &[Seed],
    reporter: i32,
    today: NaiveDate,
) -> AppResult<usize> {
    let communities = crate::org::models::units_of_kind(conn, &street.path, Kind::Community)?;
    let mut paths = Vec::new();
    for c in communities.iter().take(8) {
        paths.push((c.id, crate::org::models::get(conn, c.id)?.path));
    }
    let now = db::now();
    let mut n = 0;
    for (name, basis, office, whole_year, targets) in seeds {
        let (starts, ends) = if *whole_year {
            (
                NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today),
                NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today),
            )
        } else {
            (
                today - chrono::Duration::days(20),
                today + chrono::Duration::days(40),
            )
        };
        let id = models::insert(
            conn,
            &CampaignFields {
                unit_id: street.id,
                scope_path: street.path.clone(),
                name: name.to_string(),
                basis: basis.to_string(),
                lead_office: office.to_string(),
                starts_on: starts,
                ends_on: ends,
                note: String::new(),
            },
            now,
        )?;
        let total_days = (ends - starts).num_days() + 1;
        for (item, unit, target) in targets.iter() {
            models::insert_target(
                conn,
                &TargetFields {
                    campaign_id: id,
                    item: item.to_string(),
                    unit_of_count: unit.to_string(),
                    target: *target,
                },
                now,
            )?;
        }
        // Tallies every ten days, each community its share of the target at a pace near the
        // time schedule (one community behind, one ahead).
        let mut day = starts;
        let ts = models::targets(conn, id)?;
        while day <= today && day <= ends {
            for t in &ts {
                for (i, (unit_id, path)) in paths.iter().enumerate() {
                    let pace = [80, 100, 120, 95, 105, 90, 110, 100][i % 8];
                    let share = t.target * 10 * pace / (total_days * 100 * paths.len() as i64);
                    let amount = share.max(i64::from((i + day.day() as usize).is_multiple_of(3)));
                    tallies::insert(
                        conn,
                        &TallyFields {
                            campaign_id: id,
                            target_id: t.id,
                            unit_id: *unit_id,
                            scope_path: path.clone(),
                            done_on: day,
                            amount,
                            note: String::new(),
                            corrects_id: None,
                            reason: String::new(),
                            entered_by: reporter,
                        },
                        now,
                    )?;
                    n += 1;
                }
            }
            day += chrono::Duration::days(10);
        }
    }
    Ok(n)
}

pub fn generate(
    conn: &mut AnyConnection,
    lsz: &OrgUnit,
    ldc: &OrgUnit,
    reporter: i32,
    today: NaiveDate,
) -> AppResult<usize> {
    Ok(street(conn, lsz, &LSZ, reporter, today)? + street(conn, ldc, &LDC, reporter, today)?)
}
