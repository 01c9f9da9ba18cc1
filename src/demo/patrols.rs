//! Demo patrols and household visits (日巡查、日走访): every grid logs one patrol on each working
//! day of the period, by one of its workers in turn. Shaped for the coverage pages: about 3% of
//! working days have no log, a few workers stopped logging 3–6 days ago, a quarter of the logs
//! are the one-click "patrolled, nothing to report"; the others have times, a route, checks of
//! the key sites their interval makes due (and some more, about 3% finding a problem) and up to
//! four visits to households of the grid's pool. The issues the demo reported from patrols
//! (source `patrol`) are linked to their grid's log of that day.
//!
//! Written like the demo issues (`super::bulk`): patrols get explicit ids so their checks,
//! visits and issue links can name them in the same multi-row INSERTs.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use rand::Rng;
use rand::rngs::StdRng;

use super::bulk::{Bulk, q, ts};
use super::names;
use crate::calendar::WorkCalendar;
use crate::db::AnyConnection;
use crate::db::schema::{grid_people, issues, key_sites, org_units, patrols, users};
use crate::error::AppResult;

/// Share of working days a grid has no log.
const MISSING: f64 = 0.03;
/// Share of grids one of whose workers stopped logging a few days ago.
const IDLE: f64 = 0.03;
/// Share of logs that are the one-click "nothing to report".
const QUICK: f64 = 0.25;
/// Share of key-site checks that find a problem.
const SITE_PROBLEM: f64 = 0.03;
/// Chance a site not yet due is checked anyway.
const EXTRA_CHECK: f64 = 0.15;
/// Households in a grid's pool.
const HOUSEHOLDS: usize = 120;
/// Weights of 0, 1, 2, 3 and 4 visits on a full log.
const VISIT_WEIGHTS: [u32; 5] = [8, 12, 25, 30, 25];

const PATROL_COLUMNS: &str = "id, grid_id, scope_path, worker_id, day, started_at, ended_at, \
    route, notes, quick, sites_checked, site_problems, visits, problems, corrections, version, \
    created_at, updated_at";
const SITE_COLUMNS: &str = "patrol_id, site_id, day, finding, note";
const VISIT_COLUMNS: &str =
    "patrol_id, grid_id, day, household, address, householder, phone, learned, needs";

/// Zhengzhou roads the grids' compounds and routes lie on.
pub(super) const ROADS: &[&str] = &[
    "工人路",
    "桐柏路",
    "伊河路",
    "建设西路",
    "煤仓街",
    "友爱路",
    "西里路",
    "嵩山路",
    "颍河路",
    "棉纺路",
    "华山路",
    "秦岭路",
    "汝河路",
    "伏牛路",
    "陇海路",
    "中原路",
    "淮河路",
    "百花路",
    "电缆路",
    "须水路",
    "五一路",
    "市场街",
    "大学路",
    "航海路",
];
/// Places on a route besides compounds and key sites.
const PLACES: &[&str] = &[
    "小区北门",
    "农贸市场",
    "公交站台",
    "幼儿园门口",
    "沿街商铺",
    "健身广场",
    "垃圾中转站",
    "地下车库入口",
    "便民服务点",
    "背街小巷",
];
const NOTES: &[&str] = &[
    "",
    "",
    "辖区秩序良好",
    "重点部位检查完毕，未见异常",
    "走访中宣传防范电信诈骗知识",
    "提醒沿街商户规范经营",
    "清理楼道小广告若干处",
    "宣传燃气安全使用常识",
];
const SITE_PROBLEMS: &[&str] = &[
    "消防通道有杂物堆放",
    "围挡局部破损",
    "灭火器压力不足",
    "门口占道经营",
    "窨井盖松动",
    "安全出口指示灯损坏",
    "现场有积水未清理",
    "渣土车未覆盖篷布",
];
const LEARNED: &[&str] = &[
    "家庭和睦，无矛盾纠纷",
    "独居老人，身体状况良好，生活能自理",
    "租户新入住，已登记基本信息",
    "反映楼道灯损坏",
    "子女在外地工作，老人需定期关照",
    "低保户，生活基本稳定",
    "反映小区停车难",
    "残疾人家庭，补贴已落实",
    "新生儿家庭，已告知疫苗接种安排",
    "与楼上住户因漏水有分歧",
    "对物业服务有意见",
    "已宣传反诈知识并发放资料",
    "退役军人家庭，已登记信息",
    "家中无人，已留联系卡",
];
const NEEDS: &[&str] = &[
    "",
    "",
    "",
    "希望协调维修楼道灯",
    "申请临时救助",
    "咨询医保缴费",
    "咨询居住证办理",
    "希望楼道加装扶手",
    "需上门代办老年人优待证",
    "希望调解邻里漏水纠纷",
    "咨询就业岗位信息",
];

