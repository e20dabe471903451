//! The global shortcut: a key grabbed from the X server, and a thread of its own that waits,
//! blocked on its connection, until it is pressed, so that nothing runs while nobody presses it.
//! (global-hotkey, behind Tauri's global-shortcut plugin, polls its connection 20 times a
//! second, which woke an idle window 20 times a second.) A combination is read by
//! global-hotkey's parser, as the plugin reads it on macOS and Windows.

use std::str::FromStr;
use std::sync::Arc;
use std::thread::JoinHandle;

use anyhow::{Context, Result};
use global_hotkey::hotkey::{Code, HotKey, Modifiers};
use x11rb::connection::Connection;
use x11rb::errors::ReplyError;
use x11rb::protocol::Event;
use x11rb::protocol::xproto::{
    ClientMessageEvent, ConnectionExt, CreateWindowAux, EventMask, GrabMode, Keycode, ModMask,
    Window, WindowClass,
};
use x11rb::rust_connection::RustConnection;
use xkeysym::Keysym;

use crate::key_of;

/// A combination grabbed from the X server; each press calls the function given, on a thread of
/// the grab's own, until the grab is dropped.
#[derive(Debug)]
pub struct Shortcut {
    connection: Arc<RustConnection>,
    root: Window,
    keycode: Keycode,
    /// An unmapped window of this connection: a message sent to it ends the thread.
    window: Window,
    thread: Option<JoinHandle<()>>,
}

