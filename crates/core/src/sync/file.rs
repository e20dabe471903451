//! A device's file in the sync folder, and the set's key.
//!
//! ```text
//! "TESSYNC1"   8 bytes: the format and its version
//! nonce        12 random bytes
//! sealed       AES-256-GCM under the set's key of the JSON below, with the 20 bytes before it
//!              as associated data: header included, nothing is in clear but the version
//! ```
//!
//! The JSON: `{"device", "device_name", "seq", "written", "state", "keys"}`, `keys` mapping
//! each live account's id to its key in base32. The whole file is read or refused: a wrong key,
//! a changed byte, a cut file or another format is an error before anything is used.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::state::State;
use crate::backup::crypto::{self, KEY_LEN, Key};
use crate::secret::Secret;
use crate::sensitive::Sensitive;
use crate::untrusted::shown;

/// The first bytes of every sync file: the format, version 1.
pub const MAGIC: &[u8; 8] = b"TESSYNC1";
const NONCE_LEN: usize = 12;
/// The largest sync file read: 10,000 accounts with icons, notes and tombstones fit.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// What a pairing secret starts with, so that it is recognised when pasted.
const PAIRING_PREFIX: &str = "tessera-sync:";
/// Device names are for a list of a few devices.
pub const MAX_DEVICE_NAME_CHARS: usize = 64;

/// Why a sync file or pairing secret can't be used.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FileError {
    #[error("not a Tessera sync file")]
    NotSyncFile,
    #[error("it does not open with this sync set's key: written for another set, or changed")]
    Unauthentic,
    #[error("it is larger than any sync file ({} MiB)", MAX_FILE_BYTES >> 20)]
    TooLarge,
    #[error("it is damaged: {0}")]
    Damaged(String),
    #[error(
        "this is not a pairing secret: it starts with \"tessera-sync:\", as `tessera sync setup` prints it"
    )]
    Pairing,
    #[error("the system random generator failed")]
    Random,
}

/// The key of a sync set: 256 random bits, zeroed on drop. Every file is encrypted with it, and
/// the pairing secret is this key itself.
#[derive(Debug, Clone)]
pub struct SyncKey(Key);

impl SyncKey {
    /// A new random key.
    pub fn generate() -> Result<Self, FileError> {
        crypto::random::<KEY_LEN>()
            .map(|bytes| Self(Sensitive::new(bytes)))
            .ok_or(FileError::Random)
    }

    /// The key kept in the keychain; `None` when it is not 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let bytes: [u8; KEY_LEN] = bytes.try_into().ok()?;
        Some(Self(Sensitive::new(bytes)))
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_ref()
    }

    /// The pairing secret: `tessera-sync:` and the key in base32 (52 characters).
    pub fn pairing_secret(&self) -> Sensitive<String> {
        let mut text = Sensitive::new(String::with_capacity(80));
        text.push_str(PAIRING_PREFIX);
        text.push_str(&data_encoding::BASE32_NOPAD.encode(self.as_bytes()));
        text
    }

    /// Reads a pairing secret as people paste it: white space and dashes after the prefix, and
    /// any case, are accepted.
    pub fn from_pairing_secret(text: &str) -> Result<Self, FileError> {
        let text = text.trim();
        let rest = text
            .get(..PAIRING_PREFIX.len())
            .filter(|p| p.eq_ignore_ascii_case(PAIRING_PREFIX))
            .and_then(|_| text.get(PAIRING_PREFIX.len()..))
            .ok_or(FileError::Pairing)?;
        let clean: Sensitive<String> = Sensitive::new(
            rest.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        );
        let bytes = Sensitive::new(
            data_encoding::BASE32_NOPAD
                .decode(clean.as_bytes())
                .map_err(|_| FileError::Pairing)?,
        );
        Self::from_bytes(&bytes).ok_or(FileError::Pairing)
    }
}

