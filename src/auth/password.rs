//! Passwords: argon2id at the OWASP baseline (m=19 MiB, t=2, p=1; the crate's default), hashed
//! on the blocking pool with bounded concurrency, and the password policy.

use std::time::Duration;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::config::Settings;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::forms::FormErrors;

fn argon() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Hashes synchronously (CLI, demo seeding).
pub fn hash_blocking(password: &str) -> AppResult<String> {
    argon()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hash: {e}")))
}

fn verify_blocking(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) => argon().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// A hash of a random password: verified against when the username is unknown, so the time
/// taken does not tell whether an account exists.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    hash_blocking(&crate::web::csrf::random_token()).unwrap_or_default()
});

async fn with_slot<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce() -> T + Send + 'static,
) -> AppResult<T> {
    // Fail fast when every slot is busy for a while: a login storm must not queue up unbounded
    // 19 MiB hashes.
    let _permit = tokio::time::timeout(Duration::from_secs(5), state.hash_slots.acquire())
        .await
        .map_err(|_| AppError::Unavailable)?
        .map_err(|_| AppError::Unavailable)?;
    actix_web::web::block(f)
        .await
        .map_err(|e| AppError::Internal(format!("hash task: {e}")))
}

/// Verifies `password` against `phc` (or against a dummy hash when `phc` is None).
pub async fn verify(state: &AppState, password: String, phc: Option<String>) -> AppResult<bool> {
    with_slot(state, move || match phc {
        Some(phc) => verify_blocking(&password, &phc),
        None => {
            let _ = verify_blocking(&password, &DUMMY_HASH);
            false
        }
    })
    .await
}

pub async fn hash(state: &AppState, password: String) -> AppResult<String> {
    with_slot(state, move || hash_blocking(&password)).await?
}

/// Common passwords refused whatever their classes (a short list of the worst; the class and
/// length rules do the rest).
const COMMON: &[&str] = &[
    "password",
    "password1",
    "password123",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword1",
    "qwerty123",
    "admin123",
    "admin@123",
    "abc12345",
    "abcd1234",
    "1qaz2wsx",
    "1qaz@wsx",
    "qwer1234",
    "aa123456",
    "zxcvbnm1",
    "iloveyou1",
    "welcome1",
    "12345678",
    "123456789",
    "a1234567",
    "woaini1314",
];

/// Checks the policy: minimum length, character classes (lower, upper, digit, other), not the
/// username, not a common password. Adds errors to `field`.
pub fn check_policy(
    settings: &Settings,
    errors: &mut FormErrors,
    field: &'static str,
    password: &str,
    username: &str,
) {
    let len = password.chars().count();
    if len < settings.password_min_length {
        errors.add_args(
            field,
            "password.too_short",
            vec![("min", settings.password_min_length.to_string())],
        );
        return;
    }
    if len > 256 {
        errors.add_args(field, "form.too_long", vec![("max", "256".into())]);
        return;
    }
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if classes < settings.password_min_classes {
        errors.add_args(
            field,
            "password.classes",
            vec![("n", settings.password_min_classes.to_string())],
        );
        return;
    }
    let lower = password.to_lowercase();
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        errors.add(field, "password.contains_username");
        return;
    }
    if COMMON.contains(&lower.as_str()) {
        errors.add(field, "password.common");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pw: &str, user: &str) -> Option<&'static str> {
        let mut e = FormErrors::new();
        check_policy(&Settings::default(), &mut e, "p", pw, user);
        e.get("p").map(|f| f.key)
    }

    #[test]
    fn policy_table() {
        assert_eq!(check("Abc12!", "x"), Some("password.too_short"));
        assert_eq!(check("abcdefgh", "x"), Some("password.classes"));
        assert_eq!(check("abcdefg1", "x"), Some("password.classes"));
        assert_eq!(check("Abcdefg1", "x"), None);
        assert_eq!(
            check("clerk@Lsz1", "clerk"),
            Some("password.contains_username")
        );
        assert_eq!(check("P@ssw0rd", "x"), Some("password.common"));
        assert_eq!(check("Demo@2026", "admin"), None);
        assert_eq!(check("网格通Grid2026", "x"), None);
    }

    #[test]
    fn hashes_are_argon2id_at_owasp_parameters() {
        let h = hash_blocking("Demo@2026").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_blocking("Demo@2026", &h));
        assert!(!verify_blocking("demo@2026", &h));
    }
}
