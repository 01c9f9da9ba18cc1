//! Demo data: the two street offices of the seed report (林山寨街道 with 15 communities and 51
//! grids, 绿东村街道 with 13 communities, 46 grids and 30 office staff sent down as grid workers),
//! the demo accounts, and — for benchmarks — more synthetic streets at the same proportions.
//! Deterministic: the same arguments give the same data.

mod assessment;
mod bulk;
mod campaigns;
mod demolition;
mod history;
mod inspections;
mod issues;
mod livelihood;
mod meetings;
mod names;
mod party;
mod patrols;
mod projects;
mod register;
mod urges;

use diesel::prelude::*;

use crate::db::FirstRow;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::audit::{self, Actor};
use crate::db::schema::users;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::grids::models::{self as grid_models, PersonFields, SiteFields};
use crate::org::domain::Kind;
use crate::org::models::{self as org_models, OrgFields, OrgUnit};
use crate::users::models::{self as user_models, AccountFields};

/// The demo password, printed at start: these accounts are public knowledge.
pub const DEMO_PASSWORD: &str = "Demo@2026";

/// The demo logins: (username, role, what they are).
pub const DEMO_LOGINS: [(&str, &str, &str); 6] = [
    ("admin", "admin", "中原区 system admin"),
    ("leader", "leader", "林山寨街道 leader"),
    ("clerk", "clerk", "林山寨街道 clerk"),
    ("cclerk", "clerk", "工人路社区 clerk"),
    ("worker", "grid_worker", "grid worker, 工人路社区第1网格"),
    (
        "secretary",
        "branch_secretary",
        "工人路社区 party branch secretary",
    ),
];

pub struct DemoOptions {
    /// Streets in all: the two of the report, then synthetic ones.
    pub streets: usize,
    /// Days of history for the day-based records: staff logins, issues (≈15,000 a year per
    /// street) and patrols (one log per grid and working day, with site checks and visits).
    pub days: usize,
}

/// True when the store holds no org units yet.
pub fn is_empty(conn: &mut AnyConnection) -> AppResult<bool> {
    use crate::db::schema::org_units;
    Ok(org_units::table.count().get_result::<i64>(conn)? == 0)
}

fn fields(name: &str, code: &str, rng: &mut StdRng, services: bool) -> OrgFields {
    OrgFields {
        name: name.to_string(),
        code: code.to_string(),
        address: String::new(),
        phone: format!("0371-67{:06}", rng.random_range(0..1_000_000u32)),
        duty_hours: if services {
            names::DUTY_HOURS[0].to_string()
        } else {
            String::new()
        },
        service_items: if services {
            names::SERVICE_ITEMS[..6].join("、")
        } else {
            String::new()
        },
        boundary: String::new(),
        sort_order: 0,
    }
}

struct Seeder<'a> {
    conn: &'a mut AnyConnection,
    rng: StdRng,
    demo_hash: String,
    staff_hash: String,
    staff_seq: usize,
}

