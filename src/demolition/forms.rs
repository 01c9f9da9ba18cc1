//! The command form and the group form, as typed and as parsed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::models::{Command, CommandFields, GroupFields};
use crate::web::edit::{VersionedForm, required_date};
use crate::web::forms::{FormErrors, optional, required};

/// A project the command can be for: (id, name, scope path).
pub type ProjectChoice = (i32, String, String);

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CommandForm {
    pub project_id: String,
    pub name: String,
    pub commander: String,
    pub started_on: String,
    pub target_on: String,
    pub closed: String,
    pub version: String,
    pub form_token: String,
}

impl CommandForm {
    pub fn from_command(c: &Command) -> CommandForm {
        CommandForm {
            project_id: c.project_id.to_string(),
            name: c.name.clone(),
            commander: c.commander.clone(),
            started_on: c.started_on.to_string(),
            target_on: c.target_on.to_string(),
            closed: if c.closed { "1".into() } else { String::new() },
            version: c.version.to_string(),
            form_token: String::new(),
        }
    }

    /// The project among those offered (its scope becomes the command's); the target date not
    /// before the start.
    pub fn parse(&self, projects: &[ProjectChoice]) -> Result<CommandFields, FormErrors> {
        let mut e = FormErrors::new();
        let project = projects
            .iter()
            .find(|p| p.0.to_string() == self.project_id.trim());
        if project.is_none() {
            e.add("project_id", "form.required");
        }
        let name = required(&mut e, "name", &self.name, 100);
        let commander = required(&mut e, "commander", &self.commander, 100);
        let started_on = required_date(&mut e, "started_on", &self.started_on);
        let target_on = required_date(&mut e, "target_on", &self.target_on);
        if let (Some(s), Some(t)) = (started_on, target_on)
            && t < s
        {
            e.add("target_on", "form.to_before_from");
        }
        let day = |d: Option<NaiveDate>| d.unwrap_or_default();
        e.finish(|| CommandFields {
            project_id: project.map(|p| p.0).unwrap_or_default(),
            scope_path: project.map(|p| p.2.clone()).unwrap_or_default(),
            name,
            commander,
            started_on: day(started_on),
            target_on: day(target_on),
            closed: !self.closed.trim().is_empty(),
        })
    }
}

/// The labelled values of a command form, for the stale-edit table and the audit log.
pub fn labelled(f: &CommandForm) -> Vec<(&'static str, String)> {
    vec![
        ("demolition.project", f.project_id.trim().to_string()),
        ("demolition.name", f.name.trim().to_string()),
        ("demolition.commander", f.commander.trim().to_string()),
        ("demolition.started_on", f.started_on.trim().to_string()),
        ("demolition.target_on", f.target_on.trim().to_string()),
        ("demolition.closed", f.closed.trim().to_string()),
    ]
}

impl VersionedForm for CommandForm {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupForm {
    pub name: String,
    pub leader: String,
    pub members: String,
    pub form_token: String,
}

impl GroupForm {
    pub fn parse(&self, command_id: i32) -> Result<GroupFields, FormErrors> {
        let mut e = FormErrors::new();
        let name = required(&mut e, "name", &self.name, 100);
        let leader = required(&mut e, "leader", &self.leader, 100);
        let members = optional(&mut e, "members", &self.members, 500);
        e.finish(|| GroupFields {
            command_id,
            name,
            leader,
            members,
        })
    }
}
