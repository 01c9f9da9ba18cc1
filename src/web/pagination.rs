//! Page numbers for lists: `?page=N`, fixed page size, links that keep the other filters.
//! Lists of bounded size count their rows ("120 records, page 2 of 3"); logs that grow without
//! bound (the audit log) are open-ended: they fetch one row more than a page to know whether a
//! next page exists, since counting a year of a district's log on every view costs more than the
//! page itself.

pub const PER_PAGE: i64 = 50;

#[derive(Debug, Clone)]
pub struct Pager {
    pub page: i64,
    /// Rows in all; None for an open-ended list.
    pub total: Option<i64>,
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

    /// Drops the look-ahead row of an open-ended list, remembering that it was there.
    pub fn trim<T>(&mut self, rows: &mut Vec<T>) {
        if self.total.is_none() && rows.len() as i64 > self.per_page {
            rows.truncate(self.per_page as usize);
            self.more = true;
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    pub fn pages(&self) -> i64 {
        match self.total {
            Some(total) => ((total + self.per_page - 1) / self.per_page).max(1),
            None => self.page + i64::from(self.more),
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
            Some(_) => self.page < self.pages(),
            None => self.more,
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
    }
}
