//! Settings: how long a copied code stays on the clipboard. Kept in the config directory the
//! `tessera` command reads too (`tessera_vault::settings`).

use std::sync::Arc;

use tauri::State;
use tessera_vault::settings::Settings;

use super::blocking;
use crate::error::IpcError;
use crate::state::{AppState, lock};

#[tauri::command]
#[specta::specta]
pub fn get_settings(state: State<'_, Arc<AppState>>) -> Result<Settings, IpcError> {
    Ok(lock(&state.settings)?.clone())
}

/// Saves the settings off the main thread (a file write and fsync), all at once.
#[tauri::command]
#[specta::specta]
pub async fn set_settings(
    state: State<'_, Arc<AppState>>,
    settings: Settings,
) -> Result<(), IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        // Fields of a newer Tessera the window does not know stay as they were.
        let extra = lock(&state.settings)?.extra.clone();
        state.save_settings(Settings { extra, ..settings })
    })
    .await
}
