//! The register's figures for the leader's cockpit (issue 21): households and persons living in
//! the user's scope, persons by care tag, persons moved out this month. One query module read by
//! `home::cockpit::models::register`; the tile links to the register's list.

pub mod models;
