//! The app lock's verifier: what is kept to check a passphrase or PIN, never the passphrase.
//! Argon2id of it with a salt of its own, kept as Tessera's own keychain item by the window.
//! A PIN is at least 6 digits; a passphrase at least [`MIN_PASSPHRASE_CHARS`] characters.

use serde::{Deserialize, Serialize};

use crate::backup::crypto;

/// The shortest passphrase the lock takes.
pub const MIN_PASSPHRASE_CHARS: usize = 4;
/// The shortest PIN the lock takes, in digits.
pub const MIN_PIN_DIGITS: usize = 6;
/// The longest passphrase or PIN: what a person types, not a file.
pub const MAX_CHARS: usize = 1024;
/// Argon2id's parameters: OWASP's first choice for a password check (19 MiB, 2 passes), a
/// fraction of a second here. The keychain that holds the verifier holds the keys too, so a
/// slower hash would add nothing against someone who can read it.
const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;
/// A verifier read back is refused beyond these (a planted item must not cost minutes).
const MAX_MEMORY_KIB: u32 = 256 * 1024;
const MAX_ITERATIONS: u32 = 10;
/// The kept item's size, well over what [`Verifier::to_bytes`] writes.
pub const MAX_KEPT_BYTES: usize = 512;

/// What the person types to unlock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Passphrase,
    Pin,
}

/// Why a passphrase or PIN is not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LockError {
    #[error("a PIN has at least 6 digits, and only digits")]
    WeakPin,
    #[error("a passphrase has at least 4 characters")]
    ShortPassphrase,
    #[error("a passphrase or PIN has at most 1,024 characters")]
    TooLong,
    #[error("the lock's verifier could not be made: {0}")]
    Failed(String),
}

/// The kept verifier: kind, salt, Argon2id parameters and the hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verifier {
    pub kind: Kind,
    #[serde(with = "hex")]
    salt: Vec<u8>,
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
    #[serde(with = "hex")]
    hash: Vec<u8>,
}

/// Checks that `secret` is a passphrase or PIN the lock takes.
pub fn check_strength(kind: Kind, secret: &str) -> Result<(), LockError> {
    let chars = secret.chars().count();
    if chars > MAX_CHARS {
        return Err(LockError::TooLong);
    }
    match kind {
        Kind::Pin if chars < MIN_PIN_DIGITS || !secret.chars().all(|c| c.is_ascii_digit()) => {
            Err(LockError::WeakPin)
        }
        Kind::Passphrase if chars < MIN_PASSPHRASE_CHARS => Err(LockError::ShortPassphrase),
        _ => Ok(()),
    }
}

impl Verifier {
    /// The verifier of a new passphrase or PIN, with a fresh salt.
    pub fn new(kind: Kind, secret: &str) -> Result<Self, LockError> {
        check_strength(kind, secret)?;
        let salt = crypto::random::<16>()
            .ok_or_else(|| LockError::Failed("no randomness for the salt".into()))?;
        let hash = crypto::argon2id(secret, &salt, MEMORY_KIB, ITERATIONS, PARALLELISM)
            .map_err(LockError::Failed)?;
        Ok(Self {
            kind,
            salt: salt.to_vec(),
            memory_kib: MEMORY_KIB,
            iterations: ITERATIONS,
            parallelism: PARALLELISM,
            hash: hash.to_vec(),
        })
    }

