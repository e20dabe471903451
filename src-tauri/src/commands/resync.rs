//! The details dialog's resync: an HOTP counter moved past the codes given, or, for a timed
//! account, whose clock is off, with this clock's correction offered and saved on request
//! (`tessera_vault::resync`, as `tessera resync`).

use serde::Serialize;
use specta::Type;
use tauri::AppHandle;
use tessera_vault::clock;
use tessera_vault::resync::{self, TimeVerdict};

use super::blocking;
use crate::clock::save_correction;
use crate::error::IpcError;
use crate::state::{AppStateRef, ipc, lock};

/// What a resync found, for the dialog.
#[derive(Debug, Serialize, Type)]
pub struct Resynced {
    /// What was found or done, in a sentence.
    pub said: String,
    /// When this computer's clock is the one off: the correction to offer (the time server's
    /// clock minus this one, in seconds), unless it was just saved.
    pub correction_seconds: Option<i32>,
    /// Whether the vault changed (an HOTP counter moved): the list reads it again.
    pub changed: bool,
}

/// Resyncs account `id` with one code or two consecutive ones; with `apply`, a correction this
/// clock needs is saved, as "Use corrected time" does.
#[tauri::command]
#[specta::specta]
pub async fn resync_account(
    app: AppHandle,
    state: AppStateRef<'_>,
    id: String,
    codes: Vec<String>,
    apply: bool,
) -> Result<Resynced, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
        if ipc(state.vault.find(&id))?.params.kind.period().is_none() {
            let (before, found) = ipc(state.vault.resync_counter(&id, &codes))?;
            return Ok(Resynced {
                said: resync::counter_said(&before, found),
                correction_seconds: None,
                changed: true,
            });
        }
        let (server, correction) = {
            let settings = lock(&state.settings)?;
            (
                settings.time_server.clone(),
                settings.clock_correction_seconds,
            )
        };
        let now = state.code_time_ms() / 1000;
        let found = ipc(state.vault.resync_time(&id, &codes, now, correction, || {
            clock::measure(&server, clock::TIMEOUT)
        }))?;
        let mut said = found.said();
        let mut offered = None;
        if let TimeVerdict::ThisClock {
            correction_seconds,
            server,
            ..
        } = found.verdict
        {
            if apply {
                save_correction(&app, &state, server, f64::from(correction_seconds))?;
                said = format!(
                    "{said}. Tessera's codes now use corrected time: {correction_seconds:+} s"
                );
            } else {
                offered = Some(correction_seconds);
            }
        }
        Ok(Resynced {
            said,
            correction_seconds: offered,
            changed: false,
        })
    })
    .await
}
