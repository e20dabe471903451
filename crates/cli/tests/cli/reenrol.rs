//! An account enrolled again (its MFA reset: the same issuer and label, a new key), through
//! `scan --add` and `import`, with and without --replace, against a real Secret Service; and
//! `tessera doctor` on leftovers made for real (an item stored with secret-tool, a key cleared,
//! a writer killed in the middle of a replace), each in a keyring of its own.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use tessera_core::uri;
use tessera_test_support::Keyring;
use tessera_test_support::{
    big_index, qr_png_in, require_private_keyring, s, stdout, tessera_exe, tessera_in,
};

/// tester08's first enrolment, and the QR code AWS showed after an MFA reset.
const FIRST: &str = "otpauth://totp/Amazon%20Web%20Services:tester08@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services";
const AGAIN: &str = "otpauth://totp/Amazon%20Web%20Services:tester08@123456789012?secret=KRSXG5DJNZTXK3DFMFRGGZDF&issuer=Amazon%20Web%20Services";
const NAME: &str = "Amazon Web Services (tester08@123456789012)";
const OTHER: &str = "otpauth://totp/GitHub:me?secret=GEZDGNBVGY3TQOJQ&issuer=GitHub";
const AT: &str = "1700000000";

fn list(home: &Path) -> Vec<Value> {
    serde_json::from_str(&stdout(&tessera_in(home, &["list", "--json"], ""))).unwrap()
}

fn names(home: &Path) -> Vec<String> {
    list(home)
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect()
}

/// The code of `name` at a fixed moment.
fn code(home: &Path, name: &str) -> String {
    stdout(&tessera_in(home, &["code", name, "--at", AT], ""))
        .trim()
        .to_owned()
}

fn expected_code(link: &str) -> String {
    uri::parse(link).unwrap().code_at(AT.parse().unwrap())
}

#[test]
fn scan_add_keeps_both_without_replace_and_replaces_in_place_with_it() {
    require_private_keyring();
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let first = qr_png_in(home, "first.png", FIRST);
    let again = qr_png_in(home, "again.png", AGAIN);
    stdout(&tessera_in(
        home,
        &["add", "--name", "before", "--uri", OTHER],
        "",
    ));
    stdout(&tessera_in(home, &["scan", "--add", s(&first)], ""));
    stdout(&tessera_in(
        home,
        &["add", "--name", "after", "--uri", OTHER],
        "",
    ));
    let old_id = list(home)[1]["id"].as_str().unwrap().to_owned();

    // Without --replace: added beside it under a free name, and a note says --replace exists.
    let out = tessera_in(home, &["scan", "--add", s(&again)], "");
    assert_eq!(stdout(&out).lines().count(), 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("enrolled again"), "{stderr}");
    assert!(stderr.contains("--replace"), "{stderr}");
    assert_eq!(names(home), ["before", NAME, "after", &format!("{NAME} 2")]);
    stdout(&tessera_in(
        home,
        &["remove", &format!("{NAME} 2"), "--yes"],
        "",
    ));

    // With --replace: the same name and place, the new key; the old key gone from the keychain.
    let out = stdout(&tessera_in(
        home,
        &["scan", "--add", "--replace", s(&again)],
        "",
    ));
    assert!(
        out.starts_with(&format!("Replaced the key of {NAME:?}")),
        "{out}"
    );
    assert_eq!(names(home), ["before", NAME, "after"]);
    assert_eq!(code(home, NAME), expected_code(AGAIN));
    let new_id = list(home)[1]["id"].as_str().unwrap().to_owned();
    assert_ne!(new_id, old_id, "the new key is a new keychain item");
    assert!(
        tessera_test_support::keychain_lookup(&old_id).is_none(),
        "the old key is deleted"
    );
    assert!(tessera_test_support::keychain_lookup(&new_id).is_some());

    // Scanning the same code again is an exact duplicate: skipped, nothing changes.
    let out = tessera_in(home, &["scan", "--add", "--replace", s(&again)], "");
    assert!(String::from_utf8_lossy(&out.stderr).contains("already in the vault"));
    assert_eq!(names(home), ["before", NAME, "after"]);
}

