//! Backups: Tessera's own encrypted format ([`tessera`]), the plain exports (an `otpauth://` list,
//! [`otpauth`]; a printable recovery sheet, [`sheet`]) and reading the backups of other apps
//! ([`read`]), with the format found from the bytes.
//!
//! Everything works on bytes: reading and writing files is the caller's. A file is read whole
//! or not at all: a wrong passphrase, a modified or damaged file is an [`ImportError`], never a
//! partial list. Single entries a valid file holds but Tessera can't use (an mOTP or Yandex
//! account, an MD5 key) are listed in [`Imported::skipped`] with the reason.

pub mod aegis;
mod andotp;
mod apps;
pub(crate) mod crypto;
pub mod otpauth;
pub mod sheet;
pub mod tessera;

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::account::Account;
use crate::meta::Meta;
use crate::sensitive::Sensitive;
pub use tessera::ExportError;

/// The largest backup file read: far above any real one (1000 accounts in Aegis are ~0.5 MB, a
/// Bitwarden export with 10,000 passwords ~5 MB). It bounds what parsing the file can cost.
pub const MAX_BACKUP_BYTES: usize = 16 * 1024 * 1024;

/// The most entries one backup may hold, usable or not. Ten times the largest vault seen;
/// gnome-keyring needs about a minute to store 1,000 keys. Lists are refused past it while
/// they are parsed, before the entries are built.
pub const MAX_ENTRIES: usize = 10_000;

/// The shortest passphrase a Tessera backup is written with. The CLI, the window and its
/// passphrase field all ask here.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Tessera's encrypted backup: every account with its name, behind a passphrase.
    Tessera,
    /// One otpauth:// URI a line, in clear.
    Otpauth,
    /// The printable recovery sheet (HTML), in clear.
    Html,
    /// An Aegis vault behind a passphrase, which Aegis, 2FAS, Ente Auth, Proton Authenticator
    /// and Stratum import.
    Aegis,
    /// An Aegis vault in clear.
    AegisPlain,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 5] = [
        Self::Tessera,
        Self::Otpauth,
        Self::Html,
        Self::Aegis,
        Self::AegisPlain,
    ];

    /// The format's name on the command line (`tessera export --format`).
    pub fn id(self) -> &'static str {
        match self {
            Self::Tessera => "tessera",
            Self::Otpauth => "otpauth",
            Self::Html => "html",
            Self::Aegis => "aegis",
            Self::AegisPlain => "aegis-plain",
        }
    }

    /// The format with this [`id`](Self::id), whatever its case.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.id().eq_ignore_ascii_case(id))
    }

    /// What the file is, in a line, for the command's help.
    pub fn summary(self) -> &'static str {
        match self {
            Self::Tessera => {
                "Tessera's encrypted backup (Argon2id + AES-256-GCM): every account with its name"
            }
            Self::Otpauth => {
                "One otpauth:// URI a line, IN CLEAR: for Aegis, Ente, FreeOTP+ or Tessera to import"
            }
            Self::Html => {
                "A printable recovery sheet, IN CLEAR: name, QR code and key of each account"
            }
            Self::Aegis => {
                "An encrypted Aegis vault: for Aegis, 2FAS, Ente Auth, Proton Authenticator, Stratum"
            }
            Self::AegisPlain => "An Aegis vault IN CLEAR",
        }
    }

    /// Whether the file holds the keys in clear (the user is warned).
    pub fn in_clear(self) -> bool {
        !matches!(self, Self::Tessera | Self::Aegis)
    }
}

