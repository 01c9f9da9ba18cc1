//! A meeting's query strings and forms as typed (every field kept on an error) and as parsed:
//! the list's filter, a new meeting (read from the posted pairs: `invite` is repeated, one per
//! colleague invited), the state step; and the field readers the record form shares (times,
//! guests).

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::domain;
use super::models::Filter;
use crate::web::edit::required_date;
use crate::web::forms::{FormErrors, required};
use crate::web::list::{self, ListParams};

pub const MAX_GUESTS: usize = 30;

/// The list's query string (and its export's).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub unit: String,
    pub kind: String,
    pub state: String,
    pub from: String,
    pub to: String,
    pub page: Option<String>,
}

impl ListParams for ListQuery {
    fn filters(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("unit", &self.unit),
            ("kind", &self.kind),
            ("state", &self.state),
            ("from", &self.from),
            ("to", &self.to),
        ]
    }

    fn page(&self) -> Option<&str> {
        self.page.as_deref()
    }
}

impl ListQuery {
    /// The query with the user's default kind tab when none is chosen
    /// (`domain::default_list_kind`); `all` stands for every kind.
    pub fn with_default_kind(mut self, user: &crate::auth::CurrentUser) -> ListQuery {
        if self.kind.trim().is_empty() {
            self.kind = domain::default_list_kind(user).to_string();
        }
        self
    }

    /// The link of the list with `kind` in place of this query's, its other filters kept.
    pub fn kind_href(&self, kind: &str) -> String {
        let q = ListQuery {
            kind: kind.to_string(),
            page: None,
            ..self.clone()
        };
        format!("/meetings?{}", q.base())
    }

    /// The filter without its unit (`org::models::unit_filter` resolves it in scope); a bad date
    /// is a message beside its field (`web::list::period`).
    pub fn parse(&self) -> (Filter, FormErrors) {
        let mut e = FormErrors::new();
        let period = list::period(&mut e, &self.from, &self.to);
        let f = Filter {
            from: period.from,
            to: period.to,
            kind: domain::Kind::parse(self.kind.trim()).map(|k| k.code().to_string()),
            state: match self.state.trim() {
                s @ ("draft" | "held" | "final") => Some(s.to_string()),
                _ => None,
            },
            unit_path: None,
        };
        (f, e)
    }
}

/// A meeting's page: `left` drafted lines were left out of a new meeting's agenda.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    pub left: Option<usize>,
}

/// The new-meeting form's first step: the unit (kind and day carried along).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    pub unit: String,
    pub kind: String,
    pub day: String,
}

/// The state step: the state asked for and the version the page showed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StateForm {
    pub to: String,
    pub version: String,
}

/// The posted pairs of a form, by name (the last value wins), plus every value of `invite`.
pub fn pairs_map(pairs: &[(String, String)]) -> BTreeMap<String, String> {
    pairs.iter().cloned().collect()
}

pub fn get(m: &BTreeMap<String, String>, k: &str) -> String {
    m.get(k).cloned().unwrap_or_default()
}

/// Start and end ("HH:MM", both optional; the end after the start).
pub fn times(e: &mut FormErrors, start: &str, end: &str) -> (String, String) {
    let s = start.trim();
    let t = end.trim();
    let ps = domain::parse_time(s);
    let pt = domain::parse_time(t);
    if !s.is_empty() && ps.is_none() {
        e.add("start_time", "meetings.invalid_time");
    }
    if !t.is_empty() && pt.is_none() {
        e.add("end_time", "meetings.invalid_time");
    }
    if let (Some(a), Some(b)) = (ps, pt)
        && b <= a
    {
        e.add("end_time", "meetings.end_before_start");
    }
    let fmt = |x: Option<NaiveTime>| x.map(|x| x.format("%H:%M").to_string());
    (fmt(ps).unwrap_or_default(), fmt(pt).unwrap_or_default())
}

/// Guests, one per line: "name" or "name，unit" (full- or half-width comma).
pub fn parse_guests(e: &mut FormErrors, raw: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (name, unit) = match line.split_once(['，', ',']) {
            Some((n, u)) => (n.trim(), u.trim()),
            None => (line, ""),
        };
        if name.is_empty() || name.chars().count() > 30 || unit.chars().count() > 60 {
            e.add("guests", "meetings.bad_guest");
            return out;
        }
        out.push((name.to_string(), unit.to_string()));
    }
    if out.len() > MAX_GUESTS {
        e.add_args(
            "guests",
            "meetings.too_many_guests",
            vec![("max", MAX_GUESTS.to_string())],
        );
    }
    out
}

/// A new meeting as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NewForm {
    pub kind: String,
    pub unit_id: String,
    pub day: String,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    /// Ids of the unit's staff invited.
    pub invite: Vec<String>,
    pub guests: String,
    pub form_token: String,
}

