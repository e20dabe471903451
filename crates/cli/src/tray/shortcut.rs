//! The shortcut of `tessera tray`, grabbed from the X server: one thread blocked on the X
//! connection until the key is pressed, so that nothing runs while nobody presses it.
//! (global-hotkey, which the window uses through its Tauri plugin, polls its connection 20 times
//! a second: 0.07% of a core, for an app that should cost nothing in the tray.) The combination
//! is read as the window reads it, by global-hotkey's parser.

use std::str::FromStr;

use anyhow::{Context, Result, bail};
use global_hotkey::hotkey::{Code, HotKey, Modifiers};
use x11rb::connection::Connection;
use x11rb::errors::ReplyError;
use x11rb::protocol::Event;
use x11rb::protocol::xproto::{ConnectionExt, GrabMode, Keycode, ModMask};
use x11rb::rust_connection::RustConnection;
use xkeysym::Keysym;

/// A key held by this program until dropped (with its connection).
pub struct Grab {
    connection: RustConnection,
}

/// Why a grab failed: another program holds the combination (perhaps the app that is handing
/// over, until it has exited), or anything else.
pub enum Refused {
    Taken,
    Other(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Refused {
    fn from(error: E) -> Self {
        Self::Other(error.into())
    }
}

impl Grab {
    /// Grabs `combination` ("Ctrl+Alt+A") on the display's root window, whatever the state of
    /// Caps Lock and Num Lock.
    pub fn new(combination: &str) -> Result<Self, Refused> {
        let (modifiers, keysym) = parse(combination)?;
        let (connection, screen) = x11rb::connect(None).context("the X display")?;
        let root = connection.setup().roots[screen].root;
        let keycode = keycode_of(&connection, keysym)?;
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
        connection.flush()?;
        Ok(Self { connection })
    }

    /// Waits for the next press of the key.
    pub fn pressed(&self) -> Result<()> {
        loop {
            if let Event::KeyPress(_) = self.connection.wait_for_event()? {
                return Ok(());
            }
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
    keysym.with_context(|| format!("the key {name} can't be a shortcut of the tray"))
}

/// The keycode that gives `keysym` in the keyboard's current mapping.
fn keycode_of(connection: &RustConnection, keysym: Keysym) -> Result<Keycode> {
    let setup = connection.setup();
    let (first, last) = (setup.min_keycode, setup.max_keycode);
    let mapping = connection
        .get_keyboard_mapping(first, last - first + 1)?
        .reply()?;
    let per_keycode = usize::from(mapping.keysyms_per_keycode).max(1);
    let found = mapping
        .keysyms
        .chunks(per_keycode)
        .position(|keysyms| keysyms.contains(&keysym.raw()));
    let Some(found) = found else {
        bail!("no key of this keyboard gives {keysym:?}");
    };
    Ok(first + u8::try_from(found)?)
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
}
