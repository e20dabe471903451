//! Watches the vault directory, so that changes made elsewhere (the CLI, another device's sync)
//! appear in the window: every change to `vault.json` emits `VaultChanged`, and so does every
//! change to `auto-backup.json` (an automatic backup's outcome, for the banner); the tray's menu
//! follows `vault.json` and `recent.json` (a code copied). Watches the
//! config directory too: a time correction saved by `tessera time` is used at once. And the sync
//! folder while this device syncs, and the folder of the phone's Aegis backups while they are
//! followed: an account added on another computer or on the phone appears without a restart
//! ([`follow_folders`]).

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
        if touches(&[
            "vault.json",
            "auto-backup.json",
            "sync.json",
            "aegis-follow.json",
        ]) {
            let _ = VaultChanged.emit(&app);
        }
        // Sync or the Aegis follower turned on or off (by the window or the CLI): the folders
        // watched follow.
        if touches(&["sync.json", "aegis-follow.json"]) {
            follow_folders(&app);
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

/// The folders followed, each with its watcher (dropped to stop watching): the sync folder and
/// the folder the phone's Aegis backups arrive in.
#[derive(Default)]
pub struct FollowedFolders(Mutex<[Option<(PathBuf, RecommendedWatcher)>; 2]>);

/// Watches the sync folder while this device syncs, and the Aegis folder while it is followed
/// (and stops when they no longer are): a device file or an Aegis backup created, changed or
/// removed there is taken in off the main thread; the vault's own watcher then reloads the list.
pub fn follow_folders(app: &AppHandle) {
    let (Some(state), Some(watch)) = (
        app.try_state::<Arc<crate::state::AppState>>(),
        app.try_state::<FollowedFolders>(),
    ) else {
        return;
    };
    let Ok(mut watched) = watch.0.lock() else {
        return;
    };
    let wanted = [
        state.vault.sync_config().map(|config| config.folder),
        state.vault.aegis_follow().map(|config| config.folder),
    ];
    for (slot, (folder, which)) in watched.iter_mut().zip(wanted.into_iter().zip([0, 1])) {
        if slot.as_ref().map(|(path, _)| path) == folder.as_ref() {
            continue;
        }
        let state = state.inner().clone();
        *slot = folder.and_then(|folder| {
            let mut watcher =
                notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                    let Ok(event) = event else { return };
                    if !(event.kind.is_create() || event.kind.is_modify() || event.kind.is_remove())
                    {
                        return;
                    }
                    let named = |test: fn(&str) -> bool| {
                        event
                            .paths
                            .iter()
                            .any(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(test))
                    };
                    let state = state.clone();
                    if which == 0 && named(|n| n.ends_with(".tessera-sync")) {
                        tauri::async_runtime::spawn_blocking(move || state.vault.sync_if_changed());
                    } else if which == 1
                        && named(|n| n.starts_with("aegis-") && n.ends_with(".json"))
                    {
                        tauri::async_runtime::spawn_blocking(move || {
                            state.vault.aegis_if_changed()
                        });
                    }
                })
                .ok()?;
            watcher.watch(&folder, RecursiveMode::NonRecursive).ok()?;
            Some((folder, watcher))
        });
    }
}
