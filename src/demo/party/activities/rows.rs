//! Writing one activity: its row, who was expected and who came (attendance), and for some
//! volunteer services the grid and issue they helped with.

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand::rngs::StdRng;

use super::events::{Event, Who};
use super::{LINKED, ON_LEAVE};
use crate::db::AnyConnection;
use crate::demo::bulk::{Bulk, id_opt, q, ts};
use crate::demo::party::Tree;
use crate::demo::party::branches::Branch;
use crate::demo::party::texts::{self, pick};
use crate::error::AppResult;

pub(super) struct Writers {
    pub(super) activities: Bulk,
    pub(super) attendance: Bulk,
    pub(super) links: Bulk,
}

pub(super) const ACTIVITY_COLUMNS: &str = "id, branch_id, scope_path, kind, title, day, start_time, \
    end_time, place, host, recorder, content, outcomes, expected, present, visited, \
    visited_member_id, difficulty, given, pairing_id, photos, created_by, version, created_at, \
    updated_at";

/// One activity with its attendance and links.
pub(super) fn write(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    tree: &Tree,
    b: &Branch,
    e: &Event,
    id: i32,
    out: &mut Writers,
) -> AppResult<()> {
    let expected = expected(rng, b, e.who);
    let mut present = 0;
    let mut rows = Vec::with_capacity(expected.len());
    for &m in &expected {
        // Volunteers sign up for the service they come to.
        let here = matches!(e.who, Who::Volunteers) || rng.random_bool(turnout(b));
        let (attendance, reason) = if here {
            present += 1;
            ("present", "")
        } else if rng.random_bool(ON_LEAVE) {
            ("leave", pick(rng, texts::ABSENCE_REASONS))
        } else {
            ("absent", pick(rng, texts::ABSENCE_REASONS))
        };
        rows.push(format!(
            "({id}, {}, '{attendance}', {})",
            b.members[m].id,
            q(reason)
        ));
    }
    let secretary = b.members.first().map_or("", |m| m.name.as_str());
    let recorder = b.members.get(1).map_or(secretary, |m| m.name.as_str());
    let host = match e.who {
        Who::Group(g) => b
            .members
            .iter()
            .find(|m| m.group == g && m.active)
            .map_or(secretary, |m| m.name.as_str()),
        Who::Pairing(p) => b
            .pairings
            .get(p)
            .and_then(|x| b.members.get(x.member))
            .map_or(secretary, |m| m.name.as_str()),
        _ if e.title.starts_with("第一书记") => b
            .first_secretary
            .as_ref()
            .map_or(secretary, |f| f.0.as_str()),
        _ => secretary,
    };
    let (visited, visited_id, difficulty, given) = match e.who {
        Who::Visit(m, gift) => {
            let x = &b.members[m];
            (x.name.as_str(), Some(x.id), x.difficulty, gift)
        }
        Who::Pairing(p) => (
            b.pairings.get(p).map_or("", |x| x.household.as_str()),
            None,
            "",
            "",
        ),
        _ => ("", None, "", ""),
    };
    let place = match e.who {
        Who::Visit(m, _) => b.members[m].address.clone(),
        Who::Pairing(p) => b
            .pairings
            .get(p)
            .map_or_else(String::new, |x| x.address.clone()),
        Who::Volunteers => match b.community {
            Some(c) => format!("{}辖区楼院", tree.communities[c].name),
            None => "辖区街面".to_string(),
        },
        _ => b.place.clone(),
    };
    let pairing_id = match e.who {
        Who::Pairing(p) => b.pairings.get(p).map(|x| x.id),
        _ => None,
    };
    let end = e.start + Duration::minutes(e.minutes);
    // Typed in the same day after the activity, or the next morning; never after now.
    let typed = (e.day.and_time(end) - Duration::hours(8)
        + Duration::minutes(rng.random_range(20..=960)))
    .min(crate::db::now());
    let row = format!(
        "({id}, {}, {}, '{}', {}, '{}', '{}', '{}', {}, {}, {}, {}, {}, {}, {present}, {}, {}, \
         '{difficulty}', {}, {}, 0, {}, 1, {}, {})",
        b.id,
        q(&b.path),
        e.kind,
        q(&e.title),
        e.day,
        e.start.format("%H:%M"),
        end.format("%H:%M"),
        q(&place),
        q(host),
        q(recorder),
        q(&e.content),
        q(&e.outcomes),
        expected.len(),
        q(visited),
        id_opt(visited_id),
        q(given),
        id_opt(pairing_id),
        id_opt(b.recorder_account),
        ts(typed),
        ts(typed),
    );
    out.activities.push(conn, row)?;
    for r in rows {
        out.attendance.push_after(conn, r, &mut out.activities)?;
    }
    if e.kind == "volunteer" && rng.random_bool(LINKED) {
        link(conn, rng, tree, b, e.day, id, out)?;
    }
    Ok(())
}

/// A branch's share present: 85–95%, steady per branch (derived from its id so it needs no
/// state).
pub(super) fn turnout(b: &Branch) -> f64 {
    0.85 + f64::from(b.id.rem_euclid(11)) / 100.0
}

/// The member indexes expected at an event.
pub(super) fn expected(rng: &mut StdRng, b: &Branch, who: Who) -> Vec<usize> {
    let active = (0..b.members.len()).filter(|&i| b.members[i].active);
    match who {
        Who::All => active.collect(),
        Who::Committee => active.take(b.committee).collect(),
        Who::Group(g) => active.filter(|&i| b.members[i].group == g).collect(),
        Who::Volunteers => {
            let team: Vec<usize> = active.filter(|&i| b.members[i].volunteer).collect();
            let n = rng.random_range(4..=12).min(team.len());
            let skip = rng.random_range(0..=team.len() - n);
            team[skip..skip + n].to_vec()
        }
        Who::Visit(..) | Who::Pairing(_) => Vec::new(),
    }
}

/// Links a volunteer service to a grid of its community and an issue of that grid reported in
/// the month before (党建引领网格治理): one row for the grid, one for the issue.
pub(super) fn link(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    tree: &Tree,
    b: &Branch,
    day: NaiveDate,
    id: i32,
    out: &mut Writers,
) -> AppResult<()> {
    let Some(c) = b.community else {
        return Ok(());
    };
    let recent: Vec<_> = tree
        .issues
        .get(&c)
        .map(|list| {
            list.iter()
                .filter(|i| i.day() <= day && i.day() > day - Duration::days(30))
                .collect()
        })
        .unwrap_or_default();
    let (grid, issue) = match recent.get(rng.random_range(0..recent.len().max(1))) {
        Some(i) => (Some(i.grid), Some(i.id)),
        None => {
            let grids = &tree.communities[c].grids;
            (
                grids.get(rng.random_range(0..grids.len().max(1))).copied(),
                None,
            )
        }
    };
    if let Some(g) = grid {
        out.links
            .push_after(conn, format!("({id}, {g}, NULL)"), &mut out.activities)?;
    }
    if let Some(i) = issue {
        out.links
            .push_after(conn, format!("({id}, NULL, {i})"), &mut out.activities)?;
    }
    Ok(())
}
