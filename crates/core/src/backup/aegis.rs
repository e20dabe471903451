//! Aegis vault files (`aegis-backup-*.json`), plain or encrypted.
//!
//! Encrypted: each password slot holds the master key encrypted with AES-256-GCM under a key
//! derived by scrypt from the password; the `db` field is base64 of the vault encrypted with the
//! master key (nonce and tag in `header.params`). See Aegis's `docs/vault.md`.

use data_encoding::{BASE64, HEXLOWER_PERMISSIVE};
use serde::Deserialize;

use super::crypto::{self, Key};
use super::{Entries, Fields, Format, ImportError, Read, entry_name};
use crate::sensitive::Sensitive;

const FORMAT: Format = Format::Aegis;
/// Largest scrypt memory (128 * N * r bytes) a file may ask for: 1 GiB.
/// scrypt's memory for one slot, 128·r·(N + p) bytes. Aegis uses N = 2^15, r = 8, p = 1:
/// 32 MiB; this leaves eight times that.
const MAX_SCRYPT_BYTES: u64 = 256 << 20;
/// scrypt's work for all the password slots together, 128·N·r·p bytes hashed each: one
/// guess at the passphrase tries every slot. About 2 s here; Aegis's default slot is 1/32 of it.
const MAX_SCRYPT_WORK: u64 = 1 << 30;
/// More key slots than Aegis makes (one password slot, and one per biometric key).
const MAX_SLOTS: usize = 16;

#[derive(Deserialize)]
struct File {
    header: Header,
    /// Base64 of the encrypted vault, or the vault itself: kept as its text until it is known
    /// which, so no tree of values is built from it.
    db: Box<serde_json::value::RawValue>,
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
    #[serde(deserialize_with = "super::entries")]
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
    secret: Sensitive<String>,
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
    parse(bytes).is_ok_and(|f| sealed_db(&f).is_some())
}

/// The encrypted vault's base64 text, when the `db` member is a string.
fn sealed_db(file: &File) -> Option<String> {
    file.db
        .get()
        .starts_with('"')
        .then(|| serde_json::from_str(file.db.get()).ok())
        .flatten()
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
    if slots.len() > MAX_SLOTS {
        return Err(damaged(format!(
            "it has {} key slots; at most {MAX_SLOTS} are read",
            slots.len()
        )));
    }
    // Every slot's cost is checked before any is tried: a guess costs all of them.
    let mut work = 0u64;
    for slot in &password_slots {
        let (n, r, p) = (slot.n, u64::from(slot.r), u64::from(slot.p));
        let memory = 128u64.saturating_mul(r).saturating_mul(n.saturating_add(p));
        work = work.saturating_add(128u64.saturating_mul(n).saturating_mul(r).saturating_mul(p));
        if !n.is_power_of_two() || n < 2 || r == 0 || p == 0 || memory > MAX_SCRYPT_BYTES {
            return Err(damaged("a key slot's scrypt parameters are out of range"));
        }
    }
    if work > MAX_SCRYPT_WORK {
        return Err(damaged(
            "its key slots together ask for too much scrypt work",
        ));
    }
    for slot in password_slots {
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
            return Ok(Sensitive::new(key));
        }
    }
    Err(ImportError::WrongPassphrase(FORMAT))
}

pub(super) fn read<'p>(
    bytes: &[u8],
    passphrase: impl FnOnce() -> Result<&'p str, ImportError>,
) -> Read {
    let file = parse(bytes)?;
    let db: Db = match sealed_db(&file) {
        Some(sealed_db) => {
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
        None => serde_json::from_str(file.db.get()).map_err(damaged)?,
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
        )?;
    }
    entries.done()
}
