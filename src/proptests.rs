//! Property tests of every parser that reads what a user typed: the features' form and query
//! parsers, the shared field readers (`web::forms`), dates and periods (`web::list::period`,
//! `web::edit::required_date` / `past_or_today`), the calendar's import lines and year. Any
//! text (control characters, NUL, huge, empty, almost-dates) → never a panic, always a value or
//! a typed error. The multipart reader's properties sit beside it (`web::multipart`), where the
//! input is bytes (invalid UTF-8 included).
//!
//! Forms arrive as serde structs: [`form`] builds one the way actix does, from arbitrary
//! name/value pairs through `serde_urlencoded`, the names taken from the struct itself (so a
//! field added later is covered without touching this file).

use chrono::{NaiveDate, NaiveTime};
use proptest::prelude::*;
use serde::de::{self, DeserializeOwned, Visitor};

use crate::web::forms::FormErrors;

/// Cases per property: enough to meet the odd shapes, few enough to keep `cargo test` quick.
pub(crate) const CASES: u32 = 64;

/// What a user (or a script) may type in a field: anything, control characters and NUL,
/// numbers and dates with their edges, and the huge.
pub(crate) fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        1 => Just(String::new()),
        1 => "[ \\t\\r\\n\\x00-\\x1f\\x7f\\u{2028}\\u{feff}]{0,6}",
        2 => "-?[0-9]{1,12}",
        2 => "[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}",
        1 => "[0-9]{4}-[0-9]{2}",
        1 => "[0-9]{1,2}:[0-9]{1,2}",
        1 => (".{1,3}", 1usize..20_000).prop_map(|(s, n)| s.repeat(n)),
        1 => Just("9999999999999999999999".to_string()),
        1 => Just("2026-02-30".to_string()),
    ]
}

/// A plausible today: dates near the ends of chrono's range are not what a server's clock says.
pub(crate) fn today() -> impl Strategy<Value = NaiveDate> {
    (1990i32..2100, 1u32..=366).prop_map(|(y, d)| NaiveDate::from_yo_opt(y, d).unwrap_or_default())
}

/// The field names of a serde struct (what `deserialize_struct` is told).
fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Names(&'static [&'static str]);
    #[derive(Debug)]
    struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("names read")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }
    impl<'de> de::Deserializer<'de> for &mut Names {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0 = fields;
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    let mut names = Names(&[]);
    let _ = T::deserialize(&mut names);
    names.0
}

/// Name/value pairs over `names` (each may come twice, or not at all) and a few stray names.
fn pairs(names: Vec<String>) -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        4 => proptest::sample::select(names),
        1 => any::<String>(),
    ];
    proptest::collection::vec((name, text()), 0..12)
}

/// A form of type `T` as actix's `Form`/`Query` extractors would build it from arbitrary pairs;
/// `None` when they would refuse it (a 400, not a panic).
pub(crate) fn form<T: DeserializeOwned + std::fmt::Debug>() -> impl Strategy<Value = Option<T>> {
    let names: Vec<String> = field_names::<T>().iter().map(|s| s.to_string()).collect();
    assert!(
        !names.is_empty(),
        "{} has no fields",
        std::any::type_name::<T>()
    );
    pairs(names).prop_map(|p| {
        let encoded = serde_urlencoded::to_string(&p).expect("pairs encode");
        serde_urlencoded::from_str::<T>(&encoded).ok()
    })
}

/// Pairs for the parsers that read name/value lists themselves (multipart forms with rows).
pub(crate) fn row_pairs(names: &[&str]) -> impl Strategy<Value = Vec<(String, String)>> {
    let mut all: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    for n in [
        "0",
        "1",
        "7",
        "-1",
        "99",
        "4294967296",
        "99999999999999999999",
        "",
    ] {
        for prefix in [
            "att_",
            "reason_",
            "absence_",
            "site_finding_",
            "site_note_",
            "visit_address_",
            "visit_phone_",
            "problem_title_",
            "problem_category_",
            "problem_urgency_",
        ] {
            all.push(format!("{prefix}{n}"));
        }
    }
    pairs(all)
}

pub(crate) fn categories() -> Vec<crate::issues::models::CategoryRow> {
    let row = |id, parent_id, active| crate::issues::models::CategoryRow {
        id,
        parent_id,
        name: format!("c{id}"),
        limit_value: 3,
        limit_unit: "days".into(),
        active,
    };
    vec![
        row(8, None, true),
        row(802, Some(8), true),
        row(803, Some(8), false),
    ]
}

