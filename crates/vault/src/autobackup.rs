//! Automatic backups: once turned on, every change to the vault (from the CLI or the window)
//! writes a normal encrypted Tessera backup into a folder of the user's choice, named
//! `tessera-backup-YYYYMMDD-HHMMSS.tessera` (UTC), and keeps the newest N.
//!
//! - The passphrase is asked once, when they are turned on. What is kept is the key Argon2id
//!   derived from it, with its salt and parameters, as Tessera's own keychain item (never the
//!   passphrase); every file is still read with the passphrase (`tessera import`).
//! - The configuration and the outcome of the last backups are `auto-backup.json` in the vault
//!   directory, beside the index they follow.
//! - A backup is written after the change, under the vault's write lock, from the index as it
//!   is then: the newest file always holds the newest accounts, whatever writers ran at once.
//! - A failed backup never fails the change. It is recorded; `tessera backup status`,
//!   `tessera doctor` and the window's banner show it until a backup succeeds again.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tessera_core::backup::aegis::{self, VaultKey};
use tessera_core::backup::sheet::utc_stamp;
use tessera_core::backup::tessera::{BackupKey, KdfParams, encrypt_with};
use tessera_core::backup::{ExportError, MIN_PASSPHRASE_CHARS};

use crate::error::VaultError;
use crate::index::{remove_if_present, temporaries_in, write_json};
use crate::restore::write_backup_file;
use crate::secrets::SecretStore;
use crate::vault::Vault;

const FILE: &str = "auto-backup.json";
const TEMP_PREFIX: &str = ".auto-backup.json.";
/// Far more than the file ever holds; a larger one is not read.
const MAX_BYTES: u64 = 64 * 1024;
/// The keychain name of the backups' key (one of Tessera's own secrets).
const KEY_NAME: &str = "automatic-backup-key";
const KEY_LABEL: &str = "Tessera: automatic backup key";
const PREFIX: &str = "tessera-backup-";
const SUFFIX: &str = ".tessera";
/// Backups in Aegis's format are named as Aegis names its own, so that a follower of Aegis
/// backups (another Tessera) takes them, and marked as Tessera's, so that pruning never touches
/// Aegis's own in a shared folder.
const AEGIS_PREFIX: &str = "aegis-backup-";
const AEGIS_SUFFIX: &str = "-tessera.json";
/// How many backups are kept when the user says nothing.
pub const DEFAULT_KEEP: usize = 10;
/// The most backups one may ask to keep.
pub const MAX_KEEP: usize = 1000;

/// The format automatic backups are written in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AutoFormat {
    /// Tessera's encrypted backup (Argon2id, AES-256-GCM).
    #[default]
    Tessera,
    /// An encrypted Aegis vault, one master key for every backup, as Aegis writes its own:
    /// Aegis (and 2FAS, Ente, Proton) import it, and a follower of Aegis backups takes it.
    Aegis,
}

/// The configuration and the last outcomes, as `auto-backup.json` holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoBackup {
    /// Where backups are written.
    pub folder: PathBuf,
    #[serde(default)]
    pub format: AutoFormat,
    /// How many of the newest are kept.
    pub keep: usize,
    /// The last backup written.
    #[serde(default)]
    pub last_backup: Option<Written>,
    /// The last failure, kept until a backup succeeds.
    #[serde(default)]
    pub last_failure: Option<Failure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    /// Unix seconds.
    pub at: u64,
    pub file: PathBuf,
    /// How many accounts it holds.
    pub accounts: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// Unix seconds.
    pub at: u64,
    pub error: String,
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The key a format's backups are sealed with.
enum AutoKey {
    Tessera(BackupKey),
    Aegis(VaultKey),
}

impl AutoKey {
    fn from_bytes(format: AutoFormat, bytes: &[u8]) -> Option<Self> {
        match format {
            AutoFormat::Tessera => BackupKey::from_bytes(bytes).map(Self::Tessera),
            AutoFormat::Aegis => VaultKey::from_bytes(bytes).map(Self::Aegis),
        }
    }
}

/// Whether `name` is one of the backups this writes, in either format.
fn is_backup_name(name: &str) -> bool {
    [(PREFIX, SUFFIX), (AEGIS_PREFIX, AEGIS_SUFFIX)]
        .iter()
        .any(|(prefix, suffix)| {
            name.strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(suffix))
                .is_some_and(is_stamp)
        })
}

