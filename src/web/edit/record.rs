//! One record's form, written once: the blank form, the create (once per form token), the edit
//! form and the update with its version check, for every feature whose record is one form.
//!
//! A feature says what differs in an [`Editor`] (a unit struct in its `handlers.rs`): where the
//! record lives, who may write it, how it loads in scope, the form's data, parse, the page, the
//! insert and the guarded update, and its audit row. Its routes take the handlers here:
//!
//! ```ignore
//! cfg.route("/things", web::post().to(record::create::<ThingEditor>))
//!     .route("/things/new", web::get().to(record::new_form::<ThingEditor>))
//!     .route("/things/{id}/edit", web::get().to(record::edit_form::<ThingEditor>))
//!     .route("/things/{id}", web::post().to(record::update::<ThingEditor>));
//! ```
//!
//! What they answer: 403 when the user may not create, or may not edit the record; 404 when the
//! record is outside the scope (`load`); 422 with everything typed when the form does not parse
//! or `update` refuses; 409 with both versions when someone saved first (or a 303 as saved when
//! every field already reads as typed); otherwise "flash.saved" and a 303 to `{BASE}/{id}`. A
//! create runs once per form token; every write has its audit row in the same transaction.
//!
//! `web/` imports no feature: the audit row is written by the feature's [`Editor::audit`]
//! (one line: `crate::audit::change(conn, change)`) from the [`Change`] the kit builds.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Labelled, Saved, StalePage, TokenForm, VersionedForm, labelled_json};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::web::csrf::{CsrfForm, random_token};
use crate::web::ctx::Ctx;
use crate::web::current_user::{Actor, CurrentUser};
use crate::web::forms::FormErrors;
use crate::web::{AppState, render_ok};

/// Who asks and when: what [`Editor::blank`] and [`Editor::parse`] may read beside the form.
pub struct On<'a> {
    pub user: &'a CurrentUser,
    /// Today in the office's time zone.
    pub today: NaiveDate,
    /// The page's query string (a blank form may take presets from it).
    pub query: &'a str,
}

/// One audit row of a create (`before` is None) or an update, as the feature's
/// [`Editor::audit`] hands it to `crate::audit::change`.
pub struct Change<'a, A: Serialize> {
    pub actor: &'a Actor,
    pub entity: &'static str,
    pub id: i32,
    /// The record's name (the audit summary).
    pub name: &'a str,
    /// The org path the record belongs to.
    pub scope: &'a str,
    /// The labelled fields before an update.
    pub before: Option<&'a serde_json::Map<String, serde_json::Value>>,
    /// The record after: the parsed fields of a create, the labelled form of an update.
    pub after: &'a A,
}

impl<A: Serialize> Change<'_, A> {
    /// The audit action: "create" or "update".
    pub fn action(&self) -> &'static str {
        if self.before.is_some() {
            "update"
        } else {
            "create"
        }
    }
}

/// A form parsed, or every message beside its field.
pub type Parsed<T> = Result<T, FormErrors>;

/// What [`Editor::update`] answers (`Saved::written` for a guarded update).
pub type Written = AppResult<Saved<()>>;