impl Seeder<'_> {
    fn account(
        &mut self,
        username: &str,
        name: &str,
        role: &str,
        org: i32,
        demo: bool,
    ) -> AppResult<i32> {
        let phone = names::mobile(&mut self.rng);
        let hash = if demo {
            self.demo_hash.clone()
        } else {
            self.staff_hash.clone()
        };
        let f = AccountFields {
            display_name: name.into(),
            role: role.into(),
            org_unit_id: org,
            phone,
        };
        let id = user_models::create(self.conn, username, &hash, &f, false)?;
        Ok(id)
    }

    fn staff(&mut self, role: &str, org: i32) -> AppResult<(i32, String)> {
        self.staff_seq += 1;
        let name = names::person_name(&mut self.rng);
        let id = self.account(&format!("u{:05}", self.staff_seq), &name, role, org, false)?;
        Ok((id, name))
    }

    fn phone_of(&mut self, id: i32) -> AppResult<String> {
        Ok(users::table
            .find(id)
            .select(users::phone)
            .first_row(self.conn)?)
    }

    /// A grid with its responsible people and key sites. `worker` is the level-3 grid worker's
    /// account, when one is given.
    fn grid(
        &mut self,
        community: &OrgUnit,
        index: usize,
        code: &str,
        worker: Option<(i32, String)>,
    ) -> AppResult<OrgUnit> {
        let place = community
            .name
            .trim_end_matches("社区")
            .trim_end_matches('村')
            .to_string();
        let mut f = fields(
            &format!("{}第{}网格", community.name, index),
            code,
            &mut self.rng,
            true,
        );
        f.sort_order = index as i32;
        f.boundary = format!(
            "{place}路以东、{place}街以北 {} 个楼院",
            self.rng.random_range(4..15)
        );
        let grid = org_models::create(self.conn, community, Kind::Grid, &f)?;
        let leader = names::person_name(&mut self.rng);
        let worker = match worker {
            Some(w) => w,
            None => self.staff("grid_worker", grid.id)?,
        };
        let cadre = names::person_name(&mut self.rng);
        let unit = names::PARTNER_UNITS[self.rng.random_range(0..names::PARTNER_UNITS.len())];
        let worker_phone = self.phone_of(worker.0)?;
        let people = [
            ("grid_leader", None, leader, String::new()),
            (
                "grid_worker",
                Some(worker.0),
                worker.1.clone(),
                String::new(),
            ),
            ("sent_down_cadre", None, cadre, String::new()),
            (
                "partner_unit",
                None,
                names::person_name(&mut self.rng),
                unit.to_string(),
            ),
        ];
        for (i, (duty, user_id, name, unit_name)) in people.into_iter().enumerate() {
            let phone = if user_id.is_some() {
                worker_phone.clone()
            } else {
                names::mobile(&mut self.rng)
            };
            let start = self.rng.random_range(0..names::SERVICE_ITEMS.len() - 3);
            grid_models::create_person(
                self.conn,
                grid.id,
                &PersonFields {
                    user_id,
                    name,
                    duty: duty.into(),
                    unit_name,
                    phone,
                    service_items: names::SERVICE_ITEMS[start..start + 3].join("、"),
                    duty_hours: names::DUTY_HOURS[i % names::DUTY_HOURS.len()].into(),
                    sort_order: i as i32,
                },
            )?;
        }
        for _ in 0..self.rng.random_range(1..=3) {
            let (kind, pattern, days) = names::SITES[self.rng.random_range(0..names::SITES.len())];
            grid_models::create_site(
                self.conn,
                grid.id,
                &SiteFields {
                    name: pattern.replace("{}", &place),
                    kind: kind.into(),
                    address: format!("{place}路{}号", self.rng.random_range(1..300)),
                    patrol_days: days,
                    notes: String::new(),
                    active: true,
                },
            )?;
        }
        Ok(grid)
    }

    /// A street with its communities and grids. `sent_down` office staff become the grid
    /// workers of the first grids (绿东村: "下派30名机关同志担任三级网格员").
    fn street(
        &mut self,
        district: &OrgUnit,
        name: &str,
        code: &str,
        communities: &[String],
        grids: usize,
        sent_down: usize,
    ) -> AppResult<(OrgUnit, Vec<OrgUnit>, Vec<Vec<OrgUnit>>)> {
        let street = org_models::create(
            self.conn,
            district,
            Kind::Street,
            &fields(name, code, &mut self.rng, true),
        )?;
        let mut office = Vec::new();
        for _ in 0..sent_down {
            office.push(self.staff("grid_worker", street.id)?);
        }
        let mut office = office.into_iter();
        let mut all_grids = Vec::new();
        let mut comms = Vec::new();
        for (ci, (cname, n)) in communities
            .iter()
            .zip(names::grids_per_community(communities.len(), grids))
            .enumerate()
        {
            let kind = if cname.ends_with('村') {
                Kind::Village
            } else {
                Kind::Community
            };
            let mut f = fields(cname, &format!("{code}-{:02}", ci + 1), &mut self.rng, true);
            f.sort_order = ci as i32 + 1;
            let community = org_models::create(self.conn, &street, kind, &f)?;
            self.staff("clerk", community.id)?;
            let mut gs = Vec::new();
            for gi in 1..=n {
                let worker = office.next();
                gs.push(self.grid(
                    &community,
                    gi,
                    &format!("{code}-{:02}-{gi:02}", ci + 1),
                    worker,
                )?);
            }
            comms.push(community);
            all_grids.push(gs);
        }
        Ok((street, comms, all_grids))
    }
}