/// Writes a backup of `accounts` (in display order, each named) in `format`, as the bytes of the file.
/// The encrypted formats need a passphrase of at least [`MIN_PASSPHRASE_CHARS`] characters; the
/// others ignore it. `unix_seconds` is the time written into it.
pub fn export(
    format: ExportFormat,
    accounts: &[Item],
    passphrase: Option<&str>,
    unix_seconds: u64,
) -> Result<Sensitive<Vec<u8>>, ExportError> {
    let strong = || {
        passphrase
            .filter(|p| p.chars().count() >= MIN_PASSPHRASE_CHARS)
            .ok_or(ExportError::WeakPassphrase)
    };
    Ok(match format {
        ExportFormat::Tessera => {
            let passphrase = strong()?;
            Sensitive::new(tessera::encrypt(
                accounts,
                passphrase,
                tessera::KdfParams::DEFAULT,
                unix_seconds,
            )?)
        }
        ExportFormat::Otpauth => {
            let accounts: Vec<Account> = accounts.iter().map(|i| i.account.clone()).collect();
            Sensitive::new(otpauth::write_list(&accounts).as_bytes().to_vec())
        }
        ExportFormat::Html => {
            Sensitive::new(sheet::html(accounts, unix_seconds).as_bytes().to_vec())
        }
        ExportFormat::Aegis => aegis::write(accounts, Some(strong()?))?,
        ExportFormat::AegisPlain => aegis::write(accounts, None)?,
    })
}

/// An account in a backup: read from one, with the friendly name it had there (Tessera backups
/// only) and its tags (or groups) and note where the format has them; or written into one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub name: Option<String>,
    pub account: Account,
    pub meta: Meta,
}

impl Item {
    pub fn new(account: Account) -> Self {
        Self {
            name: None,
            account,
            meta: Meta::default(),
        }
    }

    pub fn named(name: impl Into<String>, account: Account) -> Self {
        Self {
            name: Some(name.into()),
            ..Self::new(account)
        }
    }

    /// The name a backup shows it under: its own, else the default one.
    pub fn shown_name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| self.account.default_name())
    }
}

/// An entry of a backup that can't be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// How the entry is named in the file ("Issuer (label)", or its place).
    pub name: String,
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} was not imported: {}", self.name, self.reason)
    }
}

/// What a backup holds, in its order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub format: Format,
    pub items: Vec<Item>,
    pub skipped: Vec<Skipped>,
}

/// The backup formats Tessera reads. Plain and encrypted variants of one app are one format:
/// which one a file is shows in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Tessera,
    /// One `otpauth://` (or `otpauth-migration://`) URI a line: Tessera's plain export, Ente
    /// Auth, Aegis's and FreeOTP+'s URI exports, Google Authenticator transfer links.
    Otpauth,
    Aegis,
    TwoFas,
    AndOtp,
    BitwardenJson,
    BitwardenCsv,
    FreeOtpPlus,
    Proton,
    /// Stratum, formerly Authenticator Pro.
    Stratum,
}

impl Format {
    pub const ALL: [Format; 10] = [
        Self::Tessera,
        Self::Otpauth,
        Self::Aegis,
        Self::TwoFas,
        Self::AndOtp,
        Self::BitwardenJson,
        Self::BitwardenCsv,
        Self::FreeOtpPlus,
        Self::Proton,
        Self::Stratum,
    ];

    /// The name on the command line (`--format aegis`).
    pub fn id(self) -> &'static str {
        match self {
            Self::Tessera => "tessera",
            Self::Otpauth => "otpauth",
            Self::Aegis => "aegis",
            Self::TwoFas => "2fas",
            Self::AndOtp => "andotp",
            Self::BitwardenJson => "bitwarden-json",
            Self::BitwardenCsv => "bitwarden-csv",
            Self::FreeOtpPlus => "freeotp-plus",
            Self::Proton => "proton",
            Self::Stratum => "stratum",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.id().eq_ignore_ascii_case(id))
    }
}

impl fmt::Display for Format {
    /// The name people know the format by.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Tessera => "Tessera backup",
            Self::Otpauth => "otpauth:// list",
            Self::Aegis => "Aegis backup",
            Self::TwoFas => "2FAS backup",
            Self::AndOtp => "andOTP backup",
            Self::BitwardenJson => "Bitwarden JSON export",
            Self::BitwardenCsv => "Bitwarden CSV export",
            Self::FreeOtpPlus => "FreeOTP+ backup",
            Self::Proton => "Proton Authenticator export",
            Self::Stratum => "Stratum (Authenticator Pro) backup",
        })
    }
}