/// A household of a grid's pool.
struct Household {
    key: String,
    address: String,
    householder: String,
    phone: String,
}

/// An active key site: id, name, interval in days, last checked.
type Site = (i32, String, i32, Option<NaiveDate>);

/// A grid with what the generator needs of it.
struct Grid {
    id: i32,
    path: String,
    workers: Vec<i32>,
    sites: Vec<Site>,
    roads: Vec<&'static str>,
    households: Vec<Household>,
    /// A worker who stopped logging, and from which day on.
    idle: Option<(i32, NaiveDate)>,
}

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

/// Local time-of-day `h:m` plus `minutes`.
fn at(h: u32, m: u32, minutes: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN) + Duration::minutes(minutes.into())
}

fn households(rng: &mut StdRng, roads: &[&'static str]) -> Vec<Household> {
    // A handful of compounds (楼院), then flats in them.
    let compounds: Vec<(&str, u32)> = (0..rng.random_range(4..=8))
        .map(|_| {
            (
                roads[rng.random_range(0..roads.len())],
                rng.random_range(1..=220),
            )
        })
        .collect();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(HOUSEHOLDS);
    while out.len() < HOUSEHOLDS {
        let (road, no) = compounds[rng.random_range(0..compounds.len())];
        let address = format!(
            "{road}{no}号院{}号楼{}单元{}0{}",
            rng.random_range(1..=12),
            rng.random_range(1..=4),
            rng.random_range(1..=7),
            rng.random_range(1..=3)
        );
        let key: String = address.chars().filter(|c| !c.is_whitespace()).collect();
        if !seen.insert(key.clone()) {
            continue;
        }
        out.push(Household {
            key,
            address,
            householder: names::person_name(rng),
            phone: names::mobile(rng),
        });
    }
    out
}

fn load_grids(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    today: NaiveDate,
) -> AppResult<Vec<Grid>> {
    let units: Vec<(i32, String)> = org_units::table
        .filter(org_units::kind.eq("grid"))
        .order(org_units::id)
        .select((org_units::id, org_units::path))
        .load(conn)?;
    // A grid's workers: accounts of the grid itself, and staff named among its people (office
    // staff sent down keep their own unit).
    let mut workers: HashMap<i32, Vec<i32>> = HashMap::new();
    let own: Vec<(i32, i32)> = users::table
        .inner_join(org_units::table)
        .filter(org_units::kind.eq("grid"))
        .filter(users::active.eq(true))
        .select((users::org_unit_id, users::id))
        .load(conn)?;
    let named: Vec<(i32, Option<i32>)> = grid_people::table
        .inner_join(users::table.on(grid_people::user_id.eq(users::id.nullable())))
        .filter(users::active.eq(true))
        .select((grid_people::grid_id, grid_people::user_id))
        .load(conn)?;
    for (grid, user) in own
        .into_iter()
        .chain(named.into_iter().filter_map(|(g, u)| Some((g, u?))))
    {
        workers.entry(grid).or_default().push(user);
    }
    let mut sites: HashMap<i32, Vec<Site>> = HashMap::new();
    let rows: Vec<(i32, i32, String, i32)> = key_sites::table
        .filter(key_sites::active.eq(true))
        .order(key_sites::id)
        .select((
            key_sites::id,
            key_sites::grid_id,
            key_sites::name,
            key_sites::patrol_days,
        ))
        .load(conn)?;
    for (id, grid, name, days) in rows {
        sites
            .entry(grid)
            .or_default()
            .push((id, name, days.max(1), None));
    }
    let mut grids = Vec::with_capacity(units.len());
    for (id, path) in units {
        let mut ws = workers.remove(&id).unwrap_or_default();
        ws.sort_unstable();
        ws.dedup();
        if ws.is_empty() {
            continue;
        }
        let mut roads: Vec<&'static str> = (0..3).map(|_| pick(rng, ROADS)).collect();
        roads.dedup();
        let households = households(rng, &roads);
        let idle = if rng.random_bool(IDLE) {
            let who = ws[rng.random_range(0..ws.len())];
            Some((who, today - Duration::days(rng.random_range(2..=5))))
        } else {
            None
        };
        grids.push(Grid {
            id,
            path,
            workers: ws,
            sites: sites.remove(&id).unwrap_or_default(),
            roads,
            households,
            idle,
        });
    }
    Ok(grids)
}

/// The demo's issues reported from patrols, by grid and local day.
fn patrol_issues(
    conn: &mut AnyConnection,
    from: NaiveDate,
) -> AppResult<HashMap<(i32, NaiveDate), Vec<i32>>> {
    let since = from.and_time(NaiveTime::MIN) - Duration::hours(8);
    let rows: Vec<(i32, i32, NaiveDateTime)> = issues::table
        .filter(issues::source.eq("patrol"))
        .filter(issues::reported_at.ge(since))
        .order(issues::id)
        .select((issues::id, issues::grid_id, issues::reported_at))
        .load(conn)?;
    let mut out: HashMap<(i32, NaiveDate), Vec<i32>> = HashMap::new();
    for (id, grid, reported) in rows {
        let day = (reported + Duration::hours(8)).date();
        out.entry((grid, day)).or_default().push(id);
    }
    Ok(out)
}

struct Writers {
    patrols: Bulk,
    sites: Bulk,
    visits: Bulk,
    links: Bulk,
}

/// Generates the patrols of the `days` days up to `today` (local), today's as far as the day
/// has got; returns how many.
pub fn generate(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    today: NaiveDate,
    days: usize,
) -> AppResult<usize> {
    if days == 0 {
        return Ok(0);
    }
    let start = today - Duration::days(days as i64);
    let mut grids = load_grids(conn, rng, today)?;
    let linked = patrol_issues(conn, start)?;
    let cal: WorkCalendar = crate::calendar::models::load(conn, start, today)?;
    let now_local = crate::db::now() + Duration::hours(8);
    let first_id: i32 = patrols::table
        .select(diesel::dsl::max(patrols::id))
        .get_result::<Option<i32>>(conn)?
        .unwrap_or(0)
        + 1;
    let mut next_id = first_id;
    let mut w = Writers {
        patrols: Bulk::new("patrols", PATROL_COLUMNS),
        sites: Bulk::new("patrol_sites", SITE_COLUMNS),
        visits: Bulk::new("patrol_visits", VISIT_COLUMNS),
        links: Bulk::new("patrol_issues", "patrol_id, issue_id"),
    };
    // Days with issues reported from patrols are full logs; the others are quick often enough
    // that about QUICK of all logs are.
    let workdays = start
        .iter_days()
        .take_while(|d| *d <= today)
        .filter(|d| cal.is_workday(*d))
        .count();
    let with_issues = linked.keys().filter(|(_, d)| cal.is_workday(*d)).count();
    let busy = with_issues as f64 / (grids.len() * workdays).max(1) as f64;
    let quick = (QUICK / (1.0 - busy).max(0.01)).min(0.9);
    let mut turn = 0usize;
    for day in start.iter_days().take_while(|d| *d <= today) {
        if !cal.is_workday(day) {
            continue;
        }
        turn += 1;
        for g in grids.iter_mut() {
            if !rng.random_bool(1.0 - MISSING) {
                continue;
            }
            let worker = g.workers[turn % g.workers.len()];
            if g.idle
                .is_some_and(|(who, from)| who == worker && day >= from)
            {
                continue;
            }
            let issues = linked
                .get(&(g.id, day))
                .map(Vec::as_slice)
                .unwrap_or_default();
            if issues.is_empty() && rng.random_bool(quick) {
                let logged = day.and_time(at(8, 30, rng.random_range(0..540)));
                if logged > now_local {
                    continue;
                }
                let row = patrol_row(next_id, g, worker, day, ("", ""), "", "", true, [0; 4]);
                w.patrols.push(
                    conn,
                    format!("{row}, {}, {})", ts(utc(logged)), ts(utc(logged))),
                )?;
                next_id += 1;
                continue;
            }
            if !full_log(
                conn, rng, &mut w, g, worker, day, issues, next_id, now_local,
            )? {
                continue;
            }
            next_id += 1;
        }
    }
    w.patrols.flush(conn)?;
    w.sites.flush(conn)?;
    w.visits.flush(conn)?;
    w.links.flush(conn)?;
    if let AnyConnection::Postgresql(pg) = conn {
        // Explicit ids do not move PostgreSQL's sequence; the planner needs statistics of the
        // fresh tables before autovacuum would get round to them.
        diesel::sql_query("SELECT setval('patrols_id_seq', (SELECT MAX(id) FROM patrols))")
            .execute(pg)?;
        for t in ["patrols", "patrol_sites", "patrol_visits", "patrol_issues"] {
            diesel::sql_query(format!("ANALYZE {t}")).execute(pg)?;
        }
    }
    Ok((next_id - first_id) as usize)
}

/// Local (Asia/Shanghai, no daylight saving) → UTC.
fn utc(t: NaiveDateTime) -> NaiveDateTime {
    t - Duration::hours(8)
}

/// A patrol's values up to its timestamps (the caller closes the row). `counts`: sites checked,
/// site problems, visits, problems reported.
#[expect(clippy::too_many_arguments, reason = "the columns of one row")]
fn patrol_row(
    id: i32,
    g: &Grid,
    worker: i32,
    day: NaiveDate,
    (start, end): (&str, &str),
    route: &str,
    notes: &str,
    quick: bool,
    counts: [usize; 4],
) -> String {
    format!(
        "({id}, {}, {}, {worker}, '{day}', {}, {}, {}, {}, {}, {}, {}, {}, {}, 0, 1",
        g.id,
        q(&g.path),
        q(start),
        q(end),
        q(route),
        q(notes),
        if quick { "TRUE" } else { "FALSE" },
        counts[0],
        counts[1],
        counts[2],
        counts[3],
    )
}

/// A log with times, route, site checks and visits; false when it lies later than now.
#[expect(clippy::too_many_arguments, reason = "the generator's state")]
fn full_log(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    w: &mut Writers,
    g: &mut Grid,
    worker: i32,
    day: NaiveDate,
    issues: &[i32],
    id: i32,
    now_local: NaiveDateTime,
) -> AppResult<bool> {
    // Mornings 08:30–11:30 or afternoons 14:30–17:00, typed to five minutes.
    let (start, end) = if rng.random_bool(0.6) {
        let s = at(8, 30, 5 * rng.random_range(0..=15));
        (
            s,
            (s + Duration::minutes(5 * rng.random_range(12..=30))).min(at(11, 30, 0)),
        )
    } else {
        let s = at(14, 30, 5 * rng.random_range(0..=9));
        (
            s,
            (s + Duration::minutes(5 * rng.random_range(10..=24))).min(at(17, 0, 0)),
        )
    };
    let logged = day.and_time(end) + Duration::minutes(rng.random_range(0..30));
    if logged > now_local {
        return Ok(false);
    }
    // Sites due by their interval, and now and then one that is not.
    let mut checks = Vec::new();
    for (site_id, name, interval, last) in g.sites.iter_mut() {
        let due = last.is_none_or(|l| (day - l).num_days() >= i64::from(*interval));
        if due || rng.random_bool(EXTRA_CHECK) {
            *last = Some(day);
            let problem = rng
                .random_bool(SITE_PROBLEM)
                .then(|| pick(rng, SITE_PROBLEMS));
            checks.push((*site_id, name.clone(), problem));
        }
    }
    let mut n = rng.random_range(0..VISIT_WEIGHTS.iter().sum::<u32>());
    let mut visits = 0;
    for (k, weight) in VISIT_WEIGHTS.iter().enumerate() {
        if n < *weight {
            visits = k;
            break;
        }
        n -= weight;
    }
    let mut chosen: Vec<usize> = Vec::with_capacity(visits);
    while chosen.len() < visits {
        let h = rng.random_range(0..g.households.len());
        if !chosen.contains(&h) {
            chosen.push(h);
        }
    }
    // The route: from a compound past the sites checked and a place or two to a road.
    let mut stops: Vec<String> = Vec::new();
    stops.push(match chosen.first() {
        Some(h) => {
            let a = &g.households[*h].address;
            a[..a.find("院").map_or(a.len(), |i| i + "院".len())].to_string()
        }
        None => format!("{}{}号院", pick(rng, &g.roads), rng.random_range(1..=220)),
    });
    stops.extend(checks.iter().map(|c| c.1.clone()));
    stops.push(pick(rng, PLACES).to_string());
    stops.push(pick(rng, &g.roads).to_string());
    let route = stops.join("—");
    let notes = pick(rng, NOTES);
    let problems = checks.iter().filter(|c| c.2.is_some()).count();
    let start_s = start.format("%H:%M").to_string();
    let end_s = end.format("%H:%M").to_string();
    let row = patrol_row(
        id,
        g,
        worker,
        day,
        (&start_s, &end_s),
        &route,
        notes,
        false,
        [checks.len(), problems, visits, issues.len()],
    );
    w.patrols.push(
        conn,
        format!("{row}, {}, {})", ts(utc(logged)), ts(utc(logged))),
    )?;
    for (site_id, _, problem) in &checks {
        let (finding, note) = match problem {
            Some(note) => ("problem", *note),
            None => ("normal", ""),
        };
        let row = format!("({id}, {site_id}, '{day}', {}, {})", q(finding), q(note));
        w.sites.push_after(conn, row, &mut w.patrols)?;
    }
    for h in chosen {
        let hh = &g.households[h];
        let row = format!(
            "({id}, {}, '{day}', {}, {}, {}, {}, {}, {})",
            g.id,
            q(&hh.key),
            q(&hh.address),
            q(&hh.householder),
            q(&hh.phone),
            q(pick(rng, LEARNED)),
            q(pick(rng, NEEDS)),
        );
        w.visits.push_after(conn, row, &mut w.patrols)?;
    }
    for issue in issues {
        w.links
            .push_after(conn, format!("({id}, {issue})"), &mut w.patrols)?;
    }
    Ok(true)
}
