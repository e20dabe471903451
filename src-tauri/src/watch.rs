//! Watches the vault directory, so that changes made elsewhere (the CLI, another device's sync)
//! appear in the window: every change to `vault.json` emits `VaultChanged`, and so does every
//! change to `auto-backup.json` (an automatic backup's outcome, for the banner); the tray's menu
//! follows `vault.json` and `recent.json` (a code copied). Watches the
//! config directory too: a time correction saved by `tessera time` is used at once.

use std::path::Path;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use serde::{Deserialize, Serialize};
use tauri::AppHandle;
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
        if touches(&["vault.json", "auto-backup.json"]) {
            let _ = VaultChanged.emit(&app);
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
