//! Breadcrumbs: where a page sits (street › community › grid, or 党建 › branch), drawn by the
//! one macro `pg::crumbs` (templates/_macros/page.html). A step the user may open is a link; a
//! step they may not (a unit above their scope) is plain text. The page itself is its heading,
//! not a step. Units' trails come from `org::crumbs_for` / `crumbs_from` / `crumbs_along`.

/// One step of a trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crumb {
    pub label: String,
    pub href: Option<String>,
}

impl Crumb {
    pub fn link(label: impl Into<String>, href: impl Into<String>) -> Crumb {
        Crumb {
            label: label.into(),
            href: Some(href.into()),
        }
    }

    pub fn text(label: impl Into<String>) -> Crumb {
        Crumb {
            label: label.into(),
            href: None,
        }
    }
}
