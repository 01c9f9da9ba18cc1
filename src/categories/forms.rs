//! The category form (create and edit): a major has no parent and no time limit; a minor sits
//! under a major and needs its limit (1–365 working days or working hours). Names are unique
//! among the categories of the same parent.

use serde::Deserialize;

use super::models::{Category, CategoryFields, DAY, UNITS};
use crate::web::edit::VersionedForm;
use crate::web::forms::{self, FormErrors};

pub const NAME_MAX: usize = 30;
pub const LIMIT_MAX: i32 = 365;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CategoryForm {
    /// Empty for a major category.
    pub parent_id: String,
    pub name: String,
    pub limit_value: String,
    pub limit_unit: String,
    pub sort_order: String,
    /// A checkbox: any value is "active", absent is inactive.
    pub active: String,
    pub version: String,
    pub form_token: String,
}

impl CategoryForm {
    pub fn from_category(c: &Category) -> CategoryForm {
        CategoryForm {
            parent_id: c.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            name: c.name.clone(),
            limit_value: if c.is_major() {
                String::new()
            } else {
                c.limit_value.to_string()
            },
            limit_unit: c.limit_unit.clone(),
            sort_order: c.sort_order.to_string(),
            active: if c.active { "1".into() } else { String::new() },
            version: c.version.to_string(),
            form_token: String::new(),
        }
    }

    pub fn is_active(&self) -> bool {
        !self.active.trim().is_empty()
    }

    /// Validates against the whole taxonomy `all`; `editing` is the saved record when editing.
    /// A major stays a major whatever is posted as its parent; a minor stays under some major.
    pub fn parse(
        &self,
        all: &[Category],
        editing: Option<&Category>,
    ) -> Result<CategoryFields, FormErrors> {
        let mut e = FormErrors::new();
        let name = forms::required(&mut e, "name", &self.name, NAME_MAX);
        let raw_parent = self.parent_id.trim();
        let parent_id = match editing {
            Some(c) if c.is_major() => None,
            _ if raw_parent.is_empty() => {
                if editing.is_some() {
                    e.add("parent_id", "form.required");
                }
                None
            }
            _ => {
                let major = raw_parent
                    .parse::<i32>()
                    .ok()
                    .filter(|id| all.iter().any(|c| c.id == *id && c.is_major()));
                if major.is_none() {
                    e.add("parent_id", "form.invalid_choice");
                }
                major
            }
        };
        let is_minor = editing.map_or(!raw_parent.is_empty(), |c| !c.is_major());
        let (limit_value, limit_unit) = if is_minor {
            let v = forms::int_in(&mut e, "limit_value", &self.limit_value, 1, LIMIT_MAX);
            let u = forms::one_of(&mut e, "limit_unit", &self.limit_unit, &UNITS);
            (v, u.unwrap_or(DAY).to_string())
        } else {
            (0, DAY.to_string())
        };
        let sort_order = if self.sort_order.trim().is_empty() {
            None
        } else {
            Some(forms::int_in(
                &mut e,
                "sort_order",
                &self.sort_order,
                0,
                99_999,
            ))
        };
        if !e.has("name") && !e.has("parent_id") {
            let same = all.iter().any(|c| {
                c.parent_id == parent_id && c.name == name && Some(c.id) != editing.map(|x| x.id)
            });
            if same {
                e.add("name", "categories.name_taken");
            }
        }
        e.finish(|| CategoryFields {
            parent_id,
            name,
            limit_value,
            limit_unit,
            sort_order,
            active: self.is_active(),
        })
    }
}

impl VersionedForm for CategoryForm {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}

/// The new form's query.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    /// Preselects the major a new minor goes under.
    pub parent: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(id: i32, parent_id: Option<i32>, name: &str) -> Category {
        let t = chrono::NaiveDateTime::default();
        Category {
            id,
            parent_id,
            name: name.into(),
            limit_value: if parent_id.is_some() { 5 } else { 0 },
            limit_unit: DAY.into(),
            sort_order: id,
            active: true,
            version: 1,
            created_at: t,
            updated_at: t,
        }
    }

    fn taxonomy() -> Vec<Category> {
        vec![
            cat(1, None, "非法经营"),
            cat(101, Some(1), "无证无照经营"),
            cat(2, None, "非法生产"),
        ]
    }

    fn form(parent: &str, name: &str, value: &str, unit: &str) -> CategoryForm {
        CategoryForm {
            parent_id: parent.into(),
            name: name.into(),
            limit_value: value.into(),
            limit_unit: unit.into(),
            active: "1".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_minor_needs_a_major_and_a_limit() {
        let all = taxonomy();
        let f = form("2", " 无证无照经营 ", "4", "hour")
            .parse(&all, None)
            .unwrap();
        assert_eq!(f.parent_id, Some(2), "the same name under another major");
        assert_eq!((f.limit_value, f.limit_unit.as_str()), (4, "hour"));
        assert_eq!(f.sort_order, None);
        let e = form("1", "无证无照经营", "0", "week")
            .parse(&all, None)
            .unwrap_err();
        assert_eq!(e.get("name").unwrap().key, "categories.name_taken");
        assert_eq!(e.get("limit_value").unwrap().key, "form.out_of_range");
        assert_eq!(e.get("limit_unit").unwrap().key, "form.invalid_choice");
        let e = form("101", "新类别", "3", "day")
            .parse(&all, None)
            .unwrap_err();
        assert_eq!(
            e.get("parent_id").unwrap().key,
            "form.invalid_choice",
            "a minor is no parent"
        );
    }

    #[test]
    fn a_major_has_no_limit_and_keeps_no_parent() {
        let all = taxonomy();
        let f = form("", "城市管理", "abc", "x").parse(&all, None).unwrap();
        assert_eq!((f.parent_id, f.limit_value), (None, 0));
        let e = form("", "非法生产", "", "").parse(&all, None).unwrap_err();
        assert_eq!(e.get("name").unwrap().key, "categories.name_taken");
        // Editing a major: a posted parent is ignored, its own name is not a duplicate.
        let f = form("1", "非法生产", "", "")
            .parse(&all, Some(&all[2]))
            .unwrap();
        assert_eq!(f.parent_id, None);
    }

    #[test]
    fn a_minor_may_move_but_not_become_a_major() {
        let all = taxonomy();
        let f = form("2", "无证无照经营", "5", "day")
            .parse(&all, Some(&all[1]))
            .unwrap();
        assert_eq!(f.parent_id, Some(2));
        let e = form("", "无证无照经营", "5", "day")
            .parse(&all, Some(&all[1]))
            .unwrap_err();
        assert_eq!(e.get("parent_id").unwrap().key, "form.required");
        let e = form("1", "", "5", "day").parse(&all, None).unwrap_err();
        assert_eq!(e.get("name").unwrap().key, "form.required");
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
        fn category_forms(f in form::<CategoryForm>()) {
            if let Some(f) = f {
                let now = chrono::NaiveDateTime::default();
                let cat = |id, parent_id| Category {
                    id,
                    parent_id,
                    name: format!("c{id}"),
                    limit_value: if parent_id.is_some() { 3 } else { 0 },
                    limit_unit: "days".into(),
                    sort_order: 1,
                    active: true,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                };
                let all = [cat(8, None), cat(802, Some(8))];
                check(f.parse(&all, None), has_errors)?;
                check(f.parse(&all, Some(&all[0])), has_errors)?;
                check(f.parse(&all, Some(&all[1])), has_errors)?;
            }
        }
    }
}
