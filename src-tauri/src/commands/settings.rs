//! Settings: how long a copied code stays on the clipboard.

use std::sync::Arc;

use tauri::State;

use crate::error::IpcError;
use crate::state::{AppState, Settings, lock};

#[tauri::command]
#[specta::specta]
pub fn get_settings(state: State<'_, Arc<AppState>>) -> Result<Settings, IpcError> {
    Ok(lock(&state.settings)?.clone())
}

#[tauri::command]
#[specta::specta]
pub fn set_settings(state: State<'_, Arc<AppState>>, settings: Settings) -> Result<(), IpcError> {
    state.save_settings(settings)
}
