//! A deterministic corpus of QR images for the decoder's tests and benchmark: every kind of
//! image people scan (screenshots at 1080p and 4K, dark mode, tiny and fractional modules,
//! modules of exactly 2 pixels, rotated and perspective photos, blur, small blurred codes, noisy
//! JPEG, low contrast, two codes, a logo, dense Google transfer codes on screen and in 12 MP
//! phone photos, and images without a code), with the payloads each holds.
//!
//! Each sample is generated from its own seed (set, category and number), so any one of them
//! can be made again alone, and the corpus is the same on every machine. There are three sets,
//! each with its own seeds and parameters:
//! - [`Set::Tuning`]: the reader's passes were chosen on it;
//! - [`Set::Unseen`]: smaller modules, more blur and noise, lower JPEG quality, steeper angles,
//!   other display scalings. Made after the tuning to check it; it showed misses (small blurred
//!   codes of 2-pixel modules), and the fix was chosen on it too, so it is a tuning set now;
//! - [`Set::Final`]: made after that fix and never tuned on: other seeds, more noise, lower
//!   JPEG quality, steeper angles, other scalings, blur between the two.
//!
//! `cargo run --example qr-corpus -- DIR [unseen|final]` writes a set out with the payloads
//! beside each image.

// Shared by the tests, the benchmark and the example; each uses a part.
#![allow(dead_code)]

use std::cell::Cell;
use std::io::Cursor;

use image::{GrayImage, ImageFormat, Luma, Rgb, RgbImage};
use imageproc::geometric_transformations::{Interpolation, Projection};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use qrcode::{EcLevel, QrCode};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tessera_core::{Account, Algorithm, Params, Secret, migration};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Clean,
    Tiny,
    Screenshot1080,
    Screenshot4k,
    DarkMode,
    Rotated,
    Perspective,
    Blur,
    NoisyJpeg,
    LowContrast,
    TwoCodes,
    Logo,
    Dense,
    TwoPixel,
    SmallBlur,
    PhotoDense,
    NoCode,
}

impl Category {
    pub const ALL: [Category; 17] = [
        Category::Clean,
        Category::Tiny,
        Category::Screenshot1080,
        Category::Screenshot4k,
        Category::DarkMode,
        Category::Rotated,
        Category::Perspective,
        Category::Blur,
        Category::NoisyJpeg,
        Category::LowContrast,
        Category::TwoCodes,
        Category::Logo,
        Category::Dense,
        Category::TwoPixel,
        Category::SmallBlur,
        Category::PhotoDense,
        Category::NoCode,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::Clean => "clean",
            Category::Tiny => "tiny modules",
            Category::Screenshot1080 => "1080p screenshot",
            Category::Screenshot4k => "4K screenshot",
            Category::DarkMode => "dark mode",
            Category::Rotated => "rotated",
            Category::Perspective => "perspective photo",
            Category::Blur => "blur",
            Category::NoisyJpeg => "noisy JPEG",
            Category::LowContrast => "low contrast",
            Category::TwoCodes => "two codes",
            Category::Logo => "logo",
            Category::Dense => "dense (transfer)",
            Category::TwoPixel => "2-pixel modules",
            Category::SmallBlur => "small blurred",
            Category::PhotoDense => "dense photo 12 MP",
            Category::NoCode => "no code",
        }
    }

    fn slug(self) -> String {
        self.name()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .replace("--", "-")
            .trim_matches('-')
            .to_owned()
    }
}

/// One image of the corpus and the payloads in it.
pub struct Sample {
    pub category: Category,
    /// "screenshot-4k-007.png".
    pub name: String,
    /// The encoded image file.
    pub bytes: Vec<u8>,
    /// Every payload in the image; empty for images without a code.
    pub truth: Vec<String>,
}

/// How many samples of each category the tests and the benchmark use.
pub const PER_CATEGORY: usize = 22;

/// Which corpus: the one the reader was tuned on, or one made after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Set {
    Tuning,
    Unseen,
    Final,
}

impl Set {
    pub const ALL: [Set; 3] = [Set::Tuning, Set::Unseen, Set::Final];

