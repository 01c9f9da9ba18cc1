//! Supervision inspections (定期督查, issue 18): a street or the district plans rounds
//! (督查计划) over the units of its own scope, with a checklist, open or unannounced
//! (明查/暗访), planned dates and inspectors.
//!
//! One folder per sub-feature with the house shape; [`domain`] keeps the rules they share.

pub mod domain;
pub mod notices;
pub mod rounds;
pub mod visits;

/// Every inspection route. The sub-features mount their named paths (`new`, `export.xlsx`)
/// before their `{id}` paths.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    notices::routes(cfg);
    rounds::routes(cfg);
    visits::routes(cfg);
}
