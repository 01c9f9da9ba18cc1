//! The 督办 panel of the issue page.

use super::forms::UrgeForm;
use crate::web::forms::FormErrors;

/// What the issue page shows of 督办: the count (the badge) and, to those who may urge an open
/// issue, the form with what was typed and its messages.
#[derive(Debug, Clone, Default)]
pub struct UrgePanel {
    pub count: i64,
    pub offered: bool,
    pub form: UrgeForm,
    pub errors: FormErrors,
}
