//! Tessera's encrypted backup, version 1 (documented in `docs/backup-format.md`).
//!
//! ```text
//! header line: {"format":"tessera-backup","version":1,"kdf":{...},"cipher":{...}}\n
//! then:        AES-256-GCM(key, nonce, aad = the header line with its \n, accounts JSON)
//!              i.e. ciphertext || 16-byte tag
//! key:         Argon2id(passphrase UTF-8, salt, memory_kib, iterations, parallelism), 32 bytes
//! ```
//!
//! The header is authenticated as associated data, so changing any byte of the file (the KDF
//! parameters included) makes it unreadable. The header's fields are read with limits, so a
//! forged file can't make the key derivation take minutes or gigabytes.
//!
//! Why Argon2id rather than PBKDF2: it is memory-hard. Guessing a passphrase costs 64 MiB of
//! memory per guess, which is what makes GPUs and ASICs expensive; PBKDF2-HMAC-SHA256 at
//! 600,000 iterations takes time of the same order on a laptop core (measured: 143 ms against
//! 363 ms) but almost no memory, so GPUs guess it far faster. The parameters (64 MiB, 3 passes, 1 lane) are RFC 9106's
//! second recommended option with one lane; they are in the header, so later versions can raise
//! them and still read older files.

use data_encoding::BASE64;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::crypto::{self, TAG_LEN};
use super::{Format, ImportError, Item};
use crate::record::{MetaRecord, ParamsRecord};
use crate::sensitive::Sensitive;
use crate::untrusted::shown;

const FORMAT: &str = "tessera-backup";
const VERSION: u32 = 1;
const PAYLOAD_FORMAT: &str = "tessera-accounts";
/// How every Tessera backup starts (the header's first field, written in this order).
const MAGIC: &[u8] = b"{\"format\":\"tessera-backup\"";
/// A header longer than this is not read.
const MAX_HEADER: usize = 4096;
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 12;

/// Argon2id's cost. Files are read only within [`KdfParams::MAX_MEMORY_KIB`] and
/// [`KdfParams::MAX_WORK`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// 64 MiB, 3 passes, 1 lane: about 0.2 s on a laptop core.
    pub const DEFAULT: Self = Self {
        memory_kib: 64 * 1024,
        iterations: 3,
        parallelism: 1,
    };
    /// The most memory a backup may ask for: 512 MiB, 8x the default, so that reading a
    /// crafted file stays well inside a desktop's memory (and a 1 GiB address space).
    pub const MAX_MEMORY_KIB: u32 = 512 * 1024;
    /// The most memory times passes a backup may ask for (2 GiB passes, ~10x the default,
    /// about 3 s here).
    pub const MAX_WORK: u64 = 2 * 1024 * 1024;
    pub const MAX_PARALLELISM: u32 = 16;

    /// The 256-bit key for `passphrase` and `salt`.
    fn derive(&self, passphrase: &str, salt: &[u8]) -> Result<crypto::Key, String> {
        crypto::argon2id(
            passphrase,
            salt,
            self.memory_kib,
            self.iterations,
            self.parallelism,
        )
    }

    fn check(&self) -> Result<(), String> {
        let work = u64::from(self.memory_kib) * u64::from(self.iterations);
        if self.memory_kib > Self::MAX_MEMORY_KIB
            || work > Self::MAX_WORK
            || self.parallelism > Self::MAX_PARALLELISM
            || self.iterations == 0
        {
            return Err(format!(
                "its key derivation asks for {} KiB and {} passes, beyond what Tessera allows",
                self.memory_kib, self.iterations
            ));
        }
        Ok(())
    }
}

/// Why a backup could not be written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExportError {
    #[error("the passphrase is empty")]
    EmptyPassphrase,
    #[error(
        "the passphrase needs at least {} characters",
        super::MIN_PASSPHRASE_CHARS
    )]
    WeakPassphrase,
    #[error("encryption failed: {0}")]
    Crypto(String),
}

