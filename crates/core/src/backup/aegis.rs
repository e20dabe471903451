//! Aegis vault files (`aegis-backup-*.json`), plain or encrypted.
//!
//! Encrypted: each password slot holds the master key encrypted with AES-256-GCM under a key
//! derived by scrypt from the password; the `db` field is base64 of the vault encrypted with the
//! master key (nonce and tag in `header.params`). See Aegis's `docs/vault.md`.
//!
//! Tessera also writes this format ([`write`]), so that Aegis, 2FAS, Ente Auth, Proton
//! Authenticator and Stratum can take its accounts: vault version 1, database version 3, one
//! password slot (scrypt N = 2^15, r = 8, p = 1, as Aegis makes them). Aegis shows an entry's
//! issuer and name; when the user gave an account a friendly name of their own, that name is
//! the entry's name and the account's label goes into the note's first line as
//! "Tessera account label: LABEL", which the reader here turns back into both (the user's own
//! note follows on the next lines). Tags are written as Aegis groups, and read from the groups
//! of database version 3 and from the single `group` name of earlier versions.

use data_encoding::{BASE64, HEXLOWER, HEXLOWER_PERMISSIVE};
use serde::{Deserialize, Serialize};

use super::crypto::{self, Key};
use super::tessera::random;
use super::{Entries, ExportError, Fields, Format, ImportError, Item, Read, Skipped, entry_name};
use crate::account::default_name;
use crate::meta::{IconChoice, Meta};
use crate::otp::Kind;
use crate::record::custom_from_base64;
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
/// The password slot's scrypt cost Aegis itself writes: N = 2^15, r = 8, p = 1 (32 MiB).
const SCRYPT_LOG_N: u8 = 15;
const SCRYPT_R: u32 = 8;
const SCRYPT_P: u32 = 1;
/// How a note that carries the account's label starts (see the module docs).
const LABEL_NOTE: &str = "Tessera account label: ";

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
    /// Version 3's groups, which entries name by uuid.
    #[serde(default, deserialize_with = "super::entries")]
    groups: Vec<Group>,
}

#[derive(Deserialize)]
struct Group {
    uuid: String,
    name: String,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    note: Option<String>,
    /// Aegis's favourites come first in its list, as pinned accounts do in Tessera's.
    #[serde(default)]
    favorite: bool,
    /// The group's name, before database version 3.
    #[serde(default)]
    group: Option<String>,
    /// The uuids of its groups, from database version 3.
    #[serde(default, deserialize_with = "super::entries")]
    groups: Vec<String>,
    /// The entry's own icon, base64 (its `icon_mime` is not trusted: the bytes say what it is).
    #[serde(default, deserialize_with = "lenient_string")]
    icon: Option<String>,
    info: Info,
}

/// A field that is a string when it is one, and nothing otherwise.
fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    })
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
    read_opened_by(bytes, |slots| master_key(slots, passphrase()?))
}

/// The master key of an encrypted Aegis vault, from its password: what a follower of Aegis's
/// automatic backups keeps, so that every later backup opens without the password (Aegis keeps
/// one master key for the life of a vault).
pub fn master_key_of(bytes: &[u8], passphrase: &str) -> Result<Key, ImportError> {
    let file = parse(bytes)?;
    if sealed_db(&file).is_none() {
        return Err(ImportError::Unsupported(
            "this Aegis vault is not encrypted: there is no key to keep".into(),
        ));
    }
    master_key(file.header.slots.as_deref().unwrap_or_default(), passphrase)
}

/// The accounts of an Aegis vault opened with its master key ([`master_key_of`]); a vault in
/// clear reads as it is. Another key is [`ImportError::WrongPassphrase`].
pub fn read_with_master_key(bytes: &[u8], key: &Key) -> Read {
    read_opened_by(bytes, |_| Ok(key.clone()))
}