/// Why a backup could not be read. Nothing was imported.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    #[error("the file is {0} bytes; backups over {MAX_BACKUP_BYTES} bytes are not read")]
    TooLarge(usize),
    #[error(
        "not a backup Tessera can read (Tessera, otpauth:// list, Aegis, 2FAS, andOTP, Bitwarden, \
         FreeOTP+, Proton Authenticator, Stratum)"
    )]
    UnknownFormat,
    #[error("this {0} is encrypted: give its passphrase")]
    NeedsPassphrase(Format),
    #[error("wrong passphrase for this {0}, or the file was changed after it was written")]
    WrongPassphrase(Format),
    #[error("this {format} is damaged: {detail}")]
    Damaged { format: Format, detail: String },
    #[error("none of the {count} entries of this {format} can be imported (first: {first})")]
    NothingUsable {
        format: Format,
        count: usize,
        first: String,
    },
    #[error("{0}")]
    Unsupported(String),
    #[error(
        "the file holds more than {MAX_ENTRIES} entries; Tessera reads at most {MAX_ENTRIES} from one backup"
    )]
    TooManyEntries,
}

impl ImportError {
    /// A damaged file. Quoted text in `detail` is left out: a JSON parser's message quotes the
    /// value it did not expect ("invalid type: string \"JBSW…\""), and that value may be a key.
    pub(crate) fn damaged(format: Format, detail: impl fmt::Display) -> Self {
        Self::Damaged {
            format,
            detail: without_quoted_text(&detail.to_string()),
        }
    }
}

/// `text` with what stands between each pair of double quotes replaced by `…`.
fn without_quoted_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('"').enumerate() {
        if i > 0 {
            out.push('"');
        }
        out.push_str(if i % 2 == 1 { "…" } else { part });
    }
    out
}

/// Whether a backup in this format needs a passphrase to be read.
pub fn is_encrypted(format: Format, bytes: &[u8]) -> bool {
    match format {
        Format::Tessera => true,
        Format::AndOtp => !apps::is_andotp_plain(bytes),
        Format::Aegis => aegis::is_encrypted(bytes),
        Format::TwoFas => apps::is_2fas_encrypted(bytes),
        _ => false,
    }
}

/// Reads a backup: in `format`, or in the format its bytes show when `None`. `passphrase` is
/// needed for encrypted backups only.
pub fn read(
    bytes: &[u8],
    format: Option<Format>,
    passphrase: Option<&str>,
) -> Result<Imported, ImportError> {
    if bytes.len() > MAX_BACKUP_BYTES {
        return Err(ImportError::TooLarge(bytes.len()));
    }
    let format = match format {
        Some(format) => format,
        None => detect(bytes).ok_or(ImportError::UnknownFormat)?,
    };
    let needs = |format| {
        passphrase
            .filter(|p| !p.is_empty())
            .ok_or(ImportError::NeedsPassphrase(format))
    };
    let (items, skipped) = match format {
        Format::Tessera => (tessera::decrypt(bytes, needs(format)?)?, Vec::new()),
        Format::Otpauth => otpauth::read_list(bytes)?,
        Format::Aegis => aegis::read(bytes, || needs(format))?,
        Format::TwoFas => apps::read_2fas(bytes, || needs(format))?,
        Format::AndOtp => andotp::read(bytes, || needs(format))?,
        Format::BitwardenJson => apps::read_bitwarden_json(bytes)?,
        Format::BitwardenCsv => apps::read_bitwarden_csv(bytes)?,
        Format::FreeOtpPlus => apps::read_freeotp_plus(bytes)?,
        Format::Proton => apps::read_proton(bytes)?,
        Format::Stratum => apps::read_stratum(bytes)?,
    };
    if items.is_empty() {
        return Err(match skipped.first() {
            None => ImportError::damaged(format, "it holds no accounts"),
            Some(first) => ImportError::NothingUsable {
                format,
                count: skipped.len(),
                first: first.to_string(),
            },
        });
    }
    Ok(Imported {
        format,
        items,
        skipped,
    })
}

