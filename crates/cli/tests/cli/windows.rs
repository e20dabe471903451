//! The Windows build of the CLI (`tessera.exe`, cross-built with MinGW-w64 by `make windows`)
//! under Wine, against Wine's Credential Manager: the account cycle, an encrypted backup out and
//! back in, a scanned PNG, and `doctor`, with codes checked against oathtool. Then, from
//! outside Tessera, the keys are in the Credential Manager and in no file of the vault.
//!
//! Inputs are given as a Windows user's files are: lines end in CR LF.
//!
//! With `--nocapture` it prints how long each step took.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Output;
use std::time::Instant;

use data_encoding::{BASE32_NOPAD, HEXLOWER};
use serde_json::Value;
use tessera_test_support::{Credential, Wine};
use tessera_test_support::{qr_png_in, run_with, stdout};

/// A moment to make codes for, so that ours and oathtool's can't straddle a step.
const AT: &str = "1700000000";

struct Key<'a> {
    bytes: &'a [u8],
    algorithm: &'static str,
    digits: u8,
}

const AWS: Key = Key {
    bytes: b"Hello!\xde\xad\xbe\xef",
    algorithm: "SHA1",
    digits: 6,
};
const CORP: Key = Key {
    bytes: b"12345678901234567890123456789012",
    algorithm: "SHA256",
    digits: 8,
};
const SCANNED: Key = Key {
    bytes: b"\x01\x02windows-scan\xff\xfe",
    algorithm: "SHA1",
    digits: 6,
};

impl Key<'_> {
    fn base32(&self) -> String {
        BASE32_NOPAD.encode(self.bytes)
    }

    fn uri(&self, account: &str) -> String {
        format!(
            "otpauth://totp/Example:{account}?secret={}&issuer=Example&algorithm={}&digits={}",
            self.base32(),
            self.algorithm,
            self.digits
        )
    }

    /// oathtool's current and next code at `AT`.
    fn oathtool(&self) -> String {
        stdout(&run_with(
            "oathtool",
            &[
                &format!("--totp={}", self.algorithm),
                &format!("--digits={}", self.digits),
                &format!("--now=@{AT}"),
                "--window=1",
                "-",
            ],
            &HEXLOWER.encode(self.bytes),
            &[],
        ))
    }
}

/// Runs steps of tessera.exe and keeps how long each took.
struct Steps {
    wine: Wine,
    times: Vec<(String, f64)>,
}

impl Steps {
    fn run(&mut self, args: &[&str], stdin: &str) -> Output {
        let began = Instant::now();
        let out = self.wine.tessera(args, stdin);
        self.times
            .push((args[0].to_owned(), began.elapsed().as_secs_f64()));
        out
    }

    /// Standard output of a step that must succeed, with Windows' CR LF made LF.
    #[track_caller]
    fn ok(&mut self, args: &[&str], stdin: &str) -> String {
        stdout(&self.run(args, stdin)).replace("\r\n", "\n")
    }

    fn code(&mut self, name: &str) -> String {
        self.ok(&["code", name, "--at", AT, "--next"], "")
    }

    /// One field of every account `list --json` gives, in order.
    fn listed(&mut self, field: &str) -> Vec<String> {
        let list: Vec<Value> = serde_json::from_str(&self.ok(&["list", "--json"], "")).unwrap();
        list.iter()
            .map(|a| a[field].as_str().unwrap().to_owned())
            .collect()
    }

    fn names(&mut self) -> Vec<String> {
        self.listed("name")
    }

    /// Tessera's credentials, by target name.
    fn tessera_credentials(&self) -> Vec<Credential> {
        let mut found: Vec<Credential> = self
            .wine
            .credentials()
            .into_iter()
            .filter(|c| c.target.ends_with(".Tessera"))
            .collect();
        found.sort_by(|a, b| a.target.cmp(&b.target));
        found
    }
}