/// What every version's header has.
#[derive(Deserialize)]
struct Versioned {
    format: String,
    version: u32,
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    kdf: KdfHeader,
    cipher: CipherHeader,
}

#[derive(Serialize, Deserialize)]
struct KdfHeader {
    algorithm: String,
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
    /// Base64 (RFC 4648, padded).
    salt: String,
}

#[derive(Serialize, Deserialize)]
struct CipherHeader {
    algorithm: String,
    nonce: String,
}

/// The plaintext: every account with everything about it.
#[derive(Serialize, Deserialize)]
struct Payload {
    format: String,
    version: u32,
    exported_at: u64,
    #[serde(deserialize_with = "super::entries")]
    accounts: Vec<Record>,
}

#[derive(Serialize, Deserialize)]
struct Record {
    position: usize,
    name: String,
    issuer: String,
    label: String,
    #[serde(flatten)]
    params: ParamsRecord,
    #[serde(flatten)]
    meta: MetaRecord,
    /// Base32 without padding. Written only into the encrypted payload.
    #[serde(serialize_with = "crate::sensitive::reveal")]
    secret: Sensitive<String>,
}

/// Whether `bytes` start like a Tessera backup.
pub fn is_tessera(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

pub(super) fn random<const N: usize>() -> Result<[u8; N], ExportError> {
    crypto::random().ok_or_else(|| ExportError::Crypto("the system random generator failed".into()))
}

/// The key a backup is encrypted with, and what it was derived with (salt and Argon2id
/// parameters, which go into every file's header). Automatic backups keep it in the keychain,
/// so the passphrase is asked once and never stored; each file still gets its own nonce, and
/// `tessera import` reads it with the passphrase as any backup.
#[derive(Debug, Clone)]
pub struct BackupKey {
    key: crypto::Key,
    salt: [u8; SALT_LEN],
    kdf: KdfParams,
}

/// How a [`BackupKey`] is kept (in the keychain): JSON, the key and salt in base64.
#[derive(Serialize, Deserialize)]
struct StoredKey {
    format: String,
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
    salt: String,
    #[serde(serialize_with = "crate::sensitive::reveal")]
    key: Sensitive<String>,
}

const STORED_KEY_FORMAT: &str = "tessera-backup-key-argon2id";

impl BackupKey {
    /// The most bytes [`BackupKey::to_bytes`] gives, whatever the parameters: every field has a
    /// fixed size but the three numbers, which are at most 10 digits each. Far under the
    /// smallest keychain item limit (Windows' 2,560 bytes).
    pub const MAX_KEPT_BYTES: usize = 256;

    /// Derives the key for `passphrase` with a new random salt (Argon2id: about 0.2 s with the
    /// default parameters).
    pub fn derive(passphrase: &str, kdf: KdfParams) -> Result<Self, ExportError> {
        if passphrase.is_empty() {
            return Err(ExportError::EmptyPassphrase);
        }
        let salt: [u8; SALT_LEN] = random()?;
        let key = kdf.derive(passphrase, &salt).map_err(ExportError::Crypto)?;
        Ok(Self { key, salt, kdf })
    }

    /// The key as it is kept: it holds the key, so it is [`Sensitive`].
    pub fn to_bytes(&self) -> Sensitive<Vec<u8>> {
        let stored = StoredKey {
            format: STORED_KEY_FORMAT.into(),
            memory_kib: self.kdf.memory_kib,
            iterations: self.kdf.iterations,
            parallelism: self.kdf.parallelism,
            salt: BASE64.encode(&self.salt),
            key: Sensitive::new(BASE64.encode(self.key.as_ref())),
        };
        let mut bytes = Sensitive::new(Vec::with_capacity(256));
        // Writing a struct of strings and numbers into a Vec does not fail.
        let _ = serde_json::to_writer(&mut *bytes, &stored);
        bytes
    }

    /// A key kept by [`BackupKey::to_bytes`]; `None` when the bytes are not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let stored: StoredKey = serde_json::from_slice(bytes).ok()?;
        if stored.format != STORED_KEY_FORMAT {
            return None;
        }
        let kdf = KdfParams {
            memory_kib: stored.memory_kib,
            iterations: stored.iterations,
            parallelism: stored.parallelism,
        };
        kdf.check().ok()?;
        let salt = BASE64
            .decode(stored.salt.as_bytes())
            .ok()?
            .try_into()
            .ok()?;
        let key = Sensitive::new(BASE64.decode(stored.key.as_bytes()).ok()?);
        let key: [u8; crypto::KEY_LEN] = key.as_slice().try_into().ok()?;
        Some(Self {
            key: Sensitive::new(key),
            salt,
            kdf,
        })
    }
}

