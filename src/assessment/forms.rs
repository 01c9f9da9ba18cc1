//! The ranking's query and the forms of 量化考核: compute and publish a street's month, a manual
//! entry (bonus or deduction with its reason and evidence), a reversal.

use serde::Deserialize;

use super::domain;
use crate::issues::figures::domain::parse_month;
use crate::web::edit::VersionedForm;
use crate::web::forms::FormErrors;

/// `?scheme=&period=&unit=`: the scheme, the month ("2026-10") and the street ranked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RankQuery {
    pub scheme: String,
    pub period: String,
    pub unit: String,
}

impl RankQuery {
    /// The month asked for, or `fallback` when none or a garbled one is given.
    pub fn period_or(&self, fallback: String) -> String {
        match parse_month(&self.period) {
            Some(d) => d.format("%Y-%m").to_string(),
            None => fallback,
        }
    }

    pub fn scheme_id(&self) -> Option<i32> {
        self.scheme.trim().parse().ok()
    }

    pub fn unit_id(&self) -> Option<i32> {
        self.unit.trim().parse().ok()
    }
}

/// POST /assessment/compute and /assessment/publish: the month of a street under a scheme.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MonthForm {
    pub scheme: String,
    pub period: String,
    pub unit: String,
    pub form_token: String,
}

impl MonthForm {
    pub fn query(&self) -> RankQuery {
        RankQuery {
            scheme: self.scheme.clone(),
            period: self.period.clone(),
            unit: self.unit.clone(),
        }
    }
}

/// A manual entry as typed: the indicator, signed points ("-2", "+1.5"), the reason and the
/// evidence (a link to an issue, a meeting, a document), on the result's version.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EntryForm {
    pub indicator_id: String,
    pub points: String,
    pub reason: String,
    pub evidence: String,
    pub version: String,
    pub form_token: String,
}

impl VersionedForm for EntryForm {
    fn version(&self) -> &str {
        &self.version
    }

    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}

/// A parsed manual entry.
#[derive(Debug, Clone)]
pub struct NewManual {
    pub indicator_id: i32,
    /// Tenths.
    pub points: i32,
    pub reason: String,
    pub evidence: String,
}

/// Signed points with at most one decimal, as tenths ("-2" → -20, "1.5" → 15).
pub fn parse_points(raw: &str) -> Option<i32> {
    let t = raw.trim().trim_start_matches('+');
    let v: f64 = t.parse().ok()?;
    let tenths = v * 10.0;
    (v.is_finite() && (tenths - tenths.round()).abs() < 1e-9).then(|| tenths.round() as i32)
}

impl EntryForm {
    /// Every field error at once; `manual_ids` are the indicators an entry may go to.
    pub fn parse(&self, manual_ids: &[i32]) -> Result<NewManual, FormErrors> {
        let mut errors = FormErrors::new();
        let indicator_id = self
            .indicator_id
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|i| manual_ids.contains(i));
        if indicator_id.is_none() {
            errors.add("indicator_id", "assess.error.indicator");
        }
        let points = parse_points(&self.points);
        for (field, key) in domain::entry_error(points, &self.reason) {
            errors.add(field, key);
        }
        if self.reason.chars().count() > 500 {
            errors.add("reason", "assess.error.too_long");
        }
        if self.evidence.chars().count() > 500 {
            errors.add("evidence", "assess.error.too_long");
        }
        errors.finish(|| NewManual {
            indicator_id: indicator_id.unwrap_or_default(),
            points: points.unwrap_or_default(),
            reason: self.reason.trim().to_string(),
            evidence: self.evidence.trim().to_string(),
        })
    }
}

/// A reversal: why the entry is taken back.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReverseForm {
    pub reason: String,
    pub version: String,
    pub form_token: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_signed_tenths() {
        assert_eq!(parse_points("-2"), Some(-20));
        assert_eq!(parse_points("+1.5"), Some(15));
        assert_eq!(parse_points("1.25"), None);
        assert_eq!(parse_points("abc"), None);
    }
}