    pub fn name(self) -> &'static str {
        match self {
            Set::Tuning => "tuning",
            Set::Unseen => "unseen",
            Set::Final => "final",
        }
    }

    fn seed(self) -> u64 {
        match self {
            Set::Tuning => 0x7e55_e4a0_0000_0000,
            Set::Unseen => 0x5eed_2026_0000_0000,
            Set::Final => 0xf1a1_c0de_0000_0000,
        }
    }

    fn knobs(self) -> Knobs {
        match self {
            Set::Tuning => Knobs {
                module_shift: 0,
                blur_gain: 1.0,
                noise_gain: 1.0,
                quality_shift: 0,
                angle_gain: 1.0,
                scalings: [1.25, 1.5],
            },
            Set::Unseen => Knobs {
                module_shift: -1,
                blur_gain: 1.2,
                noise_gain: 1.2,
                quality_shift: -5,
                angle_gain: 1.15,
                scalings: [1.1, 1.75],
            },
            Set::Final => Knobs {
                module_shift: 0,
                blur_gain: 1.1,
                noise_gain: 1.3,
                quality_shift: -8,
                angle_gain: 1.25,
                scalings: [1.2, 1.6],
            },
        }
    }
}

/// How a set's images differ from the tuning set's.
#[derive(Debug, Clone, Copy)]
struct Knobs {
    /// Added to module sizes (never below 2 pixels).
    module_shift: i32,
    /// Blur radii are multiplied by this.
    blur_gain: f32,
    /// Noise strengths are multiplied by this.
    noise_gain: f32,
    /// Added to JPEG qualities.
    quality_shift: i32,
    /// Perspective distortion is multiplied by this.
    angle_gain: f32,
    /// The fractional display scalings screenshots are taken at.
    scalings: [f32; 2],
}

thread_local! {
    /// The knobs of the set being generated (set by [`sample_in`]).
    static KNOBS: Cell<Knobs> = Cell::new(Set::Tuning.knobs());
}

fn knobs() -> Knobs {
    KNOBS.with(Cell::get)
}

/// A module size of this set.
fn module(pixels: u32) -> u32 {
    (pixels as i32 + knobs().module_shift).max(2) as u32
}

fn blur_radius(sigma: f32) -> f32 {
    sigma * knobs().blur_gain
}

fn noise(sigma: f64) -> f64 {
    sigma * f64::from(knobs().noise_gain)
}

fn quality(q: u8) -> u8 {
    (i32::from(q) + knobs().quality_shift).clamp(20, 95) as u8
}

/// The whole tuning corpus.
pub fn corpus() -> impl Iterator<Item = Sample> {
    corpus_of(Set::Tuning)
}

/// The whole corpus of a set.
pub fn corpus_of(set: Set) -> impl Iterator<Item = Sample> {
    Category::ALL
        .into_iter()
        .flat_map(move |c| (0..PER_CATEGORY).map(move |i| sample_in(set, c, i)))
}

/// Sample `i` of a category of the tuning set.
pub fn sample(category: Category, i: usize) -> Sample {
    sample_in(Set::Tuning, category, i)
}

/// Sample `i` of a category of a set, made from its own seed.
pub fn sample_in(set: Set, category: Category, i: usize) -> Sample {
    KNOBS.with(|k| k.set(set.knobs()));
    let seed = (category as u64) << 32 | i as u64;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ set.seed());
    let (image, truth, format) = match category {
        Category::Clean => clean(&mut rng, i),
        Category::Tiny => tiny(&mut rng),
        Category::Screenshot1080 => screenshot(&mut rng, 1920, 1080, 1, false),
        Category::Screenshot4k => screenshot(&mut rng, 3840, 2160, 2, false),
        Category::DarkMode => screenshot(&mut rng, 1920, 1080, 1, true),
        Category::Rotated => rotated(&mut rng),
        Category::Perspective => perspective(&mut rng),
        Category::Blur => blur(&mut rng),
        Category::NoisyJpeg => noisy_jpeg(&mut rng),
        Category::LowContrast => low_contrast(&mut rng),
        Category::TwoCodes => two_codes(&mut rng),
        Category::Logo => logo(&mut rng),
        Category::Dense => dense(&mut rng),
        Category::TwoPixel => two_pixel(&mut rng),
        Category::SmallBlur => small_blur(&mut rng),
        Category::PhotoDense => photo_dense(&mut rng),
        Category::NoCode => no_code(&mut rng, i),
    };
    let (bytes, extension) = encode(&image, format);
    Sample {
        category,
        name: format!("{}-{i:03}.{extension}", category.slug()),
        bytes,
        truth,
    }
}

#[derive(Clone, Copy)]
enum Format {
    Png,
    Jpeg(u8),
    Bmp,
    Gif,
    WebP,
}

