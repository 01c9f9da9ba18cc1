//! The grid's base register (底数, issue 21): who lives where. Compounds (小区/楼院) in a grid with
//! their buildings (楼栋), property company and 楼长, and the four-item checklist of the
//! 三类楼院 work (灯亮、路平、水通、安全) with the day each was met; the households of a compound
//! and their persons (ID numbers checked, phones, 人户分离, care tags), moving out on a day, never
//! deleted, their ID numbers and phones masked for who may not read them. Everything is read
//! inside the user's scope (404 outside it); the grid's worker and the office staff over it
//! write (`domain::may_write`, 403 otherwise); every change is audited.
//!
//! One folder per sub-feature, each with the house shape; [`domain`] keeps the rules they share
//! (kinds, who may write, who reads personal data in full, the ID number's check).

pub mod compounds;
pub mod domain;
pub mod edits;
pub mod exports;
pub mod figures;
pub mod households;
pub mod import;

/// Every register route.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    compounds::routes(cfg);
    households::routes(cfg);
    edits::routes(cfg);
    exports::routes(cfg);
    import::routes(cfg);
}
