//! Party building (党建, SPEC §7): the branches under the street's party working committee
//! (community, village, non-public-enterprise and agency branches) with their secretaries,
//! first secretaries and demonstration-site status, and their members; the branches' activity
//! records (三会一课, themed days, study, volunteer service, visits, pairing assistance) with
//! attendance, photos and the grids and issues they served; pairings with households in need
//! (recorded, edited, ended and kept); the opinion box (党情民意箱) handing opinions to the
//! Issues feature; the party summary and a branch's yearly ledger (台账).
//!
//! One folder per sub-feature, each with the house shape (`handlers`, `forms`, `models` with all
//! its SQL, `pages`, `domain` where there are rules); [`domain`] keeps the rules they share.

pub mod activities;
pub mod branches;
pub mod domain;
pub mod ledger;
pub mod members;
pub mod opinions;
pub mod pairings;
pub mod summary;

/// Every party route. The sub-features register their named paths (`new`, `export.xlsx`) before
/// their `{id}` paths, so the order here does not matter.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig, once: &crate::web::singletons::Singletons) {
    branches::routes(cfg);
    members::routes(cfg);
    activities::routes(cfg);
    pairings::routes(cfg);
    opinions::routes(cfg);
    summary::routes(cfg, once);
    ledger::routes(cfg);
}
