//! The QR reader on real images: the generated corpus (every category of tests/corpus, with
//! ground truth), hostile files, and Google transfer codes read back from pictures.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests: a failure is the point

mod corpus;

use std::io::Cursor;

use corpus::{Category, Set};
use tessera_core::scan::Collector;
use tessera_qr::{self as qr, QrError};

// Every image of the three sets is read (the tuning set, and the unseen and final sets made
// after the tuning with other seeds and parameters); a category may miss at most one image, each
// set at most 0.5%; a payload read is always exactly right; an image without a code gives
// nothing. One test a set, so that the sets are read side by side.

#[test]
fn reads_the_tuning_set() {
    reads_the_set(Set::Tuning);
}

#[test]
fn reads_the_unseen_set() {
    reads_the_set(Set::Unseen);
}

#[test]
fn reads_the_final_set() {
    reads_the_set(Set::Final);
}

#[test]
fn every_set_is_read_by_a_test() {
    assert_eq!(Set::ALL, [Set::Tuning, Set::Unseen, Set::Final]);
}

fn reads_the_set(set: Set) {
    let mut failures = Vec::new();
    let mut total = 0;
    let mut read = 0;
    for category in Category::ALL {
        let mut ok = 0;
        for i in 0..corpus::PER_CATEGORY {
            let sample = corpus::sample_in(set, category, i);
            let mut found = corpus::texts(
                qr::decode(&sample.bytes).unwrap_or_else(|e| panic!("{}: {e}", sample.name)),
            );
            found.sort();
            let mut truth = sample.truth.clone();
            truth.sort();
            for payload in &found {
                assert!(
                    truth.contains(payload),
                    "{} ({}): read a payload that is not in the image: {payload:?}",
                    sample.name,
                    set.name()
                );
            }
            if found == truth {
                ok += 1;
            } else {
                failures.push(sample.name.clone());
            }
        }
        println!(
            "{:<8} {:<20} {ok:>3}/{}",
            set.name(),
            category.name(),
            corpus::PER_CATEGORY
        );
        assert!(
            ok + 1 >= corpus::PER_CATEGORY,
            "{} ({}): only {ok} of {} read; missed {failures:?}",
            category.name(),
            set.name(),
            corpus::PER_CATEGORY
        );
        if category == Category::NoCode {
            assert_eq!(
                ok,
                corpus::PER_CATEGORY,
                "a code was read where there is none"
            );
        }
        total += corpus::PER_CATEGORY;
        read += ok;
    }
    println!("{}: {read}/{total}; missed {failures:?}", set.name());
    assert!(
        read * 1000 >= total * 995,
        "{}: {read} of {total} read; missed {failures:?}",
        set.name()
    );
}

/// A decoded transfer code gives its accounts; the corpus's dense codes carry 8 to 14.
#[test]
fn transfer_codes_in_pictures_give_their_accounts() {
    for i in 0..3 {
        let sample = corpus::sample(Category::Dense, i);
        let mut collector = Collector::default();
        for payload in qr::decode(&sample.bytes).unwrap() {
            collector.add(&sample.name, &payload);
        }
        let collected = collector.finish();
        assert!(collected.problems.is_empty(), "{:?}", collected.problems);
        assert!((8..15).contains(&collected.accounts.len()));
    }
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::GrayImage::from_pixel(width, height, image::Luma([255]))
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

/// CRC-32 (ISO-HDLC), to forge PNG headers.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A small PNG whose header claims `width` x `height`.
fn forged_png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(16, 16);
    // Signature (8), IHDR length (4), "IHDR" (4), then width and height; the CRC covers the
    // type and the 13 data bytes.
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

#[test]
fn hostile_images_are_refused_before_they_are_decoded() {
    // Headers claiming a huge image, in a file of a few hundred bytes: refused on the header.
    for (w, h) in [(100_000, 100_000), (20_001, 1), (10_000, 10_000)] {
        let bomb = forged_png(w, h);
        assert!(bomb.len() < 200);
        assert_eq!(
            qr::decode(&bomb),
            Err(QrError::TooLarge {
                width: w,
                height: h
            })
        );
    }
    assert_eq!(
        qr::decode(&forged_png(u32::MAX, u32::MAX)),
        Err(QrError::Oversized)
    );
    // A real decompression bomb: 9000 x 9000 white pixels (81 MP) in 400 KB of PNG.
    let bomb = png(9000, 9000);
    assert!(bomb.len() < 500_000, "{}", bomb.len());
    assert!(matches!(qr::decode(&bomb), Err(QrError::TooLarge { .. })));
    // A header within the limits over data that ends early.
    let liar = forged_png(4000, 4000);
    assert!(matches!(qr::decode(&liar), Err(QrError::Damaged(_))));
}

#[test]
fn damaged_and_non_image_files_are_clear_errors() {
    let sample = corpus::sample(Category::Clean, 0);
    for cut in [8, 40, sample.bytes.len() / 2, sample.bytes.len() - 13] {
        let err = qr::decode(&sample.bytes[..cut]).unwrap_err();
        assert!(matches!(err, QrError::Damaged(_)), "cut at {cut}: {err:?}");
    }
    let mut flipped = sample.bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0xff;
    assert!(qr::decode(&flipped).is_err() || qr::decode(&flipped).unwrap().len() <= 1);
    for junk in [
        &b"%PDF-1.7 not an image"[..],
        b"\x00\x01\x02",
        b"otpauth://totp/a?secret=AAAAAAAAAAAAAAAA",
    ] {
        assert_eq!(qr::decode(junk), Err(QrError::NotAnImage));
    }
    // A format the image library knows but Tessera does not take (TIFF).
    assert_eq!(
        qr::decode(b"II*\x00\x08\x00\x00\x00"),
        Err(QrError::NotAnImage)
    );
    assert_eq!(
        QrError::TooLarge {
            width: 1,
            height: 2
        }
        .to_string(),
        "the image is too large (1 x 2 pixels); the limit is 20000 pixels a side and 64 million in all"
    );
}

/// Every image format Tessera accepts is read: the clean category cycles through them.
#[test]
fn reads_png_bmp_gif_webp_and_jpeg() {
    for i in 0..5 {
        let sample = corpus::sample(Category::Clean, i);
        assert_eq!(
            corpus::texts(qr::decode(&sample.bytes).unwrap()),
            sample.truth,
            "{}",
            sample.name
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    /// Random bytes after each format's signature never panic.
    #[test]
    fn arbitrary_bytes_never_panic(
        magic in 0usize..5,
        tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2000),
    ) {
        let signatures: [&[u8]; 5] = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"RIFF\x00\x00\x00\x00WEBP", b"BM", b"GIF89a"];
        let mut bytes = signatures[magic].to_vec();
        bytes.extend_from_slice(&tail);
        let _ = qr::decode(&bytes);
    }
}
