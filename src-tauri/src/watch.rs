//! Watches the vault directory, so that changes made elsewhere (the CLI, another device's sync)
//! appear in the window: every change to `vault.json` emits `VaultChanged`, and so does every
//! change to `auto-backup.json` (an automatic backup's outcome, for the banner); the tray's menu
//! follows `vault.json` and `recent.json` (a code copied). Watches the
//! config directory too: a time correction saved by `tessera time` is used at once. And the sync
//! folder, while this device syncs: a device file that changes is merged at once, so an account
//! added on another computer appears without a restart ([`follow_sync_folder`]).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use serde::{Deserialize, Serialize};
use tauri::AppHandle;
use tauri::Manager;
use tauri_specta::Event;

/// The vault's index changed on disk; reload the list.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct VaultChanged;

/// Starts watching the vault directory `dir` and the config directory `config` (both created if
/// missing). The watcher stops when the returned value is dropped.
pub fn start(app: AppHandle, dir: &Path, config: &Path) -> notify::Result<RecommendedWatcher> {
    std::fs::create_dir_all(dir).map_err(notify::Error::io)?;
    std::fs::create_dir_all(config).map_err(notify::Error::io)?;
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Changes only: reads (Access events) come from the app itself, and reacting to them
        // would reload forever.
        let Ok(event) = event else { return };
        if !(event.kind.is_create() || event.kind.is_modify() || event.kind.is_remove()) {
            return;
        }
        let touches = |names: &[&str]| {
            event.paths.iter().any(|p| {
                p.file_name()
                    .is_some_and(|n| names.iter().any(|name| n == *name))
            })
        };
        if touches(&["vault.json", "auto-backup.json", "sync.json"]) {
            let _ = VaultChanged.emit(&app);
        }
        // Sync turned on or off (by the window or the CLI): the folder watched follows.
        if touches(&["sync.json"]) {
            follow_sync_folder(&app);
        }
        // The tray offers the accounts of the index, those used last first.
        if touches(&["vault.json", "recent.json"]) {
            crate::tray::refresh(&app);
        }
        if touches(&["settings.json"]) {
            crate::clock::settings_changed(&app);
        }
    })?;
    // Not the files themselves: they are replaced by rename on every write.
    watcher.watch(dir, RecursiveMode::NonRecursive)?;
    // On macOS both are the same directory.
    if config != dir {
        watcher.watch(config, RecursiveMode::NonRecursive)?;
    }
    Ok(watcher)
}

/// The sync folder being watched, and its watcher (dropped to stop watching).
#[derive(Default)]
pub struct SyncFolderWatch(Mutex<Option<(PathBuf, RecommendedWatcher)>>);

/// Watches the sync folder while this device syncs (and stops when it no longer does): a device
/// file created, changed or removed there is merged into the vault, off the main thread; the
/// vault's own watcher then reloads the list.
pub fn follow_sync_folder(app: &AppHandle) {
    let (Some(state), Some(watch)) = (
        app.try_state::<Arc<crate::state::AppState>>(),
        app.try_state::<SyncFolderWatch>(),
    ) else {
        return;
    };
    let folder = state.vault.sync_config().map(|config| config.folder);
    let Ok(mut current) = watch.0.lock() else {
        return;
    };
    if current.as_ref().map(|(path, _)| path) == folder.as_ref() {
        return;
    }
    *current = folder.and_then(|folder| {
        let state = state.inner().clone();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let Ok(event) = event else { return };
                let device_file = event
                    .paths
                    .iter()
                    .any(|p| p.to_string_lossy().ends_with(".tessera-sync"));
                if device_file
                    && (event.kind.is_create() || event.kind.is_modify() || event.kind.is_remove())
                {
                    let state = state.clone();
                    tauri::async_runtime::spawn_blocking(move || state.vault.sync_if_changed());
                }
            })
            .ok()?;
        watcher.watch(&folder, RecursiveMode::NonRecursive).ok()?;
        Some((folder, watcher))
    });
}
