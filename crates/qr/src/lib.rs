//! Every QR code in an image: bytes of a PNG, JPEG, WebP, BMP or GIF in, payloads out.
//!
//! Its own crate because zxing-cpp is C++ (built from its bundled source with cmake): everything
//! that only computes codes or keeps accounts (tessera-core, tessera-vault) builds without a C++
//! toolchain. What the payloads add up to is core's `scan::Collector`; [`add_image`] feeds it.
//!
//! Images are decoded by the `image` crate within fixed limits, so a hostile file (a
//! decompression bomb, a header claiming 100,000 x 100,000 pixels, a truncated stream) is refused
//! before memory is spent on it. The grey pixels go to zxing-cpp's reader with its harder passes
//! on: inverted (dark mode), rotated, downscaled. When it finds nothing, fallback passes look
//! again ([`Pass`]): a global threshold, sharpened, enlarged 2x and sharpened (images up to
//! 1.3 MP), halved and sharpened (8 MP and up). They read what the first pass missed on the
//! corpus's hard kinds (2-pixel modules after JPEG, small blurred codes, dense transfer codes in
//! out-of-focus phone photos), and an image without a code stays within its time budget.
//!
//! zxing-cpp rather than rqrr because it reads dark mode, blur and perspective that rqrr misses,
//! in a fraction of the time; `cargo bench -p tessera-qr` compares the two per category, and
//! docs/testing.md has the figures.

use std::io::Cursor;

use image::{DynamicImage, GrayImage, ImageFormat, ImageReader};

use tessera_core::Sensitive;
use tessera_core::scan::Collector;

/// The largest image accepted, in pixels: three 4K screens side by side is 25 million.
pub const MAX_PIXELS: u64 = 64_000_000;
/// The largest image file accepted, in bytes; callers reading files stop here.
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;
/// The longest side accepted, in pixels.
pub const MAX_SIDE: u32 = 20_000;
/// The most the image decoder may allocate.
const MAX_ALLOC: u64 = 512 * 1024 * 1024;
/// Up to this many codes are read from one image.
const MAX_CODES: i32 = 32;

/// Why an image could not be read. Reading an image with no QR code in it is not an error: it
/// gives no payloads.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum QrError {
    #[error("this is not an image Tessera can read (PNG, JPEG, WebP, BMP or GIF)")]
    NotAnImage,
    #[error("the file is over {} MB, too large for an image of a QR code", MAX_FILE_BYTES / 1024 / 1024)]
    FileTooLarge,
    #[error(
        "the image is too large ({width} x {height} pixels); the limit is {MAX_SIDE} pixels a side and {} million in all",
        MAX_PIXELS / 1_000_000
    )]
    TooLarge { width: u32, height: u32 },
    #[error("the image declares a size too large to read")]
    Oversized,
    #[error("the image is damaged or incomplete ({0})")]
    Damaged(String),
    #[error("the QR reader failed: {0}")]
    Reader(String),
}

/// Decodes the image in `bytes` and reads every QR code in it, in reading order (top to
/// bottom, left to right). An image without a code gives an empty list.
pub fn decode(bytes: &[u8]) -> Result<Vec<Sensitive<String>>, QrError> {
    decode_grey(&load_grey(bytes)?)
}

/// Reads every QR code in an image file's bytes into `collector` and returns their payloads. An
/// unreadable image or one without a code is one of the collector's problems.
pub fn add_image(collector: &mut Collector, origin: &str, bytes: &[u8]) -> Vec<Sensitive<String>> {
    collector.add_decoded(origin, decode(bytes))
}

/// Decodes an image file's bytes to grey pixels, refusing anything over the limits before the
/// pixels are decoded.
pub fn load_grey(bytes: &[u8]) -> Result<GrayImage, QrError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(QrError::FileTooLarge);
    }
    let format = image::guess_format(bytes).map_err(|_| QrError::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Png
            | ImageFormat::Jpeg
            | ImageFormat::WebP
            | ImageFormat::Bmp
            | ImageFormat::Gif
    ) {
        return Err(QrError::NotAnImage);
    }
    let reader = || ImageReader::with_format(Cursor::new(bytes), format);
    let (width, height) = reader().into_dimensions().map_err(|e| match e {
        image::ImageError::Limits(_) => QrError::Oversized,
        other => QrError::Damaged(other.to_string()),
    })?;
    check_size(width, height)?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = reader();
    reader.limits(limits);
    let image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => QrError::TooLarge { width, height },
        other => QrError::Damaged(other.to_string()),
    })?;
    Ok(grey(image))
}

