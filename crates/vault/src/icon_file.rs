//! An image file the user chose as an account's icon, made one: a PNG or JPEG is decoded
//! within bounds and stored as a 64-pixel PNG (twice the row's 32 px avatar, for HiDPI
//! screens), so a photo of any size costs a few KB in the index; an SVG is kept as it is, up to
//! [`MAX_ICON_BYTES`], and is only ever shown as an image.

use std::io::Cursor;

use image::{ImageFormat, ImageReader};
use tessera_core::meta::{CustomIcon, ImageKind, MAX_ICON_BYTES};

use crate::error::VaultError;

/// The largest image file read: icons come from logos and screenshots, not from cameras' RAW.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;
/// The longest side decoded, in pixels.
const MAX_SIDE: u32 = 8192;
/// The most the decoder may allocate: an 8192-pixel square of RGBA is 256 MiB.
const MAX_ALLOC: u64 = 300 * 1024 * 1024;
/// The stored icon's side, in pixels.
const SIDE: u32 = 64;

/// `bytes` (a file's) as an icon, or why they cannot be one.
pub fn prepare(bytes: &[u8]) -> Result<CustomIcon, VaultError> {
    let invalid = VaultError::InvalidMeta;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(invalid("an icon file can be at most 8 MiB"));
    }
    let kind =
        ImageKind::sniff(bytes).ok_or(invalid("an icon must be a PNG, JPEG or SVG image"))?;
    if kind == ImageKind::Svg {
        return CustomIcon::new(bytes.to_vec()).map_err(invalid);
    }
    let format = if kind == ImageKind::Png {
        ImageFormat::Png
    } else {
        ImageFormat::Jpeg
    };
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => {
            invalid("the icon image is too large: at most 8192 pixels a side")
        }
        _ => invalid("the icon image is damaged or incomplete"),
    })?;
    let small = image.thumbnail(SIDE, SIDE).into_rgba8();
    let mut png = Vec::new();
    small
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|_| invalid("the icon could not be encoded as PNG"))?;
    debug_assert!(
        png.len() <= MAX_ICON_BYTES,
        "64 x 64 RGBA is 16 KiB before compression"
    );
    CustomIcon::new(png).map_err(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbaImage::from_fn(width, height, |x, y| {
            image::Rgba([(x % 256) as u8, (y % 256) as u8, 90, 255])
        });
        let mut out = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_large_picture_becomes_a_small_png_of_its_shape() {
        let icon = prepare(&png(1000, 500)).unwrap();
        assert_eq!(icon.kind(), ImageKind::Png);
        let back = image::load_from_memory(icon.data()).unwrap();
        assert_eq!((back.width(), back.height()), (64, 32));
        assert!(icon.data().len() < 20_000, "{} bytes", icon.data().len());
    }

    #[test]
    fn an_svg_is_kept_as_it_is_and_bounded() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><script>alert(1)</script></svg>"#;
        assert_eq!(prepare(svg).unwrap().data(), svg);
        let mut big = b"<svg>".to_vec();
        big.resize(MAX_ICON_BYTES + 1, b' ');
        assert!(prepare(&big).is_err());
    }

    #[test]
    fn what_is_not_a_valid_image_is_refused() {
        let mut truncated = png(100, 100);
        truncated.truncate(truncated.len() / 2);
        // A PNG that declares 100,000 pixels a side in 60 bytes.
        let mut huge = png(1, 1);
        huge[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        for bad in [
            b"GIF89a....".to_vec(),
            truncated,
            huge,
            b"plain text".to_vec(),
        ] {
            assert!(prepare(&bad).is_err());
        }
    }
}
