//! The SQL of an agenda item's decision: the item's page data (whom a decision can name, and for
//! a free topic the categories and grids), saving the decision and writing it back to the issue
//! (`issues::decision`, in the same transaction), and a free topic turned into an issue.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::forms::{DecisionInput, TopicIssue};
use crate::auth::CurrentUser;
use crate::db::AnyConnection;
use crate::db::schema::{meeting_items, org_units};
use crate::error::{AppError, AppResult};
use crate::issues::decision::{self, MeetingDecision};
use crate::issues::models::{self as issue_models, CategoryRow, DispatchUser};
use crate::issues::workflow::{self, Clock, Report, Target};
use crate::meetings::agenda::models::{self as agenda, Item};
use crate::meetings::models::{self as meeting, Loaded, Meeting};
use crate::org::models::UnitGroup;
use crate::web::edit::Saved;

/// What an item's decision form sets.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = meeting_items)]
#[diesel(treat_none_as_null = true)]
pub struct Decision {
    pub discussion: String,
    pub solution: String,
    pub resp_user_id: Option<i32>,
    pub resp_unit_id: Option<i32>,
    pub resp_party: String,
    pub resp_name: String,
    pub deadline: Option<NaiveDate>,
    pub decided_at: Option<NaiveDateTime>,
}

