//! Aegis vault files (`aegis-backup-*.json`), plain or encrypted.
//!
//! Encrypted: each password slot holds the master key encrypted with AES-256-GCM under a key
//! derived by scrypt from the password; the `db` field is base64 of the vault encrypted with the
//! master key (nonce and tag in `header.params`). See Aegis's `docs/vault.md`.

use data_encoding::{BASE64, HEXLOWER_PERMISSIVE};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::crypto::{self, Key};
use super::{Entries, Fields, Format, ImportError, Read, entry_name};

const FORMAT: Format = Format::Aegis;
/// Largest scrypt memory (128 * N * r bytes) a file may ask for: 1 GiB.
const MAX_SCRYPT_BYTES: u64 = 1 << 30;

#[derive(Deserialize)]
struct File {
    header: Header,
    db: serde_json::Value,
}

#[derive(Deserialize)]
struct Header {
    slots: Option<Vec<Slot>>,
    params: Option<Sealed>,
}

#[derive(Deserialize)]
struct Slot {
    #[serde(rename = "type")]
    kind: u32,
    key: String,
    key_params: Sealed,
    #[serde(default)]
    n: u64,
    #[serde(default)]
    r: u32,
    #[serde(default)]
    p: u32,
    #[serde(default)]
    salt: String,
}

#[derive(Deserialize)]
struct Sealed {
    nonce: String,
    tag: String,
}

#[derive(Deserialize)]
struct Db {
    entries: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    issuer: String,
    info: Info,
}

#[derive(Deserialize)]
struct Info {
    secret: Zeroizing<String>,
    #[serde(default)]
    algo: String,
    #[serde(default)]
    digits: u64,
    #[serde(default)]
    period: u64,
    #[serde(default)]
    counter: u64,
}

fn damaged(detail: impl std::fmt::Display) -> ImportError {
    ImportError::damaged(FORMAT, detail)
}

fn parse(bytes: &[u8]) -> Result<File, ImportError> {
    serde_json::from_slice(bytes).map_err(damaged)
}

pub(super) fn is_encrypted(bytes: &[u8]) -> bool {
    parse(bytes).is_ok_and(|f| f.db.is_string())
}

fn hex(text: &str) -> Result<Vec<u8>, ImportError> {
    HEXLOWER_PERMISSIVE
        .decode(text.as_bytes())
        .map_err(|_| damaged("a key slot is not hexadecimal"))
}

/// The master key from the first password slot the passphrase opens.
fn master_key(slots: &[Slot], passphrase: &str) -> Result<Key, ImportError> {
    let password_slots: Vec<&Slot> = slots.iter().filter(|s| s.kind == 1).collect();
    if password_slots.is_empty() {
        return Err(ImportError::Unsupported(
            "this Aegis vault has no password slot (only biometrics): export it from Aegis with a password".into(),
        ));
    }
    for slot in password_slots {
        let memory = 128u64.saturating_mul(slot.n).saturating_mul(slot.r.into());
        if !slot.n.is_power_of_two() || slot.n < 2 || memory > MAX_SCRYPT_BYTES || slot.p > 16 {
            return Err(damaged("a key slot's scrypt parameters are out of range"));
        }
        let log_n = u8::try_from(slot.n.trailing_zeros()).map_err(damaged)?;
        let derived = crypto::scrypt(passphrase, &hex(&slot.salt)?, log_n, slot.r, slot.p)
            .map_err(damaged)?;
        let mut sealed = hex(&slot.key)?;
        sealed.extend(hex(&slot.key_params.tag)?);
        if let Ok(plain) = crypto::open(
            derived.as_ref(),
            &hex(&slot.key_params.nonce)?,
            b"",
            &sealed,
        ) {
            let key: [u8; crypto::KEY_LEN] = plain
                .as_slice()
                .try_into()
                .map_err(|_| damaged("a key slot holds a key of the wrong length"))?;
            return Ok(Zeroizing::new(key));
        }
    }
    Err(ImportError::WrongPassphrase(FORMAT))
}

pub(super) fn read<'p>(
    bytes: &[u8],
    passphrase: impl FnOnce() -> Result<&'p str, ImportError>,
) -> Read {
    let file = parse(bytes)?;
    let db: Db = match &file.db {
        serde_json::Value::String(sealed_db) => {
            let passphrase = passphrase()?;
            let slots = file.header.slots.as_deref().unwrap_or_default();
            let params = file
                .header
                .params
                .as_ref()
                .ok_or_else(|| damaged("it is encrypted but has no nonce"))?;
            let key = master_key(slots, passphrase)?;
            let mut sealed = BASE64
                .decode(sealed_db.as_bytes())
                .map_err(|_| damaged("its vault is not base64"))?;
            sealed.extend(hex(&params.tag)?);
            let plain = crypto::open(key.as_ref(), &hex(&params.nonce)?, b"", &sealed)
                .map_err(|_| ImportError::WrongPassphrase(FORMAT))?;
            serde_json::from_slice(&plain).map_err(damaged)?
        }
        other => serde_json::from_value(other.clone()).map_err(damaged)?,
    };
    let mut entries = Entries::default();
    for (i, entry) in db.entries.iter().enumerate() {
        let fields = Fields {
            issuer: &entry.issuer,
            label: &entry.name,
            secret: &entry.info.secret,
            kind: &entry.kind,
            algorithm: &entry.info.algo,
            digits: entry.info.digits,
            period: entry.info.period,
            counter: entry.info.counter,
        };
        entries.push(
            || entry_name(&entry.issuer, &entry.name, i),
            fields.account(),
        );
    }
    entries.done()
}
