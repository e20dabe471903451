//! andOTP backups: a JSON array of entries, plain or encrypted.
//!
//! Encrypted (`.json.aes`, andOTP 0.6.3 and later): 4 bytes of PBKDF2 iterations (big-endian),
//! a 12-byte salt, a 12-byte nonce, then the JSON encrypted with AES-256-GCM under
//! PBKDF2-HMAC-SHA1(password, salt, iterations).

use std::num::NonZeroU32;

use serde::Deserialize;

use super::crypto;
use super::{Entries, Fields, Format, ImportError, Read, entry_name};
use crate::meta::Meta;
use crate::sensitive::Sensitive;

const FORMAT: Format = Format::AndOtp;
const SALT_LEN: usize = 12;
const NONCE_LEN: usize = 12;
const HEADER_LEN: usize = 4 + SALT_LEN + NONCE_LEN;
/// andOTP uses 140,000 to 160,000; more than this is refused as hostile (seconds of work).
const MAX_ITERATIONS: u32 = 2_000_000;

#[derive(Deserialize)]
struct Entry {
    secret: Sensitive<String>,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    digits: u64,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    algorithm: String,
    #[serde(default)]
    period: u64,
    #[serde(default)]
    counter: u64,
    #[serde(default, deserialize_with = "super::entries")]
    tags: Vec<String>,
}

fn iterations(bytes: &[u8]) -> Option<u32> {
    let head: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
    Some(u32::from_be_bytes(head))
}

/// Whether `bytes` could be an encrypted andOTP backup: long enough and a sane iteration count.
/// (The layout has no magic number; this is the last guess when detecting a format.)
pub(super) fn looks_encrypted(bytes: &[u8]) -> bool {
    bytes.len() >= HEADER_LEN + crypto::TAG_LEN
        && iterations(bytes).is_some_and(|n| (1000..=MAX_ITERATIONS).contains(&n))
}

pub(super) fn read<'p>(
    bytes: &[u8],
    passphrase: impl FnOnce() -> Result<&'p str, ImportError>,
) -> Read {
    let entries: Vec<Entry> = if super::apps::is_andotp_plain(bytes) {
        super::json_list(bytes).map_err(|e| ImportError::damaged(FORMAT, e))?
    } else {
        let plain = decrypt(bytes, passphrase()?)?;
        super::json_list(&plain).map_err(|e| ImportError::damaged(FORMAT, e))?
    };
    let mut read = Entries::default();
    for (i, e) in entries.iter().enumerate() {
        let fields = Fields {
            issuer: &e.issuer,
            label: &e.label,
            secret: &e.secret,
            kind: &e.kind,
            algorithm: &e.algorithm,
            digits: e.digits,
            period: e.period,
            counter: e.counter,
        };
        read.push_with(
            || entry_name(&e.issuer, &e.label, i),
            fields.account(),
            Meta::imported(&e.tags, ""),
        )?;
    }
    read.done()
}

fn decrypt(bytes: &[u8], passphrase: &str) -> Result<Sensitive<Vec<u8>>, ImportError> {
    if bytes.len() < HEADER_LEN + crypto::TAG_LEN {
        return Err(ImportError::damaged(FORMAT, "it is too short"));
    }
    let count = iterations(bytes)
        .filter(|n| *n <= MAX_ITERATIONS)
        .and_then(NonZeroU32::new)
        .ok_or_else(|| ImportError::damaged(FORMAT, "its iteration count is out of range"))?;
    let salt = &bytes[4..4 + SALT_LEN];
    let nonce = &bytes[4 + SALT_LEN..HEADER_LEN];
    let key = crypto::pbkdf2(crypto::PBKDF2_HMAC_SHA1, count, salt, passphrase);
    crypto::open(key.as_ref(), nonce, b"", &bytes[HEADER_LEN..])
        .map_err(|_| ImportError::WrongPassphrase(FORMAT))
}
