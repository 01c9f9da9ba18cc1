//! The login, password and language forms, and the login page's query string.

use serde::Deserialize;

use crate::config::Settings;
use crate::web::forms::FormErrors;

/// `/login?next=…&expired=1`
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    pub next: String,
    /// Set when the session the browser held has ended.
    pub expired: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
    pub next: String,
}

impl LoginForm {
    /// Usernames are stored in lower case; what was typed is kept for the form.
    pub fn username(&self) -> String {
        self.username.trim().to_lowercase()
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    pub current: String,
    pub new_password: String,
    pub confirm: String,
}

impl PasswordForm {
    /// Every message at once: the current password (`current_ok`, checked against the hash by
    /// the caller), the policy, the confirmation, and a new password that is the old one.
    pub fn check(&self, settings: &Settings, username: &str, current_ok: bool) -> FormErrors {
        let mut errors = FormErrors::new();
        if !current_ok {
            errors.add("current", "password.current_wrong");
        }
        super::password::check_policy(
            settings,
            &mut errors,
            "new_password",
            &self.new_password,
            username,
        );
        if self.new_password != self.confirm {
            errors.add("confirm", "password.mismatch");
        }
        if self.new_password == self.current && !self.current.is_empty() {
            errors.add("new_password", "password.same_as_old");
        }
        errors
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LocaleForm {
    pub lang: String,
    pub next: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(current: &str, new: &str, confirm: &str) -> PasswordForm {
        PasswordForm {
            current: current.into(),
            new_password: new.into(),
            confirm: confirm.into(),
        }
    }

    #[test]
    fn password_change_reports_every_field() {
        let s = Settings::default();
        let e = form("Old@2026x", "New@2026x", "New@2026y").check(&s, "wang", false);
        assert_eq!(
            e.get("current").map(|f| f.key),
            Some("password.current_wrong")
        );
        assert_eq!(e.get("confirm").map(|f| f.key), Some("password.mismatch"));
        let e = form("Old@2026x", "Old@2026x", "Old@2026x").check(&s, "wang", true);
        assert_eq!(
            e.get("new_password").map(|f| f.key),
            Some("password.same_as_old")
        );
        assert!(
            form("Old@2026x", "New@2026x", "New@2026x")
                .check(&s, "wang", true)
                .is_empty()
        );
    }

    #[test]
    fn usernames_are_matched_in_lower_case() {
        let f = LoginForm {
            username: "  Wang ".into(),
            ..Default::default()
        };
        assert_eq!(f.username(), "wang");
    }
}
