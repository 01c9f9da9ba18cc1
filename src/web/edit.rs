//! The edit kit: what every edit-with-version handler shares, written once.
//!
//! An edit form carries the record's version from when it was opened (optimistic locking). The
//! write runs in one transaction that answers a [`Saved`]: done, stale (someone saved first:
//! here is the record as it is now) or refused (a rule only the database can check, with the
//! messages to show beside the fields). A stale edit answers 409 with both versions side by
//! side and everything typed kept; [`stale`] builds that table from the form's labelled fields
//! and moves the form's version on, so submitting again overwrites deliberately.
//!
//! Labelled fields (`Vec<(label key, shown value)>`) are the one description of a record that
//! the conflict table, a correction's [`changes_json`] and the audit's before/after
//! ([`labelled_json`]) all read. Dates are read with [`required_date`] and [`past_or_today`].
//!
//! ```ignore
//! // In the handler, after `form.parse()` succeeded:
//! let seen = form.seen_version();
//! let saved = db::run_write(&state.pool, move |conn| {
//!     let before = models::get(conn, id)?;
//!     if before.version != seen { return Ok(Saved::Stale(before)); }
//!     if models::name_taken(conn, &fields.name, Some(id))? {
//!         return Ok(Saved::refused("name", "things.name_taken"));
//!     }
//!     if !models::update(conn, id, seen, &fields)? { return Ok(Saved::Stale(models::get(conn, id)?)); }
//!     audit::updated(conn, &actor, ENTITY, id, &name, &before, &models::get(conn, id)?, &scope)?;
//!     Ok(Saved::Done)
//! }).await?;
//! match saved {
//!     Saved::Done => { flash(&session, "ok", "flash.saved", &[]); Ok(see_other(&url)) }
//!     Saved::Refused(errors) => render_status(&form_page(ctx, form, errors), UNPROCESSABLE_ENTITY),
//!     Saved::Stale(latest) => {
//!         let theirs = labelled(&ctx, &ThingForm::from(&latest));
//!         let rows = edit::stale(&mut form, latest.version, &labelled(&ctx, &form), &theirs);
//!         let mut page = form_page(ctx, form, FormErrors::new());
//!         page.conflicts = rows;
//!         render_status(&page, StatusCode::CONFLICT)
//!     }
//! }
//! ```

use actix_session::Session;
use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::forms::{self, ConflictRow, FormErrors};
use crate::db::Pool;
use crate::error::AppResult;

