//! The vault through the `tessera` command, against a real Secret Service (gnome-keyring on a
//! private D-Bus session; `make test` runs these under scripts/with-keyring.sh). Each test has its
//! own data directory; the keychain is shared, and account ids keep their items apart.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use tessera_test_support::{
    error_line, require_private_keyring, run_with, stdout, tessera_exe, tessera_in,
};

const AWS: &str = "otpauth://totp/Amazon%20Web%20Services:admin@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services";
const RFC_KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn data_home() -> tempfile::TempDir {
    require_private_keyring();
    tempfile::tempdir().unwrap()
}

/// Adds an account with the RFC test key under `name`; it must work.
fn add(home: &Path, name: &str) {
    stdout(&tessera_in(
        home,
        &["add", "--name", name, "--secret", RFC_KEY],
        "",
    ));
}

fn list_json(home: &Path) -> Vec<Value> {
    serde_json::from_str::<Vec<Value>>(&stdout(&tessera_in(home, &["list", "--json"], ""))).unwrap()
}

fn index_path(home: &Path) -> PathBuf {
    home.join("tessera/vault.json")
}

fn keychain_label(id: &str) -> String {
    let out = Command::new("secret-tool")
        .args(["search", "service", "Tessera", "username", id])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("label = "))
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn add_list_code_rename_show_remove() {
    let home = data_home();
    let home = home.path();
    assert_eq!(
        stdout(&tessera_in(
            home,
            &["add", "--name", "staging-tester-07", "--uri", "-"],
            AWS
        ))
        .trim(),
        "Added \"staging-tester-07\" (TOTP, SHA1, 6 digits, 30 s)"
    );
    stdout(&tessera_in(
        home,
        &[
            "add",
            "--secret",
            "-",
            "--issuer",
            "Corp",
            "--label",
            "bob",
            "--type",
            "hotp",
            "--counter",
            "5",
            "--digits",
            "6",
        ],
        &format!("{}\n", RFC_KEY.to_lowercase()),
    ));
    stdout(&tessera_in(
        home,
        &[
            "add", "--secret", RFC_KEY, "--type", "steam", "--issuer", "Steam",
        ],
        "",
    ));
    stdout(&tessera_in(
        home,
        &[
            "add",
            "--secret",
            RFC_KEY,
            "--algorithm",
            "SHA512",
            "--digits",
            "8",
            "--period",
            "60",
            "--label",
            "long",
        ],
        "",
    ));

    let list = list_json(home);
    let id = |i: usize| list[i]["id"].as_str().unwrap().to_owned();
    assert_eq!(list, json!([
        {"id": id(0), "name": "staging-tester-07", "issuer": "Amazon Web Services", "label": "admin@123456789012",
         "type": "totp", "algorithm": "SHA1", "digits": 6, "period": 30, "counter": null, "tags": [], "note": "", "pinned": false,
         "icon": "logos/aws"},
        {"id": id(1), "name": "Corp (bob)", "issuer": "Corp", "label": "bob",
         "type": "hotp", "algorithm": "SHA1", "digits": 6, "period": null, "counter": 5, "tags": [], "note": "", "pinned": false,
         "icon": null},
        {"id": id(2), "name": "Steam", "issuer": "Steam", "label": "",
         "type": "steam", "algorithm": "SHA1", "digits": 5, "period": 30, "counter": null, "tags": [], "note": "", "pinned": false,
         "icon": "simple-icons/steam"},
        {"id": id(3), "name": "long", "issuer": "", "label": "long",
         "type": "totp", "algorithm": "SHA512", "digits": 8, "period": 60, "counter": null, "tags": [], "note": "", "pinned": false,
         "icon": null},
    ]).as_array().unwrap().clone());
    let text = stdout(&tessera_in(home, &["list"], ""));
    assert!(
        text.starts_with("NAME ") && text.contains("\nCorp (bob) ") && text.lines().count() == 5,
        "{text}"
    );

    // The secret went to the keychain under the account's id, with a recognisable label.
    assert_eq!(
        tessera_test_support::keychain_lookup(&id(0)).as_deref(),
        Some("JBSWY3DPEHPK3PXP")
    );
    assert_eq!(keychain_label(&id(0)), "Tessera: staging-tester-07");

    // Codes: by name, prefix and id; the same as computing from the URI.
    let by_uri = stdout(&tessera_in(
        home,
        &["code", "--uri", AWS, "--at", "1700000000", "--next"],
        "",
    ));
    assert_eq!(
        stdout(&tessera_in(
            home,
            &["code", "staging-tester-07", "--at", "1700000000", "--next"],
            ""
        )),
        by_uri
    );
    assert_eq!(
        stdout(&tessera_in(
            home,
            &["code", "STAG", "--at", "1700000000", "--next"],
            ""
        )),
        by_uri
    );
    assert_eq!(
        stdout(&tessera_in(
            home,
            &["code", &id(0), "--at", "1700000000", "--next"],
            ""
        )),
        by_uri
    );
    let json: Value = serde_json::from_str(&stdout(&tessera_in(
        home,
        &["code", "staging", "--at", "1700000000", "--json"],
        "",
    )))
    .unwrap();
    let codes: Vec<&str> = by_uri.lines().collect();
    assert_eq!(
        json,
        json!({"id": id(0), "name": "staging-tester-07", "code": codes[0], "next_code": codes[1],
        "period": 30, "remaining_seconds": 10})
    );
    assert_eq!(
        stdout(&tessera_in(home, &["code", "steam", "--at", "0"], ""))
            .trim()
            .len(),
        5
    );

    // HOTP: each code taken advances the stored counter (RFC 4226 values for counters 5..8).
    assert_eq!(stdout(&tessera_in(home, &["code", "corp"], "")), "254676\n");
    assert_eq!(
        stdout(&tessera_in(home, &["code", "corp", "--next"], "")),
        "287922\n162583\n"
    );
    assert_eq!(stdout(&tessera_in(home, &["code", "corp"], "")), "399871\n");
    assert_eq!(list_json(home)[1]["counter"], 9);

    // Rename keeps everything else, and the keychain label follows.
    assert_eq!(
        stdout(&tessera_in(
            home,
            &["rename", "staging", "staging-tester-08"],
            ""
        )),
        "Renamed \"staging-tester-07\" to \"staging-tester-08\"\n"
    );
    let mut expected = list[0].clone();
    expected["name"] = json!("staging-tester-08");
    assert_eq!(list_json(home)[0], expected);
    assert_eq!(keychain_label(&id(0)), "Tessera: staging-tester-08");

    // Show reveals the key on request, as a URI another app reads back as the same account.
    let uri = stdout(&tessera_in(
        home,
        &["show", "staging-tester-08", "--uri"],
        "",
    ));
    assert_eq!(
        stdout(&tessera_in(
            home,
            &["code", "--uri", uri.trim(), "--at", "1700000000", "--next"],
            ""
        )),
        by_uri
    );
    let qr = stdout(&tessera_in(
        home,
        &["show", "staging-tester-08", "--qr"],
        "",
    ));
    assert!(
        qr.lines().count() > 20 && qr.contains('▄') && !qr.contains("JBSW"),
        "{qr}"
    );

    // Remove: confirmation needed without a terminal, then the account goes to the trash, its
    // keychain item kept; restored, it is back at its place with its codes.
    assert_eq!(
        error_line(&tessera_in(home, &["remove", "long"], "")),
        "not removing \"long\" without confirmation: add --yes"
    );
    assert_eq!(list_json(home).len(), 4);
    let long_id = id(3);
    let code_before = stdout(&tessera_in(
        home,
        &["code", "long", "--at", "1700000000"],
        "",
    ));
    assert_eq!(
        stdout(&tessera_in(home, &["remove", "long", "--yes"], "")),
        format!(
            "Moved \"long\" to the trash, its key kept for 30 days: `tessera trash restore {long_id}` brings it back\n"
        )
    );
    assert_eq!(list_json(home).len(), 3);
    assert!(tessera_test_support::keychain_lookup(&long_id).is_some());
    let trash: Vec<Value> =
        serde_json::from_str(&stdout(&tessera_in(home, &["trash", "--json"], ""))).unwrap();
    assert_eq!((trash.len(), trash[0]["name"].as_str()), (1, Some("long")));
    let (deleted, purged) = (
        trash[0]["deleted"].as_u64().unwrap(),
        trash[0]["purged_at"].as_u64().unwrap(),
    );
    assert_eq!(purged - deleted, 30 * 86_400);
    assert!(stdout(&tessera_in(home, &["trash", "list"], "")).starts_with("long\t"));
    // Other tests' items share this keyring: they are orphans here, the trashed key is not.
    let doctor: Value =
        serde_json::from_slice(&tessera_in(home, &["doctor", "--json"], "").stdout).unwrap();
    let orphans = doctor["orphan_items"].as_array().unwrap();
    assert!(
        !orphans.contains(&Value::from(long_id.as_str())),
        "a trashed key is owned"
    );
    assert!(
        !stdout(&tessera_in(
            home,
            &["export", "--format", "otpauth", "-o", "-"],
            ""
        ))
        .contains("long"),
        "exports leave the trash out"
    );
    assert!(
        stdout(&tessera_in(
            home,
            &[
                "export",
                "--format",
                "otpauth",
                "-o",
                "-",
                "--include-trash"
            ],
            ""
        ))
        .contains("long"),
        "unless asked"
    );
    assert_eq!(
        stdout(&tessera_in(home, &["trash", "restore", "long"], "")),
        "Restored \"long\"\n"
    );
    assert_eq!(
        list_json(home)[3]["id"],
        long_id.as_str(),
        "back at its place"
    );
    assert_eq!(
        stdout(&tessera_in(
            home,
            &["code", "long", "--at", "1700000000"],
            ""
        )),
        code_before
    );
    // Emptying the trash deletes the key for good.
    stdout(&tessera_in(home, &["remove", "long", "--yes"], ""));
    assert_eq!(
        error_line(&tessera_in(home, &["trash", "empty"], "")),
        "not emptying the trash without confirmation: add --yes"
    );
    assert_eq!(
        stdout(&tessera_in(home, &["trash", "empty", "--yes"], "")),
        "Deleted 1 accounts for good: their secret keys are gone from the keychain\n"
    );
    assert_eq!(tessera_test_support::keychain_lookup(&long_id), None);
    assert_eq!(
        stdout(&tessera_in(home, &["trash"], "")),
        "The trash is empty\n"
    );

    // Several at once, asked about once; a name not found removes none.
    let left = list_json(home);
    let field = |i: usize, key: &str| left[i][key].as_str().unwrap().to_owned();
    let names = [field(0, "name"), field(1, "name")];
    assert_eq!(
        error_line(&tessera_in(home, &["remove", &names[0], &names[1]], "")),
        "not removing 2 accounts without confirmation: add --yes"
    );
    assert_eq!(
        error_line(&tessera_in(
            home,
            &["remove", &names[0], &field(0, "id")],
            ""
        )),
        format!(
            "not removing {:?} without confirmation: add --yes",
            names[0]
        ),
        "one account named twice is one"
    );
    assert!(
        error_line(&tessera_in(
            home,
            &["remove", &names[0], "nobody", "--yes"],
            ""
        ))
        .contains("nobody")
    );
    assert_eq!(list_json(home).len(), 3);
    let (first, second) = (field(0, "id"), field(1, "id"));
    assert!(
        stdout(&tessera_in(
            home,
            &["remove", &names[0], &names[1], "--yes", "--purge"],
            "",
        ))
        .contains("for good")
    );
    assert_eq!(list_json(home).len(), 1);
    assert_eq!(tessera_test_support::keychain_lookup(&first), None);
    assert_eq!(tessera_test_support::keychain_lookup(&second), None);
}

