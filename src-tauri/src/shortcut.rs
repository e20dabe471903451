//! The global shortcut (Ctrl+Alt+A unless changed in Settings): it brings the window up from
//! anywhere, shown from the tray if hidden, and tells the window (`Summoned`) to empty and focus
//! its search.
//!
//! - X11: the key is grabbed from the X server (tessera-keyboard: a thread blocked on its
//!   connection, where Tauri's global-shortcut plugin polls 20 times a second); a combination
//!   another program holds is refused with a message saying so.
//! - macOS, Windows: tauri-plugin-global-shortcut.
//! - Wayland: no program may grab a key. The desktop's GlobalShortcuts portal binds it instead
//!   (the combination is a preference: the desktop may ask the user, or choose another); where
//!   the desktop has no such portal, Settings says so. A desktop shortcut running
//!   `tessera-desktop` works everywhere: a second launch brings the running window up the same
//!   way (single instance).

use std::sync::{Arc, Mutex};

use tauri::{AppHandle, Manager};

use crate::state::AppState;

#[cfg(not(target_os = "linux"))]
pub use grab::plugin;
#[cfg(target_os = "linux")]
pub use {grab::Held, portal::PortalTask};

/// The window was brought up by the shortcut (or a second launch): it empties and focuses its
/// search, and hides again after a copy when the settings say so.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type, tauri_specta::Event)]
pub struct Summoned;

/// Shows the window at the front and tells it it was summoned.
pub fn summon(app: &AppHandle) {
    crate::window::show(app, Some(crate::window::Then::Summoned));
}

/// The settings' shortcut, until it is applied after the start (see [`at_start`]).
#[derive(Default)]
pub struct AtStart(Mutex<Option<String>>);

/// Applies the settings' shortcut once the window is up (`AppState::wait_for_window`: its first
/// code on screen, or its page loaded a second ago). Not during the start itself: an X key grab
/// made while WebKitGTK draws the window for the first time stalls that draw until WebKit's
/// time limit for the first frame runs out. What goes wrong is kept for Settings.
pub fn at_start(app: &AppHandle, state: Arc<AppState>, combination: String) {
    app.manage(AtStart(Mutex::new(Some(combination))));
    let app = app.clone();
    std::thread::spawn(move || {
        state.wait_for_window();
        let Some(combination) = forget_start(&app) else {
            return;
        };
        if let Err(problem) = apply(&app, &combination) {
            eprintln!("tessera-desktop: global shortcut: {problem}");
            keep_problem(&app, Some(problem));
        }
    });
}

/// Keeps why the shortcut does not work, for Settings.
fn keep_problem(app: &AppHandle, problem: Option<String>) {
    if let Some(state) = app.try_state::<Arc<AppState>>()
        && let Ok(mut slot) = state.shortcut_problem.lock()
    {
        *slot = problem;
    }
}

/// Takes the shortcut waiting since the start, so that it is applied once (or, when Settings
/// applies another meanwhile, never).
pub fn forget_start(app: &AppHandle) -> Option<String> {
    app.try_state::<AtStart>()
        .and_then(|waiting| waiting.0.lock().ok().and_then(|mut slot| slot.take()))
}

/// Whether the session is Wayland (where no program can grab a key for itself, even through
/// XWayland).
pub fn wayland() -> bool {
    std::env::var_os("WAYLAND_DISPLAY").is_some()
}

/// Makes `combination` ("Ctrl+Alt+A") the shortcut, in place of any before it; empty for none.
/// The error is a sentence for Settings. On Wayland the portal answers later: its refusal is
/// kept for Settings (`AppState::shortcut_problem`).
pub fn apply(app: &AppHandle, combination: &str) -> Result<(), String> {
    grab::release(app);
    let combination = combination.trim();
    if wayland() {
        portal::bind(app, combination);
        return Ok(());
    }
    if combination.is_empty() {
        return Ok(());
    }
    grab::grab(app, combination)
}

/// The sentences Settings shows for a combination refused.
fn not_a_combination(combination: &str) -> String {
    format!("{combination} is not a key combination Tessera understands (write it as Ctrl+Alt+A).")
}

fn taken(combination: &str, detail: &str) -> String {
    format!("{combination} is taken by another program: choose another combination.{detail}")
}

#[cfg(target_os = "linux")]
mod grab {
    use std::sync::Mutex;

    use tauri::{AppHandle, Manager};
    use tessera_keyboard::{Refused, Shortcut};

    /// The shortcut grabbed on X11, while it is.
    #[derive(Debug, Default)]
    pub struct Held(Mutex<Option<Shortcut>>);

    /// Lets go of the shortcut grabbed, if any.
    pub fn release(app: &AppHandle) {
        if let Some(held) = app.try_state::<Held>()
            && let Ok(mut slot) = held.0.lock()
        {
            slot.take();
        }
    }

