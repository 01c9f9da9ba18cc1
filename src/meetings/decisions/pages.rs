//! An agenda item's page: the line, its discussion and decision form (and, for a free topic,
//! the form turning it into an issue); a decision as the lines a person compares.

use askama::Template;
use chrono::NaiveDate;

use super::forms::{DecisionForm, TopicIssueForm};
use super::models::{ItemData, Targets, saved_target};
use crate::auth::CurrentUser;
use crate::issues::pages::CategoryGroup;
use crate::issues::workflow::Target;
use crate::meetings::agenda::models::Item;
use crate::meetings::agenda::pages::{ItemView, item_view};
use crate::meetings::domain::{self, State};
use crate::meetings::models::Meeting;
use crate::meetings::pages::meeting_name;
use crate::org::models::UnitGroup;
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// An agenda item: the issue, the discussion and the decision (and, for a free topic, turning
/// it into an issue).
#[derive(Template)]
#[template(path = "meetings/decisions/edit.html")]
pub struct ItemPage {
    pub ctx: Ctx,
    pub m: Meeting,
    pub name: String,
    /// The meeting's trail, then the meeting.
    pub crumbs: Vec<Crumb>,
    pub view: ItemView,
    pub form: DecisionForm,
    pub errors: FormErrors,
    pub conflicts: Vec<ConflictRow>,
    pub restored: bool,
    pub correcting: bool,
    pub may_record: bool,
    pub target_users: Vec<Choice>,
    pub target_units: Vec<Choice>,
    /// A free topic becoming an issue.
    pub topic: TopicIssueForm,
    pub topic_errors: FormErrors,
    pub categories: Vec<CategoryGroup>,
    pub grids: Vec<UnitGroup>,
}

impl ItemPage {
    /// The item's page with the decision form `form`.
    pub fn new(
        ctx: Ctx,
        user: &CurrentUser,
        d: ItemData,
        form: DecisionForm,
        errors: FormErrors,
        today: NaiveDate,
    ) -> ItemPage {
        let number =
            d.l.items
                .iter()
                .filter(|i| !i.removed)
                .position(|i| i.id == d.item.id)
                .map(|n| n + 1)
                .unwrap_or(0);
        let view = item_view(
            d.item.clone(),
            number,
            &d.l.issues,
            &d.l.grids,
            crate::db::now(),
            today,
        );
        let topic = TopicIssueForm {
            title: d.item.title.clone(),
            form_token: crate::web::csrf::random_token(),
            ..Default::default()
        };
        let target_users = d.targets.users.iter();
        let name = meeting_name(&ctx, &d.l.unit_name, &d.l.m.kind, &d.l.m.day);
        let mut crumbs = d.l.crumbs.clone();
        crumbs.push(Crumb::link(&name, format!("/meetings/{}", d.l.m.id)));
        ItemPage {
            name,
            crumbs,
            correcting: d.l.m.state() == State::Final,
            may_record: domain::may_record(user, &d.l.m.scope_path),
            target_users: target_users
                .map(|u| Choice::new(u.id, format!("{}（{}）", u.name, u.unit)))
                .collect(),
            target_units: d
                .targets
                .units
                .iter()
                .map(|u| crate::org::models::indented(u.id, &u.name, u.depth))
                .collect(),
            categories: CategoryGroup::all(&d.cats, false),
            grids: d.grids.clone(),
            m: d.l.m,
            view,
            form,
            errors,
            conflicts: Vec::new(),
            restored: false,
            topic,
            topic_errors: FormErrors::new(),
            ctx,
        }
    }
}

/// The saved decision as a form.
pub fn form_of(it: &Item) -> DecisionForm {
    let (kind, user, unit) = match saved_target(it) {
        Some(Target::User(u)) => ("user", u.to_string(), String::new()),
        Some(Target::Unit(o)) => ("unit", String::new(), o.to_string()),
        Some(Target::Party(_)) => ("party", String::new(), String::new()),
        None => ("", String::new(), String::new()),
    };
    DecisionForm {
        discussion: it.discussion.clone(),
        solution: it.solution.clone(),
        target_kind: kind.into(),
        target_user: user,
        target_unit: unit,
        target_party: it.resp_party.clone(),
        deadline: it.deadline.map(|d| d.to_string()).unwrap_or_default(),
        version: it.version.to_string(),
        ..Default::default()
    }
}

/// The name the typed form's responsible shows as (for comparisons).
pub fn typed_name(t: &Targets, f: &DecisionForm) -> String {
    let target = match f.target_kind.trim() {
        "user" => f.target_user.trim().parse().ok().map(Target::User),
        "unit" => f.target_unit.trim().parse().ok().map(Target::Unit),
        "party" => Some(Target::Party(f.target_party.clone())),
        _ => None,
    };
    t.name(&target).unwrap_or_default()
}

/// Labels and values of a decision, for a stale-edit comparison and a correction's record.
pub fn fields(f: &DecisionForm, target_name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("meetings.discussion", f.discussion.trim().to_string()),
        ("meetings.solution", f.solution.trim().to_string()),
        ("meetings.responsible", target_name.to_string()),
        ("meetings.deadline", f.deadline.trim().to_string()),
    ]
}

crate::stale_page!(ItemPage);