#[test]
fn import_replaces_with_replace_and_reports_it_in_json() {
    require_private_keyring();
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let hotp = "otpauth://hotp/Bank:me?secret=MFRGGZDFMZTWQ2LK&counter=3&issuer=Bank";
    let hotp_again =
        "otpauth://hotp/Bank:me?secret=GEZDGNBVGY3TQOJA&counter=40&digits=8&issuer=Bank";
    stdout(&tessera_in(home, &["add", "--uri", FIRST], ""));
    stdout(&tessera_in(
        home,
        &["add", "--name", "bank", "--uri", hotp],
        "",
    ));
    let file = home.join("accounts.txt");
    fs::write(&file, format!("{AGAIN}\n{hotp_again}\n{OTHER}\n{FIRST}\n")).unwrap();

    let dry = stdout(&tessera_in(
        home,
        &["import", s(&file), "--replace", "--dry-run", "--json"],
        "",
    ));
    let dry: Value = serde_json::from_str(&dry).unwrap();
    assert_eq!(
        dry["replaced"],
        json!([{"id": "", "name": NAME}, {"id": "", "name": "bank"}])
    );
    assert_eq!(list(home).len(), 2, "a dry run changes nothing");

    let report = stdout(&tessera_in(
        home,
        &["import", s(&file), "--replace", "--json"],
        "",
    ));
    let report: Value = serde_json::from_str(&report).unwrap();
    assert_eq!(
        report["added"],
        json!([{"id": list(home)[2]["id"], "name": "GitHub (me)"}])
    );
    assert_eq!(report["replaced"][0]["name"], NAME);
    assert_eq!(report["replaced"][1]["name"], "bank");
    // The old key in the same file is planned against the vault as it was: a duplicate.
    assert_eq!(
        report["skipped_duplicates"],
        json!([{"name": format!("{NAME} 3"), "duplicate_of": NAME, "in_file": false}])
    );
    let accounts = list(home);
    let bank = accounts.iter().find(|a| a["name"] == "bank").unwrap();
    assert_eq!(bank["counter"], 40, "the counter comes from the new source");
    assert_eq!(bank["digits"], 8);
    assert_eq!(code(home, NAME), expected_code(AGAIN));

    // Without --replace, the same file adds a re-enrolment beside the old account, and says so.
    let other_home = tempfile::tempdir().unwrap();
    stdout(&tessera_in(other_home.path(), &["add", "--uri", FIRST], ""));
    fs::write(&file, format!("{AGAIN}\n")).unwrap();
    let report = stdout(&tessera_in(
        other_home.path(),
        &["import", s(&file), "--json"],
        "",
    ));
    let report: Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["replaced"], json!([]));
    assert_eq!(report["added"][0]["name"], format!("{NAME} 2"));
    assert_eq!(report["added"][0]["reenrolment_of"], NAME);
    assert_eq!(code(other_home.path(), NAME), expected_code(FIRST));
}

/// `tessera` on a keyring of the test's own, with its vault in `home`.
fn tessera_on(keyring: &Keyring, home: &Path, args: &[&str]) -> Output {
    keyring.tessera(home, args, "")
}

fn doctor(keyring: &Keyring, home: &Path, fix: bool) -> (Value, Option<i32>) {
    let mut args = vec!["doctor", "--json"];
    if fix {
        args.push("--fix");
    }
    let out = tessera_on(keyring, home, &args);
    (
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr))),
        out.status.code(),
    )
}