fn encode(image: &RgbImage, format: Format) -> (Vec<u8>, &'static str) {
    let mut bytes = Vec::new();
    let mut out = Cursor::new(&mut bytes);
    let extension = match format {
        Format::Png => {
            image.write_to(&mut out, ImageFormat::Png).unwrap();
            "png"
        }
        Format::Jpeg(quality) => {
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
                .encode_image(image)
                .unwrap();
            "jpg"
        }
        Format::Bmp => {
            image.write_to(&mut out, ImageFormat::Bmp).unwrap();
            "bmp"
        }
        Format::Gif => {
            image::DynamicImage::ImageRgb8(image.clone())
                .to_rgba8()
                .write_to(&mut out, ImageFormat::Gif)
                .unwrap();
            "gif"
        }
        Format::WebP => {
            image::DynamicImage::ImageRgb8(image.clone())
                .to_rgba8()
                .write_to(&mut out, ImageFormat::WebP)
                .unwrap();
            "webp"
        }
    };
    (bytes, extension)
}

// ----- payloads -----

const ISSUERS: &[&str] = &[
    "Amazon Web Services",
    "GitHub",
    "Google",
    "Microsoft",
    "Cloudflare",
    "Okta",
    "Stripe",
    "Zoë's Bäckerei",
    "東京銀行",
    "ACME Corp: Staging",
];

/// An otpauth URI as enrolment pages show them; some with raw UTF-8 (no percent-encoding), as
/// real generators emit.
fn random_uri(rng: &mut ChaCha8Rng) -> String {
    let issuer = ISSUERS[rng.gen_range(0..ISSUERS.len())];
    let label = match rng.gen_range(0..4) {
        0 => format!("admin@{:012}", rng.gen_range(0..1_000_000_000_000u64)),
        1 => format!("staging-tester-{:02}", rng.gen_range(0..100)),
        2 => format!("user{}@example.com", rng.gen_range(0..10_000)),
        _ => format!("jürgen+{}@例え.jp", rng.gen_range(0..100)),
    };
    let key_len = [10, 20, 32, 64][rng.gen_range(0..4)];
    let key: Vec<u8> = (0..key_len).map(|_| rng.r#gen()).collect();
    let secret = data_encoding::BASE32_NOPAD.encode(&key);
    let raw = rng.gen_bool(0.3);
    let esc = |s: &str| {
        if raw {
            s.replace(' ', "%20")
        } else {
            utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
        }
    };
    let mut uri = format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}",
        esc(issuer),
        esc(&label),
        esc(issuer)
    );
    if rng.gen_bool(0.3) {
        uri.push_str(
            [
                "&algorithm=SHA256",
                "&algorithm=SHA512&digits=8",
                "&period=60",
            ][rng.gen_range(0..3)],
        );
    }
    uri
}

/// A Google Authenticator transfer link with 8 to 14 accounts: QR version 15 and up.
fn random_transfer(rng: &mut ChaCha8Rng) -> String {
    let count = rng.gen_range(8..15);
    transfer_of(rng, count)
}

/// A Google Authenticator transfer link with `count` accounts.
fn transfer_of(rng: &mut ChaCha8Rng, count: usize) -> String {
    let accounts: Vec<Account> = (0..count)
        .map(|n| {
            let key: Vec<u8> = (0..20).map(|_| rng.r#gen()).collect();
            Account {
                issuer: ISSUERS[rng.gen_range(0..ISSUERS.len())].to_owned(),
                label: format!("user{n}@example.com"),
                secret: Secret::from_bytes(key).unwrap(),
                params: Params::totp(Algorithm::Sha1, 6, 30).unwrap(),
            }
        })
        .collect();
    migration::format(&accounts, 0, 1, rng.r#gen())
        .as_str()
        .to_owned()
}

// ----- drawing -----

/// A QR code, `module` pixels a module with a 4-module quiet zone, black on white.
fn qr(payload: &str, level: EcLevel, module: u32) -> GrayImage {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), level).unwrap();
    let width = code.width() as u32;
    let colors = code.to_colors();
    let side = (width + 8) * module;
    GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / module, y / module);
        let dark = mx >= 4
            && my >= 4
            && mx < width + 4
            && my < width + 4
            && colors[((my - 4) * width + (mx - 4)) as usize] == qrcode::Color::Dark;
        Luma([if dark { 0 } else { 255 }])
    })
}

