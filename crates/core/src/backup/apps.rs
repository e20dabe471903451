//! Other apps' backups that fit in a few lines each: 2FAS (plain and encrypted), Bitwarden (JSON
//! and CSV), FreeOTP+, Proton Authenticator, Stratum (Authenticator Pro), and recognising each
//! JSON shape. Aegis and andOTP, with more to them, have their own modules.

use std::collections::HashMap;
use std::num::NonZeroU32;

use data_encoding::{BASE32_NOPAD, BASE64};
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::crypto;
use super::{Entries, Fields, Format, ImportError, Read, entry_name};
use crate::account::Account;
use crate::meta::Meta;
use crate::sensitive::Sensitive;
use crate::uri;

fn json<T: for<'de> Deserialize<'de>>(format: Format, bytes: &[u8]) -> Result<T, ImportError> {
    serde_json::from_slice(bytes).map_err(|e| ImportError::damaged(format, e))
}

/// The format of a JSON backup, from the keys it has.
pub(super) fn detect_json(bytes: &[u8]) -> Option<Format> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if !(text.starts_with('{') || text.starts_with('[')) {
        return None;
    }
    if text.starts_with('[') {
        return serde_json::from_str::<IgnoredAny>(text)
            .is_ok()
            .then_some(Format::AndOtp);
    }
    let keys: TopKeys = serde_json::from_str(text).ok()?;
    let has = |key: &str| keys.0.contains(key);
    Some(match () {
        _ if has("header") && has("db") => Format::Aegis,
        _ if has("servicesEncrypted") || (has("services") && has("schemaVersion")) => {
            Format::TwoFas
        }
        _ if has("items") && (has("encrypted") || has("folders")) => Format::BitwardenJson,
        _ if has("tokens") && has("tokenOrder") => Format::FreeOtpPlus,
        _ if has("Authenticators") => Format::Stratum,
        _ if has("entries") && has("version") => Format::Proton,
        _ => return None,
    })
}

/// The names of a JSON object's members; their values are skipped without being kept, so a
/// crafted file costs no memory beyond its names.
struct TopKeys(std::collections::HashSet<String>);

impl<'de> Deserialize<'de> for TopKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = TopKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<TopKeys, A::Error> {
                let mut keys = std::collections::HashSet::new();
                while let Some(key) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    if keys.len() < super::MAX_ENTRIES {
                        keys.insert(key);
                    }
                }
                Ok(TopKeys(keys))
            }
        }
        deserializer.deserialize_map(Keys)
    }
}

/// Whether `bytes` are andOTP's plain JSON (an array), as opposed to its encrypted layout.
pub(super) fn is_andotp_plain(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes.get(..64).unwrap_or(bytes));
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('[')
}

/// A one-time-password field as password managers store it: an `otpauth://` URI, Steam's
/// `steam://KEY`, or a bare base32 key (TOTP, 6 digits, 30 s) named by the item.
fn otp_field(text: &str, item_name: &str, username: &str) -> Result<Account, String> {
    let text = text.trim();
    let (kind, key) = match text.get(..8).map(str::to_ascii_lowercase) {
        Some(p) if p == "steam://" => ("steam", &text[8..]),
        Some(p) if p == "otpauth:" => return uri::parse(text).map_err(|e| e.to_string()),
        _ => ("totp", text),
    };
    Fields {
        issuer: item_name,
        label: username,
        secret: key,
        kind,
        ..Fields::default()
    }
    .account()
}

// ---- 2FAS ----------------------------------------------------------------------------------

#[derive(Deserialize)]
struct TwoFas {
    #[serde(default, deserialize_with = "super::entries")]
    services: Vec<TwoFasService>,
    #[serde(rename = "servicesEncrypted", default)]
    services_encrypted: Option<String>,
    /// Kept in clear beside the encrypted services.
    #[serde(default, deserialize_with = "super::entries")]
    groups: Vec<Named>,
}

/// A group (2FAS) or category (Stratum): an id the entries point to, and its name.
#[derive(Deserialize)]
struct Named {
    #[serde(alias = "Id")]
    id: String,
    #[serde(alias = "Name")]
    name: String,
}