/// The image in grey. 8-bit colour (what screenshots and photos decode to) goes through
/// [`luma8`], in fixed point: `image`'s `into_luma8` goes through 32-bit floats and costs more
/// than decoding the PNG. The rest goes through `image`.
pub fn grey(image: DynamicImage) -> GrayImage {
    let (width, height) = (image.width(), image.height());
    let converted = match &image {
        DynamicImage::ImageLuma8(_) => return image.into_luma8(),
        DynamicImage::ImageRgb8(rgb) => luma8::<3>(rgb.as_raw()),
        DynamicImage::ImageRgba8(rgba) => luma8::<4>(rgba.as_raw()),
        _ => return image.into_luma8(),
    };
    GrayImage::from_raw(width, height, converted).unwrap_or_else(|| image.into_luma8())
}

/// Luma of 8-bit pixels of `N` channels (red, green, blue, and alpha, which is ignored), with
/// the weights `image` uses (Rec. 709: 0.2126, 0.7152, 0.0722) in 16-bit fixed point, rounded.
/// Within 1 of `image`'s float result (a unit test checks the whole colour cube).
fn luma8<const N: usize>(samples: &[u8]) -> Vec<u8> {
    samples
        .chunks_exact(N)
        .map(|p| {
            // 0.2126, 0.7152 and 0.0722 of 65,536; they add up to 65,536, so white stays 255.
            let sum = 13_933 * u32::from(p[0]) + 46_871 * u32::from(p[1]) + 4_732 * u32::from(p[2]);
            ((sum + 32_768) >> 16) as u8
        })
        .collect()
}

/// Refuses images over the limits.
pub fn check_size(width: u32, height: u32) -> Result<(), QrError> {
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(QrError::TooLarge { width, height });
    }
    Ok(())
}

/// Reads every QR code in grey pixels, payloads in reading order (top to bottom, left to right)
/// without repeats.
///
/// The passes run in order until one finds a code (see [`Pass`]): the fallbacks' cost is paid
/// by images without a code, and bounded by the image's size.
pub fn decode_grey(image: &GrayImage) -> Result<Vec<Sensitive<String>>, QrError> {
    check_size(image.width(), image.height())?;
    if image.width() == 0 || image.height() == 0 {
        return Ok(Vec::new());
    }
    for pass in Pass::ALL {
        let found = pass.read(image)?;
        if !found.is_empty() {
            return Ok(found);
        }
    }
    Ok(Vec::new())
}

/// One look at an image. zxing-cpp's own pass first; the others are fallbacks for an image
/// where it found nothing, each measured on the corpus's hard categories (`cargo run --release
/// -p tessera-qr --example qr-passes` prints which pass reads which image): each finds codes
/// the others miss.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// zxing-cpp with its local threshold and its harder passes on (inverted, rotated,
    /// downscaled).
    First,
    /// A global threshold instead of zxing-cpp's local one: 2-pixel modules after JPEG, whose
    /// local averages smear.
    GlobalThreshold,
    /// Sharpened (unsharp mask, radius 1): small codes out of focus.
    Sharpened,
    /// Twice the size, then sharpened twice (radius 2): modules of 2 pixels, blurred. Only for
    /// images up to [`UPSCALE_MAX_PIXELS`].
    Enlarged,
    /// Half the size, then sharpened: phone photos (12 MP) out of focus, whose modules are
    /// large and soft. Only for images of [`HALVE_MIN_PIXELS`] or more.
    Halved,
}

/// The largest image enlarged (1280 x 1024): enlarging costs 4x the pixels, and a larger one
/// enlarged is over the time budget of an image without a code.
const UPSCALE_MAX_PIXELS: u64 = 1280 * 1024;
/// The smallest image halved: a phone photo (8 MP and up).
const HALVE_MIN_PIXELS: u64 = 8_000_000;

impl Pass {
    /// In the order they run: the cheap fallbacks first.
    pub const ALL: [Pass; 5] = [
        Pass::First,
        Pass::GlobalThreshold,
        Pass::Sharpened,
        Pass::Enlarged,
        Pass::Halved,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Pass::First => "first",
            Pass::GlobalThreshold => "global threshold",
            Pass::Sharpened => "sharpened",
            Pass::Enlarged => "enlarged 2x",
            Pass::Halved => "halved",
        }
    }

    /// The payloads this pass reads in grey pixels, in reading order, without repeats.
    pub fn read(self, image: &GrayImage) -> Result<Vec<Sensitive<String>>, QrError> {
        use image::imageops::{FilterType, resize, unsharpen};
        use zxingcpp::Binarizer::{GlobalHistogram, LocalAverage};
        let pixels = u64::from(image.width()) * u64::from(image.height());
        let (w, h) = (image.width(), image.height());
        match self {
            Pass::First => read_codes(image, LocalAverage),
            Pass::GlobalThreshold => read_codes(image, GlobalHistogram),
            Pass::Sharpened => read_codes(&unsharpen(image, 1.0, 0), LocalAverage),
            Pass::Enlarged if pixels <= UPSCALE_MAX_PIXELS => {
                let larger = resize(image, w * 2, h * 2, FilterType::Triangle);
                read_codes(
                    &unsharpen(&unsharpen(&larger, 2.0, 0), 2.0, 0),
                    LocalAverage,
                )
            }
            Pass::Halved if pixels >= HALVE_MIN_PIXELS => {
                let smaller = resize(image, w / 2, h / 2, FilterType::Triangle);
                read_codes(&unsharpen(&smaller, 1.0, 0), LocalAverage)
            }
            Pass::Enlarged | Pass::Halved => Ok(Vec::new()),
        }
    }
}

