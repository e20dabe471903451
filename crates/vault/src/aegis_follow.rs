//! Following the phone's Aegis backups: Aegis on Android writes an encrypted backup into a folder
//! after every change (`aegis-backup-YYYYMMDD-HHMMSS.json`), which Syncthing or Nextcloud brings
//! to this computer. The newest one is taken in, one way, through the planner: new accounts are
//! added, re-enrolments replace the old key, duplicates are skipped, and nothing here is removed.
//!
//! - The vault password is asked once. What is kept is the vault's master key (Aegis keeps one
//!   for the life of a vault), as one of Tessera's own keychain items, never the password.
//! - `aegis-follow.json` beside the index holds the folder, the backup taken last and the last
//!   outcome. A newer backup is taken before the CLI reads the vault, and by the window when the
//!   folder changes; a failure is recorded, never fatal.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tessera_core::backup::{MAX_BACKUP_BYTES, aegis};
use tessera_core::untrusted::shown;

use crate::autobackup::Failure;
use crate::bounded::read_file_up_to;
use crate::error::VaultError;
use crate::index::{remove_if_present, write_json};
use crate::plan::Change;
use crate::secrets::SecretStore;
use crate::vault::Vault;

const FILE: &str = "aegis-follow.json";
const TEMP_PREFIX: &str = ".aegis-follow.json.";
const MAX_BYTES: u64 = 64 * 1024;
const KEY_NAME: &str = "aegis-master-key";
const KEY_LABEL: &str = "Tessera: Aegis vault key";

/// The follower's configuration and last outcome, as `aegis-follow.json` holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AegisFollow {
    pub folder: PathBuf,
    /// The backup taken last, and its size and time: another one, or this one changed, is new.
    #[serde(default)]
    pub last_backup: Option<String>,
    #[serde(default)]
    pub fingerprint: String,
    /// What the last backup taken brought.
    #[serde(default)]
    pub last_taken: Option<Taken>,
    /// The last failure, kept until a backup is taken again.
    #[serde(default)]
    pub failure: Option<Failure>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Taken {
    /// Unix seconds.
    pub at: u64,
    pub file: String,
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn aegis_error(text: impl Into<String>) -> VaultError {
    VaultError::Sync(text.into())
}

/// Whether Aegis wrote `name`: its automatic backups and its exports, encrypted.
fn is_aegis_backup(name: &str) -> bool {
    (name.starts_with("aegis-backup-") || name.starts_with("aegis-export-"))
        && name.ends_with(".json")
        && !name.starts_with("aegis-export-plain-")
}

/// The newest Aegis backup in `folder` (by modification time, then name), with its fingerprint.
fn newest(folder: &Path) -> Result<Option<(String, PathBuf, String)>, VaultError> {
    let entries = fs::read_dir(folder).map_err(|source| VaultError::Io {
        action: "reading the Aegis folder",
        path: folder.to_owned(),
        source,
    })?;
    let newest = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let meta = e.metadata().ok().filter(fs::Metadata::is_file)?;
            let modified = meta.modified().ok()?;
            is_aegis_backup(&name).then_some((modified, name, e.path(), meta.len()))
        })
        .max_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    Ok(newest.map(|(modified, name, path, len)| {
        let nanos = modified
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let fingerprint = format!("{name}:{len}:{nanos}");
        (name, path, fingerprint)
    }))
}

impl<S: SecretStore> Vault<S> {
    fn aegis_follow_path(&self) -> PathBuf {
        self.dir().join(FILE)
    }

