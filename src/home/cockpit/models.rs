//! The cockpit's figures: one query function per tile (`issues`, `patrols`, `meetings`,
//! `party`, `ranking`), each reading through the feature that owns the rows — and, where that
//! feature keeps a stamped cache (coverage, the week, the party summary), through it — gathered
//! into [`Figures`] and kept by change stamp for the unit.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};

use super::domain::{Ranked, RateVersus, Versus, most_overdue, rank};
use crate::auth::CurrentUser;
use crate::db::AnyConnection;
use crate::db::stamped::StampedCache;
use crate::error::AppResult;
use crate::issues::figures::domain::{MonthFigures, Tally, months_between, rates};
use crate::issues::models::{Filter, ListRow};
use crate::meetings::week::models::{At, WeekCache};
use crate::org::models::OrgUnit;
use crate::patrols::coverage::domain::week_start;

/// When the figures are read: now, today and the office's time zone.
#[derive(Clone, Copy)]
pub struct When {
    pub now: NaiveDateTime,
    pub today: NaiveDate,
    pub tz: chrono_tz::Tz,
}

impl When {
    pub fn monday(&self) -> NaiveDate {
        week_start(self.today)
    }

    fn at(&self) -> At {
        At {
            now: self.now,
            today: self.today,
            tz: self.tz,
        }
    }
}

/// Issues: reported today, this week and this month against yesterday, last week's same days
/// and the same month last year; open, overdue (the oldest, the units below with most); closure
/// and on-time rates this month against last; the twelve months for the trend.
pub struct IssuesTile {
    pub today: Versus,
    pub week: Versus,
    pub month: Versus,
    pub open: i64,
    pub overdue: i64,
    pub oldest: Option<ListRow>,
    /// (unit id, name, overdue issues).
    pub most_overdue: Vec<(i32, String, i64)>,
    pub closure: RateVersus,
    pub on_time: RateVersus,
    /// The last twelve months ("2026-01") with their totals.
    pub months: Vec<(String, Tally)>,
}

/// Patrols: grids patrolled today of all, grids logged on every working day of the week so far,
/// idle workers and overdue key sites — the coverage page's own figures for its default query.
pub struct PatrolsTile {
    pub grids: usize,
    pub patrolled_today: usize,
    pub working_days: i64,
    pub full_week: usize,
    pub idle_days: i64,
    pub idle: usize,
    pub overdue_sites: usize,
}

/// Meetings: the units that held their weekly meeting this week and last, of those due, and the
/// overdue decisions (`meetings::week::domain::late`).
pub struct MeetingsTile {
    pub due: usize,
    pub held: Versus,
    pub overdue_decisions: usize,
}

/// Party: 三会一课 on rhythm over the periods that are over (branches meeting it of those
/// judged), 三会一课 held this quarter, branches silent 30 days, members in difficulty not
/// visited — the party summary's figures for this year and quarter.
pub struct PartyTile {
    pub year: i32,
    pub quarter: u32,
    pub branches: usize,
    pub meeting: usize,
    pub assessed: usize,
    pub held_quarter: i64,
    pub silent: usize,
    pub unvisited: usize,
}

/// 督办: the open issues being urged, those urged more than once, and the urges sent this week
/// against last week's same days.
pub struct UrgeTile {
    pub open: i64,
    pub repeated: i64,
    pub sent: Versus,
}

/// 民生月报: the streets' indicators of this year and those behind the time schedule at this
/// month (the report's own rule, `livelihood::domain::standing`).
pub struct LivelihoodTile {
    pub indicators: usize,
    pub behind: usize,
}

/// 量化考核: the newest month with results in scope, its first and last (name, total) and
/// whether it is published (`assessment::models::standing`). Its changes move the stamp through
/// their audit rows.
pub struct AssessTile {
    pub period: String,
    pub count: usize,
    pub top: Option<(i32, String, String)>,
    pub last: Option<(i32, String, String)>,
    pub published: bool,
}

