//! The account form. Username and initial password are set at creation only; role and org unit
//! must be among the choices the admin's own scope offers. Also the list's query string.

use serde::Deserialize;

use super::models::{Account, AccountFields, UserFilter};
use crate::auth::Role;
use crate::config::Settings;
use crate::web::edit::{Labelled, VersionedForm};
use crate::web::forms::{self, FormErrors};
use crate::web::list::ListParams;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UserForm {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub org_unit_id: String,
    pub phone: String,
    pub password: String,
    pub version: String,
    pub form_token: String,
}

impl UserForm {
    pub fn from_account(a: &Account) -> UserForm {
        UserForm {
            username: a.username.clone(),
            display_name: a.display_name.clone(),
            role: a.role.clone(),
            org_unit_id: a.org_unit_id.to_string(),
            phone: a.phone.clone(),
            password: String::new(),
            version: a.version.to_string(),
            form_token: String::new(),
        }
    }

    /// The fields both create and edit share. `org_ids` are the units in the admin's scope.
    pub fn parse_fields(&self, org_ids: &[i32], e: &mut FormErrors) -> Option<AccountFields> {
        let display_name = forms::required(e, "display_name", &self.display_name, 30);
        let role = Role::parse(self.role.trim());
        if role.is_none() {
            e.add("role", "form.invalid_choice");
        }
        let org = self
            .org_unit_id
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|id| org_ids.contains(id));
        if org.is_none() {
            e.add("org_unit_id", "form.invalid_choice");
        }
        let phone = forms::phone(e, "phone", &self.phone, false);
        Some(AccountFields {
            display_name,
            role: role?.code().to_string(),
            org_unit_id: org?,
            phone,
        })
    }

    /// Creation: also the username (lower-case letters, digits, `._-`) and the initial password.
    /// `taken`: whether the username is in use already.
    pub fn parse_new(
        &self,
        settings: &Settings,
        org_ids: &[i32],
        taken: bool,
    ) -> Result<(String, AccountFields), FormErrors> {
        let mut e = FormErrors::new();
        let username = self.username.trim().to_lowercase();
        if username.is_empty() {
            e.add("username", "form.required");
        } else if taken {
            e.add("username", "users.username_taken");
        } else if username.len() < 2
            || username.len() > 32
            || !username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            e.add("username", "users.username_invalid");
        }
        crate::auth::password::check_policy(
            settings,
            &mut e,
            "password",
            &self.password,
            &username,
        );
        let fields = self.parse_fields(org_ids, &mut e);
        match fields {
            Some(f) if e.is_empty() => Ok((username, f)),
            _ => Err(e),
        }
    }

    pub fn parse_edit(&self, org_ids: &[i32]) -> Result<AccountFields, FormErrors> {
        let mut e = FormErrors::new();
        let fields = self.parse_fields(org_ids, &mut e);
        match fields {
            Some(f) if e.is_empty() => Ok(f),
            _ => Err(e),
        }
    }

    pub fn labelled(&self) -> Labelled {
        vec![
            ("users.display_name", self.display_name.clone()),
            ("users.role", self.role.clone()),
            ("users.org_unit", self.org_unit_id.clone()),
            ("users.phone", self.phone.clone()),
        ]
    }
}

impl VersionedForm for UserForm {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ResetForm {
    pub new_password: String,
}

/// The account list's query string (its filters and page), shared by the page and its export.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UserQuery {
    pub q: String,
    pub role: String,
    pub org: String,
    pub status: String,
    pub page: Option<String>,
}

impl UserQuery {
    /// The filter; `unit_path` is the `org` unit's, resolved in the admin's scope
    /// (`org::models::unit_filter`).
    pub fn filter(&self, unit_path: Option<String>) -> UserFilter {
        UserFilter {
            text: self.q.trim().to_string(),
            role: Role::parse(self.role.trim())
                .map(|r| r.code().to_string())
                .unwrap_or_default(),
            unit_path,
            status: self.status.trim().to_string(),
        }
    }
}

impl ListParams for UserQuery {
    fn filters(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("q", &self.q),
            ("role", &self.role),
            ("org", &self.org),
            ("status", &self.status),
        ]
    }
    fn page(&self) -> Option<&str> {
        self.page.as_deref()
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;
    use crate::proptests::{CASES, check, form, has_errors};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(CASES))]

        #[test]
        fn account_forms(
            user in form::<UserForm>(),
            query in form::<UserQuery>(),
            taken in any::<bool>(),
        ) {
            if let Some(f) = user {
                let settings = crate::config::Settings::default();
                check(f.parse_new(&settings, &[1], taken), has_errors)?;
                check(f.parse_edit(&[1]), has_errors)?;
            }
            if let Some(q) = query {
                let _ = q.filter(None);
            }
        }
    }
}
