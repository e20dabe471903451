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
    #[error("{} is locked: {}, and try again", .0.name(), .0.how_to_unlock())]
    Locked(Provider),
    /// The keychain asked the person something (unlock, allow access) and no answer came in
    /// time; the question was taken back.
    #[error("{} asked for your answer ({}) and none came within {seconds} s; nothing was changed: try again and answer it", .provider.name(), .provider.where_to_answer())]
    Unanswered { provider: Provider, seconds: u64 },
    /// The person said no to the keychain's question.
    #[error("{} was not allowed to give Tessera its keys (the request was dismissed); nothing was changed", .0.name())]
    Refused(Provider),
    /// The collection chosen for Tessera's keys (`keychain_collection` in settings.json) is
    /// not there.
    #[error("{} has no collection named {label:?}, which settings.json (keychain_collection) chooses for Tessera's keys; create it, or remove the setting to use the default one", .provider.name())]
    NoCollection { provider: Provider, label: String },
    /// The keychain went away in the middle (it crashed or was stopped).
    #[error("{} stopped answering in the middle (it may have crashed or been closed); the accounts are as they were: start it again and try again", .0.name())]
    Stopped(Provider),
    /// The keychain item exists but does not hold a key Tessera wrote.
    #[error("the keychain item for account {id} does not hold a valid secret key")]
    Damaged { id: String },
    /// Anything else the platform reports. The detail never contains a secret.
    #[error("the keychain failed: {detail}")]
    Failed { detail: String },
}

/// Which program keeps the keys, for messages that name it and say how to unlock it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Provider {
    GnomeKeyring,
    KeePassXC,
    KWallet,
    /// Another Secret Service, by its program's name where known.
    Other(String),
    /// The platform's own keychain, or a Secret Service that can't be told.
    #[default]
    Unknown,
}

impl Provider {
    pub fn name(&self) -> String {
        match self {
            Self::GnomeKeyring => "GNOME Keyring".into(),
            Self::KeePassXC => "KeePassXC".into(),
            Self::KWallet => "KWallet".into(),
            Self::Other(program) => format!("the keychain ({program})"),
            Self::Unknown => "the keychain".into(),
        }
    }

    /// The keychain's program, when it is known.
    pub fn program(&self) -> Option<String> {
        match self {
            Self::Other(program) => Some(program.clone()),
            Self::Unknown => None,
            known => Some(known.name()),
        }
    }

    pub fn how_to_unlock(&self) -> String {
        match self {
            Self::GnomeKeyring => "unlock the \"Login\" keyring in Passwords and Keys (Seahorse), or log in to the desktop session again".into(),
            Self::KeePassXC => "unlock the database KeePassXC shares through its Secret Service integration (Tools → Settings → Secret Service Integration), in KeePassXC's window".into(),
            Self::KWallet => "open the wallet in KWallet Manager (kwalletmanager5), or log in again so that KWallet opens it with your session".into(),
            Self::Other(program) => format!("unlock it in {program}"),
            Self::Unknown => "unlock it (log in to the desktop session, or unlock it in the system's keychain manager)".into(),
        }
    }

    /// Where its questions (unlock, allow access) appear.
    pub fn where_to_answer(&self) -> String {
        match self {
            Self::GnomeKeyring => "GNOME Keyring's password dialog".into(),
            Self::KeePassXC => "KeePassXC's unlock or access request dialog".into(),
            Self::KWallet => "KWallet's password dialog".into(),
            Self::Other(program) => format!("a dialog of {program}"),
            Self::Unknown => "the keychain's dialog".into(),
        }
    }
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
    /// Codes given to resync an account are not among its codes, or not of its kind.
    #[error(transparent)]
    Resync(#[from] tessera_core::resync::ResyncError),
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