pub fn assessment(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<AssessTile> {
    use crate::assessment::domain::pts;
    let Some(s) = crate::assessment::models::standing(conn, user)? else {
        return Ok(AssessTile {
            period: String::new(),
            count: 0,
            top: None,
            last: None,
            published: false,
        });
    };
    let line =
        |r: &crate::assessment::models::AssessResult| (r.id, r.object_name.clone(), pts(r.total));
    Ok(AssessTile {
        count: s.results.len(),
        top: s.results.first().map(line),
        last: (s.results.len() > 1)
            .then(|| s.results.last().map(line))
            .flatten(),
        published: s.results.iter().any(|r| r.is_published()),
        period: s.period,
    })
}

/// Key projects in scope by warning light (red, yellow, green).
pub struct ProjectsTile {
    pub red: usize,
    pub yellow: usize,
    pub green: usize,
}

/// Campaigns under way in reach and their targets behind 时序进度 (`campaigns::models::standing`).
pub struct CampaignsTile {
    pub active: usize,
    pub targets: usize,
    pub behind: usize,
}

/// The units below ranked on closure and on-time rates over the last twelve months.
pub struct RankingTile {
    pub from: String,
    pub to: String,
    pub units: Vec<Ranked>,
}

/// Every tile's figures for one unit.
pub struct Figures {
    pub unit: OrgUnit,
    pub issues: IssuesTile,
    pub patrols: PatrolsTile,
    pub meetings: MeetingsTile,
    pub party: PartyTile,
    pub urge: UrgeTile,
    pub ranking: RankingTile,
    pub livelihood: LivelihoodTile,
    pub assessment: AssessTile,
    pub projects: ProjectsTile,
    pub campaigns: CampaignsTile,
    pub register: crate::register::figures::models::RegisterFigures,
    /// The system's status for the unit's scope, shown to admins only (`home::admin`). Kept
    /// here because what it reads moves the stamp too: a log-in, a lock, an account or calendar
    /// change and a backup each write an audit row; a lock running out shows with the minute.
    pub admin: crate::home::admin::AdminStatus,
}

/// The caches of the pages the tiles share their figures with.
pub struct Shared<'a> {
    pub coverage: &'a crate::patrols::coverage::Cache,
    pub week: &'a WeekCache,
    pub party: &'a crate::party::summary::handlers::Cache,
    pub idle_days: i64,
}

/// The figures by (unit, today, the minute — an issue falls overdue with the clock) until
/// anything a tile reads is written (see `crate::db::stamped`). One load at a time: when the
/// minute turns, the first request reads the figures again while the others are served the
/// previous minute's of the same stamp (`latest`) rather than each reading them too.
#[derive(Default)]
pub struct Cache {
    kept: StampedCache<(i32, NaiveDate, NaiveDateTime), Stamp, Figures>,
    latest: std::sync::Mutex<HashMap<UnitDay, (Stamp, Arc<Figures>)>>,
    loading: std::sync::Mutex<()>,
}

type Stamp = Vec<Option<i32>>;

/// A unit and today.
type UnitDay = (i32, NaiveDate);

/// The tables whose largest id moves when a tile's figures may: every change to an existing row
/// writes an audit row in its transaction.
const STAMP: [&str; 19] = [
    "issues",
    "issue_urges",
    "issue_events",
    "meetings",
    "meeting_items",
    "patrols",
    "patrol_visits",
    "patrol_sites",
    "patrol_corrections",
    "party_activities",
    "audit_log",
    "livelihood_indicators",
    "livelihood_entries",
    "projects",
    "project_milestones",
    "project_reports",
    "campaigns",
    "campaign_targets",
    "campaign_tallies",
];