/// Writes a backup of `accounts` (in display order, each with its name, tags and note), with a
/// key derived from `passphrase`.
pub fn encrypt(
    accounts: &[Item],
    passphrase: &str,
    kdf: KdfParams,
    exported_at: u64,
) -> Result<Vec<u8>, ExportError> {
    encrypt_with(accounts, &BackupKey::derive(passphrase, kdf)?, exported_at)
}

/// Writes a backup of `accounts` with a key derived earlier (automatic backups).
pub fn encrypt_with(
    accounts: &[Item],
    key: &BackupKey,
    exported_at: u64,
) -> Result<Vec<u8>, ExportError> {
    let nonce: [u8; NONCE_LEN] = random()?;
    let kdf = key.kdf;
    let header = Header {
        format: FORMAT.into(),
        version: VERSION,
        kdf: KdfHeader {
            algorithm: "argon2id".into(),
            memory_kib: kdf.memory_kib,
            iterations: kdf.iterations,
            parallelism: kdf.parallelism,
            salt: BASE64.encode(&key.salt),
        },
        cipher: CipherHeader {
            algorithm: "aes-256-gcm".into(),
            nonce: BASE64.encode(&nonce),
        },
    };
    let mut file = serde_json::to_vec(&header).map_err(|e| ExportError::Crypto(e.to_string()))?;
    file.push(b'\n');
    let payload = Payload {
        format: PAYLOAD_FORMAT.into(),
        version: VERSION,
        exported_at,
        accounts: accounts
            .iter()
            .enumerate()
            .map(|(position, item)| record(position, item))
            .collect(),
    };
    // Sized up front so that the plaintext is not copied by growing (copies would not be zeroed).
    let mut plain = Sensitive::new(Vec::with_capacity(256 + accounts.len() * 512));
    serde_json::to_writer(&mut *plain, &payload).map_err(|e| ExportError::Crypto(e.to_string()))?;
    let sealed = crypto::seal(key.key.as_ref(), &nonce, &file, &plain)
        .map_err(|_| ExportError::Crypto("AES-GCM failed".into()))?;
    file.extend_from_slice(&sealed);
    Ok(file)
}

fn record(position: usize, item: &Item) -> Record {
    let account = &item.account;
    Record {
        position,
        name: item.shown_name(),
        issuer: account.issuer.clone(),
        label: account.label.clone(),
        params: ParamsRecord::from(&account.params),
        meta: MetaRecord::from(&item.meta),
        secret: account.secret.to_base32(),
    }
}