/// What one device's file holds.
#[derive(Debug, Clone)]
pub struct DeviceFile {
    /// The device that writes it (16 hex digits, also the file's name).
    pub device: String,
    /// The name its user gave it ("laptop").
    pub device_name: String,
    /// Grows by one with each file the device writes: an older file is never taken for newer.
    pub seq: u64,
    /// When it was written, Unix seconds.
    pub written: u64,
    pub state: State,
    /// The key of each live account.
    pub keys: BTreeMap<String, Secret>,
}

#[derive(Serialize, Deserialize)]
struct FileJson {
    device: String,
    #[serde(default)]
    device_name: String,
    seq: u64,
    #[serde(default)]
    written: u64,
    state: State,
    #[serde(serialize_with = "reveal_keys")]
    keys: BTreeMap<String, Sensitive<String>>,
}

/// Where the keys leave in clear, into the plaintext that is encrypted at once.
fn reveal_keys<S: serde::Serializer>(
    keys: &BTreeMap<String, Sensitive<String>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(keys.iter().map(|(id, key)| (id, key.as_str())))
}

impl DeviceFile {
    /// The file's bytes, encrypted with `key` under a fresh nonce.
    pub fn seal(&self, key: &SyncKey) -> Result<Vec<u8>, FileError> {
        let json = FileJson {
            device: self.device.clone(),
            device_name: self.device_name.clone(),
            seq: self.seq,
            written: self.written,
            state: self.state.clone(),
            keys: self
                .keys
                .iter()
                .map(|(id, secret)| (id.clone(), secret.to_base32()))
                .collect(),
        };
        let mut plain = Sensitive::new(Vec::with_capacity(1024 + self.keys.len() * 600));
        serde_json::to_writer(&mut *plain, &json).map_err(|e| FileError::Damaged(e.to_string()))?;
        let nonce = crypto::random::<NONCE_LEN>().ok_or(FileError::Random)?;
        let mut bytes = Vec::with_capacity(MAGIC.len() + NONCE_LEN + plain.len() + crypto::TAG_LEN);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&nonce);
        let sealed = crypto::seal(key.as_bytes(), &nonce, &bytes, &plain)
            .map_err(|_| FileError::Unauthentic)?;
        bytes.extend_from_slice(&sealed);
        Ok(bytes)
    }

    /// Reads a device file: any bytes, a file of another set or a changed one is an error.
    pub fn open(bytes: &[u8], key: &SyncKey) -> Result<Self, FileError> {
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(FileError::TooLarge);
        }
        let header_len = MAGIC.len() + NONCE_LEN;
        if bytes.len() < header_len || &bytes[..MAGIC.len()] != MAGIC {
            return Err(FileError::NotSyncFile);
        }
        let (header, sealed) = bytes.split_at(header_len);
        let plain = crypto::open(key.as_bytes(), &header[MAGIC.len()..], header, sealed)
            .map_err(|_| FileError::Unauthentic)?;
        let json: FileJson =
            serde_json::from_slice(&plain).map_err(|e| FileError::Damaged(e.to_string()))?;
        if json.device.is_empty()
            || json.device.len() > 64
            || !json.device.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(FileError::Damaged(format!(
                "a device id Tessera never writes ({:?})",
                shown(&json.device)
            )));
        }
        let mut keys = BTreeMap::new();
        for (id, text) in &json.keys {
            if !json.state.records.contains_key(id) {
                continue;
            }
            let secret = Secret::parse(text)
                .map_err(|e| FileError::Damaged(format!("the key of {}: {e}", shown(id))))?;
            keys.insert(id.clone(), secret);
        }
        Ok(Self {
            device: json.device,
            device_name: json
                .device_name
                .chars()
                .filter(|c| !c.is_control())
                .take(MAX_DEVICE_NAME_CHARS)
                .collect(),
            seq: json.seq,
            written: json.written,
            state: json.state,
            keys,
        })
    }
}