#[test]
fn names_unique_and_matched_or_listed() {
    let home = data_home();
    let home = home.path();
    for name in ["staging-tester-07", "staging-tester-08", "Prod"] {
        add(home, name);
    }
    let before = fs::read(index_path(home)).unwrap();
    assert_eq!(
        error_line(&tessera_in(
            home,
            &["add", "--name", "PROD", "--secret", RFC_KEY],
            ""
        )),
        "an account named \"PROD\" already exists (names are unique, whatever their case); choose another name"
    );
    assert_eq!(
        error_line(&tessera_in(home, &["code", "staging"], "")),
        "\"staging\" matches several accounts: \"staging-tester-07\", \"staging-tester-08\"; give more of the name"
    );
    assert_eq!(
        error_line(&tessera_in(home, &["code", "tester-08"], "")),
        "no account is named \"tester-08\"; did you mean \"staging-tester-08\"?"
    );
    assert_eq!(
        error_line(&tessera_in(
            home,
            &["rename", "prod", "Staging-Tester-07"],
            ""
        )),
        "an account named \"Staging-Tester-07\" already exists (names are unique, whatever their case); choose another name"
    );
    assert_eq!(
        error_line(&tessera_in(
            home,
            &["add", "--name", " ", "--secret", RFC_KEY],
            ""
        )),
        "invalid name: a name cannot be empty"
    );
    assert_eq!(
        error_line(&tessera_in(
            home,
            &[
                "add",
                "--name",
                "x",
                "--uri",
                "otpauth://totp/x?secret=JBSWY3DPEHPK3P0P"
            ],
            ""
        )),
        "the URI's secret parameter is not a valid key: the secret key has '0' at position 15; base32 keys use only the letters A-Z and the digits 2-7 (did you mean the letter O?)"
    );
    assert_eq!(
        fs::read(index_path(home)).unwrap(),
        before,
        "failed commands change nothing"
    );
}

