//! Grid responsible people and key sites. Callers have already loaded the grid through the
//! scoped query (`org::models::get_grid`); every query here is also keyed by that grid's id, so a
//! person or site id from another grid is simply not found.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::FirstRow;
use serde::Serialize;

use crate::db::schema::{grid_people, key_sites, users};
use crate::db::{AnyConnection, now};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = grid_people)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Person {
    pub id: i32,
    pub grid_id: i32,
    pub user_id: Option<i32>,
    pub name: String,
    pub duty: String,
    pub unit_name: String,
    pub phone: String,
    pub photo: Option<String>,
    pub service_items: String,
    pub duty_hours: String,
    pub sort_order: i32,
    pub version: i32,
    #[serde(skip)]
    pub created_at: NaiveDateTime,
    #[serde(skip)]
    pub updated_at: NaiveDateTime,
}

/// The fields a form sets; inserted and updated as one (`treat_none_as_null`: clearing the staff
/// account writes NULL).
#[derive(Debug, Clone, Serialize, Insertable, AsChangeset)]
#[diesel(table_name = grid_people, treat_none_as_null = true)]
pub struct PersonFields {
    pub user_id: Option<i32>,
    pub name: String,
    pub duty: String,
    pub unit_name: String,
    pub phone: String,
    pub service_items: String,
    pub duty_hours: String,
    pub sort_order: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = key_sites)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Site {
    pub id: i32,
    pub grid_id: i32,
    pub name: String,
    pub kind: String,
    pub address: String,
    pub patrol_days: i32,
    pub notes: String,
    pub active: bool,
    pub version: i32,
    #[serde(skip)]
    pub created_at: NaiveDateTime,
    #[serde(skip)]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, Insertable, AsChangeset)]
#[diesel(table_name = key_sites)]
pub struct SiteFields {
    pub name: String,
    pub kind: String,
    pub address: String,
    pub patrol_days: i32,
    pub notes: String,
    pub active: bool,
}

/// Duty order on the notice: leader first, then workers, cadres, partner units.
fn duty_rank(duty: &str) -> i32 {
    crate::org::domain::DUTIES
        .iter()
        .position(|d| *d == duty)
        .unwrap_or(9) as i32
}

pub fn people(conn: &mut AnyConnection, grid_id: i32) -> AppResult<Vec<Person>> {
    let mut list: Vec<Person> = grid_people::table
        .filter(grid_people::grid_id.eq(grid_id))
        .select(Person::as_select())
        .load(conn)?;
    list.sort_by_key(|p| (duty_rank(&p.duty), p.sort_order, p.id));
    Ok(list)
}

/// A record of a grid (its people, its key sites): the row in the grid, the insert and the
/// versioned update, the same SQL on each table.
macro_rules! grid_record_sql {
    ($table:ident, $row:ty, $fields:ty, $get:ident, $create:ident, $update:ident) => {
        pub fn $get(conn: &mut AnyConnection, grid_id: i32, id: i32) -> AppResult<$row> {
            Ok($table::table
                .find(id)
                .filter($table::grid_id.eq(grid_id))
                .select(<$row>::as_select())
                .first_row(conn)?)
        }

        pub fn $create(conn: &mut AnyConnection, grid_id: i32, f: &$fields) -> AppResult<i32> {
            let t = now();
            Ok(diesel::insert_into($table::table)
                .values((
                    f,
                    $table::grid_id.eq(grid_id),
                    $table::created_at.eq(t),
                    $table::updated_at.eq(t),
                ))
                .returning($table::id)
                .get_result(conn)?)
        }

        /// False when the row is not at `version` any more (someone saved first).
        pub fn $update(
            conn: &mut AnyConnection,
            grid_id: i32,
            id: i32,
            version: i32,
            f: &$fields,
        ) -> AppResult<bool> {
            let n = diesel::update(
                $table::table
                    .find(id)
                    .filter($table::grid_id.eq(grid_id))
                    .filter($table::version.eq(version)),
            )
            .set((
                f,
                $table::version.eq(version + 1),
                $table::updated_at.eq(now()),
            ))
            .execute(conn)?;
            Ok(n == 1)
        }
    };
}

grid_record_sql!(
    grid_people,
    Person,
    PersonFields,
    person,
    create_person,
    update_person
);

pub fn set_photo(
    conn: &mut AnyConnection,
    grid_id: i32,
    id: i32,
    key: Option<&str>,
) -> AppResult<()> {
    diesel::update(
        grid_people::table
            .find(id)
            .filter(grid_people::grid_id.eq(grid_id)),
    )
    .set((
        grid_people::photo.eq(key),
        grid_people::version.eq(grid_people::version + 1),
        grid_people::updated_at.eq(now()),
    ))
    .execute(conn)?;
    Ok(())
}

pub fn delete_person(conn: &mut AnyConnection, grid_id: i32, id: i32) -> AppResult<()> {
    diesel::delete(
        grid_people::table
            .find(id)
            .filter(grid_people::grid_id.eq(grid_id)),
    )
    .execute(conn)?;
    Ok(())
}

/// A staff account that may be named as one of a grid's responsible people.
#[derive(Debug, Clone, Queryable)]
pub struct Staff {
    pub id: i32,
    pub display_name: String,
    pub phone: String,
}

/// Staff accounts that can be named as responsible people of a grid: active users whose org unit
/// is the grid or one of its ancestors (the community's and street's staff sent down).
pub fn staff_options(conn: &mut AnyConnection, ancestor_ids: &[i32]) -> AppResult<Vec<Staff>> {
    Ok(users::table
        .filter(users::org_unit_id.eq_any(ancestor_ids))
        .filter(users::active.eq(true))
        .order(users::display_name)
        .select((users::id, users::display_name, users::phone))
        .load(conn)?)
}

pub fn sites(conn: &mut AnyConnection, grid_id: i32) -> AppResult<Vec<Site>> {
    Ok(key_sites::table
        .filter(key_sites::grid_id.eq(grid_id))
        .order((
            key_sites::active.desc(),
            key_sites::patrol_days,
            key_sites::id,
        ))
        .select(Site::as_select())
        .load(conn)?)
}

grid_record_sql!(key_sites, Site, SiteFields, site, create_site, update_site);