/// Saves an item's decision if the item is still at `version`.
pub fn decide(
    conn: &mut AnyConnection,
    item_id: i32,
    version: i32,
    d: &Decision,
) -> AppResult<bool> {
    let n = diesel::update(
        meeting_items::table
            .filter(meeting_items::id.eq(item_id))
            .filter(meeting_items::version.eq(version)),
    )
    .set((d, meeting_items::version.eq(version + 1)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Links a free topic to the issue it became (and to that issue's grid).
pub fn link_issue(
    conn: &mut AnyConnection,
    item_id: i32,
    issue_id: i32,
    grid_id: i32,
) -> AppResult<()> {
    diesel::update(meeting_items::table.find(item_id))
        .set((
            meeting_items::issue_id.eq(Some(issue_id)),
            meeting_items::grid_id.eq(Some(grid_id)),
            meeting_items::version.eq(meeting_items::version + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// A unit a decision can name as responsible.
#[derive(Debug, Clone, Queryable)]
pub struct TargetUnit {
    pub id: i32,
    pub name: String,
    pub depth: i32,
}

/// Whom a decision can name: staff and units of the meeting's unit (the issue dispatch lists).
pub struct Targets {
    pub users: Vec<DispatchUser>,
    pub units: Vec<TargetUnit>,
}

impl Targets {
    /// The name a decision's responsible shows as; None when it is not one of these.
    pub fn name(&self, target: &Option<Target>) -> Option<String> {
        match target {
            None => Some(String::new()),
            Some(Target::User(id)) => self
                .users
                .iter()
                .find(|u| u.id == *id)
                .map(|u| format!("{}（{}）", u.name, u.unit)),
            Some(Target::Unit(id)) => self
                .units
                .iter()
                .find(|u| u.id == *id)
                .map(|u| u.name.clone()),
            Some(Target::Party(name)) => Some(name.trim().to_string()),
        }
    }
}

/// An item's page: the meeting, the item, whom a decision can name and, for a free topic, the
/// categories and grids of the issue it can become.
pub struct ItemData {
    pub l: Loaded,
    pub item: Item,
    pub targets: Targets,
    pub cats: Vec<CategoryRow>,
    /// The grids under the meeting's unit, where a free topic's issue can be filed.
    pub grids: Vec<UnitGroup>,
}

pub fn load(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i32,
    item_id: i32,
) -> AppResult<ItemData> {
    let l = meeting::load(conn, user, id)?;
    let item = l
        .items
        .iter()
        .find(|i| i.id == item_id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let unit = crate::org::models::get(conn, l.m.unit_id)?;
    let (lo, hi) = crate::db::subtree_range(&unit.path);
    let targets = Targets {
        users: issue_models::dispatch_staff(conn, &unit.path)?,
        units: org_units::table
            .filter(org_units::path.ge(&lo))
            .filter(org_units::path.lt(&hi))
            .filter(org_units::depth.le(unit.depth + 1))
            .order(org_units::path)
            .select((org_units::id, org_units::name, org_units::depth))
            .load(conn)?,
    };
    let (cats, grids) = if item.issue_id.is_none() {
        let grids = crate::org::models::grid_groups(conn, &unit.path, false)?;
        (issue_models::categories(conn)?, grids)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(ItemData {
        l,
        item,
        targets,
        cats,
        grids,
    })
}

/// The responsible an item's saved decision names.
pub fn saved_target(it: &Item) -> Option<Target> {
    match (it.resp_user_id, it.resp_unit_id) {
        (Some(u), _) => Some(Target::User(u)),
        (_, Some(o)) => Some(Target::Unit(o)),
        _ if !it.resp_party.is_empty() => Some(Target::Party(it.resp_party.clone())),
        _ => None,
    }
}

/// Saving a decision: what was decided and what else is written with it.
pub struct Save {
    pub input: DecisionInput,
    /// The responsible's name as shown.
    pub resp_name: String,
    /// How the issue's timeline names the meeting (`meeting_ref`, language-neutral).
    pub meeting_label: String,
    /// A finalized meeting's correction: the changed lines as JSON.
    pub correction: Option<String>,
    pub clock: Clock,
}

/// Saves the item's decision if the item is still at the version read; a decision saying
/// something new about an issue goes to the issue in the same transaction. Stale: nothing is
/// written and the item as it now is comes back.
pub fn save(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    m: &Meeting,
    item: &Item,
    s: &Save,
) -> AppResult<Saved<Box<Item>>> {
    let input = &s.input;
    let decided = !input.solution.is_empty();
    let dec = Decision {
        discussion: input.discussion.clone(),
        solution: input.solution.clone(),
        resp_user_id: match input.target {
            Some(Target::User(id)) => Some(id),
            _ => None,
        },
        resp_unit_id: match input.target {
            Some(Target::Unit(id)) => Some(id),
            _ => None,
        },
        resp_party: match &input.target {
            Some(Target::Party(p)) => p.clone(),
            _ => String::new(),
        },
        resp_name: s.resp_name.clone(),
        deadline: input.deadline,
        decided_at: decided.then(|| item.decided_at.unwrap_or(s.clock.now)),
    };
    if !decide(conn, item.id, item.version, &dec)? {
        return Ok(Saved::Stale(Box::new(agenda::item(conn, m.id, item.id)?)));
    }
    // The decision goes to the issue when it says something new about it.
    let changed = item.solution != input.solution
        || item.resp_name != s.resp_name
        || item.deadline != input.deadline;
    if let (Some(issue), true, true) = (item.issue_id, decided, changed) {
        write_back(conn, user, issue, &s.meeting_label, input, &s.clock)?;
    }
    meeting::refresh_counts(conn, m.id)?;
    match &s.correction {
        Some(changes) => meeting::add_correction(conn, m.id, user.id, &input.reason, changes)?,
        None => meeting::touch(conn, m.id, s.clock.now)?,
    }
    crate::audit::record(
        conn,
        &user.actor(),
        "meeting_decision",
        "meeting",
        Some(m.id),
        &format!("{} · {}", s.meeting_label, item.title),
        Some(&serde_json::json!({
            "item": item.id,
            "solution": item.solution,
            "responsible": item.resp_name,
            "deadline": item.deadline,
        })),
        Some(&serde_json::json!({
            "item": item.id,
            "discussion_chars": input.discussion.chars().count(),
            "solution": input.solution,
            "responsible": s.resp_name,
            "deadline": input.deadline,
            "reason": input.reason,
        })),
        &m.scope_path,
    )?;
    Ok(Saved::Done)
}

fn write_back(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    issue: i32,
    meeting: &str,
    input: &DecisionInput,
    clock: &Clock,
) -> AppResult<()> {
    let d = MeetingDecision {
        meeting: meeting.to_string(),
        solution: input.solution.clone(),
        target: input.target.clone(),
        deadline: input.deadline,
    };
    match decision::apply(conn, user, issue, &d, clock) {
        Ok(_) => Ok(()),
        Err(workflow::StepError::App(e)) => Err(e),
        // Checked before the transaction; someone acting on the issue in between makes it stale.
        Err(_) => Err(AppError::Conflict),
    }
}

/// A meeting named in what a topic's issue stores: `stored` on the timeline (markers, read in
/// each reader's language), `shown` in the issue's description (plain text the clerk can edit).
pub struct MeetingLabel {
    pub stored: String,
    pub shown: String,
}

/// A free topic becomes an issue in the register (source: meeting), linked to the item; the
/// item's decision, if any, is written to it.
pub fn make_issue(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    meeting_id: i32,
    item: &Item,
    t: &TopicIssue,
    label: &MeetingLabel,
    clock: &Clock,
) -> AppResult<()> {
    let report = Report {
        title: t.title.clone(),
        description: if t.description.is_empty() {
            format!("{}：{}", label.shown, item.discussion)
        } else {
            t.description.clone()
        },
        category_id: t.category_id,
        source: "meeting".into(),
        grid_id: t.grid_id,
        address: t.address.clone(),
        people: String::new(),
        urgency: "normal".into(),
    };
    let (issue, _) = workflow::report(conn, user, &report, clock)?;
    link_issue(conn, item.id, issue.id, t.grid_id)?;
    if !item.solution.is_empty() {
        let input = DecisionInput {
            discussion: item.discussion.clone(),
            solution: item.solution.clone(),
            target: saved_target(item),
            deadline: item.deadline,
            reason: String::new(),
        };
        // A responsible the new issue's coordinator cannot dispatch to is left to the issue's
        // page; the decision is on its timeline either way.
        if let Err(e) = write_back(conn, user, issue.id, &label.stored, &input, clock) {
            if !matches!(e, AppError::Conflict) {
                return Err(e);
            }
            let plain = DecisionInput {
                target: None,
                ..input
            };
            write_back(conn, user, issue.id, &label.stored, &plain, clock)?;
        }
    }
    meeting::touch(conn, meeting_id, clock.now)?;
    crate::audit::record(
        conn,
        &user.actor(),
        "meeting_topic_issue",
        "meeting",
        Some(meeting_id),
        &issue.number,
        None::<&()>,
        Some(&serde_json::json!({"item": item.id, "issue": issue.number})),
        &issue.scope_path,
    )
}
