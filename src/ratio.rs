//! Rates and percentages computed from their counts. Every percentage Gridwork shows is derived
//! here from a numerator and a denominator, never typed in: the seed report calls 2,602 of a
//! 2,580 target "108 %" when it is 100.9 %. (`crate::percent` is URL encoding, not this.)

/// A rate with its numerator and denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rate {
    pub num: i64,
    pub den: i64,
}

impl Rate {
    pub fn new(num: i64, den: i64) -> Rate {
        Rate { num, den }
    }

    /// The percentage, or None when the denominator is 0.
    pub fn percent(&self) -> Option<f64> {
        (self.den > 0).then(|| self.num as f64 * 100.0 / self.den as f64)
    }

    /// "99.2%" or "—".
    pub fn display(&self) -> String {
        percent_display(self.percent())
    }

    /// Percentage points this rate lies above (positive) or below `other`; None when either has
    /// no denominator.
    pub fn points_over(&self, other: &Rate) -> Option<f64> {
        Some(self.percent()? - other.percent()?)
    }
}

/// A percentage of two decimal amounts (money in 万元, areas in m²): None when `den` is not
/// positive.
pub fn percent_of(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num * 100.0 / den)
}

/// "100.9%" or "—", one decimal, as every page and printout writes a percentage.
pub fn percent_display(p: Option<f64>) -> String {
    match p {
        Some(p) => format!("{p:.1}%"),
        None => "—".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_reports_108_percent_where_it_is_100_9() {
        assert_eq!(Rate::new(2602, 2580).display(), "100.9%");
        assert_eq!(Rate::new(1, 0).display(), "—");
        assert_eq!(percent_display(percent_of(50.01, 0.0)), "—");
        assert_eq!(percent_display(percent_of(1.0, 3.0)), "33.3%");
    }

    #[test]
    fn points_over_compares_two_rates() {
        let p = Rate::new(3, 4).points_over(&Rate::new(1, 2)).unwrap();
        assert!((p - 25.0).abs() < 1e-9);
        assert_eq!(Rate::new(3, 4).points_over(&Rate::new(1, 0)), None);
    }
}