    /// Whether `secret` is the one the verifier was made from (compared in constant time).
    pub fn matches(&self, secret: &str) -> bool {
        if secret.chars().count() > MAX_CHARS {
            return false;
        }
        let Ok(hash) = crypto::argon2id(
            secret,
            &self.salt,
            self.memory_kib,
            self.iterations,
            self.parallelism,
        ) else {
            return false;
        };
        hash.len() == self.hash.len()
            && hash
                .iter()
                .zip(&self.hash)
                .fold(0u8, |diff, (a, b)| diff | (a ^ b))
                == 0
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// A kept verifier, or `None` for bytes Tessera did not write or parameters beyond bounds.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() > MAX_KEPT_BYTES {
            return None;
        }
        let verifier: Self = serde_json::from_slice(bytes).ok()?;
        let bounded = (8..=64).contains(&verifier.salt.len())
            && verifier.hash.len() == crypto::KEY_LEN
            && (8..=MAX_MEMORY_KIB).contains(&verifier.memory_kib)
            && (1..=MAX_ITERATIONS).contains(&verifier.iterations)
            && verifier.parallelism == 1;
        bounded.then_some(verifier)
    }
}

/// Bytes as lower-case hex in JSON.
mod hex {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&data_encoding::HEXLOWER.encode(bytes))
    }

    pub fn deserialize<'d, D: Deserializer<'d>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        data_encoding::HEXLOWER
            .decode(text.as_bytes())
            .map_err(serde::de::Error::custom)
    }
}

/// How long to wait before the next try after `failures` wrong ones in a row: 1, 2, 4 ...
/// seconds, at most 30. It grows, and never locks out for good.
pub fn delay_after(failures: u32) -> std::time::Duration {
    let seconds = match failures {
        0 => 0,
        n => 1u64 << (n - 1).min(5),
    };
    std::time::Duration::from_secs(seconds.min(30))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verifier_matches_its_secret_only_and_survives_its_bytes() {
        let verifier = Verifier::new(Kind::Passphrase, "correct horse").unwrap();
        assert!(verifier.matches("correct horse"));
        assert!(!verifier.matches("correct hors"));
        assert!(!verifier.matches(""));
        let bytes = verifier.to_bytes();
        assert!(bytes.len() < MAX_KEPT_BYTES);
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(!text.contains("correct"), "{text}");
        let back = Verifier::from_bytes(&bytes).unwrap();
        assert!(back.matches("correct horse"));
        // Another salt each time: the same passphrase never gives the same item.
        assert_ne!(
            Verifier::new(Kind::Passphrase, "correct horse").unwrap(),
            verifier
        );
    }

    #[test]
    fn weak_pins_and_short_passphrases_are_refused() {
        assert_eq!(
            Verifier::new(Kind::Pin, "12345").unwrap_err(),
            LockError::WeakPin
        );
        assert_eq!(
            Verifier::new(Kind::Pin, "12345a").unwrap_err(),
            LockError::WeakPin
        );
        assert!(Verifier::new(Kind::Pin, "123456").is_ok());
        assert_eq!(
            Verifier::new(Kind::Passphrase, "abc").unwrap_err(),
            LockError::ShortPassphrase
        );
        assert_eq!(
            check_strength(Kind::Passphrase, &"x".repeat(MAX_CHARS + 1)),
            Err(LockError::TooLong)
        );
    }

    #[test]
    fn planted_verifiers_are_refused_before_any_hashing() {
        let verifier = Verifier::new(Kind::Pin, "246810").unwrap();
        let mut json: serde_json::Value = serde_json::from_slice(&verifier.to_bytes()).unwrap();
        json["memory_kib"] = serde_json::json!(u32::MAX);
        assert!(Verifier::from_bytes(json.to_string().as_bytes()).is_none());
        json["memory_kib"] = serde_json::json!(MEMORY_KIB);
        json["iterations"] = serde_json::json!(1_000_000);
        assert!(Verifier::from_bytes(json.to_string().as_bytes()).is_none());
        assert!(Verifier::from_bytes(b"not json").is_none());
        assert!(Verifier::from_bytes(&vec![b' '; MAX_KEPT_BYTES + 1]).is_none());
    }

    #[test]
    fn the_delay_grows_and_stays_bounded() {
        let delays: Vec<u64> = (0..12).map(|n| delay_after(n).as_secs()).collect();
        assert_eq!(delays, [0, 1, 2, 4, 8, 16, 30, 30, 30, 30, 30, 30]);
    }
}
