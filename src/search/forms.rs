//! The search box's query string.

use serde::Deserialize;

/// Shorter terms find too much to be of use (and one character is no trigram).
pub const MIN_CHARS: usize = 2;
/// As the issue list's text filter: longer terms are cut.
pub const MAX_CHARS: usize = 50;

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
}

impl SearchQuery {
    /// The term, trimmed and cut at `MAX_CHARS`; `None` when it is shorter than `MIN_CHARS`.
    pub fn term(&self) -> Option<String> {
        let term: String = self.q.trim().chars().take(MAX_CHARS).collect();
        (term.chars().count() >= MIN_CHARS).then_some(term)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(q: &str) -> Option<String> {
        SearchQuery { q: q.into() }.term()
    }

    #[test]
    fn a_term_is_trimmed_cut_and_at_least_two_characters() {
        assert_eq!(term("  "), None);
        assert_eq!(term(" 张 "), None);
        assert_eq!(term(" 张三 ").as_deref(), Some("张三"));
        assert_eq!(
            term(&"路".repeat(60)).map(|t| t.chars().count()),
            Some(MAX_CHARS)
        );
    }
}
