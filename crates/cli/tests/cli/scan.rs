//! `tessera scan` on real PNG files, with --add against a real Secret Service (`make test` runs
//! these under scripts/with-keyring.sh).

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::json;
use tessera_core::{Account, migration, uri};
use tessera_test_support::{error_line, qr_png_in, require_private_keyring, s, stdout, tessera_in};

const AWS: &str = "otpauth://totp/Amazon%20Web%20Services:admin@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services";

fn setup() -> (tempfile::TempDir, PathBuf) {
    require_private_keyring();
    let home = tempfile::tempdir().unwrap();
    let images = home.path().join("images");
    fs::create_dir_all(&images).unwrap();
    (home, images)
}

fn index(home: &Path) -> Option<Vec<u8>> {
    fs::read(home.join("tessera/vault.json")).ok()
}

#[test]
fn prints_the_accounts_and_the_payloads() {
    let (home, images) = setup();
    let shot = qr_png_in(&images, "aws.png", AWS);
    let out = stdout(&tessera_in(home.path(), &["scan", s(&shot)], ""));
    let expected = uri::format(&uri::parse(AWS).unwrap());
    assert_eq!(out, format!("{}\n", expected.as_str()));
    let json = stdout(&tessera_in(home.path(), &["scan", "--json", s(&shot)], ""));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json).unwrap(),
        json!([{"file": s(&shot), "payload": AWS}])
    );
    // From standard input.
    let piped = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(["scan", "-"])
        .env("XDG_DATA_HOME", home.path())
        .stdin(Stdio::from(fs::File::open(&shot).unwrap()))
        .output()
        .unwrap();
    assert_eq!(stdout(&piped), format!("{}\n", expected.as_str()));
    assert_eq!(index(home.path()), None, "scanning alone writes nothing");
}

#[test]
fn add_with_a_name_then_codes_and_duplicates_skipped() {
    let (home, images) = setup();
    let shot = qr_png_in(&images, "aws.png", AWS);
    let out = stdout(&tessera_in(
        home.path(),
        &["scan", "--add", "--name", "staging-tester-07", s(&shot)],
        "",
    ));
    assert!(out.starts_with("Added \"staging-tester-07\""), "{out}");
    let code = stdout(&tessera_in(
        home.path(),
        &["code", "staging-tester-07", "--at", "59"],
        "",
    ));
    assert_eq!(code.trim(), uri::parse(AWS).unwrap().code_at(59));
    // The same QR code again: a duplicate, skipped, nothing changes.
    let before = index(home.path());
    let again = tessera_in(home.path(), &["scan", "--add", s(&shot)], "");
    assert!(again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr)
            .contains("already in the vault as \"staging-tester-07\""),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(index(home.path()), before);
}

#[test]
fn a_transfer_export_needs_all_its_codes() {
    let (home, images) = setup();
    let accounts: Vec<Account> = (0..5)
        .map(|n| {
            let mut a = uri::parse(AWS).unwrap();
            a.label = format!("user{n}");
            a.secret = tessera_core::Secret::from_bytes(vec![n + 1; 20]).unwrap();
            a
        })
        .collect();
    let first = qr_png_in(
        &images,
        "export-1.png",
        &migration::format(&accounts[..3], 0, 2, 77),
    );
    let second = qr_png_in(
        &images,
        "export-2.png",
        &migration::format(&accounts[3..], 1, 2, 77),
    );
    let out = tessera_in(home.path(), &["scan", "--add", s(&first)], "");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("code 2 of 2 was not scanned"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(index(home.path()), None, "nothing added");
    stdout(&tessera_in(
        home.path(),
        &["scan", "--add", s(&second), s(&first)],
        "",
    ));
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&tessera_in(home.path(), &["list", "--json"], ""))).unwrap();
    let names: Vec<&str> = list.iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        (0..5)
            .map(|n| format!("Amazon Web Services (user{n})"))
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_bad_image_adds_nothing() {
    let (home, images) = setup();
    let good = qr_png_in(&images, "good.png", AWS);
    let text = images.join("notes.png");
    fs::write(&text, "not an image").unwrap();
    let blank = images.join("blank.png");
    let mut bytes = Vec::new();
    image::GrayImage::from_pixel(200, 200, image::Luma([255]))
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    fs::write(&blank, bytes).unwrap();
    for (bad, message) in [
        (&text, "notes.png: this is not an image Tessera can read"),
        (&blank, "blank.png: no QR code found"),
    ] {
        let out = tessera_in(home.path(), &["scan", "--add", s(&good), s(bad)], "");
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{stderr}");
        assert!(stderr.contains("tessera: nothing added"), "{stderr}");
        assert_eq!(index(home.path()), None);
    }
    let missing = tessera_in(home.path(), &["scan", "/nonexistent.png"], "");
    assert_eq!(
        error_line(&missing),
        "/nonexistent.png: cannot read the file: No such file or directory (os error 2)"
    );
    // --name with two accounts is refused.
    let other = qr_png_in(
        &images,
        "other.png",
        &AWS.replace("JBSWY3DPEHPK3PXP", "GEZDGNBVGY3TQOJQ"),
    );
    let out = tessera_in(
        home.path(),
        &["scan", "--add", "--name", "x", s(&good), s(&other)],
        "",
    );
    assert!(error_line(&out).contains("--name names one account, and the images hold 2"));
    assert_eq!(index(home.path()), None);
}