/// The format a backup's bytes show, if any.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    if tessera::is_tessera(bytes) {
        return Some(Format::Tessera);
    }
    if bytes.starts_with(apps::STRATUM_ENCRYPTED) {
        return Some(Format::Stratum);
    }
    if let Some(format) = apps::detect_json(bytes) {
        return Some(format);
    }
    let text = std::str::from_utf8(bytes).ok();
    if let Some(text) = text {
        if apps::is_bitwarden_csv(text) {
            return Some(Format::BitwardenCsv);
        }
        if otpauth::is_list(text) {
            return Some(Format::Otpauth);
        }
    }
    if andotp::looks_encrypted(bytes) {
        return Some(Format::AndOtp);
    }
    None
}

/// What a reader of one format gives: the accounts, and the entries skipped.
pub type Read = Result<(Vec<Item>, Vec<Skipped>), ImportError>;

/// Collects entries: those that make an account, and the others with the reason.
#[derive(Default)]
pub(crate) struct Entries {
    items: Vec<Item>,
    skipped: Vec<Skipped>,
}

impl Entries {
    /// Takes one entry; more than [`MAX_ENTRIES`] in all is an error.
    pub fn push(
        &mut self,
        name: impl FnOnce() -> String,
        account: Result<Account, String>,
    ) -> Result<(), ImportError> {
        self.push_with(name, account, Meta::default())
    }

    /// [`Self::push`], with the entry's tags and note.
    pub fn push_with(
        &mut self,
        name: impl FnOnce() -> String,
        account: Result<Account, String>,
        meta: Meta,
    ) -> Result<(), ImportError> {
        match account {
            Ok(account) => self.push_item(Item {
                meta,
                ..Item::new(account)
            }),
            Err(reason) => self.push_skipped(Skipped {
                name: name(),
                reason,
            }),
        }
    }

    pub fn push_item(&mut self, item: Item) -> Result<(), ImportError> {
        self.check()?;
        self.items.push(item);
        Ok(())
    }

    pub fn push_skipped(&mut self, skipped: Skipped) -> Result<(), ImportError> {
        self.check()?;
        self.skipped.push(skipped);
        Ok(())
    }

    fn check(&self) -> Result<(), ImportError> {
        if self.items.len() + self.skipped.len() >= MAX_ENTRIES {
            return Err(ImportError::TooManyEntries);
        }
        Ok(())
    }

    pub fn done(self) -> Read {
        Ok((self.items, self.skipped))
    }
}

/// A backup's list of entries, at most [`MAX_ENTRIES`] (`#[serde(deserialize_with =
/// "entries")]`): a longer one is an error as soon as its element `MAX_ENTRIES + 1` is read, so
/// a crafted file can't make Tessera build millions of empty entries.
pub(crate) fn entries<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    struct Bounded<T>(std::marker::PhantomData<T>);
    impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for Bounded<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a list of at most {MAX_ENTRIES} entries")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut list = Vec::new();
            while let Some(element) = seq.next_element()? {
                if list.len() == MAX_ENTRIES {
                    return Err(serde::de::Error::custom(format_args!(
                        "more than {MAX_ENTRIES} entries"
                    )));
                }
                list.push(element);
            }
            Ok(list)
        }
    }
    deserializer.deserialize_seq(Bounded(std::marker::PhantomData))
}

/// A JSON document that is a list of at most [`MAX_ENTRIES`] elements.
pub(crate) fn json_list<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
) -> Result<Vec<T>, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let list = entries(&mut deserializer)?;
    deserializer.end()?;
    Ok(list)
}

/// "Issuer (label)" for messages about an entry, or "entry N" when it has neither.
pub(crate) fn entry_name(issuer: &str, label: &str, index: usize) -> String {
    if issuer.trim().is_empty() && label.trim().is_empty() {
        format!("entry {}", index + 1)
    } else {
        crate::account::default_name(issuer, label)
    }
}

/// An account's fields as backups store them, each checked.
#[derive(Debug, Default)]
pub(crate) struct Fields<'a> {
    pub issuer: &'a str,
    pub label: &'a str,
    /// Base32, as typed (padding, spaces and case are forgiven).
    pub secret: &'a str,
    /// `totp`, `hotp` or `steam`, any case.
    pub kind: &'a str,
    /// `SHA1`, `SHA256`, `SHA512`, any case; empty means SHA1.
    pub algorithm: &'a str,
    /// 0 means 6.
    pub digits: u64,
    /// 0 means 30.
    pub period: u64,
    pub counter: u64,
}

