//! Watches the vault directory, so that changes made elsewhere (the CLI, another device's sync)
//! appear in the window: every change to `vault.json` emits `VaultChanged`, and so does every
//! change to `auto-backup.json` (an automatic backup's outcome, for the banner).

use std::path::Path;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use serde::{Deserialize, Serialize};
use tauri::AppHandle;
use tauri_specta::Event;

/// The vault's index changed on disk; reload the list.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct VaultChanged;

/// Starts watching `dir` (created if missing: an empty directory, no vault file). The watcher
/// stops when the returned value is dropped.
pub fn start(app: AppHandle, dir: &Path) -> notify::Result<RecommendedWatcher> {
    std::fs::create_dir_all(dir).map_err(notify::Error::io)?;
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Changes only: reads (Access events) come from the app itself, and reacting to them
        // would reload forever.
        let touches_index = event.is_ok_and(|e| {
            (e.kind.is_create() || e.kind.is_modify() || e.kind.is_remove())
                && e.paths.iter().any(|p| {
                    p.file_name()
                        .is_some_and(|n| n == "vault.json" || n == "auto-backup.json")
                })
        });
        if touches_index {
            let _ = VaultChanged.emit(&app);
            crate::tray::refresh(&app);
        }
    })?;
    // Not the file itself: it is replaced by rename on every write.
    watcher.watch(dir, RecursiveMode::NonRecursive)?;
    Ok(watcher)
}