/// What one record's form needs from its feature. Everything else is the kit's.
pub trait Editor: 'static {
    /// The record as loaded in scope, with its version.
    type Record: Clone + Send + 'static;
    /// The raw form as posted and as the page shows it.
    type Form: VersionedForm + TokenForm + DeserializeOwned + Send + 'static;
    /// The parsed form: what `insert` and `update` write (and a create's audit row keeps).
    type Fields: Serialize + Send + 'static;
    /// What the form offers (its choices), loaded with the record.
    type Data: Send + 'static;
    /// The form's page.
    type Page: askama::Template + StalePage;

    /// The audit log's name for the record (`audit::vocabulary`).
    const ENTITY: &'static str;
    /// Where the records live: a record's page is `{BASE}/{id}`.
    const BASE: &'static str;

    /// Who may open the blank form and create (403 otherwise).
    fn may_create(user: &CurrentUser) -> bool;
    /// Who may edit this record (403 otherwise).
    fn may_edit(user: &CurrentUser, record: &Self::Record) -> bool;
    /// The record in the user's scope (`AppError::NotFound` outside it).
    fn load(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Self::Record>;
    /// The form's choices.
    fn data(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Self::Data>;
    /// The record's version.
    fn version(record: &Self::Record) -> i32;
    /// The blank form with its presets (the kit sets its token).
    fn blank(on: &On<'_>, data: &Self::Data) -> Self::Form;
    /// The form as the record reads now.
    fn form_of(record: &Self::Record) -> Self::Form;
    /// The form parsed, or every message beside its field; `record` is the one edited.
    fn parse(
        form: &Self::Form,
        data: &Self::Data,
        on: &On<'_>,
        record: Option<&Self::Record>,
    ) -> Parsed<Self::Fields>;
    /// The form's fields as people read them: the 409 table and the audit's before/after.
    fn labelled(form: &Self::Form, data: &Self::Data) -> Labelled;
    /// The parsed record's (name, scope path), for its audit row.
    fn named(fields: &Self::Fields) -> (&str, &str);
    /// The form's page (the kit adds the 409 table).
    fn page(
        ctx: Ctx,
        form: Self::Form,
        errors: FormErrors,
        data: &Self::Data,
        record: Option<&Self::Record>,
    ) -> Self::Page;
    /// Inserts the record (and what comes with it); answers its id.
    fn insert(
        conn: &mut AnyConnection,
        fields: &Self::Fields,
        user: &CurrentUser,
    ) -> AppResult<i32>;
    /// Writes the change if the record still has version `seen` (`Saved::written`), with what
    /// follows from it; or refuses with a rule only the transaction can check.
    fn update(
        conn: &mut AnyConnection,
        before: &Self::Record,
        seen: i32,
        fields: &Self::Fields,
    ) -> Written;
    /// What a create's audit row keeps as "after" instead of the parsed fields (e.g. the labelled
    /// form, when the fields are ids).
    fn created_after(
        _form: &Self::Form,
        _data: &Self::Data,
    ) -> Option<serde_json::Map<String, serde_json::Value>> {
        None
    }
    /// Writes the audit row: `crate::audit::change(conn, change)`.
    fn audit<A: Serialize>(conn: &mut AnyConnection, change: &Change<'_, A>) -> AppResult<()>;
}

fn on<'a>(req: &'a HttpRequest, user: &'a CurrentUser, state: &AppState) -> On<'a> {
    On {
        user,
        today: state.today(),
        query: req.query_string(),
    }
}

async fn data<E: Editor>(state: &AppState, user: &CurrentUser) -> AppResult<E::Data> {
    if !E::may_create(user) {
        return Err(AppError::Forbidden);
    }
    let u = user.clone();
    db::run(&state.pool, move |conn| E::data(conn, &u)).await
}

/// GET `{BASE}/new`
pub async fn new_form<E: Editor>(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let d = data::<E>(&state, &user).await?;
    let mut form = E::blank(&on(&req, &user, &state), &d);
    form.set_form_token(random_token());
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&E::page(ctx, form, FormErrors::new(), &d, None))
}

/// POST `{BASE}` (or wherever the feature mounts it)
pub async fn create<E: Editor>(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<E::Form>,
) -> AppResult<HttpResponse> {
    let form = form.0;
    let d = data::<E>(&state, &user).await?;
    let fields = match E::parse(&form, &d, &on(&req, &user, &state), None) {
        Ok(f) => f,
        Err(e) => {
            let ctx = Ctx::build(&req, Some(user));
            return super::invalid(&E::page(ctx, form, e, &d, None));
        }
    };
    let labelled = E::created_after(&form, &d);
    let once = (form.form_token().to_string(), user.id);
    super::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let id = E::insert(conn, &fields, &user)?;
        let (name, scope) = E::named(&fields);
        let actor = user.actor();
        match &labelled {
            Some(l) => E::audit(conn, &change::<E, _>((&actor, id, name, scope, l), None)),
            None => E::audit(
                conn,
                &change::<E, _>((&actor, id, name, scope, &fields), None),
            ),
        }?;
        Ok(format!("{}/{id}", E::BASE))
    })
    .await
}

