//! Demo meetings over the `--days` window (日碰头、周例会、督查会): every community and village
//! holds a huddle on each working day (08:30–08:50) and a weekly meeting on the first working day
//! of each week (09:00–10:30); every street a weekly meeting on the last working day of the week
//! (15:00–16:30) and a supervision meeting on the first working day from the 25th of each month
//! (10:00–11:30).
//!
//! Each meeting has its attendees (the unit's staff and its grids' as `models::default_people`
//! invites them; a street also has its communities' clerks, since a street has few accounts of
//! its own; ~90% present, the others absent or on leave with a reason, now and then an outside
//! guest), an agenda drafted from the generated issues by the app's rules as they stood when the
//! meeting began (`agenda`), a free topic on about a fifth of the weekly meetings, and — on past
//! meetings, whose minutes are finalized — decisions on most items, each written to its issue's
//! timeline as the meeting page would. Today's meetings are held (or still drafts, if later than
//! now). Written with `super::bulk` like the issues and patrols; run after both.

mod agenda;
mod plan;
mod texts;
mod units;
mod write;

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use rand::Rng;
use rand::rngs::StdRng;

use self::agenda::{Issue, Line, WorkDays, local};
use self::plan::{Planned, plan};
use self::texts::pick;
use self::units::{Unit, attendance, file_issues, kind_index, load_tree};
use self::write::{Decided, Held, ItemRow, Writers};
use crate::calendar::WorkCalendar;
use crate::db::AnyConnection;
use crate::db::schema::meetings;
use crate::error::AppResult;
use crate::meetings::domain::{self, Kind, Reason, State};

/// Share of weekly meetings with a free topic.
const TOPIC: f64 = 0.2;
/// Share of items decided on finalized meetings, and on today's, still being recorded.
const DECIDED: f64 = 0.85;
const DECIDED_TODAY: f64 = 0.4;
/// Agenda lines at most: a weekly meeting gets through about 25 problems, a huddle 8.
fn max_items(kind: Kind) -> usize {
    match kind {
        Kind::Huddle => 8,
        Kind::Weekly | Kind::Supervision => 25,
    }
}

/// Local (Asia/Shanghai, no daylight saving) → UTC.
fn utc(t: NaiveDateTime) -> NaiveDateTime {
    t - Duration::hours(8)
}

/// The generator's state: what every meeting reads, and what earlier meetings left.
struct Gen<'a> {
    issues: &'a [Issue],
    /// A minor category's name and its major category's.
    categories: HashMap<i32, (String, String)>,
    names: HashMap<i32, String>,
    parent: HashMap<i32, i32>,
    cal: WorkCalendar,
    work: WorkDays,
    now: NaiveDateTime,
    today: NaiveDate,
    /// Where the first meeting of a kind counts "new" from (UTC).
    window_start: NaiveDateTime,
    next_id: i32,
    /// Held meetings that had each issue so far (by index into `issues`).
    discussed: Vec<i32>,
    w: Writers,
}

