//! GET /register/export/households.xlsx and /register/export/persons.xlsx (`?compound=ID` for one
//! compound): each line masked as the pages mask it for this user, and the export audited.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::models::{self, Bundle};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::register::compounds::models as compounds;
use crate::register::domain;
use crate::register::households::models::Household;
use crate::register::households::pages::PersonView;
use crate::web::AppState;
use crate::web::ctx::Ctx;
use crate::web::list::EXPORT_MAX;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ExportQuery {
    pub compound: String,
}

/// The bundle of the export, the compound checked in scope (404 outside), and the audit row.
async fn read(
    state: &AppState,
    user: &CurrentUser,
    q: &ExportQuery,
    what: &'static str,
) -> AppResult<Bundle> {
    let u = user.clone();
    let compound = q.compound.trim().parse::<i32>().ok();
    db::run_write(&state.pool, move |conn| {
        if let Some(id) = compound {
            compounds::get_scoped(conn, &u, id)?;
        }
        let b = models::bundle(conn, &u, compound, EXPORT_MAX)?;
        let n: usize = b.persons.values().map(Vec::len).sum();
        let summary = format!("{what}: {} / {n}", b.households.len());
        crate::audit::record(
            conn,
            &u.actor(),
            "export_personal",
            "register_person",
            None,
            &summary,
            None::<&()>,
            None::<&()>,
            &u.org_path,
        )?;
        Ok(b)
    })
    .await
}

fn place(b: &Bundle, h: &Household) -> (String, String) {
    let building = h
        .building_id
        .and_then(|id| b.buildings.get(&id).cloned())
        .unwrap_or_default();
    (
        b.compounds.get(&h.compound_id).cloned().unwrap_or_default(),
        building,
    )
}

/// GET /register/export/households.xlsx — one line per household, its householder masked as on
/// the household's page.
pub async fn households(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ExportQuery>,
) -> AppResult<HttpResponse> {
    let b = read(&state, &user, &q, "households").await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let rows: Vec<Vec<String>> = b
        .households
        .iter()
        .map(|h| {
            let (compound, building) = place(&b, h);
            let persons = b.persons.get(&h.id).map(Vec::as_slice).unwrap_or_default();
            let full = domain::sees_personal(&user, &h.scope_path);
            let head = persons
                .iter()
                .find(|p| p.relation == "householder")
                .or(persons.first())
                .map(|p| PersonView::of(&ctx, p, full));
            let living = persons.iter().filter(|p| p.moved_out.is_none()).count();
            vec![
                compound,
                building,
                h.unit_no.clone(),
                h.room.clone(),
                head.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
                head.as_ref()
                    .map(|p| p.id_number.clone())
                    .unwrap_or_default(),
                head.as_ref().map(|p| p.phone.clone()).unwrap_or_default(),
                living.to_string(),
                ctx.date_opt(&h.moved_in),
                ctx.date_opt(&h.moved_out),
            ]
        })
        .collect();
    crate::web::xlsx::respond(
        &ctx,
        "register-households.xlsx",
        "households",
        &[
            "register.compound",
            "register.building",
            "register.unit_no",
            "register.room",
            "regimport.householder",
            "register.id_number",
            "register.phone",
            "regimport.living",
            "register.moved_in",
            "register.moved_out",
        ],
        &rows,
    )
}

/// GET /register/export/persons.xlsx — one line per person, masked as on the person's page.
pub async fn persons(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ExportQuery>,
) -> AppResult<HttpResponse> {
    let b = read(&state, &user, &q, "persons").await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let mut rows: Vec<Vec<String>> = Vec::new();
    for h in &b.households {
        let (compound, building) = place(&b, h);
        let full = domain::sees_personal(&user, &h.scope_path);
        for p in b.persons.get(&h.id).map(Vec::as_slice).unwrap_or_default() {
            let v = PersonView::of(&ctx, p, full);
            let separated = if v.separated {
                ctx.t("register.separated")
            } else {
                String::new()
            };
            rows.push(vec![
                compound.clone(),
                building.clone(),
                h.unit_no.clone(),
                h.room.clone(),
                v.name,
                v.relation,
                v.sex,
                v.id_number,
                v.phone,
                v.birth_date,
                v.registered_address,
                separated,
                v.tags.join("、"),
                v.moved_in,
                v.moved_out,
            ]);
        }
    }
    crate::web::xlsx::respond(
        &ctx,
        "register-persons.xlsx",
        "persons",
        &[
            "register.compound",
            "register.building",
            "register.unit_no",
            "register.room",
            "register.name",
            "register.relation_label",
            "register.sex_label",
            "register.id_number",
            "register.phone",
            "register.birth_date",
            "register.registered_address",
            "register.separated",
            "register.tags",
            "register.moved_in",
            "register.moved_out",
        ],
        &rows,
    )
}
