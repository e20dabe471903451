//! Sync between devices, each with its own home, session bus and gnome-keyring, sharing one
//! plain folder: adds, renames and removes reach the others (codes checked against oathtool),
//! concurrent edits converge, HOTP counters never go back, a wrong pairing secret and a changed
//! file are refused, conflict copies are merged and removed, a copied home becomes a device of
//! its own, and no key is in the folder in any form.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use data_encoding::{BASE32_NOPAD, HEXLOWER};
use serde_json::Value;
use tessera_test_support::{Keyring, error_line, s, stdout};

/// A computer: a home of its own and a Secret Service of its own.
struct Device {
    home: tempfile::TempDir,
    keyring: Keyring,
}

impl Device {
    fn new() -> Self {
        Self {
            home: tempfile::tempdir().unwrap(),
            keyring: Keyring::started(),
        }
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
        self.keyring.tessera(self.home.path(), args, stdin)
    }

    fn ok(&self, args: &[&str]) -> String {
        stdout(&self.run(args, ""))
    }

    fn names(&self) -> Vec<String> {
        let list: Value = serde_json::from_str(&self.ok(&["list", "--json"])).unwrap();
        list.as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_owned())
            .collect()
    }

    fn list(&self) -> Value {
        serde_json::from_str(&self.ok(&["list", "--json"])).unwrap()
    }

    fn add(&self, name: &str, secret: &str) {
        self.ok(&["add", "--name", name, "--secret", secret]);
    }

    fn vault_dir(&self) -> PathBuf {
        self.home.path().join("tessera")
    }
}

/// A sync set of `n` devices through `folder`; the first sets it up.
fn set_of(n: usize, folder: &Path) -> Vec<Device> {
    let devices: Vec<Device> = (0..n).map(|_| Device::new()).collect();
    let secret = devices[0].ok(&[
        "sync",
        "setup",
        "--folder",
        s(folder),
        "--device-name",
        "dev0",
    ]);
    assert!(secret.starts_with("tessera-sync:"), "{secret}");
    for (i, device) in devices.iter().enumerate().skip(1) {
        let out = device.run(
            &[
                "sync",
                "join",
                "--folder",
                s(folder),
                "--secret-file",
                "-",
                "--device-name",
                &format!("dev{i}"),
            ],
            &secret,
        );
        stdout(&out);
    }
    devices
}

/// `device` asks to join the set in `folder` with `secret` on standard input.
fn try_join(device: &Device, folder: &Path, secret: &str) -> Output {
    device.run(
        &["sync", "join", "--folder", s(folder), "--secret-file", "-"],
        secret,
    )
}

/// `device` joins the set in `folder` with the pairing secret.
fn join(device: &Device, folder: &Path, secret: &str) {
    stdout(&try_join(device, folder, secret));
}