impl Cache {
    /// The figures of the user's own unit.
    pub fn get(
        &self,
        conn: &mut AnyConnection,
        user: &CurrentUser,
        shared: &Shared,
        when: When,
    ) -> AppResult<Arc<Figures>> {
        let stamp = crate::db::stamped::max_ids(conn, &STAMP)?;
        let minute = when
            .now
            .with_second(0)
            .and_then(|t| t.with_nanosecond(0))
            .unwrap_or(when.now);
        let key = (user.org_unit_id, when.today, minute);
        if let Some(f) = self.kept.get(&key, &stamp) {
            return Ok(f);
        }
        let day = (user.org_unit_id, when.today);
        let _one = match self.loading.try_lock() {
            Ok(guard) => guard,
            Err(_) => {
                if let Some(f) = self.previous(day, &stamp) {
                    return Ok(f);
                }
                self.loading
                    .lock()
                    .map_err(|_| crate::error::AppError::Internal("cockpit cache".into()))?
            }
        };
        let f = self
            .kept
            .get_or_load(key, stamp.clone(), || load(conn, user, shared, when))?;
        if let Ok(mut map) = self.latest.lock() {
            map.retain(|k, _| k.1 == when.today);
            map.insert(day, (stamp, f.clone()));
        }
        Ok(f)
    }

    /// The last figures read for the unit today, if read at `stamp`.
    fn previous(&self, day: UnitDay, stamp: &Stamp) -> Option<Arc<Figures>> {
        let map = self.latest.lock().ok()?;
        map.get(&day)
            .filter(|(s, _)| s == stamp)
            .map(|(_, f)| f.clone())
    }
}

fn load(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    shared: &Shared,
    when: When,
) -> AppResult<Figures> {
    let unit = crate::org::models::get(conn, user.org_unit_id)?;
    let months = months_to(when.today, 13);
    let figures = crate::issues::figures::models::live(conn, &unit, &months, when.now, when.tz)?;
    Ok(Figures {
        issues: issues(conn, user, &unit, &figures, when)?,
        patrols: patrols(conn, shared, &unit, when)?,
        meetings: meetings(conn, shared.week, &unit, when)?,
        party: party(conn, shared.party, user, when)?,
        urge: urge(conn, &unit, when)?,
        ranking: ranking(conn, &unit, &figures)?,
        livelihood: livelihood(conn, &unit, when)?,
        assessment: assessment(conn, user)?,
        projects: projects(conn, user, when.today)?,
        campaigns: {
            let (active, targets, behind) =
                crate::campaigns::models::standing(conn, user, when.today)?;
            CampaignsTile {
                active,
                targets,
                behind,
            }
        },
        register: register(conn, user, when.today)?,
        admin: crate::home::admin::admin_status(conn, user, when.today)?,
        unit,
    })
}

/// The register in scope: living households and persons, care tags, moves out this month.
fn register(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    today: NaiveDate,
) -> AppResult<crate::register::figures::models::RegisterFigures> {
    let since = today.with_day(1).unwrap_or(today);
    crate::register::figures::models::figures(conn, user, since)
}

/// Key projects in scope by light, as the ledger computes them.
fn projects(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    today: NaiveDate,
) -> AppResult<ProjectsTile> {
    use crate::projects::domain::Light;
    let (ps, b) = crate::projects::models::in_scope(conn, user, today.year())?;
    let mut t = ProjectsTile {
        red: 0,
        yellow: 0,
        green: 0,
    };
    for p in &ps {
        let reports: Vec<_> = b
            .reports
            .get(&p.id)
            .map(|v| v.iter().collect())
            .unwrap_or_default();
        let stages = b.stages.get(&p.id).map(Vec::as_slice).unwrap_or(&[]);
        match crate::projects::pages::figures(p, today, &reports, stages).light {
            Light::Red => t.red += 1,
            Light::Yellow => t.yellow += 1,
            Light::Green => t.green += 1,
        }
    }
    Ok(t)
}

/// The `n` months up to `today`'s, oldest first.
fn months_to(today: NaiveDate, n: u32) -> Vec<String> {
    let first = today
        .with_day(1)
        .and_then(|d| d.checked_sub_months(chrono::Months::new(n - 1)))
        .unwrap_or(today);
    months_between(first, today)
}