/// Why a combination was not grabbed.
#[derive(Debug)]
pub enum Refused {
    /// Not a combination global-hotkey reads, or a key this keyboard lacks.
    NotACombination(String),
    /// Another program holds it (perhaps an app handing over, until it has exited).
    Taken,
    /// No X display, or another failure of the X connection.
    Other(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Refused {
    fn from(error: E) -> Self {
        Self::Other(error.into())
    }
}

impl Shortcut {
    /// Grabs `combination` ("Ctrl+Alt+A") on the display's root window, whatever the state of
    /// Caps Lock and Num Lock, and calls `on_press` at each press.
    pub fn grab(
        combination: &str,
        mut on_press: impl FnMut() + Send + 'static,
    ) -> Result<Self, Refused> {
        let (modifiers, keysym) =
            parse(combination).map_err(|e| Refused::NotACombination(format!("{e:#}")))?;
        let (connection, screen) = x11rb::connect(None).context("the X display")?;
        let root = connection.setup().roots[screen].root;
        let (keycode, _) =
            key_of(&connection, keysym).map_err(|e| Refused::NotACombination(format!("{e:#}")))?;
        for locks in [
            ModMask::from(0u16),
            ModMask::LOCK,
            ModMask::M2,
            ModMask::LOCK | ModMask::M2,
        ] {
            let grabbed = connection
                .grab_key(
                    false,
                    root,
                    modifiers | locks,
                    keycode,
                    GrabMode::ASYNC,
                    GrabMode::ASYNC,
                )?
                .check();
            match grabbed {
                Ok(()) => {}
                Err(ReplyError::X11Error(error))
                    if error.error_kind == x11rb::protocol::ErrorKind::Access =>
                {
                    return Err(Refused::Taken);
                }
                Err(error) => return Err(error.into()),
            }
        }
        let window = connection.generate_id()?;
        connection
            .create_window(
                0,
                window,
                root,
                0,
                0,
                1,
                1,
                0,
                WindowClass::INPUT_ONLY,
                0,
                &CreateWindowAux::new(),
            )?
            .check()?;
        let connection = Arc::new(connection);
        let waiting = connection.clone();
        let thread = std::thread::Builder::new()
            .name("shortcut".into())
            .spawn(move || {
                // Ends at the message from `drop`, or when the connection fails.
                while let Ok(event) = waiting.wait_for_event() {
                    match event {
                        Event::KeyPress(_) => on_press(),
                        Event::ClientMessage(_) => return,
                        _ => {}
                    }
                }
            })?;
        Ok(Self {
            connection,
            root,
            keycode,
            window,
            thread: Some(thread),
        })
    }
}

impl Drop for Shortcut {
    /// Lets go of the key (at once: a round trip, so a grab made next finds it free), then ends
    /// the thread and the connection.
    fn drop(&mut self) {
        let _ = self
            .connection
            .ungrab_key(self.keycode, self.root, ModMask::ANY)
            .map(|cookie| cookie.check());
        let message = ClientMessageEvent::new(32, self.window, x11rb::NONE, [0u32; 5]);
        let sent = self
            .connection
            .send_event(false, self.window, EventMask::NO_EVENT, message)
            .map(|_| ())
            .and_then(|()| self.connection.flush());
        if sent.is_ok()
            && let Some(thread) = self.thread.take()
        {
            let _ = thread.join();
        }
    }
}

/// The X modifiers and the key of a combination in the settings' form.
fn parse(combination: &str) -> Result<(ModMask, Keysym)> {
    let hotkey =
        HotKey::from_str(combination).map_err(|error| anyhow::anyhow!("{combination}: {error}"))?;
    let mut modifiers = ModMask::from(0u16);
    for (modifier, mask) in [
        (Modifiers::SHIFT, ModMask::SHIFT),
        (Modifiers::CONTROL, ModMask::CONTROL),
        (Modifiers::ALT, ModMask::M1),
        (Modifiers::SUPER, ModMask::M4),
        (Modifiers::META, ModMask::M4),
    ] {
        if hotkey.mods.contains(modifier) {
            modifiers |= mask;
        }
    }
    Ok((modifiers, keysym_of(hotkey.key)?))
}

/// The keysym of a key, by its position's name (`KeyA`, `Digit1`, `F5`, `Space`...).
fn keysym_of(code: Code) -> Result<Keysym> {
    use xkeysym::key;
    let name = code.to_string();
    let character = |text: &str| text.chars().next().map(Keysym::from_char);
    let keysym = if let Some(letter) = name.strip_prefix("Key") {
        character(&letter.to_lowercase())
    } else if let Some(digit) = name.strip_prefix("Digit") {
        character(digit)
    } else if let Some(n) = name.strip_prefix('F').and_then(|n| n.parse::<u32>().ok()) {
        (1..=35).contains(&n).then(|| Keysym::new(key::F1 + n - 1))
    } else {
        let raw = match code {
            Code::Space => Some(key::space),
            Code::Enter => Some(key::Return),
            Code::Tab => Some(key::Tab),
            Code::Escape => Some(key::Escape),
            Code::Backspace => Some(key::BackSpace),
            Code::Delete => Some(key::Delete),
            Code::Insert => Some(key::Insert),
            Code::Home => Some(key::Home),
            Code::End => Some(key::End),
            Code::PageUp => Some(key::Page_Up),
            Code::PageDown => Some(key::Page_Down),
            Code::ArrowLeft => Some(key::Left),
            Code::ArrowUp => Some(key::Up),
            Code::ArrowRight => Some(key::Right),
            Code::ArrowDown => Some(key::Down),
            Code::Minus => Some(key::minus),
            Code::Equal => Some(key::equal),
            Code::BracketLeft => Some(key::bracketleft),
            Code::BracketRight => Some(key::bracketright),
            Code::Backslash => Some(key::backslash),
            Code::Semicolon => Some(key::semicolon),
            Code::Quote => Some(key::apostrophe),
            Code::Backquote => Some(key::grave),
            Code::Comma => Some(key::comma),
            Code::Period => Some(key::period),
            Code::Slash => Some(key::slash),
            _ => None,
        };
        raw.map(Keysym::new)
    };
    keysym.with_context(|| format!("the key {name} can't be a global shortcut"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_read_as_the_window_reads_them() {
        let (mods, key) = parse("Ctrl+Alt+A").unwrap();
        assert_eq!(mods, ModMask::CONTROL | ModMask::M1);
        assert_eq!(key, Keysym::from_char('a'));
        let (mods, key) = parse("CommandOrControl+Shift+F12").unwrap();
        assert_eq!(mods, ModMask::CONTROL | ModMask::SHIFT);
        assert_eq!(key.raw(), xkeysym::key::F12);
        assert_eq!(parse("Super+Digit1").unwrap().1, Keysym::from_char('1'));
        assert_eq!(parse("Alt+Space").unwrap().1.raw(), xkeysym::key::space);
        assert!(parse("Ctrl+Alt+").is_err());
        assert!(parse("Ctrl+Alt+MediaPlayPause").is_err());
    }

    /// On the test's X server (the test command runs under Xvfb): a combination held is refused
    /// as taken, and dropping the grab lets go of it.
    #[test]
    fn a_grab_holds_the_key_until_dropped() {
        // A client of its own for the whole test: an X server whose last client leaves resets,
        // and refuses connections meanwhile.
        let _kept = tessera_test_support::x_connect();
        let first = Shortcut::grab("Ctrl+Alt+Shift+F7", || {}).unwrap();
        assert!(matches!(
            Shortcut::grab("Ctrl+Alt+Shift+F7", || {}),
            Err(Refused::Taken)
        ));
        drop(first);
        let again = Shortcut::grab("Ctrl+Alt+Shift+F7", || {});
        assert!(again.is_ok(), "{again:?}");
        assert!(matches!(
            Shortcut::grab("Ctrl+Nope", || {}),
            Err(Refused::NotACombination(_))
        ));
    }
}
