//! The activity form's parsing, row by row.

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// The form's data: members (id, name, active), pairing ids, grid ids, issues by number.
fn data(
    members: &[(i32, &str, bool)],
    pairings: &[i32],
    grids: &[i32],
    issues: BTreeMap<String, i32>,
) -> FormData {
    FormData {
        b: Branch::sample(1),
        members: members
            .iter()
            .map(|(id, name, active)| MemberChoice {
                id: *id,
                name: name.to_string(),
                active: *active,
                difficulty: String::new(),
            })
            .collect(),
        pairings: pairings
            .iter()
            .map(|id| PairingChoice {
                id: *id,
                label: String::new(),
            })
            .collect(),
        grids: grids
            .iter()
            .map(|id| UnitName {
                id: *id,
                name: String::new(),
            })
            .collect(),
        issues,
    }
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn an_absence_needs_a_reason_on_its_row() {
    let c = data(
        &[(1, "王建华", true), (2, "周丽", true), (3, "离开的", false)],
        &[],
        &[7],
        BTreeMap::from([("LSZ-2026-000001".to_string(), 9)]),
    );
    let f = ActivityForm::from_fields(&pairs(&[
        ("kind", "committee"),
        ("title", "十一月支委会"),
        ("day", "2026-11-20"),
        ("start_time", "09:00"),
        ("end_time", "08:00"),
        ("att_1", "present"),
        ("att_2", "absent"),
        ("grid", "7"),
        ("issues", "lsz-2026-000001，LSZ-2026-000099"),
    ]));
    let e = f.parse(&c, today()).unwrap_err();
    assert_eq!(e.rows.get(&2), Some(&"party.activity.reason_needed"));
    assert!(e.form.has("end_time") && e.form.has("issues"));
    let f = ActivityForm {
        end_time: "10:30".into(),
        issues: "LSZ-2026-000001".into(),
        att: BTreeMap::from([
            (
                1,
                AttendanceInput {
                    attendance: "present".into(),
                    reason: "ignored".into(),
                },
            ),
            (
                2,
                AttendanceInput {
                    attendance: "leave".into(),
                    reason: "病假".into(),
                },
            ),
        ]),
        ..f
    };
    let a = f.parse(&c, today()).unwrap();
    assert_eq!((a.expected(), a.present()), (2, 1));
    assert_eq!(a.attendance[&1].1, "");
    assert_eq!(a.issues, vec![9]);
    assert_eq!(a.grids, vec![7]);
}

#[test]
fn a_visit_names_who_was_visited_and_a_pairing_visit_its_pairing() {
    let c = data(&[(1, "张秀兰", true)], &[4], &[], BTreeMap::new());
    let f = ActivityForm {
        kind: "visit".into(),
        title: "走访慰问".into(),
        day: "2027-01-01".into(),
        ..Default::default()
    };
    let e = f.parse(&c, today()).unwrap_err();
    assert!(e.form.has("visited") && e.form.has("day"));
    let ok = ActivityForm {
        day: "2026-11-01".into(),
        visited_member_id: "1".into(),
        difficulty: "very_difficult".into(),
        given: "米面油".into(),
        ..f
    };
    let a = ok.parse(&c, today()).unwrap();
    assert_eq!(a.visited, "张秀兰");
    let p = ActivityForm {
        kind: "pairing".into(),
        pairing_id: "5".into(),
        ..ok.clone()
    };
    let e = p.parse(&c, today()).unwrap_err();
    assert!(e.form.has("pairing_id"));
    // The visit's details left under another kind are pointed out, not dropped.
    assert!(e.form.has("visited_member_id"));
    let p = ActivityForm {
        pairing_id: "4".into(),
        visited_member_id: String::new(),
        given: String::new(),
        ..p
    };
    let a = p.parse(&c, today()).unwrap();
    assert_eq!((a.pairing_id, a.visited.as_str()), (Some(4), ""));
    // A pairing chosen under another kind is pointed out too.
    let v = ActivityForm {
        kind: "visit".into(),
        ..ok
    };
    let v = ActivityForm {
        pairing_id: "4".into(),
        ..v
    };
    assert!(v.parse(&c, today()).unwrap_err().form.has("pairing_id"));
}