/// The same scaled by `factor` bilinearly, as a display at 125% or 150% shows it: modules of
/// fractional size with grey edges.
fn scaled(image: &GrayImage, factor: f32) -> GrayImage {
    let w = (image.width() as f32 * factor).round() as u32;
    let h = (image.height() as f32 * factor).round() as u32;
    image::imageops::resize(image, w, h, image::imageops::FilterType::Triangle)
}

fn lerp(dark: Rgb<u8>, light: Rgb<u8>, v: u8) -> Rgb<u8> {
    let t = f32::from(v) / 255.0;
    Rgb(std::array::from_fn(|c| {
        (f32::from(dark[c]) + (f32::from(light[c]) - f32::from(dark[c])) * t).round() as u8
    }))
}

/// Pastes grey `qr` at (x, y), black drawn as `dark` and white as `light`.
fn paste(canvas: &mut RgbImage, qr: &GrayImage, x: u32, y: u32, dark: Rgb<u8>, light: Rgb<u8>) {
    for (qx, qy, p) in qr.enumerate_pixels() {
        let (cx, cy) = (x + qx, y + qy);
        if cx < canvas.width() && cy < canvas.height() {
            canvas.put_pixel(cx, cy, lerp(dark, light, p[0]));
        }
    }
}

fn rect(canvas: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, color: Rgb<u8>) {
    for cy in y..(y + h).min(canvas.height()) {
        for cx in x..(x + w).min(canvas.width()) {
            canvas.put_pixel(cx, cy, color);
        }
    }
}

/// Lines of text-like marks (glyphs of one to three strokes) filling a box: what surrounds a
/// QR code on an enrolment page.
fn text(
    canvas: &mut RgbImage,
    rng: &mut ChaCha8Rng,
    area: (u32, u32, u32, u32),
    scale: u32,
    color: Rgb<u8>,
) {
    let (x0, y0, w, h) = area;
    let line = 20 * scale;
    let glyph = 7 * scale;
    let mut y = y0;
    while y + line <= y0 + h {
        let mut x = x0;
        let end = x0 + rng.gen_range(w / 2..=w);
        while x + glyph * 3 < end {
            let letters = rng.gen_range(2..9);
            for _ in 0..letters {
                for _ in 0..rng.gen_range(1..4) {
                    if rng.gen_bool(0.5) {
                        let sx = x + rng.gen_range(0..glyph - scale);
                        let top = y + rng.gen_range(0..4 * scale);
                        rect(canvas, sx, top, scale, 10 * scale - (top - y), color);
                    } else {
                        let sy = y + rng.gen_range(2 * scale..10 * scale);
                        rect(canvas, x, sy, glyph - scale, scale, color);
                    }
                }
                x += glyph;
            }
            x += glyph;
        }
        y += line;
    }
}

fn grey(v: u8) -> Rgb<u8> {
    Rgb([v, v, v])
}

fn page(w: u32, h: u32, background: Rgb<u8>) -> RgbImage {
    RgbImage::from_pixel(w, h, background)
}

/// A QR code alone on white (`format` cycles through PNG, BMP, GIF, WebP and JPEG).
fn clean(rng: &mut ChaCha8Rng, i: usize) -> (RgbImage, Vec<String>, Format) {
    let payload = random_uri(rng);
    let code = qr(&payload, EcLevel::M, module(rng.gen_range(4..9)));
    let mut canvas = page(code.width() + 40, code.height() + 40, grey(255));
    paste(&mut canvas, &code, 20, 20, grey(0), grey(255));
    let format = [
        Format::Png,
        Format::Bmp,
        Format::Gif,
        Format::WebP,
        Format::Jpeg(90),
    ][i % 5];
    (canvas, vec![payload], format)
}

/// Modules of 2 or 3 pixels, or 2 to 3.6 after a fractional display scaling, among text.
fn tiny(rng: &mut ChaCha8Rng) -> (RgbImage, Vec<String>, Format) {
    let payload = random_uri(rng);
    let code = if rng.gen_bool(0.5) {
        qr(&payload, EcLevel::M, module(rng.gen_range(2..4)))
    } else {
        scaled(&qr(&payload, EcLevel::M, 2), rng.gen_range(1.0..1.8))
    };
    let mut canvas = page(800, 600, grey(255));
    text(&mut canvas, rng, (10, 10, 780, 580), 1, grey(40));
    let (x, y) = (
        rng.gen_range(10..790 - code.width()),
        rng.gen_range(10..590 - code.height()),
    );
    paste(&mut canvas, &code, x, y, grey(0), grey(255));
    (canvas, vec![payload], Format::Png)
}

