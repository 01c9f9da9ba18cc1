//! The livelihood report (民生月报, issue 20): the indicators a street keeps (data, not code:
//! name, unit of count, summed over the year or a stock figure, the year's target, the
//! responsible office), the monthly entries per indicator (exact amounts; a correction is a new
//! entry with its reason, never an overwrite), months frozen (报送) by the street's clerk or
//! leader, and the monthly report with every indicator's month, cumulative figure, target,
//! completion rate and 时序进度 — all computed ([`domain`]), never typed — with its A4 print,
//! its .xlsx and a year view.

pub mod domain;
pub mod forms;
pub mod indicators;
pub mod models;
pub mod pages;
pub mod report;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    report::routes(cfg);
    indicators::routes(cfg);
}
