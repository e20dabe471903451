//! The app lock: someone at your unlocked computer gets nothing from Tessera's window or tray.
//!
//! - Unlocked by a passphrase or a PIN (its Argon2id verifier, `tessera_core::lock`, kept as
//!   Tessera's own keychain item "app-lock", never the passphrase), or by the system's own
//!   authentication (Polkit on Linux: [`crate::system_auth`]).
//! - Locked on demand (Ctrl+L, the tray's Lock), after a time without use, when the screen locks
//!   ([`crate::screen_lock`]), when the window hides to the tray if asked; and at start.
//! - Locked means: every command but the lock screen's is refused at the invoke handler
//!   ([`refused`]), the window reloads into the lock screen (its page holds no account), the
//!   tray lists no account, and the keys read are dropped (zeroed).
//! - Wrong tries slow down (1, 2, 4 ... 30 s) and never lock out for good.
//! - Unlocked, the app owns [`UNLOCKED_NAME`] on the session bus (Linux): the desktop's search
//!   (`tessera search-provider`) answers with a lock set only while it is owned, and the bus
//!   takes the name away if the app dies.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;
use tessera_core::lock::{Kind, Verifier, delay_after};
use tessera_vault::SecretStore;
use tessera_vault::settings::{LockMethod, Settings};

use crate::commands::blocking;
use crate::error::{ErrorCode, IpcError};
use crate::state::{AppState, lock};

/// The keychain item (Tessera's own) holding the verifier.
const VERIFIER_ITEM: &str = "app-lock";
const VERIFIER_LABEL: &str = "Tessera: app lock verifier";

/// The commands the lock screen needs; every other is refused while locked.
const OPEN_WHILE_LOCKED: &[&str] = &[
    // It gives the accounts only when unlocked.
    "open_window",
    // The lock screen is in the user's language: the language says nothing of the accounts.
    "languages",
    "lock_status",
    "unlock",
    "unlock_with_system",
    "first_code_painted",
];

/// The lock's state while the app runs.
pub struct LockState {
    locked: AtomicBool,
    /// Wrong tries in a row, and when the next one is taken.
    failures: Mutex<(u32, Option<Instant>)>,
    /// The last time the person used the window or the tray.
    last_use: Mutex<Instant>,
    /// Wakes the idle watch when the lock or its settings change.
    wake: std::sync::Condvar,
}

impl LockState {
    pub fn new(locked: bool) -> Self {
        Self {
            locked: AtomicBool::new(locked),
            failures: Mutex::new((0, None)),
            last_use: Mutex::new(Instant::now()),
            wake: std::sync::Condvar::new(),
        }
    }

    /// The idle watch looks again (unlocked, or the time without use changed).
    pub fn changed(&self) {
        self.wake.notify_all();
    }

    pub fn is_locked(&self) -> bool {
        self.locked.load(Ordering::SeqCst)
    }

    pub fn used(&self) {
        if let Ok(mut last) = self.last_use.lock() {
            *last = Instant::now();
        }
    }

    /// How long before the next try is taken.
    fn wait(&self) -> Duration {
        self.failures
            .lock()
            .ok()
            .and_then(|f| f.1)
            .map_or(Duration::ZERO, |at| {
                at.saturating_duration_since(Instant::now())
            })
    }
}

/// The lock changed: the window reloads (into the lock screen, or back to the accounts).
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct LockChanged {
    pub locked: bool,
}

/// What the lock screen shows.
#[derive(Debug, Clone, Serialize, Type)]
pub struct LockStatus {
    pub locked: bool,
    pub method: LockMethod,
    /// Seconds before the next try is taken (after wrong ones).
    pub wait_seconds: u32,
}

/// Whether the lock is set at all.
fn method(state: &AppState) -> LockMethod {
    lock(&state.settings).map_or(LockMethod::Off, |s| s.lock_method)
}

/// The command, unless it is refused because the app is locked (and the lock screen does not
/// need it): then it is answered here with [`ErrorCode::Locked`], and `None` is returned.
pub fn admit(invoke: tauri::ipc::Invoke<tauri::Wry>) -> Option<tauri::ipc::Invoke<tauri::Wry>> {
    let command = invoke.message.command();
    if OPEN_WHILE_LOCKED.contains(&command) {
        return Some(invoke);
    }
    let webview = invoke.message.webview();
    let locked = webview
        .try_state::<Arc<AppState>>()
        .is_some_and(|state| state.lock.is_locked());
    if !locked {
        return Some(invoke);
    }
    invoke.resolver.reject(IpcError::new(
        ErrorCode::Locked,
        "Tessera is locked: unlock it first",
    ));
    None
}

