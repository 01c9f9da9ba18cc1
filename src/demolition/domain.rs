//! The demolition command's pure rules: who may write, the steps of a household in their order,
//! whether a step may be recorded on a day, and the counts of the daily report and the summary
//! folded from the recorded steps (one source: nothing is typed twice).

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::auth::CurrentUser;
use crate::ratio::Rate;

/// A household's steps in their order (入户调查 → 评估 → 协商 → 签约 → 腾空交房).
pub const STEPS: [&str; 5] = ["survey", "assess", "negotiate", "sign", "vacate"];

/// The kinds of object a group is responsible for: a household, a public unit (公房单位).
pub const KINDS: [&str; 2] = ["household", "unit"];

/// The stage of an object with no step recorded yet.
pub const NOT_STARTED: &str = "none";

/// Street office staff within the command's scope keep it (commands, groups, objects, steps
/// and the daily reports); a grid worker or a branch secretary reads nothing here.
pub fn may_write(user: &CurrentUser, scope_path: &str) -> bool {
    user.role.is_office_staff() && user.sees(scope_path)
}

/// The step that follows `stage` (the last recorded step, or [`NOT_STARTED`]); None after the
/// last.
pub fn next_step(stage: &str) -> Option<&'static str> {
    match STEPS.iter().position(|s| *s == stage) {
        Some(i) => STEPS.get(i + 1).copied(),
        None => Some(STEPS[0]),
    }
}

/// Why a step cannot be recorded (a locale key), or None: only the next step, never before the
/// previous step's day, never in the future, never on a day whose report the group submitted.
pub fn refuse_step(
    stage: &str,
    step: &str,
    on: NaiveDate,
    last_on: Option<NaiveDate>,
    today: NaiveDate,
    frozen_until: Option<NaiveDate>,
) -> Option<(&'static str, &'static str)> {
    if next_step(stage) != Some(step) {
        return Some(("step", "demolition.step_out_of_order"));
    }
    if on > today {
        return Some(("done_on", "form.date_future"));
    }
    if last_on.is_some_and(|l| on < l) {
        return Some(("done_on", "demolition.step_before_previous"));
    }
    if frozen_until.is_some_and(|f| on <= f) {
        return Some(("done_on", "demolition.day_frozen"));
    }
    None
}

/// One group's counts on a day: signed and moved out that day and up to it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayCounts {
    pub signed_today: i64,
    pub signed_total: i64,
    pub moved_today: i64,
    pub moved_total: i64,
}

impl DayCounts {
    pub fn add(&mut self, o: &DayCounts) {
        self.signed_today += o.signed_today;
        self.signed_total += o.signed_total;
        self.moved_today += o.moved_today;
        self.moved_total += o.moved_total;
    }
}

/// The day's counts per group from the recorded steps `(group, step, done_on)`.
pub fn day_counts(steps: &[(i32, String, NaiveDate)], day: NaiveDate) -> HashMap<i32, DayCounts> {
    let mut out: HashMap<i32, DayCounts> = HashMap::new();
    for (g, step, on) in steps {
        if *on > day {
            continue;
        }
        let c = out.entry(*g).or_default();
        let today = i64::from(*on == day);
        match step.as_str() {
            "sign" => {
                c.signed_total += 1;
                c.signed_today += today;
            }
            "vacate" => {
                c.moved_total += 1;
                c.moved_today += today;
            }
            _ => {}
        }
    }
    out
}

/// A group's (or the command's) line of the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub households: i64,
    pub signed: i64,
    pub moved: i64,
    pub units: i64,
    pub units_signed: i64,
}

impl Tally {
    /// Counts `n` objects of a kind at a stage.
    pub fn count(&mut self, kind: &str, stage: &str, n: i64) {
        let at = STEPS.iter().position(|s| *s == stage);
        let signed = if at.is_some_and(|i| i >= 3) { n } else { 0 };
        if kind == "unit" {
            self.units += n;
            self.units_signed += signed;
        } else {
            self.households += n;
            self.signed += signed;
            self.moved += if at == Some(4) { n } else { 0 };
        }
    }

    pub fn add(&mut self, o: &Tally) {
        self.households += o.households;
        self.signed += o.signed;
        self.moved += o.moved;
        self.units += o.units;
        self.units_signed += o.units_signed;
    }

    /// Signed households of all households.
    pub fn signed_rate(&self) -> Rate {
        Rate::new(self.signed, self.households)
    }

    /// Households not yet moved out.
    pub fn remaining(&self) -> i64 {
        self.households - self.moved
    }
}

/// Days since the command started, counting the first day (the seed's "10 days" from 3/2 to
/// 3/11); 0 before it starts.
pub fn days_since(start: NaiveDate, today: NaiveDate) -> i64 {
    if today < start {
        0
    } else {
        (today - start).num_days() + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn steps_go_in_order_and_never_back_in_time() {
        assert_eq!(next_step(NOT_STARTED), Some("survey"));
        assert_eq!(next_step("sign"), Some("vacate"));
        assert_eq!(next_step("vacate"), None);
        let t = d(3, 10);
        assert_eq!(refuse_step("none", "survey", d(3, 5), None, t, None), None);
        assert_eq!(
            refuse_step("none", "sign", d(3, 5), None, t, None)
                .unwrap()
                .1,
            "demolition.step_out_of_order"
        );
        assert_eq!(
            refuse_step("negotiate", "sign", d(3, 4), Some(d(3, 5)), t, None)
                .unwrap()
                .1,
            "demolition.step_before_previous"
        );
        assert_eq!(
            refuse_step("negotiate", "sign", d(3, 11), Some(d(3, 5)), t, None)
                .unwrap()
                .1,
            "form.date_future"
        );
        assert_eq!(
            refuse_step("negotiate", "sign", d(3, 6), None, t, Some(d(3, 6)))
                .unwrap()
                .1,
            "demolition.day_frozen"
        );
    }

    #[test]
    fn the_day_counts_come_from_the_steps() {
        let s = |g, st: &str, on| (g, st.to_string(), on);
        let steps = vec![
            s(1, "sign", d(3, 6)),
            s(1, "sign", d(3, 7)),
            s(1, "vacate", d(3, 7)),
            s(2, "sign", d(3, 8)),
            s(2, "survey", d(3, 5)),
        ];
        let c = day_counts(&steps, d(3, 7));
        assert_eq!(
            c[&1],
            DayCounts {
                signed_today: 1,
                signed_total: 2,
                moved_today: 1,
                moved_total: 1
            }
        );
        assert_eq!(c.get(&2).copied().unwrap_or_default(), DayCounts::default());
    }

    #[test]
    fn the_seed_258_of_299_is_86_3_percent() {
        let mut t = Tally::default();
        t.count("household", "sign", 258);
        t.count("household", "negotiate", 41);
        t.count("unit", "vacate", 1);
        assert_eq!(t.signed_rate().display(), "86.3%");
        assert_eq!(t.remaining(), 299);
        assert_eq!((t.units, t.units_signed), (1, 1));
        assert_eq!(days_since(d(3, 2), d(3, 11)), 10);
        assert_eq!(days_since(d(3, 2), d(3, 1)), 0);
    }
}
