//! Page numbers for lists: `?page=N`, fixed page size, links that keep the other filters.
//! Every pager says how many rows there are and which it shows ("共 120 条，第 51–100 条").
//! Lists of bounded size count their rows (users); the others are open-ended: they fetch one row
//! more than a page to know whether a next page exists, and count only when that row is there,
//! at most [`COUNT_MAX`] rows ("more than 1,000"): a year of a district's log or patrols costs
//! more to count than the page itself. On the last page the total is known without counting.

pub const PER_PAGE: i64 = 50;

/// Rows an open-ended list counts at most (or to the end of the page shown, if further); beyond
/// it the pager says "more than".
pub const COUNT_MAX: i64 = 1000;

#[derive(Debug, Clone)]
pub struct Pager {
    pub page: i64,
    /// Rows in all (a lower bound if `at_least`); None for an open-ended list not yet counted.
    pub total: Option<i64>,
    /// The list holds more than `total` rows (an open-ended count stopped at its cap).
    pub at_least: bool,
    /// Open-ended lists: whether a row beyond this page exists.
    pub more: bool,
    pub per_page: i64,
    /// The list's query string without `page`, for the links.
    pub base_query: String,
    pub path: String,
}

impl Pager {
    pub fn new(path: &str, page: Option<&str>, total: i64, base_query: String) -> Pager {
        let page = page.and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
        let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
        Pager {
            page: page.min(pages),
            total: Some(total),
            at_least: false,
            more: false,
            per_page: PER_PAGE,
            base_query,
            path: path.into(),
        }
    }

    /// An open-ended pager: fetch `per_page + 1` rows from `offset()`, then call
    /// [`Pager::trim`] with them.
    pub fn open_ended(path: &str, page: Option<&str>, base_query: String) -> Pager {
        let page = page
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
            .clamp(1, 100_000);
        Pager {
            page,
            total: None,
            at_least: false,
            more: false,
            per_page: PER_PAGE,
            base_query,
            path: path.into(),
        }
    }

    /// Rows to fetch: one more than a page for open-ended lists.
    pub fn fetch(&self) -> i64 {
        if self.total.is_some() {
            self.per_page
        } else {
            self.per_page + 1
        }
    }

    /// Drops the look-ahead row of an open-ended list, remembering that it was there. Without
    /// it this is the last page, and the total is known.
    pub fn trim<T>(&mut self, rows: &mut Vec<T>) {
        if self.total.is_some() {
            return;
        }
        if rows.len() as i64 > self.per_page {
            rows.truncate(self.per_page as usize);
            self.more = true;
        } else if !rows.is_empty() || self.page == 1 {
            self.total = Some(self.offset() + rows.len() as i64);
        }
    }

    /// The rows an open-ended list should count (with `LIMIT cap + 1`), or None when the
    /// total is already known (a counted list, or the last page).
    pub fn count_cap(&self) -> Option<i64> {
        self.total
            .is_none()
            .then(|| COUNT_MAX.max(self.offset() + self.per_page))
    }

    /// Records the count of an open-ended list, read with `LIMIT cap + 1` ([`Pager::count_cap`]):
    /// past the cap it is "more than cap".
    pub fn counted(&mut self, n: i64) {
        let Some(cap) = self.count_cap() else {
            return;
        };
        self.at_least = n > cap;
        self.total = Some(n.min(cap));
        if !self.at_least {
            self.more = self.page < self.pages();
        }
    }

    /// Trims the look-ahead row ([`Pager::trim`]) and, if the total is still unknown, counts
    /// with `count(cap)` (`LIMIT cap + 1`, [`Pager::counted`]): the one way a list page settles
    /// its pager, inside the db call that read its rows.
    pub fn settle<T, E>(
        &mut self,
        rows: &mut Vec<T>,
        count: impl FnOnce(i64) -> Result<i64, E>,
    ) -> Result<(), E> {
        self.trim(rows);
        if let Some(cap) = self.count_cap() {
            self.counted(count(cap)?);
        }
        Ok(())
    }

