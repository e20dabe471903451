//! A QR code of a text, drawn as SVG: for the recovery sheet and the window's details dialog.
//! Reading QR codes is the other way, and lives in its own crate (tessera-qr: zxing-cpp is C++).

use crate::sensitive::Sensitive;

/// A QR code of `text` (error correction M), black on white, as an SVG document at least
/// `min_px` wide; `None` if the text is too long for a QR code.
pub fn render(text: &str, min_px: u32) -> Option<Sensitive<String>> {
    use qrcode::render::svg::Color;
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(Sensitive::new(
        code.render::<Color<'_>>()
            .min_dimensions(min_px, min_px)
            .dark_color(Color("#000000"))
            .light_color(Color("#ffffff"))
            .build(),
    ))
}