fn is_stamp(stamp: &str) -> bool {
    stamp.len() == 15
        && stamp
            .char_indices()
            .all(|(i, c)| if i == 8 { c == '-' } else { c.is_ascii_digit() })
}

/// A backup's time stamp (`YYYYMMDD-HHMMSS`), which orders backups of either format.
fn stamp_of(name: &str) -> &str {
    name.strip_prefix(PREFIX)
        .or_else(|| name.strip_prefix(AEGIS_PREFIX))
        .and_then(|rest| rest.get(..15))
        .unwrap_or(name)
}

/// Removes all but the `keep` newest backups in `folder` (by their time stamp). Other files
/// are never touched.
fn prune(folder: &Path, keep: usize) -> std::io::Result<()> {
    let mut backups: Vec<String> = fs::read_dir(folder)?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| is_backup_name(name))
        .collect();
    backups.sort_by(|a, b| (stamp_of(a), a).cmp(&(stamp_of(b), b)));
    let extra = backups.len().saturating_sub(keep);
    for name in &backups[..extra] {
        fs::remove_file(folder.join(name))?;
    }
    Ok(())
}

/// An I/O error's reason without the temporary file's path some errors carry.
fn bare(error: &std::io::Error) -> String {
    error.raw_os_error().map_or_else(
        || error.to_string(),
        |code| std::io::Error::from_raw_os_error(code).to_string(),
    )
}

impl<S: SecretStore> Vault<S> {
    fn auto_backup_path(&self) -> PathBuf {
        self.dir().join(FILE)
    }

    /// The automatic backups' configuration and last outcomes; `None` when they are off (or the
    /// file can't be read, which is said as off too: the next `backup auto` writes it anew).
    pub fn auto_backup(&self) -> Option<AutoBackup> {
        use std::io::Read;
        let mut bytes = Vec::new();
        fs::File::open(self.auto_backup_path())
            .and_then(|f| f.take(MAX_BYTES).read_to_end(&mut bytes))
            .ok()?;
        let mut config: AutoBackup = serde_json::from_slice(&bytes).ok()?;
        // The file may have been edited: 0 would delete every backup, even the one just written.
        config.keep = config.keep.clamp(1, MAX_KEEP);
        Some(config)
    }

    /// Temporary files of `auto-backup.json` a killed writer left, for `doctor`.
    pub(crate) fn auto_backup_temporaries(&self) -> Vec<PathBuf> {
        temporaries_in(self.dir(), TEMP_PREFIX)
    }

    fn save_auto_backup(&self, config: &AutoBackup) -> Result<(), VaultError> {
        write_json(&self.auto_backup_path(), TEMP_PREFIX, config, MAX_BYTES)
    }