pub(crate) fn check<T, E>(
    r: Result<T, E>,
    errors_present: impl Fn(&E) -> bool,
) -> Result<(), TestCaseError> {
    if let Err(e) = &r {
        prop_assert!(errors_present(e), "refused with no message");
    }
    Ok(())
}

pub(crate) fn has_errors(e: &FormErrors) -> bool {
    !e.is_empty()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    // -- web::forms, web::list, web::edit ----------------------------------------------------

    #[test]
    fn field_readers_answer_a_value_or_a_message(raw in text(), max in 0usize..200) {
        use crate::web::forms::*;
        use crate::web::privacy::mask_phone;
        let mut e = FormErrors::new();
        let v = required(&mut e, "r", &raw, max);
        prop_assert!(e.has("r") || (!v.is_empty() && v.chars().count() <= max));
        let v = optional(&mut e, "o", &raw, max);
        prop_assert!(e.has("o") || v.chars().count() <= max);
        let p = phone(&mut e, "p", &raw, false);
        prop_assert!(e.has("p") || p.is_empty() || p.chars().any(|c| c.is_ascii_digit()));
        let n = int_in(&mut e, "i", &raw, -5, 5);
        prop_assert!((-5..=5).contains(&n));
        let c = one_of(&mut e, "c", &raw, &["a", "b"]);
        prop_assert!(c.is_some() != e.has("c"));
        let d = optional_date(&mut e, "d", &raw);
        prop_assert!(!(d.is_some() && e.has("d")));
        prop_assert!(d.is_some() || e.has("d") || raw.trim().is_empty());
        let _ = version(&raw);
        let _ = mask_phone(&raw);
    }

    #[test]
    fn every_date_reads_back(d in (1i32..9999, 1u32..=366)
        .prop_filter_map("a day of the year", |(y, o)| NaiveDate::from_yo_opt(y, o)))
    {
        let mut e = FormErrors::new();
        let raw = d.format("%Y-%m-%d").to_string();
        prop_assert_eq!(crate::web::forms::optional_date(&mut e, "d", &raw), Some(d));
        prop_assert_eq!(crate::web::edit::required_date(&mut e, "d", &format!(" {raw} ")), Some(d));
        prop_assert!(e.is_empty());
    }

    #[test]
    fn periods_and_required_dates(from in text(), to in text(), raw in text(), today in today()) {
        let mut e = FormErrors::new();
        let p = crate::web::list::period(&mut e, &from, &to);
        if let (Some(a), Some(b)) = (p.from, p.to) {
            prop_assert_eq!(b < a, e.has("to"));
        }
        let mut e = FormErrors::new();
        let d = crate::web::edit::required_date(&mut e, "day", &raw);
        prop_assert!(d.is_some() != e.has("day"));
        let mut e = FormErrors::new();
        let d = crate::web::edit::past_or_today(&mut e, "day", &raw, today);
        prop_assert!(d.is_some() != e.has("day"));
        prop_assert!(d.is_none_or(|d| d <= today));
    }

    // -- issues --------------------------------------------------------------------------------

    #[test]
    fn issue_forms(
        report in form::<crate::issues::forms::ReportForm>(),
        action in form::<crate::issues::forms::ActionForm>(),
        list in form::<crate::issues::forms::ListQuery>(),
    ) {
        let cats = categories();
        if let Some(f) = report {
            let r = f.parse(&cats, &[1, 2]);
            if let Ok(r) = &r {
                prop_assert!(r.category_id == 802 && [1, 2].contains(&r.grid_id));
            }
            check(r, has_errors)?;
        }
        if let Some(f) = action {
            check(f.parse(&cats), has_errors)?;
        }
        if let Some(q) = list {
            let mut e = FormErrors::new();
            let _ = q.filter(&cats, chrono_tz::Asia::Shanghai, &mut e);
        }
    }

    // -- patrols -------------------------------------------------------------------------------

    #[test]
    fn patrol_forms(
        fields in row_pairs(&["grid_id", "day", "started_at", "ended_at", "route", "notes",
            "reason", "version", "form_token", "more"]),
        list in form::<crate::patrols::forms::ListQuery>(),
        coverage in form::<crate::patrols::coverage::forms::CoverageQuery>(),
        month in proptest::option::of(text()),
        today in today(),
        correcting in any::<bool>(),
    ) {
        use crate::patrols::log::forms::{Context, PatrolForm};
        let mut f = PatrolForm::from_fields(&fields);
        let cats = categories();
        let cx = Context {
            grids: &[1, 2],
            sites: &[5],
            categories: &cats,
            today,
            now: NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default(),
            correcting,
            fixed_grid: None,
        };
        let _ = f.parse(&cx);
        f.pad_rows();
        let _ = f.parse(&cx);
        if let Some(q) = list {
            let _ = q.filter(None);
        }
        if let Some(q) = coverage {
            let _ = crate::patrols::coverage::forms::parse(&q, today, 7);
        }
        let _ = crate::patrols::calendar::forms::parse_month(month.as_deref(), today);
    }

    // -- meetings ------------------------------------------------------------------------------

    #[test]
    fn meeting_forms(
        list in form::<crate::meetings::forms::ListQuery>(),
        new in form::<crate::meetings::forms::NewForm>(),
        record in row_pairs(&["start_time", "end_time", "place", "chair", "recorder",
            "minutes", "guests", "reason", "version"]),
        decision in form::<crate::meetings::decisions::forms::DecisionForm>(),
        topic in form::<crate::meetings::decisions::forms::TopicIssueForm>(),
        week in form::<crate::meetings::week::forms::WeekQuery>(),
        guests in text(),
        (start, end) in (text(), text()),
        today in today(),
        correcting in any::<bool>(),
    ) {
        if let Some(q) = list {
            let _ = q.parse();
        }
        if let Some(f) = new {
            check(f.parse(&[1], &[3, 4], today), has_errors)?;
        }
        let r = crate::meetings::record::forms::RecordForm::from_pairs(&record);
        let _ = r.parse(&[3, 4], correcting);
        if let Some(f) = decision {
            check(f.parse(today, correcting), has_errors)?;
        }
        if let Some(f) = topic {
            check(f.parse(&categories(), &[1]), has_errors)?;
        }
        let mut e = FormErrors::new();
        if let Some(q) = week {
            let monday = crate::meetings::week::forms::week_of(&q, today, &mut e);
            prop_assert_eq!(chrono::Datelike::weekday(&monday), chrono::Weekday::Mon);
        }
        let _ = crate::meetings::forms::parse_guests(&mut e, &guests);
        let _ = crate::meetings::forms::times(&mut e, &start, &end);
    }

    // -- party ---------------------------------------------------------------------------------

    #[test]
    fn party_forms(
        branch in form::<crate::party::branches::forms::BranchForm>(),
        member in form::<crate::party::members::forms::MemberForm>(),
        opinion in form::<crate::party::opinions::forms::OpinionForm>(),
        answer in form::<crate::party::opinions::forms::AnswerForm>(),
        to_issue in form::<crate::party::opinions::forms::IssueForm>(),
        pairing in form::<crate::party::pairings::forms::PairingForm>(),
        end in form::<crate::party::pairings::forms::EndForm>(),
        activity in row_pairs(&["kind", "title", "day", "start_time", "end_time", "place",
            "host", "recorder", "content", "outcomes", "visited_member_id", "visited",
            "difficulty", "given", "pairing_id", "grid", "issues", "version", "form_token"]),
        today in today(),
    ) {
        use crate::party::branches::models::{BranchUnit, SecretaryAccount};
        if let Some(f) = branch {
            let units = [BranchUnit {
                id: 1,
                name: "u".into(),
                depth: 2,
                kind: "community".into(),
                path: "/1/".into(),
            }];
            let accounts = [SecretaryAccount { id: 9, name: "s".into(), unit: "u".into() }];
            check(f.parse(&units, &accounts), has_errors)?;
        }
        if let Some(f) = member {
            check(f.parse(today), has_errors)?;
        }
        if let Some(f) = opinion {
            check(f.parse(&[(1, "/1/".into())], today), has_errors)?;
        }
        if let Some(f) = answer {
            check(f.parse(), has_errors)?;
        }
        if let Some(f) = to_issue {
            check(f.parse(&categories(), &[1]), has_errors)?;
        }
        if let Some(f) = pairing {
            check(f.parse(&[1, 2], today, None), has_errors)?;
        }
        if let Some(f) = end {
            let since = today - chrono::Days::new(30);
            check(f.parse(since, today), has_errors)?;
        }
        let a = crate::party::activities::forms::ActivityForm::from_fields(&activity);
        let _ = a.issue_numbers();
    }
}
