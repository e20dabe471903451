//! Sync through a folder the user already syncs (see docs/sync.md, and `tessera_core::sync` for
//! the format and the merge). This is the I/O around the merge:
//!
//! - `sync.json` in the vault directory: the folder, this device's id, name and last sequence
//!   number, the devices seen, the folder's fingerprint after the last merge, and the last
//!   outcome. `sync-state.json`: the merged state (no keys). The set's key is one of Tessera's
//!   own keychain items.
//! - In the folder, each device writes only `<device>.tessera-sync`, atomically (a temporary
//!   name Syncthing and Nextcloud never send, then a rename), so no engine sees two writers.
//! - A merge runs under the writers' lock: after every change to the vault, before the CLI reads
//!   it when a file in the folder changed, and on request. A failure never fails the change: it
//!   is recorded for `tessera sync status`, `doctor` and the window.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tessera_core::sync::file::MAX_DEVICE_NAME_CHARS;
use tessera_core::sync::state::MAX_RECORDS;
use tessera_core::sync::{Body, DeviceFile, State, SyncKey, file};
use tessera_core::untrusted::shown;
use tessera_core::{Secret, Sensitive};

use crate::autobackup::Failure;
use crate::bounded::read_file_up_to;
use crate::error::VaultError;
use crate::index::{Entry, WriteLock, remove_if_present, temporaries_in, write_bytes, write_json};
use crate::secrets::SecretStore;
use crate::vault::{Vault, keychain_label, new_id};

const CONFIG_FILE: &str = "sync.json";
const CONFIG_TEMP: &str = ".sync.json.";
const STATE_FILE: &str = "sync-state.json";
const STATE_TEMP: &str = ".sync-state.json.";
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;
const MAX_STATE_BYTES: u64 = file::MAX_FILE_BYTES;
const KEY_NAME: &str = "sync-key";
const KEY_LABEL: &str = "Tessera: sync key";
/// A device file's name: `<device id><SUFFIX>`.
const SUFFIX: &str = ".tessera-sync";
/// The most files read from the folder: a set of a few devices, and conflict copies.
const MAX_FILES: usize = 64;

/// Something the user should know about sync that is not a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// Device `name` was forgotten: this device started a new sync set.
    Forgotten { name: String },
    /// Another computer writes this device's file (a copied home folder): this computer became
    /// device `new`, was `old`.
    Copied { old: String, new: String },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::Forgotten { name } => write!(
                f,
                "{name:?} was forgotten: this device started a new sync set; the other devices join it again with the new pairing secret (`tessera sync off`, then `tessera sync join`)"
            ),
            Notice::Copied { old, new } => write!(
                f,
                "another computer writes this device's sync file ({old}): a copy of this home folder? This computer is now a device of its own ({new})"
            ),
        }
    }
}

fn readable_notice<'de, D: serde::Deserializer<'de>>(from: D) -> Result<Option<Notice>, D::Error> {
    let value = serde_json::Value::deserialize(from)?;
    Ok(serde_json::from_value(value).ok())
}
/// Sync's configuration and last outcome, as `sync.json` holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncConfig {
    pub folder: PathBuf,
    /// This device's id (16 hex digits), its file's name.
    pub device: String,
    pub device_name: String,
    /// The sequence number of this device's last file.
    pub seq: u64,
    /// The other devices, by id, as their last files said.
    #[serde(default)]
    pub devices: BTreeMap<String, DeviceSeen>,
    /// The folder's files (names, sizes, times) after the last merge: unchanged, nothing to read.
    #[serde(default)]
    pub fingerprint: String,
    /// Unix seconds of the last merge that went through.
    #[serde(default)]
    pub last_sync: Option<u64>,
    /// The last failure, kept until a merge succeeds.
    #[serde(default)]
    pub failure: Option<Failure>,
    /// Something the user should know that is not a failure (this device got a new id). A
    /// notice this Tessera cannot read (an older one's sentence) is dropped.
    #[serde(default, deserialize_with = "readable_notice")]
    pub notice: Option<Notice>,
    /// Device files in the folder that do not open with this set's key, of devices it never
    /// merged (see [`Merged::foreign`]).
    #[serde(default)]
    pub foreign: Vec<String>,
    /// Changes of this device recorded in the state but not yet in its file in the folder.
    #[serde(default)]
    pub pending: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSeen {
    pub name: String,
    pub seq: u64,
    /// Unix seconds, when its last file was written.
    pub last_seen: u64,
}

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    /// Files of this set's devices refused (damaged, changed, cut), with why.
    pub refused: Vec<String>,
    /// Files of devices this set never merged that do not open with its key: another set's, or
    /// devices still to join again after a `forget`. Not a failure.
    pub foreign: Vec<String>,
    /// Whether the index was written (accounts added, changed, removed or moved).
    pub vault_changed: bool,
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn sync_error(text: impl Into<String>) -> VaultError {
    VaultError::Sync(text.into())
}

