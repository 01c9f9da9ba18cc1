//! Schemes (考核方案) and their indicator trees.

pub mod handlers;
pub mod models;
