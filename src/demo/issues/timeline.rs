//! One issue lived through to now: reported, registered (or rejected, cancelled), dispatched
//! with a deadline on the work calendar, accepted, sometimes held, extended or reworked,
//! handled and closed; each step a timeline entry, in office hours.

use chrono::{Duration, NaiveDateTime, Timelike};
use rand::Rng;
use rand::rngs::StdRng;

use super::grids::Grid;
use super::texts::{pick_source, place};
use crate::calendar::{Limit, WorkCalendar};
use crate::issues::domain::State;
use crate::issues::models::Issue;

/// Local office time → UTC (Asia/Shanghai has no daylight saving: a fixed 8 hours).
pub(super) fn utc(t: NaiveDateTime) -> NaiveDateTime {
    t - Duration::hours(8)
}

pub(super) fn local(t: NaiveDateTime) -> NaiveDateTime {
    t + Duration::hours(8)
}

/// A random time between `from` and `from + hours`, inside office hours when possible.
pub(super) fn later(
    rng: &mut StdRng,
    from: NaiveDateTime,
    min_minutes: i64,
    max_minutes: i64,
) -> NaiveDateTime {
    let t = from + Duration::minutes(rng.random_range(min_minutes..=max_minutes.max(min_minutes)));
    // Work done after 19:00 is recorded the next morning.
    let l = local(t);
    if l.hour() >= 19 {
        utc(l
            .date()
            .succ_opt()
            .unwrap_or(l.date())
            .and_hms_opt(8, 30, 0)
            .unwrap_or(l)
            + Duration::minutes(rng.random_range(0..90)))
    } else {
        t
    }
}

/// One generated issue's timeline, in order: (action, from, to, actor, note, detail, at).
pub(super) type Step = (
    &'static str,
    &'static str,
    &'static str,
    i32,
    &'static str,
    String,
    NaiveDateTime,
);