/// A record's fields as people read them: (label's locale key, shown value), in form order.
pub type Labelled = Vec<(&'static str, String)>;

/// What the write closure of an edit found.
#[derive(Debug)]
pub enum Saved<T> {
    /// Written, with its audit row.
    Done,
    /// Someone saved first: the record (or whatever the 409 page needs) as it is now. Box it when
    /// it is large.
    Stale(T),
    /// A rule checked inside the transaction said no: the messages beside the fields (422).
    Refused(FormErrors),
}

impl<T> Saved<T> {
    /// Refused with one message beside one field.
    pub fn refused(field: &'static str, key: &'static str) -> Saved<T> {
        let mut errors = FormErrors::new();
        errors.add(field, key);
        Saved::Refused(errors)
    }
}

/// A raw edit form that carries the version of the record it was opened on.
pub trait VersionedForm {
    /// The version field as posted.
    fn version(&self) -> &str;
    /// Sets the version field (to the latest, after a conflict).
    fn set_version(&mut self, version: i32);

    /// The version this form was opened on; a missing or garbled one never matches.
    fn seen_version(&self) -> i32 {
        forms::version(self.version())
    }
}

/// The 409's table and the version moved on: the rows of `mine` (what was typed) that differ from
/// `theirs` (the latest record, labelled the same way), and `form` now carries `latest_version`,
/// so everything typed stays and submitting again overwrites deliberately.
pub fn stale<F: VersionedForm>(
    form: &mut F,
    latest_version: i32,
    mine: &[(&'static str, String)],
    theirs: &[(&'static str, String)],
) -> Vec<ConflictRow> {
    form.set_version(latest_version);
    forms::conflicts(mine, theirs)
}

/// A correction's changes as stored beside it: `[[label, before, after], …]`, from
/// `conflicts(&before, &after)`.
pub fn changes_json(changes: &[ConflictRow]) -> String {
    serde_json::Value::Array(
        changes
            .iter()
            .map(|c| serde_json::json!([c.label, c.mine, c.theirs]))
            .collect(),
    )
    .to_string()
}

/// Labelled fields as the audit log's before or after object: `{label: value, …}`.
pub fn labelled_json(
    fields: &[(&'static str, String)],
) -> serde_json::Map<String, serde_json::Value> {
    fields
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
        .collect()
}

/// A required date typed as 2026-11-26: "form.required" when empty, "form.date_invalid" when it
/// is not a date.
pub fn required_date(errors: &mut FormErrors, field: &'static str, raw: &str) -> Option<NaiveDate> {
    if raw.trim().is_empty() {
        errors.add(field, "form.required");
        return None;
    }
    forms::optional_date(errors, field, raw)
}

/// A required date that has happened: as [`required_date`], and "form.date_future" after `today`
/// (a feature with its own wording checks `> today` itself after `required_date`).
pub fn past_or_today(
    errors: &mut FormErrors,
    field: &'static str,
    raw: &str,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let day = required_date(errors, field, raw)?;
    if day > today {
        errors.add(field, "form.date_future");
        return None;
    }
    Some(day)
}

/// The query of an edit form's page: `?draft=1` after a login that the session's end forced,
/// to bring back what was typed (see `web::drafts`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DraftQuery {
    #[serde(default)]
    pub draft: Option<String>,
}

/// Where the login returns after a session ended while the form at `page` was typed: the page
/// with `?draft=1` (pass it as `next` to `web::drafts::poster`).
pub fn draft_return(page: &str) -> String {
    format!("{page}?draft=1")
}

/// The draft kept under `key`, when the page was asked for with `?draft=1` (once).
pub async fn restored<T: DeserializeOwned + Send + 'static>(
    pool: &Pool,
    session: &Session,
    key: &str,
    q: &DraftQuery,
) -> AppResult<Option<T>> {
    if q.draft.is_none() {
        return Ok(None);
    }
    super::drafts::restore(pool, session, key).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Form {
        name: String,
        version: String,
    }

    impl VersionedForm for Form {
        fn version(&self) -> &str {
            &self.version
        }
        fn set_version(&mut self, version: i32) {
            self.version = version.to_string();
        }
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_stale_form_keeps_what_was_typed_and_takes_the_latest_version() {
        let mut f = Form {
            name: "林山寨".into(),
            version: "3".into(),
        };
        assert_eq!(f.seen_version(), 3);
        let mine = vec![("n", f.name.clone()), ("p", "1".into())];
        let theirs = vec![("n", "林山寨街道".into()), ("p", " 1 ".into())];
        let rows = stale(&mut f, 5, &mine, &theirs);
        assert_eq!(rows.len(), 1, "values equal but for spaces are no conflict");
        assert_eq!((rows[0].label, rows[0].mine.as_str()), ("n", "林山寨"));
        assert_eq!(rows[0].theirs, "林山寨街道");
        assert_eq!((f.version.as_str(), f.name.as_str()), ("5", "林山寨"));
        let garbled = Form {
            version: "x".into(),
            ..Default::default()
        };
        assert_eq!(garbled.seen_version(), -1);
    }

    #[test]
    fn changes_and_audit_json() {
        let before = vec![("a", "1".to_string()), ("b", "x\"y".to_string())];
        let after = vec![("a", "2".to_string()), ("b", "x\"y".to_string())];
        let changes = forms::conflicts(&before, &after);
        assert_eq!(changes_json(&changes), r#"[["a","1","2"]]"#);
        assert_eq!(changes_json(&[]), "[]");
        let audit = serde_json::to_string(&labelled_json(&before)).unwrap();
        assert_eq!(audit, r#"{"a":"1","b":"x\"y"}"#);
    }

    #[test]
    fn dates() {
        let today = day("2026-11-26");
        let mut e = FormErrors::new();
        assert_eq!(
            required_date(&mut e, "a", " 2026-11-27 "),
            Some(day("2026-11-27"))
        );
        assert_eq!(past_or_today(&mut e, "b", "2026-11-26", today), Some(today));
        assert!(e.is_empty());
        assert_eq!(required_date(&mut e, "c", " "), None);
        assert_eq!(required_date(&mut e, "d", "26.11.2026"), None);
        assert_eq!(past_or_today(&mut e, "f", "2026-11-27", today), None);
        assert_eq!(past_or_today(&mut e, "g", "", today), None);
        assert_eq!(e.get("c").unwrap().key, "form.required");
        assert_eq!(e.get("d").unwrap().key, "form.date_invalid");
        assert_eq!(e.get("f").unwrap().key, "form.date_future");
        assert_eq!(e.get("g").unwrap().key, "form.required");
    }

    #[test]
    fn refused_carries_its_message_and_drafts_return_with_the_flag() {
        let s: Saved<()> = Saved::refused("name", "x.taken");
        assert!(matches!(s, Saved::Refused(e) if e.get("name").unwrap().key == "x.taken"));
        assert_eq!(
            draft_return("/meetings/3/record"),
            "/meetings/3/record?draft=1"
        );
    }
}