#[test]
fn the_key_is_in_the_keychain_and_nowhere_on_disk() {
    let home = data_home();
    // A key with a recognisable text and bytes, looked for in every file Tessera could write.
    let key = "KRSXG43FOJQSA23FPEQGM33SEB2GK43UOM";
    stdout(&tessera_in(
        home.path(),
        &["add", "--name", "disk", "--secret", "-"],
        key,
    ));
    let id = list_json(home.path())[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        tessera_test_support::keychain_lookup(&id).as_deref(),
        Some(key)
    );
    let raw = data_encoding::BASE32_NOPAD.decode(key.as_bytes()).unwrap();
    // The private keyring's own files (encrypted) are under XDG_DATA_HOME too: search there as well.
    let keyring_home = PathBuf::from(std::env::var("XDG_DATA_HOME").unwrap());
    let mut files = 0;
    for root in [home.path(), &keyring_home] {
        for path in walk(root) {
            let bytes = fs::read(&path).unwrap_or_default();
            files += 1;
            assert!(
                !contains(&bytes, key.as_bytes()) && !contains(&bytes, &raw),
                "the key is in {}",
                path.display()
            );
            assert!(
                !contains(&bytes, key.to_lowercase().as_bytes()),
                "the key is in {}",
                path.display()
            );
        }
    }
    assert!(files >= 2, "searched {files} files");
}

fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(root).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path))
        } else {
            out.push(path)
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_missing_key_stays_listed_and_says_so() {
    let home = data_home();
    let home = home.path();
    add(home, "orphan");
    let id = list_json(home)[0]["id"].as_str().unwrap().to_owned();
    assert!(
        Command::new("secret-tool")
            .args(["clear", "service", "Tessera", "username", &id])
            .status()
            .unwrap()
            .success()
    );
    assert_eq!(list_json(home).len(), 1, "still listed");
    let checked: Vec<Value> = serde_json::from_str(&stdout(&tessera_in(
        home,
        &["list", "--json", "--check"],
        "",
    )))
    .unwrap();
    assert_eq!(checked[0]["secret"], "missing");
    assert!(
        stdout(&tessera_in(home, &["list", "--check"], "")).contains("MISSING from the keychain")
    );
    assert_eq!(
        error_line(&tessera_in(home, &["code", "orphan"], "")),
        "the secret key of \"orphan\" is missing from the keychain; restore it from a backup, or remove the account and add it again"
    );
    // It can still be removed.
    stdout(&tessera_in(home, &["remove", "orphan", "--yes"], ""));
    assert!(list_json(home).is_empty());
}

/// Two processes add 50 accounts each at once. The vault starts with 2,000 accounts so that
/// each read-modify-write of the index takes long enough to overlap the other process's: without
/// the writers' lock, updates are lost (checked by removing the lock: 2,0xx accounts, not 2,100).
/// On a keyring of its own: gnome-keyring 42 once aborted (a GLib trap) under these concurrent
/// writes on the keyring every other test had filled, and took the other tests with it.
#[test]
fn two_processes_adding_50_each_end_with_100() {
    const EXISTING: usize = 2_000;
    let home = data_home();
    tessera_test_support::big_index(home.path(), EXISTING, &[]);
    let keyring = std::sync::Arc::new(tessera_test_support::Keyring::started());
    let adder = |tag: &'static str, home: PathBuf| {
        let keyring = keyring.clone();
        std::thread::spawn(move || {
            for n in 0..50 {
                let name = format!("{tag}-{n:02}");
                stdout(&keyring.tessera(
                    &home,
                    &["add", "--name", &name, "--secret", "-"],
                    RFC_KEY,
                ));
            }
        })
    };
    let a = adder("left", home.path().to_owned());
    let b = adder("right", home.path().to_owned());
    a.join().unwrap();
    b.join().unwrap();
    let list = list_json(home.path());
    assert_eq!(list.len(), EXISTING + 100);
    let added: Vec<&Value> = list
        .iter()
        .filter(|e| !e["id"].as_str().unwrap().starts_with("big"))
        .collect();
    let mut names: Vec<&str> = added.iter().map(|e| e["name"].as_str().unwrap()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 100);
    for entry in added {
        let found = keyring
            .command("secret-tool")
            .args([
                "lookup",
                "service",
                "Tessera",
                "username",
                entry["id"].as_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&found.stdout), RFC_KEY, "{entry}");
    }
}