    /// The first and last row numbers this page shows (1-based; `(0, 0)` for none).
    pub fn range(&self) -> (i64, i64) {
        let last = match self.total {
            Some(t) if !self.at_least => t.min(self.offset() + self.per_page),
            _ => self.offset() + self.per_page,
        };
        if last <= self.offset() {
            (0, 0)
        } else {
            (self.offset() + 1, last)
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    pub fn pages(&self) -> i64 {
        match self.total {
            Some(total) if !self.at_least => ((total + self.per_page - 1) / self.per_page).max(1),
            _ => self.page + i64::from(self.more),
        }
    }

    pub fn href(&self, page: i64) -> String {
        if self.base_query.is_empty() {
            format!("{}?page={page}", self.path)
        } else {
            format!("{}?{}&page={page}", self.path, self.base_query)
        }
    }

    pub fn has_prev(&self) -> bool {
        self.page > 1
    }

    pub fn has_next(&self) -> bool {
        match self.total {
            Some(_) if !self.at_least => self.page < self.pages(),
            _ => self.more,
        }
    }

    /// The export link: the same filters, all rows.
    pub fn export_href(&self, export_path: &str) -> String {
        if self.base_query.is_empty() {
            export_path.to_string()
        } else {
            format!("{export_path}?{}", self.base_query)
        }
    }
}

/// Builds a query string from the non-empty filter values.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", super::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_clamped() {
        let p = Pager::new("/users", Some("99"), 120, "role=clerk".into());
        assert_eq!(p.page, 3);
        assert_eq!(p.offset(), 100);
        assert_eq!(p.href(2), "/users?role=clerk&page=2");
        let p = Pager::new("/users", Some("x"), 0, String::new());
        assert_eq!((p.page, p.pages()), (1, 1));
    }

    #[test]
    fn open_ended_pages_know_a_next_page_from_one_extra_row() {
        let mut p = Pager::open_ended("/audit", Some("3"), String::new());
        assert_eq!((p.offset(), p.fetch()), (100, 51));
        let mut rows: Vec<i32> = (0..51).collect();
        p.trim(&mut rows);
        assert_eq!(rows.len(), 50);
        assert!(p.has_next() && p.has_prev());
        let mut last = Pager::open_ended("/audit", Some("4"), String::new());
        let mut rows: Vec<i32> = (0..7).collect();
        last.trim(&mut rows);
        assert!(!last.has_next());
        assert_eq!((last.total, last.count_cap()), (Some(157), None));
        assert_eq!((last.range(), last.pages()), ((151, 157), 4));
    }

    #[test]
    fn open_ended_pages_count_up_to_a_cap() {
        let mut p = Pager::open_ended("/p", Some("2"), String::new());
        let mut rows: Vec<i32> = (0..51).collect();
        p.trim(&mut rows);
        assert_eq!(p.count_cap(), Some(COUNT_MAX));
        p.counted(120);
        assert_eq!(
            (p.total, p.at_least, p.pages(), p.range()),
            (Some(120), false, 3, (51, 100))
        );
        assert!(p.has_next() && p.count_cap().is_none());
        let mut big = Pager::open_ended("/p", Some("1"), String::new());
        big.trim(&mut (0..51).collect());
        big.counted(COUNT_MAX + 1);
        assert_eq!(
            (big.total, big.at_least, big.range()),
            (Some(COUNT_MAX), true, (1, 50))
        );
        assert!(big.has_next());
        // Past the end: nothing shown, counted to say how many there are.
        let mut past = Pager::open_ended("/p", Some("9"), String::new());
        past.trim(&mut Vec::<i32>::new());
        assert_eq!(past.count_cap(), Some(COUNT_MAX));
        past.counted(3);
        assert_eq!(
            (past.range(), past.has_next(), past.has_prev()),
            ((0, 0), false, true)
        );
        let mut empty = Pager::open_ended("/p", None, String::new());
        empty.trim(&mut Vec::<i32>::new());
        assert_eq!((empty.total, empty.range()), (Some(0), (0, 0)));
    }
}
