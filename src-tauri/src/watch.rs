//! Watches the vault directory, so that changes made elsewhere (the CLI, another device's sync)
//! appear in the window: every change to `vault.json` emits `VaultChanged`, and so does every
//! change to `auto-backup.json` (an automatic backup's outcome, for the banner); the tray's menu
//! follows `vault.json` and `recent.json` (a code copied). Watches the
//! config directory too: a time correction saved by `tessera time` is used at once. And the sync
//! folder while this device syncs, and the folder of the phone's Aegis backups while they are
//! followed: an account added on another computer or on the phone appears without a restart
//! ([`follow_folders`]). Where the system's watcher can't be had (inotify's instances or
//! watches used up by other programs), the folders are looked at every 2 s instead
//! ([`watch_dirs`]): the window still starts, and still follows.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};
use serde::{Deserialize, Serialize};
use tauri::AppHandle;
use tauri::Manager;
use tauri_specta::Event;

/// The vault's index changed on disk; reload the list.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct VaultChanged;

/// A watcher, the system's or one that looks every [`POLL`].
pub type AnyWatcher = Box<dyn Watcher + Send>;

/// How often folders are looked at when the system's watcher can't be had.
const POLL: Duration = Duration::from_secs(2);

/// Watches `dirs` (not their subfolders), calling `handler` with each event, until dropped: with
/// the system's watcher (`system`: inotify on Linux), or where that fails, by looking every
/// [`POLL`].
pub fn watch_dirs<W: Watcher + Send + 'static>(
    dirs: &[&Path],
    handler: impl Fn(notify::Result<notify::Event>) + Send + Sync + 'static,
    system: impl FnOnce(Box<dyn Fn(notify::Result<notify::Event>) + Send + Sync>) -> notify::Result<W>,
) -> notify::Result<AnyWatcher> {
    let handler = Arc::new(handler);
    let first = handler.clone();
    let watched = system(Box::new(move |event| first(event))).and_then(|mut watcher| {
        for dir in dirs {
            watcher.watch(dir, RecursiveMode::NonRecursive)?;
        }
        Ok(Box::new(watcher) as AnyWatcher)
    });
    let error = match watched {
        Ok(watcher) => return Ok(watcher),
        Err(error) => error,
    };
    eprintln!("tessera-desktop: the system's file watcher failed ({error}); looking every 2 s");
    let mut watcher = notify::PollWatcher::new(
        move |event| handler(event),
        notify::Config::default().with_poll_interval(POLL),
    )?;
    for dir in dirs {
        watcher.watch(dir, RecursiveMode::NonRecursive)?;
    }
    Ok(Box::new(watcher))
}

/// The system's watcher, for [`watch_dirs`].
fn system_watcher(
    handler: Box<dyn Fn(notify::Result<notify::Event>) + Send + Sync>,
) -> notify::Result<notify::RecommendedWatcher> {
    notify::recommended_watcher(handler)
}

/// Starts watching the vault directory `dir` and the config directory `config` (both created if
/// missing). The watcher stops when the returned value is dropped.
pub fn start(app: AppHandle, dir: &Path, config: &Path) -> notify::Result<AnyWatcher> {
    std::fs::create_dir_all(dir).map_err(notify::Error::io)?;
    std::fs::create_dir_all(config).map_err(notify::Error::io)?;
    let handler = move |event: notify::Result<notify::Event>| {
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
    };
    // Not the files themselves: they are replaced by rename on every write. On macOS both are
    // the same directory.
    let dirs: &[&Path] = if config == dir {
        &[dir]
    } else {
        &[dir, config]
    };
    watch_dirs(dirs, handler, system_watcher)
}

/// The folders followed, each with its watcher (dropped to stop watching): the sync folder and
/// the folder the phone's Aegis backups arrive in.
#[derive(Default)]
pub struct FollowedFolders(Mutex<[Option<(PathBuf, AnyWatcher)>; 2]>);

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
            let watcher = watch_dirs(
                &[folder.as_path()],
                move |event: notify::Result<notify::Event>| {
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
                },
                system_watcher,
            )
            .ok()?;
            Some((folder, watcher))
        });
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    /// The system's watcher refused (as when inotify's limits are used up): the folder is still
    /// followed, by looking at it.
    #[test]
    fn a_folder_is_still_followed_when_the_systems_watcher_fails() {
        let dir = tempfile::tempdir().unwrap();
        let (seen, changes) = mpsc::channel();
        let refused = |_| -> notify::Result<notify::RecommendedWatcher> {
            Err(notify::Error::generic("inotify watch limit reached"))
        };
        let _watcher = watch_dirs(
            &[dir.path()],
            move |event: notify::Result<notify::Event>| {
                if let Ok(event) = event {
                    let _ = seen.send(event.paths);
                }
            },
            refused,
        )
        .unwrap();
        assert!(
            changes.recv_timeout(POLL + POLL / 2).is_err(),
            "nothing changed yet"
        );
        std::fs::write(dir.path().join("vault.json"), "{}").unwrap();
        // The folder's own change may come first: the file's is among those that follow.
        let deadline = std::time::Instant::now() + POLL * 5;
        let mut seen = Vec::new();
        while !seen.iter().any(|p: &PathBuf| p.ends_with("vault.json")) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match changes.recv_timeout(left) {
                Ok(paths) => seen.extend(paths),
                Err(_) => panic!("vault.json's change not seen, only {seen:?}"),
            }
        }
    }
}
