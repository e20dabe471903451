//! Codes: the current and next code of each account, HOTP codes on request, copying (through
//! `copy`).

use std::collections::HashMap;
use std::sync::Arc;

use tauri::{AppHandle, State};
use tessera_core::Kind;
use tessera_vault::Entry;

use super::blocking;
use crate::copy::{self, Copied};
use crate::dto::CodeView;
use crate::error::{ErrorCode, IpcError};
use crate::state::{AppState, ipc, lock};

/// The codes of the accounts `ids` now. Keys come from the cache, or the keychain the first
/// time; the window asks for the visible rows first. An account without its key gets a
/// `problem` instead of codes; the others are unaffected.
#[tauri::command]
#[specta::specta]
pub async fn codes(
    state: State<'_, Arc<AppState>>,
    ids: Vec<String>,
) -> Result<Vec<CodeView>, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let entries = ipc(state.vault.list())?;
        code_views(&state, &entries, ids)
    })
    .await
}

/// The codes of the accounts `ids` among `entries` (the vault's list), now.
pub fn code_views(
    state: &AppState,
    entries: &[Entry],
    ids: Vec<String>,
) -> Result<Vec<CodeView>, IpcError> {
    // By id: at a period boundary the window asks for every row placed at once.
    let entries: HashMap<&str, &Entry> = entries.iter().map(|e| (e.id.as_str(), e)).collect();
    let now = state.code_time_ms() / 1000;
    let mut views = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(entry) = entries.get(id.as_str()).copied() else {
            continue;
        };
        let mut view = CodeView {
            id: id.clone(),
            code: None,
            next_code: None,
            expires_at_ms: None,
            period: None,
            problem: None,
        };
        if let Kind::Hotp { .. } = entry.params.kind {
            // HOTP codes are taken one by one on request (take_hotp_code), never here.
            view.code = lock(&state.hotp_shown)?.get(&id).cloned();
            views.push(view);
            continue;
        }
        match state.account(entry) {
            Ok(account) => {
                let period = entry.params.kind.period().map_or(30, |p| p.get());
                let counter = entry.params.counter_at(now);
                view.code = Some(account.code_at(now));
                view.next_code = Some(account.next_code_at(now));
                view.period = Some(period);
                view.expires_at_ms = Some(((counter + 1) * u64::from(period) * 1000) as f64);
            }
            Err(problem) => view.problem = Some(problem),
        }
        views.push(view);
    }
    Ok(views)
}

/// Takes the next HOTP code of an account: the counter advances (and is saved) first.
#[tauri::command]
#[specta::specta]
pub async fn take_hotp_code(
    state: State<'_, Arc<AppState>>,
    id: String,
) -> Result<CodeView, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let (entry, account) = ipc(state.vault.take_codes(&id, 1))?;
        if !matches!(entry.params.kind, Kind::Hotp { .. }) {
            return Err(IpcError::new(
                ErrorCode::InvalidParams,
                format!("{:?} is not a counter-based account", entry.name),
            ));
        }
        let code = account.code_at(0);
        lock(&state.hotp_shown)?.insert(id.clone(), code.clone());
        Ok(CodeView {
            id,
            code: Some(code),
            next_code: Some(account.next_code_at(0)),
            expires_at_ms: None,
            period: None,
            problem: None,
        })
    })
    .await
}

/// Copies an account's current code to the clipboard and clears it after the configured delay
/// if it still holds that code. Returns the code and that delay, so the window says what will
/// happen.
#[tauri::command]
#[specta::specta]
pub async fn copy_code(app: AppHandle, id: String) -> Result<Copied, IpcError> {
    blocking(move || copy::copy(&app, &id)).await
}

/// The window was brought up by the shortcut and a code was copied: it hides again, if the
/// settings say so. Returns whether it did.
#[tauri::command]
#[specta::specta]
pub fn hide_after_copy(app: AppHandle, state: State<'_, Arc<AppState>>) -> Result<bool, IpcError> {
    if !lock(&state.settings)?.hide_after_copy {
        return Ok(false);
    }
    crate::window::hide(&app);
    Ok(true)
}

/// The window painted its first code: it is up (`AppState::wait_for_window`). For the start-up
/// benchmark (bench/peers.sh, which sets TESSERA_BENCH_FIRST_CODE), prints the milliseconds
/// since start.
#[tauri::command]
#[specta::specta]
pub fn first_code_painted(app: AppHandle, state: State<'_, Arc<AppState>>) {
    state.window_is_up();
    if std::env::var_os("TESSERA_BENCH_FIRST_CODE").is_some() {
        // From the start, or from the window's making again after a release.
        let since = crate::window::made_at(&app).unwrap_or(state.started);
        println!(
            "first code painted after {} ms",
            since.elapsed().as_millis()
        );
    }
}
