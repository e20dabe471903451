//! The main window: shown (from the tray, the shortcut, a second launch), hidden (close to tray,
//! after a copy, started in the tray) and, once hidden for `release_window_after_seconds`,
//! released. On X11 the app then hands the tray over to `tessera tray` and exits (see
//! resident.rs). Elsewhere the window and its webview are destroyed, and WebKit's web process
//! with them, while the app stays in the tray with its shortcut and clipboard clearing; shown
//! again, the window is made anew from tauri.conf.json and opens as at start (`open_window`).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use crate::shortcut::Summoned;
use crate::state::AppState;
use crate::tray::TrayAction;

/// The main window's label, in tauri.conf.json.
pub const MAIN: &str = "main";

/// What the window does once shown: the tray's Scan or Settings, or the shortcut's fresh search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Then {
    Scan,
    Settings,
    Summoned,
}

/// The window's life while the app runs.
#[derive(Default)]
pub struct Life {
    /// Counts shows and hides: a release planned at a hide goes ahead only if none came since.
    turn: AtomicU64,
    /// The window was released by the app (not closed by the user): the app stays.
    released: AtomicBool,
    /// What a window being made anew does once its page opens.
    then: Mutex<Option<Then>>,
    /// When the window was last made anew, for the benchmark's time back from the tray.
    made: Mutex<Option<Instant>>,
}

/// The argument of `tessera tray` starting the window: `--then=show|scan|settings|summoned`.
pub const THEN: &str = "--then=";

impl Life {
    /// At start: what `--then=` asks.
    pub fn from_args() -> Self {
        let then = std::env::args().find_map(|arg| match arg.strip_prefix(THEN)? {
            "scan" => Some(Then::Scan),
            "settings" => Some(Then::Settings),
            "summoned" => Some(Then::Summoned),
            _ => None,
        });
        Self {
            then: Mutex::new(then),
            ..Self::default()
        }
    }
}

/// Shows the main window, brought to the front, and has it do `then`; makes it anew if it was
/// released.
pub fn show(app: &AppHandle, then: Option<Then>) {
    let life = app.state::<Life>();
    life.turn.fetch_add(1, Ordering::SeqCst);
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        let _ = match then {
            Some(Then::Scan) => TrayAction::Scan.emit(app),
            Some(Then::Settings) => TrayAction::Settings.emit(app),
            Some(Then::Summoned) => Summoned.emit(app),
            None => Ok(()),
        };
        return;
    }
    if let Ok(mut slot) = life.then.lock() {
        *slot = then;
    }
    if let Ok(mut made) = life.made.lock() {
        *made = Some(Instant::now());
    }
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == MAIN) else {
        return;
    };
    match tauri::WebviewWindowBuilder::from_config(app, config).and_then(|b| b.build()) {
        Ok(window) => {
            life.released.store(false, Ordering::SeqCst);
            crate::webview::apply(&window);
            let _ = window.set_focus();
        }
        Err(error) => eprintln!("tessera-desktop: the window could not be made again: {error}"),
    }
}

/// Hides the main window into the tray, and plans its release.
pub fn hide(app: &AppHandle) {
    let life = app.state::<Life>();
    let turn = life.turn.fetch_add(1, Ordering::SeqCst) + 1;
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.hide();
    }
    let after = app
        .try_state::<Arc<AppState>>()
        .and_then(|state| {
            state
                .settings
                .lock()
                .ok()
                .map(|s| s.release_window_after_seconds)
        })
        .unwrap_or(0);
    if after == 0 {
        return;
    }
    let app = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(u64::from(after)));
        if app.state::<Life>().turn.load(Ordering::SeqCst) != turn {
            return; // shown (or hidden again) since
        }
        let main = app.clone();
        let _ = app.run_on_main_thread(move || release(&main, turn));
    });
}

/// Destroys the hidden window, if it is still the turn of the hide that planned it.
fn release(app: &AppHandle, turn: u64) {
    let life = app.state::<Life>();
    let Some(window) = app.get_webview_window(MAIN) else {
        return;
    };
    if life.turn.load(Ordering::SeqCst) != turn || window.is_visible().unwrap_or(true) {
        return;
    }
    // On X11 `tessera tray` takes over, without WebKit, and this app goes entirely.
    if crate::resident::hand_over() {
        app.exit(0);
        return;
    }
    life.released.store(true, Ordering::SeqCst);
    let _ = window.destroy();
}

/// Whether the last window went because the app released it: the app stays in the tray.
pub fn released(app: &AppHandle) -> bool {
    app.state::<Life>().released.load(Ordering::SeqCst)
}

/// What the window made anew does first (taken once, by `open_window`).
pub fn take_then(app: &AppHandle) -> Option<Then> {
    app.state::<Life>()
        .then
        .lock()
        .ok()
        .and_then(|mut t| t.take())
}

/// When the window was last made anew (`None`: only at start).
pub fn made_at(app: &AppHandle) -> Option<Instant> {
    app.state::<Life>().made.lock().ok().and_then(|m| *m)
}