    pub fn grab(app: &AppHandle, combination: &str) -> Result<(), String> {
        let summoner = app.clone();
        let shortcut = Shortcut::grab(combination, move || {
            crate::typing::remember(&summoner);
            super::summon(&summoner);
        })
        .map_err(|refused| match refused {
            Refused::NotACombination(_) => super::not_a_combination(combination),
            Refused::Taken => super::taken(combination, ""),
            Refused::Other(error) => format!("{combination} could not be set: {error:#}"),
        })?;
        if let Some(held) = app.try_state::<Held>()
            && let Ok(mut slot) = held.0.lock()
        {
            *slot = Some(shortcut);
        }
        Ok(())
    }
}

#[cfg(not(target_os = "linux"))]
mod grab {
    use tauri::plugin::TauriPlugin;
    use tauri::{AppHandle, Wry};
    use tauri_plugin_global_shortcut::{GlobalShortcutExt, ShortcutState};

    pub fn plugin() -> TauriPlugin<Wry> {
        tauri_plugin_global_shortcut::Builder::new()
            .with_handler(|app, _shortcut, event| {
                if event.state == ShortcutState::Pressed {
                    crate::typing::remember(app);
                    super::summon(app);
                }
            })
            .build()
    }

    pub fn release(app: &AppHandle) {
        let _ = app.global_shortcut().unregister_all();
    }

    pub fn grab(app: &AppHandle, combination: &str) -> Result<(), String> {
        app.global_shortcut().register(combination).map_err(|e| {
            let detail = e.to_string();
            let lower = detail.to_lowercase();
            if lower.contains("pars") || lower.contains("invalid") {
                super::not_a_combination(combination)
            } else {
                super::taken(combination, &format!(" ({detail})"))
            }
        })
    }
}

#[cfg(target_os = "linux")]
mod portal {
    use ashpd::desktop::global_shortcuts::{GlobalShortcuts, NewShortcut};
    use futures_util::StreamExt;
    use tauri::{AppHandle, Manager};

    use std::sync::Mutex;

    use super::{keep_problem, summon};

    const ID: &str = "summon";

    /// The portal session serving the shortcut on Wayland, while it runs.
    #[derive(Default)]
    pub struct PortalTask(Mutex<Option<tauri::async_runtime::JoinHandle<()>>>);

    /// "Ctrl+Alt+A" in the XDG shortcuts specification's syntax: "CTRL+ALT+a".
    pub(super) fn xdg_trigger(combination: &str) -> String {
        combination
            .split('+')
            .map(str::trim)
            .map(|part| match part.to_lowercase().as_str() {
                "ctrl" | "control" => "CTRL".to_owned(),
                "alt" => "ALT".to_owned(),
                "shift" => "SHIFT".to_owned(),
                "super" | "meta" | "cmd" | "command" | "logo" => "LOGO".to_owned(),
                key if key.chars().count() == 1 => key.to_owned(),
                _ => part.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("+")
    }

    /// Binds the shortcut through the desktop's GlobalShortcuts portal, in place of an earlier
    /// binding, and summons the window each time the desktop says it was pressed.
    pub fn bind(app: &AppHandle, combination: &str) {
        let Some(task) = app.try_state::<PortalTask>() else {
            return;
        };
        let Ok(mut slot) = task.0.lock() else {
            return;
        };
        if let Some(old) = slot.take() {
            old.abort();
        }
        if combination.is_empty() {
            keep_problem(app, None);
            return;
        }
        let (app, trigger) = (app.clone(), xdg_trigger(combination));
        *slot = Some(tauri::async_runtime::spawn(async move {
            if let Err(e) = serve(&app, &trigger).await {
                keep_problem(
                    &app,
                    Some(format!(
                        "This desktop (Wayland) offers no global shortcut to programs ({e}). Add a shortcut in your desktop's keyboard settings that runs tessera-desktop: it brings this window up."
                    )),
                );
            }
        }));
    }

    async fn serve(app: &AppHandle, trigger: &str) -> ashpd::Result<()> {
        let portal = GlobalShortcuts::new().await?;
        let session = portal.create_session().await?;
        let shortcut = NewShortcut::new(ID, "Bring Tessera up").preferred_trigger(trigger);
        portal
            .bind_shortcuts(&session, &[shortcut], None)
            .await?
            .response()?;
        keep_problem(app, None);
        let mut activated = portal.receive_activated().await?;
        while let Some(event) = activated.next().await {
            if event.shortcut_id() == ID {
                summon(app);
            }
        }
        Ok(())
    }
}

#[cfg(not(target_os = "linux"))]
mod portal {
    /// Only Linux has Wayland.
    pub fn bind(_app: &tauri::AppHandle, _combination: &str) {}
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn combinations_in_the_xdg_syntax() {
        assert_eq!(super::portal::xdg_trigger("Ctrl+Alt+A"), "CTRL+ALT+a");
        assert_eq!(
            super::portal::xdg_trigger("Super + Shift + F2"),
            "LOGO+SHIFT+F2"
        );
    }
}