/// Generates the meetings of the `days` days up to `today` (local); returns how many.
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
    let mut tree = load_tree(conn, rng)?;
    let issues = agenda::load_issues(conn, &tree.parent)?;
    file_issues(&mut tree, &issues);
    let oldest = issues
        .iter()
        .map(|i| local(i.reported).date())
        .min()
        .unwrap_or(start)
        .min(start);
    let last = today + Duration::days(60);
    let cal = crate::calendar::models::load(conn, oldest - Duration::days(7), last)?;
    let planned = plan(&tree.units, &cal, start, today);
    let first_id = meetings::table
        .select(diesel::dsl::max(meetings::id))
        .get_result::<Option<i32>>(conn)?
        .unwrap_or(0)
        + 1;
    let mut g = Gen {
        issues: &issues,
        categories: categories(conn)?,
        names: tree.names,
        parent: tree.parent,
        work: WorkDays::new(&cal, oldest - Duration::days(1), last),
        cal,
        now: crate::db::now(),
        today,
        window_start: utc(start.and_time(NaiveTime::MIN)),
        next_id: first_id,
        discussed: vec![0; issues.len()],
        w: Writers::new(),
    };
    for p in &planned {
        g.meeting(conn, rng, &mut tree.units[p.unit], p)?;
    }
    g.w.flush(conn)?;
    if let AnyConnection::Postgresql(pg) = conn {
        // Explicit ids do not move PostgreSQL's sequence; the planner needs statistics of the
        // fresh tables before autovacuum would get round to them.
        diesel::sql_query("SELECT setval('meetings_id_seq', (SELECT MAX(id) FROM meetings))")
            .execute(pg)?;
        for t in [
            "meetings",
            "meeting_people",
            "meeting_items",
            "issue_events",
        ] {
            diesel::sql_query(format!("ANALYZE {t}")).execute(pg)?;
        }
    }
    Ok((g.next_id - first_id) as usize)
}

/// A minor category's name and its major category's, by the minor's id.
fn categories(conn: &mut AnyConnection) -> AppResult<HashMap<i32, (String, String)>> {
    let cats = crate::issues::models::categories(conn)?;
    let name: HashMap<i32, String> = cats.iter().map(|c| (c.id, c.name.clone())).collect();
    Ok(cats
        .iter()
        .filter_map(|c| Some((c.id, (c.name.clone(), name.get(&c.parent_id?)?.clone()))))
        .collect())
}