/// Every file under `dir`, read whole.
fn files_under(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    found
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn the_windows_cli_keeps_its_keys_in_the_credential_manager() {
    let began = Instant::now();
    let wine = Wine::start();
    let prefix_seconds = wine.started_in.as_secs_f64();
    let mut steps = Steps {
        wine,
        times: Vec::new(),
    };
    let scratch = tempfile::tempdir().unwrap();
    let windows = |path: &Path| Wine::windows_path(path);

    assert_eq!(steps.ok(&["--version"], ""), "tessera 0.1.0\n");
    assert_eq!(steps.names(), Vec::<String>::new());

    // An account from a URI and one from a typed key, both piped with CR LF line ends.
    steps.ok(
        &["add", "--name", "staging-tester-07", "--uri", "-"],
        &format!("{}\r\n", AWS.uri("admin@example.com")),
    );
    steps.ok(
        &[
            "add",
            "--name",
            "corp",
            "--secret",
            "-",
            "--algorithm",
            "sha256",
            "--digits",
            "8",
        ],
        &format!("{}\r\n", CORP.base32()),
    );
    assert_eq!(steps.names(), ["staging-tester-07", "corp"]);
    assert_eq!(steps.code("staging-tester-07"), AWS.oathtool());
    assert_eq!(steps.code("corp"), CORP.oathtool());

    // Renamed: found by the new name, same key.
    steps.ok(&["rename", "staging-tester-07", "staging-tester-08"], "");
    assert_eq!(steps.names(), ["staging-tester-08", "corp"]);
    assert_eq!(steps.code("staging-tester-08"), AWS.oathtool());

    // From outside: one generic credential per account, `<id>.Tessera`, user = the id, the key
    // in base32; and the key in no file of Tessera's folder, in any form.
    let ids = steps.listed("id");
    let mut expected: Vec<Credential> = ids
        .iter()
        .zip([&AWS, &CORP])
        .map(|(id, key)| Credential {
            target: format!("{id}.Tessera"),
            user: id.clone(),
            secret: key.base32().into_bytes(),
        })
        .collect();
    expected.sort_by(|a, b| a.target.cmp(&b.target));
    assert_eq!(steps.tessera_credentials(), expected);
    let tessera_dir = steps.wine.tessera_dir();
    let files = files_under(&tessera_dir);
    assert!(
        files.iter().any(|(p, _)| p.ends_with("data/vault.json")),
        "{files:?}"
    );
    for (path, bytes) in &files {
        for key in [&AWS, &CORP] {
            let lower = key.base32().to_lowercase();
            for form in [
                key.bytes,
                key.base32().as_bytes(),
                lower.as_bytes(),
                HEXLOWER.encode(key.bytes).as_bytes(),
            ] {
                assert!(!contains(bytes, form), "{} holds a key", path.display());
            }
        }
    }
    steps.ok(&["doctor"], "");

    // An encrypted backup out, the accounts removed (their credentials with them), then back in.
    let backup = scratch.path().join("tessera-backup.tessera");
    let passphrase = "correct horse battery staple\r\n";
    steps.ok(
        &[
            "export",
            "--format",
            "tessera",
            "--output",
            &windows(&backup),
            "--password-file",
            "-",
        ],
        passphrase,
    );
    assert!(backup.exists());
    // To the trash, keys kept; emptied, they leave the Credential Manager.
    for name in ["staging-tester-08", "corp"] {
        steps.ok(&["remove", name, "--yes"], "");
    }
    assert_eq!(steps.tessera_credentials().len(), 2);
    steps.ok(&["trash", "empty", "--yes"], "");
    assert_eq!(steps.names(), Vec::<String>::new());
    assert_eq!(steps.tessera_credentials(), Vec::new());
    let wrong = steps.run(
        &["import", &windows(&backup), "--password-file", "-"],
        "not the passphrase\r\n",
    );
    assert_eq!(wrong.status.code(), Some(1), "{wrong:?}");
    assert_eq!(steps.names(), Vec::<String>::new());
    steps.ok(
        &["import", &windows(&backup), "--password-file", "-"],
        passphrase,
    );
    assert_eq!(steps.names(), ["staging-tester-08", "corp"]);
    assert_eq!(steps.code("staging-tester-08"), AWS.oathtool());
    assert_eq!(steps.code("corp"), CORP.oathtool());
    assert_eq!(steps.tessera_credentials().len(), 2);

    // The longest key Tessera accepts (1,024 bytes) is 1,639 bytes in its credential: under
    // Windows' 2,560-byte limit, which Wine does not enforce (the size is checked in the vault's
    // unit tests).
    let bytes: Vec<u8> = (0..=255u8).cycle().take(1024).collect();
    let longest = Key {
        bytes: &bytes,
        algorithm: "SHA1",
        digits: 6,
    };
    steps.ok(
        &["add", "--name", "longest", "--secret", "-"],
        &format!("{}\r\n", longest.base32()),
    );
    assert_eq!(steps.code("longest"), longest.oathtool());
    let stored = steps
        .tessera_credentials()
        .into_iter()
        .find(|c| c.secret.len() > 1000)
        .expect("the longest key's credential");
    assert_eq!(stored.secret, longest.base32().into_bytes());
    assert_eq!(stored.secret.len(), 1639);
    steps.ok(&["remove", "longest", "--yes", "--purge"], "");

    // A QR code in a PNG, read by the bundled zxing-cpp built for Windows.
    let png = qr_png_in(
        scratch.path(),
        "enrol.png",
        &SCANNED.uri("scan@example.com"),
    );
    steps.ok(&["scan", "--add", "--name", "scanned", &windows(&png)], "");
    assert_eq!(steps.code("scanned"), SCANNED.oathtool());
    assert_eq!(steps.tessera_credentials().len(), 3);
    assert!(
        steps
            .tessera_credentials()
            .iter()
            .any(|c| c.secret == SCANNED.base32().into_bytes())
    );

    // doctor: every account has its key. A credential of Tessera's that no account points to,
    // written from outside, is found (so the search of the Credential Manager finds Tessera's
    // items) and removed by --fix; other programs' credentials are left alone.
    steps
        .wine
        .write_credential("0123456789abcdef.Tessera", "0123456789abcdef", "ORPHANKEY");
    steps
        .wine
        .write_credential("someone-else.Other", "someone-else", "NOT-OURS");
    let checkup = steps.run(&["doctor", "--json"], "");
    assert_eq!(checkup.status.code(), Some(1), "{checkup:?}");
    let doctor: Value = serde_json::from_slice(&checkup.stdout).unwrap();
    assert_eq!(doctor["missing_keys"], serde_json::json!([]), "{doctor}");
    assert_eq!(
        doctor["orphan_items"],
        serde_json::json!(["0123456789abcdef"]),
        "{doctor}"
    );
    steps.ok(&["doctor", "--fix"], "");
    assert_eq!(steps.tessera_credentials().len(), 3);
    assert!(
        steps
            .wine
            .credentials()
            .iter()
            .any(|c| c.target == "someone-else.Other")
    );

    let mut report = format!(
        "Wine prefix made in {prefix_seconds:.1} s; whole test {:.1} s\n",
        began.elapsed().as_secs_f64()
    );
    let mut by_command: Vec<(String, Vec<f64>)> = Vec::new();
    for (command, seconds) in &steps.times {
        match by_command.iter_mut().find(|(c, _)| c == command) {
            Some((_, all)) => all.push(*seconds),
            None => by_command.push((command.clone(), vec![*seconds])),
        }
    }
    for (command, mut all) in by_command {
        all.sort_by(f64::total_cmp);
        report += &format!(
            "  tessera.exe {command:<10} runs {:>2}, median {:.0} ms\n",
            all.len(),
            all[all.len() / 2] * 1000.0
        );
    }
    eprintln!("{report}");
}