fn oathtool(key: &str, at: u64) -> String {
    let out = Command::new("oathtool")
        .args(["--totp", "-b", "-N", &format!("@{at}"), key])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn sync_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn file_of(device: &Device, folder: &Path) -> PathBuf {
    let status: Value = serde_json::from_str(&device.ok(&["sync", "status", "--json"])).unwrap();
    folder.join(format!(
        "{}.tessera-sync",
        status["device"].as_str().unwrap()
    ))
}

const KEY_A: &str = "JBSWY3DPEHPK3PXP";
const KEY_B: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const KEY_C: &str = "KRSXG5DJNZTXK3DFONSXE2LUPEFA";

#[test]
fn adds_renames_and_removes_reach_every_device_and_codes_match_oathtool() {
    let folder = tempfile::tempdir().unwrap();
    let a = Device::new();
    a.add("before setup", KEY_A);
    let b = Device::new();
    b.add("only on b", KEY_B);
    let secret = a.ok(&["sync", "setup", "--folder", s(folder.path())]);
    join(&b, folder.path(), &secret);
    // Joining merges both ways: B has A's account, and A has B's at its next read (in the
    // order the accounts were added, which within one second is the order of their ids).
    let sorted = |mut names: Vec<String>| {
        names.sort();
        names
    };
    assert_eq!(sorted(b.names()), ["before setup", "only on b"]);
    assert_eq!(a.names(), b.names());
    let c_secret_file = folder
        .path()
        .parent()
        .unwrap()
        .join(format!("pairing-{}", std::process::id()));
    std::fs::write(&c_secret_file, &secret).unwrap();
    let c = Device::new();
    c.ok(&[
        "sync",
        "join",
        "--folder",
        s(folder.path()),
        "--secret-file",
        s(&c_secret_file),
    ]);
    std::fs::remove_file(&c_secret_file).unwrap();

    a.add("staging-tester-07", KEY_C);
    let at = tessera_test_support::now();
    let code = b.ok(&["code", "staging-tester-07", "--at", &at.to_string()]);
    assert_eq!(code.trim(), oathtool(KEY_C, at));

    b.ok(&["rename", "staging-tester-07", "staging-tester-08"]);
    assert!(a.names().contains(&"staging-tester-08".to_owned()));

    a.ok(&["remove", "before setup", "--yes"]);
    for device in [&b, &c] {
        assert_eq!(sorted(device.names()), ["only on b", "staging-tester-08"]);
    }
    // The removed account is in B's trash, its key kept in B's own keychain; emptied, gone.
    let trash: Value = serde_json::from_str(&b.ok(&["trash", "--json"])).unwrap();
    assert_eq!(trash[0]["name"], "before setup");
    b.ok(&["trash", "empty", "--yes"]);
    let out = b
        .keyring
        .command("secret-tool")
        .args(["search", "--all", "service", "Tessera"])
        .output()
        .unwrap();
    let found =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(!found.contains("before setup"), "{found}");
    assert!(found.contains("staging-tester-08"), "{found}");

    let status: Value = serde_json::from_str(&a.ok(&["sync", "status", "--json"])).unwrap();
    assert_eq!(
        status["folder"],
        Value::from(
            std::fs::canonicalize(folder.path())
                .unwrap()
                .to_str()
                .unwrap()
        )
    );
    assert_eq!(status["devices"].as_array().unwrap().len(), 3, "{status}");
    assert!(status["failure"].is_null());

    // Nothing of any key is in the folder: not raw, not base32 in either case, not hex.
    for key in [KEY_A, KEY_B, KEY_C] {
        let raw = BASE32_NOPAD.decode(key.as_bytes()).unwrap();
        let needles = [
            raw.clone(),
            key.as_bytes().to_vec(),
            key.to_lowercase().into_bytes(),
            HEXLOWER.encode(&raw).into_bytes(),
            HEXLOWER.encode(&raw).to_uppercase().into_bytes(),
        ];
        for file in sync_files(folder.path()) {
            let bytes = std::fs::read(&file).unwrap();
            for needle in &needles {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle.as_slice()),
                    "{} holds a key",
                    file.display()
                );
            }
        }
    }
    // Only the three device files, and no temporary left behind.
    assert_eq!(sync_files(folder.path()).len(), 3);

    // Off keeps the accounts here; the others keep theirs.
    c.ok(&["sync", "off"]);
    assert_eq!(sorted(c.names()), ["only on b", "staging-tester-08"]);
    assert_eq!(sync_files(folder.path()).len(), 2);
    a.add("after c left", KEY_A);
    assert_eq!(c.names().len(), 2);
    assert_eq!(b.names().len(), 3);
}

