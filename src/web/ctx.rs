//! The page context every template gets as `ctx`: language, the logged-in user, the CSRF token,
//! flash messages, navigation (with the badges features register) and formatting helpers.

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::{NaiveDate, NaiveDateTime};
use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::current_user::CurrentUser;
use super::forms::{FieldError, FormErrors};
use super::i18n::{Lang, tr, tr_args};
use super::roles::Role;
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};

const FLASH_KEY: &str = "flash";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flash {
    /// "ok" or "warn": the CSS class.
    pub kind: String,
    /// Locale key.
    pub key: String,
    pub args: Vec<(String, String)>,
}

/// Queues a message for the next page the user sees (after a 303).
pub fn flash(session: &Session, kind: &str, key: &str, args: &[(&str, String)]) {
    let mut list: Vec<Flash> = session.get(FLASH_KEY).ok().flatten().unwrap_or_default();
    list.push(Flash {
        kind: kind.into(),
        key: key.into(),
        args: args
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    });
    let _ = session.insert(FLASH_KEY, list);
}

pub struct NavItem {
    pub href: &'static str,
    pub key: &'static str,
    pub active: bool,
    /// A count shown beside the entry (issues waiting for the user); 0 shows none.
    pub badge: i64,
}

/// A count shown beside a navigation entry (the issues' to-do count). The feature that owns the
/// entry registers it at start ([`register_badge`] in its routes), so the layout knows no feature.
///
/// `Ctx::build` is synchronous and runs after the handler's own database work, so it cannot
/// query; the count is read in the one blocking call that loads the session (`CurrentUser`'s
/// extractor runs whatever badge is registered, knowing nothing of it) and kept in the request's
/// extensions as [`NavBadges`]. Never read for a user who must change their password (no
/// navigation is shown then).
pub trait NavBadge: Send + Sync {
    /// The navigation entry the count is shown beside.
    fn href(&self) -> &'static str;
    fn count(&self, conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<i64>;
}

/// Registers a feature's navigation badge (one today: the issues' to-dos; a second would make
/// this a list).
pub fn register_badge(cfg: &mut web::ServiceConfig, badge: std::sync::Arc<dyn NavBadge>) {
    cfg.app_data(web::Data::from(badge));
}

/// The registered badge, if any.
pub(super) fn nav_badge(req: &HttpRequest) -> Option<std::sync::Arc<dyn NavBadge>> {
    req.app_data::<web::Data<dyn NavBadge>>()
        .map(|d| d.clone().into_inner())
}

/// This request's badge counts by navigation entry, kept in the request's extensions.
#[derive(Debug, Clone, Default)]
pub struct NavBadges(Vec<(&'static str, i64)>);

impl NavBadges {
    /// Reads the registered badge for `user` (on the blocking pool, with the session).
    pub(super) fn read(
        badge: Option<&dyn NavBadge>,
        conn: &mut AnyConnection,
        user: &CurrentUser,
    ) -> AppResult<NavBadges> {
        match badge {
            Some(b) if !user.must_change_password => {
                Ok(NavBadges(vec![(b.href(), b.count(conn, user)?)]))
            }
            _ => Ok(NavBadges::default()),
        }
    }

    /// The count beside `href`; 0 shows none.
    fn of(&self, href: &str) -> i64 {
        self.0
            .iter()
            .find(|(h, _)| *h == href)
            .map_or(0, |(_, n)| *n)
    }
}

/// Navigation by role: each feature adds its entry here, once.
fn nav_for(user: &CurrentUser, path: &str, badges: &NavBadges) -> Vec<NavItem> {
    let role = user.role;
    // A slice, not an array of a stated length: each feature adds its line without a count to bump.
    let items: &[(&'static str, &'static str, &[Role])] = &[
        ("/", "nav.home", &Role::ALL),
        ("/issues", "nav.issues", &Role::ALL),
        ("/patrols", "nav.patrols", &Role::ALL),
        (
            "/patrols/coverage",
            "nav.coverage",
            &[Role::Clerk, Role::Leader, Role::Admin],
        ),
        (
            "/meetings",
            "nav.meetings",
            &[
                Role::Clerk,
                Role::BranchSecretary,
                Role::Leader,
                Role::Admin,
            ],
        ),
        (
            "/meetings/week",
            "nav.meetings_week",
            &[Role::Clerk, Role::Leader, Role::Admin],
        ),
        (
            "/party",
            "nav.party",
            &[
                Role::Clerk,
                Role::BranchSecretary,
                Role::Leader,
                Role::Admin,
            ],
        ),
        (
            "/inspections",
            "inspect.nav",
            &[Role::Clerk, Role::Leader, Role::Admin],
        ),
        ("/inspections/notices", "notices.nav", &Role::ALL),
        (
            "/issues/figures",
            "nav.figures",
            &[Role::Clerk, Role::Leader, Role::Admin],
        ),
        (
            "/livelihood",
            "nav.livelihood",
            &[Role::Clerk, Role::Leader, Role::Admin],
        ),
        (
            "/projects",
            "projects.nav",
            &[Role::Clerk, Role::Leader, Role::Admin],
        ),
        (
            "/campaigns/demolition",
            "demolition.nav",
            &[Role::Clerk, Role::Leader, Role::Admin],
        ),
        (
            "/campaigns",
            "campaigns.nav",
            &[Role::GridWorker, Role::Clerk, Role::Leader, Role::Admin],
        ),
        ("/org", "nav.org", &Role::ALL),
        ("/assessment", "assess.nav", &Role::ALL),
        (
            "/register",
            "nav.register",
            &[Role::GridWorker, Role::Clerk, Role::Leader, Role::Admin],
        ),
        ("/users", "nav.users", &[Role::Admin]),
        ("/audit", "nav.audit", &[Role::Admin]),
        ("/calendar", "nav.calendar", &[Role::Admin]),
        ("/categories", "nav.categories", &[Role::Admin]),
    ];
    items
        .iter()
        .filter(|(_, _, roles)| roles.contains(&role))
        .map(|&(href, key, _)| NavItem {
            href,
            key,
            active: match href {
                "/" => path == "/",
                // The figures have their own entry.
                "/issues" => path.starts_with(href) && !path.starts_with("/issues/figures"),
                "/patrols" => path.starts_with(href) && !path.starts_with("/patrols/coverage"),
                "/meetings" => path.starts_with(href) && !path.starts_with("/meetings/week"),
                _ => path.starts_with(href),
            },
            badge: badges.of(href),
        })
        .collect()
}

pub struct Ctx {
    pub lang: Lang,
    pub user: Option<CurrentUser>,
    pub csrf: String,
    pub flashes: Vec<Flash>,
    pub nav: Vec<NavItem>,
    /// The current path with its query, for the language switcher's return.
    pub here: String,
    pub tz: chrono_tz::Tz,
}

impl Ctx {
    pub fn build(req: &HttpRequest, user: Option<CurrentUser>) -> Ctx {
        let session = req.get_session();
        let flashes: Vec<Flash> = session.get(FLASH_KEY).ok().flatten().unwrap_or_default();
        if !flashes.is_empty() {
            session.remove(FLASH_KEY);
        }
        let tz = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.tz)
            .unwrap_or(chrono_tz::Asia::Shanghai);
        let nav = match &user {
            Some(u) if !u.must_change_password => {
                let badges = req.extensions().get::<NavBadges>().cloned();
                nav_for(u, req.path(), &badges.unwrap_or_default())
            }
            _ => Vec::new(),
        };
        Ctx {
            lang: Lang::of(req),
            csrf: super::csrf::token(&session),
            flashes,
            nav,
            here: req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/")
                .to_string(),
            user,
            tz,
        }
    }

    /// Translates a locale key.
    pub fn t(&self, key: impl AsRef<str>) -> String {
        tr(self.lang, key.as_ref())
    }

    /// Stored text with its `⟦key⟧` markers in the reader's language ([`super::i18n::localize`]).
    pub fn stored(&self, text: &str) -> String {
        super::i18n::localize(self.lang, text)
    }

    /// Translates a key with `%{name}` arguments.
    pub fn ta(&self, key: &str, args: &[(&str, String)]) -> String {
        tr_args(self.lang, key, args)
    }

    /// Translates a key with one `%{name}` argument (templates cannot build slices).
    pub fn ta1(&self, key: &str, name: &str, value: impl ToString) -> String {
        tr_args(self.lang, key, &[(name, value.to_string())])
    }

    /// What a pager says: how many rows, which of them this page shows, the page.
    pub fn pager_summary(&self, p: &super::pagination::Pager) -> String {
        let Some(total) = p.total else {
            return tr_args(
                self.lang,
                "pager.page_only",
                &[("page", p.page.to_string())],
            );
        };
        let (first, last) = p.range();
        let key = match (first, p.at_least) {
            (0, _) => "pager.none",
            (_, true) => "pager.summary_more",
            _ => "pager.summary",
        };
        tr_args(
            self.lang,
            key,
            &[
                ("total", total.to_string()),
                ("first", first.to_string()),
                ("last", last.to_string()),
                ("page", p.page.to_string()),
                ("pages", p.pages().to_string()),
            ],
        )
    }

    /// Translates a field error.
    pub fn err(&self, e: &FieldError) -> String {
        let args: Vec<(&str, String)> = e.args.iter().map(|(k, v)| (*k, v.clone())).collect();
        tr_args(self.lang, e.key, &args)
    }

    pub fn flash_text(&self, f: &Flash) -> String {
        let args: Vec<(&str, String)> = f
            .args
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        tr_args(self.lang, &f.key, &args)
    }

    /// A UTC timestamp as local date and time.
    pub fn dt(&self, ts: &NaiveDateTime) -> String {
        self.local(ts).format("%Y-%m-%d %H:%M").to_string()
    }

    /// A UTC timestamp in the office's time zone.
    pub fn local(&self, ts: &NaiveDateTime) -> NaiveDateTime {
        ts.and_utc().with_timezone(&self.tz).naive_local()
    }

    pub fn dt_opt(&self, ts: &Option<NaiveDateTime>) -> String {
        ts.as_ref().map(|t| self.dt(t)).unwrap_or_default()
    }

    pub fn date(&self, d: &NaiveDate) -> String {
        d.format("%Y-%m-%d").to_string()
    }

    pub fn date_opt(&self, d: &Option<NaiveDate>) -> String {
        d.as_ref().map(|d| self.date(d)).unwrap_or_default()
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == Role::Admin)
    }

    /// True when the user may edit grid records (people, key sites, notices).
    pub fn can_edit_grids(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.can_edit_grids())
    }

