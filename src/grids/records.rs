//! The one shape of a grid's record forms. A responsible person and a key site are added and
//! edited through the same four handlers (`handlers::{new_form, create, edit_form, update}`);
//! [`GridRecord`] fills them in with each record's queries, form and page.

use askama::Template;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::forms::{PersonForm, SiteForm};
use super::models::{self, Person, Site, Staff};
use super::pages::{PersonFormPage, SiteFormPage};
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::org::domain::{DUTIES, PATROL_INTERVALS, SITE_KINDS};
use crate::org::models::{self as org_models, OrgUnit};
use crate::web::AppState;
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::edit::{Labelled, VersionedForm};
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// What a record's form page is built from: the grid (in scope), its breadcrumbs, what the form
/// offers to choose from, and the record when editing.
pub struct FormData<R: GridRecord> {
    pub grid: OrgUnit,
    pub crumbs: Vec<Crumb>,
    pub choices: R::Choices,
    pub row: Option<R::Row>,
}

/// A kind of record that belongs to one grid and is kept through a versioned form.
pub trait GridRecord: Sized + 'static {
    /// The audit log's entity name.
    const ENTITY: &'static str;
    /// The stored record, as loaded (and written to the audit log).
    type Row: Serialize + Send + 'static;
    /// The raw form (all strings).
    type Form: VersionedForm + DeserializeOwned + Send + 'static;
    /// The validated fields a create or update writes.
    type Fields: Serialize + Send + 'static;
    /// What the form offers to choose from beyond fixed lists.
    type Choices: Send + 'static;
    type Page: Template + crate::web::edit::StalePage;

    fn choices(conn: &mut AnyConnection, grid: &OrgUnit) -> AppResult<Self::Choices>;
    fn get(conn: &mut AnyConnection, grid_id: i32, id: i32) -> AppResult<Self::Row>;
    fn insert(conn: &mut AnyConnection, grid_id: i32, f: &Self::Fields) -> AppResult<i32>;
    /// `Ok(false)` when `version` is no longer current (someone saved first).
    fn update(
        conn: &mut AnyConnection,
        grid_id: i32,
        id: i32,
        version: i32,
        f: &Self::Fields,
    ) -> AppResult<bool>;
    /// Keeps the grid's figures after a create or update (see `org::models::refresh_counts`).
    fn touched(_conn: &mut AnyConnection, _grid_id: i32) -> AppResult<()> {
        Ok(())
    }

    /// The new-record form, with its one-time token.
    fn blank() -> Self::Form;
    fn form_of(row: &Self::Row) -> Self::Form;
    fn parse(form: &Self::Form, choices: &Self::Choices) -> Result<Self::Fields, FormErrors>;
    /// The fields a stale edit compares, labelled.
    fn labelled(form: &Self::Form) -> Labelled;
    fn form_token(form: &Self::Form) -> &str;

    /// The audit summary of a record.
    fn name_of(fields: &Self::Fields) -> &str;
    fn row_name(row: &Self::Row) -> &str;
    fn row_version(row: &Self::Row) -> i32;

    fn page(
        ctx: Ctx,
        state: &AppState,
        data: FormData<Self>,
        form: Self::Form,
        errors: FormErrors,
        conflicts: Vec<ConflictRow>,
    ) -> Self::Page;
}

/// The grid (in scope), its crumbs, the form's choices and, given an id, the record.
pub fn form_data<R: GridRecord>(
    conn: &mut AnyConnection,
    user: &crate::auth::CurrentUser,
    grid_id: i32,
    id: Option<i32>,
) -> AppResult<FormData<R>> {
    let grid = org_models::get_grid(conn, user, grid_id)?;
    let crumbs = crate::org::crumbs_for(conn, user, &grid.path)?;
    let choices = R::choices(conn, &grid)?;
    let row = id.map(|id| R::get(conn, grid.id, id)).transpose()?;
    Ok(FormData {
        grid,
        crumbs,
        choices,
        row,
    })
}

fn choices<T: std::fmt::Display>(ctx: &Ctx, codes: &[T], prefix: &str) -> Vec<Choice> {
    codes
        .iter()
        .map(|c| Choice::new(c, ctx.t(format!("{prefix}.{c}"))))
        .collect()
}

impl GridRecord for Person {
    const ENTITY: &'static str = "grid_person";
    type Row = Person;
    type Form = PersonForm;
    type Fields = models::PersonFields;
    type Choices = Vec<Staff>;
    type Page = PersonFormPage;

