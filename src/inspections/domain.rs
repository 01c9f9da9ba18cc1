//! The rules of supervision inspections (督查), pure and unit-tested: who plans a round, its
//! modes, and the checklist as typed (one item a line, its standard after a bar).

use crate::auth::{CurrentUser, Role};

/// 明查 (open, announced) and 暗访 (unannounced).
pub const MODES: [&str; 2] = ["open", "covert"];

/// The most items one checklist holds.
pub const MAX_ITEMS: usize = 40;

/// How deep a unit's path is: 1 for the district, 2 for a street, 3 for a community.
pub fn depth(path: &str) -> usize {
    path.split('/').filter(|s| !s.is_empty()).count()
}

/// Rounds are planned by a street's or a district's office (clerks, leaders, admins), for the
/// units of their own scope.
pub fn may_plan(role: Role, org_path: &str) -> bool {
    role.is_office_staff() && (1..=2).contains(&depth(org_path))
}

/// May `user` edit the round kept at `scope_path`: a planner whose scope holds it.
pub fn may_edit_round(user: &CurrentUser, scope_path: &str) -> bool {
    may_plan(user.role, &user.org_path) && user.sees(scope_path)
}

/// A checklist item's result: 合格 / 不合格 / 不适用.
pub const RESULTS: [&str; 3] = ["pass", "fail", "na"];

/// A finding's severity.
pub const SEVERITIES: [&str; 3] = ["minor", "major", "serious"];

/// May `user` record an inspection of the round kept at `scope_path` whose inspectors are
/// `inspectors`: one of them, or a planner whose scope holds the round.
pub fn may_inspect(user: &CurrentUser, scope_path: &str, inspectors: &[i32]) -> bool {
    (inspectors.contains(&user.id) && user.sees(scope_path)) || may_edit_round(user, scope_path)
}

/// 漏报: the grid had not reported an issue of the finding's category before it was found.
pub fn missed(reported_before: i64) -> bool {
    reported_before == 0
}

/// One line of a checklist: what is checked and the standard it is held to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChecklistItem {
    pub item: String,
    pub standard: String,
}

/// Why a checklist as typed is refused (each a locale key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChecklistError {
    Empty,
    TooMany,
    TooLong,
}

impl ChecklistError {
    pub fn key(self) -> &'static str {
        match self {
            ChecklistError::Empty => "inspect.items_required",
            ChecklistError::TooMany => "inspect.items_too_many",
            ChecklistError::TooLong => "inspect.item_too_long",
        }
    }
}

/// The checklist typed one item a line, `item | standard` (a full-width bar too); blank lines
/// are skipped. An item holds at most 100 characters, its standard 300.
pub fn parse_checklist(raw: &str) -> Result<Vec<ChecklistItem>, ChecklistError> {
    let mut out = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (item, standard) = match line.find(['|', '｜']) {
            Some(i) => {
                let bar = line[i..].chars().next().map_or(1, char::len_utf8);
                (line[..i].trim(), line[i + bar..].trim())
            }
            None => (line, ""),
        };
        if item.is_empty() {
            return Err(ChecklistError::Empty);
        }
        if item.chars().count() > 100 || standard.chars().count() > 300 {
            return Err(ChecklistError::TooLong);
        }
        out.push(ChecklistItem {
            item: item.to_string(),
            standard: standard.to_string(),
        });
    }
    if out.is_empty() {
        return Err(ChecklistError::Empty);
    }
    if out.len() > MAX_ITEMS {
        return Err(ChecklistError::TooMany);
    }
    Ok(out)
}

/// The checklist as the form shows it again: one `item | standard` a line.
pub fn checklist_text(items: &[ChecklistItem]) -> String {
    items
        .iter()
        .map(|i| {
            if i.standard.is_empty() {
                i.item.clone()
            } else {
                format!("{} | {}", i.item, i.standard)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checklist_reads_one_item_a_line_with_its_standard_after_a_bar() {
        let items =
            parse_checklist("门头牌匾 | 无破损、无缺字\n\n 占道经营｜店外无摆放 \n窨井盖").unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].item, "门头牌匾");
        assert_eq!(items[0].standard, "无破损、无缺字");
        assert_eq!(items[1].item, "占道经营");
        assert_eq!(items[1].standard, "店外无摆放");
        assert_eq!(items[2].standard, "");
        assert_eq!(parse_checklist(&checklist_text(&items)).unwrap(), items);
    }

    #[test]
    fn an_empty_or_headless_or_overlong_checklist_is_refused() {
        assert_eq!(parse_checklist(" \n"), Err(ChecklistError::Empty));
        assert_eq!(parse_checklist("| 标准"), Err(ChecklistError::Empty));
        assert_eq!(
            parse_checklist(&"长".repeat(101)),
            Err(ChecklistError::TooLong)
        );
        let many = (0..=MAX_ITEMS)
            .map(|i| format!("第{i}项\n"))
            .collect::<String>();
        assert_eq!(parse_checklist(&many), Err(ChecklistError::TooMany));
    }

    #[test]
    fn streets_and_the_district_plan_rounds_communities_do_not() {
        assert!(may_plan(Role::Clerk, "/1/2/"));
        assert!(may_plan(Role::Leader, "/1/"));
        assert!(!may_plan(Role::Clerk, "/1/2/3/"));
        assert!(!may_plan(Role::GridWorker, "/1/2/"));
        assert!(!may_plan(Role::BranchSecretary, "/1/2/"));
    }
}
