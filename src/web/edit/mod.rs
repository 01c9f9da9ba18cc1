//! The edit kit: what every create and every edit-with-version handler shares, written once.
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
//! edit::answer(&session, saved, ("flash.saved", &url), |latest, errors| {
//!     // Stale: the 409 table of what differs, and the form moved on to the latest version.
//!     let conflicts = latest.map(|l| {
//!         let (mine, theirs) = (labelled(&ctx, &form), labelled(&ctx, &ThingForm::from(&l)));
//!         edit::stale(&mut form, l.version, &mine, &theirs)
//!     });
//!     form_page(ctx, form, errors, conflicts.unwrap_or_default())
//! })
//! // A create: the form's page again on a parse error, then the insert once per form token.
//! let fields = match form.parse() { Ok(f) => f, Err(e) => return edit::invalid(&form_page(…, e)) };
//! edit::create(&state.pool, &session, (form.form_token.clone(), user.id), "flash.saved",
//!     move |conn| { let id = models::create(conn, &fields)?; audit::created(…)?; Ok(url_of(id)) })
//!     .await
//! ```

use actix_session::Session;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::ctx::flash;
use super::forms::{self, ConflictRow, FormErrors};
use super::{render_status, see_other};
use crate::db::{AnyConnection, Pool};
use crate::error::AppResult;

pub mod record;

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

impl Saved<()> {
    /// What a guarded `UPDATE … WHERE version = ?` answered: written, or stale (the kit loads the
    /// latest record).
    pub fn written(ok: bool) -> Saved<()> {
        if ok { Saved::Done } else { Saved::Stale(()) }
    }
}

impl<T> Saved<T> {
    /// Refused with one message beside one field.
    pub fn refused(field: &'static str, key: &'static str) -> Saved<T> {
        let mut errors = FormErrors::new();
        errors.add(field, key);
        Saved::Refused(errors)
    }
}

/// A form that did not parse: its page again, with everything typed and the messages beside
/// the fields (422).
pub fn invalid<P: askama::Template>(page: &P) -> AppResult<HttpResponse> {
    render_status(page, StatusCode::UNPROCESSABLE_ENTITY)
}

/// The end of a create: `write` (the insert and its audit row; it answers where the record now
/// lives) runs once per form token (`web::idempotency::create_once`: a repeated submission goes
/// where the first one went), then `flash_key` and a 303 there.
pub async fn create<F>(
    pool: &Pool,
    session: &Session,
    (token, user_id): (String, i32),
    flash_key: &str,
    write: F,
) -> AppResult<HttpResponse>
where
    F: FnOnce(&mut AnyConnection) -> AppResult<String> + Send + 'static,
{
    let location = super::idempotency::create_once(pool, token, user_id, write).await?;
    flash(session, "ok", flash_key, &[]);
    Ok(see_other(&location))
}

/// A form page that can show the 409 table.
pub trait StalePage {
    /// The rows where what was typed differs from the record as it is now.
    fn conflicts(&self) -> &[ConflictRow];
    /// Puts the 409's table on the page.
    fn set_conflicts(&mut self, rows: Vec<ConflictRow>);
}

/// Implements [`StalePage`] for pages that keep their table in a `conflicts` field.
#[macro_export]
macro_rules! stale_page {
    ($($page:ty),+ $(,)?) => {
        $(impl $crate::web::edit::StalePage for $page {
            fn conflicts(&self) -> &[$crate::web::forms::ConflictRow] {
                &self.conflicts
            }
            fn set_conflicts(&mut self, rows: Vec<$crate::web::forms::ConflictRow>) {
                self.conflicts = rows;
            }
        })+
    };
}

/// What an edit answers once its write has run: done, `flash_key` and a 303 to `done`; refused,
/// the form's page with the messages (422); stale, the form's page with the 409 table. `page`
/// builds the form's page from the latest record (stale: build the table with [`stale`]) or
/// `None`, and the messages.
///
/// A stale edit whose every field already reads as typed is not a conflict but the same change
/// made twice — most often a double click, whose first click saved: it answers as done.
pub fn answer<T, P: askama::Template + StalePage>(
    session: &Session,
    saved: Saved<T>,
    (flash_key, done): (&str, &str),
    page: impl FnOnce(Option<T>, FormErrors) -> P,
) -> AppResult<HttpResponse> {
    match saved {
        Saved::Done => {
            flash(session, "ok", flash_key, &[]);
            Ok(see_other(done))
        }
        Saved::Refused(errors) => invalid(&page(None, errors)),
        Saved::Stale(latest) => conflict(
            session,
            &page(Some(latest), FormErrors::new()),
            (flash_key, done),
        ),
    }
}

/// The end of a stale edit: the 409 page with both versions, unless no field differs — the same
/// change made twice (a double click whose first click saved) answers as saved. [`answer`] ends
/// with it; handlers that load more for their 409 page call it with the page they built.
pub fn conflict<P: askama::Template + StalePage>(
    session: &Session,
    page: &P,
    (flash_key, done): (&str, &str),
) -> AppResult<HttpResponse> {
    if page.conflicts().is_empty() {
        flash(session, "ok", flash_key, &[]);
        return Ok(see_other(done));
    }
    render_status(page, StatusCode::CONFLICT)
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

/// A create form: it carries the random token that makes a double post one record
/// (`web::idempotency`).
pub trait TokenForm {
    /// The token as posted.
    fn form_token(&self) -> &str;
    /// Sets the token (a fresh one on a blank form).
    fn set_form_token(&mut self, token: String);
}

/// Implements [`VersionedForm`] and [`TokenForm`] for raw forms with `version` and `form_token`
/// fields (both `String`).
#[macro_export]
macro_rules! edit_form {
    ($($form:ty),+ $(,)?) => {
        $(impl $crate::web::edit::VersionedForm for $form {
            fn version(&self) -> &str {
                &self.version
            }
            fn set_version(&mut self, version: i32) {
                self.version = version.to_string();
            }
        }
        impl $crate::web::edit::TokenForm for $form {
            fn form_token(&self) -> &str {
                &self.form_token
            }
            fn set_form_token(&mut self, token: String) {
                self.form_token = token;
            }
        })+
    };
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