    fn choices(conn: &mut AnyConnection, grid: &OrgUnit) -> AppResult<Vec<Staff>> {
        models::staff_options(conn, &grid.ancestor_ids())
    }
    fn get(conn: &mut AnyConnection, grid_id: i32, id: i32) -> AppResult<Person> {
        models::person(conn, grid_id, id)
    }
    fn insert(conn: &mut AnyConnection, grid_id: i32, f: &Self::Fields) -> AppResult<i32> {
        models::create_person(conn, grid_id, f)
    }
    fn update(
        conn: &mut AnyConnection,
        grid_id: i32,
        id: i32,
        version: i32,
        f: &Self::Fields,
    ) -> AppResult<bool> {
        models::update_person(conn, grid_id, id, version, f)
    }

    fn blank() -> PersonForm {
        PersonForm {
            duty: "grid_worker".into(),
            form_token: crate::web::csrf::random_token(),
            ..Default::default()
        }
    }
    fn form_of(row: &Person) -> PersonForm {
        PersonForm::from_person(row)
    }
    fn parse(form: &PersonForm, staff: &Vec<Staff>) -> Result<Self::Fields, FormErrors> {
        form.parse(staff)
    }
    fn labelled(form: &PersonForm) -> Labelled {
        form.labelled()
    }
    fn form_token(form: &PersonForm) -> &str {
        &form.form_token
    }

    fn name_of(fields: &Self::Fields) -> &str {
        &fields.name
    }
    fn row_name(row: &Person) -> &str {
        &row.name
    }
    fn row_version(row: &Person) -> i32 {
        row.version
    }

    fn page(
        ctx: Ctx,
        state: &AppState,
        data: FormData<Self>,
        form: PersonForm,
        errors: FormErrors,
        conflicts: Vec<ConflictRow>,
    ) -> PersonFormPage {
        PersonFormPage {
            duties: choices(&ctx, &DUTIES, "duty"),
            staff: data
                .choices
                .iter()
                .map(|s| Choice::new(s.id, &s.display_name))
                .collect(),
            ctx,
            grid: data.grid,
            crumbs: data.crumbs,
            person: data.row,
            form,
            errors,
            conflicts,
            photo_error: None,
            upload_max_mib: state.settings.upload_max_bytes / (1024 * 1024),
        }
    }
}

impl GridRecord for Site {
    const ENTITY: &'static str = "key_site";
    type Row = Site;
    type Form = SiteForm;
    type Fields = models::SiteFields;
    type Choices = ();
    type Page = SiteFormPage;

    fn choices(_conn: &mut AnyConnection, _grid: &OrgUnit) -> AppResult<()> {
        Ok(())
    }
    fn get(conn: &mut AnyConnection, grid_id: i32, id: i32) -> AppResult<Site> {
        models::site(conn, grid_id, id)
    }
    fn insert(conn: &mut AnyConnection, grid_id: i32, f: &Self::Fields) -> AppResult<i32> {
        models::create_site(conn, grid_id, f)
    }
    fn update(
        conn: &mut AnyConnection,
        grid_id: i32,
        id: i32,
        version: i32,
        f: &Self::Fields,
    ) -> AppResult<bool> {
        models::update_site(conn, grid_id, id, version, f)
    }
    /// The grid's kept count of active key sites.
    fn touched(conn: &mut AnyConnection, grid_id: i32) -> AppResult<()> {
        org_models::refresh_counts(conn, &[grid_id])
    }

    fn blank() -> SiteForm {
        SiteForm {
            patrol_days: "7".into(),
            active: "on".into(),
            form_token: crate::web::csrf::random_token(),
            ..Default::default()
        }
    }
    fn form_of(row: &Site) -> SiteForm {
        SiteForm::from_site(row)
    }
    fn parse(form: &SiteForm, _: &()) -> Result<Self::Fields, FormErrors> {
        form.parse()
    }
    fn labelled(form: &SiteForm) -> Labelled {
        form.labelled()
    }
    fn form_token(form: &SiteForm) -> &str {
        &form.form_token
    }

    fn name_of(fields: &Self::Fields) -> &str {
        &fields.name
    }
    fn row_name(row: &Site) -> &str {
        &row.name
    }
    fn row_version(row: &Site) -> i32 {
        row.version
    }

    fn page(
        ctx: Ctx,
        _state: &AppState,
        data: FormData<Self>,
        form: SiteForm,
        errors: FormErrors,
        conflicts: Vec<ConflictRow>,
    ) -> SiteFormPage {
        SiteFormPage {
            kinds: choices(&ctx, &SITE_KINDS, "site_kind"),
            intervals: choices(&ctx, &PATROL_INTERVALS, "interval"),
            ctx,
            grid: data.grid,
            crumbs: data.crumbs,
            site_id: data.row.map(|s| s.id),
            form,
            errors,
            conflicts,
        }
    }
}
