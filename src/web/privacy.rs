//! Residents' and members' contacts masked for those who may not read them in full: the one
//! place lists, exports and pages of every feature mask a name or a phone number. Who may read
//! a contact in full is each feature's rule (`party::opinions::domain::keeps_contact`,
//! `patrols::domain::sees_residents`, `party::domain::sees_personal`). Pure code.

/// 13812345678 → 138****5678: the first three and the last four characters; a number too short
/// to keep any is left as it is (nothing there identifies anyone).
pub fn mask_phone(p: &str) -> String {
    let chars: Vec<char> = p.chars().collect();
    if chars.len() < 7 {
        return p.to_string();
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

/// 张三 → 张*, 王秀英 → 王**: the first character (the family name) and a star for each other
/// one; a one-character name is a star.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match (chars.next(), chars.count()) {
        (None, _) => String::new(),
        (Some(_), 0) => "*".to_string(),
        (Some(first), rest) => format!("{first}{}", "*".repeat(rest)),
    }
}

/// A contact as one line, masked: "张* · 138****5678", either part left out when empty.
pub fn masked_contact(name: &str, phone: &str) -> String {
    contact_line(&mask_name(name), &mask_phone(phone.trim()))
}

/// A contact as one line as given (already masked, or in full for who may read it).
pub fn contact_line(name: &str, phone: &str) -> String {
    [name, phone]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_keep_their_first_three_and_last_four() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0371-67123456"), "037****3456");
        assert_eq!(mask_phone("110"), "110");
        assert_eq!(mask_phone(""), "");
    }

    #[test]
    fn names_keep_their_first_character() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("王秀英"), "王**");
        assert_eq!(mask_name(" 欧阳娜娜 "), "欧***");
        assert_eq!(mask_name("张"), "*");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn a_contact_is_one_masked_line() {
        assert_eq!(masked_contact("张三", "13812345678"), "张* · 138****5678");
        assert_eq!(masked_contact("", "13812345678"), "138****5678");
        assert_eq!(masked_contact("李四", ""), "李*");
        assert_eq!(masked_contact("", ""), "");
        assert!(!masked_contact("王建华", "13912345678").contains("12345678"));
    }
}
