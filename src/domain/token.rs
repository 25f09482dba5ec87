//! Personal tokens (invitation and resume links): only their SHA-256 hash is ever stored.

use sha2::{Digest, Sha256};

/// The hash stored in place of a token: lower-case hex SHA-256 of its text.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether a string can be a token we issued (URL-safe base64, 16–128 characters);
/// anything else is refused before it reaches the database.
pub fn looks_like_token(token: &str) -> bool {
    (16..=128).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_hex_sha256() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn only_url_safe_tokens_pass() {
        assert!(looks_like_token("abcdefghijklmnop_-12"));
        assert!(!looks_like_token("short"));
        assert!(!looks_like_token("abcdefghijklmnop/../x"));
    }
}