/// Group names by id, looked up once per entry: a crafted file's thousands of entries and
/// groups cost a hash lookup each, not one scan of the groups per entry.
fn by_id(groups: &[Named]) -> HashMap<&str, &str> {
    groups
        .iter()
        .map(|g| (g.id.as_str(), g.name.as_str()))
        .collect()
}

#[derive(Deserialize)]
struct TwoFasService {
    #[serde(default)]
    name: String,
    secret: Sensitive<String>,
    #[serde(default)]
    otp: TwoFasOtp,
    #[serde(rename = "groupId", default)]
    group_id: Option<String>,
    /// The "Additional info" the user typed in 2FAS.
    #[serde(default)]
    info: Option<String>,
}

#[derive(Deserialize, Default)]
struct TwoFasOtp {
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    account: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    digits: u64,
    #[serde(default)]
    period: u64,
    #[serde(default)]
    counter: u64,
    #[serde(default)]
    algorithm: String,
    #[serde(rename = "tokenType", default)]
    token_type: String,
}

/// 2FAS's key derivation: PBKDF2-HMAC-SHA256, 10,000 iterations.
const TWOFAS_ITERATIONS: NonZeroU32 = match NonZeroU32::new(10_000) {
    Some(n) => n,
    None => NonZeroU32::MIN,
};

pub(super) fn is_2fas_encrypted(bytes: &[u8]) -> bool {
    serde_json::from_slice::<TwoFas>(bytes)
        .is_ok_and(|f| f.services_encrypted.is_some_and(|s| !s.is_empty()))
}

/// `servicesEncrypted` is `base64(ciphertext || tag):base64(salt):base64(iv)`.
fn decrypt_2fas(sealed: &str, passphrase: &str) -> Result<Vec<TwoFasService>, ImportError> {
    let damaged = |detail: &str| ImportError::damaged(Format::TwoFas, detail);
    let parts: Vec<Vec<u8>> = sealed
        .split(':')
        .map(|p| BASE64.decode(p.as_bytes()))
        .collect::<Result<_, _>>()
        .map_err(|_| damaged("its encrypted services are not base64"))?;
    let [cipher, salt, iv] = parts.as_slice() else {
        return Err(damaged("its encrypted services do not have three parts"));
    };
    let key = crypto::pbkdf2(
        crypto::PBKDF2_HMAC_SHA256,
        TWOFAS_ITERATIONS,
        salt,
        passphrase,
    );
    let plain = crypto::open(key.as_ref(), iv, b"", cipher)
        .map_err(|_| ImportError::WrongPassphrase(Format::TwoFas))?;
    super::json_list(&plain).map_err(|e| ImportError::damaged(Format::TwoFas, e))
}

pub(super) fn read_2fas<'p>(
    bytes: &[u8],
    passphrase: impl FnOnce() -> Result<&'p str, ImportError>,
) -> Read {
    let file: TwoFas = json(Format::TwoFas, bytes)?;
    let services = match file.services_encrypted.filter(|s| !s.is_empty()) {
        Some(sealed) => decrypt_2fas(&sealed, passphrase()?)?,
        None => file.services,
    };
    let groups = by_id(&file.groups);
    let mut entries = Entries::default();
    for (i, s) in services.iter().enumerate() {
        let issuer = s.otp.issuer.as_deref().unwrap_or(&s.name);
        let label = s.otp.account.as_ref().or(s.otp.label.as_ref());
        let label = label.map_or("", String::as_str);
        let fields = Fields {
            issuer,
            label,
            secret: &s.secret,
            kind: if s.otp.token_type.is_empty() {
                "totp"
            } else {
                &s.otp.token_type
            },
            algorithm: &s.otp.algorithm,
            digits: s.otp.digits,
            period: s.otp.period,
            counter: s.otp.counter,
        };
        let group = s.group_id.as_deref().and_then(|id| groups.get(id));
        entries.push_with(
            || entry_name(issuer, label, i),
            fields.account(),
            Meta::imported(group, s.info.as_deref().unwrap_or_default()),
        )?;
    }
    entries.done()
}

// ---- Bitwarden -----------------------------------------------------------------------------

#[derive(Deserialize)]
struct Bitwarden {
    #[serde(default)]
    encrypted: bool,
    #[serde(default, deserialize_with = "super::entries")]
    items: Vec<BitwardenItem>,
}

