//! The target form, as typed and as parsed.

use serde::{Deserialize, Serialize};

use crate::campaigns::domain::UNITS;
use crate::campaigns::tallies::forms::amount;
use crate::web::forms::{FormErrors, one_of, required};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TargetForm {
    pub item: String,
    pub unit_of_count: String,
    pub target: String,
    pub form_token: String,
}

impl TargetForm {
    /// (item, unit of count, target)
    pub fn parse(&self) -> Result<(String, String, i64), FormErrors> {
        let mut e = FormErrors::new();
        let item = required(&mut e, "item", &self.item, 100);
        let unit = one_of(&mut e, "unit_of_count", &self.unit_of_count, &UNITS)
            .unwrap_or("")
            .to_string();
        let target = amount(&mut e, "target", &self.target);
        if target == 0 && !e.has("target") {
            e.add("target", "campaigns.bad_amount");
        }
        e.finish(|| (item, unit, target))
    }
}