/// One issue and its timeline, up to where `now` has got.
pub(super) fn build(
    rng: &mut StdRng,
    cal: &WorkCalendar,
    now: NaiveDateTime,
    g: &Grid,
    (cat_id, cat_name, limit): (i32, &str, Limit),
    reported: NaiveDateTime,
    id: i32,
) -> (Issue, Vec<Step>) {
    let address = place(rng, &g.community_name);
    let mut steps: Vec<Step> = Vec::new();
    let reporter = g.worker;
    let mut i = Issue {
        id,
        number: String::new(),
        grid_id: g.id,
        scope_path: g.path.clone(),
        owner_unit_id: g.community,
        category_id: cat_id,
        source: pick_source(rng).into(),
        urgency: if rng.random_bool(0.05) {
            "urgent"
        } else {
            "normal"
        }
        .into(),
        title: format!("{address}{cat_name}"),
        description: format!("{address}发现{cat_name}问题，需按时限处置。"),
        address,
        people: String::new(),
        state: State::Reported.code().into(),
        reporter_id: reporter,
        dispatcher_id: None,
        handler_user_id: None,
        handler_unit_id: None,
        handler_party: String::new(),
        handled_by: None,
        pending: String::new(),
        pending_days: 0,
        pending_by: None,
        reported_at: reported,
        registered_at: None,
        dispatched_at: None,
        handled_at: None,
        closed_at: None,
        deadline: None,
        extension_days: 0,
        rework_count: 0,
        version: 1,
        updated_at: reported,
    };
    steps.push((
        "report",
        "",
        "reported",
        reporter,
        "",
        String::new(),
        reported,
    ));
    let mut step = |i: &mut Issue, s: Step| -> bool {
        if s.6 > now {
            return false;
        }
        i.state = s.2.into();
        i.updated_at = s.6;
        i.version += 1;
        steps.push(s);
        true
    };
    let clerk = g.clerk;
    let registered = later(rng, reported, 20, 240);
    let roll: f64 = rng.random();
    if roll < 0.006 {
        step(
            &mut i,
            (
                "reject",
                "reported",
                "rejected",
                clerk,
                "与已立案问题重复",
                String::new(),
                registered,
            ),
        );
        return (i, steps);
    }
    if !step(
        &mut i,
        (
            "register",
            "reported",
            "registered",
            clerk,
            "",
            String::new(),
            registered,
        ),
    ) {
        return (i, steps);
    }
    i.registered_at = Some(registered);
    if roll < 0.009 {
        let at = later(rng, registered, 10, 120);
        step(
            &mut i,
            (
                "cancel",
                "registered",
                "cancelled",
                clerk,
                "现场核实无此问题",
                String::new(),
                at,
            ),
        );
        return (i, steps);
    }
    let dispatched = later(rng, registered, 5, 120);
    let handler = g.worker;
    if !step(
        &mut i,
        (
            "dispatch",
            "registered",
            "dispatched",
            clerk,
            "",
            String::new(),
            dispatched,
        ),
    ) {
        return (i, steps);
    }
    i.dispatcher_id = Some(clerk);
    i.handler_user_id = Some(handler);
    i.dispatched_at = Some(dispatched);
    let deadline = utc(cal.deadline(local(dispatched), limit));
    i.deadline = Some(deadline);
    let accepted = later(rng, dispatched, 5, 90);
    if !step(
        &mut i,
        (
            "accept",
            "dispatched",
            "handling",
            handler,
            "",
            String::new(),
            accepted,
        ),
    ) {
        return (i, steps);
    }
    // About 1% stay open past their deadline (the overdue the figures show), a few are held.
    if roll > 0.99 {
        return (i, steps);
    }
    if roll > 0.987 {
        let at = later(rng, accepted, 60, 600);
        if step(
            &mut i,
            (
                "request_hang",
                "handling",
                "handling",
                handler,
                "涉及历史遗留问题，暂时无法解决",
                String::new(),
                at,
            ),
        ) {
            let at2 = later(rng, at, 30, 300);
            step(
                &mut i,
                (
                    "approve_hang",
                    "handling",
                    "hung",
                    clerk,
                    "",
                    String::new(),
                    at2,
                ),
            );
        }
        return (i, steps);
    }
    if rng.random_bool(0.02) {
        let at = later(rng, accepted, 60, 600);
        if step(
            &mut i,
            (
                "request_extension",
                "handling",
                "handling",
                handler,
                "需协调相关部门",
                "3".into(),
                at,
            ),
        ) {
            let at2 = later(rng, at, 30, 300);
            if step(
                &mut i,
                (
                    "approve_extension",
                    "handling",
                    "handling",
                    clerk,
                    "",
                    "3".into(),
                    at2,
                ),
            ) {
                i.deadline = Some(utc(cal.deadline(local(deadline), Limit::Days(3))));
                i.extension_days = 3;
            }
        }
    }
    // Handled within the limit nine times in ten.
    let span = (i.deadline.unwrap_or(deadline) - accepted)
        .num_minutes()
        .max(30);
    let mut handled = if rng.random_bool(0.9) {
        accepted + Duration::minutes(rng.random_range(10..span.max(11)))
    } else {
        i.deadline.unwrap_or(deadline) + Duration::minutes(rng.random_range(60..4_000))
    };
    if !step(
        &mut i,
        (
            "handle",
            "handling",
            "handled",
            handler,
            "已按要求处置完毕",
            String::new(),
            handled,
        ),
    ) {
        return (i, steps);
    }
    i.handled_by = Some(handler);
    i.handled_at = Some(handled);
    if rng.random_bool(0.03) {
        let at = later(rng, handled, 60, 600);
        if !step(
            &mut i,
            (
                "rework",
                "handled",
                "dispatched",
                clerk,
                "现场核查未达标",
                String::new(),
                at,
            ),
        ) {
            return (i, steps);
        }
        i.rework_count = 1;
        i.handled_at = None;
        i.dispatched_at = Some(at);
        i.deadline = Some(utc(cal.deadline(local(at), limit)));
        let acc = later(rng, at, 5, 120);
        if !step(
            &mut i,
            (
                "accept",
                "dispatched",
                "handling",
                handler,
                "",
                String::new(),
                acc,
            ),
        ) {
            return (i, steps);
        }
        handled = later(rng, acc, 60, 1_200);
        if !step(
            &mut i,
            (
                "handle",
                "handling",
                "handled",
                handler,
                "已重新处置",
                String::new(),
                handled,
            ),
        ) {
            return (i, steps);
        }
        i.handled_at = Some(handled);
    }
    let closed = later(rng, handled, 30, 1_440);
    if step(
        &mut i,
        (
            "close",
            "handled",
            "closed",
            clerk,
            "",
            String::new(),
            closed,
        ),
    ) {
        i.closed_at = Some(closed);
    }
    (i, steps)
}