#[test]
fn concurrent_edits_converge_and_a_hotp_counter_never_goes_back() {
    let folder = tempfile::tempdir().unwrap();
    let [a, b]: [Device; 2] = set_of(2, folder.path()).try_into().ok().unwrap();
    a.ok(&[
        "add",
        "--name",
        "token",
        "--secret",
        KEY_B,
        "--type",
        "hotp",
        "--counter",
        "5",
    ]);
    a.add("shared", KEY_A);
    assert_eq!(b.names(), ["token", "shared"]);
    // A's file is held back (an engine that has not delivered it yet) while both edit.
    let a_file = file_of(&a, folder.path());
    let held = folder
        .path()
        .parent()
        .unwrap()
        .join(format!("held-{}", std::process::id()));
    for _ in 0..3 {
        a.ok(&["code", "token"]); // counters 5, 6, 7 taken on A
    }
    a.ok(&["rename", "shared", "renamed on a"]);
    std::fs::rename(&a_file, &held).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    b.ok(&["rename", "shared", "renamed on b"]);
    b.ok(&["rename", "token", "token (b)"]);
    std::fs::rename(&held, &a_file).unwrap();
    a.ok(&["sync", "now"]);
    b.ok(&["sync", "now"]);
    a.ok(&["sync", "now"]);
    let (on_a, on_b) = (a.list(), b.list());
    assert_eq!(on_a, on_b);
    let names: Vec<&str> = on_a
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    // B's renames came later and win; the counter is A's, the higher.
    assert_eq!(names, ["token (b)", "renamed on b"]);
    assert_eq!(on_a[0]["counter"], 8, "{on_a}");
    // The next code on B is counter 8's, never one A has already shown.
    let code = b.ok(&["code", "token (b)"]);
    let expected = Command::new("oathtool")
        .args(["--hotp", "-b", "-c", "8", KEY_B])
        .output()
        .unwrap();
    assert_eq!(
        code.trim(),
        String::from_utf8_lossy(&expected.stdout).trim()
    );
}

#[test]
fn changes_made_while_the_folder_is_away_go_out_when_it_is_back_and_no_code_is_shown_twice() {
    let folder = tempfile::tempdir().unwrap();
    let [a, b]: [Device; 2] = set_of(2, folder.path()).try_into().ok().unwrap();
    a.ok(&[
        "add", "--name", "token", "--secret", KEY_B, "--type", "hotp",
    ]);
    assert_eq!(b.names(), ["token"]);
    // The USB stick is out: A takes a code, then removes the account. Both are made, and said.
    let away = folder.path().with_extension("away");
    std::fs::rename(folder.path(), &away).unwrap();
    let shown = a.run(&["code", "token"], "");
    let shown_code = stdout(&shown).trim().to_owned();
    assert!(String::from_utf8_lossy(&shown.stderr).contains("the sync after it failed"));
    a.ok(&["remove", "token", "--yes"]);
    std::fs::rename(&away, folder.path()).unwrap();
    // B, which never saw either, renames it after the removal: the later change wins and the
    // account comes back, with the counter A had reached.
    b.ok(&["rename", "token", "token (b)"]);
    a.ok(&["sync", "now"]);
    b.ok(&["sync", "now"]);
    assert_eq!(a.list(), b.list());
    assert_eq!(a.list()[0]["counter"], 1);
    let next = a.ok(&["code", "token (b)"]);
    assert_ne!(
        next.trim(),
        shown_code,
        "the code A showed is never shown again"
    );
    a.ok(&["sync", "status"]);
}

#[test]
fn a_wrong_pairing_secret_and_a_changed_file_are_refused_and_change_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let [a, b]: [Device; 2] = set_of(2, folder.path()).try_into().ok().unwrap();
    a.add("one", KEY_A);
    assert_eq!(b.names(), ["one"]);

    // Another set's secret opens nothing here.
    let stranger = Device::new();
    let other_folder = tempfile::tempdir().unwrap();
    let other_secret = stranger.ok(&["sync", "setup", "--folder", s(other_folder.path())]);
    let c = Device::new();
    c.add("mine", KEY_C);
    let out = try_join(&c, folder.path(), &other_secret);
    assert!(error_line(&out).contains("does not open"), "{:?}", out);
    let out = try_join(&c, folder.path(), "not a secret");
    assert!(error_line(&out).contains("not a pairing secret"));
    assert_eq!(c.names(), ["mine"]);
    assert!(c.ok(&["sync", "status"]).contains("Sync is off"));

    // A flipped byte in A's file: B refuses it, says so, and keeps what it had.
    a.add("two", KEY_B);
    let a_file = file_of(&a, folder.path());
    let mut bytes = std::fs::read(&a_file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&a_file, &bytes).unwrap();
    let before = std::fs::read(b.vault_dir().join("vault.json")).unwrap();
    let line = error_line(&b.run(&["sync", "now"], ""));
    assert!(
        line.contains("is refused") && line.contains("does not open"),
        "{line}"
    );
    assert_eq!(
        std::fs::read(b.vault_dir().join("vault.json")).unwrap(),
        before
    );
    assert_eq!(b.names(), ["one"]);
    let status = b.run(&["sync", "status", "--json"], "");
    assert_eq!(status.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert!(
        json["failure"]["error"]
            .as_str()
            .unwrap()
            .contains("refused"),
        "{json}"
    );
    // A cut file too.
    std::fs::write(&a_file, &bytes[..40]).unwrap();
    assert!(error_line(&b.run(&["sync", "now"], "")).contains("is refused"));
    // Once A writes again, B takes it in and the failure is over.
    a.ok(&["sync", "now"]);
    a.ok(&["rename", "two", "three"]);
    assert_eq!(b.names(), ["one", "three"]);
    b.ok(&["sync", "status"]);
}

