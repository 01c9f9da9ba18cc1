//! A demo round of 定期督查 in 林山寨: this month's 暗访 over the street's first grids with the
//! checklist of the kinds the seed report names, the street leader inspecting. Deterministic:
//! the grids in tree order, the dates the month's first days.

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;

use crate::db::schema::users;
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;
use crate::inspections::domain::parse_checklist;
use crate::inspections::rounds::models::{Inspector, RoundFields, insert};
use crate::org::domain::Kind;
use crate::org::models::OrgUnit;

const CHECKLIST: &str = "小广告 | 墙面、电杆无乱贴乱画\n\
    占道经营 | 店外无摆放，无流动摊点\n\
    门头牌匾 | 无破损、无缺字，安装牢固\n\
    违法建设 | 无新增违建\n\
    窨井盖 | 无缺失、无破损、无移位\n\
    环境卫生 | 路面无垃圾，垃圾桶及时清运";

/// Plans this month's round under `street`; returns how many rounds.
pub fn generate(conn: &mut AnyConnection, street: &OrgUnit, today: NaiveDate) -> AppResult<usize> {
    let Some((leader, name)) = users::table
        .filter(users::username.eq("leader"))
        .select((users::id, users::display_name))
        .first_row::<(i32, String)>(conn)
        .optional()?
    else {
        return Ok(0);
    };
    let grids = crate::org::models::units_of_kind(conn, &street.path, Kind::Grid)?;
    let from = today.with_day(1).unwrap_or(today);
    let fields = RoundFields {
        unit_id: street.id,
        scope_path: street.path.clone(),
        title: format!("{}月环境秩序暗访", from.month()),
        mode: "covert".into(),
        planned_from: from,
        planned_to: from + Duration::days(4),
        notes: String::new(),
        unit_ids: grids.iter().take(6).map(|g| g.id).collect(),
        items: parse_checklist(CHECKLIST).unwrap_or_default(),
        inspectors: vec![Inspector {
            user_id: leader,
            name,
        }],
    };
    insert(conn, &fields, leader, crate::db::now())?;
    Ok(1)
}