fn read_opened_by(bytes: &[u8], open: impl FnOnce(&[Slot]) -> Result<Key, ImportError>) -> Read {
    let file = parse(bytes)?;
    let db: Db = match sealed_db(&file) {
        Some(sealed_db) => {
            let slots = file.header.slots.as_deref().unwrap_or_default();
            let params = file
                .header
                .params
                .as_ref()
                .ok_or_else(|| damaged("it is encrypted but has no nonce"))?;
            let key = open(slots)?;
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
    // Looked up once per group an entry names: a crafted file costs a hash lookup each.
    let group_names: std::collections::HashMap<&str, &str> = db
        .groups
        .iter()
        .map(|g| (g.uuid.as_str(), g.name.as_str()))
        .collect();
    let mut entries = Entries::default();
    for (i, entry) in db.entries.iter().enumerate() {
        // A friendly name Tessera wrote, with the label in the note's first line.
        let note = entry.note.as_deref().unwrap_or_default();
        let (label_note, note) = match note.strip_prefix(LABEL_NOTE) {
            Some(rest) => match rest.split_once('\n') {
                Some((label, note)) => (Some(label), note),
                None => (Some(rest), ""),
            },
            None => (None, note),
        };
        let groups = entry
            .groups
            .iter()
            .filter_map(|uuid| group_names.get(uuid.as_str()).copied());
        let meta = Meta {
            pinned: entry.favorite,
            // An icon that is not a PNG, JPEG or SVG of at most 64 KiB is left for the
            // automatic one.
            icon: entry
                .icon
                .as_deref()
                .and_then(custom_from_base64)
                .map_or(IconChoice::Auto, IconChoice::Custom),
            ..Meta::imported(entry.group.as_deref().into_iter().chain(groups), note)
        };
        let fields = Fields {
            issuer: &entry.issuer,
            label: label_note.unwrap_or(&entry.name),
            secret: &entry.info.secret,
            kind: &entry.kind,
            algorithm: &entry.info.algo,
            digits: entry.info.digits,
            period: entry.info.period,
            counter: entry.info.counter,
        };
        match fields.account() {
            Ok(account) => entries.push_item(Item {
                name: label_note.map(|_| entry.name.clone()),
                account,
                meta,
            })?,
            Err(reason) => entries.push_skipped(Skipped {
                name: entry_name(&entry.issuer, &entry.name, i),
                reason,
            })?,
        }
    }
    entries.done()
}

#[derive(Serialize)]
struct OutFile<Db: Serialize> {
    version: u32,
    header: OutHeader,
    db: Db,
}

#[derive(Serialize)]
struct OutHeader {
    slots: Option<[OutSlot; 1]>,
    params: Option<OutSealed>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct OutSlot {
    #[serde(rename = "type")]
    kind: u32,
    uuid: String,
    key: String,
    key_params: OutSealed,
    n: u64,
    r: u32,
    p: u32,
    salt: String,
    repaired: bool,
    is_backup: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct OutSealed {
    nonce: String,
    tag: String,
}

#[derive(Serialize)]
struct OutDb {
    version: u32,
    entries: Vec<OutEntry>,
    groups: Vec<OutGroup>,
}

#[derive(Serialize)]
struct OutGroup {
    uuid: String,
    name: String,
}

#[derive(Serialize)]
struct OutEntry {
    #[serde(rename = "type")]
    kind: &'static str,
    uuid: String,
    name: String,
    issuer: String,
    note: String,
    favorite: bool,
    icon: Option<String>,
    icon_mime: Option<&'static str>,
    info: OutInfo,
    groups: Vec<String>,
}

#[derive(Serialize)]
struct OutInfo {
    #[serde(serialize_with = "crate::sensitive::reveal")]
    secret: Sensitive<String>,
    algo: &'static str,
    digits: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

/// A random (version 4) UUID, as Aegis gives every entry and slot.
fn uuid() -> Result<String, ExportError> {
    let mut bytes: [u8; 16] = random()?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = HEXLOWER.encode(&bytes);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}

fn out_entry(item: &Item, groups: &[OutGroup]) -> Result<OutEntry, ExportError> {
    let (name, account) = (item.shown_name(), &item.account);
    let params = &account.params;
    let chosen_name = name != default_name(&account.issuer, &account.label);
    // Aegis shows an entry's own icon: the user's image, or the bundled icon they chose, drawn
    // in its brand colour. Automatic icons are left to Aegis's own icon packs.
    let icon: Option<(&'static str, Vec<u8>)> = match &item.meta.icon {
        IconChoice::Custom(image) => Some((image.kind().mime(), image.data().to_vec())),
        IconChoice::Bundled(id) => crate::icons::get(id).map(|icon| {
            let fill = icon.colour(crate::icons::Theme::Light);
            ("image/svg+xml", icon.svg(fill.as_deref()).into_bytes())
        }),
        IconChoice::Auto | IconChoice::Letter => None,
    };
    let label_line =
        chosen_name.then(|| format!("{LABEL_NOTE}{}", account.label.replace('\n', " ")));
    let note = label_line
        .into_iter()
        .chain((!item.meta.note.is_empty()).then(|| item.meta.note.clone()))
        .collect::<Vec<_>>()
        .join("\n");
    Ok(OutEntry {
        kind: params.kind.name(),
        uuid: uuid()?,
        name: if chosen_name {
            name
        } else {
            account.label.clone()
        },
        issuer: account.issuer.clone(),
        note,
        favorite: item.meta.pinned,
        icon: icon.as_ref().map(|(_, data)| BASE64.encode(data)),
        icon_mime: icon.as_ref().map(|(mime, _)| *mime),
        info: OutInfo {
            secret: account.secret.to_base32(),
            algo: params.algorithm.as_str(),
            digits: params.code_length(),
            period: params.kind.period().map(|p| p.get()),
            counter: match params.kind {
                Kind::Hotp { counter } => Some(counter),
                Kind::Totp { .. } | Kind::Steam { .. } => None,
            },
        },
        groups: item
            .meta
            .tags
            .iter()
            .filter_map(|tag| groups.iter().find(|g| &g.name == tag))
            .map(|g| g.uuid.clone())
            .collect(),
    })
}

/// One Aegis group for each tag in use, in the order tags first appear.
fn out_groups(accounts: &[Item]) -> Result<Vec<OutGroup>, ExportError> {
    let mut groups: Vec<OutGroup> = Vec::new();
    for tag in accounts.iter().flat_map(|i| &i.meta.tags) {
        if !groups.iter().any(|g| &g.name == tag) {
            groups.push(OutGroup {
                uuid: uuid()?,
                name: tag.clone(),
            });
        }
    }
    Ok(groups)
}

/// Writes `accounts` (with their names, tags and notes) as an Aegis vault: encrypted with `passphrase`
/// (a password slot, as Aegis makes), or in clear when it is `None`.
pub(super) fn write(
    accounts: &[Item],
    passphrase: Option<&str>,
) -> Result<Sensitive<Vec<u8>>, ExportError> {
    let crypto_failed = |what: &str| ExportError::Crypto(format!("{what} failed"));
    let db = out_db(accounts)?;
    let mut out = Sensitive::new(Vec::with_capacity(512 + accounts.len() * 512));
    let Some(passphrase) = passphrase else {
        let file = OutFile {
            version: 1,
            header: OutHeader {
                slots: None,
                params: None,
            },
            db,
        };
        serde_json::to_writer_pretty(&mut *out, &file)
            .map_err(|e| crypto_failed(&e.to_string()))?;
        return Ok(out);
    };
    write_sealed(db, &VaultKey::new(passphrase)?, out)
}

/// An Aegis vault's master key with its password slot, made once from a password. Every file
/// sealed with it opens with that password, and with the one master key, as the automatic
/// backups of one Aegis vault do: so Tessera's automatic backups in Aegis's format are one
/// vault to Aegis, and a follower keeps one key. Zeroed on drop; kept as [`VaultKey::to_bytes`].
#[derive(Clone, Serialize, Deserialize)]
pub struct VaultKey {
    #[serde(serialize_with = "crate::sensitive::reveal")]
    master: Sensitive<String>,
    slot: OutSlot,
}

impl std::fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultKey(<redacted>)")
    }
}

impl VaultKey {
    /// The longest [`VaultKey::to_bytes`] can be: it fits any keychain item.
    pub const MAX_KEPT_BYTES: usize = 1024;

    /// A new master key, sealed in a password slot with scrypt as Aegis makes them.
    pub fn new(passphrase: &str) -> Result<Self, ExportError> {
        let crypto_failed = |what: &str| ExportError::Crypto(format!("{what} failed"));
        let master = Sensitive::new(random::<{ crypto::KEY_LEN }>()?);
        let salt: [u8; 32] = random()?;
        let slot_key = crypto::scrypt(passphrase, &salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)
            .map_err(ExportError::Crypto)?;
        let slot_nonce: [u8; 12] = random()?;
        let sealed = crypto::seal(slot_key.as_ref(), &slot_nonce, b"", master.as_ref())
            .map_err(|_| crypto_failed("AES-GCM"))?;
        let (body, tag) = sealed.split_at(sealed.len() - crypto::TAG_LEN);
        Ok(Self {
            master: Sensitive::new(HEXLOWER.encode(master.as_ref())),
            slot: OutSlot {
                kind: 1,
                uuid: uuid()?,
                key: HEXLOWER.encode(body),
                key_params: OutSealed {
                    nonce: HEXLOWER.encode(&slot_nonce),
                    tag: HEXLOWER.encode(tag),
                },
                n: 1 << SCRYPT_LOG_N,
                r: SCRYPT_R,
                p: SCRYPT_P,
                salt: HEXLOWER.encode(&salt),
                repaired: true,
                is_backup: false,
            },
        })
    }

    /// The key as it is kept in the keychain (it holds the master key).
    pub fn to_bytes(&self) -> Sensitive<Vec<u8>> {
        let mut bytes = Sensitive::new(Vec::with_capacity(Self::MAX_KEPT_BYTES));
        let _ = serde_json::to_writer(&mut *bytes, self);
        bytes
    }

    /// A kept key; `None` when the bytes are not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let key: Self = serde_json::from_slice(bytes).ok()?;
        (key.master.len() == 2 * crypto::KEY_LEN).then_some(key)
    }

    fn master(&self) -> Result<Key, ExportError> {
        let bytes = Sensitive::new(
            HEXLOWER
                .decode(self.master.as_bytes())
                .map_err(|_| ExportError::Crypto("a damaged Aegis vault key".into()))?,
        );
        let key: [u8; crypto::KEY_LEN] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| ExportError::Crypto("a damaged Aegis vault key".into()))?;
        Ok(Sensitive::new(key))
    }
}

fn out_db(accounts: &[Item]) -> Result<OutDb, ExportError> {
    let groups = out_groups(accounts)?;
    Ok(OutDb {
        version: 3,
        entries: accounts
            .iter()
            .map(|item| out_entry(item, &groups))
            .collect::<Result<_, _>>()?,
        groups,
    })
}

/// Writes `accounts` as an encrypted Aegis vault sealed with `key` (see [`VaultKey`]).
pub fn write_with(accounts: &[Item], key: &VaultKey) -> Result<Sensitive<Vec<u8>>, ExportError> {
    let db = out_db(accounts)?;
    let out = Sensitive::new(Vec::with_capacity(512 + accounts.len() * 512));
    write_sealed(db, key, out)
}

fn write_sealed(
    db: OutDb,
    key: &VaultKey,
    mut out: Sensitive<Vec<u8>>,
) -> Result<Sensitive<Vec<u8>>, ExportError> {
    let crypto_failed = |what: &str| ExportError::Crypto(format!("{what} failed"));
    let mut plain = Sensitive::new(Vec::with_capacity(256 + db.entries.len() * 512));
    serde_json::to_writer(&mut *plain, &db).map_err(|e| crypto_failed(&e.to_string()))?;
    let db_nonce: [u8; 12] = random()?;
    let sealed = crypto::seal(key.master()?.as_ref(), &db_nonce, b"", &plain)
        .map_err(|_| crypto_failed("AES-GCM"))?;
    let (sealed_db, db_tag) = sealed.split_at(sealed.len() - crypto::TAG_LEN);
    let file = OutFile {
        version: 1,
        header: OutHeader {
            slots: Some([key.slot.clone()]),
            params: Some(OutSealed {
                nonce: HEXLOWER.encode(&db_nonce),
                tag: HEXLOWER.encode(db_tag),
            }),
        },
        db: BASE64.encode(sealed_db),
    };
    serde_json::to_writer_pretty(&mut *out, &file).map_err(|e| crypto_failed(&e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accounts() -> Vec<Item> {
        [
            ("staging-tester-07", "otpauth://totp/AWS:admin?secret=JBSWY3DPEHPK3PXP"),
            ("H (x)", "otpauth://hotp/H:x?secret=JBSWY3DPEHPK3PXQ&counter=42&digits=8"),
            ("Steam (me)", "otpauth://steam/Steam:me?secret=JBSWY3DPEHPK3PXR"),
            (
                "sha512 ünïcode",
                "otpauth://totp/%E6%97%A5%E6%9C%AC:b?secret=JBSWY3DPEHPK3PXS&algorithm=SHA512&period=60&digits=7",
            ),
        ]
        .into_iter()
        .map(|(n, u)| Item::named(n, crate::uri::parse(u).unwrap()))
        .zip([
            Meta::imported(["prod", "admins"], "owner: ops\nsecond line"),
            Meta::imported(["prod"], ""),
            Meta::imported(Vec::<&str>::new(), "a note"),
            Meta::default(),
        ])
        .map(|(item, meta)| Item { meta, ..item })
        .collect()
    }

    /// What a read gives, with the friendly name the vault would give an unnamed item.
    fn named(items: Vec<Item>) -> Vec<Item> {
        items
            .into_iter()
            .map(|i| Item {
                name: Some(i.shown_name()),
                ..i
            })
            .collect()
    }

    #[test]
    fn backups_sealed_with_one_vault_key_open_with_its_password_or_its_master_key() {
        let accounts = accounts();
        let key = VaultKey::new("correct horse").unwrap();
        let kept = key.to_bytes();
        assert!(kept.len() <= VaultKey::MAX_KEPT_BYTES, "{}", kept.len());
        assert_eq!(format!("{key:?}"), "VaultKey(<redacted>)");
        let key = VaultKey::from_bytes(&kept).unwrap();
        let (first, second) = (
            write_with(&accounts, &key).unwrap(),
            write_with(&accounts[..1], &key).unwrap(),
        );
        assert_ne!(first, second);
        for file in [&first, &second] {
            assert!(read(file, || Ok("correct horse")).is_ok());
            assert!(matches!(
                read(file, || Ok("wrong horse")),
                Err(ImportError::WrongPassphrase(_))
            ));
        }
        // The master key the first gives opens the second without the password.
        let master = master_key_of(&first, "correct horse").unwrap();
        assert_eq!(
            named(read_with_master_key(&second, &master).unwrap().0),
            accounts[..1]
        );
        // Another vault's master key does not.
        let other = write(&accounts, Some("correct horse")).unwrap();
        assert!(matches!(
            read_with_master_key(&other, &master),
            Err(ImportError::WrongPassphrase(_))
        ));
        assert!(VaultKey::from_bytes(b"{}").is_none());
        assert!(matches!(
            master_key_of(&write(&accounts, None).unwrap(), "x"),
            Err(ImportError::Unsupported(_))
        ));
    }

    #[test]
    fn written_vaults_read_back_exactly_plain_and_encrypted() {
        let accounts = accounts();
        let plain = write(&accounts, None).unwrap();
        let file: serde_json::Value = serde_json::from_slice(&plain).unwrap();
        assert_eq!(file["version"], 1);
        assert_eq!(file["db"]["version"], 3);
        assert_eq!(file["db"]["entries"][0]["name"], "staging-tester-07");
        assert_eq!(
            file["db"]["entries"][0]["note"],
            "Tessera account label: admin\nowner: ops\nsecond line"
        );
        assert_eq!(file["db"]["entries"][2]["note"], "a note");
        let groups = file["db"]["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 2, "one group per tag: {groups:?}");
        assert_eq!(groups[1]["name"], "admins");
        assert_eq!(file["db"]["entries"][0]["groups"][1], groups[1]["uuid"]);
        assert_eq!(file["db"]["entries"][1]["groups"][0], groups[0]["uuid"]);
        assert_eq!(
            file["db"]["entries"][1]["name"], "x",
            "a default name is the label"
        );
        assert_eq!(file["db"]["entries"][1]["info"]["counter"], 42);
        assert_eq!(file["db"]["entries"][2]["type"], "steam");
        assert!(!is_encrypted(&plain));
        assert_eq!(named(read(&plain, || unreachable!()).unwrap().0), accounts);

        let sealed = write(&accounts, Some("correct horse")).unwrap();
        assert!(is_encrypted(&sealed));
        let text = std::str::from_utf8(&sealed).unwrap();
        assert!(
            !text.contains("JBSWY3DP") && !text.contains("staging"),
            "{text}"
        );
        let (items, skipped) = read(&sealed, || Ok("correct horse")).unwrap();
        assert!(skipped.is_empty());
        assert_eq!(named(items), accounts);
        assert_eq!(
            read(&sealed, || Ok("correct horsf")).unwrap_err(),
            ImportError::WrongPassphrase(FORMAT)
        );
        let uuid = file["db"]["entries"][0]["uuid"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
    }
}
