//! The agenda as shown: each line with its issue's number, state and grid, why it is on the
//! agenda, and whether the issue or the decision is overdue.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::models::Item;
use crate::issues::domain::State as IssueState;
use crate::meetings::domain::{self, Reason};
use crate::meetings::models::{IssueBrief, Loaded};

/// One agenda line as shown.
pub struct ItemView {
    pub item: Item,
    pub number: usize,
    pub issue_number: String,
    pub issue_state: String,
    pub grid: String,
    pub reasons: Vec<&'static str>,
    /// The issue's handling deadline has passed.
    pub overdue: bool,
    /// The decision's deadline has passed and the issue is still open.
    pub decision_overdue: bool,
}

/// An item as a line of the agenda.
pub fn item_view(
    item: Item,
    number: usize,
    issues: &HashMap<i32, IssueBrief>,
    grids: &HashMap<i32, String>,
    now: NaiveDateTime,
    today: NaiveDate,
) -> ItemView {
    let brief = item.issue_id.and_then(|i| issues.get(&i));
    let state = brief.and_then(|b| IssueState::parse(&b.state));
    let open = state.is_some_and(|s| s.is_open());
    let clock_runs = state.is_some_and(|s| s.clock_runs());
    ItemView {
        number,
        issue_number: brief.map(|b| b.number.clone()).unwrap_or_default(),
        issue_state: brief.map(|b| b.state.clone()).unwrap_or_default(),
        grid: item
            .grid_id
            .and_then(|g| grids.get(&g).cloned())
            .unwrap_or_default(),
        reasons: domain::split_reasons(&item.reasons)
            .into_iter()
            .map(Reason::code)
            .collect(),
        overdue: clock_runs && brief.and_then(|b| b.deadline).is_some_and(|d| d < now),
        decision_overdue: open && item.deadline.is_some_and(|d| d < today),
        item,
    }
}

/// The agenda's lines (numbered) and the removed ones.
pub fn agenda_views(
    l: &Loaded,
    now: NaiveDateTime,
    today: NaiveDate,
) -> (Vec<ItemView>, Vec<ItemView>) {
    let mut items = Vec::new();
    let mut removed = Vec::new();
    for it in l.items.iter().cloned() {
        if it.removed {
            removed.push(item_view(it, 0, &l.issues, &l.grids, now, today));
        } else {
            let n = items.len() + 1;
            items.push(item_view(it, n, &l.issues, &l.grids, now, today));
        }
    }
    (items, removed)
}
