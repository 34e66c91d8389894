//! Passwords and tokens: argon2 hashes for passwords, random tokens stored as SHA-256.
//!
//! A password is slow to check on purpose (argon2); an API token is 256 random bits, so a fast
//! hash is enough to make a stolen database useless for calling the API.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};

/// Random bytes from the operating system.
fn random<const N: usize>() -> Result<[u8; N], getrandom::Error> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)?;
    Ok(bytes)
}

/// A random id for a record whose id must reveal nothing (how many others exist, which
/// came first): in 1..2^53, so that JavaScript, which reads JSON numbers as doubles, reads
/// it exactly. Two ids collide with a chance of about n²/2^54 among n records: one in ten
/// thousand for ten million postmortems, and the collision is a refused write, not a mix-up.
pub fn random_id() -> Result<i64, String> {
    let bytes = random::<8>().map_err(|e| format!("no randomness: {e}"))?;
    let id = u64::from_le_bytes(bytes) >> 11;
    Ok(i64::try_from(id.max(1)).unwrap_or(1))
}

/// The argon2 hash of a password, in PHC string form.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt_bytes = random::<16>().map_err(|e| format!("no randomness: {e}"))?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| e.to_string())
}

/// A hash of no one's password, checked against when a login names nobody, so that it takes
/// as long as one that names somebody.
pub fn stand_in_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        hash_password("debrief stand-in: no account has this password").unwrap_or_default()
    })
}

/// Whether `password` matches a hash made by [`hash_password`].
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A new API token: `dbf_` and 64 hexadecimal digits.
pub fn new_token() -> Result<String, String> {
    let bytes = random::<32>().map_err(|e| format!("no randomness: {e}"))?;
    Ok(format!("dbf_{}", hex(&bytes)))
}

/// What the store keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("correct horse").unwrap_or_default();
        assert!(hash.starts_with("$argon2"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horse ", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (
            new_token().unwrap_or_default(),
            new_token().unwrap_or_default(),
        );
        assert_ne!(a, b);
        assert_eq!(a.len(), 68);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
    }
}
