//! The vault's errors: what went wrong, in words a user can act on.

use std::path::PathBuf;

use thiserror::Error;

/// Why the keychain could not be used. Each message says what is missing and what to do.
#[derive(Debug, Clone, Error)]
pub enum KeychainError {
    /// Linux: no D-Bus session bus, so no Secret Service can be reached.
    #[error(
        "no keychain is reachable: there is no D-Bus session bus, which the Secret Service (the Linux keychain) needs. Run Tessera in a desktop session, or start one for it, for example: dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock --components=secrets < password-file; tessera ...'"
    )]
    NoSessionBus,
    /// Linux: a session bus, but nothing provides `org.freedesktop.secrets`.
    #[error(
        "no keychain is reachable: no Secret Service is running on the session bus. Start GNOME Keyring (gnome-keyring-daemon --start --components=secrets), KeePassXC with Secret Service integration, or KWallet, and try again"
    )]
    NoService,
    /// The keychain (collection) is locked and was not unlocked.
    #[error(
        "the keychain is locked: unlock it (log in to the desktop session, or unlock the \"Login\" keyring in Passwords and Keys / Seahorse) and try again"
    )]
    Locked,
    /// The keychain item exists but does not hold a key Tessera wrote.
    #[error("the keychain item for account {id} does not hold a valid secret key")]
    Damaged { id: String },
    /// Anything else the platform reports. The detail never contains a secret.
    #[error("the keychain failed: {detail}")]
    Failed { detail: String },
}

/// Why a vault operation failed. Nothing was changed unless the variant says so.
#[derive(Debug, Error)]
pub enum VaultError {
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    #[error("no account is named {query:?}{}", suggest(candidates))]
    NotFound {
        query: String,
        candidates: Vec<String>,
    },
    #[error(
        "{query:?} matches several accounts: {}; give more of the name",
        quote_all(candidates)
    )]
    Ambiguous {
        query: String,
        candidates: Vec<String>,
    },
    #[error(
        "an account named {0:?} already exists (names are unique, whatever their case); choose another name"
    )]
    NameTaken(String),
    #[error("invalid name: {0}")]
    InvalidName(&'static str),
    #[error("invalid tag or note: {0}")]
    InvalidMeta(&'static str),
    #[error(
        "the secret key of {name:?} is missing from the keychain; restore it from a backup, or remove the account and add it again"
    )]
    SecretMissing { name: String },
    #[error("the account index {} is damaged ({detail}); Tessera has not changed it. Restore it from a backup copy, or move it away to start an empty vault", path.display())]
    Damaged { path: PathBuf, detail: String },
    #[error("the account index {} was written by a newer Tessera (format {version}); update Tessera to use it", path.display())]
    NewerFormat { path: PathBuf, version: u32 },
    #[error("{what} would be over {} KiB, more than Tessera reads back; nothing was changed", max_bytes / 1024)]
    TooLarge { what: String, max_bytes: u64 },
    #[error("{action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// Automatic backups' passphrase was refused, or their key or a backup could not be made.
    #[error("automatic backups: {0}")]
    Backup(#[from] tessera_core::backup::ExportError),
    #[error("automatic backups: {0}")]
    AutoBackup(String),
    /// Sync could not start, join or merge; the message says why and what to do.
    #[error("sync: {0}")]
    Sync(String),
    /// A sync file or pairing secret could not be used, or made.
    #[error("sync: {0}")]
    SyncFile(#[from] tessera_core::sync::FileError),
    #[error("no data directory could be found for this user (is HOME set?)")]
    NoDataDir,
    #[error("{name:?} is a counter-based (HOTP) account whose counter cannot advance any further")]
    CounterExhausted { name: String },
}

impl VaultError {
    /// No account is named `query`, and no name is close enough to suggest.
    pub(crate) fn not_found(query: &str) -> Self {
        Self::NotFound {
            query: query.to_owned(),
            candidates: Vec::new(),
        }
    }
}

fn quote_all(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn suggest(candidates: &[String]) -> String {
    if candidates.is_empty() {
        "; `tessera list` shows them all".to_owned()
    } else {
        format!("; did you mean {}?", quote_all(candidates))
    }
}
