//! Writing a generated issue and its timeline as rows of the multi-row INSERTs.

use super::timeline::Step;
use crate::db::AnyConnection;
use crate::demo::bulk::{Bulk, id_opt, q, ts, ts_opt};
use crate::error::AppResult;
use crate::issues::models::Issue;

pub(super) const ISSUE_COLUMNS: &str = "id, number, grid_id, scope_path, owner_unit_id, category_id, source, \
    urgency, title, description, address, people, state, reporter_id, dispatcher_id, \
    handler_user_id, handler_unit_id, handler_party, handled_by, pending, pending_days, pending_by, \
    reported_at, registered_at, dispatched_at, handled_at, closed_at, deadline, extension_days, \
    rework_count, version, updated_at";

pub(super) const EVENT_COLUMNS: &str =
    "issue_id, actor_id, action, from_state, to_state, note, detail, created_at";

pub(super) fn write(
    conn: &mut AnyConnection,
    issues: &mut Bulk,
    events: &mut Bulk,
    i: &Issue,
    steps: &[Step],
) -> AppResult<()> {
    issues.push(
        conn,
        format!(
            "({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
            i.id,
            q(&i.number),
            i.grid_id,
            q(&i.scope_path),
            i.owner_unit_id,
            i.category_id,
            q(&i.source),
            q(&i.urgency),
            q(&i.title),
            q(&i.description),
            q(&i.address),
            q(&i.people),
            q(&i.state),
            i.reporter_id,
            id_opt(i.dispatcher_id),
            id_opt(i.handler_user_id),
            id_opt(i.handler_unit_id),
            q(&i.handler_party),
            id_opt(i.handled_by),
            q(&i.pending),
            i.pending_days,
            id_opt(i.pending_by),
            ts(i.reported_at),
            ts_opt(i.registered_at),
            ts_opt(i.dispatched_at),
            ts_opt(i.handled_at),
            ts_opt(i.closed_at),
            ts_opt(i.deadline),
            i.extension_days,
            i.rework_count,
            i.version,
            ts(i.updated_at),
        ),
    )?;
    for (action, from, to, actor, note, detail, at) in steps {
        events.push_after(
            conn,
            format!(
                "({}, {actor}, {}, {}, {}, {}, {}, {})",
                i.id,
                q(action),
                q(from),
                q(to),
                q(note),
                q(detail),
                ts(*at)
            ),
            issues,
        )?;
    }
    Ok(())
}
