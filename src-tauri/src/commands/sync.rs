//! Sync from Settings: start a set in a folder, join one with its pairing secret, copy the
//! pairing secret (from the keychain to the clipboard: it never enters the webview), merge now,
//! turn off, and the status for Settings and the banner. The merges themselves run in the vault
//! (`tessera_vault::sync`), after every change and when the folder changes (`crate::watch`).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tessera_core::Sensitive;
use tessera_vault::sync::{Notice, SyncConfig};

use super::{blocking, pick_folder};
use crate::error::{ErrorCode, IpcError};
use crate::state::{AppState, ipc, lock};

/// Sync as Settings and the banner show it; `None` (from the command) when off.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SyncView {
    pub folder: String,
    pub device_name: String,
    /// The other devices: their names, and when their last file was written (Unix ms).
    pub devices: Vec<DeviceView>,
    /// The last merge that went through (Unix ms).
    pub last_sync_ms: Option<f64>,
    /// Why the last merge failed, until one succeeds again.
    pub failure: Option<String>,
    /// Something to know that is not a failure (this device got a new id, a device forgotten).
    pub notice: Option<NoticeView>,
}

/// A sync notice: `said` in English, and what it is about for the window's language: the
/// device forgotten, or this device's new id.
#[derive(Debug, Clone, Serialize, Type)]
pub struct NoticeView {
    pub said: String,
    pub kind: NoticeKind,
    pub name: String,
}

#[derive(Debug, Clone, Copy, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    Forgotten,
    Copied,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct DeviceView {
    pub name: String,
    pub last_seen_ms: f64,
}

impl From<SyncConfig> for SyncView {
    fn from(config: SyncConfig) -> Self {
        Self {
            folder: config.folder.display().to_string(),
            device_name: config.device_name,
            devices: config
                .devices
                .into_values()
                .map(|seen| DeviceView {
                    name: seen.name,
                    last_seen_ms: seen.last_seen as f64 * 1000.0,
                })
                .collect(),
            last_sync_ms: config.last_sync.map(|at| at as f64 * 1000.0),
            failure: config.failure.map(|f| f.error),
            notice: config.notice.map(|notice| NoticeView {
                said: notice.to_string(),
                kind: match notice {
                    Notice::Forgotten { .. } => NoticeKind::Forgotten,
                    Notice::Copied { .. } => NoticeKind::Copied,
                },
                name: match notice {
                    Notice::Forgotten { name } => name,
                    Notice::Copied { new, .. } => new,
                },
            }),
        }
    }
}

fn view(state: &AppState) -> Result<SyncView, IpcError> {
    state
        .vault
        .sync_config()
        .map(SyncView::from)
        .ok_or_else(|| IpcError::new(ErrorCode::SyncFailed, "Sync did not stay on."))
}

fn folder_of(folder: &str) -> Result<PathBuf, IpcError> {
    let folder = PathBuf::from(folder.trim());
    if folder.is_absolute() {
        Ok(folder)
    } else {
        Err(IpcError::new(
            ErrorCode::SyncFailed,
            "Choose a folder (a full path).",
        ))
    }
}

fn device_name(name: &str) -> Option<&str> {
    Some(name.trim()).filter(|n| !n.is_empty())
}

#[tauri::command]
#[specta::specta]
pub async fn sync_status(state: State<'_, Arc<AppState>>) -> Result<Option<SyncView>, IpcError> {
    let state = state.inner().clone();
    blocking(move || Ok(state.vault.sync_config().map(SyncView::from))).await
}

/// Starts a sync set in `folder` with this computer's accounts; the pairing secret is then
/// copied with [`copy_pairing_secret`].
#[tauri::command]
#[specta::specta]
pub async fn sync_setup(
    state: State<'_, Arc<AppState>>,
    folder: String,
    device: String,
) -> Result<SyncView, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        ipc(state
            .vault
            .sync_setup(&folder_of(&folder)?, device_name(&device)))?;
        view(&state)
    })
    .await
}

/// Joins the sync set in `folder` with the pairing secret the user pasted.
#[tauri::command]
#[specta::specta]
pub async fn sync_join(
    state: State<'_, Arc<AppState>>,
    folder: String,
    secret: Sensitive<String>,
    device: String,
) -> Result<SyncView, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        ipc(state
            .vault
            .sync_join(&folder_of(&folder)?, &secret, device_name(&device)))?;
        view(&state)
    })
    .await
}

/// Copies the pairing secret to the clipboard, cleared after the codes' delay (at least a
/// minute, for the time it takes to paste it on another computer) if it is still there.
#[tauri::command]
#[specta::specta]
pub async fn copy_pairing_secret(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
) -> Result<u32, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let secret: Sensitive<String> = ipc(state.vault.sync_pairing_secret())?;
        app.clipboard()
            .write_text(secret.as_str())
            .map_err(|e| IpcError::new(ErrorCode::Internal, format!("copying: {e}")))?;
        let delay = lock(&state.settings)?.clipboard_clear_seconds.max(60);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(u64::from(delay)));
            if app.clipboard().read_text().is_ok_and(|now| now == *secret) {
                let _ = app.clipboard().clear();
            }
        });
        Ok(delay)
    })
    .await
}

/// Merges now.
#[tauri::command]
#[specta::specta]
pub async fn sync_now(state: State<'_, Arc<AppState>>) -> Result<SyncView, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        // A refused file is recorded in the view, which says it.
        let _ = state.vault.sync_now();
        view(&state)
    })
    .await
}

/// Stops syncing this computer; its accounts stay.
#[tauri::command]
#[specta::specta]
pub async fn sync_off(state: State<'_, Arc<AppState>>) -> Result<(), IpcError> {
    let state = state.inner().clone();
    blocking(move || ipc(state.vault.sync_off()).map(|_| ())).await
}

/// The native folder dialog; `None` if the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_sync_folder(app: AppHandle) -> Result<Option<String>, IpcError> {
    blocking(move || Ok(pick_folder(&app, "dialog-sync-folder"))).await
}
