//! Percent-encoding of query-string values. It sits below `error.rs` (the login redirect carries
//! `next=`) and `web/` (links with filters), so neither has to import the other for it.

/// Percent-encodes a query-string value, keeping `/` readable so a `next=` path stays legible.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_paths_readable() {
        assert_eq!(encode("/org/3?x=a b"), "/org/3%3Fx%3Da%20b");
    }

    #[test]
    fn encodes_non_ascii_bytewise() {
        assert_eq!(encode("网"), "%E7%BD%91");
    }
}
