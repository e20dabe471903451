//! What the app holds while it runs: the vault, the keys already read from the keychain (so
//! codes refresh without a keychain round trip each period), the HOTP codes on screen, and the
//! settings.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use specta::Type;
use tessera_core::{Account, Secret};
use tessera_vault::{Entry, Keychain, Vault, VaultError};

use crate::error::{ErrorCode, IpcError};

/// User settings, in `settings.json` in the config directory.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct Settings {
    /// Seconds after which a copied code is cleared from the clipboard, if it is still there;
    /// 0 never clears.
    pub clipboard_clear_seconds: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            clipboard_clear_seconds: 30,
        }
    }
}

/// Accounts a scan found, waiting for the user to confirm them.
pub struct PendingScan {
    pub id: u32,
    pub accounts: Vec<Account>,
}

/// A backup file chosen for import, until it is read (`open_import`) or another is chosen.
pub struct PendingImport {
    pub format: tessera_core::backup::Format,
    pub bytes: tessera_core::Sensitive<Vec<u8>>,
}

pub struct AppState {
    pub vault: Vault<Keychain>,
    /// Keys read from the keychain, by account id; zeroed when dropped.
    keys: Mutex<HashMap<String, Secret>>,
    /// The HOTP code each account shows, after the user asked for one.
    pub hotp_shown: Mutex<HashMap<String, String>>,
    pub settings: Mutex<Settings>,
    /// What the last scan found, until added or discarded (keys zeroed when dropped).
    pub pending_scan: Mutex<Option<PendingScan>>,
    /// The backup chosen for import, until read.
    pub pending_import: Mutex<Option<PendingImport>>,
    scans: std::sync::atomic::AtomicU32,
    settings_path: Option<PathBuf>,
    /// When the process started Tessera, for the start-up benchmark.
    pub started: Instant,
}

/// Locks a mutex, treating a poisoned one (a panic elsewhere) as an internal error.
pub fn lock<T>(m: &Mutex<T>) -> Result<MutexGuard<'_, T>, IpcError> {
    m.lock().map_err(|_| {
        IpcError::new(
            ErrorCode::Internal,
            "internal state is unusable after an earlier failure",
        )
    })
}

impl AppState {
    pub fn new(vault: Vault<Keychain>, settings_path: Option<PathBuf>, started: Instant) -> Self {
        let settings = settings_path
            .as_ref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Self {
            vault,
            keys: Mutex::default(),
            hotp_shown: Mutex::default(),
            settings: Mutex::new(settings),
            pending_scan: Mutex::default(),
            pending_import: Mutex::default(),
            scans: std::sync::atomic::AtomicU32::new(0),
            settings_path,
            started,
        }
    }

    /// The whole account, its key from the cache or else the keychain.
    pub fn account(&self, entry: &Entry) -> Result<Account, IpcError> {
        if let Some(secret) = lock(&self.keys)?.get(&entry.id) {
            return Ok(entry.account(secret.clone()));
        }
        // Read outside the cache lock: a keychain read takes a millisecond or a prompt.
        let account = self.vault.account(entry).map_err(IpcError::from)?;
        lock(&self.keys)?.insert(entry.id.clone(), account.secret.clone());
        Ok(account)
    }

    /// A new scan's id.
    pub fn next_scan_id(&self) -> u32 {
        self.scans.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1
    }

    /// For each candidate, the name of the account in the vault that gives the same codes, if
    /// any; keys from the cache where they are (see `Account::same_codes`).
    pub fn duplicates(&self, candidates: &[Account]) -> Result<Vec<Option<String>>, IpcError> {
        let mut found = vec![None; candidates.len()];
        if candidates.is_empty() {
            return Ok(found);
        }
        for entry in ipc(self.vault.list())? {
            let account = match self.account(&entry) {
                Ok(account) => account,
                Err(e) if e.code == ErrorCode::SecretMissing => continue,
                Err(e) => return Err(e),
            };
            for (slot, candidate) in found.iter_mut().zip(candidates) {
                if slot.is_none() && account.same_codes(candidate) {
                    *slot = Some(entry.name.clone());
                }
            }
        }
        Ok(found)
    }

    /// Reads the keys of the first `count` accounts into the cache. Failures are left for the
    /// codes command to report.
    pub fn warm_up(&self, count: usize) {
        if let Ok(entries) = self.vault.list() {
            for entry in entries.iter().take(count) {
                if self.account(entry).is_err() {
                    break;
                }
            }
        }
    }

    /// Drops cached keys of accounts no longer in the vault.
    pub fn keep_only(&self, entries: &[Entry]) -> Result<(), IpcError> {
        lock(&self.keys)?.retain(|id, _| entries.iter().any(|e| &e.id == id));
        lock(&self.hotp_shown)?.retain(|id, _| entries.iter().any(|e| &e.id == id));
        Ok(())
    }

    pub fn save_settings(&self, settings: Settings) -> Result<(), IpcError> {
        if let Some(path) = &self.settings_path {
            let io = |e: std::io::Error| {
                IpcError::new(
                    ErrorCode::Io,
                    format!("saving settings to {}: {e}", path.display()),
                )
            };
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(io)?;
            }
            let bytes = serde_json::to_vec_pretty(&settings)
                .map_err(|e| IpcError::new(ErrorCode::Internal, e.to_string()))?;
            std::fs::write(path, bytes).map_err(io)?;
        }
        *lock(&self.settings)? = settings;
        Ok(())
    }
}

/// Converts a vault result, for commands.
pub fn ipc<T>(r: Result<T, VaultError>) -> Result<T, IpcError> {
    r.map_err(IpcError::from)
}
