//! Tags and notes through the `tessera` command, against a real Secret Service (`make test` runs
//! these under scripts/with-keyring.sh): `add --tag`, `tag`, `note`, `list --tag`, `export --tag`,
//! the groups of an imported Aegis vault, and a bad tag that changes nothing.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::Path;

use serde_json::Value;
use tessera_test_support::{error_line, require_private_keyring, s, stdout, tessera_in};

const AWS: &str = "otpauth://totp/Amazon%20Web%20Services:tester01@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services";
const GITHUB: &str = "otpauth://totp/GitHub:octocat?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn list_json(home: &Path, args: &[&str]) -> Vec<Value> {
    let args = [&["list", "--json"][..], args].concat();
    serde_json::from_str(&stdout(&tessera_in(home, &args, ""))).unwrap()
}

fn names(list: &[Value]) -> Vec<&str> {
    list.iter().map(|e| e["name"].as_str().unwrap()).collect()
}

#[test]
fn tags_and_notes_are_set_listed_filtered_and_exported() {
    require_private_keyring();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    stdout(&tessera_in(
        home,
        &[
            "add",
            "--name",
            "tester01",
            "--uri",
            AWS,
            "--tag",
            "Test users",
            "--tag",
            "staging",
        ],
        "",
    ));
    stdout(&tessera_in(
        home,
        &["add", "--name", "github", "--uri", GITHUB],
        "",
    ));

    let list = list_json(home, &[]);
    assert_eq!(
        list[0]["tags"],
        serde_json::json!(["Test users", "staging"])
    );
    assert_eq!(list[1]["tags"], serde_json::json!([]));
    assert_eq!(
        names(&list_json(home, &["--tag", "test USERS"])),
        ["tester01"]
    );
    assert!(list_json(home, &["--tag", "staging", "--tag", "prod"]).is_empty());

    // Adding a tag twice keeps one; removing matches whatever the case.
    let out = stdout(&tessera_in(
        home,
        &[
            "tag", "github", "--add", "work", "--add", "Work", "--remove", "none",
        ],
        "",
    ));
    assert!(out.contains("tagged work"), "{out}");
    stdout(&tessera_in(
        home,
        &["tag", "tester01", "--remove", "STAGING"],
        "",
    ));
    let list = list_json(home, &[]);
    assert_eq!(list[0]["tags"], serde_json::json!(["Test users"]));
    assert_eq!(list[1]["tags"], serde_json::json!(["work"]));
    // Several accounts at once; one not found changes none.
    assert!(
        error_line(&tessera_in(
            home,
            &["tag", "github", "nobody", "--add", "x"],
            ""
        ))
        .contains("nobody")
    );
    let out = stdout(&tessera_in(
        home,
        &["tag", "github", "tester01", "--add", "both"],
        "",
    ));
    assert_eq!(
        out,
        "\"tester01\" is tagged Test users, both\n\"github\" is tagged work, both\n"
    );
    stdout(&tessera_in(
        home,
        &["tag", "tester01", "github", "--remove", "both"],
        "",
    ));
    let text = stdout(&tessera_in(home, &["list"], ""));
    assert!(text.lines().next().unwrap().contains("TAGS"), "{text}");
    assert!(text.contains("Test users"), "{text}");

    // A note from an argument and from standard input; printed back; removed by an empty one.
    stdout(&tessera_in(
        home,
        &["note", "tester01", "Reset by the IAM admin"],
        "",
    ));
    assert_eq!(
        stdout(&tessera_in(home, &["note", "tester01"], "")).trim(),
        "Reset by the IAM admin"
    );
    stdout(&tessera_in(
        home,
        &["note", "github", "-"],
        "line one\nline two\n",
    ));
    assert_eq!(list_json(home, &[])[1]["note"], "line one\nline two");
    stdout(&tessera_in(home, &["note", "github", ""], ""));
    assert_eq!(list_json(home, &[])[1]["note"], "");

    // export --tag writes only the tagged accounts, and the Tessera backup carries tags and notes.
    let file = home.join("users.txt");
    let out = tessera_in(
        home,
        &[
            "export",
            "--format",
            "otpauth",
            "--tag",
            "test users",
            "--output",
            s(&file),
        ],
        "",
    );
    assert!(out.status.success(), "{}", error_line(&out));
    let text = fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("tester01"), "{text}");

    let target = restored_from_backup(home);
    let restored = list_json(target.path(), &[]);
    assert_eq!(restored[0]["tags"], serde_json::json!(["Test users"]));
    assert_eq!(restored[0]["note"], "Reset by the IAM admin");
    assert_eq!(restored[1]["tags"], serde_json::json!(["work"]));
}

#[test]
fn a_bad_tag_or_note_is_refused_and_changes_nothing() {
    require_private_keyring();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    stdout(&tessera_in(
        home,
        &["add", "--name", "github", "--uri", GITHUB],
        "",
    ));
    let index = fs::read(home.join("tessera/vault.json")).unwrap();
    let long = "x".repeat(41);
    let huge = "n".repeat(4001);
    for args in [
        &["tag", "github", "--add", "a,b"][..],
        &["tag", "github", "--add", &long],
        &["tag", "github", "--add", "tab\there"],
        &["note", "github", &huge],
        &["add", "--name", "other", "--uri", AWS, "--tag", ""],
    ] {
        let out = tessera_in(home, args, "");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let line = error_line(&out);
        assert!(
            line.contains("tag") || line.contains("note"),
            "{args:?}: {line}"
        );
        assert_eq!(
            fs::read(home.join("tessera/vault.json")).unwrap(),
            index,
            "{args:?}"
        );
    }
    let out = tessera_in(home, &["tag", "github"], "");
    assert_eq!(out.status.code(), Some(2), "tag needs --add or --remove");
}

#[test]
fn an_aegis_vault_brings_its_groups_and_notes() {
    require_private_keyring();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures/meta/aegis_plain_v3_groups.json");
    let out = tessera_in(home, &["import", s(&fixture)], "");
    assert!(out.status.success(), "{}", error_line(&out));
    let list = list_json(home, &["--tag", "test users"]);
    assert_eq!(list.len(), 2, "{list:?}");
    assert_eq!(list[0]["tags"], serde_json::json!(["Work", "Test users"]));
    assert_eq!(list[0]["note"], "Reset by the IAM admin");
    // A group id the vault does not define is dropped, not invented.
    assert_eq!(list[1]["tags"], serde_json::json!(["Test users"]));
    assert_eq!(list_json(home, &[]).len(), 7);
}

/// A new vault restored from a Tessera backup of the one in `home`, through `export` and
/// `import`.
pub fn restored_from_backup(home: &Path) -> tempfile::TempDir {
    let backup = home.join("backup.tessera");
    let out = tessera_in(
        home,
        &[
            "export",
            "--format",
            "tessera",
            "--output",
            s(&backup),
            "--password-file",
            "-",
        ],
        "correct horse battery staple\n",
    );
    assert!(out.status.success(), "{}", error_line(&out));
    let target = tempfile::tempdir().unwrap();
    let out = tessera_in(
        target.path(),
        &["import", s(&backup), "--password-file", "-"],
        "correct horse battery staple\n",
    );
    assert!(out.status.success(), "{}", error_line(&out));
    target
}
