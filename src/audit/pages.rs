//! The admin's audit list.

use askama::Template;
use askama_web::WebTemplate;

use super::forms::AuditQuery;
use super::models::AuditRow;
use super::vocabulary;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};
use crate::web::pagination::Pager;

#[derive(Template, WebTemplate)]
#[template(path = "audit/list.html")]
pub struct AuditListPage {
    pub ctx: Ctx,
    pub q: AuditQuery,
    pub errors: FormErrors,
    pub rows: Vec<AuditRow>,
    pub pager: Pager,
    pub actions: Vec<Choice>,
    pub entities: Vec<Choice>,
}

impl AuditListPage {
    /// The action's words in the reader's language.
    pub fn action(&self, code: &str) -> String {
        vocabulary::action_label(self.ctx.lang, code)
    }

    /// Who did it: a user's login name, or words for the server's own command line
    /// (`Actor::cli`, which has no address).
    pub fn actor<'a>(&self, r: &'a AuditRow) -> std::borrow::Cow<'a, str> {
        if r.actor_name == "cli" && r.ip.is_empty() {
            self.ctx.t("audit.cli_actor").into()
        } else {
            r.actor_name.as_str().into()
        }
    }

    /// The record's kind in words, with its number where the number means something to a
    /// reader (a session's number does not).
    pub fn entity(&self, r: &AuditRow) -> String {
        entity_text(self.ctx.lang, r)
    }
}

/// The object column, shared by the page and the export.
pub fn entity_text(lang: crate::web::i18n::Lang, r: &AuditRow) -> String {
    let words = vocabulary::entity_label(lang, &r.entity);
    match r.entity_id {
        Some(id) if r.entity != "session" => format!("{words} #{id}"),
        _ => words,
    }
}
