//! Copying a code: to the clipboard, cleared after the configured delay if the clipboard still
//! holds it, and the account remembered as used last (`recent.json`). It knows nothing of who
//! asked: the window's command and the tray's menu both call [`copy`].

use std::sync::Arc;
use std::time::Duration;

use tauri::{AppHandle, Manager};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tessera_core::Kind;
use tessera_vault::Entry;

use crate::error::{ErrorCode, IpcError};
use crate::state::{AppState, ipc, lock};

/// A code copied, and when it will be cleared from the clipboard.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct Copied {
    pub code: String,
    /// Seconds until the clipboard is cleared (if it still holds the code); 0: never.
    pub clear_after_seconds: u32,
}

/// Copies the code of account `id` (the window's copy, the tray's items): the clipboard is
/// cleared after the configured delay if it still holds the code, and the account becomes the
/// most recently used. Blocking: keychain work.
pub fn copy(app: &AppHandle, id: &str) -> Result<Copied, IpcError> {
    let (state, entry) = unlocked_entry(app, id)?;
    let code = code_now(&state, &entry)?;
    app.clipboard()
        .write_text(code.clone())
        .map_err(|e| IpcError::new(ErrorCode::Internal, format!("copying: {e}")))?;
    let delay = lock(&state.settings)?.clipboard_clear_seconds;
    if delay > 0 {
        let (app, copied) = (app.clone(), code.clone());
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(u64::from(delay)));
            // Only our code: whatever the user copied since stays.
            if app.clipboard().read_text().is_ok_and(|now| now == copied) {
                let _ = app.clipboard().clear();
            }
        });
    }
    // The tray offers it first from now on (the watcher sees recent.json change); a failure to
    // remember that is no failure to copy.
    let _ = state.recent.used(&entry.id, state.code_time_ms() / 1000);
    Ok(Copied {
        code,
        clear_after_seconds: delay,
    })
}

/// The app's state and account `id`, unless the app is locked.
pub fn unlocked_entry(app: &AppHandle, id: &str) -> Result<(Arc<AppState>, Entry), IpcError> {
    let state = app
        .try_state::<Arc<AppState>>()
        .ok_or_else(|| IpcError::new(ErrorCode::Internal, "the app is not started yet"))?
        .inner()
        .clone();
    if state.lock.is_locked() {
        return Err(IpcError::new(ErrorCode::Locked, "Tessera is locked"));
    }
    let entry = ipc(state.vault.find(id))?;
    Ok((state, entry))
}

/// The code an account shows now: for HOTP, the one taken last (a code is taken first).
pub fn code_now(state: &AppState, entry: &Entry) -> Result<String, IpcError> {
    if let Kind::Hotp { .. } = entry.params.kind {
        return lock(&state.hotp_shown)?
            .get(&entry.id)
            .cloned()
            .ok_or_else(|| IpcError::new(ErrorCode::InvalidParams, "take a code first"));
    }
    Ok(state.account(entry)?.code_at(state.code_time_ms() / 1000))
}