    /// The follower's configuration and last outcome; `None` when Aegis is not followed.
    pub fn aegis_follow(&self) -> Option<AegisFollow> {
        let bytes = read_file_up_to(&self.aegis_follow_path(), MAX_BYTES).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn save_aegis_follow(&self, config: &AegisFollow) -> Result<(), VaultError> {
        write_json(&self.aegis_follow_path(), TEMP_PREFIX, config, MAX_BYTES)
    }

    /// Follows the Aegis backups in `folder`: the newest is opened with the vault's `password`,
    /// its master key kept in the keychain, and its accounts taken in. Nothing is kept when the
    /// password does not open it.
    pub fn follow_aegis(&self, folder: &Path, password: &str) -> Result<Taken, VaultError> {
        let folder = fs::canonicalize(folder).map_err(|source| VaultError::Io {
            action: "finding the Aegis folder",
            path: folder.to_owned(),
            source,
        })?;
        let (name, path, _) = newest(&folder)?.ok_or_else(|| {
            aegis_error(format!(
                "{} holds no Aegis backup (aegis-backup-*.json): turn on Aegis's automatic backups into the folder your phone syncs, then try again",
                folder.display()
            ))
        })?;
        let bytes = self.read_aegis(&path)?;
        let key = aegis::master_key_of(&bytes, password)
            .map_err(|e| aegis_error(format!("{}: {e}", shown(&name))))?;
        self.secrets()
            .store_own(KEY_NAME, KEY_LABEL, key.as_ref())?;
        let config = AegisFollow {
            folder,
            last_backup: None,
            fingerprint: String::new(),
            last_taken: None,
            failure: None,
        };
        self.save_aegis_follow(&config)?;
        self.take_aegis_backup()?
            .ok_or_else(|| aegis_error("the Aegis backup went away while it was read"))
    }

    /// Stops following Aegis: its key leaves the keychain; the accounts taken in stay.
    pub fn unfollow_aegis(&self) -> Result<Option<AegisFollow>, VaultError> {
        let config = self.aegis_follow();
        remove_if_present(&self.aegis_follow_path())?;
        self.secrets().delete_own(KEY_NAME)?;
        Ok(config)
    }

    /// Takes in the newest Aegis backup if it is new since the last one taken (a directory
    /// listing when it is not). Never fails: a failure is recorded.
    pub fn aegis_if_changed(&self) {
        let Some(config) = self.aegis_follow() else {
            return;
        };
        let unchanged = newest(&config.folder)
            .is_ok_and(|found| found.is_none_or(|(_, _, print)| print == config.fingerprint));
        if !unchanged && let Err(error) = self.take_aegis_backup() {
            let mut failed = self.aegis_follow().unwrap_or(config);
            failed.failure = Some(Failure {
                at: unix_now(),
                error: error.to_string(),
            });
            let _ = self.save_aegis_follow(&failed);
        }
    }

    fn read_aegis(&self, path: &Path) -> Result<tessera_core::Sensitive<Vec<u8>>, VaultError> {
        let bytes =
            read_file_up_to(path, MAX_BACKUP_BYTES as u64).map_err(|source| VaultError::Io {
                action: "reading",
                path: path.to_owned(),
                source,
            })?;
        if bytes.len() > MAX_BACKUP_BYTES {
            return Err(aegis_error(format!(
                "{} is larger than any Aegis backup",
                path.display()
            )));
        }
        Ok(bytes)
    }

    /// Takes in the newest backup: planned as an import is, re-enrolments replacing, duplicates
    /// skipped. `None` when the folder holds none.
    pub fn take_aegis_backup(&self) -> Result<Option<Taken>, VaultError> {
        let Some(mut config) = self.aegis_follow() else {
            return Ok(None);
        };
        let Some((name, path, fingerprint)) = newest(&config.folder)? else {
            return Ok(None);
        };
        let key_bytes = self.secrets().load_own(KEY_NAME)?.ok_or_else(|| {
            aegis_error("the Aegis vault key is missing from the keychain: follow the folder again with the vault password")
        })?;
        let key: [u8; 32] = key_bytes.as_slice().try_into().map_err(|_| {
            aegis_error("the Aegis vault key in the keychain is damaged: follow the folder again")
        })?;
        let bytes = self.read_aegis(&path)?;
        let (items, _skipped) =
            aegis::read_with_master_key(&bytes, &tessera_core::Sensitive::new(key)).map_err(
                |e| {
                    aegis_error(format!(
                        "{}: {e} (a new Aegis vault? follow the folder again with its password)",
                        shown(&name)
                    ))
                },
            )?;
        let planned = self.plan(items)?;
        let unchanged = planned.iter().filter(|p| p.change(true).is_none()).count();
        let changes: Vec<Change> = planned.into_iter().filter_map(|p| p.change(true)).collect();
        let replaced = changes
            .iter()
            .filter(|c| matches!(c, Change::Replace { .. }))
            .count();
        let added = changes.len() - replaced;
        self.apply(&changes, unix_now(), &mut |_, _| {})?;
        let taken = Taken {
            at: unix_now(),
            file: name.clone(),
            added,
            replaced,
            unchanged,
        };
        config.last_backup = Some(name);
        config.fingerprint = fingerprint;
        config.last_taken = Some(taken.clone());
        config.failure = None;
        self.save_aegis_follow(&config)?;
        Ok(Some(taken))
    }
}
