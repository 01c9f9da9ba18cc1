//! Gridwork (网格通): the intranet application a Chinese street office runs its grid-based
//! governance on. See README.md for use and ARCHITECTURE.md for how it fits together.

rust_i18n::i18n!("src/locales", fallback = "zh-CN");

pub mod assessment;
pub mod attendance;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod calendar;
pub mod campaigns;
pub mod categories;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod demolition;
pub mod error;
pub mod grids;
pub mod home;
pub mod inspections;
pub mod issues;
pub mod livelihood;
pub mod meetings;
pub mod org;
pub mod party;
pub mod patrols;
pub mod percent;
pub mod photos;
pub mod projects;
pub mod ratio;
pub mod register;
pub mod search;
pub mod startup;
pub mod storage;
pub mod users;
pub mod web;

#[cfg(test)]
mod proptests;