fn temporaries(home: &Path) -> Vec<PathBuf> {
    walk(&home.join("tessera"))
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect()
}

#[test]
fn a_process_killed_mid_write_leaves_a_readable_index() {
    let home = data_home();
    let home = home.path();
    const SIZE: usize = 5_000;
    tessera_test_support::big_index(home, SIZE, &[]);
    let mut killed_mid_write = 0;
    for attempt in 0..20 {
        let mut child = Command::new(tessera_exe())
            .args([
                "add",
                "--name",
                &format!("new-{attempt}"),
                "--secret",
                RFC_KEY,
            ])
            .env("XDG_DATA_HOME", home)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill it the moment its temporary index file appears, before the rename.
        if tessera_test_support::kill_when(&mut child, Duration::from_secs(20), || {
            !temporaries(home).is_empty()
        }) {
            killed_mid_write += 1;
        }
        // The index is whole: the old one, or the new one with the account added.
        let count = list_json(home).len();
        let before = SIZE + attempt;
        assert!(
            count == before || count == before + 1,
            "attempt {attempt}: {count} accounts, {before} before"
        );
        // Keep the count predictable for the next round.
        if !list_json(home)
            .iter()
            .any(|e| e["name"] == format!("new-{attempt}"))
        {
            add(home, &format!("new-{attempt}"));
        }
        assert!(
            temporaries(home).is_empty(),
            "the next writer removes what a killed one left"
        );
        if killed_mid_write >= 3 {
            break;
        }
    }
    eprintln!("killed {killed_mid_write} writers in the middle of writing the index");
    assert!(killed_mid_write >= 1, "never caught a write in progress");
    let list = list_json(home);
    assert_eq!(list[0]["name"], "account 000000");
}