fn secret_tool(keyring: &Keyring, args: &[&str], stdin: &str) -> Output {
    let mut child = keyring
        .command("secret-tool")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn doctor_finds_orphans_missing_keys_and_temporaries_and_fix_removes_no_account() {
    require_private_keyring();
    let keyring = Keyring::started();
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    for (name, link) in [("kept", FIRST), ("keyless", OTHER)] {
        let out = tessera_on(&keyring, home, &["add", "--name", name, "--uri", link]);
        assert!(out.status.success(), "{out:?}");
    }
    let (clean, status) = doctor(&keyring, home, false);
    assert_eq!(status, Some(0));
    assert_eq!(
        clean,
        json!({"orphan_items": [], "missing_keys": [], "temporary_files": [], "backup_failure": null, "sync_failure": null, "fixed": false})
    );
    // An orphan, as a crash between the keychain write and the index write leaves it; a key
    // deleted behind Tessera's back; a temporary index a killed writer left.
    let stored = secret_tool(
        &keyring,
        &[
            "store",
            "--label=Tessera: lost",
            "service",
            "Tessera",
            "username",
            "0123456789abcdef",
        ],
        "JBSWY3DPEHPK3PXP",
    );
    assert!(stored.status.success(), "{stored:?}");
    let keyless = list_on(&keyring, home)[1]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cleared = secret_tool(
        &keyring,
        &["clear", "service", "Tessera", "username", &keyless],
        "",
    );
    assert!(cleared.status.success());
    let temp = home.join("tessera/.vault.json.99999.tmp");
    fs::write(&temp, "{").unwrap();

    let (found, status) = doctor(&keyring, home, false);
    assert_eq!(status, Some(1), "leftovers are worth a non-zero status");
    assert_eq!(found["orphan_items"], json!(["0123456789abcdef"]));
    assert_eq!(
        found["missing_keys"],
        json!([{"id": keyless, "name": "keyless"}])
    );
    assert_eq!(found["temporary_files"], json!([s(&temp)]));

    let (fixed, status) = doctor(&keyring, home, true);
    assert_eq!(fixed["fixed"], true);
    assert_eq!(fixed["orphan_items"], found["orphan_items"]);
    assert_eq!(
        status,
        Some(1),
        "the account without its key still needs the user"
    );
    let lookup = secret_tool(
        &keyring,
        &[
            "lookup",
            "service",
            "Tessera",
            "username",
            "0123456789abcdef",
        ],
        "",
    );
    assert!(!lookup.status.success(), "the orphan item is deleted");
    assert!(!temp.exists());
    let accounts = list_on(&keyring, home);
    assert_eq!(accounts.len(), 2, "no account is removed");
    let out = tessera_on(&keyring, home, &["code", "kept", "--at", AT]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        expected_code(FIRST)
    );

    let (after, _) = doctor(&keyring, home, false);
    assert_eq!(after["orphan_items"], json!([]));
    assert_eq!(after["missing_keys"], found["missing_keys"]);
}

fn list_on(keyring: &Keyring, home: &Path) -> Vec<Value> {
    let out = tessera_on(keyring, home, &["list", "--json"]);
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_replace_killed_half_way_leaves_the_account_whole_and_doctor_tidies_up() {
    require_private_keyring();
    let keyring = Keyring::started();
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let out = tessera_on(&keyring, home, &["add", "--uri", FIRST]);
    assert!(out.status.success(), "{out:?}");
    let original = list_on(&keyring, home)[0].clone();
    let original_id = original["id"].as_str().unwrap();
    let file = home.join("again.txt");
    fs::write(&file, format!("{AGAIN}\n")).unwrap();
    let temporaries = || {
        fs::read_dir(home.join("tessera"))
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
    };
    let mut caught = false;
    for attempt in 0..20 {
        // The account as it was, with its first key, among 5,000 others (no keys): an index
        // that takes a while to write. Anything else in the keychain is tidied away.
        big_index(home, 5_000, std::slice::from_ref(&original));
        let stored = secret_tool(
            &keyring,
            &[
                "store",
                "--label=Tessera",
                "service",
                "Tessera",
                "username",
                original_id,
            ],
            "JBSWY3DPEHPK3PXP",
        );
        assert!(stored.status.success());
        doctor(&keyring, home, true);
        let mut child = keyring
            .command(tessera_exe())
            .args(["import", s(&file), "--replace"])
            .env("XDG_DATA_HOME", home)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Killed the moment its temporary index appears: its new key is stored, the index is
        // being written, the old key not yet deleted.
        let killed =
            tessera_test_support::kill_when(&mut child, Duration::from_secs(30), temporaries);
        // Whatever the moment, the account is whole: its old key, or its new one.
        let now = list_on(&keyring, home).pop().unwrap();
        assert_eq!(now["name"], NAME);
        let out = tessera_on(&keyring, home, &["code", NAME, "--at", AT]);
        let code = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if now["id"] != original["id"] {
            assert_eq!(code, expected_code(AGAIN), "attempt {attempt}");
            continue;
        }
        assert_eq!(code, expected_code(FIRST), "attempt {attempt}");
        if !killed {
            continue;
        }
        // Killed before its index was in place: the new key it stored is an orphan, found and
        // deleted by doctor, and the account keeps working with its old key.
        let (found, _) = doctor(&keyring, home, false);
        let orphans = found["orphan_items"].as_array().unwrap();
        assert_eq!(orphans.len(), 1, "{found}");
        assert_ne!(orphans[0], original["id"]);
        doctor(&keyring, home, true);
        let (after, _) = doctor(&keyring, home, false);
        assert_eq!(after["orphan_items"], json!([]));
        assert_eq!(after["temporary_files"], json!([]));
        let out = tessera_on(&keyring, home, &["code", NAME, "--at", AT]);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            expected_code(FIRST)
        );
        eprintln!("caught a replace in the middle of writing the index at attempt {attempt}");
        caught = true;
        break;
    }
    assert!(caught, "never caught a replace in progress");
}