/// A screen with a header bar, text and the code among it; sometimes at 125% or 150% display
/// scaling. Dark mode draws light modules on a dark page.
fn screenshot(
    rng: &mut ChaCha8Rng,
    w: u32,
    h: u32,
    scale: u32,
    dark: bool,
) -> (RgbImage, Vec<String>, Format) {
    let payload = random_uri(rng);
    let size = module(rng.gen_range(2..5)) * scale;
    let mut code = qr(&payload, EcLevel::M, size);
    if rng.gen_bool(0.35) {
        code = scaled(&code, knobs().scalings[rng.gen_range(0..2)]);
    }
    let (background, ink, bar) = if dark {
        (Rgb([32, 33, 36]), grey(220), Rgb([48, 50, 56]))
    } else {
        (grey(255), grey(35), Rgb([35, 47, 62]))
    };
    let mut canvas = page(w, h, background);
    rect(&mut canvas, 0, 0, w, 48 * scale, bar);
    text(
        &mut canvas,
        rng,
        (16 * scale, 14 * scale, w / 3, 24 * scale),
        scale,
        grey(230),
    );
    text(
        &mut canvas,
        rng,
        (40 * scale, 80 * scale, w - 80 * scale, h - 120 * scale),
        scale,
        ink,
    );
    let x = rng.gen_range(40 * scale..w - code.width() - 40 * scale);
    let y = rng.gen_range(60 * scale..h - code.height() - 10);
    let (qr_dark, qr_light) = if dark {
        (grey(235), background)
    } else {
        (grey(0), grey(255))
    };
    paste(&mut canvas, &code, x, y, qr_dark, qr_light);
    (canvas, vec![payload], Format::Png)
}

/// Turned by any angle, bilinear, on white.
fn rotated(rng: &mut ChaCha8Rng) -> (RgbImage, Vec<String>, Format) {
    let payload = random_uri(rng);
    let code = qr(&payload, EcLevel::M, module(rng.gen_range(4..8)));
    let side = (code.width() as f32 * 1.45) as u32;
    let mut canvas = page(side, side, grey(255));
    let offset = (side - code.width()) / 2;
    paste(&mut canvas, &code, offset, offset, grey(0), grey(255));
    let angle = rng.gen_range(5.0f32..355.0).to_radians();
    let turned = imageproc::geometric_transformations::rotate_about_center(
        &canvas,
        angle,
        Interpolation::Bilinear,
        grey(255),
    );
    (turned, vec![payload], Format::Png)
}