/// The name of this computer, for other devices' lists.
pub fn default_device_name() -> String {
    let name = fs::read_to_string("/etc/hostname")
        .ok()
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_default();
    clean_device_name(&name).unwrap_or_else(|| "this computer".to_owned())
}

fn clean_device_name(name: &str) -> Option<String> {
    let name: String = name
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_DEVICE_NAME_CHARS)
        .collect();
    (!name.is_empty()).then_some(name)
}

/// A device file's id from its name, for `<id>.tessera-sync` and for the copies engines make of
/// it in a conflict (`<id>.sync-conflict-….tessera-sync`, `<id> (… conflicted copy …).tessera-sync`).
fn device_of(name: &str) -> Option<(&str, bool)> {
    let stem = name.strip_suffix(SUFFIX)?;
    let id_len = stem
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(stem.len());
    let id = &stem[..id_len];
    (!id.is_empty() && id.len() <= 64).then_some((id, id_len < stem.len()))
}

/// The device files in `folder` (and conflict copies), sorted, at most [`MAX_FILES`].
fn sync_files(folder: &Path) -> Result<Vec<(String, PathBuf, fs::Metadata)>, VaultError> {
    let entries = fs::read_dir(folder).map_err(|source| VaultError::Io {
        action: "reading the sync folder",
        path: folder.to_owned(),
        source,
    })?;
    let mut found: Vec<(String, PathBuf, fs::Metadata)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            device_of(&name)?;
            let meta = e.metadata().ok().filter(fs::Metadata::is_file)?;
            Some((name, e.path(), meta))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    if found.len() > MAX_FILES {
        return Err(sync_error(format!(
            "the sync folder {} holds more than {MAX_FILES} device files",
            folder.display()
        )));
    }
    Ok(found)
}

/// What the folder's device files are now: unchanged, there is nothing new to read.
fn fingerprint(files: &[(String, PathBuf, fs::Metadata)]) -> String {
    files
        .iter()
        .map(|(name, _, meta)| {
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{name}:{}:{modified}\n", meta.len())
        })
        .collect()
}

fn body_of(entry: &Entry) -> (String, Body) {
    (
        entry.id.clone(),
        Body {
            name: entry.name.clone(),
            issuer: entry.issuer.clone(),
            label: entry.label.clone(),
            params: entry.params,
            created: entry.created,
            meta: entry.meta.clone(),
        },
    )
}

impl<S: SecretStore> Vault<S> {
    fn sync_config_path(&self) -> PathBuf {
        self.dir().join(CONFIG_FILE)
    }

    fn sync_state_path(&self) -> PathBuf {
        self.dir().join(STATE_FILE)
    }