    /// Turns automatic backups on (or changes them): derives the key from `passphrase`, keeps it
    /// in the keychain, and writes the first backup into `folder` (made if missing) at once. If
    /// that backup can't be written, nothing is turned on and the error says why.
    pub fn enable_auto_backup(
        &self,
        folder: &Path,
        keep: usize,
        passphrase: &str,
        format: AutoFormat,
    ) -> Result<Written, VaultError> {
        if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(ExportError::WeakPassphrase.into());
        }
        if !(1..=MAX_KEEP).contains(&keep) {
            return Err(VaultError::AutoBackup(format!(
                "the number of backups to keep must be between 1 and {MAX_KEEP}"
            )));
        }
        fs::create_dir_all(folder).map_err(|source| VaultError::Io {
            action: "creating the backup folder",
            path: folder.to_owned(),
            source,
        })?;
        // Absolute, so that the CLI run from another directory and the window find it.
        let folder = fs::canonicalize(folder).map_err(|source| VaultError::Io {
            action: "finding the backup folder",
            path: folder.to_owned(),
            source,
        })?;
        let (key, kept) = match format {
            AutoFormat::Tessera => {
                let key = BackupKey::derive(passphrase, KdfParams::DEFAULT)?;
                let kept = key.to_bytes();
                (AutoKey::Tessera(key), kept)
            }
            AutoFormat::Aegis => {
                let key = VaultKey::new(passphrase)?;
                let kept = key.to_bytes();
                (AutoKey::Aegis(key), kept)
            }
        };
        let previous = self.secrets().load_own(KEY_NAME)?;
        self.secrets().store_own(KEY_NAME, KEY_LABEL, &kept)?;
        let config = AutoBackup {
            folder,
            format,
            keep,
            last_backup: None,
            last_failure: None,
        };
        let lock = self.index().lock()?;
        let first = self.write_auto_backup(&config, &key).and_then(|written| {
            self.save_auto_backup(&AutoBackup {
                last_backup: Some(written.clone()),
                ..config
            })?;
            Ok(written)
        });
        drop(lock);
        if first.is_err() {
            // Back as it was: the old key (or none).
            let _ = match previous {
                Some(old) => self.secrets().store_own(KEY_NAME, KEY_LABEL, &old),
                None => self.secrets().delete_own(KEY_NAME),
            };
        }
        first
    }

    /// Turns automatic backups off: the configuration and the key go; the backups written stay.
    pub fn disable_auto_backup(&self) -> Result<Option<AutoBackup>, VaultError> {
        let config = self.auto_backup();
        let _lock = self.index().lock()?;
        remove_if_present(&self.auto_backup_path())?;
        self.secrets().delete_own(KEY_NAME)?;
        Ok(config)
    }

    /// After a change: writes a backup if they are on, and records how it went. Never fails
    /// (the change has happened); a failure is recorded for `backup status`, `doctor` and the
    /// window.
    pub(crate) fn backup_after_change(&self) {
        let Some(config) = self.auto_backup() else {
            return;
        };
        let Ok(_lock) = self.index().lock() else {
            return;
        };
        let outcome = match self.secrets().load_own(KEY_NAME) {
            Ok(Some(bytes)) => match AutoKey::from_bytes(config.format, &bytes) {
                Some(key) => self.write_auto_backup(&config, &key).map_err(|e| match e {
                    // Recorded and shown as "The automatic backup failed: …": no prefix.
                    VaultError::AutoBackup(text) => text,
                    VaultError::Backup(e) => e.to_string(),
                    other => other.to_string(),
                }),
                None => Err("the automatic backup key in the keychain is damaged: turn automatic backups on again".into()),
            },
            Ok(None) => Err("the automatic backup key is missing from the keychain: turn automatic backups on again".into()),
            Err(e) => Err(e.to_string()),
        };
        let config = match outcome {
            Ok(written) => AutoBackup {
                last_backup: Some(written),
                last_failure: None,
                ..config
            },
            Err(error) => AutoBackup {
                last_failure: Some(Failure {
                    at: unix_now(),
                    error,
                }),
                ..config
            },
        };
        // Nowhere else to say it: a vault directory that can't be written failed the change.
        let _ = self.save_auto_backup(&config);
    }

    /// Writes one backup of the vault as it is now into the folder, then prunes. The caller
    /// holds the write lock.
    fn write_auto_backup(&self, config: &AutoBackup, key: &AutoKey) -> Result<Written, VaultError> {
        let failed = |text: String| VaultError::AutoBackup(text);
        if !config.folder.is_absolute() {
            return Err(failed(format!(
                "the backup folder {} is not a full path: turn automatic backups on again",
                config.folder.display()
            )));
        }
        // A keychain that can't give the keys keeps its own error (locked, no service).
        let export = self.exportable()?;
        let now = unix_now();
        let (bytes, file) = match key {
            AutoKey::Tessera(key) => (
                encrypt_with(&export.accounts, key, now)?,
                format!("{PREFIX}{}{SUFFIX}", utc_stamp(now)),
            ),
            AutoKey::Aegis(key) => (
                aegis::write_with(&export.accounts, key)?.to_vec(),
                format!("{AEGIS_PREFIX}{}{AEGIS_SUFFIX}", utc_stamp(now)),
            ),
        };
        let file = config.folder.join(file);
        write_backup_file(&file, &bytes).map_err(|e| {
            failed(format!(
                "cannot write into {}: {}",
                config.folder.display(),
                bare(&e)
            ))
        })?;
        prune(&config.folder, config.keep).map_err(|e| {
            failed(format!(
                "cannot remove old backups in {}: {}",
                config.folder.display(),
                bare(&e)
            ))
        })?;
        Ok(Written {
            at: now,
            file,
            accounts: export.accounts.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use tessera_core::uri;

    use super::*;
    use crate::secrets::MemoryStore;

    const PASS: &str = "correct horse";

    #[test]
    fn names_of_backups() {
        assert!(is_backup_name("tessera-backup-20261129-213000.tessera"));
        assert!(is_backup_name("aegis-backup-20261129-213000-tessera.json"));
        assert!(
            !is_backup_name("aegis-backup-20261129-213000.json"),
            "Aegis's own"
        );
        for other in [
            "tessera-backup-20261129-213000.tessera.tmp",
            "tessera-backup-2026112-213000.tessera",
            "tessera-backup-20261129_213000.tessera",
            "notes.txt",
        ] {
            assert!(!is_backup_name(other), "{other}");
        }
    }

    #[test]
    fn every_change_writes_a_backup_the_passphrase_reads_and_failures_are_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::new(dir.path().join("vault"), MemoryStore::default());
        let folder = dir.path().join("backups");
        assert!(vault.auto_backup().is_none());
        assert!(matches!(
            vault.enable_auto_backup(&folder, 3, "short", AutoFormat::Tessera),
            Err(VaultError::Backup(ExportError::WeakPassphrase))
        ));
        let first = vault
            .enable_auto_backup(&folder, 3, PASS, AutoFormat::Tessera)
            .unwrap();
        assert_eq!(first.accounts, 0);
        let account = uri::parse("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP").unwrap();
        vault.add(Some("a"), &account, 1).unwrap();
        let config = vault.auto_backup().unwrap();
        let written = config.last_backup.unwrap();
        assert_eq!(written.accounts, 1);
        let bytes = fs::read(&written.file).unwrap();
        let back = tessera_core::backup::read(&bytes, None, Some(PASS)).unwrap();
        assert_eq!(back.items[0].name.as_deref(), Some("a"));
        // Other files in the folder are left alone by the pruning.
        fs::write(folder.join("notes.txt"), "mine").unwrap();
        vault.rename("a", "b").unwrap();
        assert!(folder.join("notes.txt").exists());
        // A key gone from the keychain: the change happens, the failure is recorded.
        vault.secrets().delete_own(KEY_NAME).unwrap();
        vault.rename("b", "c").unwrap();
        let failure = vault.auto_backup().unwrap().last_failure.unwrap();
        assert!(failure.error.contains("missing"), "{}", failure.error);
        assert_eq!(vault.find("c").unwrap().name, "c");
        // Off: the key and the configuration go, the backups stay.
        vault.disable_auto_backup().unwrap();
        assert!(vault.auto_backup().is_none());
        assert!(fs::read_dir(&folder).unwrap().count() >= 2);
    }

    /// An edited `auto-backup.json` can't make a backup delete every backup, nor write
    /// somewhere relative to wherever the CLI runs.
    #[test]
    fn an_edited_configuration_is_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::new(dir.path().join("vault"), MemoryStore::default());
        let folder = dir.path().join("backups");
        vault
            .enable_auto_backup(&folder, 3, PASS, AutoFormat::Tessera)
            .unwrap();
        let mut config = vault.auto_backup().unwrap();
        config.keep = 0;
        vault.save_auto_backup(&config).unwrap();
        assert_eq!(vault.auto_backup().unwrap().keep, 1);
        let account = uri::parse("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP").unwrap();
        vault.add(Some("a"), &account, 1).unwrap();
        assert_eq!(
            fs::read_dir(&folder).unwrap().count(),
            1,
            "the newest is kept"
        );
        config.folder = PathBuf::from("relative");
        vault.save_auto_backup(&config).unwrap();
        vault.rename("a", "b").unwrap();
        let failure = vault.auto_backup().unwrap().last_failure.unwrap();
        assert!(
            failure.error.contains("not a full path"),
            "{}",
            failure.error
        );
        assert!(!Path::new("relative").exists());
    }

    #[test]
    fn an_unwritable_first_backup_turns_nothing_on() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::new(dir.path().join("vault"), MemoryStore::default());
        // A file where the folder should be.
        let folder = dir.path().join("file");
        fs::write(&folder, "").unwrap();
        assert!(
            vault
                .enable_auto_backup(&folder, 3, PASS, AutoFormat::Tessera)
                .is_err()
        );
        assert!(vault.auto_backup().is_none());
        assert!(vault.secrets().load_own(KEY_NAME).unwrap().is_none());
    }
}
