//! The screen as grey pixels, for Scan screen. On X11 the root window is read directly (it spans
//! every monitor); on Wayland, where a program may not read the screen, the xdg-desktop-portal
//! screenshot is asked for (the desktop may ask the user first).

use image::GrayImage;

/// Why the screen could not be read. Only Linux reads the screen yet: elsewhere it is
/// `Unsupported`.
#[derive(Debug, thiserror::Error)]
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub enum ScreenError {
    #[error(
        "reading the screen is not supported on this system; use Open image or paste a screenshot"
    )]
    Unsupported,
    #[error("the screen could not be read: {0}")]
    Failed(String),
    #[error("the screenshot was cancelled")]
    Cancelled,
}

/// Takes the whole screen, every monitor, as grey pixels.
pub async fn capture() -> Result<GrayImage, ScreenError> {
    #[cfg(target_os = "linux")]
    {
        if std::env::var_os("WAYLAND_DISPLAY").is_some() {
            return wayland::capture().await;
        }
        if std::env::var_os("DISPLAY").is_some() {
            return tauri::async_runtime::spawn_blocking(x11::capture)
                .await
                .map_err(|e| ScreenError::Failed(e.to_string()))?;
        }
    }
    Err(ScreenError::Unsupported)
}

#[cfg(target_os = "linux")]
mod x11 {
    use image::GrayImage;
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{ConnectionExt, ImageFormat, ImageOrder};

    use super::ScreenError;

    fn failed(e: impl std::fmt::Display) -> ScreenError {
        ScreenError::Failed(e.to_string())
    }

    /// One GetImage of the root window. Handles the 24- and 32-bit true-colour screens every
    /// X server of the last twenty years gives; anything else is refused with a message.
    pub fn capture() -> Result<GrayImage, ScreenError> {
        let (conn, screen_number) = x11rb::connect(None).map_err(failed)?;
        let setup = conn.setup();
        let screen = setup
            .roots
            .get(screen_number)
            .ok_or_else(|| failed("no screen"))?;
        let (width, height) = (screen.width_in_pixels, screen.height_in_pixels);
        tessera_qr::check_size(width.into(), height.into()).map_err(failed)?;
        let reply = conn
            .get_image(ImageFormat::Z_PIXMAP, screen.root, 0, 0, width, height, !0)
            .map_err(failed)?
            .reply()
            .map_err(failed)?;
        let bits = setup
            .pixmap_formats
            .iter()
            .find(|f| f.depth == reply.depth)
            .map(|f| f.bits_per_pixel);
        let visual = screen
            .allowed_depths
            .iter()
            .flat_map(|d| &d.visuals)
            .find(|v| v.visual_id == screen.root_visual)
            .ok_or_else(|| failed("the screen's visual is unknown"))?;
        if bits != Some(32) || setup.image_byte_order != ImageOrder::LSB_FIRST {
            return Err(failed(format!(
                "unsupported pixel format (depth {}, {bits:?} bits a pixel)",
                reply.depth
            )));
        }
        let channel = |pixel: u32, mask: u32| -> u32 {
            if mask == 0 {
                return 0;
            }
            (pixel & mask) >> mask.trailing_zeros()
        };
        let (w, h) = (usize::from(width), usize::from(height));
        if reply.data.len() < w * h * 4 {
            return Err(failed("the screen image is shorter than the screen"));
        }
        let mut grey = Vec::with_capacity(w * h);
        for px in reply.data.chunks_exact(4).take(w * h) {
            let pixel = u32::from_le_bytes([px[0], px[1], px[2], px[3]]);
            let r = channel(pixel, visual.red_mask);
            let g = channel(pixel, visual.green_mask);
            let b = channel(pixel, visual.blue_mask);
            // ITU-R BT.601 luma, as image's own conversion.
            grey.push(((r * 299 + g * 587 + b * 114) / 1000).min(255) as u8);
        }
        GrayImage::from_raw(width.into(), height.into(), grey)
            .ok_or_else(|| failed("the screen image has the wrong size"))
    }
}

#[cfg(target_os = "linux")]
mod wayland {
    use ashpd::desktop::screenshot::Screenshot;
    use image::GrayImage;

    use super::ScreenError;

    /// The portal writes the screenshot to a file (often in ~/Pictures) and gives its URI. The
    /// file shows the QR code, and so the key: it is read, then deleted, whatever its pixels
    /// hold. Only that file, and only if it is a plain file.
    pub async fn capture() -> Result<GrayImage, ScreenError> {
        let response = Screenshot::request()
            .interactive(false)
            .modal(true)
            .send()
            .await
            .map_err(|e| ScreenError::Failed(e.to_string()))?
            .response()
            .map_err(|e| match e {
                ashpd::Error::Response(ashpd::desktop::ResponseError::Cancelled) => {
                    ScreenError::Cancelled
                }
                other => ScreenError::Failed(other.to_string()),
            })?;
        let path = response
            .uri()
            .to_file_path()
            .map_err(|()| ScreenError::Failed("the portal gave no file".into()))?;
        let bytes = read_then_delete(&path)?;
        tessera_qr::load_grey(&bytes).map_err(|e| ScreenError::Failed(e.to_string()))
    }

    fn read_then_delete(
        path: &std::path::Path,
    ) -> Result<tessera_core::Sensitive<Vec<u8>>, ScreenError> {
        let failed = |e: std::io::Error| ScreenError::Failed(e.to_string());
        let metadata = std::fs::symlink_metadata(path).map_err(failed)?;
        if !metadata.is_file() {
            return Err(ScreenError::Failed(
                "the portal's screenshot is not a file".into(),
            ));
        }
        let read = tessera_vault::bounded::read_file_up_to(path, tessera_qr::MAX_FILE_BYTES);
        let removed = std::fs::remove_file(path);
        let bytes = read.map_err(failed)?;
        removed.map_err(|e| {
            ScreenError::Failed(format!(
                "the screenshot {} could not be deleted: {e}",
                path.display()
            ))
        })?;
        Ok(bytes)
    }
}
