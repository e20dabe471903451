//! The CLI's error paths never print a key: bad URIs, bad keys, damaged lists, wrong
//! passphrases, unusable QR codes, run with RUST_LOG=trace and RUST_BACKTRACE=full; what they
//! print on either stream holds neither the key nor the passphrase. (Printing a key is only for
//! `show`, `scan` and plain exports, which the user asks for.)

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::process::Output;

use tessera_test_support::{require_private_keyring, run_with, tessera_exe};

const KEY: &str = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU";
const PASSPHRASE: &str = "orchid tunnel gravel 58";

fn tessera(home: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    run_with(
        tessera_exe(),
        args,
        stdin,
        &[
            ("XDG_DATA_HOME", home.to_str().unwrap()),
            ("RUST_LOG", "trace"),
            ("RUST_BACKTRACE", "full"),
        ],
    )
}

/// The run printed something (it is an error path) and no form of a secret.
#[track_caller]
fn says_no_secret(out: &Output, what: &str) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.trim().is_empty(), "{what}: printed nothing");
    for secret in [KEY, &KEY.to_lowercase(), &KEY[..16], PASSPHRASE] {
        assert!(!text.contains(secret), "{what} printed {secret:?}: {text}");
    }
}

#[test]
fn error_paths_print_no_key() {
    require_private_keyring();
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let link = |extra: &str| format!("otpauth://totp/Leak:test?secret={KEY}{extra}");
    let key_with_typo = format!("{}0{}", &KEY[..10], &KEY[11..]);
    let bad_links = [
        link("&digits=12"),
        link("&algorithm=MD5"),
        link("&period=0"),
        link(&"&p=1".repeat(10)).replace("otpauth://totp", "otpauth://yandex"),
        format!("otpauth://totp/Leak:test?secret={key_with_typo}"),
        format!("otpauth://hotp/Leak:test?secret={KEY}&counter=-1"),
    ];
    for bad in &bad_links {
        let out = tessera(h, &["add", "--name", "x", "--uri", bad], "");
        assert!(!out.status.success());
        says_no_secret(&out, "add --uri");
        let out = tessera(h, &["add", "--name", "x", "--uri", "-"], bad);
        says_no_secret(&out, "add --uri -");
        let out = tessera(h, &["code", "--uri", "-"], bad);
        says_no_secret(&out, "code --uri -");
    }
    for bad_key in [key_with_typo.as_str(), &KEY[..15], &format!("{KEY}=A")] {
        let out = tessera(h, &["add", "--name", "x", "--secret", "-"], bad_key);
        assert!(!out.status.success());
        says_no_secret(&out, "add --secret -");
    }

    // An otpauth list whose every line is bad: the reasons are listed, the keys are not.
    let list = h.join("list.txt");
    fs::write(&list, bad_links.join("\n")).unwrap();
    for args in [
        vec!["import", list.to_str().unwrap(), "--dry-run"],
        vec!["import", list.to_str().unwrap(), "--json"],
    ] {
        let out = tessera(h, &args, "");
        assert!(!out.status.success());
        says_no_secret(&out, "import of bad lines");
    }

    // A Tessera backup holding the key, read with a wrong passphrase, then damaged.
    let source = tempfile::tempdir().unwrap();
    let added = tessera(
        source.path(),
        &["add", "--name", "a", "--uri", &link("")],
        "",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let backup = h.join("backup.tessera");
    let exported = tessera(
        source.path(),
        &[
            "export",
            "--format",
            "tessera",
            "--output",
            backup.to_str().unwrap(),
            "--password-file",
            "-",
        ],
        PASSPHRASE,
    );
    assert!(exported.status.success());
    says_no_secret(&exported, "export");
    let out = tessera(
        h,
        &["import", backup.to_str().unwrap(), "--password-file", "-"],
        "wrong passphrase 1",
    );
    assert!(!out.status.success());
    says_no_secret(&out, "import with a wrong passphrase");
    let mut damaged = fs::read(&backup).unwrap();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    fs::write(&backup, &damaged).unwrap();
    let out = tessera(
        h,
        &["import", backup.to_str().unwrap(), "--password-file", "-"],
        PASSPHRASE,
    );
    assert!(!out.status.success());
    says_no_secret(&out, "import of a damaged backup");

    // A QR code whose link is unusable.
    let png = h.join("bad.png");
    tessera_test_support::qr_png(&png, &bad_links[0]);
    let out = tessera(h, &["scan", "--add", png.to_str().unwrap()], "");
    assert!(!out.status.success());
    says_no_secret(&out, "scan --add of a bad code");
    assert!(!h.join("tessera/vault.json").exists(), "nothing was added");
}
