//! Crafted inputs for `tessera import` and `tessera scan`, run under a 1 GiB address-space
//! limit: each must end with one clear error line and status 1, never an abort (an allocation
//! past the limit aborts the process) or a panic, and the vault must not change.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::process::Output;

use data_encoding::{BASE64, HEXLOWER};
use tessera_test_support::{require_private_keyring, tessera_capped, tessera_in};

const KEY: &str = "JBSWY3DPEHPK3PXP";

/// Checks that a run ended as a refused input should, and returns its error line.
#[track_caller]
fn refused(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "not a clean failure (a signal is an abort): {stderr}"
    );
    for sign in ["panicked", "memory allocation", "backtrace", "abort"] {
        assert!(!stderr.contains(sign), "{sign}: {stderr}");
    }
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].starts_with("tessera: "), "{stderr}");
    assert!(lines[0].len() < 400, "a clear line, not a dump: {stderr}");
    lines[0].to_owned()
}

/// A Google Authenticator transfer payload holding one account, claiming `batch_size` codes.
fn transfer_link(batch_size: i32) -> String {
    let mut otp = vec![0x0a, 10];
    otp.extend_from_slice(&[1; 10]);
    otp.extend_from_slice(&[0x12, 1, b'x']);
    let mut payload = vec![0x0a, otp.len() as u8];
    payload.extend_from_slice(&otp);
    payload.push(0x18);
    let mut n = batch_size as u32;
    while n >= 0x80 {
        payload.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    payload.push(n as u8);
    format!(
        "otpauth-migration://offline?data={}",
        BASE64.encode(&payload)
    )
}

/// An encrypted Aegis file with these password slots (n, r, p); nothing in it decrypts.
fn aegis_with_slots(slots: &[(u64, u64, u64)]) -> String {
    let zeros = |n: usize| HEXLOWER.encode(&vec![0; n]);
    let slots: Vec<String> = slots
        .iter()
        .map(|(n, r, p)| {
            format!(
                r#"{{"type":1,"uuid":"x","key":"{}","key_params":{{"nonce":"{}","tag":"{}"}},"n":{n},"r":{r},"p":{p},"salt":"{}"}}"#,
                zeros(32),
                zeros(12),
                zeros(16),
                zeros(32)
            )
        })
        .collect();
    format!(
        r#"{{"version":1,"header":{{"slots":[{}],"params":{{"nonce":"{}","tag":"{}"}}}},"db":"AAAA"}}"#,
        slots.join(","),
        zeros(12),
        zeros(16)
    )
}

struct Case {
    name: &'static str,
    file: Vec<u8>,
    /// Words the error line must have.
    says: &'static str,
}

fn import_cases() -> Vec<Case> {
    let long_uri = format!(
        "otpauth://totp/x?secret={KEY}&pad={}",
        "a".repeat(10 * 1024 * 1024)
    );
    let many_params = format!(
        "otpauth://totp/x?secret={KEY}{}",
        (0..400_000).map(|i| format!("&p{i}=1")).collect::<String>()
    );
    let few_too_many = format!(
        "otpauth://totp/x?secret={KEY}{}",
        (0..100).map(|i| format!("&p{i}=1")).collect::<String>()
    );
    let deep = |open: &str, close: &str| {
        let mut text = open.repeat(200_000);
        text.push_str(&close.repeat(200_000));
        text.into_bytes()
    };
    let mut nested_aegis = br#"{"header":{"slots":null,"params":null},"db":"#.to_vec();
    nested_aegis.extend(deep("[", "]"));
    nested_aegis.push(b'}');
    vec![
        Case {
            name: "a transfer link claiming 2^31 codes",
            file: format!("{}\n", transfer_link(i32::MAX)).into_bytes(),
            says: "at most 100 codes",
        },
        Case {
            name: "a scrypt slot with a huge r",
            file: aegis_with_slots(&[(1 << 15, 1 << 30, 1)]).into_bytes(),
            says: "scrypt parameters are out of range",
        },
        Case {
            name: "a scrypt slot with a huge p",
            file: aegis_with_slots(&[(1 << 15, 8, 1 << 31)]).into_bytes(),
            says: "scrypt parameters are out of range",
        },
        Case {
            name: "200 password slots",
            file: aegis_with_slots(&[(1 << 15, 8, 1); 200]).into_bytes(),
            says: "200 key slots",
        },
        Case {
            name: "slots that together cost too much",
            file: aegis_with_slots(&[(1 << 20, 1, 16); 8]).into_bytes(),
            says: "too much scrypt work",
        },
        Case {
            name: "a 10 MB URI",
            file: long_uri.into_bytes(),
            says: "bytes long",
        },
        Case {
            name: "a URI with 400,000 parameters",
            file: many_params.into_bytes(),
            says: "bytes long",
        },
        Case {
            name: "a URI with 100 parameters",
            file: few_too_many.into_bytes(),
            says: "more than 64 parameters",
        },
        Case {
            name: "JSON nested 200,000 deep",
            file: deep("[", "]"),
            says: "andOTP backup is damaged",
        },
        Case {
            name: "JSON objects nested 200,000 deep",
            file: deep("{\"a\":", "}"),
            says: "not a backup Tessera can read",
        },
        Case {
            name: "an Aegis vault nested 200,000 deep",
            file: nested_aegis,
            says: "Aegis backup is damaged",
        },
        Case {
            name: "20,000 empty Bitwarden items",
            file: format!(
                r#"{{"encrypted":false,"items":[{}]}}"#,
                vec!["{}"; 20_000].join(",")
            )
            .into_bytes(),
            says: "more than 10000 entries",
        },
        Case {
            name: "20,000 lines that are not URIs",
            file: format!(
                "otpauth://totp/x?secret=0\n{}",
                "otpauth://x\n".repeat(20_000)
            )
            .into_bytes(),
            says: "more than 10000 entries",
        },
    ]
}

#[test]
fn crafted_backups_are_refused_within_a_gibibyte() {
    require_private_keyring();
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("crafted");
    for case in import_cases() {
        fs::write(&file, &case.file).unwrap();
        let path = file.to_str().unwrap();
        for args in [
            vec!["import", path, "--dry-run", "--password-file", "-"],
            vec!["import", path, "--json", "--password-file", "-"],
        ] {
            let line = refused(&tessera_capped(home.path(), &args, "test\n"));
            assert!(
                line.contains(case.says),
                "{}: {line:?} should say {:?}",
                case.name,
                case.says
            );
        }
    }
    assert!(
        !home.path().join("tessera/vault.json").exists(),
        "nothing may be written"
    );
}

/// The same crafted transfer code, as a QR code in an image, and as text where a URI is read.
#[test]
fn crafted_codes_are_refused_within_a_gibibyte() {
    require_private_keyring();
    let home = tempfile::tempdir().unwrap();
    let png = home.path().join("crafted.png");
    tessera_test_support::qr_png(&png, &transfer_link(i32::MAX));
    let png = png.to_str().unwrap();
    for args in [
        vec!["scan", png],
        vec!["scan", "--add", png],
        vec!["scan", png, png],
    ] {
        let line = refused(&tessera_capped(home.path(), &args, ""));
        assert!(line.contains("at most 100 codes"), "{args:?}: {line}");
    }
    // Standard input and typed values are bounded too.
    let huge = "a".repeat(10 * 1024 * 1024);
    let line = refused(&tessera_capped(home.path(), &["code", "--uri", "-"], &huge));
    assert!(line.contains("longer than"), "{line}");
    let line = refused(&tessera_capped(
        home.path(),
        &["add", "--name", "x", "--uri", "-"],
        &transfer_link(i32::MAX),
    ));
    assert!(line.contains("export link"), "{line}");
    // An image file larger than any screenshot, and one wider than any screen.
    let big = home.path().join("big.png");
    fs::write(&big, vec![0u8; 200 * 1024 * 1024]).unwrap();
    let line = refused(&tessera_capped(
        home.path(),
        &["scan", big.to_str().unwrap()],
        "",
    ));
    assert!(
        line.contains("too large") || line.contains("over"),
        "{line}"
    );
    let declared = home.path().join("declared.png");
    image::GrayImage::new(20_001, 1).save(&declared).unwrap();
    let line = refused(&tessera_capped(
        home.path(),
        &["scan", declared.to_str().unwrap()],
        "",
    ));
    assert!(line.contains("too large"), "{line}");
    assert!(!home.path().join("tessera/vault.json").exists());
}

/// A damaged index (nested 200,000 deep) is an error, and is left as it is.
#[test]
fn a_crafted_index_is_refused_within_a_gibibyte() {
    require_private_keyring();
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("tessera");
    fs::create_dir_all(&dir).unwrap();
    let mut nested = br#"{"format":"tessera-index","version":1,"accounts":[{"id":"1","name":"a","type":"totp","algorithm":"SHA1","digits":6,"x":"#.to_vec();
    nested.extend("[".repeat(200_000).bytes());
    nested.extend("]".repeat(200_000).bytes());
    nested.extend(b"}]}");
    fs::write(dir.join("vault.json"), &nested).unwrap();
    let line = refused(&tessera_capped(home.path(), &["list"], ""));
    assert!(line.contains("damaged"), "{line}");
    assert_eq!(fs::read(dir.join("vault.json")).unwrap(), nested);
    // And the same for a file larger than any index.
    fs::write(dir.join("vault.json"), vec![b' '; 9 << 20]).unwrap();
    let line = refused(&tessera_in(home.path(), &["list"], ""));
    assert!(line.contains("larger than any index"), "{line}");
}