/// Locks now, if a lock is set: the keys read are dropped, the tray empties, the window reloads
/// into the lock screen.
pub fn lock_now(app: &AppHandle) {
    let Some(state) = app.try_state::<Arc<AppState>>() else {
        return;
    };
    if method(&state) == LockMethod::Off || state.lock.locked.swap(true, Ordering::SeqCst) {
        return;
    }
    state.forget_secrets();
    crate::tray::refresh(app);
    publish(app, false);
    let _ = LockChanged { locked: true }.emit(app);
}

fn unlocked(app: &AppHandle, state: &AppState) {
    if let Ok(mut failures) = state.lock.failures.lock() {
        *failures = (0, None);
    }
    state.lock.used();
    state.lock.locked.store(false, Ordering::SeqCst);
    state.lock.changed();
    crate::tray::refresh(app);
    publish(app, true);
    let _ = LockChanged { locked: false }.emit(app);
}

/// The name the app owns on the session bus while it runs unlocked (see the module).
#[cfg(target_os = "linux")]
pub const UNLOCKED_NAME: &str = "app.tessera.desktop.Unlocked";

/// Owns [`UNLOCKED_NAME`] while told the app is unlocked, from a thread of its own that waits
/// on a channel: the changes keep their order, and a bus that is not there costs nothing.
pub struct Published(Mutex<std::sync::mpsc::Sender<bool>>);

impl Published {
    /// Starts the thread, and owns the name at once if `unlocked`.
    pub fn start(unlocked: bool) -> Self {
        let (tell, told) = std::sync::mpsc::channel::<bool>();
        #[cfg(target_os = "linux")]
        std::thread::spawn(move || {
            let mut held: Option<zbus::blocking::Connection> = None;
            for unlocked in told {
                if !unlocked {
                    // Closing the connection lets go of the name.
                    held = None;
                } else if held.is_none() {
                    held = zbus::blocking::Connection::session()
                        .and_then(|bus| bus.request_name(UNLOCKED_NAME).map(|_| bus))
                        .ok();
                }
            }
        });
        #[cfg(not(target_os = "linux"))]
        drop(told);
        let _ = tell.send(unlocked);
        Self(Mutex::new(tell))
    }
}

fn publish(app: &AppHandle, unlocked: bool) {
    if let Some(published) = app.try_state::<Published>()
        && let Ok(tell) = published.0.lock()
    {
        let _ = tell.send(unlocked);
    }
}

/// A wrong try: the next one waits longer.
fn wrong(state: &AppState) -> IpcError {
    let wait = match state.lock.failures.lock() {
        Ok(mut failures) => {
            failures.0 = failures.0.saturating_add(1);
            let wait = delay_after(failures.0);
            failures.1 = Some(Instant::now() + wait);
            wait
        }
        Err(_) => Duration::ZERO,
    };
    IpcError::new(
        ErrorCode::WrongPassphrase,
        format!("That is not it. Try again in {} s.", wait.as_secs()),
    )
}

fn too_soon(state: &AppState) -> Option<IpcError> {
    let wait = state.lock.wait();
    (!wait.is_zero()).then(|| {
        IpcError::new(
            ErrorCode::LockWait,
            format!("Try again in {} s.", wait.as_secs().max(1)),
        )
    })
}

#[tauri::command]
#[specta::specta]
pub fn lock_status(state: State<'_, Arc<AppState>>) -> LockStatus {
    status(&state)
}

/// What the lock screen needs to know (`lock_status`, and the window's `open_window`).
pub fn status(state: &AppState) -> LockStatus {
    LockStatus {
        locked: state.lock.is_locked(),
        method: method(state),
        // Rounded up: a wait of 0.4 s is still one.
        wait_seconds: u32::try_from(state.lock.wait().as_millis().div_ceil(1000))
            .unwrap_or(u32::MAX),
    }
}

/// Ctrl+L, and the tray's Lock.
#[tauri::command]
#[specta::specta]
pub fn lock_window(app: AppHandle) {
    lock_now(&app);
}

/// The window is being used (a key, a click): the time without use starts again.
#[tauri::command]
#[specta::specta]
pub fn note_activity(state: State<'_, Arc<AppState>>) {
    state.lock.used();
}

