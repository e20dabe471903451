//! Automatic backups from the CLI, against the real Secret Service: `backup auto`, a backup
//! after every change, the newest N kept, restoring from the newest, and a folder that can no
//! longer be written (the change still happens; the failure is reported).

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use tessera_test_support::{error_line, require_private_keyring, s, stdout, tessera_in};

const PASSPHRASE: &str = "correct horse battery staple";

fn backups(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// The automatic backups' key item, as secret-tool reads it.
fn own_key() -> Option<String> {
    tessera_test_support::keychain_lookup_in("Tessera (own keys)", "automatic-backup-key")
}

fn status(home: &Path) -> (Value, bool) {
    let out = tessera_in(home, &["backup", "status", "--json"], "");
    let json = serde_json::from_slice(&out.stdout).unwrap();
    (json, out.status.success())
}

fn turn_on(home: &Path, folder: &Path, keep: &str) -> String {
    stdout(&tessera_in(
        home,
        &[
            "backup",
            "auto",
            "--folder",
            s(folder),
            "--keep",
            keep,
            "--password-file",
            "-",
        ],
        PASSPHRASE,
    ))
}

#[test]
fn five_adds_keep_three_backups_and_the_newest_restores_all_five() {
    require_private_keyring();
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("backups");
    let said = turn_on(home.path(), &folder, "3");
    assert!(said.contains("Automatic backups on"), "{said}");
    assert_eq!(
        backups(&folder).len(),
        1,
        "the first backup is written at once"
    );
    for i in 0..5 {
        // Backups are named by the second: one change a second gives one file each.
        std::thread::sleep(Duration::from_millis(1100));
        let secret = format!("JBSWY3DPEHPK3PX{}", ["A", "B", "C", "D", "E"][i]);
        let out = tessera_in(
            home.path(),
            &["add", "--name", &format!("user-{i}"), "--secret", &secret],
            "",
        );
        stdout(&out);
        assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
    }
    let names = backups(&folder);
    assert_eq!(names.len(), 3, "{names:?}");
    for name in &names {
        assert!(name.starts_with("tessera-backup-") && name.ends_with(".tessera"));
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(folder.join(name)).unwrap().permissions(),
        );
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
    let (json, ok) = status(home.path());
    assert!(ok);
    assert_eq!(json["enabled"], true);
    assert_eq!(json["keep"], 3);
    assert_eq!(json["last_backup"]["accounts"], 5);
    assert_eq!(
        json["last_backup"]["file"],
        s(&std::fs::canonicalize(&folder)
            .unwrap()
            .join(names.last().unwrap()))
    );
    assert_eq!(json["last_failure"], Value::Null);
    // The passphrase is not in the keychain's item, nor anywhere in the vault's files.
    let stored = own_key().expect("the backups' key in the keychain");
    assert!(!stored.contains(PASSPHRASE));
    assert!(
        stored.contains("argon2id"),
        "the derived key with its parameters"
    );

    let fresh = tempfile::tempdir().unwrap();
    let newest = folder.join(names.last().unwrap());
    let out = tessera_in(
        fresh.path(),
        &["import", s(&newest), "--password-file", "-", "--json"],
        PASSPHRASE,
    );
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let added: Vec<&str> = report["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(added, ["user-0", "user-1", "user-2", "user-3", "user-4"]);

    let off = stdout(&tessera_in(home.path(), &["backup", "auto", "--off"], ""));
    assert!(off.contains("Automatic backups off"), "{off}");
    assert_eq!(status(home.path()).0["enabled"], false);
    assert_eq!(own_key(), None, "turning off deletes the key");
    assert_eq!(backups(&folder).len(), 3, "turning off deletes no backup");
}

/// The folder can no longer be written (a file now stands where it was: even root can't write
/// into that): the add succeeds, with a warning; `backup status` and `doctor` report the failure
/// until a backup succeeds again.
#[test]
fn an_unwritable_folder_fails_the_backup_not_the_change() {
    require_private_keyring();
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("backups");
    turn_on(home.path(), &folder, "10");
    std::fs::remove_dir_all(&folder).unwrap();
    std::fs::write(&folder, "not a folder").unwrap();
    let out = tessera_in(
        home.path(),
        &["add", "--name", "kept", "--secret", "JBSWY3DPEHPK3PXP"],
        "",
    );
    stdout(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the change is made, but the automatic backup after it failed"),
        "{stderr}"
    );
    let listed = stdout(&tessera_in(home.path(), &["list"], ""));
    assert!(listed.contains("kept"));
    let (json, ok) = status(home.path());
    assert!(!ok, "status exits 1 while the last backup failed");
    assert!(
        json["last_failure"]["error"]
            .as_str()
            .unwrap()
            .contains("cannot write into"),
        "{json}"
    );
    let out = tessera_in(home.path(), &["doctor", "--json"], "");
    let doctor: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_ne!(doctor["backup_failure"], Value::Null, "{doctor}");
    let out = tessera_in(home.path(), &["doctor"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("The last automatic backup failed"));
    // The folder back: the next change is backed up, and the failure is gone.
    std::fs::remove_file(&folder).unwrap();
    std::fs::create_dir(&folder).unwrap();
    stdout(&tessera_in(home.path(), &["rename", "kept", "kept-2"], ""));
    let (json, ok) = status(home.path());
    assert!(ok, "{json}");
    assert_eq!(json["last_failure"], Value::Null);
    assert_eq!(backups(&folder).len(), 1);
    // A passphrase too short turns nothing on.
    let out = tessera_in(
        home.path(),
        &[
            "backup",
            "auto",
            "--folder",
            s(&folder),
            "--password-file",
            "-",
        ],
        "short",
    );
    assert!(error_line(&out).contains("at least 8 characters"));
}

/// In Aegis's format every backup is sealed with one master key in one password slot, as Aegis
/// writes its own: each decrypts without Tessera (docs/decrypt-aegis.py, written from Aegis's
/// published format) with the passphrase, and each holds the vault as it then was. On a
/// keychain of its own: the backups' key is one item per keychain, which the other tests here
/// share.
#[test]
fn automatic_backups_in_aegis_format_share_one_key_and_decrypt_without_tessera() {
    let keyring = tessera_test_support::Keyring::started();
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str], stdin: &str| stdout(&keyring.tessera(home.path(), args, stdin));
    let folder = home.path().join("for-aegis");
    run(
        &[
            "backup",
            "auto",
            "--folder",
            s(&folder),
            "--format",
            "aegis",
            "--password-file",
            "-",
        ],
        PASSPHRASE,
    );
    std::thread::sleep(Duration::from_millis(1100));
    run(
        &["add", "--name", "one", "--secret", "JBSWY3DPEHPK3PXP"],
        "",
    );
    let names = backups(&folder);
    assert_eq!(names.len(), 2, "{names:?}");
    let mut slots = Vec::new();
    for (name, accounts) in names.iter().zip([0, 1]) {
        assert!(
            name.starts_with("aegis-backup-") && name.ends_with("-tessera.json"),
            "{name}"
        );
        let file = folder.join(name);
        let decrypted = crate::backup::decrypt("decrypt-aegis.py", &file, PASSPHRASE);
        let db: Value = serde_json::from_str(&stdout(&decrypted)).unwrap();
        assert_eq!(db["entries"].as_array().unwrap().len(), accounts, "{name}");
        let vault: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        slots.push(vault["header"]["slots"].clone());
    }
    assert_eq!(slots[0], slots[1], "one password slot, one master key");
    let status: Value = serde_json::from_str(&run(&["backup", "status", "--json"], "")).unwrap();
    assert!(status["last_failure"].is_null(), "{status}");
}