#[derive(Deserialize)]
struct BitwardenItem {
    #[serde(default)]
    name: String,
    #[serde(default)]
    login: Option<BitwardenLogin>,
}

#[derive(Deserialize)]
struct BitwardenLogin {
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    totp: Option<Sensitive<String>>,
}

/// Items without a one-time password (most of a password manager) are passed over.
pub(super) fn read_bitwarden_json(bytes: &[u8]) -> Read {
    let file: Bitwarden = json(Format::BitwardenJson, bytes)?;
    if file.encrypted {
        return Err(ImportError::Unsupported(
            "this Bitwarden export is encrypted: export the vault again as \"JSON\" (not \
             encrypted) to import it"
                .into(),
        ));
    }
    let mut entries = Entries::default();
    for item in &file.items {
        let Some(login) = &item.login else { continue };
        let Some(totp) = login.totp.as_ref().filter(|t| !t.trim().is_empty()) else {
            continue;
        };
        let username = login.username.as_deref().unwrap_or_default();
        entries.push(|| item.name.clone(), otp_field(totp, &item.name, username))?;
    }
    entries.done()
}

pub(super) fn is_bitwarden_csv(text: &str) -> bool {
    let header = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
    header.contains("login_totp") && header.contains("name")
}

pub(super) fn read_bitwarden_csv(bytes: &[u8]) -> Read {
    let damaged = |e: csv::Error| ImportError::damaged(Format::BitwardenCsv, e);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader.headers().map_err(damaged)?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
    };
    let totp = column("login_totp")
        .ok_or_else(|| ImportError::damaged(Format::BitwardenCsv, "it has no login_totp column"))?;
    let (name, username) = (column("name"), column("login_username"));
    let mut entries = Entries::default();
    for record in reader.records() {
        let record = record.map_err(damaged)?;
        let field = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or_default();
        let secret = Sensitive::new(field(Some(totp)).to_owned());
        if secret.trim().is_empty() {
            continue;
        }
        let item = field(name);
        entries.push(
            || item.to_owned(),
            otp_field(&secret, item, field(username)),
        )?;
    }
    entries.done()
}

// ---- FreeOTP+ ------------------------------------------------------------------------------

#[derive(Deserialize)]
struct FreeOtp {
    #[serde(deserialize_with = "super::entries")]
    tokens: Vec<FreeOtpToken>,
}

#[derive(Deserialize)]
struct FreeOtpToken {
    #[serde(default)]
    algo: String,
    #[serde(default)]
    counter: u64,
    #[serde(default)]
    digits: u64,
    #[serde(rename = "issuerExt", default)]
    issuer_ext: Option<String>,
    #[serde(rename = "issuerInt", default)]
    issuer_int: Option<String>,
    #[serde(default)]
    label: String,
    #[serde(default)]
    period: u64,
    /// The key's bytes as Java's signed bytes.
    secret: Sensitive<Vec<i8>>,
    #[serde(rename = "type", default)]
    kind: String,
}

/// FreeOTP+ stores the HOTP counter of the code last shown, one below what other apps store
/// (the counter of the next code).
pub(super) fn read_freeotp_plus(bytes: &[u8]) -> Read {
    let file: FreeOtp = json(Format::FreeOtpPlus, bytes)?;
    let mut entries = Entries::default();
    for (i, t) in file.tokens.iter().enumerate() {
        let issuer = t
            .issuer_ext
            .as_deref()
            .filter(|s| !s.is_empty())
            .or(t.issuer_int.as_deref())
            .unwrap_or_default();
        let key: Sensitive<Vec<u8>> =
            Sensitive::new(t.secret.iter().map(|b| b.to_ne_bytes()[0]).collect());
        let key = Sensitive::new(BASE32_NOPAD.encode(&key));
        let hotp = t.kind.eq_ignore_ascii_case("hotp");
        let fields = Fields {
            issuer,
            label: &t.label,
            secret: &key,
            kind: &t.kind,
            algorithm: &t.algo,
            digits: t.digits,
            period: t.period,
            counter: if hotp {
                t.counter.saturating_add(1)
            } else {
                t.counter
            },
        };
        entries.push(|| entry_name(issuer, &t.label, i), fields.account())?;
    }
    entries.done()
}

