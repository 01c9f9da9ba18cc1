//! The list kit: what every filtered list with an .xlsx export shares, written once.
//!
//! - A list's query type implements [`ListParams`] (its filters by name, its page): the pager
//!   (open-ended, see `web::pagination`) and the base query string for the pager's and the
//!   export's links come from it.
//! - The period (`from`, `to`) is read by [`period`] with one policy: a bad date, or an end
//!   before the start, is a message beside its field; the list still shows (without that bound).
//! - The unit filter is resolved in the user's scope by `org::models::unit_filter` (404 outside).
//! - A page and its export share one row view: the page shows `Vec<View>`, the export passes the
//!   same views to [`xlsx`] with [`Column`]s (header key + cell), at most [`EXPORT_MAX`] rows.
//!
//! ```ignore
//! impl ListParams for ListQuery {
//!     fn filters(&self) -> Vec<(&'static str, &str)> {
//!         vec![("unit", &self.unit), ("kind", &self.kind), ("from", &self.from), ("to", &self.to)]
//!     }
//!     fn page(&self) -> Option<&str> { self.page.as_deref() }
//! }
//! // forms.rs: the filter, with every message beside its field
//! let mut errors = FormErrors::new();
//! let p = list::period(&mut errors, &q.from, &q.to);
//! let unit_path = org::models::unit_filter(conn, &user, &q.unit)?;
//! // handlers.rs
//! let mut pager = q.pager("/things");           // fetch pager.fetch() rows from pager.offset()
//! pager.trim(&mut rows);
//! // export: the same row view, the same filter, EXPORT_MAX rows
//! list::export((&req, &state.pool, user), q, LIST, |_, _, _, _| Ok(()), SHEET, |ctx, _, r| row_view(ctx, r))
//! ```

use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDate;

use super::ctx::Ctx;
use super::current_user::CurrentUser;
use super::forms::{FormErrors, optional_date};
use super::pagination::{Pager, query_string};
use crate::db::{self, AnyConnection, Pool};
use crate::error::AppResult;

/// Rows exported at most (a district-year is ~225,000 issues: narrow the filter for more).
pub const EXPORT_MAX: i64 = 100_000;

/// A list's query string: its filters by name and its page.
pub trait ListParams {
    /// The filters as (name, raw value), in the order the links carry them; the page is not one.
    fn filters(&self) -> Vec<(&'static str, &str)>;
    /// The raw `page` value.
    fn page(&self) -> Option<&str>;

    /// The query without the page, values trimmed, empty ones left out: for the pager's links
    /// and the export link (`pager.export_href`).
    fn base(&self) -> String {
        let pairs: Vec<(&str, &str)> = self
            .filters()
            .into_iter()
            .map(|(k, v)| (k, v.trim()))
            .collect();
        query_string(&pairs)
    }

    /// The open-ended pager of the list at `path`.
    fn pager(&self, path: &str) -> Pager {
        Pager::open_ended(path, self.page(), self.base())
    }
}

/// A list's filter as the kit reads it: the filter and the messages of what could not be read.
pub type Resolved<F> = AppResult<(F, FormErrors)>;

/// The rows of a list: at most `limit` rows of the filter in the user's scope, from `offset`
/// (the feature's `models::list`).
pub type Rows<F, R> = fn(&mut AnyConnection, &CurrentUser, &F, i64, i64) -> AppResult<Vec<R>>;

/// How many rows of the filter in the user's scope there are, counting at most `cap + 1`
/// (`q.select(id).limit(cap + 1)`: a bounded read however long the list; see
/// `web::pagination::COUNT_MAX`).
pub type Count<F> = fn(&mut AnyConnection, &CurrentUser, &F, i64) -> AppResult<i64>;

/// Where a list lives and how its rows are read and counted: the page's path, the feature's
/// [`Rows`] and [`Count`] (`const LIST: list::At<Filter, Row> = list::At { path: "/things",
/// rows: models::list, count: models::count };`).
pub struct At<F, R> {
    pub path: &'static str,
    pub rows: Rows<F, R>,
    pub count: Count<F>,
}

/// A list read through the kit: its query resolves to a filter in the user's scope (a unit or a
/// record outside it: 404; a bad date: a message, see [`period`]). The page ([`page`]) and the
/// export ([`all`]) read through it and the feature's [`Rows`], so they never disagree.
pub trait Listing: ListParams + Clone + Send + 'static {
    type Filter: Send + 'static;

    /// The filter in `user`'s scope, and the messages of what could not be read.
    fn filter(&self, conn: &mut AnyConnection, user: &CurrentUser) -> Resolved<Self::Filter>;
}

/// One page of a list: its rows (the look-ahead row trimmed), what the page read besides them in
/// the same db call (names for the rows, the filter's choices: `more`), the filter's messages and
/// the pager.
pub struct Page<R, X> {
    pub rows: Vec<R>,
    pub more: X,
    pub errors: FormErrors,
    pub pager: Pager,
}