/// Issues reported in the local days `from..=to`, in the user's scope (the list's count).
fn reported(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    (from, to): (NaiveDate, NaiveDate),
    when: When,
) -> AppResult<i64> {
    let (from, to) = crate::audit::AuditFilter::from_dates(Some(from), Some(to), when.tz);
    let f = Filter {
        from,
        to,
        ..Filter::default()
    };
    crate::issues::models::count(conn, user, &f, when.now)
}

pub fn issues(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    unit: &OrgUnit,
    figures: &BTreeMap<String, MonthFigures>,
    when: When,
) -> AppResult<IssuesTile> {
    let (today, monday) = (when.today, when.monday());
    let yesterday = today - Duration::days(1);
    let week_ago = Duration::days(7);
    let open_f = Filter {
        state: crate::issues::domain::OPEN.into(),
        ..Filter::default()
    };
    let open = crate::issues::models::count(conn, user, &open_f, when.now)?;
    let overdue_f = Filter {
        overdue: true,
        sort: "deadline".into(),
        ..Filter::default()
    };
    let paths = crate::issues::models::overdue_paths(conn, user, when.now)?;
    let names: HashMap<i32, String> = crate::issues::figures::models::children(conn, unit.id)?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let totals: Vec<(String, Tally)> = figures
        .iter()
        .map(|(m, f)| (m.clone(), f.total()))
        .collect();
    let at = |back: usize| {
        totals
            .iter()
            .rev()
            .nth(back)
            .map(|t| t.1)
            .unwrap_or_default()
    };
    let (this, last, year_ago) = (at(0), at(1), at(12));
    let (r_this, r_last) = (rates(&this), rates(&last));
    Ok(IssuesTile {
        today: Versus {
            now: reported(conn, user, (today, today), when)?,
            then: reported(conn, user, (yesterday, yesterday), when)?,
        },
        week: Versus {
            now: reported(conn, user, (monday, today), when)?,
            then: reported(conn, user, (monday - week_ago, today - week_ago), when)?,
        },
        month: Versus {
            now: this.reported,
            then: year_ago.reported,
        },
        open,
        overdue: paths.len() as i64,
        oldest: crate::issues::models::list(conn, user, &overdue_f, when.now, 0, 1)?
            .into_iter()
            .next(),
        most_overdue: most_overdue(&paths, unit.depth, 3)
            .into_iter()
            .map(|(id, n)| (id, names.get(&id).cloned().unwrap_or_default(), n))
            .collect(),
        closure: RateVersus {
            now: r_this.closure,
            then: r_last.closure,
        },
        on_time: RateVersus {
            now: r_this.on_time,
            then: r_last.on_time,
        },
        months: totals.into_iter().skip(1).collect(),
    })
}

pub fn urge(conn: &mut AnyConnection, unit: &OrgUnit, when: When) -> AppResult<UrgeTile> {
    use crate::issues::urge::models as urges;
    let (monday, week) = (when.monday(), Duration::days(7));
    let days = |from: NaiveDate, to: NaiveDate| {
        let (from, to) = crate::audit::AuditFilter::from_dates(Some(from), Some(to), when.tz);
        (
            from.unwrap_or(when.now),
            to.unwrap_or(when.now) + Duration::seconds(1),
        )
    };
    Ok(UrgeTile {
        open: urges::open_urged_count(conn, &unit.path)?,
        repeated: urges::open_urged_repeatedly(conn, &unit.path)?,
        sent: Versus {
            now: urges::sent_between(conn, &unit.path, days(monday, when.today))?,
            then: urges::sent_between(conn, &unit.path, days(monday - week, when.today - week))?,
        },
    })
}

