//! The global shortcut (tauri-plugin-global-shortcut; Ctrl+Alt+A unless changed in Settings):
//! it brings the window up from anywhere, shown from the tray if hidden, and tells the window
//! (`Summoned`) to empty and focus its search. On X11 the key is grabbed from the X server; a
//! combination another program holds is refused with a message saying so.
//!
//! On Wayland the desktop alone owns the keyboard and the plugin can grab nothing. There the
//! window says so and suggests the fallback every desktop has: a custom shortcut running
//! `tessera-desktop`, which brings the running window up the same way (single instance).

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Wry};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, ShortcutState};
use tauri_specta::Event;

use crate::tray::show_window;

/// The window was brought up by the shortcut (or a second launch): it empties and focuses its
/// search, and hides again after a copy when the settings say so.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type, tauri_specta::Event)]
pub struct Summoned;

pub fn plugin() -> TauriPlugin<Wry> {
    tauri_plugin_global_shortcut::Builder::new()
        .with_handler(|app, _shortcut, event| {
            if event.state == ShortcutState::Pressed {
                summon(app);
            }
        })
        .build()
}

/// Shows the window at the front and tells it it was summoned.
pub fn summon(app: &AppHandle) {
    show_window(app);
    let _ = Summoned.emit(app);
}

/// Whether the session is Wayland (where no program can grab a key for itself).
fn wayland() -> bool {
    std::env::var_os("WAYLAND_DISPLAY").is_some()
        && std::env::var("GDK_BACKEND").map_or(true, |b| !b.starts_with("x11"))
}

/// Makes `combination` ("Ctrl+Alt+A") the shortcut, in place of any before it; empty for none.
/// The error is a sentence for Settings.
pub fn apply(app: &AppHandle, combination: &str) -> Result<(), String> {
    let shortcuts = app.global_shortcut();
    let _ = shortcuts.unregister_all();
    let combination = combination.trim();
    if combination.is_empty() {
        return Ok(());
    }
    if wayland() {
        return Err(
            "On Wayland the desktop keeps the keyboard to itself: add a keyboard shortcut in your desktop's settings that runs tessera-desktop, which brings this window up."
                .into(),
        );
    }
    shortcuts.register(combination).map_err(|e| {
        let detail = e.to_string();
        if detail.to_lowercase().contains("pars") || detail.to_lowercase().contains("invalid") {
            format!("{combination} is not a key combination Tessera understands (write it as Ctrl+Alt+A).")
        } else {
            format!("{combination} is taken by another program: choose another combination. ({detail})")
        }
    })
}
