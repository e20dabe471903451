//! Typing a code instead of copying it: in the window the shortcut brought up, Shift+Enter (or
//! Enter, when the settings say so) types the selected account's code into the window that had
//! the focus before, and hides; "both codes" types the code, Tab and the next code, for the
//! enrolment forms that ask for two. The clipboard is never touched.
//!
//! - X11: XTest (tessera-keyboard), into the window that had the focus when the shortcut was
//!   pressed ([`remember`]; `tessera tray` hands it over as `--focus=`).
//! - Wayland: no program may type into another's window by itself; the desktop's RemoteDesktop
//!   portal types the keys, once the user allows it (the desktop asks), into the window the
//!   desktop gives the focus back to. Where the desktop has no such portal, the window says so.
//! - macOS, Windows: not yet; the window says so.

use std::sync::Mutex;

use tauri::{AppHandle, Manager};
use tessera_core::Kind;

use crate::commands::blocking;
use crate::copy::{code_now, unlocked_entry};
use crate::error::{ErrorCode, IpcError};
use crate::state::{ipc, lock};

/// The argument of `tessera tray` starting the window for its shortcut: the X window that had
/// the focus then.
#[cfg(target_os = "linux")]
const FOCUS: &str = "--focus=";

/// The window to type into: the one that had the focus when the shortcut was last pressed.
#[derive(Debug, Default)]
pub struct Before(Mutex<Option<Target>>);

#[cfg(target_os = "linux")]
type Target = tessera_keyboard::Focus;
#[cfg(not(target_os = "linux"))]
type Target = ();

impl Before {
    /// At start: the window `--focus=` names, if any.
    pub fn from_args() -> Self {
        #[cfg(target_os = "linux")]
        let focus = std::env::args()
            .find_map(|arg| arg.strip_prefix(FOCUS)?.parse().ok())
            .and_then(tessera_keyboard::Focus::from_id);
        #[cfg(not(target_os = "linux"))]
        let focus = None;
        Self(Mutex::new(focus))
    }
}

/// The shortcut was pressed: remembers the window that has the focus, before ours takes it.
pub fn remember(app: &AppHandle) {
    #[cfg(target_os = "linux")]
    if let Some(before) = app.try_state::<Before>()
        && let Ok(mut slot) = before.0.lock()
    {
        *slot = tessera_keyboard::focused().ok().flatten();
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

/// Types the code of account `id` (with `both`, the code, Tab and the next code) into the
/// window the shortcut was pressed in, after hiding this one. A failure shows the window again
/// and says why.
#[tauri::command]
#[specta::specta]
pub async fn type_code(app: AppHandle, id: String, both: bool) -> Result<(), IpcError> {
    let text = {
        let app = app.clone();
        let id = id.clone();
        blocking(move || typed_text(&app, &id, both)).await?
    };
    let into = app
        .try_state::<Before>()
        .and_then(|before| before.0.lock().ok().and_then(|slot| *slot));
    crate::window::hide(&app);
    let result = type_into(text, into).await;
    if result.is_err() {
        crate::window::show(&app, None);
    } else if let Some(state) = app.try_state::<std::sync::Arc<crate::state::AppState>>() {
        let _ = state.recent.used(&id, state.code_time_ms() / 1000);
    }
    result
}

/// What to type for account `id`: its code, or its code, Tab and the next one. Two HOTP codes
/// are taken anew, so neither is shown again.
fn typed_text(app: &AppHandle, id: &str, both: bool) -> Result<String, IpcError> {
    let (state, entry) = unlocked_entry(app, id)?;
    if !both {
        return code_now(&state, &entry);
    }
    if let Kind::Hotp { .. } = entry.params.kind {
        let (_, account) = ipc(state.vault.take_codes(&entry.id, 2))?;
        let next = account.next_code_at(0);
        lock(&state.hotp_shown)?.insert(entry.id.clone(), next.clone());
        return Ok(format!("{}\t{next}", account.code_at(0)));
    }
    let account = state.account(&entry)?;
    let now = state.code_time_ms() / 1000;
    Ok(format!(
        "{}\t{}",
        account.code_at(now),
        account.next_code_at(now)
    ))
}

#[cfg(target_os = "linux")]
async fn type_into(text: String, into: Option<Target>) -> Result<(), IpcError> {
    if crate::shortcut::wayland() {
        return portal::type_text(&text).await;
    }
    let Some(into) = into else {
        return Err(unavailable(
            "Tessera types a code into the window you were in when you pressed the shortcut: press it there, then Shift+Enter",
        ));
    };
    blocking(move || {
        tessera_keyboard::type_text(&text, Some(into))
            .map_err(|e| unavailable(&format!("The code could not be typed: {e:#}")))
    })
    .await
}

#[cfg(not(target_os = "linux"))]
async fn type_into(_text: String, _into: Option<Target>) -> Result<(), IpcError> {
    Err(unavailable(
        "Typing codes is not available on this system yet: copy the code instead (Enter)",
    ))
}

/// Wayland: the keys go through the RemoteDesktop portal, as keysyms the desktop maps to its
/// keyboard's keys. The desktop asks the user to allow it, each time (no permission is kept).
#[cfg(target_os = "linux")]
mod portal {
    use ashpd::desktop::PersistMode;
    use ashpd::desktop::remote_desktop::{DeviceType, KeyState, RemoteDesktop};

    use super::unavailable;
    use crate::error::IpcError;

    pub async fn type_text(text: &str) -> Result<(), IpcError> {
        let none = |_| {
            unavailable(
                "This desktop has no RemoteDesktop portal, which typing a code into another window needs on Wayland: copy it instead (Enter)",
            )
        };
        let failed = |e: ashpd::Error| unavailable(&format!("The code could not be typed: {e}"));
        let proxy = RemoteDesktop::new().await.map_err(none)?;
        let offered = proxy.available_device_types().await.map_err(none)?;
        if !offered.contains(DeviceType::Keyboard) {
            return Err(unavailable(
                "This desktop's RemoteDesktop portal offers no keyboard: copy the code instead (Enter)",
            ));
        }
        let session = proxy.create_session().await.map_err(failed)?;
        proxy
            .select_devices(
                &session,
                DeviceType::Keyboard.into(),
                None,
                PersistMode::DoNot,
            )
            .await
            .map_err(failed)?;
        let started = proxy
            .start(&session, None)
            .await
            .and_then(|request| request.response())
            .map_err(|_| unavailable("The desktop did not allow Tessera to type the code"))?;
        if !started.devices().contains(DeviceType::Keyboard) {
            return Err(unavailable(
                "The desktop did not allow Tessera to use the keyboard",
            ));
        }
        for c in text.chars() {
            let keysym = i32::try_from(tessera_keyboard::keysym_of(c))
                .map_err(|_| unavailable(&format!("no key types {c:?}")))?;
            for state in [KeyState::Pressed, KeyState::Released] {
                proxy
                    .notify_keyboard_keysym(&session, keysym, state)
                    .await
                    .map_err(failed)?;
            }
        }
        let _ = session.close().await;
        Ok(())
    }
}

fn unavailable(message: &str) -> IpcError {
    IpcError::new(ErrorCode::TypingUnavailable, message)
}