/// Fills an empty store. Returns the number of org units created.
pub fn seed(conn: &mut AnyConnection, opts: &DemoOptions) -> AppResult<usize> {
    if !is_empty(conn)? {
        return Err(AppError::Internal(
            "the database is not empty: demo data only fills an empty one".into(),
        ));
    }
    let demo_hash = crate::auth::password::hash_blocking(DEMO_PASSWORD)?;
    // Generated staff get one shared hash of a random password: nobody can log in as them until an
    // admin resets it (hashing thousands of accounts one by one would take minutes).
    let staff_hash = crate::auth::password::hash_blocking(&crate::web::csrf::random_token())?;
    db::write(conn, |conn| {
        let mut s = Seeder {
            conn,
            rng: StdRng::seed_from_u64(20130430),
            demo_hash,
            staff_hash,
            staff_seq: 0,
        };
        let district = org_models::create_root(s.conn, Kind::District, "中原区", "ZY")?;
        let lsz_names: Vec<String> = names::LINSHANZHAI.iter().map(|s| s.to_string()).collect();
        let ldc_names: Vec<String> = names::LVDONGCUN.iter().map(|s| s.to_string()).collect();
        let (lsz, lsz_comms, lsz_grids) =
            s.street(&district, "林山寨街道", "LSZ", &lsz_names, 51, 0)?;
        let (ldc, _, _) = s.street(&district, "绿东村街道", "LDC", &ldc_names, 46, 30)?;
        for n in 3..=opts.streets.max(2) {
            let comms: Vec<String> = (1..=15).map(|c| format!("第{n}街道第{c}社区")).collect();
            s.street(
                &district,
                &format!("第{n}街道"),
                &format!("S{n:03}"),
                &comms,
                51,
                0,
            )?;
        }
        // The demo accounts of the README.
        let gongrenlu = &lsz_comms[1];
        let worker_grid = &lsz_grids[1][0];
        s.account("admin", "系统管理员", "admin", district.id, true)?;
        s.account("leader", "林山寨街道领导", "leader", lsz.id, true)?;
        let clerk = s.account("clerk", "林山寨街道指挥中心", "clerk", lsz.id, true)?;
        s.account("cclerk", "工人路社区工作人员", "clerk", gongrenlu.id, true)?;
        let worker = s.account(
            "worker",
            "工人路网格员",
            "grid_worker",
            worker_grid.id,
            true,
        )?;
        s.account(
            "secretary",
            "工人路社区支部书记",
            "branch_secretary",
            gongrenlu.id,
            true,
        )?;
        // The demo grid worker is that grid's named grid worker too.
        let phone = s.phone_of(worker)?;
        grid_models::create_person(
            s.conn,
            worker_grid.id,
            &PersonFields {
                user_id: Some(worker),
                name: "工人路网格员".into(),
                duty: "grid_worker".into(),
                unit_name: String::new(),
                phone,
                service_items: names::SERVICE_ITEMS[..4].join("、"),
                duty_hours: names::DUTY_HOURS[0].into(),
                sort_order: 9,
            },
        )?;
        org_models::refresh_all_counts(s.conn)?;
        let today = chrono::Utc::now()
            .with_timezone(&chrono_tz::Asia::Shanghai)
            .date_naive();
        // Each day-based generator says how long it took: the district-year benchmark's
        // dataset is made by them.
        let t = std::time::Instant::now();
        let n = history::logins(s.conn, &mut s.rng, today, opts.days)?;
        tracing::info!("demo: {n} staff logins in {:.1?}", t.elapsed());
        let t = std::time::Instant::now();
        let n = issues::generate(s.conn, &mut s.rng, today, opts.days)?;
        tracing::info!("demo: {n} issues in {:.1?}", t.elapsed());
        // After the issues: a grid's log of the day links the issues reported from patrols.
        let t = std::time::Instant::now();
        let n = patrols::generate(s.conn, &mut s.rng, today, opts.days)?;
        tracing::info!("demo: {n} patrol logs in {:.1?}", t.elapsed());
        // After the issues too: agendas are drafted from them and decisions join their timelines.
        let t = std::time::Instant::now();
        let n = meetings::generate(s.conn, &mut s.rng, today, opts.days)?;
        tracing::info!("demo: {n} meetings in {:.1?}", t.elapsed());
        // After the meetings: the street leader's 督办 go onto the next weekly agendas.
        let n = urges::generate(s.conn, &lsz)?;
        tracing::info!("demo: {n} urges");
        let n = inspections::generate(s.conn, &lsz, today)?;
        tracing::info!("demo: {n} inspection rounds");
        // After the issues: volunteer services and the opinion box point at them.
        let t = std::time::Instant::now();
        let p = party::generate(s.conn, &mut s.rng, today, opts.days)?;
        tracing::info!(
            "demo: {} party branches, {} members, {} activities, {} opinions in {:.1?}",
            p.branches,
            p.members,
            p.activities,
            p.opinions,
            t.elapsed()
        );
        let n = livelihood::generate(s.conn, &lsz, today)?;
        tracing::info!("demo: {n} livelihood figures");
        // After everything it is computed from: October's assessment, published.
        let n = assessment::generate(s.conn, &lsz, today)?;
        tracing::info!("demo: {n} assessment results");
        let n = projects::generate(s.conn, &lsz, clerk, today)?;
        tracing::info!("demo: {n} key projects");
        let n = demolition::generate(s.conn, &lsz, today)?;
        tracing::info!("demo: {n} demolition objects");
        let n = campaigns::generate(s.conn, &lsz, &ldc, clerk, today)?;
        tracing::info!("demo: {n} campaign tallies");
        let n = register::generate(s.conn, today)?;
        tracing::info!("demo: {n} registered persons");
        audit::record(
            s.conn,
            &Actor::cli(),
            "seed_demo",
            "database",
            None,
            &format!("streets={} days={}", opts.streets, opts.days),
            None::<&()>,
            None::<&()>,
            &district.path,
        )?;
        Ok(())
    })?;
    use crate::db::schema::org_units;
    Ok(org_units::table.count().get_result::<i64>(conn)? as usize)
}