/// A new meeting, parsed.
#[derive(Debug, Clone, Serialize)]
pub struct NewMeeting {
    pub kind: domain::Kind,
    pub unit_id: i32,
    pub day: NaiveDate,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    pub invite: Vec<i32>,
    pub guests: Vec<(String, String)>,
}

impl NewForm {
    pub fn from_pairs(pairs: &[(String, String)]) -> NewForm {
        let m = pairs_map(pairs);
        NewForm {
            kind: get(&m, "kind"),
            unit_id: get(&m, "unit_id"),
            day: get(&m, "day"),
            start_time: get(&m, "start_time"),
            end_time: get(&m, "end_time"),
            place: get(&m, "place"),
            chair: get(&m, "chair"),
            recorder: get(&m, "recorder"),
            invite: pairs
                .iter()
                .filter(|(k, _)| k == "invite")
                .map(|(_, v)| v.clone())
                .collect(),
            guests: get(&m, "guests"),
            form_token: get(&m, "form_token"),
        }
    }

    pub fn invited(&self, id: &i32) -> bool {
        self.invite.iter().any(|v| v.trim() == id.to_string())
    }

    /// `units`: the units the user may hold a meeting for; `staff`: the chosen unit's staff ids;
    /// `today`: meetings are planned up to a year ahead and recorded up to a year back.
    pub fn parse(
        &self,
        units: &[i32],
        staff: &[i32],
        today: NaiveDate,
    ) -> Result<NewMeeting, FormErrors> {
        let mut e = FormErrors::new();
        let kind = domain::Kind::parse(self.kind.trim());
        if kind.is_none() {
            e.add("kind", "form.invalid_choice");
        }
        let unit_id = self.unit_id.trim().parse::<i32>().unwrap_or(0);
        if !units.contains(&unit_id) {
            e.add("unit_id", "form.invalid_choice");
        }
        let day = match required_date(&mut e, "day", &self.day) {
            Some(d) if (d - today).num_days().abs() > 366 => {
                e.add("day", "meetings.day_out_of_range");
                None
            }
            d => d,
        };
        let (start_time, end_time) = times(&mut e, &self.start_time, &self.end_time);
        let place = required(&mut e, "place", &self.place, 100);
        let chair = required(&mut e, "chair", &self.chair, 30);
        let recorder = required(&mut e, "recorder", &self.recorder, 30);
        let mut invite = Vec::new();
        for v in &self.invite {
            match v.trim().parse::<i32>() {
                Ok(id) if staff.contains(&id) => invite.push(id),
                _ => e.add("invite", "form.invalid_choice"),
            }
        }
        let guests = parse_guests(&mut e, &self.guests);
        e.finish(|| NewMeeting {
            kind: kind.unwrap_or(domain::Kind::Weekly),
            unit_id,
            day: day.unwrap_or(today),
            start_time,
            end_time,
            place,
            chair,
            recorder,
            invite,
            guests,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    #[test]
    fn a_new_meeting_parses_with_invites_and_guests() {
        let f = NewForm::from_pairs(&pairs(&[
            ("kind", "weekly"),
            ("unit_id", "8"),
            ("day", "2026-11-30"),
            ("start_time", "09:00"),
            ("end_time", "10:30"),
            ("place", "社区二楼会议室"),
            ("chair", "李书记"),
            ("recorder", "王敏"),
            ("invite", "3"),
            ("invite", "4"),
            ("guests", "张警官，林山寨派出所\n赵站长,城管中队\n\n"),
        ]));
        let m = f.parse(&[8], &[3, 4, 5], today()).unwrap();
        assert_eq!(m.invite, vec![3, 4]);
        assert_eq!(m.guests.len(), 2);
        assert_eq!(m.guests[0], ("张警官".into(), "林山寨派出所".into()));
        assert_eq!(m.guests[1].1, "城管中队");
    }

    #[test]
    fn bad_new_meeting_fields_are_named() {
        let f = NewForm::from_pairs(&pairs(&[
            ("kind", "party"),
            ("unit_id", "9"),
            ("day", "2029-01-01"),
            ("start_time", "10:00"),
            ("end_time", "09:00"),
            ("invite", "77"),
        ]));
        let e = f.parse(&[8], &[3], today()).unwrap_err();
        for field in [
            "kind", "unit_id", "day", "end_time", "place", "chair", "recorder", "invite",
        ] {
            assert!(e.has(field), "{field}");
        }
    }

    #[test]
    fn guests_lines_are_checked() {
        let mut e = FormErrors::new();
        let long = "名".repeat(31);
        parse_guests(&mut e, &long);
        assert!(e.has("guests"));
    }
}