// ---- Proton Authenticator ------------------------------------------------------------------

#[derive(Deserialize)]
struct Proton {
    #[serde(deserialize_with = "super::entries")]
    entries: Vec<ProtonEntry>,
}

#[derive(Deserialize)]
struct ProtonEntry {
    content: ProtonContent,
}

#[derive(Deserialize)]
struct ProtonContent {
    uri: Sensitive<String>,
    #[serde(default)]
    name: String,
}

pub(super) fn read_proton(bytes: &[u8]) -> Read {
    let file: Proton = json(Format::Proton, bytes)?;
    let mut entries = Entries::default();
    for (i, e) in file.entries.iter().enumerate() {
        let c = &e.content;
        entries.push(
            || entry_name("", &c.name, i),
            otp_field(&c.uri, "Steam", &c.name),
        )?;
    }
    entries.done()
}

// ---- Stratum (Authenticator Pro) -----------------------------------------------------------

#[derive(Deserialize)]
struct Stratum {
    #[serde(rename = "Authenticators")]
    #[serde(deserialize_with = "super::entries")]
    authenticators: Vec<StratumEntry>,
    #[serde(rename = "Categories", default, deserialize_with = "super::entries")]
    categories: Vec<Named>,
    /// Which authenticator (by its secret) is in which category.
    #[serde(
        rename = "AuthenticatorCategories",
        default,
        deserialize_with = "super::entries"
    )]
    in_categories: Vec<StratumInCategory>,
}

#[derive(Deserialize)]
struct StratumInCategory {
    #[serde(rename = "CategoryId")]
    category: String,
    #[serde(rename = "AuthenticatorSecret")]
    secret: Sensitive<String>,
}

#[derive(Deserialize)]
struct StratumEntry {
    #[serde(rename = "Type")]
    kind: u32,
    #[serde(rename = "Issuer", default)]
    issuer: Option<String>,
    #[serde(rename = "Username", default)]
    username: Option<String>,
    #[serde(rename = "Secret")]
    secret: Sensitive<String>,
    #[serde(rename = "Algorithm", default)]
    algorithm: u32,
    #[serde(rename = "Digits", default)]
    digits: u64,
    #[serde(rename = "Period", default)]
    period: u64,
    #[serde(rename = "Counter", default)]
    counter: u64,
}

/// Stratum's encrypted backups start with this; they are not read yet.
pub(super) const STRATUM_ENCRYPTED: &[u8] = b"AUTHENTICATORPRO";

pub(super) fn read_stratum(bytes: &[u8]) -> Read {
    if bytes.starts_with(STRATUM_ENCRYPTED) {
        return Err(ImportError::Unsupported(
            "encrypted Stratum backups are not read yet: back up again from Stratum without a \
             password, or export as an otpauth:// list"
                .into(),
        ));
    }
    let file: Stratum = json(Format::Stratum, bytes)?;
    let names = by_id(&file.categories);
    let mut categories: HashMap<&str, Vec<&str>> = HashMap::new();
    for c in &file.in_categories {
        if let Some(name) = names.get(c.category.as_str()) {
            categories.entry(c.secret.as_str()).or_default().push(name);
        }
    }
    let mut entries = Entries::default();
    for (i, a) in file.authenticators.iter().enumerate() {
        let issuer = a.issuer.as_deref().unwrap_or_default();
        let label = a.username.as_deref().unwrap_or_default();
        let kind = match a.kind {
            1 => "hotp",
            2 => "totp",
            3 => "mOTP",
            4 => "steam",
            5 => "Yandex",
            _ => "unknown",
        };
        let algorithm = match a.algorithm {
            0 => "SHA1",
            1 => "SHA256",
            2 => "SHA512",
            _ => "unknown",
        };
        let fields = Fields {
            issuer,
            label,
            secret: &a.secret,
            kind,
            algorithm,
            digits: a.digits,
            period: a.period,
            counter: a.counter,
        };
        let tags = categories
            .get(a.secret.as_str())
            .map_or(&[][..], Vec::as_slice);
        entries.push_with(
            || entry_name(issuer, label, i),
            fields.account(),
            Meta::imported(tags, ""),
        )?;
    }
    entries.done()
}