    /// The URL of a static asset under its content hash (`ctx.asset("app.css")`).
    pub fn asset(&self, name: &str) -> String {
        super::static_files::url(name)
    }

    /// The URL of the reader's language's page-number stylesheet, linked for print
    /// ([`super::print`]).
    pub fn page_numbers_css(&self) -> String {
        super::static_files::url(super::print::stylesheet_name(self.lang))
    }

    /// Today in the configured time zone: the print frame's printing date.
    pub fn today(&self) -> String {
        self.date(&chrono::Utc::now().with_timezone(&self.tz).date_naive())
    }

    /// The period a printed list covers, from its date filter (raw `from` and `to`; one with a
    /// message in `errors` counts as unset, as the list leaves it open): "2026-01-01 至
    /// 2026-03-31", from a day to today, or "截至 <today>" without a start.
    pub fn print_period(&self, errors: &FormErrors, from: &str, to: &str) -> String {
        let set = |name: &str, v: &str| {
            (!errors.has(name) && !v.trim().is_empty()).then(|| v.trim().to_string())
        };
        let to = set("to", to).unwrap_or_else(|| self.today());
        match set("from", from) {
            Some(from) => tr_args(self.lang, "print.from_to", &[("from", from), ("to", to)]),
            None => tr_args(self.lang, "print.as_of", &[("day", to)]),
        }
    }