/// A photo of a printout: the page seen at an angle, on a desk, unevenly lit, slightly soft,
/// saved as JPEG.
fn perspective(rng: &mut ChaCha8Rng) -> (RgbImage, Vec<String>, Format) {
    let payload = random_uri(rng);
    let code = qr(&payload, EcLevel::M, module(rng.gen_range(6..10)));
    let paper = rng.gen_range(215..245);
    let mut sheet = page(code.width() + 80, code.height() + 80, grey(paper));
    paste(&mut sheet, &code, 40, 40, grey(25), grey(paper));
    let (w, h) = (sheet.width() as f32, sheet.height() as f32);
    let out = (w * 1.4) as u32;
    let tilt = 0.14 * knobs().angle_gain;
    let mut jitter = |x: f32, y: f32| {
        (
            x + w * 0.2 + rng.gen_range(-tilt..tilt) * w,
            y + h * 0.2 + rng.gen_range(-tilt..tilt) * h,
        )
    };
    let to = [
        jitter(0.0, 0.0),
        jitter(w, 0.0),
        jitter(w, h),
        jitter(0.0, h),
    ];
    let projection =
        Projection::from_control_points([(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)], to).unwrap();
    let desk = Rgb([
        rng.gen_range(60..140),
        rng.gen_range(50..110),
        rng.gen_range(40..90),
    ]);
    let mut photo = page(out, out, desk);
    imageproc::geometric_transformations::warp_into(
        &sheet,
        &projection,
        Interpolation::Bilinear,
        desk,
        &mut photo,
    );
    let (from, to_light) = (rng.gen_range(0.65..0.85), rng.gen_range(0.95..1.05));
    let size = out as f32;
    for (x, y, p) in photo.enumerate_pixels_mut() {
        let light: f32 = from + (to_light - from) * (x as f32 + y as f32) / (2.0 * size);
        for c in &mut p.0 {
            *c = (f32::from(*c) * light).clamp(0.0, 255.0) as u8;
        }
    }
    let soft = imageproc::filter::gaussian_blur_f32(&photo, blur_radius(0.7));
    let noisy = imageproc::noise::gaussian_noise(&soft, 0.0, noise(5.0), rng.r#gen());
    (noisy, vec![payload], Format::Jpeg(quality(82)))
}

/// Out of focus: Gaussian blur of up to a third of a module.
fn blur(rng: &mut ChaCha8Rng) -> (RgbImage, Vec<String>, Format) {
    let payload = random_uri(rng);
    let size = module(rng.gen_range(5..9));
    let code = qr(&payload, EcLevel::M, size);
    let mut canvas = page(code.width() + 40, code.height() + 40, grey(255));
    paste(&mut canvas, &code, 20, 20, grey(0), grey(255));
    let sigma = blur_radius(rng.gen_range(1.0..(size as f32 / 3.0).max(1.2)));
    let blurred = imageproc::filter::gaussian_blur_f32(&canvas, sigma);
    (blurred, vec![payload], Format::Png)
}

/// Sensor noise and heavy JPEG compression.
fn noisy_jpeg(rng: &mut ChaCha8Rng) -> (RgbImage, Vec<String>, Format) {
    let payload = random_uri(rng);
    let code = qr(&payload, EcLevel::M, module(rng.gen_range(4..8)));
    let mut canvas = page(code.width() + 60, code.height() + 60, grey(245));
    paste(&mut canvas, &code, 30, 30, grey(10), grey(245));
    let sigma = noise(rng.gen_range(12.0..30.0));
    let noisy = imageproc::noise::gaussian_noise(&canvas, 0.0, sigma, rng.r#gen());
    (
        noisy,
        vec![payload],
        Format::Jpeg(quality(rng.gen_range(25..55))),
    )
}

/// Grey on grey: 35 to 60 levels between modules and background.
fn low_contrast(rng: &mut ChaCha8Rng) -> (RgbImage, Vec<String>, Format) {
    let payload = random_uri(rng);
    let code = qr(&payload, EcLevel::M, module(rng.gen_range(4..7)));
    let dark = rng.gen_range(80..140);
    let light = dark + rng.gen_range(35..60);
    let mut canvas = page(code.width() + 60, code.height() + 60, grey(light));
    paste(&mut canvas, &code, 30, 30, grey(dark), grey(light));
    (canvas, vec![payload], Format::Png)
}

/// Two different codes on one page, side by side or one above the other.
fn two_codes(rng: &mut ChaCha8Rng) -> (RgbImage, Vec<String>, Format) {
    let payloads = vec![random_uri(rng), random_uri(rng)];
    let size = module(rng.gen_range(3..6));
    let a = qr(&payloads[0], EcLevel::M, size);
    let b = qr(&payloads[1], EcLevel::M, size);
    let mut canvas = page(1280, 720, grey(255));
    text(&mut canvas, rng, (20, 20, 1240, 680), 1, grey(40));
    if a.width() + b.width() + 80 <= 1280 && rng.gen_bool(0.6) {
        paste(&mut canvas, &a, 20, 100, grey(0), grey(255));
        paste(&mut canvas, &b, 1260 - b.width(), 100, grey(0), grey(255));
    } else {
        let (a, b) = (scaled(&a, 0.99), scaled(&b, 0.99));
        let side = 700 / 2 - 10;
        let (a, b) = (fit(&a, side), fit(&b, side));
        paste(&mut canvas, &a, 200, 10, grey(0), grey(255));
        paste(
            &mut canvas,
            &b,
            700,
            720 - b.height() - 10,
            grey(0),
            grey(255),
        );
    }
    (canvas, payloads, Format::Png)
}

/// Shrinks a code to fit `side` pixels, if it is larger.
fn fit(image: &GrayImage, side: u32) -> GrayImage {
    if image.width() <= side {
        image.clone()
    } else {
        scaled(image, side as f32 / image.width() as f32)
    }
}

/// A logo over the centre: a bordered square covering a fifth to a quarter of each side, with
/// error correction level H.
fn logo(rng: &mut ChaCha8Rng) -> (RgbImage, Vec<String>, Format) {
    let payload = random_uri(rng);
    let code = qr(&payload, EcLevel::H, module(rng.gen_range(5..9)));
    let mut canvas = page(code.width() + 40, code.height() + 40, grey(255));
    paste(&mut canvas, &code, 20, 20, grey(0), grey(255));
    let inner = code.width() as f32 * (1.0 - 8.0 / (code.width() as f32 / 5.0)).max(0.5);
    let side = (inner * rng.gen_range(0.18..0.24)) as u32;
    let at = 20 + (code.width() - side) / 2;
    let color = Rgb([rng.r#gen(), rng.r#gen(), rng.r#gen()]);
    rect(&mut canvas, at, at, side, side, grey(255));
    rect(
        &mut canvas,
        at + side / 8,
        at + side / 8,
        side * 3 / 4,
        side * 3 / 4,
        color,
    );
    rect(
        &mut canvas,
        at + side / 3,
        at + side / 3,
        side / 3,
        side / 3,
        grey(255),
    );
    (canvas, vec![payload], Format::Png)
}

/// A Google Authenticator transfer code of 8 to 14 accounts in a 1080p screenshot, with modules
/// of 3 or 4 pixels, or fractional after 125% scaling.
fn dense(rng: &mut ChaCha8Rng) -> (RgbImage, Vec<String>, Format) {
    let payload = random_transfer(rng);
    let mut code = qr(&payload, EcLevel::M, module(rng.gen_range(3..5)));
    if rng.gen_bool(0.35) {
        code = scaled(&qr(&payload, EcLevel::M, 3), knobs().scalings[0]);
    }
    let mut canvas = page(1920, 1080, grey(250));
    text(&mut canvas, rng, (40, 40, 1840, 1000), 1, grey(50));
    let x = rng.gen_range(40..1880 - code.width());
    let y = rng.gen_range(40..1070 - code.height());
    paste(&mut canvas, &code, x, y, grey(0), grey(255));
    (canvas, vec![payload], Format::Png)
}

/// Modules of 2 pixels (a small code, or a transfer code shown small) on a page of text, or 2
/// to 2.5 after a fractional display scaling; saved as PNG or shared as a JPEG screenshot.
fn two_pixel(rng: &mut ChaCha8Rng) -> (RgbImage, Vec<String>, Format) {
    let payload = if rng.gen_bool(0.3) {
        random_transfer(rng)
    } else {
        random_uri(rng)
    };
    let mut code = qr(&payload, EcLevel::M, 2);
    if rng.gen_bool(0.5) {
        code = scaled(&code, rng.gen_range(1.0..1.25));
    }
    let mut canvas = page(1280, 800, grey(255));
    text(&mut canvas, rng, (10, 10, 1260, 780), 1, grey(40));
    let (x, y) = (
        rng.gen_range(10..1270 - code.width()),
        rng.gen_range(10..790 - code.height()),
    );
    paste(&mut canvas, &code, x, y, grey(0), grey(255));
    let format = if rng.gen_bool(0.5) {
        Format::Png
    } else {
        Format::Jpeg(quality(rng.gen_range(70..93)))
    };
    (canvas, vec![payload], format)
}

/// A small code out of focus: modules of 2 to 4 pixels blurred by 0.3 to 0.5 of a module.
fn small_blur(rng: &mut ChaCha8Rng) -> (RgbImage, Vec<String>, Format) {
    let payload = random_uri(rng);
    let size = module(rng.gen_range(2..5));
    let code = qr(&payload, EcLevel::M, size);
    let mut canvas = page(code.width() + 40, code.height() + 40, grey(250));
    paste(&mut canvas, &code, 20, 20, grey(20), grey(250));
    let sigma = blur_radius(size as f32 * rng.gen_range(0.3..0.5));
    let blurred = imageproc::filter::gaussian_blur_f32(&canvas, sigma);
    (blurred, vec![payload], Format::Png)
}

/// A 12 MP phone photo (4000 x 3000) of a screen showing a transfer code of 10 to 16 accounts
/// (QR version 20 and up): at an angle, unevenly lit, out of focus by 0.2 to 0.4 of a module,
/// noisy, saved as JPEG.
fn photo_dense(rng: &mut ChaCha8Rng) -> (RgbImage, Vec<String>, Format) {
    let count = rng.gen_range(10..17);
    let payload = transfer_of(rng, count);
    let size = module(rng.gen_range(12..20));
    let code = qr(&payload, EcLevel::M, size);
    let light = rng.gen_range(200..240);
    let mut screen = GrayImage::from_pixel(code.width() + 120, code.height() + 120, Luma([light]));
    for (x, y, p) in code.enumerate_pixels() {
        let v = if p[0] < 128 { 30 } else { light };
        screen.put_pixel(x + 60, y + 60, Luma([v]));
    }
    let (w, h) = (screen.width() as f32, screen.height() as f32);
    let (out_w, out_h) = (4000u32, 3000u32);
    // The screen fills 40 to 80% of the frame's height, at an angle.
    let fill = rng.gen_range(0.4..0.8) * out_h as f32 / h;
    let (cx, cy) = (
        out_w as f32 / 2.0 + rng.gen_range(-300.0..300.0),
        out_h as f32 / 2.0 + rng.gen_range(-150.0..150.0),
    );
    let tilt = 0.08 * knobs().angle_gain;
    let mut corner = |x: f32, y: f32| {
        (
            cx + (x - w / 2.0) * fill + rng.gen_range(-tilt..tilt) * w * fill,
            cy + (y - h / 2.0) * fill + rng.gen_range(-tilt..tilt) * h * fill,
        )
    };
    let to = [
        corner(0.0, 0.0),
        corner(w, 0.0),
        corner(w, h),
        corner(0.0, h),
    ];
    let projection =
        Projection::from_control_points([(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)], to).unwrap();
    let room = Luma([rng.gen_range(40..90)]);
    let mut photo = GrayImage::from_pixel(out_w, out_h, room);
    imageproc::geometric_transformations::warp_into(
        &screen,
        &projection,
        Interpolation::Bilinear,
        room,
        &mut photo,
    );
    let soft = imageproc::filter::gaussian_blur_f32(
        &photo,
        blur_radius(size as f32 * fill * rng.gen_range(0.2..0.4)),
    );
    let noisy =
        imageproc::noise::gaussian_noise(&soft, 0.0, noise(rng.gen_range(5.0..10.0)), rng.r#gen());
    // Lit from one side, with the screen's blue cast.
    let (from, to_light) = (rng.gen_range(0.7..0.9), rng.gen_range(0.95..1.1));
    let tint = [rng.gen_range(0.85..0.95), rng.gen_range(0.95..1.0), 1.0f32];
    let colour = RgbImage::from_fn(out_w, out_h, |x, y| {
        let lit = from + (to_light - from) * x as f32 / out_w as f32;
        let v = f32::from(noisy.get_pixel(x, y)[0]) * lit;
        Rgb(tint.map(|t| (v * t).clamp(0.0, 255.0) as u8))
    });
    (
        colour,
        vec![payload],
        Format::Jpeg(quality(rng.gen_range(72..90))),
    )
}

/// Pages without a code: text and UI, checkerboards and grids (finder-pattern look-alikes),
/// noise, a photo-like gradient.
fn no_code(rng: &mut ChaCha8Rng, i: usize) -> (RgbImage, Vec<String>, Format) {
    let dark = i % 4 == 3;
    let (background, ink) = if dark {
        (Rgb([30, 30, 30]), grey(220))
    } else {
        (grey(255), grey(30))
    };
    let mut canvas = page(1920, 1080, background);
    rect(&mut canvas, 0, 0, 1920, 48, Rgb([35, 47, 62]));
    text(&mut canvas, rng, (40, 80, 1840, 960), 1, ink);
    match i % 3 {
        0 => {
            // Nested squares like finder patterns, without the rest of a code.
            for _ in 0..rng.gen_range(1..4) {
                let m = rng.gen_range(3..8);
                let (x, y) = (rng.gen_range(50..1800), rng.gen_range(100..950));
                rect(&mut canvas, x, y, 7 * m, 7 * m, grey(0));
                rect(&mut canvas, x + m, y + m, 5 * m, 5 * m, grey(255));
                rect(&mut canvas, x + 2 * m, y + 2 * m, 3 * m, 3 * m, grey(0));
            }
        }
        1 => {
            // A random checkerboard of modules.
            let m = rng.gen_range(3..7);
            let (x0, y0) = (rng.gen_range(50..1400), rng.gen_range(100..700));
            for my in 0..40 {
                for mx in 0..40 {
                    if rng.gen_bool(0.5) {
                        rect(&mut canvas, x0 + mx * m, y0 + my * m, m, m, grey(0));
                    }
                }
            }
        }
        _ => {
            let noisy = imageproc::noise::gaussian_noise(&canvas, 0.0, 25.0, rng.r#gen());
            return (noisy, Vec::new(), Format::Jpeg(60));
        }
    }
    (canvas, Vec::new(), Format::Png)
}

/// Decoded payloads as plain text, to compare with the ground truth.
#[allow(dead_code)] // Each user of this module takes its own part.
pub fn texts(found: Vec<tessera_core::Sensitive<String>>) -> Vec<String> {
    found.iter().map(|p| p.as_str().to_owned()).collect()
}
