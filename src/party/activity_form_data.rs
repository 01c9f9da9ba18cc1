//! What the activity form is shown and checked with (the branch's members, pairings, grids and
//! the issues typed), the saved activity as a form, and a form as the labelled lines the stale-edit
//! table and the audit log show.

use std::collections::{BTreeMap, HashMap};

use super::activity_forms::{
    Activity as Parsed, ActivityErrors, ActivityForm, AttendanceInput, Context, needs_reason,
};
use super::activity_models::{self as am, Activity};
use super::models::Branch;
use super::pairing_data;
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::web::ctx::Ctx;

/// What the form is shown and checked with.
pub struct FormData {
    pub b: Branch,
    /// (id, name, active, difficulty)
    pub members: Vec<(i32, String, bool, String)>,
    /// The pairings a visit may name: (id, "member → household").
    pub pairings: Vec<(i32, String)>,
    pub grids: Vec<(i32, String)>,
    /// Issue number → id, for the numbers typed found in the branch's unit.
    pub issues: BTreeMap<String, i32>,
}

impl FormData {
    pub fn check(
        &self,
        form: &ActivityForm,
        today: chrono::NaiveDate,
    ) -> Result<Parsed, Box<ActivityErrors>> {
        let members: Vec<(i32, String, bool)> = self
            .members
            .iter()
            .map(|m| (m.0, m.1.clone(), m.2))
            .collect();
        let pairings: Vec<i32> = self.pairings.iter().map(|p| p.0).collect();
        let grids: Vec<i32> = self.grids.iter().map(|g| g.0).collect();
        form.parse(&Context {
            members: &members,
            pairings: &pairings,
            grids: &grids,
            issues: &self.issues,
            today,
        })
    }
}

/// `pairing`: the pairing a saved visit names, kept on offer if it has ended since (a new
/// visit can only name a pairing that still lasts).
pub fn form_data(
    conn: &mut AnyConnection,
    b: Branch,
    numbers: &[String],
    pairing: Option<i32>,
) -> AppResult<FormData> {
    Ok(FormData {
        members: am::member_rows(conn, b.id)?,
        pairings: pairing_data::choices(conn, b.id, pairing)?,
        grids: am::grids_under(conn, &b.scope_path)?,
        issues: am::issues_by_number(conn, &b.scope_path, numbers)?
            .into_iter()
            .collect(),
        b,
    })
}

pub fn label(ctx: &Ctx, prefix: &str, code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        ctx.t(format!("{prefix}{code}"))
    }
}

/// A form as the lines a person compares (the 409 table) and the audit log keeps.
pub fn labelled(ctx: &Ctx, f: &ActivityForm, d: &FormData) -> Vec<(&'static str, String)> {
    let names: HashMap<i32, &str> = d.members.iter().map(|m| (m.0, m.1.as_str())).collect();
    let attendance = f
        .att
        .iter()
        .filter(|(_, a)| !a.attendance.trim().is_empty() && a.attendance.trim() != "none")
        .map(|(id, a)| {
            let code = a.attendance.trim();
            let mut s = format!(
                "{} {}",
                names.get(id).copied().unwrap_or_default(),
                label(ctx, "party.att.", code)
            );
            if needs_reason(code) && !a.reason.trim().is_empty() {
                s.push_str(&format!(" ({})", a.reason.trim()));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ");
    let time = if f.start_time.trim().is_empty() {
        String::new()
    } else {
        format!("{}-{}", f.start_time.trim(), f.end_time.trim())
    };
    let visited = match f.visited_member_id.trim().parse::<i32>() {
        Ok(id) => names.get(&id).copied().unwrap_or_default().to_string(),
        Err(_) => f.visited.trim().to_string(),
    };
    let pairing = f
        .pairing_id
        .trim()
        .parse::<i32>()
        .ok()
        .and_then(|id| d.pairings.iter().find(|p| p.0 == id))
        .map(|p| p.1.clone())
        .unwrap_or_default();
    let grids = d
        .grids
        .iter()
        .filter(|g| f.has_grid(&g.0))
        .map(|g| g.1.clone())
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        (
            "party.activity.kind",
            label(ctx, "party.activity_kind.", f.kind.trim()),
        ),
        ("party.activity.title", f.title.trim().to_string()),
        ("party.activity.day", f.day.trim().to_string()),
        ("party.activity.time", time),
        ("party.activity.place", f.place.trim().to_string()),
        ("party.activity.host", f.host.trim().to_string()),
        ("party.activity.recorder", f.recorder.trim().to_string()),
        ("party.activity.attendance", attendance),
        ("party.activity.visited", visited),
        ("party.activity.given", f.given.trim().to_string()),
        ("party.activity.pairing", pairing),
        ("party.activity.grids", grids),
        ("party.activity.issues", f.issue_numbers().join(", ")),
        ("party.activity.content", f.content.trim().to_string()),
        ("party.activity.outcomes", f.outcomes.trim().to_string()),
    ]
}

pub fn as_map(f: &[(&str, String)]) -> serde_json::Map<String, serde_json::Value> {
    f.iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
        .collect()
}

/// The saved activity as a form.
pub fn form_of(conn: &mut AnyConnection, a: &Activity) -> AppResult<ActivityForm> {
    let att = am::attendance(conn, a.id)?
        .into_iter()
        .map(|(id, _, attendance, reason)| (id, AttendanceInput { attendance, reason }))
        .collect();
    let (grids, issues) = am::links(conn, a.id)?;
    Ok(ActivityForm {
        kind: a.kind.clone(),
        title: a.title.clone(),
        day: a.day.to_string(),
        start_time: a.start_time.clone(),
        end_time: a.end_time.clone(),
        place: a.place.clone(),
        host: a.host.clone(),
        recorder: a.recorder.clone(),
        content: a.content.clone(),
        outcomes: a.outcomes.clone(),
        att,
        visited_member_id: a
            .visited_member_id
            .map(|i| i.to_string())
            .unwrap_or_default(),
        visited: a.visited.clone(),
        difficulty: a.difficulty.clone(),
        given: a.given.clone(),
        pairing_id: a.pairing_id.map(|i| i.to_string()).unwrap_or_default(),
        grids: grids.iter().map(|g| g.0.to_string()).collect(),
        issues: issues
            .iter()
            .map(|i| i.1.clone())
            .collect::<Vec<_>>()
            .join(" "),
        version: a.version.to_string(),
        form_token: String::new(),
    })
}