impl Fields<'_> {
    /// The account, or why the entry can't be used (without the key in the message).
    pub fn account(&self) -> Result<Account, String> {
        let algorithm = if self.algorithm.trim().is_empty() {
            crate::Algorithm::Sha1
        } else {
            crate::Algorithm::parse(self.algorithm).ok_or_else(|| {
                format!(
                    "unsupported algorithm {:?}",
                    crate::untrusted::shown(self.algorithm)
                )
            })?
        };
        let kind = self.kind.trim().to_ascii_lowercase();
        let digits = match (self.digits, kind.as_str()) {
            (0, _) | (_, "steam") => 6,
            (d, _) => u8::try_from(d).map_err(|_| format!("{d} digits"))?,
        };
        let period = match self.period {
            0 => 30,
            p => u32::try_from(p).map_err(|_| format!("a period of {p} s"))?,
        };
        let params = crate::Params::from_values(&kind, algorithm, digits, period, self.counter)
            .map_err(|e| match e {
                crate::otp::OtpError::Kind(_) => {
                    format!(
                        "{:?} accounts are not supported",
                        crate::untrusted::shown(self.kind)
                    )
                }
                other => other.to_string(),
            })?;
        entry_account(self.issuer, self.label, self.secret, params)
    }
}

/// The account of a backup's entry, once its parameters are known: the key parsed (the message
/// without the key), the issuer and label cleaned as a link's are.
pub(crate) fn entry_account(
    issuer: &str,
    label: &str,
    secret: &str,
    params: crate::Params,
) -> Result<Account, String> {
    let secret = crate::Secret::parse(secret).map_err(|e| format!("its key: {e}"))?;
    Ok(Account {
        issuer: crate::uri::clean(issuer.trim()),
        label: crate::uri::clean(label.trim()),
        secret,
        params,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key where the format wants a list of bytes (FreeOTP+) is a damaged file, said without
    /// the key.
    #[test]
    fn damaged_files_are_said_without_their_values() {
        let file = br#"{"tokens":[{"secret":"KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"}],"tokenOrder":[]}"#;
        let error = read(file, None, None).unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, ImportError::Damaged { .. }), "{message}");
        assert!(!message.contains("KRSXG5CT"), "{message}");
        assert!(message.contains("invalid type: string \"…\""), "{message}");
        assert_eq!(without_quoted_text(r#"a "b" c "d"#), r#"a "…" c "…"#);
    }

    #[test]
    fn every_export_reads_back_and_a_short_passphrase_writes_nothing() {
        let account =
            crate::uri::parse("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP").unwrap();
        let accounts = [Item::named("alice", account.clone())];
        let short = "x".repeat(MIN_PASSPHRASE_CHARS - 1);
        assert_eq!(
            export(ExportFormat::Tessera, &accounts, Some(&short), 1),
            Err(ExportError::WeakPassphrase)
        );
        assert_eq!(
            export(ExportFormat::Tessera, &accounts, None, 1),
            Err(ExportError::WeakPassphrase)
        );
        let pass = "x".repeat(MIN_PASSPHRASE_CHARS);
        assert_eq!(
            export(ExportFormat::Aegis, &accounts, Some(&short), 1),
            Err(ExportError::WeakPassphrase)
        );
        for format in [
            ExportFormat::Tessera,
            ExportFormat::Otpauth,
            ExportFormat::Html,
            ExportFormat::Aegis,
            ExportFormat::AegisPlain,
        ] {
            let bytes = export(format, &accounts, Some(&pass), 1).unwrap();
            assert_eq!(
                format.in_clear(),
                !matches!(format, ExportFormat::Tessera | ExportFormat::Aegis)
            );
            if format == ExportFormat::Html {
                continue; // a sheet for people; its QR codes are read in tests/backup.rs
            }
            let back = read(&bytes, None, Some(&pass)).unwrap();
            assert_eq!(back.items.len(), 1, "{format:?}");
            assert!(back.items[0].account.same_codes(&account));
        }
    }
}
