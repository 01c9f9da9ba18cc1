//! One party activity of each kind (committee, group meeting, general meeting, lecture, themed
//! party day, study, pairing visit) with its time, who is expected and its texts.

use chrono::{Datelike, NaiveDate, NaiveTime};
use rand::Rng;
use rand::rngs::StdRng;

use crate::demo::party::branches::Branch;
use crate::demo::party::texts::{self, pick};

/// Who is expected.
#[derive(Clone, Copy)]
pub(super) enum Who {
    All,
    Committee,
    Group(usize),
    Volunteers,
    /// A visit to a member, with what was given.
    Visit(usize, &'static str),
    Pairing(usize),
}

pub(super) struct Event {
    pub(super) kind: &'static str,
    pub(super) day: NaiveDate,
    pub(super) start: NaiveTime,
    pub(super) minutes: i64,
    pub(super) title: String,
    pub(super) content: String,
    pub(super) outcomes: String,
    pub(super) who: Who,
}

pub(super) fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

pub(super) fn event(kind: &'static str, day: NaiveDate, at: (NaiveTime, i64), who: Who) -> Event {
    Event {
        kind,
        day,
        start: at.0,
        minutes: at.1,
        title: String::new(),
        content: String::new(),
        outcomes: String::new(),
        who,
    }
}

impl Event {
    pub(super) fn texts(
        mut self,
        title: impl Into<String>,
        content: &str,
        outcomes: &str,
    ) -> Event {
        self.title = title.into();
        self.content = content.into();
        self.outcomes = outcomes.into();
        self
    }
}

pub(super) fn committee(rng: &mut StdRng, day: NaiveDate) -> Event {
    let (title, content, outcomes) = *texts::COMMITTEE
        .get(rng.random_range(0..texts::COMMITTEE.len()))
        .unwrap_or(&texts::COMMITTEE[0]);
    let at = if rng.random_bool(0.5) {
        hm(9, 0)
    } else {
        hm(15, 0)
    };
    event("committee", day, (at, 60), Who::Committee).texts(
        format!("支委会：{title}"),
        content,
        outcomes,
    )
}

pub(super) fn group_meeting(rng: &mut StdRng, b: &Branch, day: NaiveDate, n: usize) -> Event {
    let g = n % b.groups.len().max(1);
    let (topic, content) = texts::STUDY[rng.random_range(0..texts::STUDY.len())];
    let group = match b.groups.get(g).map(String::as_str) {
        Some("") | None => "党小组会".to_string(),
        Some(name) => format!("{name}会"),
    };
    event("group_meeting", day, (hm(15, 0), 90), Who::Group(g)).texts(
        format!("{group}：{topic}"),
        content,
        pick(rng, texts::STUDY_OUTCOMES),
    )
}

pub(super) fn general(rng: &mut StdRng, day: NaiveDate) -> Event {
    let (title, content, outcomes) = texts::GENERAL[rng.random_range(0..texts::GENERAL.len())];
    event("general_meeting", day, (hm(9, 0), 120), Who::All).texts(
        format!("党员大会：{title}"),
        content,
        outcomes,
    )
}

pub(super) fn lecture(rng: &mut StdRng, b: &Branch, day: NaiveDate) -> Event {
    // A first secretary's lecture only where the branch has one.
    let offer: Vec<&(&str, &str)> = texts::LECTURES
        .iter()
        .filter(|l| b.first_secretary.is_some() || !l.0.starts_with("第一书记"))
        .collect();
    let (title, content) = *offer[rng.random_range(0..offer.len())];
    event("lecture", day, (hm(14, 30), 120), Who::All).texts(
        title,
        content,
        pick(rng, texts::LECTURE_OUTCOMES),
    )
}

pub(super) fn themed_day(rng: &mut StdRng, day: NaiveDate) -> Event {
    let (title, content) = texts::THEMED[day.month0() as usize];
    event("themed_day", day, (hm(9, 0), 150), Who::All).texts(
        title,
        content,
        pick(rng, texts::THEMED_OUTCOMES),
    )
}

pub(super) fn study(rng: &mut StdRng, day: NaiveDate) -> Event {
    let (title, content) = texts::STUDY[rng.random_range(0..texts::STUDY.len())];
    event("study", day, (hm(15, 0), 90), Who::All).texts(
        title,
        content,
        pick(rng, texts::STUDY_OUTCOMES),
    )
}

pub(super) fn pairing(rng: &mut StdRng, b: &Branch, day: NaiveDate, p: usize) -> Event {
    let household = b.pairings.get(p).map_or("", |x| x.household.as_str());
    event("pairing", day, (hm(10, 0), 60), Who::Pairing(p)).texts(
        format!("结对帮扶走访：{household}"),
        pick(rng, texts::PAIRING_CONTENT),
        pick(rng, texts::PAIRING_OUTCOMES),
    )
}
