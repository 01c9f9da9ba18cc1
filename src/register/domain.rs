//! The register's rules (issue 21): the kinds of compound, the four items of the 三类楼院 work,
//! relations and care tags; who may write the register and who reads a person's ID number and
//! phone in full; the resident ID number (GB 11643: 18 characters, the ISO 7064 MOD 11-2 check
//! character, a real birth date, the sex in the 17th digit) and its mask. Pure code.

use chrono::NaiveDate;

use crate::auth::{CurrentUser, Role};

/// Kinds of compound (codes in `register_compounds.kind`): 商品房小区, 单位家属院, 老旧/无主管楼院,
/// 安置房小区, 村民组, other.
pub const COMPOUND_KINDS: [&str; 6] = [
    "commercial",
    "work_unit",
    "unmanaged",
    "resettlement",
    "villager_group",
    "other",
];

/// The four items of the 三类楼院 work (灯亮、路平、水通、安全), in the seed's order; each is met
/// on a day (`<item>_on`).
pub const CHECKLIST: [&str; 4] = ["lights", "roads", "water", "safety"];

/// Relations to the householder (codes in `register_persons.relation`).
pub const RELATIONS: [&str; 8] = [
    "householder",
    "spouse",
    "child",
    "parent",
    "grandchild",
    "sibling",
    "tenant",
    "other",
];

/// Care tags the street uses (codes in `register_persons.tags`, comma-separated): 低保, 特困,
/// 残疾, 独居/空巢老人, 失业/4050, 退役军人, 党员, 重点服务对象.
pub const CARE_TAGS: [&str; 8] = [
    "dibao",
    "tekun",
    "disabled",
    "elderly_alone",
    "unemployed",
    "veteran",
    "party_member",
    "key_service",
];

/// Sexes as stored.
pub const SEXES: [&str; 2] = ["male", "female"];

/// How many of the four checklist items a compound has met.
pub fn checklist_met(days: &[Option<NaiveDate>; 4]) -> usize {
    days.iter().filter(|d| d.is_some()).count()
}

/// Who may write the register of a grid at `scope_path`: the grid's worker (their scope is the
/// grid), the clerks, leaders and admins over it. Branch secretaries read only.
pub fn may_write(user: &CurrentUser, scope_path: &str) -> bool {
    match user.role {
        Role::GridWorker | Role::Clerk | Role::Leader | Role::Admin => user.sees(scope_path),
        Role::BranchSecretary => false,
    }
}

/// Who reads a person's ID number and phone in full: the grid's worker and the clerks and
/// leaders who keep the register over it. Everyone else (admins, branch secretaries) reads them
/// masked, on pages and in exports.
pub fn sees_personal(user: &CurrentUser, scope_path: &str) -> bool {
    match user.role {
        Role::GridWorker | Role::Clerk | Role::Leader => user.sees(scope_path),
        Role::Admin | Role::BranchSecretary => false,
    }
}

/// Who edits a person's record: its form shows the ID number and phone in full, so a writer who
/// also reads them in full (the grid's worker, the clerks and leaders over it).
pub fn may_edit_personal(user: &CurrentUser, scope_path: &str) -> bool {
    may_write(user, scope_path) && sees_personal(user, scope_path)
}

/// Why an ID number is refused (each a locale key beside the field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdError {
    /// Not 17 digits and a digit or X.
    Shape,
    /// The check character does not match (ISO 7064 MOD 11-2).
    Checksum,
    /// Digits 7–14 are no real day, or a day before 1900 or after today.
    BirthDate,
    /// The 17th digit says the other sex than the one entered.
    Sex,
}

impl IdError {
    pub fn key(self) -> &'static str {
        match self {
            IdError::Shape => "register.id.shape",
            IdError::Checksum => "register.id.checksum",
            IdError::BirthDate => "register.id.birth_date",
            IdError::Sex => "register.id.sex",
        }
    }
}

/// What an ID number says: the birth date and the sex (odd 17th digit: male).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdFacts {
    pub birth_date: NaiveDate,
    pub sex: &'static str,
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECKS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The check character of the first 17 digits (ISO 7064 MOD 11-2 as GB 11643 gives it).
pub fn check_char(first17: &[u32]) -> char {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    CHECKS[(sum % 11) as usize]
}