/// One zxing-cpp pass over grey pixels with `binarizer`: payloads in reading order, no repeats.
fn read_codes(
    image: &GrayImage,
    binarizer: zxingcpp::Binarizer,
) -> Result<Vec<Sensitive<String>>, QrError> {
    let reader_error = |e: zxingcpp::Error| QrError::Reader(e.to_string());
    let view = zxingcpp::ImageView::from_slice(
        image.as_raw(),
        image.width(),
        image.height(),
        zxingcpp::ImageFormat::Lum,
    )
    .map_err(reader_error)?;
    let codes = zxingcpp::read()
        .formats([zxingcpp::BarcodeFormat::QRCode])
        .try_harder(true)
        .try_rotate(true)
        .try_invert(true)
        .try_downscale(true)
        .binarizer(binarizer)
        .text_mode(zxingcpp::TextMode::Plain)
        .max_number_of_symbols(MAX_CODES)
        .from(&view)
        .map_err(reader_error)?;
    let mut found: Vec<((i32, i32), Sensitive<String>)> = codes
        .iter()
        .filter(|code| code.is_valid())
        .map(|code| {
            let p = code.position();
            let top = p
                .top_left
                .y
                .min(p.top_right.y)
                .min(p.bottom_left.y)
                .min(p.bottom_right.y);
            let left = p
                .top_left
                .x
                .min(p.top_right.x)
                .min(p.bottom_left.x)
                .min(p.bottom_right.x);
            ((top, left), Sensitive::new(code.text()))
        })
        .collect();
    found.sort_by_key(|(at, _)| *at);
    let mut payloads: Vec<Sensitive<String>> = Vec::with_capacity(found.len());
    for (_, text) in found {
        if !payloads.contains(&text) {
            payloads.push(text);
        }
    }
    Ok(payloads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_images_and_truncated_files_are_errors() {
        assert_eq!(decode(b""), Err(QrError::NotAnImage));
        assert_eq!(
            decode(b"otpauth://totp/x?secret=AAAA"),
            Err(QrError::NotAnImage)
        );
        let mut png = Vec::new();
        image::GrayImage::new(64, 64)
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        assert!(matches!(
            decode(&png[..png.len() / 2]),
            Err(QrError::Damaged(_))
        ));
        assert_eq!(decode(&png), Ok(Vec::new()));
    }

    /// `luma8` is within 1 of `image`'s `into_luma8`, over the whole colour cube (every 3rd value
    /// of each channel, and the extremes), with and without alpha; black and white stay black
    /// and white, and grey stays the grey it was.
    #[test]
    fn grey_is_the_grey_image_makes() {
        let values: Vec<u8> = (0..=255u8).step_by(3).chain([1, 254, 255]).collect();
        let mut rgba = Vec::new();
        for &r in &values {
            for &g in &values {
                for &b in &values {
                    rgba.extend_from_slice(&[r, g, b, r ^ g]);
                }
            }
        }
        let pixels = (rgba.len() / 4) as u32;
        let rgba = image::RgbaImage::from_raw(pixels, 1, rgba).unwrap();
        let rgba = DynamicImage::ImageRgba8(rgba);
        let rgb = DynamicImage::ImageRgb8(rgba.to_rgb8());
        for image in [rgba, rgb] {
            let ours = grey(image.clone());
            let theirs = image.into_luma8();
            let (mut differ, mut most) = (0, 0);
            for (a, b) in ours.as_raw().iter().zip(theirs.as_raw()) {
                differ += usize::from(a != b);
                most = most.max(a.abs_diff(*b));
            }
            assert!(most <= 1, "{differ} pixels differ, by up to {most}");
            assert!(differ * 100 < ours.len(), "{differ} pixels differ by 1");
        }
        let greys: Vec<u8> = (0..=255).flat_map(|v| [v, v, v]).collect();
        assert_eq!(luma8::<3>(&greys), (0..=255).collect::<Vec<u8>>());
    }

    #[test]
    fn size_limits() {
        assert!(check_size(3840 * 3, 2160).is_ok());
        assert_eq!(
            check_size(20_001, 10),
            Err(QrError::TooLarge {
                width: 20_001,
                height: 10
            })
        );
        assert!(check_size(10_000, 10_000).is_err());
    }
}
