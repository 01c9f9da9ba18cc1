//! The report's query string and the forms of the livelihood report (indicator, monthly entry,
//! freeze), as typed and as parsed.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::domain::{self, UNITS};
use super::models::{Indicator, IndicatorFields, Street};
use crate::web::forms::{FormErrors, int_in, one_of, optional, required};
use crate::web::list::ListParams;

/// `?unit=&year=&month=` of the report, the year view, the print and the exports.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    pub unit: String,
    pub year: String,
    pub month: String,
}

impl ListParams for ReportQuery {
    fn filters(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("unit", &self.unit),
            ("year", &self.year),
            ("month", &self.month),
        ]
    }
    fn page(&self) -> Option<&str> {
        None
    }
}

impl ReportQuery {
    /// The year and month asked for (this month by default), with the messages of what could not
    /// be read (that part then stays at its default).
    pub fn period(&self, today: NaiveDate) -> (i32, u32, FormErrors) {
        let mut e = FormErrors::new();
        let year = match self.year.trim() {
            "" => today.year(),
            raw => {
                let mut one = FormErrors::new();
                let y = int_in(&mut one, "year", raw, 2000, today.year() + 1);
                if one.is_empty() {
                    y
                } else {
                    e.add("year", "livelihood.bad_year");
                    today.year()
                }
            }
        };
        let month = match self.month.trim() {
            "" if year == today.year() => today.month(),
            "" => 12,
            raw => match raw.parse::<u32>() {
                Ok(m) if (1..=12).contains(&m) => m,
                _ => {
                    e.add("month", "livelihood.bad_month");
                    if year == today.year() {
                        today.month()
                    } else {
                        12
                    }
                }
            },
        };
        (year, month, e)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct IndicatorForm {
    pub unit_id: String,
    pub year: String,
    pub name: String,
    pub count_unit: String,
    pub summed: String,
    pub target: String,
    pub office: String,
    pub note: String,
    pub sort_order: String,
    pub version: String,
    pub form_token: String,
}

impl IndicatorForm {
    pub fn from_indicator(i: &Indicator) -> IndicatorForm {
        IndicatorForm {
            unit_id: i.unit_id.to_string(),
            year: i.year.to_string(),
            name: i.name.clone(),
            count_unit: i.count_unit.clone(),
            summed: if i.summed { "1" } else { "0" }.into(),
            target: domain::plain_amount(i.target, domain::decimals(&i.count_unit)),
            office: i.office.clone(),
            note: i.note.clone(),
            sort_order: i.sort_order.to_string(),
            version: i.version.to_string(),
            form_token: String::new(),
        }
    }

    /// `streets`: the streets in the user's scope, the ones an indicator may belong to.
    pub fn parse(
        &self,
        streets: &[Street],
        today: NaiveDate,
    ) -> Result<IndicatorFields, FormErrors> {
        let mut e = FormErrors::new();
        let street = self
            .unit_id
            .trim()
            .parse::<i32>()
            .ok()
            .and_then(|id| streets.iter().find(|s| s.id == id));
        if street.is_none() {
            e.add("unit_id", "form.invalid_choice");
        }
        let year = int_in(&mut e, "year", &self.year, 2000, today.year() + 1);
        let name = required(&mut e, "name", &self.name, 60);
        let count_unit = one_of(&mut e, "count_unit", &self.count_unit, &UNITS)
            .unwrap_or("")
            .to_string();
        let summed = match self.summed.trim() {
            "1" => true,
            "0" => false,
            _ => {
                e.add("summed", "form.invalid_choice");
                true
            }
        };
        let target = match domain::parse_amount(&self.target, domain::decimals(&count_unit)) {
            Ok(t) => t,
            Err(key) => {
                e.add("target", key);
                0
            }
        };
        let office = required(&mut e, "office", &self.office, 60);
        let note = optional(&mut e, "note", &self.note, 500);
        let sort_order = if self.sort_order.trim().is_empty() {
            0
        } else {
            int_in(&mut e, "sort_order", &self.sort_order, 0, 999)
        };
        e.finish(|| {
            let s = street.cloned().unwrap_or_else(|| Street {
                id: 0,
                name: String::new(),
                path: String::new(),
            });
            IndicatorFields {
                unit_id: s.id,
                scope_path: s.path,
                year,
                name,
                count_unit,
                summed,
                target,
                office,
                note,
                sort_order,
            }
        })
    }
}

/// The labelled values of an indicator form, for the stale-edit table and the audit log.
pub fn labelled(f: &IndicatorForm) -> Vec<(&'static str, String)> {
    vec![
        ("livelihood.year", f.year.trim().to_string()),
        ("livelihood.name", f.name.trim().to_string()),
        ("livelihood.count_unit", f.count_unit.trim().to_string()),
        ("livelihood.summed", f.summed.trim().to_string()),
        ("livelihood.target", f.target.trim().to_string()),
        ("livelihood.office", f.office.trim().to_string()),
        ("livelihood.note", f.note.trim().to_string()),
        ("livelihood.sort_order", f.sort_order.trim().to_string()),
    ]
}

crate::edit_form!(IndicatorForm);

/// A month's figure as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EntryForm {
    pub month: String,
    pub amount: String,
    pub reason: String,
    pub form_token: String,
}

/// A month's figure as parsed.
#[derive(Debug, Clone, Serialize)]
pub struct EntryFields {
    pub month: i32,
    pub amount: i64,
    pub reason: String,
}

impl EntryForm {
    /// For `indicator` on `today`: the month must have begun, the amount be exact in the unit.
    pub fn parse(
        &self,
        indicator: &Indicator,
        today: NaiveDate,
    ) -> Result<EntryFields, FormErrors> {
        let mut e = FormErrors::new();
        let month = int_in(&mut e, "month", &self.month, 1, 12);
        if !e.has("month") && domain::is_future(indicator.year, month as u32, today) {
            e.add("month", "livelihood.month_future");
        }
        let amount =
            match domain::parse_amount(&self.amount, domain::decimals(&indicator.count_unit)) {
                Ok(a) => a,
                Err(key) => {
                    e.add("amount", key);
                    0
                }
            };
        let reason = optional(&mut e, "reason", &self.reason, 300);
        e.finish(|| EntryFields {
            month,
            amount,
            reason,
        })
    }
}

/// Freezing (报送) a street's month.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FreezeForm {
    pub unit: String,
    pub year: String,
    pub month: String,
}
