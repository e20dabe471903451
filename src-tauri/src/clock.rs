//! The window's clock check: at start and every 6 hours while the setting is on, this
//! machine's clock is measured against the time server (`tessera_vault::clock`, SNTP, given up
//! after 3 s). The result goes to the window as `ClockChecked`, with the banner's words when
//! codes may be refused; "Use corrected time" saves the offset as the correction codes use.
//! No network means no check and no banner. The system clock is never changed. A correction
//! `tessera time` saves while the window runs is used at once (`settings_changed`); turning
//! the check on, or naming another server, checks again at once (`check_soon`).

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;
use tessera_core::sntp::describe_offset;
use tessera_vault::clock::{self, TOLERATED_SECONDS};

use crate::commands::blocking;
use crate::error::IpcError;
use crate::state::{AppState, lock};

/// How often the clock is checked after the first check at start.
const EVERY: Duration = Duration::from_secs(6 * 3600);

/// A clock check's result, and what the window should say about it.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct ClockChecked {
    pub server: String,
    /// The server's clock minus this machine's, in seconds (positive: this clock is behind);
    /// `None` when no check has answered yet (the event then only says the correction).
    pub offset_seconds: Option<f64>,
    /// The correction codes use now, if any.
    pub correction_seconds: Option<i32>,
    /// The banner's text when codes may be refused; `None` when the time codes use is right.
    pub warning: Option<String>,
}

impl ClockChecked {
    fn new(server: String, offset_seconds: Option<f64>, correction_seconds: Option<i32>) -> Self {
        let offset = offset_seconds.unwrap_or(0.0);
        let left = offset - f64::from(correction_seconds.unwrap_or(0));
        let off = offset_seconds.is_some() && left.abs() > TOLERATED_SECONDS;
        let warning = off.then(|| match correction_seconds {
            None => format!(
                "This computer's clock is {}: codes may be refused",
                describe_offset(offset.round() as i64)
            ),
            Some(_) => format!(
                "Tessera's corrected time is {}: codes may be refused",
                describe_offset(left.round() as i64)
            ),
        });
        Self {
            server,
            offset_seconds,
            correction_seconds,
            warning,
        }
    }
}

/// The last check's result, kept for the window (it may ask after the event went out).
#[derive(Default)]
pub struct LastCheck(Mutex<Option<ClockChecked>>);

/// Wakes the checking thread before its 6 hours are up.
pub struct Nudge(Mutex<Sender<()>>);

/// Starts checking: now, then every 6 hours, and whenever `check_soon` asks.
pub fn start(app: AppHandle) {
    let (nudge, woken): (Sender<()>, Receiver<()>) = channel();
    app.manage(LastCheck::default());
    app.manage(Nudge(Mutex::new(nudge)));
    std::thread::spawn(move || {
        loop {
            check(&app);
            // A nudge, or 6 hours; a closed channel (the app is ending) stops the loop.
            if let Err(std::sync::mpsc::RecvTimeoutError::Disconnected) = woken.recv_timeout(EVERY)
            {
                return;
            }
        }
    });
}

/// Checks again now (the check was turned on, or the server changed).
pub fn check_soon(app: &AppHandle) {
    if let Some(nudge) = app.try_state::<Nudge>()
        && let Ok(nudge) = nudge.0.lock()
    {
        let _ = nudge.send(());
    }
}

/// `settings.json` changed on disk: a correction saved by `tessera time --apply` or `--reset`
/// is used from now on, and the window told.
pub fn settings_changed(app: &AppHandle) {
    let (Some(state), Some(last)) = (
        app.try_state::<Arc<AppState>>(),
        app.try_state::<LastCheck>(),
    ) else {
        return;
    };
    let correction = state.settings_on_disk().clock_correction_seconds;
    let Ok(mut settings) = lock(&state.settings) else {
        return;
    };
    if settings.clock_correction_seconds == correction {
        return;
    }
    settings.clock_correction_seconds = correction;
    let server = settings.time_server.clone();
    drop(settings);
    let Ok(mut last) = lock(&last.0) else { return };
    let (server, offset) = match last.as_ref() {
        Some(checked) => (checked.server.clone(), checked.offset_seconds),
        None => (server, None),
    };
    let now = ClockChecked::new(server, offset, correction);
    if offset.is_some() {
        *last = Some(now.clone());
    }
    drop(last);
    let _ = now.emit(app);
}

/// One check, if the setting is on; a failure (no network, no answer) is silent.
fn check(app: &AppHandle) {
    let Some(state) = app.try_state::<Arc<AppState>>() else {
        return;
    };
    let Ok(settings) = lock(&state.settings).map(|s| s.clone()) else {
        return;
    };
    if !settings.check_clock {
        return;
    }
    if let Ok(checked) = clock::measure(&settings.time_server, clock::TIMEOUT) {
        let checked = ClockChecked::new(
            checked.server,
            Some(checked.offset_seconds),
            settings.clock_correction_seconds,
        );
        if let Some(last) = app.try_state::<LastCheck>()
            && let Ok(mut last) = last.0.lock()
        {
            *last = Some(checked.clone());
        }
        let _ = checked.emit(app);
    }
}

/// The last check's result, `None` before the first (or when the setting is off).
#[tauri::command]
#[specta::specta]
pub fn clock_status(
    state: State<'_, Arc<AppState>>,
    last: State<'_, LastCheck>,
) -> Result<Option<ClockChecked>, IpcError> {
    if !lock(&state.settings)?.check_clock {
        return Ok(None);
    }
    Ok(lock(&last.0)?.clone())
}

/// "Use corrected time": saves the last measured offset, in whole seconds, as the correction
/// codes use (0 removes it), and returns the check as it stands with it.
#[tauri::command]
#[specta::specta]
pub async fn use_corrected_time(app: AppHandle) -> Result<Option<ClockChecked>, IpcError> {
    blocking(move || {
        let (Some(state), Some(last)) = (
            app.try_state::<Arc<AppState>>(),
            app.try_state::<LastCheck>(),
        ) else {
            return Ok(None);
        };
        let Some(checked) = lock(&last.0)?.clone() else {
            return Ok(None);
        };
        let Some(offset) = checked.offset_seconds else {
            return Ok(None);
        };
        save_correction(&app, &state, checked.server, offset)
    })
    .await
}

/// Saves `offset_seconds` (the server's clock minus this one), in whole seconds, as the
/// correction codes use (0 removes it), and tells the window, whose banner then goes.
pub fn save_correction(
    app: &AppHandle,
    state: &AppState,
    server: String,
    offset_seconds: f64,
) -> Result<Option<ClockChecked>, IpcError> {
    let mut settings = lock(&state.settings)?.clone();
    settings.set_clock_correction(clock::whole_seconds(offset_seconds));
    let correction = settings.clock_correction_seconds;
    state.save_settings(settings)?;
    let now = ClockChecked::new(server, Some(offset_seconds), correction);
    if let Some(last) = app.try_state::<LastCheck>() {
        *lock(&last.0)? = Some(now.clone());
    }
    let _ = now.emit(app);
    Ok(Some(now))
}
