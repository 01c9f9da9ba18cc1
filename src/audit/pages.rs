//! The admin's audit list.

use askama::Template;
use askama_web::WebTemplate;

use super::forms::AuditQuery;
use super::models::AuditRow;
use crate::web::ctx::Ctx;
use crate::web::forms::FormErrors;
use crate::web::pagination::Pager;

#[derive(Template, WebTemplate)]
#[template(path = "audit/list.html")]
pub struct AuditListPage {
    pub ctx: Ctx,
    pub q: AuditQuery,
    pub errors: FormErrors,
    pub rows: Vec<AuditRow>,
    pub pager: Pager,
}
