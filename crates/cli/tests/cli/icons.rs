//! Issuer icons through the `tessera` command, against a real Secret Service: `list --json`'s
//! `"icon"` for matched, chosen, letter and custom icons, `icon --search`, and bad choices that
//! change nothing.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::Path;

use serde_json::Value;
use tessera_test_support::{error_line, require_private_keyring, s, stdout, tessera_in};

fn icons(home: &Path) -> Vec<Value> {
    let list: Vec<Value> =
        serde_json::from_str(&stdout(&tessera_in(home, &["list", "--json"], ""))).unwrap();
    list.into_iter().map(|e| e["icon"].clone()).collect()
}

#[test]
fn icons_are_matched_chosen_and_listed() {
    require_private_keyring();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    for (name, uri) in [
        (
            "tester01",
            "otpauth://totp/Amazon%20Web%20Services:tester01@123456789012?secret=JBSWY3DPEHPK3PXP",
        ),
        (
            "github",
            "otpauth://totp/github.com%20(work):octocat?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        ),
        (
            "payroll",
            "otpauth://totp/Acme%20Payroll:alice?secret=KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
        ),
    ] {
        stdout(&tessera_in(
            home,
            &["add", "--name", name, "--uri", uri],
            "",
        ));
    }
    assert_eq!(
        icons(home),
        [
            Value::from("logos/aws"),
            "simple-icons/github".into(),
            Value::Null
        ]
    );
    let said = stdout(&tessera_in(home, &["icon", "github"], ""));
    assert!(
        said.contains("simple-icons/github (GitHub, matched from the issuer)"),
        "{said}"
    );

    // A letter where an icon matches, then the matched one again.
    stdout(&tessera_in(home, &["icon", "github", "--letter"], ""));
    assert_eq!(icons(home)[1], Value::Null);
    stdout(&tessera_in(home, &["icon", "github", "--auto"], ""));
    assert_eq!(icons(home)[1], "simple-icons/github");

    // A bundled icon found by search, and one that does not exist.
    let found = stdout(&tessera_in(home, &["icon", "--search", "gitlab"], ""));
    assert!(
        found.lines().any(|l| l == "simple-icons/gitlab\tGitLab"),
        "{found}"
    );
    stdout(&tessera_in(
        home,
        &["icon", "payroll", "--set", "simple-icons/gitlab"],
        "",
    ));
    assert_eq!(icons(home)[2], "simple-icons/gitlab");
    let out = tessera_in(
        home,
        &["icon", "payroll", "--set", "simple-icons/acme-payroll"],
        "",
    );
    assert!(
        error_line(&out).contains("tessera icon --search"),
        "{}",
        error_line(&out)
    );
    assert_eq!(icons(home)[2], "simple-icons/gitlab", "nothing changed");

    // An image of the user's own: a 256-pixel PNG is kept small; text or a GIF is refused.
    let png = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../icons/256x256.png");
    let said = stdout(&tessera_in(
        home,
        &["icon", "payroll", "--file", s(&png)],
        "",
    ));
    assert!(said.contains("its own image (image/png"), "{said}");
    assert_eq!(icons(home)[2], "custom");
    for (file, bytes) in [
        ("notes.txt", &b"not an image"[..]),
        ("anim.gif", &b"GIF89a\x01\x00\x01\x00"[..]),
    ] {
        let path = home.join(file);
        fs::write(&path, bytes).unwrap();
        let out = tessera_in(home, &["icon", "payroll", "--file", s(&path)], "");
        assert!(
            error_line(&out).contains("PNG, JPEG or SVG"),
            "{}",
            error_line(&out)
        );
    }
    assert_eq!(icons(home)[2], "custom", "nothing changed");

    // The Tessera backup carries the image.
    let target = crate::tags::restored_from_backup(home);
    assert_eq!(icons(target.path()), icons(home));
}
