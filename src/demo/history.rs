//! Day-based demo history: `--days N` gives every staff account a morning login on most working
//! days of the last N days, in the login log and the audit log, so those tables (and their pages)
//! have a realistic size. Patrols and issues add their own history as those features land.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use diesel::prelude::*;
use rand::Rng;
use rand::rngs::StdRng;

use crate::db::AnyConnection;
use crate::db::schema::{audit_log, login_log, org_units, users};
use crate::error::AppResult;

/// Share of working days on which a staff member logs in.
const ATTENDANCE: f64 = 0.8;

/// Inserts the history, oldest day first (so ids ascend with time). `today` is in the office's
/// zone; times are stored in UTC (Asia/Shanghai is UTC+8: 08:00-09:30 there is 00:00-01:30 UTC).
pub fn logins(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    today: NaiveDate,
    days: usize,
) -> AppResult<usize> {
    let staff: Vec<(i32, String, String)> = users::table
        .inner_join(org_units::table)
        .filter(users::active.eq(true))
        .order(users::id)
        .select((users::id, users::username, org_units::path))
        .load(conn)?;
    let mut rows = 0;
    // Each account's latest login, for the users list's 最近登录 (the order of the loop makes
    // the last write the latest).
    let mut last = std::collections::BTreeMap::new();
    for back in (1..=days as i64).rev() {
        let day = today - Duration::days(back);
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        for (id, username, path) in &staff {
            if !rng.random_bool(ATTENDANCE) {
                continue;
            }
            let minute = rng.random_range(0..90);
            let at = day.and_time(NaiveTime::MIN) + Duration::minutes(minute);
            let ip = format!(
                "10.{}.{}.{}",
                rng.random_range(1..20),
                rng.random_range(0..255),
                rng.random_range(2..250)
            );
            diesel::insert_into(login_log::table)
                .values((
                    login_log::username.eq(username),
                    login_log::user_id.eq(Some(*id)),
                    login_log::success.eq(true),
                    login_log::ip.eq(&ip),
                    login_log::created_at.eq(at),
                ))
                .execute(conn)?;
            diesel::insert_into(audit_log::table)
                .values((
                    audit_log::actor_id.eq(Some(*id)),
                    audit_log::actor_name.eq(username),
                    audit_log::ip.eq(&ip),
                    audit_log::action.eq("login"),
                    audit_log::entity.eq("session"),
                    audit_log::entity_id.eq(Some(*id)),
                    audit_log::summary.eq(username),
                    audit_log::scope_path.eq(path),
                    audit_log::created_at.eq(at),
                ))
                .execute(conn)?;
            last.insert(*id, at);
            rows += 1;
        }
    }
    for (id, at) in last {
        diesel::update(users::table.find(id))
            .set(users::last_login_at.eq(Some(at)))
            .execute(conn)?;
    }
    Ok(rows)
}
