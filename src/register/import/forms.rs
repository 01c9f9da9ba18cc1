//! The commit form: all or nothing, or the correct rows only, with the batch's version.

use serde::{Deserialize, Serialize};

/// How a batch is committed.
pub const MODES: [&str; 2] = ["all", "valid"];

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CommitForm {
    pub mode: String,
    pub version: String,
}

impl CommitForm {
    /// The mode chosen; all or nothing unless the correct rows only were chosen explicitly.
    pub fn mode(&self) -> &'static str {
        if self.mode.trim() == "valid" {
            "valid"
        } else {
            "all"
        }
    }
}