#[test]
fn conflict_copies_are_merged_then_removed_and_a_copied_home_becomes_a_device_of_its_own() {
    let folder = tempfile::tempdir().unwrap();
    let [a, b]: [Device; 2] = set_of(2, folder.path()).try_into().ok().unwrap();
    a.add("one", KEY_A);
    let a_file = file_of(&a, folder.path());
    let old = std::fs::read(&a_file).unwrap();
    a.add("two", KEY_B);
    // Syncthing kept the older version as a conflict copy beside the newer one.
    let stem = a_file
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .strip_suffix(".tessera-sync")
        .unwrap()
        .to_owned();
    let copy = folder.path().join(format!(
        "{stem}.sync-conflict-20261205-120000-ABCDEFG.tessera-sync"
    ));
    std::fs::write(&copy, &old).unwrap();
    b.ok(&["sync", "now"]);
    assert_eq!(b.names(), ["one", "two"]);
    assert!(!copy.exists(), "the conflict copy is removed once merged");

    // A's home copied to a new computer, keychain and all.
    let clone = Device {
        home: tempfile::tempdir().unwrap(),
        keyring: Keyring::bare(),
    };
    let mut clone = clone;
    copy_dir(
        &a.keyring.dir().join("keyring-data"),
        &clone.keyring.dir().join("keyring-data"),
    );
    clone.keyring.start();
    copy_dir(&a.vault_dir(), &clone.vault_dir());
    // Both write as A: A first, then the copy, which finds A's file newer than its own last.
    a.add("three", KEY_C);
    clone.ok(&["sync", "now"]);
    let status: Value = serde_json::from_str(&clone.ok(&["sync", "status", "--json"])).unwrap();
    let a_status: Value = serde_json::from_str(&a.ok(&["sync", "status", "--json"])).unwrap();
    assert_ne!(
        status["device"], a_status["device"],
        "the copy has an id of its own"
    );
    assert!(clone.ok(&["sync", "status"]).contains("device of its own"));
    assert_eq!(clone.names(), ["one", "two", "three"]);
    clone.add("four", KEY_A);
    assert_eq!(a.names(), ["one", "two", "three", "four"]);
    assert_eq!(b.names(), ["one", "two", "three", "four"]);
}

#[test]
fn a_forgotten_device_gets_nothing_new_and_the_others_join_the_new_set() {
    let folder = tempfile::tempdir().unwrap();
    let [a, b, c]: [Device; 3] = set_of(3, folder.path()).try_into().ok().unwrap();
    a.add("before", KEY_A);
    assert_eq!(c.names(), ["before"]);
    let out = a.run(&["sync", "forget", "DEV2"], "");
    let secret = stdout(&out);
    assert!(secret.starts_with("tessera-sync:"), "{secret}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"dev2\" is forgotten"));
    assert!(a.ok(&["sync", "status"]).contains("was forgotten"));
    stdout(&b.run(&["sync", "off"], ""));
    join(&b, folder.path(), &secret);
    a.add("after", KEY_B);
    assert_eq!(b.names(), ["before", "after"]);
    // The forgotten device keeps what it had, and can read nothing new.
    assert_eq!(c.names(), ["before"]);
    let out = a.run(&["sync", "forget", "nobody"], "");
    assert!(error_line(&out).contains("no other device"));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Two real Syncthing instances syncing a folder of each on 127.0.0.1 (tests/syncthing/pair.sh),
/// stopped on drop.
struct Syncthing {
    dir: tempfile::TempDir,
}