    /// Sync's configuration and last outcome; `None` when this device syncs with nothing.
    pub fn sync_config(&self) -> Option<SyncConfig> {
        let bytes = read_file_up_to(&self.sync_config_path(), MAX_CONFIG_BYTES).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn save_sync_config(&self, config: &SyncConfig) -> Result<(), VaultError> {
        write_json(
            &self.sync_config_path(),
            CONFIG_TEMP,
            config,
            MAX_CONFIG_BYTES,
        )
    }

    fn sync_state(&self) -> Result<State, VaultError> {
        let path = self.sync_state_path();
        let bytes = match read_file_up_to(&path, MAX_STATE_BYTES) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::default()),
            Err(source) => {
                return Err(VaultError::Io {
                    action: "reading",
                    path,
                    source,
                });
            }
        };
        serde_json::from_slice(&bytes).map_err(|e| {
            sync_error(format!(
                "{} is damaged ({e}): turn sync off and join the set again",
                path.display()
            ))
        })
    }

    fn sync_key(&self) -> Result<SyncKey, VaultError> {
        let bytes = self.secrets().load_own(KEY_NAME)?.ok_or_else(|| {
            sync_error(
                "the sync key is missing from the keychain: turn sync off and join the set again",
            )
        })?;
        SyncKey::from_bytes(&bytes).ok_or_else(|| {
            sync_error(
                "the sync key in the keychain is damaged: turn sync off and join the set again",
            )
        })
    }

    /// The set's pairing secret, from the key in the keychain, for another device to join.
    pub fn sync_pairing_secret(&self) -> Result<Sensitive<String>, VaultError> {
        self.sync_config()
            .ok_or_else(|| sync_error("this device does not sync"))?;
        Ok(self.sync_key()?.pairing_secret())
    }

    /// Starts a sync set in `folder` (made if missing) with this device's accounts, and returns
    /// the pairing secret the other devices join with.
    pub fn sync_setup(
        &self,
        folder: &Path,
        device_name: Option<&str>,
    ) -> Result<(SyncConfig, Sensitive<String>), VaultError> {
        let folder = self.sync_folder(folder, true)?;
        if !sync_files(&folder)?.is_empty() {
            return Err(sync_error(format!(
                "{} already holds a sync set: join it with `tessera sync join`, or choose an empty folder",
                folder.display()
            )));
        }
        let key = SyncKey::generate()?;
        let config = self.start_syncing(folder, device_name, &key)?;
        Ok((config, key.pairing_secret()))
    }

    /// Joins the sync set in `folder` with its pairing secret: this device's accounts and the
    /// set's are merged. A secret that opens none of the folder's files is refused.
    pub fn sync_join(
        &self,
        folder: &Path,
        pairing_secret: &str,
        device_name: Option<&str>,
    ) -> Result<SyncConfig, VaultError> {
        let key = SyncKey::from_pairing_secret(pairing_secret)?;
        let folder = self.sync_folder(folder, false)?;
        let files = sync_files(&folder)?;
        if files.is_empty() {
            return Err(sync_error(format!(
                "{} holds no sync set: start one there with `tessera sync setup`, or wait until the folder has synced",
                folder.display()
            )));
        }
        let opens = files.iter().any(|(_, path, _)| {
            read_file_up_to(path, file::MAX_FILE_BYTES)
                .is_ok_and(|bytes| DeviceFile::open(&bytes, &key).is_ok())
        });
        if !opens {
            return Err(sync_error(format!(
                "this pairing secret does not open the sync set in {}: copy it again from a device of the set (`tessera sync setup` printed it)",
                folder.display()
            )));
        }
        self.start_syncing(folder, device_name, &key)
    }

    fn sync_folder(&self, folder: &Path, create: bool) -> Result<PathBuf, VaultError> {
        if self.sync_config().is_some() {
            return Err(sync_error(
                "this device already syncs: `tessera sync off` first",
            ));
        }
        if create {
            fs::create_dir_all(folder).map_err(|source| VaultError::Io {
                action: "creating the sync folder",
                path: folder.to_owned(),
                source,
            })?;
        }
        // Absolute, so that the CLI run from anywhere and the window find it.
        fs::canonicalize(folder).map_err(|source| VaultError::Io {
            action: "finding the sync folder",
            path: folder.to_owned(),
            source,
        })
    }

    fn start_syncing(
        &self,
        folder: PathBuf,
        device_name: Option<&str>,
        key: &SyncKey,
    ) -> Result<SyncConfig, VaultError> {
        let device_name = match device_name {
            Some(name) => clean_device_name(name)
                .ok_or_else(|| sync_error("a device name cannot be empty"))?,
            None => default_device_name(),
        };
        let config = SyncConfig {
            folder,
            device: new_id()?,
            device_name,
            seq: 0,
            devices: BTreeMap::new(),
            fingerprint: String::new(),
            last_sync: None,
            failure: None,
            notice: None,
            foreign: Vec::new(),
            pending: false,
        };
        self.secrets()
            .store_own(KEY_NAME, KEY_LABEL, key.as_bytes())?;
        let lock = self.index().lock()?;
        remove_if_present(&self.sync_state_path())?;
        self.save_sync_config(&config)?;
        let first = self.merge_locked(&config, key, &lock);
        drop(lock);
        match first {
            Ok(_) => {
                self.backup_after_change();
                Ok(self.sync_config().unwrap_or(config))
            }
            Err(e) => {
                let _ = self.stop_syncing();
                Err(e)
            }
        }
    }

    /// Temporary files of `sync.json` and `sync-state.json` a killed writer left, for `doctor`.
    pub(crate) fn sync_temporaries(&self) -> Vec<PathBuf> {
        [
            temporaries_in(self.dir(), CONFIG_TEMP),
            temporaries_in(self.dir(), STATE_TEMP),
        ]
        .concat()
    }

    /// Forgets a device (by id, or by name whatever its case): it still knows the set's key, so
    /// this device starts a new set with a new key (its accounts kept), the forgotten device's
    /// file leaves the folder, and the other devices must join again with the new pairing
    /// secret, which is returned with the forgotten device's name.
    pub fn sync_forget(&self, device: &str) -> Result<(Sensitive<String>, String), VaultError> {
        let config = self
            .sync_config()
            .ok_or_else(|| sync_error("this device does not sync"))?;
        let by_name: Vec<&String> = config
            .devices
            .iter()
            .filter(|(_, seen)| seen.name.to_lowercase() == device.to_lowercase())
            .map(|(id, _)| id)
            .collect();
        let id = if config.devices.contains_key(device) {
            device.to_owned()
        } else if let [id] = by_name[..] {
            id.clone()
        } else {
            let known: Vec<String> = config
                .devices
                .iter()
                .map(|(id, seen)| format!("{id} ({:?})", seen.name))
                .collect();
            return Err(sync_error(format!(
                "no other device is {:?} (or several are): the devices are {}",
                shown(device),
                if known.is_empty() {
                    "none yet".to_owned()
                } else {
                    known.join(", ")
                }
            )));
        };
        let name = config
            .devices
            .get(&id)
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let key = SyncKey::generate()?;
        let lock = self.index().lock()?;
        let old_key = self.secrets().load_own(KEY_NAME)?;
        self.secrets()
            .store_own(KEY_NAME, KEY_LABEL, key.as_bytes())?;
        let renewed = SyncConfig {
            device: new_id()?,
            seq: 0,
            devices: BTreeMap::new(),
            fingerprint: String::new(),
            failure: None,
            notice: Some(Notice::Forgotten {
                name: name.to_owned(),
            }),
            ..config.clone()
        };
        let merged = self
            .save_sync_config(&renewed)
            .and_then(|()| self.merge_locked(&renewed, &key, &lock));
        if let Err(e) = merged {
            // Back to the set as it was.
            if let Some(old) = old_key {
                let _ = self.secrets().store_own(KEY_NAME, KEY_LABEL, &old);
            }
            let _ = self.save_sync_config(&config);
            return Err(e);
        }
        for gone in [&id, &config.device] {
            let _ = remove_if_present(&config.folder.join(format!("{gone}{SUFFIX}")));
        }
        Ok((key.pairing_secret(), name))
    }

    /// Stops syncing: the accounts stay on this device, and this device's file leaves the folder.
    pub fn sync_off(&self) -> Result<Option<SyncConfig>, VaultError> {
        let config = self.sync_config();
        let _lock = self.index().lock()?;
        if let Some(config) = &config {
            let _ = remove_if_present(&config.folder.join(format!("{}{SUFFIX}", config.device)));
        }
        self.stop_syncing()?;
        Ok(config)
    }

    fn stop_syncing(&self) -> Result<(), VaultError> {
        remove_if_present(&self.sync_config_path())?;
        remove_if_present(&self.sync_state_path())?;
        self.secrets().delete_own(KEY_NAME)?;
        Ok(())
    }

    /// Merges now: this device's changes out, the other devices' in.
    pub fn sync_now(&self) -> Result<Merged, VaultError> {
        self.sync_config().ok_or_else(|| {
            sync_error(
                "this device does not sync: `tessera sync setup` or `tessera sync join` first",
            )
        })?;
        let merged = self.merge_then_backup();
        merged.and_then(|merged| match merged.refused.first() {
            Some(first) => Err(sync_error(first.clone())),
            None => Ok(merged),
        })
    }

    /// Before reading the vault: merges if a file in the folder changed since the last merge, or
    /// this device has changes the folder could not take then.
    /// Costs a directory listing when nothing did; never fails (a failure is recorded).
    pub fn sync_if_changed(&self) {
        let Some(config) = self.sync_config() else {
            return;
        };
        // Changes of this device that could not go out yet go out as soon as the folder is back.
        let unchanged = !config.pending
            && sync_files(&config.folder)
                .is_ok_and(|files| fingerprint(&files) == config.fingerprint);
        if !unchanged {
            let _ = self.merge_then_backup();
        }
    }

    /// After a change to the vault: sends it to the folder (and takes in what arrived). Never
    /// fails; a failure is recorded.
    pub(crate) fn sync_after_change(&self) {
        if self.sync_config().is_some() {
            let _ = self.merge_recorded();
        }
    }

    /// A merge under the writers' lock, its failure recorded in `sync.json`.
    fn merge_recorded(&self) -> Result<Merged, VaultError> {
        let lock = self.index().lock()?;
        // Read under the lock: a configuration read before it may predate another process's
        // merge, whose newer file would then look like a second computer writing as this one.
        let Some(config) = self.sync_config() else {
            return Ok(Merged::default());
        };
        let outcome = self
            .sync_key()
            .and_then(|key| self.merge_locked(&config, &key, &lock));
        if let Err(error) = &outcome {
            let mut failed = self.sync_config().unwrap_or(config);
            failed.failure = Some(Failure {
                at: unix_ms() / 1000,
                error: error.to_string(),
            });
            let _ = self.save_sync_config(&failed);
        }
        outcome
    }

    /// [`Self::merge_recorded`], then the automatic backup when the merge changed the vault.
    fn merge_then_backup(&self) -> Result<Merged, VaultError> {
        let merged = self.merge_recorded();
        if merged.as_ref().is_ok_and(|m| m.vault_changed) {
            self.backup_after_change();
        }
        merged
    }

    /// The merge itself; the caller holds the writers' lock.
    fn merge_locked(
        &self,
        config: &SyncConfig,
        key: &SyncKey,
        lock: &WriteLock,
    ) -> Result<Merged, VaultError> {
        let now_ms = unix_ms();
        let mut config = config.clone();
        let before = self.sync_state()?;
        let mut accounts = self.index().read()?;
        let local: Vec<(String, Body)> = accounts.entries.iter().map(body_of).collect();
        let mut next = before.clone();
        next.join(&before.changes(&local, &config.device, now_ms));
        if next != before {
            // This device's changes are recorded at once, even when the folder can't be
            // reached: a HOTP code taken, then the account removed before the folder is back,
            // still leaves its counter in the tombstone. They go out with the next file.
            config.pending = true;
            write_json(&self.sync_state_path(), STATE_TEMP, &next, MAX_STATE_BYTES)?;
            self.save_sync_config(&config)?;
        }

        // The other devices' files, and copies an engine made in a conflict.
        let mut received_keys: HashMap<String, Secret> = HashMap::new();
        let mut refused = Vec::new();
        let mut foreign = Vec::new();
        let mut conflict_copies = Vec::new();
        let own_name = format!("{}{SUFFIX}", config.device);
        let mut own_file_is_ours = false;
        for (name, path, _) in sync_files(&config.folder)? {
            let Some((device, is_copy)) = device_of(&name) else {
                continue;
            };
            let opened = read_file_up_to(&path, file::MAX_FILE_BYTES)
                .map_err(|e| e.to_string())
                .and_then(|bytes| DeviceFile::open(&bytes, key).map_err(|e| e.to_string()))
                .and_then(|f| {
                    if f.device == device {
                        Ok(f)
                    } else {
                        Err("it names another device than its file name does".to_owned())
                    }
                });
            let file = match opened {
                Ok(file) => file,
                // This device's own file, damaged or cut: it is written anew below.
                Err(_) if name == own_name => continue,
                Err(_) if !config.devices.contains_key(device) => {
                    foreign.push(name.clone());
                    continue;
                }
                Err(why) => {
                    let file = match config.devices.get(device) {
                        Some(seen) => format!("{:?}'s file ({})", seen.name, shown(&name)),
                        None => shown(&name),
                    };
                    refused.push(format!("{file} is refused: {why}"));
                    continue;
                }
            };
            if is_copy {
                conflict_copies.push(path.clone());
            } else if name == own_name {
                if file.seq <= config.seq {
                    // Ours, or an older one of ours (an engine rolled it back): ours is newer.
                    own_file_is_ours = file.seq == config.seq;
                    continue;
                }
                // Another computer writes as this device (a home folder copied, keychain and
                // all): this one becomes a device of its own, and reads that one's file.
                let old = config.device.clone();
                config.device = new_id()?;
                config.seq = 0;
                config.notice = Some(Notice::Copied {
                    old,
                    new: config.device.clone(),
                });
            } else if let Some(seen) = config.devices.get(device)
                && file.seq < seen.seq
            {
                // A file older than one already merged: restored or rolled back. Its changes
                // are in what was merged; nothing of it can undo newer ones.
                continue;
            }
            if !is_copy {
                config.devices.insert(
                    device.to_owned(),
                    DeviceSeen {
                        name: file.device_name.clone(),
                        seq: file.seq,
                        last_seen: file.written,
                    },
                );
            }
            next.join(&file.state);
            received_keys.extend(file.keys);
        }
        if next.records.len() > MAX_RECORDS {
            return Err(sync_error(format!(
                "the set holds more than {MAX_RECORDS} accounts"
            )));
        }
        next.prune(now_ms);

        // The merged vault, applied to this device's index and keychain.
        let merged = self.apply_view(&mut accounts, &next, &received_keys, lock)?;

        // This device's file, when it has something new to say.
        if next != before || !own_file_is_ours || config.pending {
            let live: Vec<&str> = accounts.entries.iter().map(|e| e.id.as_str()).collect();
            let loaded = self.secrets().load_all(&live)?;
            let keys: BTreeMap<String, Secret> = live
                .iter()
                .zip(loaded)
                .filter_map(|(id, key)| Some(((*id).to_owned(), key?)))
                .collect();
            config.seq += 1;
            let file = DeviceFile {
                device: config.device.clone(),
                device_name: config.device_name.clone(),
                seq: config.seq,
                written: now_ms / 1000,
                state: next.clone(),
                keys,
            };
            let bytes = file.seal(key)?;
            write_bytes(
                &config.folder.join(format!("{}{SUFFIX}", config.device)),
                &config
                    .folder
                    .join(format!("~syncthing~tessera-{}.tmp", config.device)),
                &bytes,
                file::MAX_FILE_BYTES,
            )?;
        }
        write_json(&self.sync_state_path(), STATE_TEMP, &next, MAX_STATE_BYTES)?;
        for copy in &conflict_copies {
            let _ = fs::remove_file(copy);
        }
        config.pending = false;
        config.fingerprint = fingerprint(&sync_files(&config.folder)?);
        config.last_sync = Some(now_ms / 1000);
        config.failure = refused.first().map(|why| Failure {
            at: now_ms / 1000,
            error: why.clone(),
        });
        config.foreign = foreign.clone();
        self.save_sync_config(&config)?;
        Ok(Merged {
            refused,
            foreign,
            ..merged
        })
    }

    /// Makes the index and the keychain what `state` says: new accounts' keys first, then the
    /// index, then the keys of accounts gone. An account whose key no file carries is left out
    /// until one does.
    fn apply_view(
        &self,
        accounts: &mut crate::index::Accounts,
        state: &State,
        received_keys: &HashMap<String, Secret>,
        lock: &WriteLock,
    ) -> Result<Merged, VaultError> {
        let mut merged = Merged::default();
        let before = accounts.entries.clone();
        let mut old: HashMap<String, Entry> = accounts
            .entries
            .drain(..)
            .map(|e| (e.id.clone(), e))
            .collect();
        let view = state.view();
        let mut new_keys: Vec<(String, String, &Secret)> = Vec::new();
        let mut entries = Vec::with_capacity(view.len());
        for (id, body) in view {
            let entry = match old.remove(&id) {
                Some(mut entry) => {
                    if body_of(&entry).1 != body {
                        merged.changed += 1;
                    }
                    entry.name = body.name;
                    entry.issuer = body.issuer;
                    entry.label = body.label;
                    entry.params = body.params;
                    entry.created = body.created;
                    entry.meta = body.meta;
                    entry
                }
                None => {
                    let Some(secret) = received_keys.get(&id) else {
                        continue;
                    };
                    new_keys.push((id.clone(), keychain_label(&body.name), secret));
                    merged.added += 1;
                    let mut entry = Entry::new(
                        id,
                        body.name,
                        body.issuer,
                        body.label,
                        body.params,
                        body.created,
                    );
                    entry.meta = body.meta;
                    entry
                }
            };
            entries.push(entry);
        }
        merged.removed = old.len();
        if entries == before {
            accounts.entries = entries;
            return Ok(merged);
        }
        // Held until the index is written, so `doctor --fix` never takes these keys for orphans.
        let _in_flight = if new_keys.is_empty() {
            None
        } else {
            Some(self.index().keys_in_flight()?)
        };
        let items: Vec<(&str, &str, &Secret)> = new_keys
            .iter()
            .map(|(id, label, secret)| (id.as_str(), label.as_str(), *secret))
            .collect();
        self.secrets().store_all(&items, &mut |_| {})?;
        // Removed on another device: into this one's trash, its key kept, as a removal here.
        let gone: HashSet<String> = old.into_keys().collect();
        accounts.entries = before;
        crate::trash::move_to_trash(accounts, &gone, crate::trash::unix_now());
        let back: HashSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        accounts
            .trash
            .retain(|t| !back.contains(t.entry.id.as_str()));
        accounts.entries = entries;
        self.index().write(accounts, lock)?;
        merged.vault_changed = true;
        Ok(merged)
    }
}