#[test]
fn no_session_bus_gives_one_clear_error_and_writes_nothing() {
    let home = data_home();
    let home = home.path();
    add(home, "kept");
    let before = fs::read(index_path(home)).unwrap();
    let no_bus = |args: &[&str]| {
        run_with(
            tessera_exe(),
            args,
            RFC_KEY,
            &[
                ("XDG_DATA_HOME", home.to_str().unwrap()),
                ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus"),
            ],
        )
    };
    let expected = "no keychain is reachable: there is no D-Bus session bus, which the Secret Service (the Linux keychain) needs. Run Tessera in a desktop session, or start one for it, for example: dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock --components=secrets < password-file; tessera ...'";
    assert_eq!(
        error_line(&no_bus(&["add", "--name", "new", "--secret", "-"])),
        expected
    );
    assert_eq!(error_line(&no_bus(&["code", "kept"])), expected);
    assert_eq!(
        error_line(&no_bus(&["remove", "kept", "--yes", "--purge"])),
        expected
    );
    assert_eq!(error_line(&no_bus(&["show", "kept", "--uri"])), expected);
    assert_eq!(fs::read(index_path(home)).unwrap(), before);
    // Listing needs no keychain.
    assert!(stdout(&no_bus(&["list"])).contains("kept"));
    // A fresh vault is not even created.
    let fresh = tempfile::tempdir().unwrap();
    let out = run_with(
        tessera_exe(),
        &["add", "--secret", RFC_KEY],
        "",
        &[
            ("XDG_DATA_HOME", fresh.path().to_str().unwrap()),
            ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus"),
        ],
    );
    assert_eq!(error_line(&out), expected);
    assert_eq!(fs::read_dir(fresh.path()).unwrap().count(), 0);
}

#[test]
fn no_secret_service_gives_one_clear_error_and_writes_nothing() {
    let home = data_home();
    // A session bus of our own with nothing on it: no Secret Service, and none to activate.
    let bus = tessera_test_support::Keyring::bare();
    let out = run_with(
        tessera_exe(),
        &["add", "--name", "x", "--secret", RFC_KEY],
        "",
        &[
            ("XDG_DATA_HOME", home.path().to_str().unwrap()),
            ("DBUS_SESSION_BUS_ADDRESS", &bus.address),
        ],
    );
    assert_eq!(
        error_line(&out),
        "no keychain is reachable: no Secret Service is running on the session bus. Start GNOME Keyring (gnome-keyring-daemon --start --components=secrets), KeePassXC with Secret Service integration, or KWallet, and try again"
    );
    assert_eq!(fs::read_dir(home.path()).unwrap().count(), 0);
}

/// A locked keychain: run in a keyring session of its own (locking the shared one would break
/// the tests running beside it), by scripts/with-keyring.sh with a private bus again.
#[test]
fn a_locked_keychain_gives_one_clear_error_and_writes_nothing() {
    let home = data_home();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/with-keyring.sh");
    let lock = "dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
        org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null";
    let inner = format!(
        "set -e; \"$T\" add --name before --secret {RFC_KEY} >/dev/null; {lock}; cp \"$XDG_DATA_HOME/tessera/vault.json\" \"$HOME_COPY\"; \
         \"$T\" add --name after --secret {RFC_KEY} || echo \"exit $?\"; \"$T\" code before || echo \"exit $?\"; \
         \"$T\" list --check || echo \"exit $?\"; \"$T\" doctor || echo \"exit $?\"; \
         \"$T\" export --format otpauth --output \"$HOME_COPY.txt\" || echo \"exit $?\"; \
         test -e \"$HOME_COPY.txt\" || echo \"no export\"; \
         cmp \"$XDG_DATA_HOME/tessera/vault.json\" \"$HOME_COPY\" && echo unchanged"
    );
    let copy = home.path().join("before.json");
    let out = Command::new(script)
        .args(["sh", "-c", &inner])
        .env_remove("TESSERA_PRIVATE_BUS")
        // Without a display gnome-keyring's unlock prompt fails at once; with one (tests under
        // Xvfb) it would open and wait for a password nobody types.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("T", tessera_exe())
        .env("HOME_COPY", &copy)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let locked = "tessera: GNOME Keyring is locked: unlock the \"Login\" keyring in Passwords and Keys (Seahorse), or log in to the desktop session again, and try again";
    assert_eq!(
        stderr.lines().filter(|l| *l == locked).count(),
        5,
        "{stderr}"
    );
    // Every key read at once finds none unlocked; the one-by-one read after it says why.
    assert_eq!(
        stdout, "exit 1\nexit 1\nexit 1\nexit 1\nexit 1\nno export\nunchanged\n",
        "{stderr}"
    );
}