impl Syncthing {
    fn pair(command: &str, dir: &Path, folders: &[&Path]) {
        let script = tessera_test_support::workspace().join("tests/syncthing/pair.sh");
        let mut args = vec![command, s(dir)];
        args.extend(folders.iter().map(|f| s(f)));
        let out = Command::new(script).args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "pair.sh {command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn start(a: &Path, b: &Path) -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self::pair("start", dir.path(), &[a, b]);
        Self { dir }
    }

    fn pause(&self) {
        Self::pair("pause", self.dir.path(), &[]);
    }

    fn resume(&self) {
        Self::pair("resume", self.dir.path(), &[]);
    }

    /// Both index their folder now: a change made while paused is then known as a change of
    /// that side's, whatever the machine's load did to the watcher.
    fn scan(&self) {
        Self::pair("scan", self.dir.path(), &[]);
    }
}

impl Drop for Syncthing {
    fn drop(&mut self) {
        let script = tessera_test_support::workspace().join("tests/syncthing/pair.sh");
        let _ = Command::new(script)
            .args(["stop", s(self.dir.path())])
            .status();
    }
}

/// Polls `done` for up to 60 s (Syncthing's watcher waits a second, then the two exchange
/// indexes and blocks).
#[track_caller]
fn wait_for(what: &str, done: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "waited 60 s for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Syncthing's conflict copies of device files (not its temporaries, `.syncthing.*.tmp`, which
/// it may leave for a copy it was still fetching when the copy was removed).
fn conflict_copies(folder: &Path) -> Vec<PathBuf> {
    sync_files(folder)
        .into_iter()
        .filter(|f| {
            let name = f.file_name().unwrap().to_string_lossy();
            name.contains(".sync-conflict-") && name.ends_with(".tessera-sync")
        })
        .collect()
}

#[test]
fn through_two_real_syncthing_instances_adds_arrive_edits_converge_and_conflicts_are_handled() {
    let (folder_a, folder_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let syncthing = Syncthing::start(folder_a.path(), folder_b.path());
    let (a, b) = (Device::new(), Device::new());
    a.add("first", KEY_A);
    let secret = a.ok(&["sync", "setup", "--folder", s(folder_a.path())]);
    let a_file = file_of(&a, folder_a.path()).file_name().unwrap().to_owned();
    wait_for("A's file to reach B's folder", || {
        folder_b.path().join(&a_file).exists()
    });
    join(&b, folder_b.path(), &secret);
    assert_eq!(b.names(), ["first"]);

    // An add on A appears on B, its codes those of oathtool.
    a.add("added on a", KEY_C);
    wait_for("the add to reach B", || b.names().len() == 2);
    let at = tessera_test_support::now();
    let code = b.ok(&["code", "added on a", "--at", &at.to_string()]);
    assert_eq!(code.trim(), oathtool(KEY_C, at));

    // Both rename one account while Syncthing is cut off: once it is back, both agree.
    syncthing.pause();
    a.ok(&["rename", "first", "renamed on a"]);
    std::thread::sleep(std::time::Duration::from_millis(20));
    b.ok(&["rename", "first", "renamed on b"]);
    syncthing.scan();
    syncthing.resume();
    wait_for("the renames to converge", || {
        a.names().contains(&"renamed on b".to_owned())
            && b.names().contains(&"renamed on b".to_owned())
    });
    assert_eq!(a.list(), b.list());

    // A real conflict: while cut off, A's file is written on both sides (A makes a change, and
    // on B's side an older copy of A's file comes back, as a restore would bring it). Syncthing
    // keeps one and makes the other a .sync-conflict copy; Tessera merges both and removes it.
    let older = std::fs::read(folder_b.path().join(&a_file)).unwrap();
    syncthing.pause();
    a.add("while cut off", KEY_B);
    std::fs::write(folder_b.path().join(&a_file), &older).unwrap();
    syncthing.scan();
    syncthing.resume();
    wait_for("Syncthing to make a conflict copy", || {
        !conflict_copies(folder_a.path()).is_empty() || !conflict_copies(folder_b.path()).is_empty()
    });
    wait_for("both to hold every account and no conflict copy", || {
        let (on_a, on_b) = (a.names(), b.names());
        on_a.len() == 3
            && on_a == on_b
            && conflict_copies(folder_a.path()).is_empty()
            && conflict_copies(folder_b.path()).is_empty()
    });
    assert!(a.names().contains(&"while cut off".to_owned()));
    for device in [&a, &b] {
        device.ok(&["sync", "status"]);
    }
}

/// The phone: a Tessera writing automatic backups in Aegis's format (one master key for them
/// all, as Aegis writes its own; the format is checked against Aegis's documentation by the
/// backup tests) into the folder the phone syncs.
fn aegis_phone(folder: &Path) -> Device {
    let phone = Device::new();
    stdout(&phone.run(
        &[
            "backup",
            "auto",
            "--folder",
            s(folder),
            "--format",
            "aegis",
            "--password-file",
            "-",
        ],
        "phone vault password",
    ));
    phone
}

/// Waits past the second, so that the phone's next backup is a file of its own.
fn next_second() {
    std::thread::sleep(std::time::Duration::from_millis(1100));
}

fn follow(desktop: &Device, folder: &Path, password: &str) -> Output {
    desktop.run(
        &[
            "sync",
            "follow-aegis",
            "--folder",
            s(folder),
            "--password-file",
            "-",
        ],
        password,
    )
}

#[test]
fn the_phones_aegis_backups_are_followed_one_way_through_the_planner() {
    let folder = tempfile::tempdir().unwrap();
    let phone = aegis_phone(folder.path());
    next_second();
    phone.ok(&[
        "add", "--name", "bank", "--secret", KEY_A, "--issuer", "Bank", "--label", "me",
    ]);
    let desktop = Device::new();
    desktop.add("desktop only", KEY_B);

    // A wrong password keeps nothing.
    let line = error_line(&follow(&desktop, folder.path(), "wrong"));
    assert!(line.contains("wrong passphrase"), "{line}");
    assert!(!desktop.vault_dir().join("aegis-follow.json").exists());
    assert_eq!(desktop.names(), ["desktop only"]);

    let said = stdout(&follow(&desktop, folder.path(), "phone vault password"));
    assert!(said.contains("1 added"), "{said}");
    assert_eq!(desktop.names(), ["desktop only", "bank"]);
    // The vault's key is kept, not the password.
    let kept = desktop
        .keyring
        .command("secret-tool")
        .args([
            "lookup",
            "service",
            "Tessera (own keys)",
            "username",
            "aegis-master-key",
        ])
        .output()
        .unwrap();
    assert!(kept.status.success() && !kept.stdout.is_empty());
    for file in std::fs::read_dir(desktop.vault_dir()).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("phone vault password"));
    }

    // On the phone: the bank enrolled again (a new key), and a new account with the key of
    // "desktop only"; each change a newer backup.
    next_second();
    phone.ok(&["remove", "bank", "--yes"]);
    next_second();
    phone.ok(&[
        "add", "--name", "bank", "--secret", KEY_C, "--issuer", "Bank", "--label", "me",
    ]);
    next_second();
    phone.add("new on the phone", KEY_B);
    // The next command takes the newest in: the bank's key replaced in place, the duplicate
    // of "desktop only" skipped.
    assert_eq!(desktop.names(), ["desktop only", "bank"]);
    let at = tessera_test_support::now();
    let code = desktop.ok(&["code", "bank", "--at", &at.to_string()]);
    assert_eq!(code.trim(), oathtool(KEY_C, at), "the new key");
    // Nothing is removed on the phone's say.
    next_second();
    phone.ok(&["remove", "bank", "--yes"]);
    assert_eq!(desktop.names(), ["desktop only", "bank"]);
    let follow_file: Value = serde_json::from_slice(
        &std::fs::read(desktop.vault_dir().join("aegis-follow.json")).unwrap(),
    )
    .unwrap();
    assert!(follow_file["failure"].is_null(), "{follow_file}");

    desktop.ok(&["sync", "follow-aegis", "--off"]);
    assert_eq!(desktop.names(), ["desktop only", "bank"]);
    assert!(!desktop.vault_dir().join("aegis-follow.json").exists());
}
