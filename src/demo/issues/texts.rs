//! The words of a generated issue: its address, and where it came from (the source mix).

use rand::Rng;
use rand::rngs::StdRng;

/// Where and what: a title and an address from the community and the category.
pub(super) fn place(rng: &mut StdRng, community: &str) -> String {
    let road = community
        .trim_end_matches("社区")
        .trim_end_matches('村')
        .chars()
        .take(4)
        .collect::<String>();
    let kind = ["路", "街", "巷", "小区"][rng.random_range(0..4)];
    format!("{road}{kind}{}号", rng.random_range(1..200))
}

pub(super) const SOURCES: [(&str, u32); 7] = [
    ("patrol", 55),
    ("visit", 15),
    ("resident", 12),
    ("hotline", 8),
    ("opinion_box", 3),
    ("inspection", 5),
    ("superior", 2),
];

pub(super) fn pick_source(rng: &mut StdRng) -> &'static str {
    let mut n = rng.random_range(0..100);
    for (s, w) in SOURCES {
        if n < w {
            return s;
        }
        n -= w;
    }
    "patrol"
}
