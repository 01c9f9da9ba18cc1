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

/// An issue's life so far: the issue as its last step left it, and its steps up to `now`.
struct Life {
    i: Issue,
    steps: Vec<Step>,
    now: NaiveDateTime,
}

impl Life {
    /// Takes the step `action` from the state the last step left to `to`, by `actor` with `note`
    /// at `at`, unless it lies after `now`; whether it was taken.
    fn go(
        &mut self,
        to: (&'static str, &'static str),
        actor: i32,
        note: &'static str,
        at: NaiveDateTime,
    ) -> bool {
        self.go_with("", to, actor, note, at)
    }

    /// [`Life::go`] with a step's detail (an extension's days).
    fn go_with(
        &mut self,
        detail: &str,
        (action, to): (&'static str, &'static str),
        actor: i32,
        note: &'static str,
        at: NaiveDateTime,
    ) -> bool {
        if at > self.now {
            return false;
        }
        let from = self.steps.last().map_or("", |s| s.2);
        self.i.state = to.into();
        self.i.updated_at = at;
        self.i.version += 1;
        self.steps
            .push((action, from, to, actor, note, detail.into(), at));
        true
    }

    fn done(self) -> (Issue, Vec<Step>) {
        (self.i, self.steps)
    }
}

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
    let reporter = g.worker;
    let i = Issue {
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
    let first = (
        "report",
        "",
        "reported",
        reporter,
        "",
        String::new(),
        reported,
    );
    let mut l = Life {
        i,
        steps: vec![first],
        now,
    };
    let clerk = g.clerk;
    let registered = later(rng, reported, 20, 240);
    let roll: f64 = rng.random();
    if roll < 0.006 {
        l.go(
            ("reject", "rejected"),
            clerk,
            "与已立案问题重复",
            registered,
        );
        return l.done();
    }
    if !l.go(("register", "registered"), clerk, "", registered) {
        return l.done();
    }
    l.i.registered_at = Some(registered);
    if roll < 0.009 {
        let at = later(rng, registered, 10, 120);
        l.go(("cancel", "cancelled"), clerk, "现场核实无此问题", at);
        return l.done();
    }
    let dispatched = later(rng, registered, 5, 120);
    let handler = g.worker;
    if !l.go(("dispatch", "dispatched"), clerk, "", dispatched) {
        return l.done();
    }
    l.i.dispatcher_id = Some(clerk);
    l.i.handler_user_id = Some(handler);
    l.i.dispatched_at = Some(dispatched);
    let deadline = utc(cal.deadline(local(dispatched), limit));
    l.i.deadline = Some(deadline);
    let accepted = later(rng, dispatched, 5, 90);
    if !l.go(("accept", "handling"), handler, "", accepted) {
        return l.done();
    }
    // About 1% stay open past their deadline (the overdue the figures show), a few are held.
    if roll > 0.99 {
        return l.done();
    }
    if roll > 0.987 {
        let at = later(rng, accepted, 60, 600);
        if l.go(
            ("request_hang", "handling"),
            handler,
            "涉及历史遗留问题，暂时无法解决",
            at,
        ) {
            let at2 = later(rng, at, 30, 300);
            l.go(("approve_hang", "hung"), clerk, "", at2);
        }
        return l.done();
    }
    if rng.random_bool(0.02) {
        let at = later(rng, accepted, 60, 600);
        if l.go_with(
            "3",
            ("request_extension", "handling"),
            handler,
            "需协调相关部门",
            at,
        ) {
            let at2 = later(rng, at, 30, 300);
            if l.go_with("3", ("approve_extension", "handling"), clerk, "", at2) {
                l.i.deadline = Some(utc(cal.deadline(local(deadline), Limit::Days(3))));
                l.i.extension_days = 3;
            }
        }
    }
    // Handled within the limit nine times in ten.
    let span = (l.i.deadline.unwrap_or(deadline) - accepted)
        .num_minutes()
        .max(30);
    let mut handled = if rng.random_bool(0.9) {
        accepted + Duration::minutes(rng.random_range(10..span.max(11)))
    } else {
        l.i.deadline.unwrap_or(deadline) + Duration::minutes(rng.random_range(60..4_000))
    };
    if !l.go(("handle", "handled"), handler, "已按要求处置完毕", handled) {
        return l.done();
    }
    l.i.handled_by = Some(handler);
    l.i.handled_at = Some(handled);
    if rng.random_bool(0.03) {
        let at = later(rng, handled, 60, 600);
        if !l.go(("rework", "dispatched"), clerk, "现场核查未达标", at) {
            return l.done();
        }
        l.i.rework_count = 1;
        l.i.handled_at = None;
        l.i.dispatched_at = Some(at);
        l.i.deadline = Some(utc(cal.deadline(local(at), limit)));
        let acc = later(rng, at, 5, 120);
        if !l.go(("accept", "handling"), handler, "", acc) {
            return l.done();
        }
        handled = later(rng, acc, 60, 1_200);
        if !l.go(("handle", "handled"), handler, "已重新处置", handled) {
            return l.done();
        }
        l.i.handled_at = Some(handled);
    }
    let closed = later(rng, handled, 30, 1_440);
    if l.go(("close", "closed"), clerk, "", closed) {
        l.i.closed_at = Some(closed);
    }
    l.done()
}
