//! The clipboard's image as the PNG bytes its owner serves, so that Tessera decodes it itself
//! within `qr`'s limits. (The clipboard plugin decodes images to RGBA first, at any size: a
//! decompression bomb on the clipboard would cost gigabytes before our checks.)
//!
//! On X11 this asks the CLIPBOARD owner for `image/png` with the selection protocol, including
//! INCR transfers for large images, reading at most `qr::MAX_FILE_BYTES`. Elsewhere (Wayland,
//! macOS, Windows) it says `NotHere`, and the caller uses the clipboard plugin.

use tessera_qr as qr;

/// Why no PNG came from the clipboard. Only the X11 reader gives more than `NotHere`.
#[derive(Debug, thiserror::Error)]
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub enum ClipboardError {
    /// Not on X11: use the clipboard plugin.
    #[error("not an X11 session")]
    NotHere,
    /// The clipboard holds no image (maybe text).
    #[error("the clipboard holds no image")]
    NoImage,
    #[error("the clipboard image is over {} MB", qr::MAX_FILE_BYTES / 1_000_000)]
    TooLarge,
    #[error("the clipboard could not be read: {0}")]
    Failed(String),
}

/// The PNG bytes of the clipboard's image.
pub fn png() -> Result<Vec<u8>, ClipboardError> {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WAYLAND_DISPLAY").is_none() && std::env::var_os("DISPLAY").is_some() {
        return x11::png();
    }
    Err(ClipboardError::NotHere)
}

#[cfg(target_os = "linux")]
mod x11 {
    use x11rb::connection::Connection;
    use x11rb::protocol::Event;
    use x11rb::protocol::xproto::{
        AtomEnum, ConnectionExt, CreateWindowAux, EventMask, Property, WindowClass,
    };
    use x11rb::{CURRENT_TIME, NONE};

    use std::time::{Duration, Instant};

    use super::{ClipboardError, qr};

    /// How long the clipboard's owner has to answer each step.
    const ANSWER_WITHIN: Duration = Duration::from_secs(3);

    fn failed(e: impl std::fmt::Display) -> ClipboardError {
        ClipboardError::Failed(e.to_string())
    }

    /// The property's length limit in 32-bit units: one more byte than we accept, to tell.
    const MAX_UNITS: u32 = (qr::MAX_FILE_BYTES / 4 + 1) as u32;

