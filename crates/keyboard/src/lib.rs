//! The X11 keyboard, for the window (`tessera-desktop`) and for `tessera tray`: the global
//! shortcut grabbed from the X server ([`Shortcut`], `shortcut.rs`), and codes typed into the
//! window that had the focus with the XTest extension ([`type_text`], `typing.rs`). Wayland lets
//! no program grab a key or type into another: the window uses the desktop's portals there.
#![cfg(target_os = "linux")]

mod shortcut;
mod typing;

pub use shortcut::{Refused, Shortcut};
pub use typing::{Focus, focused, keysym_of, type_text};

use anyhow::{Result, bail};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt, Keycode};
use x11rb::rust_connection::RustConnection;
use xkeysym::Keysym;

/// The key that gives `keysym` in the keyboard's current mapping, and its column there (0: the
/// key alone, 1: with Shift; 2 and 3 in the second group), the lowest column first.
fn key_of(connection: &RustConnection, keysym: Keysym) -> Result<(Keycode, usize)> {
    let setup = connection.setup();
    let (first, last) = (setup.min_keycode, setup.max_keycode);
    let mapping = connection
        .get_keyboard_mapping(first, last - first + 1)?
        .reply()?;
    let per_keycode = usize::from(mapping.keysyms_per_keycode).max(1);
    let keys: Vec<&[u32]> = mapping.keysyms.chunks(per_keycode).collect();
    for column in 0..per_keycode {
        if let Some(found) = keys
            .iter()
            .position(|keysyms| keysyms.get(column) == Some(&keysym.raw()))
        {
            return Ok((first + u8::try_from(found)?, column));
        }
    }
    bail!("no key of this keyboard gives {keysym:?}")
}
