//! The fold's tests: months, quarters, kinds, 三会一课 on the periods that are over, visits, the
//! streets' rollup.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn branch(id: i32) -> Branch {
    Branch::sample(id)
}

fn day(branch_id: i32, day: NaiveDate, kind: &str, n: i64) -> DayCount {
    DayCount {
        branch_id,
        day,
        kind: kind.into(),
        n,
    }
}

fn difficult(id: i32, branch_id: i32, name: &str) -> InDifficulty {
    InDifficulty {
        id,
        branch_id,
        name: name.into(),
        difficulty: "difficult".into(),
    }
}

#[test]
fn days_fold_into_months_quarters_and_the_rhythm() {
    let raw = Raw {
        branches: vec![branch(1), branch(2)],
        units: HashMap::new(),
        days: vec![
            day(1, d(2026, 1, 5), "committee", 2),
            day(1, d(2026, 2, 5), "committee", 1),
            day(1, d(2026, 4, 9), "general_meeting", 1),
            day(1, d(2026, 12, 1), "committee", 1),
        ],
        span: HashMap::from([(1, (Some(d(2026, 1, 5)), Some(d(2026, 4, 9))))]),
        visits: vec![Visit {
            branch_id: 1,
            member_id: Some(10),
            name: "张".into(),
        }],
        difficult: vec![difficult(10, 1, "张"), difficult(11, 1, "李")],
    };
    let s = compute(raw, 2026, Some(1), d(2026, 4, 30));
    let b = &s.branches[0];
    assert_eq!(b.months[0..4], [2, 1, 0, 1]);
    assert_eq!(b.total, 5);
    // The quarter asked for: the committee meetings of January and February.
    assert_eq!(b.period_total, 3);
    // On 30 April, January to March are over: three committee meetings due and held, April's
    // under way; the first quarter's general meeting was due and not held (April's is in the
    // second quarter, under way).
    let c = b.three_one.iter().find(|x| x.kind == "committee").unwrap();
    assert_eq!((c.done, c.due, c.current), (3, 3, Some(0)));
    let g = b
        .three_one
        .iter()
        .find(|x| x.kind == "general_meeting")
        .unwrap();
    assert_eq!((g.done, g.due, g.current), (0, 1, Some(1)));
    assert!(!b.meets() && b.fails());
    assert_eq!(s.until, Some(d(2026, 3, 31)));
    assert_eq!(
        b.unvisited,
        vec![Unvisited {
            name: "李".into(),
            difficulty: "difficult".into()
        }]
    );
    assert!(!b.silent);
    assert!(s.branches[1].silent);
    // Branch 2 registered on 1 January: due from then as well.
    let c2 = s.branches[1]
        .three_one
        .iter()
        .find(|x| x.kind == "committee")
        .unwrap();
    assert_eq!(c2.due, 3);
    assert_eq!(s.kind_quarters[1].quarters, vec![3, 0, 0, 1]);
    // Both branches hang under one path: no rollup.
    assert!(s.streets.is_empty());
}

#[test]
fn the_rhythm_is_due_from_when_a_branchs_records_begin() {
    let mut late = branch(1);
    late.created_at = d(2026, 9, 20).and_hms_opt(8, 0, 0).unwrap();
    let mut earlier = branch(2);
    earlier.created_at = late.created_at;
    let raw = Raw {
        branches: vec![late, earlier],
        units: HashMap::new(),
        days: vec![day(2, d(2026, 6, 2), "committee", 1)],
        span: HashMap::from([(2, (Some(d(2026, 6, 2)), Some(d(2026, 6, 2))))]),
        visits: vec![],
        difficult: vec![],
    };
    let s = compute(raw, 2026, None, d(2026, 11, 30));
    let due = |b: usize, kind: &str| {
        s.branches[b]
            .three_one
            .iter()
            .find(|x| x.kind == kind)
            .unwrap()
            .due
    };
    // Registered in September, on 30 November: committee meetings due September and October
    // (November is under way), the general meeting in Q3 (Q4 is under way).
    assert_eq!((due(0, "committee"), due(0, "general_meeting")), (2, 1));
    // Registered in September with a June meeting entered afterwards: due from June.
    assert_eq!((due(1, "committee"), due(1, "general_meeting")), (5, 2));
}

