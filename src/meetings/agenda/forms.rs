//! The agenda's forms: a line added (an issue by its number, or a free topic) and a line moved.

use serde::{Deserialize, Serialize};

/// A free topic (or an issue by number) added to the agenda.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AddForm {
    /// An issue's number (e.g. LSZ-2026-000123) to add from the register …
    pub number: String,
    /// … or a free topic's title.
    pub topic: String,
    pub version: String,
    /// A free topic has no number to be refused twice: this makes a double click add it once.
    pub form_token: String,
}

/// A line's move: up, down, remove (kept aside) or restore.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MoveForm {
    pub op: String,
}

/// What a move does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Up,
    Down,
    Remove,
    Restore,
}

impl MoveForm {
    pub fn op(&self) -> Option<Op> {
        match self.op.as_str() {
            "up" => Some(Op::Up),
            "down" => Some(Op::Down),
            "remove" => Some(Op::Remove),
            "restore" => Some(Op::Restore),
            _ => None,
        }
    }
}