/// Reads an 18-character resident ID number (a lower-case x taken as X), checked against
/// `today` for the birth date and against `sex` (when one is entered) for the 17th digit.
pub fn check_id(raw: &str, sex: Option<&str>, today: NaiveDate) -> Result<IdFacts, IdError> {
    let id = normalize_id(raw);
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18
        || !chars[..17].iter().all(char::is_ascii_digit)
        || !(chars[17].is_ascii_digit() || chars[17] == 'X')
    {
        return Err(IdError::Shape);
    }
    let digits: Vec<u32> = chars[..17].iter().filter_map(|c| c.to_digit(10)).collect();
    if check_char(&digits) != chars[17] {
        return Err(IdError::Checksum);
    }
    let born: String = chars[6..14].iter().collect();
    let birth_date = NaiveDate::parse_from_str(&born, "%Y%m%d")
        .ok()
        .filter(|d| *d <= today && *d >= NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(*d))
        .ok_or(IdError::BirthDate)?;
    let facts = IdFacts {
        birth_date,
        sex: if digits[16] % 2 == 1 {
            "male"
        } else {
            "female"
        },
    };
    match sex {
        Some(s) if !s.is_empty() && s != facts.sex => Err(IdError::Sex),
        _ => Ok(facts),
    }
}

/// An ID number as stored: trimmed, inner spaces dropped, x upper-cased.
pub fn normalize_id(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// 410102198503120030 → 4101**********0030: the first four and the last four characters.
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

/// The care tags of a stored list, known codes only, in [`CARE_TAGS`] order.
pub fn tags_of(stored: &str) -> Vec<&'static str> {
    let have: Vec<&str> = stored.split(',').map(str::trim).collect();
    CARE_TAGS.into_iter().filter(|t| have.contains(t)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    #[test]
    fn known_valid_numbers_pass_with_their_birth_date_and_sex() {
        let f = check_id("11010519491231002X", None, today()).unwrap();
        assert_eq!(f.birth_date, NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
        assert_eq!(f.sex, "female");
        let f = check_id("410102198503120030", Some("male"), today()).unwrap();
        assert_eq!(f.birth_date, NaiveDate::from_ymd_opt(1985, 3, 12).unwrap());
        assert_eq!(f.sex, "male");
        assert!(check_id("410102199008070042", Some("female"), today()).is_ok());
        assert!(check_id("410102201506010050", Some(""), today()).is_ok());
        // A lower-case x and spaces are read as typed by hand.
        assert!(check_id(" 11010519491231002x ", None, today()).is_ok());
    }

    #[test]
    fn invalid_numbers_say_why() {
        let t = today();
        assert_eq!(check_id("", None, t), Err(IdError::Shape));
        assert_eq!(check_id("41010219850312003", None, t), Err(IdError::Shape));
        assert_eq!(
            check_id("4101021985031200301", None, t),
            Err(IdError::Shape)
        );
        assert_eq!(check_id("41010219850312003A", None, t), Err(IdError::Shape));
        // One digit changed: the check character no longer fits.
        assert_eq!(
            check_id("410102198503120031", None, t),
            Err(IdError::Checksum)
        );
        assert_eq!(check_id("11010519491231002Y", None, t), Err(IdError::Shape));
        assert_eq!(
            check_id("110105194912310021", None, t),
            Err(IdError::Checksum)
        );
        // 1985-02-30 is no day; the check character is right for its digits.
        let base = "41010219850230003";
        let d: Vec<u32> = base.chars().filter_map(|c| c.to_digit(10)).collect();
        let bad_day = format!("{base}{}", check_char(&d));
        assert_eq!(check_id(&bad_day, None, t), Err(IdError::BirthDate));
        // Born after today.
        let base = "41010220301201003";
        let d: Vec<u32> = base.chars().filter_map(|c| c.to_digit(10)).collect();
        let future = format!("{base}{}", check_char(&d));
        assert_eq!(check_id(&future, None, t), Err(IdError::BirthDate));
        // The 17th digit says male; female entered.
        assert_eq!(
            check_id("410102198503120030", Some("female"), t),
            Err(IdError::Sex)
        );
    }

    #[test]
    fn masks_keep_four_and_four() {
        assert_eq!(mask_id("410102198503120030"), "4101**********0030");
        assert_eq!(mask_id("123"), "***");
    }

    #[test]
    fn tags_read_known_codes_in_order() {
        assert_eq!(tags_of("veteran, dibao,unknown"), vec!["dibao", "veteran"]);
        assert!(tags_of("").is_empty());
    }

    #[test]
    fn checklist_counts_the_days_met() {
        let d = NaiveDate::from_ymd_opt(2026, 5, 1);
        assert_eq!(checklist_met(&[d, None, d, None]), 2);
    }
}
