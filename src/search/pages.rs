//! The search page and the rows it shows: every hit a link the user may open.

use askama::Template;
use askama_web::WebTemplate;

use super::models::{Found, Group};
use crate::auth::{CurrentUser, Role};
use crate::percent;
use crate::web::ctx::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "search/show.html")]
pub struct SearchPage {
    pub ctx: Ctx,
    /// The term as typed (the box shows it again).
    pub q: String,
    /// Why nothing was searched (a locale key): an empty or too short term.
    pub message: Option<&'static str>,
    pub groups: Vec<HitGroup>,
}

impl SearchPage {
    pub fn found_nothing(&self) -> bool {
        self.message.is_none() && self.groups.iter().all(|g| g.hits.is_empty())
    }
}

/// One kind's hits under its heading, with the filtered list's link when there are more.
pub struct HitGroup {
    /// The heading's locale key.
    pub title: &'static str,
    pub hits: Vec<Hit>,
    /// More than shown: the list that has them all (`None`: no list; refine the term).
    pub more: Option<Option<String>>,
    /// Why the kind was not searched (a locale key).
    pub note: Option<&'static str>,
}

pub struct Hit {
    pub href: String,
    pub label: String,
    /// What the hit is (the issue's number, the person's role, the unit's kind), then where.
    pub detail: String,
}

fn group<T>(
    title: &'static str,
    g: Group<T>,
    more_href: Option<String>,
    hit: impl Fn(T) -> Hit,
) -> HitGroup {
    HitGroup {
        title,
        more: g.more.then_some(more_href),
        hits: g.rows.into_iter().map(hit).collect(),
        note: None,
    }
}

/// The groups of `found`, issues first.
pub fn groups(ctx: &Ctx, user: &CurrentUser, term: &str, found: Found) -> Vec<HitGroup> {
    let q = percent::encode(term);
    let issues = found.issues.map(|issues| {
        group(
            "search.issues",
            issues,
            Some(format!("/issues?q={q}")),
            |r| Hit {
                href: format!("/issues/{}", r.id),
                label: r.title,
                detail: format!(
                    "{} · {} · {}",
                    r.number,
                    ctx.t(format!("issue_state.{}", r.state)),
                    r.address
                ),
            },
        )
    });
    let issues = issues.unwrap_or(HitGroup {
        title: "search.issues",
        hits: Vec::new(),
        more: None,
        note: Some("search.issues_short"),
    });
    // Only an admin has the account list; others open the person's unit.
    let admin = user.role.is_admin();
    let people = group(
        "search.people",
        found.people,
        admin.then(|| format!("/users?q={q}")),
        |a| Hit {
            href: if admin {
                format!("/users/{}/edit", a.id)
            } else {
                format!("/org/{}", a.org_unit_id)
            },
            label: a.display_name,
            detail: format!(
                "{} · {}",
                Role::parse(&a.role).map_or(a.role, |r| ctx.t(r.label_key())),
                a.org_name
            ),
        },
    );
    let units = group(
        "search.units",
        found.units,
        Some(format!("/org?q={q}")),
        |u| Hit {
            href: format!("/org/{}", u.id),
            detail: ctx.t(u.kind().label_key()),
            label: u.name,
        },
    );
    vec![issues, people, units]
}
