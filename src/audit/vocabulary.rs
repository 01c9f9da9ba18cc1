//! What an audit row's `action` and `entity` codes say, in the reader's language.
//!
//! The codes are stored as written (they are the log's stable vocabulary, filtered on and
//! exported); the page shows their words. Every code a feature writes must have words here:
//! `record` checks it in debug builds, so a new code without words fails the tests, not a
//! reader.

use crate::web::forms::Choice;
use crate::web::i18n::{Lang, tr_args};

/// Codes with a key of their own, `audit.actions.<code>`.
const ACTIONS: &[&str] = &[
    "create",
    "update",
    "delete",
    "login",
    "login_failed",
    "logout",
    "change_password",
    "reset_password",
    "unlock",
    "activate",
    "deactivate",
    "freeze_figures",
    "verify_notice",
    "update_photo",
    "delete_photo",
    "issue_meeting_decision",
    "meeting_agenda",
    "meeting_decision",
    "meeting_topic_issue",
    "opinion_issue",
    "pairing_end",
    "view_contact",
    "seed_demo",
    "backup",
    "urge",
    "view_personal",
    "export_personal",
    "move_out",
    "import",
];

/// Entity codes, `audit.entities.<code>`.
const ENTITIES: &[&str] = &[
    "session",
    "user",
    "org_unit",
    "grid_person",
    "key_site",
    "work_calendar",
    "issue_category",
    "issue",
    "patrol",
    "meeting",
    "party_branch",
    "party_member",
    "party_activity",
    "party_pairing",
    "party_opinion",
    "database",
    "livelihood_indicator",
    "livelihood_entry",
    "livelihood_month",
    "project",
    "project_milestone",
    "project_report",
    "campaign",
    "campaign_target",
    "campaign_tally",
    "inspection_round",
    "inspection_visit",
    "inspection_notice",
    "inspection_answer",
    "register_compound",
    "register_building",
    "register_household",
    "register_person",
    "demolition_command",
    "demolition_group",
    "demolition_household",
    "demolition_step",
    "demolition_daily",
    "register_import",
];

/// Families of codes named for a step of another feature's workflow: `issue_dispatch` reads
/// "问题办理：派遣" from the issue's own action words, so a new workflow step needs no entry here.
const FAMILIES: &[(&str, &str, &str)] = &[
    ("issue_", "audit.actions.issue_step", "act."),
    ("meeting_", "audit.actions.meeting_state", "meetings.state."),
    ("assess_", "assess.audit.action", "assess.audit."),
];

fn known(lang: Lang, key: &str) -> Option<String> {
    crate::_rust_i18n_try_translate(lang.code(), key).map(|s| s.into_owned())
}

/// The words for an action code, or `None` for a code with none.
pub fn action_words(lang: Lang, code: &str) -> Option<String> {
    if ACTIONS.contains(&code) {
        return known(lang, &format!("audit.actions.{code}"));
    }
    FAMILIES.iter().find_map(|(prefix, key, words)| {
        let step = known(lang, &format!("{words}{}", code.strip_prefix(prefix)?))?;
        Some(tr_args(lang, key, &[("x", step)]))
    })
}

/// The words for an entity code, or `None`.
pub fn entity_words(lang: Lang, code: &str) -> Option<String> {
    if let Some(rest) = code.strip_prefix("assess_") {
        return known(lang, &format!("assess.audit.{rest}"));
    }
    ENTITIES
        .contains(&code)
        .then(|| known(lang, &format!("audit.entities.{code}")))
        .flatten()
}

/// The action's words, or the code itself when it has none (an old row's retired code).
pub fn action_label(lang: Lang, code: &str) -> String {
    action_words(lang, code).unwrap_or_else(|| code.to_string())
}

/// The entity's words, or the code itself.
pub fn entity_label(lang: Lang, code: &str) -> String {
    entity_words(lang, code).unwrap_or_else(|| code.to_string())
}

/// The filter's action choices: the fixed codes, then each issue step and meeting state.
pub fn action_choices(lang: Lang, steps: &[&str], states: &[&str]) -> Vec<Choice> {
    let family = |prefix: &str, codes: &[&str]| -> Vec<String> {
        codes.iter().map(|c| format!("{prefix}{c}")).collect()
    };
    let fixed = ACTIONS.iter().map(|c| c.to_string());
    fixed
        .chain(family("issue_", steps))
        .chain(family("meeting_", states))
        .map(|c| Choice::new(&c, action_label(lang, &c)))
        .collect()
}

/// The filter's entity choices.
pub fn entity_choices(lang: Lang) -> Vec<Choice> {
    ENTITIES
        .iter()
        .map(|c| Choice::new(c, entity_label(lang, c)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_words_in_every_language() {
        for lang in Lang::ALL {
            for c in ACTIONS {
                assert!(action_words(lang, c).is_some(), "{c} in {}", lang.code());
            }
            for c in ENTITIES {
                assert!(entity_words(lang, c).is_some(), "{c} in {}", lang.code());
            }
        }
    }

    #[test]
    fn workflow_steps_read_from_their_feature() {
        assert_eq!(action_label(Lang::ZhCn, "issue_dispatch"), "问题办理：派遣");
        assert_eq!(action_label(Lang::ZhCn, "meeting_held"), "会议状态：已召开");
        assert!(action_words(Lang::ZhCn, "issue_no_such_step").is_none());
        assert_eq!(action_label(Lang::En, "retired_code"), "retired_code");
    }
}
