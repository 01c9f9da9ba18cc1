//! Why a login attempt failed: the reason the login log and the audit row give, decided in one
//! place. Only a wrong password counts towards the account's lockout.

use chrono::NaiveDateTime;

use super::models::LoginAccount;

/// A refused login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Too many failures from the address in the last 15 minutes.
    IpThrottled,
    UnknownUser,
    Inactive,
    Locked,
    /// The password did not match: counts towards the lockout.
    BadPassword,
}

impl Failure {
    /// Why a login with a non-matching password (or none checked) failed.
    pub fn of(throttled: bool, account: Option<&LoginAccount>, now: NaiveDateTime) -> Failure {
        match account {
            _ if throttled => Failure::IpThrottled,
            None => Failure::UnknownUser,
            Some(a) if !a.active => Failure::Inactive,
            Some(a) if a.locked_until.is_some_and(|l| l > now) => Failure::Locked,
            Some(_) => Failure::BadPassword,
        }
    }

    /// The reason as the login log and the audit row record it; `locked_now` when this failure
    /// locked the account.
    pub fn code(self, locked_now: bool) -> &'static str {
        match self {
            Failure::IpThrottled => "ip_throttled",
            Failure::UnknownUser => "unknown_user",
            Failure::Inactive => "inactive",
            Failure::Locked => "locked",
            Failure::BadPassword if locked_now => "bad_password_locked",
            Failure::BadPassword => "bad_password",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(active: bool, locked_until: Option<NaiveDateTime>) -> LoginAccount {
        LoginAccount {
            id: 1,
            username: "wang".into(),
            password_hash: String::new(),
            active,
            must_change_password: false,
            failed_logins: 0,
            locked_until,
            org_path: "/1/".into(),
        }
    }

    #[test]
    fn reasons_in_order_of_precedence() {
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .map(|t| t.naive_utc())
            .unwrap_or_default();
        let later = now + chrono::Duration::minutes(5);
        let earlier = now - chrono::Duration::minutes(5);
        let a = account(true, None);
        assert_eq!(Failure::of(true, Some(&a), now), Failure::IpThrottled);
        assert_eq!(Failure::of(false, None, now), Failure::UnknownUser);
        let off = account(false, Some(later));
        assert_eq!(Failure::of(false, Some(&off), now), Failure::Inactive);
        let locked = account(true, Some(later));
        assert_eq!(Failure::of(false, Some(&locked), now), Failure::Locked);
        let was_locked = account(true, Some(earlier));
        assert_eq!(
            Failure::of(false, Some(&was_locked), now),
            Failure::BadPassword
        );
        assert_eq!(Failure::BadPassword.code(true), "bad_password_locked");
        assert_eq!(Failure::Locked.code(true), "locked");
    }
}