#[cfg(test)]
mod tests {
    //! The I/O around the merge, on in-memory key stores (each vault its own, as two computers'
    //! keychains): the real keychains are in the CLI's tests (crates/cli/tests/cli/sync.rs).

    use tessera_core::uri;

    use super::*;
    use crate::secrets::MemoryStore;

    fn vault(dir: &Path, name: &str) -> Vault<MemoryStore> {
        Vault::new(dir.join(name), MemoryStore::default())
    }

    fn names(vault: &Vault<MemoryStore>) -> Vec<String> {
        vault.list().unwrap().into_iter().map(|e| e.name).collect()
    }

    #[test]
    fn a_removal_lands_in_the_other_trash_and_a_restore_comes_back_everywhere() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("synced");
        let (a, b) = (vault(dir.path(), "a"), vault(dir.path(), "b"));
        let account = uri::parse("otpauth://totp/Bank:me?secret=JBSWY3DPEHPK3PXP").unwrap();
        a.add(Some("bank"), &account, 1).unwrap();
        a.add(Some("mail"), &account, 1).unwrap();
        let (_, secret) = a.sync_setup(&folder, None).unwrap();
        b.sync_join(&folder, &secret, None).unwrap();
        let id = b.find("bank").unwrap().id;
        a.remove("bank").unwrap();
        b.sync_now().unwrap();
        assert_eq!(names(&b), ["mail"]);
        let trash = b.trash().unwrap();
        assert_eq!(trash[0].entry.id, id, "in B's trash too");
        assert!(
            b.secrets().load(&id).unwrap().is_some(),
            "its key kept on B"
        );
        b.restore_from_trash(&["bank".into()]).unwrap();
        a.sync_now().unwrap();
        assert_eq!(names(&a), ["bank", "mail"]);
        assert!(a.trash().unwrap().is_empty(), "back on A, out of A's trash");
    }

    #[test]
    fn two_vaults_share_their_accounts_through_a_folder_and_refuse_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("synced");
        let (a, b) = (vault(dir.path(), "a"), vault(dir.path(), "b"));
        let account = uri::parse("otpauth://totp/Bank:me?secret=JBSWY3DPEHPK3PXP").unwrap();
        a.add(Some("bank"), &account, 1).unwrap();
        let (_, secret) = a.sync_setup(&folder, Some("laptop")).unwrap();
        assert!(b.sync_join(&folder, "tessera-sync:AAAA", None).is_err());
        let other = SyncKey::generate().unwrap().pairing_secret();
        assert!(
            b.sync_join(&folder, &other, None).is_err(),
            "another set's key"
        );
        assert!(b.sync_config().is_none());
        b.sync_join(&folder, &secret, Some("desktop")).unwrap();
        assert_eq!(names(&b), ["bank"]);
        let id = b.find("bank").unwrap().id;
        assert_eq!(b.secrets().load(&id).unwrap(), Some(account.secret.clone()));
        // A change on B goes out with it; A takes it in on its next merge.
        b.rename("bank", "my bank").unwrap();
        let merged = a.sync_now().unwrap();
        assert_eq!((merged.changed, merged.added), (1, 0));
        assert_eq!(names(&a), ["my bank"]);
        // A's file changed in the folder: B refuses it and keeps what it had.
        a.rename("my bank", "renamed again").unwrap();
        let file = folder.join(format!("{}{SUFFIX}", a.sync_config().unwrap().device));
        let mut bytes = fs::read(&file).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        fs::write(&file, &bytes).unwrap();
        assert!(
            matches!(b.sync_now(), Err(VaultError::Sync(why)) if why.contains("\"laptop\"'s file"))
        );
        assert_eq!(names(&b), ["my bank"]);
        assert!(b.sync_config().unwrap().failure.is_some());
        // Off keeps the accounts.
        b.sync_off().unwrap();
        assert_eq!(names(&b), ["my bank"]);
        assert_eq!(b.secrets().load_own(KEY_NAME).unwrap(), None);
    }
}
