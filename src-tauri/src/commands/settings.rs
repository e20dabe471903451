//! Settings: how long a copied code stays on the clipboard, the tray and the window (close to
//! tray, start minimised, start at login), the global shortcut, the language. Kept in the config
//! directory the `tessera` command reads too (`tessera_vault::settings`); changing one applies it
//! at once.

use std::sync::Arc;

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};
use tessera_l10n::Language;
use tessera_vault::settings::Settings;

use super::blocking;
use crate::error::{ErrorCode, IpcError};
use crate::state::{AppState, lock};
use crate::{autostart, shortcut};

/// The window's language and the system's, as tags ("de", or "en-XA" for the pseudo-language).
#[derive(Debug, Serialize, Type)]
pub struct Languages {
    pub chosen: String,
    pub system: String,
}

/// The languages, asked before anything else so that the window's first words are in its own.
#[tauri::command]
#[specta::specta]
pub fn languages(state: State<'_, Arc<AppState>>) -> Result<Languages, IpcError> {
    let setting = lock(&state.settings)?.language.clone();
    Ok(Languages {
        chosen: Language::chosen(setting.as_deref()).tag().to_owned(),
        system: Language::system().tag().to_owned(),
    })
}

#[tauri::command]
#[specta::specta]
pub fn get_settings(state: State<'_, Arc<AppState>>) -> Result<Settings, IpcError> {
    Ok(lock(&state.settings)?.clone())
}

/// Applies the settings (the shortcut grabbed, the autostart entry written or removed), then
/// saves them off the main thread, all at once. A shortcut that can't be had is an error, and
/// nothing is saved.
#[tauri::command]
#[specta::specta]
pub async fn set_settings(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    settings: Settings,
) -> Result<(), IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let old = lock(&state.settings)?.clone();
        // Fields of a newer Tessera the window does not know stay as they were, and so does
        // the clock correction, which "Use corrected time" and `tessera time` set.
        let new = Settings {
            extra: old.extra.clone(),
            clock_correction_seconds: old.clock_correction_seconds,
            // Only `set_lock` changes the lock, with its verifier.
            lock_method: old.lock_method,
            ..settings
        };
        if new.shortcut != old.shortcut {
            // One waiting since the start is not applied after this one.
            shortcut::forget_start(&app);
            // Cleared first: on Wayland the portal's answer comes later, and sets it again.
            *lock(&state.shortcut_problem)? = None;
            if let Err(message) = shortcut::apply(&app, &new.shortcut) {
                let _ = shortcut::apply(&app, &old.shortcut);
                return Err(IpcError::new(ErrorCode::ShortcutUnavailable, message));
            }
        }
        let check_again =
            new.check_clock && (!old.check_clock || new.time_server != old.time_server);
        if new.start_at_login != old.start_at_login {
            autostart::set(&app, new.start_at_login)
                .map_err(|e| IpcError::new(ErrorCode::Io, format!("Start at login: {e}.")))?;
        }
        let relabel = new.language != old.language;
        state.save_settings(new)?;
        if check_again {
            crate::clock::check_soon(&app);
        }
        if relabel {
            crate::tray::refresh(&app);
        }
        Ok(())
    })
    .await
}

/// Why the shortcut in the settings does not work (taken at start, or Wayland), for Settings to
/// say; `None` when it works.
#[tauri::command]
#[specta::specta]
pub fn shortcut_problem(state: State<'_, Arc<AppState>>) -> Result<Option<String>, IpcError> {
    Ok(lock(&state.shortcut_problem)?.clone())
}
