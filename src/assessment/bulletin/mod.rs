//! The export and the printed bulletin (考核通报) of a month.

pub mod handlers;