#[test]
fn branches_of_several_streets_add_up_per_street() {
    assert_eq!(street_of("/1/129/130/"), Some(129));
    assert_eq!(street_of("/1/"), None);
    let mut branches = vec![branch(1), branch(2), branch(3)];
    branches[0].scope_path = "/1/5/6/".into();
    branches[1].scope_path = "/1/5/7/".into();
    branches[2].scope_path = "/1/9/10/".into();
    let raw = Raw {
        branches,
        units: HashMap::from([(5, "A".to_string()), (9, "B".to_string())]),
        days: vec![
            day(1, d(2026, 1, 5), "committee", 1),
            day(2, d(2026, 1, 6), "committee", 2),
            day(3, d(2026, 3, 6), "lecture", 1),
        ],
        span: HashMap::new(),
        visits: vec![],
        difficult: vec![difficult(10, 2, "张")],
    };
    let s = compute(raw, 2026, None, d(2026, 2, 1));
    assert_eq!(s.streets.len(), 2);
    let a = &s.streets[0];
    assert_eq!((a.name.as_str(), a.branches, a.total), ("A", 2, 3));
    assert_eq!(a.months[0], 3);
    assert_eq!(a.unvisited, 1);
    // January is over: one committee meeting was due, both of A's branches held it; no
    // quarter is over, so none is judged on the quarterly kinds.
    assert_eq!(a.three_one_met[1], ("committee".to_string(), 2, 2));
    assert_eq!(a.three_one_met[0], ("general_meeting".to_string(), 0, 0));
    // Both branches of A held January's group meeting neither: judged, not met.
    assert_eq!((a.meeting, a.assessed), (0, 2));
    assert_eq!(s.streets[1].months[2], 1);
}

/// A branch holding every 三会一课 kind in each month and quarter of `months` (numbers).
fn rhythm_kept(id: i32, months: std::ops::RangeInclusive<u32>) -> Vec<DayCount> {
    months
        .flat_map(|m| {
            let mut v = vec![
                day(id, d(2026, m, 10), "committee", 1),
                day(id, d(2026, m, 12), "group_meeting", 1),
            ];
            if m % 3 == 1 {
                v.push(day(id, d(2026, m, 15), "general_meeting", 1));
                v.push(day(id, d(2026, m, 16), "lecture", 1));
            }
            v
        })
        .collect()
}

fn judged(days: Vec<DayCount>, today: NaiveDate) -> Summary {
    let raw = Raw {
        branches: vec![branch(1)],
        units: HashMap::new(),
        days,
        span: HashMap::new(),
        visits: vec![],
        difficult: vec![],
    };
    compute(raw, 2026, None, today)
}

#[test]
fn a_period_not_over_is_never_due_or_failed() {
    // Early December, nothing held in December nor in the fourth quarter yet: not failed.
    let s = judged(rhythm_kept(1, 1..=11), d(2026, 12, 2));
    let b = &s.branches[0];
    for x in &b.three_one {
        assert!(x.met(), "{x:?}");
        assert_eq!(
            x.current,
            Some(u32::from(matches!(
                x.kind.as_str(),
                "general_meeting" | "lecture"
            )))
        );
    }
    let c = b.three_one.iter().find(|x| x.kind == "committee").unwrap();
    assert_eq!((c.done, c.due), (11, 11));
    assert!(b.meets() && !b.fails());
    assert_eq!((s.meeting(), s.assessed()), (1, 1));
    // Only the month under way empty: the same on its last day.
    assert!(judged(rhythm_kept(1, 1..=10), d(2026, 11, 30)).branches[0].meets());
    // A complete month missed is a failure.
    let mut days = rhythm_kept(1, 1..=11);
    days.retain(|r| !(r.kind == "group_meeting" && r.day.month() == 6));
    let s = judged(days, d(2026, 12, 2));
    assert!(s.branches[0].fails() && !s.branches[0].meets());
    assert_eq!((s.meeting(), s.assessed()), (0, 1));
}

#[test]
fn a_branch_keeping_every_complete_period_meets_the_standard() {
    let s = judged(rhythm_kept(1, 1..=12), d(2027, 1, 5));
    let b = &s.branches[0];
    assert!(b.meets());
    assert!(b.three_one.iter().all(|x| x.current.is_none()));
    let l = b.three_one.iter().find(|x| x.kind == "lecture").unwrap();
    assert_eq!((l.done, l.due), (4, 4));
    assert_eq!(s.until, Some(d(2026, 12, 31)));
}

#[test]
fn the_first_month_of_a_quarter_has_that_quarter_under_way() {
    // January: no month and no quarter of the year over; nothing judged, everything under
    // way with what was held so far.
    let s = judged(rhythm_kept(1, 1..=1), d(2026, 1, 20));
    let b = &s.branches[0];
    assert!(!b.assessed() && !b.meets() && !b.fails());
    assert!(
        b.three_one
            .iter()
            .all(|x| x.due == 0 && x.current == Some(1))
    );
    assert_eq!(s.until, None);
    assert_eq!((s.meeting(), s.assessed()), (0, 0));
    // April: the first quarter is over (judged), the second under way.
    let s = judged(rhythm_kept(1, 1..=3), d(2026, 4, 8));
    let g = s.branches[0]
        .three_one
        .iter()
        .find(|x| x.kind == "general_meeting")
        .unwrap();
    assert_eq!((g.done, g.due, g.current), (1, 1, Some(0)));
    assert!(s.branches[0].meets());
}