    pub fn png() -> Result<Vec<u8>, ClipboardError> {
        let (conn, screen_number) = x11rb::connect(None).map_err(failed)?;
        let root = conn
            .setup()
            .roots
            .get(screen_number)
            .ok_or_else(|| failed("no screen"))?
            .root;
        let window = conn.generate_id().map_err(failed)?;
        conn.create_window(
            x11rb::COPY_DEPTH_FROM_PARENT,
            window,
            root,
            0,
            0,
            1,
            1,
            0,
            WindowClass::INPUT_OUTPUT,
            0,
            &CreateWindowAux::new().event_mask(EventMask::PROPERTY_CHANGE),
        )
        .map_err(failed)?;
        let atom = |name: &[u8]| -> Result<u32, ClipboardError> {
            Ok(conn
                .intern_atom(false, name)
                .map_err(failed)?
                .reply()
                .map_err(failed)?
                .atom)
        };
        let (clipboard, png, incr) = (atom(b"CLIPBOARD")?, atom(b"image/png")?, atom(b"INCR")?);
        let (targets, property) = (atom(b"TARGETS")?, atom(b"TESSERA_CLIPBOARD_IMAGE")?);
        let read = |delete: bool| {
            conn.get_property(delete, window, property, AtomEnum::ANY, 0, MAX_UNITS)
                .map_err(failed)?
                .reply()
                .map_err(failed)
        };
        // Asks the owner to convert the clipboard to `target` in our property; false if it can't
        // (or there is no owner).
        let convert = |target: u32| -> Result<bool, ClipboardError> {
            conn.convert_selection(window, clipboard, target, property, CURRENT_TIME)
                .map_err(failed)?;
            conn.flush().map_err(failed)?;
            let answer = wait_for(&conn, |event| match event {
                Event::SelectionNotify(e) if e.requestor == window => Some(e.property),
                _ => None,
            })?;
            Ok(answer != NONE)
        };
        // First what the owner offers: only an image/png is asked for.
        if !convert(targets)? {
            return Err(ClipboardError::NoImage);
        }
        let offered = read(true)?;
        let offers_png = offered
            .value32()
            .is_some_and(|mut atoms| atoms.any(|a| a == png));
        if !offers_png || !convert(png)? {
            return Err(ClipboardError::NoImage);
        }
        let first = read(true)?;
        let mut bytes = if first.type_ == incr {
            // INCR: deleting the property asked for the first chunk; each chunk is a new value
            // of the property, read and deleted in turn, until an empty one.
            let mut bytes = Vec::new();
            loop {
                wait_for(&conn, |event| match event {
                    Event::PropertyNotify(e)
                        if e.window == window
                            && e.atom == property
                            && e.state == Property::NEW_VALUE =>
                    {
                        Some(())
                    }
                    _ => None,
                })?;
                let chunk = read(true)?;
                if chunk.value.is_empty() {
                    break bytes;
                }
                bytes.extend_from_slice(&chunk.value);
                if bytes.len() as u64 > qr::MAX_FILE_BYTES {
                    return Err(ClipboardError::TooLarge);
                }
            }
        } else {
            if first.bytes_after > 0 {
                return Err(ClipboardError::TooLarge);
            }
            first.value
        };
        let _ = conn.destroy_window(window);
        let _ = conn.flush();
        bytes.shrink_to_fit();
        Ok(bytes)
    }

    /// Waits for the event `pick` recognises, up to `ANSWER_WITHIN`.
    fn wait_for<C: Connection, T>(
        conn: &C,
        mut pick: impl FnMut(&Event) -> Option<T>,
    ) -> Result<T, ClipboardError> {
        let deadline = Instant::now() + ANSWER_WITHIN;
        loop {
            match conn.poll_for_event().map_err(failed)? {
                Some(event) => {
                    if let Some(found) = pick(&event) {
                        return Ok(found);
                    }
                }
                None if Instant::now() > deadline => {
                    return Err(failed("the clipboard's owner did not answer"));
                }
                None => std::thread::sleep(Duration::from_millis(2)),
            }
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    //! Against the real X clipboard (`make test` runs under Xvfb), served by xclip.

    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure is the point

    use tessera_e2e::serve_clipboard as serve;

    use super::*;

    /// One test, so that the cases don't race for the one clipboard.
    #[test]
    fn reads_the_png_xclip_serves_and_nothing_else() {
        if std::env::var_os("DISPLAY").is_none() {
            panic!("no DISPLAY: run under xvfb-run (`make test` does)");
        }
        let dir = tempfile::tempdir().unwrap();
        // A small PNG, and a large one: 4200² of noise is 17.6 MB, over what xclip sends at once
        // (16 MB here), so it comes in INCR chunks (checked once with a print).
        for (side, name) in [(64u32, "small.png"), (4200, "large.png")] {
            let mut state = 0x2545_f491_u32;
            let image = image::GrayImage::from_fn(side, side, |_, _| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                image::Luma([(state & 0xff) as u8])
            });
            let path = dir.path().join(name);
            image.save(&path).unwrap();
            serve(&path, "image/png");
            assert_eq!(png().unwrap(), std::fs::read(&path).unwrap(), "{name}");
        }
        // Text on the clipboard: no image.
        let text = dir.path().join("text.txt");
        std::fs::write(&text, "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP").unwrap();
        serve(&text, "UTF8_STRING");
        let got = png();
        assert!(matches!(got, Err(ClipboardError::NoImage)), "{got:?}");
    }
}