/// The page of the list `at` that `q` asks for, in one db call; counted only when a row lies
/// beyond the page (otherwise the rows tell the total).
pub async fn page<Q: Listing, R: Send + 'static, X: Send + 'static>(
    pool: &Pool,
    user: &CurrentUser,
    q: &Q,
    at: At<Q::Filter, R>,
    more: impl FnOnce(&mut AnyConnection, &CurrentUser, &Q::Filter, &[R]) -> AppResult<X>
    + Send
    + 'static,
) -> AppResult<Page<R, X>> {
    let (mut pager, rows, count) = (q.pager(at.path), at.rows, at.count);
    let (u, q) = (user.clone(), q.clone());
    let (rows, more, errors, pager) = db::run(pool, move |conn| {
        let (f, errors) = q.filter(conn, &u)?;
        let mut rows = rows(conn, &u, &f, pager.offset(), pager.fetch())?;
        pager.settle(&mut rows, |cap| count(conn, &u, &f, cap))?;
        let more = more(conn, &u, &f, &rows)?;
        Ok((rows, more, errors, pager))
    })
    .await?;
    Ok(Page {
        rows,
        more,
        errors,
        pager,
    })
}

/// The rows of the list's export ([`EXPORT_MAX`] at most; a bad date's bound left open, as on
/// the page), with what `more` reads beside them.
pub async fn all<Q: Listing, R: Send + 'static, X: Send + 'static>(
    pool: &Pool,
    user: &CurrentUser,
    q: Q,
    at: At<Q::Filter, R>,
    more: impl FnOnce(&mut AnyConnection, &CurrentUser, &Q::Filter, &[R]) -> AppResult<X>
    + Send
    + 'static,
) -> AppResult<(Vec<R>, X)> {
    let (u, rows) = (user.clone(), at.rows);
    db::run(pool, move |conn| {
        let (f, _) = q.filter(conn, &u)?;
        let rows = rows(conn, &u, &f, 0, EXPORT_MAX)?;
        let more = more(conn, &u, &f, &rows)?;
        Ok((rows, more))
    })
    .await
}

/// A list's export file: its name, its sheet's name and its columns over the page's row view.
pub struct Sheet<V: 'static> {
    pub file: &'static str,
    pub sheet: &'static str,
    pub columns: &'static [Column<V>],
}

/// The export of the list `at` that `q` asks for: the rows [`all`] reads, each shown as on the
/// page (`view`, from the row and what `more` read beside the rows), one [`Sheet`].
pub async fn export<Q: Listing, R: Send + 'static, X: Send + 'static, V>(
    (req, pool, user): (&HttpRequest, &Pool, CurrentUser),
    q: Q,
    at: At<Q::Filter, R>,
    more: impl FnOnce(&mut AnyConnection, &CurrentUser, &Q::Filter, &[R]) -> AppResult<X>
    + Send
    + 'static,
    sheet: Sheet<V>,
    view: impl Fn(&Ctx, &X, &R) -> V,
) -> AppResult<HttpResponse> {
    let (rows, more) = all(pool, &user, q, at, more).await?;
    let ctx = Ctx::build(req, Some(user));
    let views: Vec<V> = rows.iter().map(|r| view(&ctx, &more, r)).collect();
    xlsx(&ctx, sheet.file, sheet.sheet, sheet.columns, views)
}

/// A list's period, both ends inclusive days; `None` is open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// Reads the `from` and `to` fields of a list's filter. A bad date is "form.date_invalid" beside
/// its field and that end stays open; an end before the start is "form.to_before_from" beside
/// `to` (both ends are kept: the list then shows nothing, and says why).
pub fn period(errors: &mut FormErrors, from: &str, to: &str) -> Period {
    let p = Period {
        from: optional_date(errors, "from", from),
        to: optional_date(errors, "to", to),
    };
    if let (Some(a), Some(b)) = (p.from, p.to)
        && b < a
    {
        errors.add("to", "form.to_before_from");
    }
    p
}

/// One column of a list's export: its header's locale key and its cell from the row view.
pub struct Column<V> {
    pub header: &'static str,
    pub cell: fn(&Ctx, &V) -> String,
}

/// The cells of `rows` under `columns` (the export's table, without headers).
pub fn cells<V>(
    ctx: &Ctx,
    columns: &[Column<V>],
    rows: impl IntoIterator<Item = V>,
) -> Vec<Vec<String>> {
    rows.into_iter()
        .map(|r| columns.iter().map(|c| (c.cell)(ctx, &r)).collect())
        .collect()
}