pub fn livelihood(
    conn: &mut AnyConnection,
    unit: &OrgUnit,
    when: When,
) -> AppResult<LivelihoodTile> {
    use crate::livelihood::{domain, models};
    let (year, month) = (when.today.year(), when.today.month());
    let (mut indicators, mut behind) = (0, 0);
    for street in
        crate::org::models::units_of_kind(conn, &unit.path, crate::org::domain::Kind::Street)?
    {
        let d = models::year_data(conn, street.id, year)?;
        indicators += d.indicators.len();
        behind += domain::count_behind(
            d.indicators
                .iter()
                .map(|i| (i.summed, i.target, d.of(i.id))),
            month,
        );
    }
    Ok(LivelihoodTile { indicators, behind })
}

pub fn patrols(
    conn: &mut AnyConnection,
    shared: &Shared,
    unit: &OrgUnit,
    when: When,
) -> AppResult<PatrolsTile> {
    let (today, idle) = (when.today, shared.idle_days);
    // The coverage page's default query (this week up to today), so both share one entry.
    let d = shared
        .coverage
        .get(conn, unit, (unit.id, when.monday(), today, idle, today))?;
    Ok(PatrolsTile {
        grids: d.grids,
        patrolled_today: d.patrolled_today,
        working_days: d.working_days,
        full_week: d.full_week,
        idle_days: idle,
        idle: d.idle.len(),
        overdue_sites: d.sites.len(),
    })
}

pub fn meetings(
    conn: &mut AnyConnection,
    cache: &WeekCache,
    unit: &OrgUnit,
    when: When,
) -> AppResult<MeetingsTile> {
    use crate::meetings::week::models::week;
    let monday = when.monday();
    let this = week(conn, cache, &unit.path, monday, when.at())?;
    let last = week(
        conn,
        cache,
        &unit.path,
        monday - Duration::days(7),
        when.at(),
    )?;
    Ok(MeetingsTile {
        due: this.rows.len(),
        held: Versus {
            now: this.held() as i64,
            then: last.held() as i64,
        },
        overdue_decisions: this.overdue_total,
    })
}

pub fn party(
    conn: &mut AnyConnection,
    cache: &crate::party::summary::handlers::Cache,
    user: &CurrentUser,
    when: When,
) -> AppResult<PartyTile> {
    let f = crate::party::branches::models::Filter::default();
    let branches: Vec<_> = crate::party::branches::models::list(conn, user, &f)?
        .into_iter()
        .filter(|b| b.active)
        .collect();
    let (year, quarter) = (when.today.year(), when.today.month0() / 3 + 1);
    let s = crate::party::summary::handlers::summary(
        conn,
        cache,
        branches,
        year,
        Some(quarter),
        when.today,
    )?;
    let three_one = crate::party::domain::three_one();
    Ok(PartyTile {
        year,
        quarter,
        branches: s.branches.len(),
        meeting: s.meeting(),
        assessed: s.assessed(),
        held_quarter: s
            .branches
            .iter()
            .flat_map(|b| b.kinds.iter())
            .filter(|(k, _)| three_one.contains(&k.as_str()))
            .map(|(_, n)| n)
            .sum(),
        silent: s.silent().len(),
        unvisited: s.unvisited(),
    })
}

pub fn ranking(
    conn: &mut AnyConnection,
    unit: &OrgUnit,
    figures: &BTreeMap<String, MonthFigures>,
) -> AppResult<RankingTile> {
    let twelve: Vec<(&String, &MonthFigures)> = figures.iter().skip(1).collect();
    let mut tallies: HashMap<i32, Tally> = HashMap::new();
    for (_, f) in &twelve {
        for (id, t) in &f.by_child {
            tallies.entry(*id).or_default().add(t);
        }
    }
    let units: Vec<(i32, String)> = crate::issues::figures::models::children(conn, unit.id)?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(RankingTile {
        from: twelve.first().map(|m| m.0.clone()).unwrap_or_default(),
        to: twelve.last().map(|m| m.0.clone()).unwrap_or_default(),
        units: rank(&units, &tallies),
    })
}