impl Gen<'_> {
    fn meeting(
        &mut self,
        conn: &mut AnyConnection,
        rng: &mut StdRng,
        unit: &mut Unit,
        p: &Planned,
    ) -> AppResult<()> {
        let at = utc(p.day.and_time(p.start));
        let state = if p.day < self.today {
            State::Final
        } else if at <= self.now {
            State::Held
        } else {
            State::Draft
        };
        let hist = &mut unit.history[kind_index(p.kind)];
        let since = hist.last_held.unwrap_or(self.window_start);
        let lines = agenda::draft(
            self.issues,
            unit.id,
            &mut unit.book,
            hist,
            (since, at),
            max_items(p.kind),
        );
        let mut items: Vec<ItemRow> = lines.iter().map(|l| self.issue_item(l, p.day)).collect();
        if p.kind == Kind::Weekly && rng.random_bool(TOPIC) {
            items.push(topic(rng, p.day));
        }
        if state != State::Draft {
            self.decide(rng, unit, p, at, &mut items, state);
            unit.history[kind_index(p.kind)].held(at, lines.iter().map(|l| l.issue));
            for l in &lines {
                self.discussed[l.issue] += 1;
            }
        }
        let held = Held {
            state,
            at,
            people: attendance(rng, unit, p.kind, state),
        };
        let minutes = match state {
            State::Final => minutes_of(rng, p.kind, &lines, items.len()),
            _ => String::new(),
        };
        self.write(conn, rng, unit, p, (since, &minutes), &held, &items)
    }

    /// A drafted line as an item, its counts frozen as `agenda::items_of` freezes them.
    fn issue_item(&self, l: &Line, day: NaiveDate) -> ItemRow {
        let issue = &self.issues[l.issue];
        ItemRow {
            issue: Some(l.issue),
            reasons: domain::join_reasons(&l.reasons),
            title: issue.title.clone(),
            grid_id: Some(issue.grid_id),
            discussed_before: self.discussed[l.issue],
            age_days: self.work.between(local(issue.reported).date(), day),
            decision: None,
        }
    }

    /// Decisions on most items, taken one after another during the meeting.
    fn decide(
        &self,
        rng: &mut StdRng,
        unit: &Unit,
        p: &Planned,
        at: NaiveDateTime,
        items: &mut [ItemRow],
        state: State,
    ) {
        let share = if state == State::Final {
            DECIDED
        } else {
            DECIDED_TODAY
        };
        let minutes = (p.end - p.start).num_minutes().max(1);
        let step = (minutes / (items.len() as i64 + 1)).max(1);
        for (n, item) in items.iter_mut().enumerate() {
            let decided_at = at + Duration::minutes(step * (n as i64 + 1));
            if !rng.random_bool(share) || decided_at > self.now {
                continue;
            }
            let days = match p.kind {
                Kind::Huddle => rng.random_range(1..=3),
                _ => rng.random_range(2..=7),
            };
            let (solution, resp) = match item.issue {
                Some(i) => self.solution(rng, unit, &self.issues[i]),
                None => (
                    texts::topic_solution(&item.title).to_string(),
                    (Some(unit.id), String::new(), unit.name.clone()),
                ),
            };
            item.decision = Some(Decided {
                discussion: pick(rng, texts::DISCUSSIONS),
                solution,
                resp_unit: resp.0,
                resp_party: resp.1,
                resp_name: resp.2,
                deadline: self.workdays_after(p.day, days),
                at: decided_at,
            });
        }
    }

    /// What to do about an issue and who: (solution, (responsible unit, party, name)). A
    /// community names one of its grids, itself or an outside party; a street one of its
    /// communities or a party — the units a decision form offers (the unit and the level below).
    fn solution(
        &self,
        rng: &mut StdRng,
        unit: &Unit,
        issue: &Issue,
    ) -> (String, (Option<i32>, String, String)) {
        let (minor, major) = self
            .categories
            .get(&issue.category_id)
            .map_or(("", ""), |(a, b)| (a.as_str(), b.as_str()));
        let (solution, parties) = texts::decision(rng, minor, major);
        let below = if unit.street {
            self.parent.get(&issue.grid_id).copied()
        } else {
            Some(issue.grid_id)
        };
        let roll: f64 = rng.random();
        let resp = match below {
            _ if roll < 0.25 && !parties.is_empty() => {
                let party = pick(rng, parties).to_string();
                (None, party.clone(), party)
            }
            Some(b) if roll < 0.85 => (Some(b), String::new(), self.name_of(b)),
            _ => (Some(unit.id), String::new(), unit.name.clone()),
        };
        (solution.to_string(), resp)
    }

    fn name_of(&self, unit: i32) -> String {
        self.names.get(&unit).cloned().unwrap_or_default()
    }

    /// The `n`th working day after `day`.
    fn workdays_after(&self, day: NaiveDate, n: u32) -> NaiveDate {
        let mut d = day;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().unwrap_or(d);
            if self.cal.is_workday(d) {
                left -= 1;
            }
        }
        d
    }
}

/// A free topic of the month, not (yet) an issue.
fn topic(rng: &mut StdRng, day: NaiveDate) -> ItemRow {
    let month = day.month();
    let fitting: Vec<&str> = texts::TOPICS
        .iter()
        .filter(|t| t.2.is_empty() || t.2.contains(&month))
        .map(|t| t.0)
        .collect();
    ItemRow {
        issue: None,
        reasons: domain::join_reasons(&[Reason::Topic]),
        title: pick(rng, &fitting).to_string(),
        grid_id: None,
        discussed_before: 0,
        age_days: 0,
        decision: None,
    }
}

/// The finalized minutes: what the agenda held.
fn minutes_of(rng: &mut StdRng, kind: Kind, lines: &[Line], items: usize) -> String {
    let with = |r: Reason| lines.iter().filter(|l| l.reasons.contains(&r)).count();
    match kind {
        Kind::Huddle => texts::huddle_minutes(items),
        Kind::Weekly => texts::weekly_minutes(
            rng,
            [
                items,
                with(Reason::New),
                with(Reason::Carried),
                with(Reason::Overdue),
            ],
        ),
        Kind::Supervision => texts::supervision_minutes(rng, items),
    }
}
