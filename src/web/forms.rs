//! Form parsing support: raw forms are structs of `String`s; each feature's `parse()` turns one
//! into domain values or returns *all* field errors at once. The template re-renders with what
//! the user typed and each message next to its field (status 422).

use std::collections::BTreeMap;

/// One field's message: a locale key and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

#[derive(Debug, Default, Clone)]
pub struct FormErrors {
    fields: BTreeMap<&'static str, FieldError>,
    /// A message for the whole form (shown above it).
    pub form: Option<FieldError>,
}

impl FormErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &'static str, key: &'static str) {
        self.fields
            .entry(field)
            .or_insert(FieldError { key, args: vec![] });
    }

    pub fn add_args(
        &mut self,
        field: &'static str,
        key: &'static str,
        args: Vec<(&'static str, String)>,
    ) {
        self.fields.entry(field).or_insert(FieldError { key, args });
    }

    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.fields.get(field)
    }

    pub fn has(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.form.is_none()
    }

    /// `Ok(value)` when nothing was added, else the errors.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, FormErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

/// A required single-line text: trimmed, non-empty, at most `max` characters.
pub fn required(errors: &mut FormErrors, field: &'static str, raw: &str, max: usize) -> String {
    let v = raw.trim().to_string();
    if v.is_empty() {
        errors.add(field, "form.required");
    } else {
        check_len(errors, field, &v, max);
    }
    v
}

/// An optional text: trimmed, at most `max` characters.
pub fn optional(errors: &mut FormErrors, field: &'static str, raw: &str, max: usize) -> String {
    let v = raw.trim().to_string();
    check_len(errors, field, &v, max);
    v
}

fn check_len(errors: &mut FormErrors, field: &'static str, v: &str, max: usize) {
    if v.chars().count() > max {
        errors.add_args(field, "form.too_long", vec![("max", max.to_string())]);
    }
}

/// A Chinese phone number: a mobile (1xxxxxxxxxx) or a landline with area code (0371-67xxxxxx);
/// empty allowed when not `required`.
pub fn phone(errors: &mut FormErrors, field: &'static str, raw: &str, required: bool) -> String {
    let v: String = raw.trim().to_string();
    if v.is_empty() {
        if required {
            errors.add(field, "form.required");
        }
        return v;
    }
    let digits: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
    let shape_ok = v
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == ' ');
    let mobile = digits.len() == 11 && digits.starts_with('1');
    let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
    let short = !digits.starts_with('0') && (7..=8).contains(&digits.len());
    if !shape_ok || !(mobile || landline || short) {
        errors.add(field, "form.phone_invalid");
    }
    v
}

/// An optional date typed as 2026-11-26: None when empty, a message beside the field when it is
/// not a date (the list filters and forms all read dates this way).
pub fn optional_date(
    errors: &mut FormErrors,
    field: &'static str,
    raw: &str,
) -> Option<chrono::NaiveDate> {
    match raw.trim() {
        "" => None,
        r => chrono::NaiveDate::parse_from_str(r, "%Y-%m-%d")
            .map_err(|_| errors.add(field, "form.date_invalid"))
            .ok(),
    }
}

/// An integer within `[min, max]`.
pub fn int_in(errors: &mut FormErrors, field: &'static str, raw: &str, min: i32, max: i32) -> i32 {
    match raw.trim().parse::<i32>() {
        Ok(n) if (min..=max).contains(&n) => n,
        Ok(_) => {
            errors.add_args(
                field,
                "form.out_of_range",
                vec![("min", min.to_string()), ("max", max.to_string())],
            );
            min
        }
        Err(_) if raw.trim().is_empty() => {
            errors.add(field, "form.required");
            min
        }
        Err(_) => {
            errors.add(field, "form.not_a_number");
            min
        }
    }
}

/// One of a fixed set of codes.
pub fn one_of<'a>(
    errors: &mut FormErrors,
    field: &'static str,
    raw: &str,
    allowed: &[&'a str],
) -> Option<&'a str> {
    let found = allowed.iter().find(|a| **a == raw.trim()).copied();
    if found.is_none() {
        errors.add(
            field,
            if raw.trim().is_empty() {
                "form.required"
            } else {
                "form.invalid_choice"
            },
        );
    }
    found
}

/// The names a name select offers (`f::name_select`): `names` in order, then each of `kept` (the
/// stored values, trimmed) not among them, so a record typed before the select, or naming a
/// guest, keeps its value.
pub fn names_with(mut names: Vec<String>, kept: &[&str]) -> Vec<String> {
    for k in kept.iter().map(|k| k.trim()) {
        if !k.is_empty() && !names.iter().any(|n| n == k) {
            names.push(k.to_string());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        let mut e = FormErrors::new();
        phone(&mut e, "a", "13812345678", true);
        phone(&mut e, "b", "0371-67123456", true);
        phone(&mut e, "c", "", false);
        assert!(e.is_empty());
        phone(&mut e, "d", "12345", true);
        phone(&mut e, "f", "1381234567x", true);
        phone(&mut e, "g", "", true);
        assert!(e.has("d") && e.has("f") && e.has("g"));
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let mut e = FormErrors::new();
        let v = required(&mut e, "n", "  林山寨街道  ", 5);
        assert_eq!(v, "林山寨街道");
        assert!(e.is_empty());
        required(&mut e, "m", "林山寨街道办", 5);
        assert_eq!(e.get("m").unwrap().key, "form.too_long");
    }
}

/// One field of a stale edit: what this user typed and what is saved now.
#[derive(Debug, Clone)]
pub struct ConflictRow {
    pub label: &'static str,
    pub mine: String,
    pub theirs: String,
}

/// The fields that differ between the user's stale submission and the saved record. Both sides
/// come from the same form type (`Form::from(&record)` for the saved one), so they line up.
pub fn conflicts(
    mine: &[(&'static str, String)],
    theirs: &[(&'static str, String)],
) -> Vec<ConflictRow> {
    mine.iter()
        .zip(theirs)
        .filter(|((_, a), (_, b))| a.trim() != b.trim())
        .map(|((label, a), (_, b))| ConflictRow {
            label,
            mine: a.clone(),
            theirs: b.clone(),
        })
        .collect()
}

/// A select box's option: value and visible label (already translated).
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: impl ToString, label: impl ToString) -> Choice {
        Choice {
            value: value.to_string(),
            label: label.to_string(),
        }
    }
}

/// Parses a version field (optimistic locking); a missing or garbled one never matches.
pub fn version(raw: &str) -> i32 {
    raw.trim().parse().unwrap_or(-1)
}
