//! Page numbers for lists: `?page=N`, fixed page size, links that keep the other filters.

use serde::Deserialize;

pub const PER_PAGE: i64 = 50;

#[derive(Debug, Clone)]
pub struct Pager {
    pub page: i64,
    pub total: i64,
    pub per_page: i64,
    /// The list's query string without `page`, for the links.
    pub base_query: String,
    pub path: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct PageParam {
    pub page: Option<String>,
}

impl Pager {
    pub fn new(path: &str, page: Option<&str>, total: i64, base_query: String) -> Pager {
        let page = page.and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
        let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
        Pager {
            page: page.min(pages),
            total,
            per_page: PER_PAGE,
            base_query,
            path: path.into(),
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
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
        self.page < self.pages()
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
}