/// Unlocks with the passphrase or PIN.
#[tauri::command]
#[specta::specta]
pub async fn unlock(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    secret: String,
) -> Result<(), IpcError> {
    let state = state.inner().clone();
    let secret = tessera_core::Sensitive::new(secret);
    blocking(move || {
        if !state.lock.is_locked() {
            return Ok(());
        }
        if let Some(error) = too_soon(&state) {
            return Err(error);
        }
        let kept = state
            .vault
            .secrets()
            .load_own(VERIFIER_ITEM)
            .map_err(IpcError::from)?;
        let verifier = kept.as_deref().and_then(|bytes| Verifier::from_bytes(bytes)).ok_or_else(|| {
            IpcError::new(
                ErrorCode::KeychainFailed,
                "the lock's verifier is missing from the keychain: unlock with the system's authentication, or restore the keychain",
            )
        })?;
        if !verifier.matches(&secret) {
            return Err(wrong(&state));
        }
        unlocked(&app, &state);
        Ok(())
    })
    .await
}

/// Unlocks with the system's own authentication (Polkit on Linux).
#[tauri::command]
#[specta::specta]
pub async fn unlock_with_system(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
) -> Result<(), IpcError> {
    let state = state.inner().clone();
    if !state.lock.is_locked() {
        return Ok(());
    }
    if method(&state) != LockMethod::System {
        return Err(IpcError::new(
            ErrorCode::WrongPassphrase,
            "the lock is opened with its passphrase or PIN",
        ));
    }
    if let Some(error) = too_soon(&state) {
        return Err(error);
    }
    blocking(move || match crate::system_auth::authenticate() {
        Ok(true) => {
            unlocked(&app, &state);
            Ok(())
        }
        Ok(false) => Err(wrong(&state)),
        Err(why) => Err(why.into()),
    })
    .await
}

/// Sets the lock: off, a passphrase or PIN (`secret`, kept as its verifier), or the system's
/// authentication (asked once now, so that a lock nobody can open is never set). Returns the
/// settings as saved.
#[tauri::command]
#[specta::specta]
pub async fn set_lock(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    method: LockMethod,
    secret: Option<String>,
) -> Result<Settings, IpcError> {
    let state = state.inner().clone();
    let secret = secret.map(tessera_core::Sensitive::new);
    blocking(move || {
        if method == LockMethod::System {
            match crate::system_auth::authenticate() {
                Ok(true) => {}
                Ok(false) => {
                    return Err(IpcError::new(
                        ErrorCode::WrongPassphrase,
                        "the system's authentication did not succeed: the lock is as it was",
                    ));
                }
                Err(why) => return Err(why.into()),
            }
        }
        let secrets = state.vault.secrets();
        match method {
            LockMethod::Passphrase | LockMethod::Pin => {
                let kind = if method == LockMethod::Pin {
                    Kind::Pin
                } else {
                    Kind::Passphrase
                };
                let secret = secret.as_deref().map_or("", String::as_str);
                let verifier = Verifier::new(kind, secret)
                    .map_err(|e| IpcError::new(ErrorCode::WeakPassphrase, e.to_string()))?;
                secrets
                    .store_own(VERIFIER_ITEM, VERIFIER_LABEL, &verifier.to_bytes())
                    .map_err(IpcError::from)?;
            }
            LockMethod::Off | LockMethod::System => {
                secrets.delete_own(VERIFIER_ITEM).map_err(IpcError::from)?;
            }
        }
        let settings = Settings {
            lock_method: method,
            ..lock(&state.settings)?.clone()
        };
        state.save_settings(settings.clone())?;
        state.lock.used();
        state.lock.changed();
        crate::tray::refresh(&app);
        Ok(settings)
    })
    .await
}

/// Locks after the time without use the settings give, checked when it would run out.
pub fn watch_idle(app: AppHandle) {
    std::thread::spawn(move || {
        loop {
            let Some(state) = app.try_state::<Arc<AppState>>() else {
                return;
            };
            let idle = lock(&state.settings).map_or(0, |s| {
                if s.lock_method == LockMethod::Off {
                    0
                } else {
                    s.lock_after_idle_seconds
                }
            });
            let since = state
                .lock
                .last_use
                .lock()
                .map_or(Duration::ZERO, |last| last.elapsed());
            let limit = Duration::from_secs(u64::from(idle));
            let next = if idle == 0 || state.lock.is_locked() {
                Duration::from_secs(30)
            } else if since >= limit {
                lock_now(&app);
                Duration::from_secs(30)
            } else {
                (limit - since).min(Duration::from_secs(30))
            };
            // Until the time runs out, or the lock or its settings change.
            if let Ok(last) = state.lock.last_use.lock() {
                let _ = state
                    .lock
                    .wake
                    .wait_timeout(last, next.max(Duration::from_millis(200)));
            }
        }
    });
}
