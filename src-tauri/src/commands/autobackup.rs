//! Automatic backups from Settings: turned on with a folder, how many to keep and a passphrase
//! (asked once; the vault keeps the key derived from it), turned off, and their status for the
//! settings and the window's banner. The backups themselves are written by the vault after
//! every change (`tessera_vault::autobackup`), whoever makes it.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};
use tessera_core::Sensitive;
use tessera_vault::autobackup::AutoBackup;

use super::{blocking, pick_folder};
use crate::error::{ErrorCode, IpcError};
use crate::state::{AppState, ipc};

/// Automatic backups as Settings and the banner show them; `None` (from the command) when off.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AutoBackupView {
    pub folder: String,
    pub keep: u32,
    /// The last backup written: its file, when (Unix ms) and how many accounts it holds.
    pub last_file: Option<String>,
    pub last_at_ms: Option<f64>,
    pub last_accounts: Option<u32>,
    /// Why the last backup failed, until one succeeds again.
    pub failure: Option<String>,
}

impl From<AutoBackup> for AutoBackupView {
    fn from(config: AutoBackup) -> Self {
        let last = config.last_backup.as_ref();
        Self {
            folder: config.folder.display().to_string(),
            keep: u32::try_from(config.keep).unwrap_or(u32::MAX),
            last_file: last.map(|w| w.file.display().to_string()),
            last_at_ms: last.map(|w| w.at as f64 * 1000.0),
            last_accounts: last.map(|w| u32::try_from(w.accounts).unwrap_or(u32::MAX)),
            failure: config.last_failure.map(|f| f.error),
        }
    }
}

#[tauri::command]
#[specta::specta]
pub async fn auto_backup_status(
    state: State<'_, Arc<AppState>>,
) -> Result<Option<AutoBackupView>, IpcError> {
    let state = state.inner().clone();
    blocking(move || Ok(state.vault.auto_backup().map(AutoBackupView::from))).await
}

/// Turns automatic backups on (or changes them) and writes the first backup at once.
#[tauri::command]
#[specta::specta]
pub async fn enable_auto_backup(
    state: State<'_, Arc<AppState>>,
    folder: String,
    keep: u32,
    passphrase: Sensitive<String>,
) -> Result<AutoBackupView, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let folder = PathBuf::from(folder.trim());
        if !folder.is_absolute() {
            return Err(IpcError::new(
                ErrorCode::AutoBackupFailed,
                "Choose a folder (a full path).",
            ));
        }
        let keep = usize::try_from(keep).unwrap_or(usize::MAX);
        ipc(state.vault.enable_auto_backup(
            &folder,
            keep,
            &passphrase,
            tessera_vault::autobackup::AutoFormat::Tessera,
        ))?;
        state
            .vault
            .auto_backup()
            .map(AutoBackupView::from)
            .ok_or_else(|| IpcError::new(ErrorCode::Io, "Automatic backups did not stay on."))
    })
    .await
}

/// Turns automatic backups off; the backups written stay.
#[tauri::command]
#[specta::specta]
pub async fn disable_auto_backup(state: State<'_, Arc<AppState>>) -> Result<(), IpcError> {
    let state = state.inner().clone();
    blocking(move || ipc(state.vault.disable_auto_backup()).map(|_| ())).await
}

/// The native folder dialog; `None` if the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_backup_folder(app: AppHandle) -> Result<Option<String>, IpcError> {
    blocking(move || Ok(pick_folder(&app, "dialog-backup-folder"))).await
}
