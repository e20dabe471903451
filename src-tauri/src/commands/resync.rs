//! The details dialog's resync: an HOTP counter moved past the codes given, or, for a timed
//! account, whose clock is off, with this clock's correction offered and saved on request
//! (`tessera_vault::resync`, as `tessera resync`).

use serde::Serialize;
use specta::Type;
use tauri::AppHandle;
use tessera_core::Kind;
use tessera_vault::clock;
use tessera_vault::resync::TimeVerdict;

use super::blocking;
use crate::clock::save_correction;
use crate::error::IpcError;
use crate::state::{AppStateRef, ipc, lock};

/// What a resync found, for the dialog, which says it in its language.
#[derive(Debug, Serialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// An HOTP counter moved: the codes given are counter `first` (and the next ones), its
    /// counter is now `next`, and was `was` (as text: counters pass 2^53).
    Counter {
        first: String,
        next: String,
        was: String,
    },
    /// They are the account's codes now: nothing to change.
    Agrees,
    /// They are its codes for a time `codes_seconds` from Tessera's (positive: later), which the
    /// time server keeps: this computer's clock is off by `clock_seconds` (positive: behind).
    /// `applied`: the correction was just saved.
    ThisClock {
        codes_seconds: i32,
        clock_seconds: i32,
        server: String,
        applied: bool,
    },
    /// They are its codes for a time `codes_seconds` from the time server's, which this computer
    /// keeps: the device or the service keeps other time.
    TheirClock { codes_seconds: i32, server: String },
    /// They are its codes for a time `codes_seconds` from Tessera's; the time server could not
    /// be asked (`why`) to say whose clock is off.
    Unchecked { codes_seconds: i32, why: String },
}

/// What a resync found and did.
#[derive(Debug, Serialize, Type)]
pub struct Resynced {
    pub found: Finding,
    /// When this computer's clock is the one off: the correction to offer (the time server's
    /// clock minus this one, in seconds), unless it was just saved.
    pub correction_seconds: Option<i32>,
    /// Whether the vault changed (an HOTP counter moved): the list reads it again.
    pub changed: bool,
}

/// `steps` periods of `period` seconds, as whole seconds (within ±24 h: resync looks no further).
fn seconds(steps: i64, period: u32) -> i32 {
    i32::try_from(steps.saturating_mul(i64::from(period))).unwrap_or(i32::MAX)
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
            let was = match before.params.kind {
                Kind::Hotp { counter } => counter,
                Kind::Totp { .. } | Kind::Steam { .. } => 0,
            };
            return Ok(Resynced {
                found: Finding::Counter {
                    first: found.first.to_string(),
                    next: found.next.to_string(),
                    was: was.to_string(),
                },
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
        let period = found.period;
        let mut offered = None;
        let found = match found.verdict {
            TimeVerdict::Agrees => Finding::Agrees,
            TimeVerdict::ThisClock {
                steps,
                correction_seconds,
                server,
            } => {
                if apply {
                    save_correction(&app, &state, server.clone(), f64::from(correction_seconds))?;
                } else {
                    offered = Some(correction_seconds);
                }
                Finding::ThisClock {
                    codes_seconds: seconds(steps, period),
                    clock_seconds: correction_seconds,
                    server,
                    applied: apply,
                }
            }
            TimeVerdict::TheirClock {
                server_steps,
                server,
                ..
            } => Finding::TheirClock {
                codes_seconds: seconds(server_steps, period),
                server,
            },
            TimeVerdict::Unchecked { steps, why } => Finding::Unchecked {
                codes_seconds: seconds(steps, period),
                why,
            },
        };
        Ok(Resynced {
            found,
            correction_seconds: offered,
            changed: false,
        })
    })
    .await
}