    pub fn other_langs(&self) -> Vec<Lang> {
        Lang::ALL.into_iter().filter(|l| *l != self.lang).collect()
    }
}

/// Extracts the context for a page that needs no login (login page, error pages). Pages behind
/// login build it with [`Ctx::build`] from their `CurrentUser`.
impl FromRequest for Ctx {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let user = CurrentUser::from_request(&req, payload);
        Box::pin(async move {
            let user = user.await.ok();
            Ok(Ctx::build(&req, user))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> CurrentUser {
        CurrentUser {
            id: 1,
            username: "wang".into(),
            display_name: "Wang".into(),
            role,
            org_unit_id: 1,
            org_name: "District".into(),
            org_path: "/1/".into(),
            must_change_password: false,
            session_hash: String::new(),
            ip: String::new(),
        }
    }

    #[test]
    fn a_badge_shows_beside_its_own_entry_only() {
        let badges = NavBadges(vec![("/issues", 4)]);
        let nav = nav_for(&user(Role::Admin), "/issues/figures", &badges);
        let badge = |href: &str| nav.iter().find(|i| i.href == href).map(|i| i.badge);
        assert_eq!(badge("/issues"), Some(4));
        assert_eq!(badge("/issues/figures"), Some(0));
        assert_eq!(badge("/"), Some(0));
        let active: Vec<&str> = nav.iter().filter(|i| i.active).map(|i| i.href).collect();
        assert_eq!(active, ["/issues/figures"]);
    }

    #[test]
    fn without_a_registered_badge_there_are_no_counts() {
        let nav = nav_for(&user(Role::GridWorker), "/", &NavBadges::default());
        assert!(nav.iter().all(|i| i.badge == 0));
        assert!(nav.iter().all(|i| i.href != "/users"));
    }
}