/// The export of a list: one sheet of `rows` (the page's row views) under `columns`.
pub fn xlsx<V>(
    ctx: &Ctx,
    filename: &str,
    sheet: &str,
    columns: &[Column<V>],
    rows: impl IntoIterator<Item = V>,
) -> AppResult<HttpResponse> {
    let headers: Vec<&str> = columns.iter().map(|c| c.header).collect();
    super::xlsx::respond(ctx, filename, sheet, &headers, &cells(ctx, columns, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_period_says_what_is_wrong_beside_its_field() {
        let mut e = FormErrors::new();
        let p = period(&mut e, " 2026-11-01 ", "");
        assert_eq!((p.from, p.to), (Some(day("2026-11-01")), None));
        assert!(e.is_empty());
        let p = period(&mut e, "2026-13-01", "2026-11-30");
        assert_eq!((p.from, p.to), (None, Some(day("2026-11-30"))));
        assert_eq!(e.get("from").unwrap().key, "form.date_invalid");
        assert!(!e.has("to"));
        let mut e = FormErrors::new();
        let p = period(&mut e, "2026-11-30", "2026-11-01");
        assert_eq!(e.get("to").unwrap().key, "form.to_before_from");
        assert_eq!(
            (p.from, p.to),
            (Some(day("2026-11-30")), Some(day("2026-11-01")))
        );
        let mut e = FormErrors::new();
        period(&mut e, "2026-11-01", "2026-11-01");
        assert!(e.is_empty(), "one day is a period");
    }

    struct Q {
        unit: String,
        q: String,
        page: Option<String>,
    }

    impl ListParams for Q {
        fn filters(&self) -> Vec<(&'static str, &str)> {
            vec![("unit", &self.unit), ("q", &self.q)]
        }
        fn page(&self) -> Option<&str> {
            self.page.as_deref()
        }
    }

    #[test]
    fn the_base_query_leaves_out_the_page_and_empty_filters() {
        let q = Q {
            unit: " 3 ".into(),
            q: "王 庄".into(),
            page: Some("2".into()),
        };
        assert_eq!(q.base(), "unit=3&q=%E7%8E%8B%20%E5%BA%84");
        let p = q.pager("/things");
        assert_eq!((p.page, p.fetch()), (2, 51));
        assert_eq!(p.href(3), format!("/things?{}&page=3", q.base()));
        let empty = Q {
            unit: String::new(),
            q: " ".into(),
            page: None,
        };
        assert_eq!(empty.base(), "");
        assert_eq!(
            empty.pager("/t").export_href("/t/export.xlsx"),
            "/t/export.xlsx"
        );
    }

    /// The category groups the macros read (the shape of `issues::pages::CategoryGroup`).
    struct Group {
        name: String,
        options: Vec<crate::web::forms::Choice>,
    }

    #[derive(askama::Template)]
    #[template(
        ext = "html",
        source = r#"{% import "_macros/page.html" as pg %}{% import "_macros/forms.html" as f %}
{% call pg::page_head("T") %}<a href="/x">X</a>{% endcall %}
{% call pg::filter_select(ctx, "state", "form.all", state, choices) %}{% endcall %}
{% call pg::date_filter(ctx, errors, "from", "form.all", from) %}{% endcall %}
{% call pg::category_filter(ctx, "category", "form.all", category, groups) %}{% endcall %}
{% call f::category_select(ctx, errors, "category_id", "form.all", category, groups, true) %}{% endcall %}
{% call f::dispatch_target(ctx, errors, "form.all", kind, "2", "", "", choices, choices) %}{% endcall %}
{% call f::dispatch_target(ctx, errors, "form.all", kind, "", "", "", choices, choices, "form.no", "form.yes") %}{% endcall %}"#
    )]
    struct Macros {
        ctx: Ctx,
        errors: FormErrors,
        choices: Vec<crate::web::forms::Choice>,
        groups: Vec<Group>,
        state: String,
        from: String,
        category: String,
        kind: String,
    }

    #[test]
    fn the_macros_render() {
        use crate::web::forms::Choice;
        use askama::Template;
        let req = actix_web::test::TestRequest::default().to_http_request();
        let mut errors = FormErrors::new();
        errors.add("from", "form.date_invalid");
        let page = Macros {
            ctx: Ctx::build(&req, None),
            errors,
            choices: vec![Choice::new(1, "一"), Choice::new(2, "二")],
            groups: vec![Group {
                name: "非法经营".into(),
                options: vec![Choice::new(101, "无证无照经营")],
            }],
            state: "2".into(),
            from: "2026-13-01".into(),
            category: "101".into(),
            kind: String::new(),
        };
        let html = page.render().unwrap();
        assert!(
            html.contains(r#"<h1>T</h1>"#)
                && html.contains(r#"<div class="actions no-print"><a href="/x">X</a></div>"#)
        );
        assert!(html.contains(r#"<option value="">"#));
        assert!(
            html.contains(r#"</option><option value="2" selected>二</option></select></label>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"name="from" value="2026-13-01" aria-invalid="true""#),
            "{html}"
        );
        assert!(html.contains(r#"<p class="field-error" id="e-from">"#));
        assert!(html.contains(r#"<optgroup label="非法经营"><option value="101" selected>无证无照经营</option></optgroup>"#), "{html}");
        assert!(
            html.contains(r#"<select id="f-category_id" name="category_id" required>"#),
            "{html}"
        );
        // Without a "no one" choice the staff account is the default; with one, "no one" is.
        let (first, second) = html.split_at(html.rfind("<fieldset").unwrap());
        assert!(first.contains(r#"value="user" checked>"#), "{first}");
        assert!(
            second.contains(r#"value="" checked>"#) && !second.contains(r#"value="user" checked"#),
            "{second}"
        );
        assert_eq!(
            html.matches(r#"<option value="2" selected>"#).count(),
            2,
            "{html}"
        );
    }
}
