//! Typing a code into another program's window, with the XTest extension: the keys are pressed
//! as if on the keyboard, so the clipboard is never touched. The window that had the focus when
//! the shortcut was pressed ([`focused`]) gets it back first, and keys still held (the Shift of
//! Shift+Enter) are waited for, or the code would be typed shifted.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use x11rb::connection::{Connection, RequestConnection};
use x11rb::protocol::xproto::{ConnectionExt, InputFocus, KeyButMask, Keycode, Window};
use x11rb::protocol::xtest::{self, ConnectionExt as _};
use x11rb::rust_connection::RustConnection;
use x11rb::{CURRENT_TIME, NONE};
use xkeysym::{Keysym, key};

use crate::key_of;

/// How long the window that had the focus may take to get it back once ours hides.
const FOCUS_BACK: Duration = Duration::from_millis(500);
/// How long the keys still held (Shift+Enter's) may take to be let go of.
const KEYS_LET_GO: Duration = Duration::from_secs(3);
/// A pause between keys: some programs drop keys that come faster than hands type.
const BETWEEN_KEYS: Duration = Duration::from_millis(8);

/// The window that had the keyboard focus, to type into later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Focus(Window);

impl Focus {
    /// The window's X id, to hand to another process (`tessera tray` starting the window).
    pub fn id(self) -> u32 {
        self.0
    }

    /// A window by its X id; `None` for none (0) or PointerRoot (1).
    pub fn from_id(id: u32) -> Option<Self> {
        (id != NONE && id != 1).then_some(Self(id))
    }
}

/// The window that has the keyboard focus now; `None` when none has (the focus follows the
/// pointer, or is nowhere).
pub fn focused() -> Result<Option<Focus>> {
    let (connection, _) = x11rb::connect(None).context("the X display")?;
    let window = connection.get_input_focus()?.reply()?.focus;
    Ok(Focus::from_id(window))
}

/// The X keysym that types `c` (Tab for `\t`), as the RemoteDesktop portal takes it too.
pub fn keysym_of(c: char) -> u32 {
    match c {
        '\t' => key::Tab,
        c => Keysym::from_char(c).raw(),
    }
}

/// Types `text` (digits, letters, Tab) into `into`, or into whatever has the focus: each
/// character as the key that gives it, with Shift where the keyboard's layout needs it.
pub fn type_text(text: &str, into: Option<Focus>) -> Result<()> {
    let (connection, screen) = x11rb::connect(None).context("the X display")?;
    if connection
        .extension_information(xtest::X11_EXTENSION_NAME)?
        .is_none()
    {
        bail!("this X server has no XTEST extension, which typing needs");
    }
    let root = connection.setup().roots[screen].root;
    // Every key first: a character no key gives is refused before anything is typed.
    let keys = text
        .chars()
        .map(|c| {
            key_of(&connection, Keysym::new(keysym_of(c)))
                .with_context(|| format!("no key of this keyboard types {c:?}"))
        })
        .collect::<Result<Vec<_>>>()?;
    let (shift, _) = key_of(&connection, Keysym::new(key::Shift_L))?;
    if let Some(focus) = into {
        give_focus_back(&connection, focus)?;
    }
    wait_until_let_go(&connection, root)?;
    for (keycode, column) in keys {
        // Columns 1 and 3 are the key with Shift, in the first and second group.
        let shifted = column % 2 == 1;
        if shifted {
            fake(&connection, xproto_key::PRESS, shift, root)?;
        }
        fake(&connection, xproto_key::PRESS, keycode, root)?;
        fake(&connection, xproto_key::RELEASE, keycode, root)?;
        if shifted {
            fake(&connection, xproto_key::RELEASE, shift, root)?;
        }
        connection.flush()?;
        std::thread::sleep(BETWEEN_KEYS);
    }
    // A round trip: every key has reached the server when this returns.
    connection.get_input_focus()?.reply()?;
    Ok(())
}

/// XTest's event types: X's KeyPress and KeyRelease.
mod xproto_key {
    pub const PRESS: u8 = x11rb::protocol::xproto::KEY_PRESS_EVENT;
    pub const RELEASE: u8 = x11rb::protocol::xproto::KEY_RELEASE_EVENT;
}

fn fake(connection: &RustConnection, kind: u8, keycode: Keycode, root: Window) -> Result<()> {
    connection.xtest_fake_input(kind, keycode, CURRENT_TIME, root, 0, 0, 0)?;
    Ok(())
}

/// Waits for `focus` to have the focus again (a window manager gives it back when ours hides),
/// and gives it back ourselves if it has not by then (no window manager, or one that didn't).
fn give_focus_back(connection: &RustConnection, focus: Focus) -> Result<()> {
    let deadline = Instant::now() + FOCUS_BACK;
    while Instant::now() < deadline {
        if connection.get_input_focus()?.reply()?.focus == focus.0 {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    connection
        .set_input_focus(InputFocus::PARENT, focus.0, CURRENT_TIME)?
        .check()
        .context("the window to type into is gone")?;
    Ok(())
}

/// Waits until no modifier is held: typed with Shift or Ctrl down, a code would be other keys.
fn wait_until_let_go(connection: &RustConnection, root: Window) -> Result<()> {
    let held = KeyButMask::SHIFT | KeyButMask::CONTROL | KeyButMask::MOD1 | KeyButMask::MOD4;
    let deadline = Instant::now() + KEYS_LET_GO;
    loop {
        let state = connection.query_pointer(root)?.reply()?.mask;
        if u16::from(state) & u16::from(held) == 0 {
            return Ok(());
        }
        if Instant::now() >= deadline {
            bail!("keys were still held down: let go of them to type the code");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tessera_test_support::KeyRecorder;

    use super::*;

    /// On the test's X server (the test command runs under Xvfb), into another client's window:
    /// a code, a Steam code with capitals, the pair enrolment forms want, and the focus given
    /// back to the window that had it.
    #[test]
    fn codes_are_typed_into_the_window_that_had_the_focus() {
        let recorder = KeyRecorder::start();
        let focus = focused().unwrap().expect("the recorder has the focus");
        type_text("492039", Some(focus)).unwrap();
        assert_eq!(recorder.typed(6, Duration::from_secs(5)), "492039");
        type_text("7HX2B", None).unwrap();
        assert_eq!(recorder.typed(5, Duration::from_secs(5)), "7HX2B");

        // Another window took the focus meanwhile: the first gets it back.
        let other = KeyRecorder::start();
        assert!(!recorder.has_focus());
        type_text("123456\t654321", Some(focus)).unwrap();
        assert!(recorder.has_focus());
        assert_eq!(recorder.typed(13, Duration::from_secs(5)), "123456\t654321");
        assert_eq!(other.typed(1, Duration::from_millis(200)), "");

        // A character no key gives is refused before anything is typed.
        let error = type_text("12漢", Some(focus)).unwrap_err();
        assert!(format!("{error:#}").contains("no key of this keyboard types '漢'"));
        assert_eq!(recorder.typed(1, Duration::from_millis(200)), "");
    }
}
