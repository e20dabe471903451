//! Errors as they cross IPC: `{ code, message }`, `code` from a closed enum the UI switches on
//! (exported to TypeScript), `message` a sentence for the user. Never a secret.

use serde::Serialize;
use specta::Type;
use tessera_core::backup::ExportError;
use tessera_core::secret::SecretError;
use tessera_core::uri::UriError;
use tessera_vault::{KeychainError, VaultError};

/// What kind of failure, for the UI to choose what to show and offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No Secret Service / keychain to reach (no bus, no service).
    NoKeychain,
    /// The keychain is locked.
    KeychainLocked,
    /// Another keychain failure.
    KeychainFailed,
    /// The account's key is missing from the keychain.
    SecretMissing,
    /// No such account (removed meanwhile).
    NotFound,
    /// The friendly name is taken.
    NameTaken,
    /// The friendly name is empty, too long or has control characters.
    InvalidName,
    /// A tag or note is too long, has a character it can't have, or is one tag too many.
    InvalidMeta,
    /// Not a usable otpauth:// URI.
    InvalidUri,
    /// Not a usable secret key.
    InvalidSecret,
    /// Invalid code parameters (digits, period).
    InvalidParams,
    /// The index file is damaged or from a newer Tessera.
    VaultUnreadable,
    /// A file could not be read or written.
    Io,
    /// The screen or the clipboard could not be read for a scan.
    ScanFailed,
    /// The backup's passphrase is wrong, or the file was changed.
    WrongPassphrase,
    /// The backup is encrypted and no passphrase was given.
    NeedsPassphrase,
    /// Automatic backups could not be turned on (a folder that can't be written, a key that
    /// could not be made).
    AutoBackupFailed,
    /// Sync could not start, join or merge (a folder, a pairing secret, a refused file).
    SyncFailed,
    /// The passphrase for a new backup is too short.
    WeakPassphrase,
    /// Not a backup Tessera reads, or a damaged one.
    BackupUnreadable,
    /// The global shortcut is taken by another program, not a valid combination, or can't be
    /// had on this desktop.
    ShortcutUnavailable,
    /// A code could not be typed into the other window (Wayland, no window to type into, no
    /// XTest); the message says why.
    TypingUnavailable,
    /// Codes given to resync an account are not codes of it, or none of its codes near.
    ResyncFailed,
    /// The app is locked: the window shows the lock screen.
    Locked,
    /// Too soon after a wrong passphrase or PIN: the message says how long to wait.
    LockWait,
    /// Anything else (a bug).
    Internal,
}

/// An error for the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl From<KeychainError> for IpcError {
    fn from(e: KeychainError) -> Self {
        let code = match e {
            KeychainError::NoSessionBus | KeychainError::NoService => ErrorCode::NoKeychain,
            KeychainError::Locked(_)
            | KeychainError::Unanswered { .. }
            | KeychainError::Refused(_) => ErrorCode::KeychainLocked,
            KeychainError::Stopped(_) | KeychainError::NoCollection { .. } => ErrorCode::NoKeychain,
            KeychainError::Damaged { .. } | KeychainError::Failed { .. } => {
                ErrorCode::KeychainFailed
            }
        };
        Self::new(code, e.to_string())
    }
}

impl From<VaultError> for IpcError {
    fn from(e: VaultError) -> Self {
        let code = match &e {
            VaultError::Keychain(k) => return IpcError::from(k.clone()),
            VaultError::NotFound { .. } | VaultError::Ambiguous { .. } => ErrorCode::NotFound,
            VaultError::NameTaken(_) => ErrorCode::NameTaken,
            VaultError::InvalidName(_) => ErrorCode::InvalidName,
            VaultError::InvalidMeta(_) => ErrorCode::InvalidMeta,
            VaultError::SecretMissing { .. } => ErrorCode::SecretMissing,
            VaultError::Damaged { .. } | VaultError::NewerFormat { .. } => {
                ErrorCode::VaultUnreadable
            }
            VaultError::Io { .. } | VaultError::NoDataDir | VaultError::TooLarge { .. } => {
                ErrorCode::Io
            }
            VaultError::CounterExhausted { .. } => ErrorCode::InvalidParams,
            VaultError::Backup(ExportError::EmptyPassphrase | ExportError::WeakPassphrase) => {
                ErrorCode::WeakPassphrase
            }
            VaultError::Backup(_) | VaultError::AutoBackup(_) => ErrorCode::AutoBackupFailed,
            VaultError::Sync(_) | VaultError::SyncFile(_) => ErrorCode::SyncFailed,
            VaultError::Resync(_) => ErrorCode::ResyncFailed,
        };
        Self::new(code, e.to_string())
    }
}

impl From<UriError> for IpcError {
    fn from(e: UriError) -> Self {
        let code = match e {
            UriError::Secret(_) => ErrorCode::InvalidSecret,
            _ => ErrorCode::InvalidUri,
        };
        Self::new(code, e.to_string())
    }
}

impl From<SecretError> for IpcError {
    fn from(e: SecretError) -> Self {
        Self::new(ErrorCode::InvalidSecret, e.to_string())
    }
}

impl From<tessera_core::otp::OtpError> for IpcError {
    fn from(e: tessera_core::otp::OtpError) -> Self {
        Self::new(ErrorCode::InvalidParams, e.to_string())
    }
}

impl From<tauri::Error> for IpcError {
    fn from(e: tauri::Error) -> Self {
        Self::new(ErrorCode::Internal, e.to_string())
    }
}

/// The system's authentication could not be asked (not a wrong answer, which is `Ok(false)`).
impl From<crate::system_auth::AuthError> for IpcError {
    fn from(e: crate::system_auth::AuthError) -> Self {
        Self::new(ErrorCode::Internal, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vault_errors_keep_their_kind_and_words() {
        let e = IpcError::from(VaultError::Keychain(KeychainError::Locked(
            tessera_vault::Provider::KWallet,
        )));
        assert_eq!(e.code, ErrorCode::KeychainLocked);
        assert!(e.message.starts_with("KWallet is locked: open the wallet"));
        let e = IpcError::from(VaultError::SecretMissing { name: "x".into() });
        assert_eq!(e.code, ErrorCode::SecretMissing);
        let json = serde_json::to_value(IpcError::from(VaultError::NameTaken("a".into()))).unwrap();
        assert_eq!(json["code"], "name_taken");
    }
}
