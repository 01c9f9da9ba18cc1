//! The livelihood report's demo slice: 林山寨街道's indicators with the seed report's figures
//! for 2012 (新增城镇就业 2,602 against 2,580; 审批低保 140户, 保障 1,298人次, 发放 50.01万元; 56
//! 三类楼院, 9 文化活动中心, 24 健身场所, 12 社区医疗服务站), spread over the months and frozen,
//! and the current year at the same rates up to last month.

use chrono::{Datelike, NaiveDate};

use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::livelihood::models::{self, IndicatorFields, NewEntry};
use crate::org::models::OrgUnit;

/// (name, unit, summed over the year, target, the year's figure, office), amounts in the unit's
/// smallest step.
const SEED: [(&str, &str, bool, i64, i64, &str); 8] = [
    ("新增城镇就业", "人", true, 2580, 2602, "劳动保障事务所"),
    ("审批低保", "户", true, 150, 140, "民政办"),
    ("低保保障人次", "人次", true, 1300, 1298, "民政办"),
    ("发放低保金", "万元", true, 5200, 5001, "民政办"),
    ("三类楼院达标", "个", false, 60, 56, "城管科"),
    ("文化活动中心", "个", false, 9, 9, "社会事务办"),
    ("健身活动场所", "处", false, 24, 24, "社会事务办"),
    ("社区医疗服务站", "个", false, 12, 12, "社会事务办"),
];

/// Month `m`'s figure of a year totalling `total`: a summed figure spread evenly (the remainder
/// on the first months), a stock figure growing to its total by September.
fn month_figure(summed: bool, total: i64, m: i64) -> i64 {
    if summed {
        total / 12 + i64::from(m <= total % 12)
    } else {
        (total - (9 - m).max(0) * total / 24).max(0)
    }
}

/// Writes the slice; answers the entries written.
pub fn generate(conn: &mut AnyConnection, street: &OrgUnit, today: NaiveDate) -> AppResult<usize> {
    let mut n = 0;
    let now = db::now();
    for (year, months, frozen) in [
        (2012, 12, 12),
        (
            today.year(),
            today.month0() as i32,
            today.month0() as i32 - 1,
        ),
    ] {
        for (order, (name, unit, summed, target, total, office)) in SEED.iter().enumerate() {
            let id = models::insert(
                conn,
                &IndicatorFields {
                    unit_id: street.id,
                    scope_path: street.path.clone(),
                    year,
                    name: name.to_string(),
                    count_unit: unit.to_string(),
                    summed: *summed,
                    target: *target,
                    office: office.to_string(),
                    note: String::new(),
                    sort_order: order as i32 + 1,
                },
                now,
            )?;
            for m in 1..=months {
                models::insert_entry(
                    conn,
                    &NewEntry {
                        indicator_id: id,
                        scope_path: street.path.clone(),
                        month: m,
                        amount: month_figure(*summed, *total, m as i64),
                        reason: String::new(),
                        author_id: None,
                        author_name: office.to_string(),
                        created_at: now,
                    },
                )?;
                n += 1;
            }
        }
        for m in 1..=frozen {
            models::freeze_by(conn, street.id, (year, m), None, now)?;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_months_add_up_to_the_seeds_year() {
        for (_, _, summed, _, total, _) in SEED {
            let months: Vec<Option<i64>> = (1..=12)
                .map(|m| Some(month_figure(summed, total, m)))
                .collect();
            let months: [Option<i64>; 12] = months.try_into().unwrap();
            assert_eq!(
                crate::livelihood::domain::cumulative(summed, &months, 12),
                Some(total)
            );
        }
    }
}