/// Reads a backup written by [`encrypt`]: its accounts with their friendly names, tags and
/// notes, in order.
pub fn decrypt(bytes: &[u8], passphrase: &str) -> Result<Vec<Item>, ImportError> {
    let damaged = |detail: &str| ImportError::damaged(Format::Tessera, detail);
    let header_len = bytes
        .iter()
        .take(MAX_HEADER)
        .position(|&b| b == b'\n')
        .ok_or_else(|| damaged("its header is cut or too long"))?
        + 1;
    let (header_bytes, sealed) = bytes.split_at(header_len);
    let versioned: Versioned = serde_json::from_slice(header_bytes)
        .map_err(|e| damaged(&format!("its header is not valid: {e}")))?;
    if versioned.format != FORMAT {
        return Err(damaged("its header does not say tessera-backup"));
    }
    if versioned.version != VERSION {
        return Err(ImportError::Unsupported(format!(
            "this Tessera backup is version {}; this Tessera reads version {VERSION}: \
             update Tessera to read it",
            versioned.version
        )));
    }
    let header: Header = serde_json::from_slice(header_bytes)
        .map_err(|e| damaged(&format!("its header is not valid: {e}")))?;
    if header.kdf.algorithm != "argon2id" || header.cipher.algorithm != "aes-256-gcm" {
        return Err(damaged("it names an unknown key derivation or cipher"));
    }
    let kdf = KdfParams {
        memory_kib: header.kdf.memory_kib,
        iterations: header.kdf.iterations,
        parallelism: header.kdf.parallelism,
    };
    kdf.check().map_err(|e| damaged(&e))?;
    let salt = BASE64
        .decode(header.kdf.salt.as_bytes())
        .map_err(|_| damaged("its salt is not base64"))?;
    let nonce = BASE64
        .decode(header.cipher.nonce.as_bytes())
        .map_err(|_| damaged("its nonce is not base64"))?;
    if salt.len() < 8 || nonce.len() != NONCE_LEN {
        return Err(damaged("its salt or nonce has the wrong length"));
    }
    if sealed.len() < TAG_LEN {
        return Err(damaged("it is cut short"));
    }
    let key = kdf.derive(passphrase, &salt).map_err(|e| damaged(&e))?;
    let plain = crypto::open(key.as_ref(), &nonce, header_bytes, sealed)
        .map_err(|_| ImportError::WrongPassphrase(Format::Tessera))?;
    let payload: Payload = serde_json::from_slice(&plain)
        .map_err(|e| damaged(&format!("its accounts are not valid: {e}")))?;
    if payload.format != PAYLOAD_FORMAT {
        return Err(damaged("its content is not a list of accounts"));
    }
    let mut records = payload.accounts;
    records.sort_by_key(|r| r.position);
    records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let problem = |e: &dyn std::fmt::Display| {
                damaged(&format!("account {} ({}): {e}", i + 1, shown(&r.name)))
            };
            let params = r.params.params().map_err(|e| problem(&e))?;
            let account = super::entry_account(&r.issuer, &r.label, &r.secret, params)
                .map_err(|e| problem(&e))?;
            Ok(Item {
                name: Some(r.name.clone()),
                account,
                meta: r.meta.meta(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_key_is_never_longer_than_its_bound() {
        let widest = StoredKey {
            format: STORED_KEY_FORMAT.into(),
            memory_kib: u32::MAX,
            iterations: u32::MAX,
            parallelism: u32::MAX,
            salt: BASE64.encode(&[0xff; SALT_LEN]),
            key: Sensitive::new(BASE64.encode(&[0xff; crypto::KEY_LEN])),
        };
        let bytes = serde_json::to_vec(&widest).unwrap();
        assert!(
            bytes.len() <= BackupKey::MAX_KEPT_BYTES,
            "{} bytes",
            bytes.len()
        );
        let kept = BackupKey::derive("a passphrase", FAST).unwrap().to_bytes();
        assert!(kept.len() <= bytes.len(), "{} bytes", kept.len());
    }

    /// Cheap parameters so that unit tests run fast; the integration tests use the default.
    pub const FAST: KdfParams = KdfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    fn accounts() -> Vec<Item> {
        [
            ("staging-tester-07", "otpauth://totp/AWS:admin?secret=JBSWY3DPEHPK3PXP"),
            ("hotp", "otpauth://hotp/H:x?secret=JBSWY3DPEHPK3PXQ&counter=42&digits=8"),
            ("steam", "otpauth://steam/Steam:me?secret=JBSWY3DPEHPK3PXR"),
            (
                "sha512 ünïcode",
                "otpauth://totp/%E6%97%A5%E6%9C%AC:b?secret=JBSWY3DPEHPK3PXS&algorithm=SHA512&period=60&digits=7",
            ),
        ]
        .into_iter()
        .map(|(n, u)| Item::named(n, crate::uri::parse(u).unwrap()))
        .enumerate()
        .map(|(i, mut item)| {
            if i == 0 {
                item.meta = crate::meta::Meta::imported(["prod", "Team A"], "owner: ops\nreset via IAM");
            }
            item
        })
        .collect()
    }

    #[test]
    fn round_trip_keeps_everything_and_the_order() {
        let accounts = accounts();
        let file = encrypt(&accounts, "correct horse", FAST, 1_700_000_000).unwrap();
        assert!(is_tessera(&file));
        assert_eq!(super::super::detect(&file), Some(Format::Tessera));
        assert_eq!(decrypt(&file, "correct horse").unwrap(), accounts);
        // Random salt and nonce: two exports differ.
        assert_ne!(
            file,
            encrypt(&accounts, "correct horse", FAST, 1_700_000_000).unwrap()
        );
    }

    #[test]
    fn wrong_passphrase_and_every_flipped_byte_are_refused() {
        let file = encrypt(&accounts()[..1], "pw", FAST, 0).unwrap();
        assert_eq!(
            decrypt(&file, "pW").unwrap_err(),
            ImportError::WrongPassphrase(Format::Tessera)
        );
        for i in 0..file.len() {
            let mut changed = file.clone();
            changed[i] ^= 0x01;
            assert!(
                decrypt(&changed, "pw").is_err(),
                "flipped byte {i} was accepted"
            );
        }
        for len in 0..file.len() {
            assert!(
                decrypt(&file[..len], "pw").is_err(),
                "cut at {len} was accepted"
            );
        }
    }

    #[test]
    fn hostile_headers_are_refused_before_deriving() {
        for kdf in [
            r#""memory_kib":4194304,"iterations":1,"parallelism":1"#,
            r#""memory_kib":1048576,"iterations":8,"parallelism":1"#,
            r#""memory_kib":65536,"iterations":0,"parallelism":1"#,
            r#""memory_kib":65536,"iterations":3,"parallelism":4096"#,
        ] {
            let file = format!(
                "{{\"format\":\"tessera-backup\",\"version\":1,\"kdf\":{{\"algorithm\":\"argon2id\",{kdf},\"salt\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}},\"cipher\":{{\"algorithm\":\"aes-256-gcm\",\"nonce\":\"AAAAAAAAAAAAAAAA\"}}}}\n0123456789abcdef0123"
            );
            let err = decrypt(file.as_bytes(), "pw").unwrap_err();
            assert!(matches!(err, ImportError::Damaged { .. }), "{kdf}: {err:?}");
        }
        let newer = br#"{"format":"tessera-backup","version":2}
xx"#;
        assert!(matches!(
            decrypt(newer, "pw"),
            Err(ImportError::Unsupported(m)) if m.contains("version 2")
        ));
    }

    #[test]
    fn a_kept_key_writes_backups_the_passphrase_reads() {
        let key = BackupKey::derive("correct horse", FAST).unwrap();
        let kept = BackupKey::from_bytes(&key.to_bytes()).unwrap();
        assert_eq!(kept.salt, key.salt);
        assert!(format!("{kept:?}").contains("<redacted>"));
        let first = encrypt_with(&accounts(), &kept, 1).unwrap();
        let second = encrypt_with(&accounts(), &kept, 1).unwrap();
        assert_ne!(first, second, "each file has its own nonce");
        for file in [first, second] {
            assert_eq!(decrypt(&file, "correct horse").unwrap().len(), 4);
            assert!(decrypt(&file, "correct horsf").is_err());
        }
        assert!(BackupKey::from_bytes(b"{}").is_none());
        let mut damaged = key.to_bytes().to_vec();
        damaged.truncate(damaged.len() - 3);
        assert!(BackupKey::from_bytes(&damaged).is_none());
    }

    #[test]
    fn empty_passphrase_is_refused() {
        assert_eq!(
            encrypt(&accounts(), "", FAST, 0).unwrap_err(),
            ExportError::EmptyPassphrase
        );
    }
}