type Who<'a, A> = (&'a Actor, i32, &'a str, &'a str, &'a A);

fn change<'a, E: Editor, A: Serialize>(
    (actor, id, name, scope, after): Who<'a, A>,
    before: Option<&'a serde_json::Map<String, serde_json::Value>>,
) -> Change<'a, A> {
    Change {
        actor,
        entity: E::ENTITY,
        id,
        name,
        scope,
        before,
        after,
    }
}

/// The record if the user may edit it, with the form's data.
async fn load_for_edit<E: Editor>(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(E::Record, E::Data)> {
    let u = user.clone();
    let (r, d) = db::run(&state.pool, move |conn| {
        Ok((E::load(conn, &u, id)?, E::data(conn, &u)?))
    })
    .await?;
    if !E::may_edit(user, &r) {
        return Err(AppError::Forbidden);
    }
    Ok((r, d))
}

/// GET `{BASE}/{id}/edit`
pub async fn edit_form<E: Editor>(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (r, d) = load_for_edit::<E>(&state, &user, path.into_inner()).await?;
    let form = E::form_of(&r);
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&E::page(ctx, form, FormErrors::new(), &d, Some(&r)))
}

/// POST `{BASE}/{id}`
pub async fn update<E: Editor>(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<E::Form>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut form = form.0;
    let (r, d) = load_for_edit::<E>(&state, &user, id).await?;
    let ctx = || Ctx::build(&req, Some(user.clone()));
    let fields = match E::parse(&form, &d, &on(&req, &user, &state), Some(&r)) {
        Ok(f) => f,
        Err(e) => return super::invalid(&E::page(ctx(), form, e, &d, Some(&r))),
    };
    let before = labelled_json(&E::labelled(&E::form_of(&r), &d));
    let after = labelled_json(&E::labelled(&form, &d));
    let (u, seen, rec) = (user.clone(), form.seen_version(), r.clone());
    let saved = db::run_write(&state.pool, move |conn| {
        Ok(match E::update(conn, &rec, seen, &fields)? {
            Saved::Done => {
                let (name, scope) = E::named(&fields);
                let who = (&u.actor(), id, name, scope, &after);
                E::audit(conn, &change::<E, _>(who, Some(&before)))?;
                Saved::Done
            }
            Saved::Stale(()) => Saved::Stale(E::load(conn, &u, id)?),
            Saved::Refused(e) => Saved::Refused(e),
        })
    })
    .await?;
    let done = format!("{}/{id}", E::BASE);
    super::answer(&session, saved, ("flash.saved", &done), |latest, e| {
        let conflicts = latest.as_ref().map(|l| {
            let (mine, theirs) = (E::labelled(&form, &d), E::labelled(&E::form_of(l), &d));
            super::stale(&mut form, E::version(l), &mine, &theirs)
        });
        let mut page = E::page(ctx(), form, e, &d, Some(latest.as_ref().unwrap_or(&r)));
        page.set_conflicts(conflicts.unwrap_or_default());
        page
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_names_its_action_by_whether_it_has_a_before() {
        let actor = Actor::cli();
        let before = serde_json::Map::new();
        let mut c = Change {
            actor: &actor,
            entity: "x",
            id: 1,
            name: "n",
            scope: "/1/",
            before: None,
            after: &(),
        };
        assert_eq!(c.action(), "create");
        c.before = Some(&before);
        assert_eq!(c.action(), "update");
        assert!(matches!(Saved::written(true), Saved::Done));
        assert!(matches!(Saved::written(false), Saved::Stale(())));
    }
}
