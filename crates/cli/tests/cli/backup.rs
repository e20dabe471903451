//! `tessera export` and `tessera import` against a real Secret Service (`make test` runs these
//! under scripts/with-keyring.sh): every export round-trips into a fresh vault, other apps'
//! backups import, and a wrong passphrase, a flipped bit or a second import change nothing.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tessera_test_support::{error_line, require_private_keyring, s, stdout, tessera_in};

const PASSPHRASE: &str = "correct horse battery staple";

/// Accounts of every kind, added by name.
const ACCOUNTS: &[(&str, &str)] = &[
    (
        "staging-tester-07",
        "otpauth://totp/Amazon%20Web%20Services:admin@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services",
    ),
    (
        "github",
        "otpauth://totp/GitHub:octocat?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA256&digits=8&period=60",
    ),
    (
        "bank token",
        "otpauth://hotp/Bank:card?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&counter=41",
    ),
    (
        "steam",
        "otpauth://steam/Steam:gamer?secret=KRSXG5CTMVRXEZLUKN2XAZLTKRSXG5CT",
    ),
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures/interop")
        .join(name)
}

fn filled_vault() -> tempfile::TempDir {
    require_private_keyring();
    let home = tempfile::tempdir().unwrap();
    for (name, link) in ACCOUNTS {
        stdout(&tessera_in(
            home.path(),
            &["add", "--name", name, "--uri", link],
            "",
        ));
    }
    home
}

fn empty_vault() -> tempfile::TempDir {
    require_private_keyring();
    tempfile::tempdir().unwrap()
}

/// `list --json` without the ids (they are new in each vault).
fn listing(home: &Path) -> Vec<Value> {
    let out = stdout(&tessera_in(home, &["list", "--json"], ""));
    let mut list: Vec<Value> = serde_json::from_str(&out).unwrap();
    for entry in &mut list {
        entry.as_object_mut().unwrap().remove("id");
    }
    list
}

/// The code each account shows at a fixed moment (HOTP: the next code, which advances it).
fn codes(home: &Path) -> Vec<String> {
    ACCOUNTS
        .iter()
        .map(|(name, _)| stdout(&tessera_in(home, &["code", name, "--at", "1795305600"], "")))
        .collect()
}

/// `tessera export --format tessera --output FILE --password-file -` with `passphrase` on
/// standard input.
fn export_encrypted(home: &Path, file: &Path, passphrase: &str) -> std::process::Output {
    tessera_in(
        home,
        &[
            "export",
            "--format",
            "tessera",
            "--output",
            s(file),
            "--password-file",
            "-",
        ],
        passphrase,
    )
}

fn index(home: &Path) -> Option<Vec<u8>> {
    fs::read(home.join("tessera/vault.json")).ok()
}

fn import_json(home: &Path, args: &[&str], stdin: &str) -> Value {
    let mut all = vec!["import", "--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&stdout(&tessera_in(home, &all, stdin))).unwrap()
}

#[test]
fn tessera_backup_restores_everything_into_a_fresh_vault() {
    let source = filled_vault();
    let file = source.path().join("backup.tessera");
    let out = stdout(&export_encrypted(
        source.path(),
        &file,
        &format!("{PASSPHRASE}\n"),
    ));
    assert!(out.contains("Exported 4 accounts"), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let bytes = fs::read(&file).unwrap();
    for (name, link) in ACCOUNTS {
        let key = link
            .split("secret=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(key),
            "{name}'s key in clear"
        );
    }

    let target = empty_vault();
    // Wrong passphrase: a clear error, and no vault at all afterwards.
    let out = tessera_in(
        target.path(),
        &["import", s(&file), "--password-file", "-"],
        "correct horse battery stapler\n",
    );
    let line = error_line(&out);
    assert!(line.contains("wrong passphrase"), "{line}");
    assert_eq!(index(target.path()), None);
    // A flipped bit: the same.
    let mut flipped = bytes.clone();
    let at = flipped.len() - 40;
    flipped[at] ^= 0x10;
    let bad = target.path().join("flipped.tessera");
    fs::write(&bad, &flipped).unwrap();
    let out = tessera_in(
        target.path(),
        &["import", s(&bad), "--password-file", "-"],
        PASSPHRASE,
    );
    assert!(error_line(&out).contains("changed after it was written"));
    assert_eq!(index(target.path()), None);

    // The right one: names, order, parameters and codes come back.
    let pass_file = target.path().join("pass.txt");
    fs::write(&pass_file, format!("{PASSPHRASE}\n")).unwrap();
    let report = import_json(
        target.path(),
        &[s(&file), "--password-file", s(&pass_file)],
        "",
    );
    assert_eq!(report["format"], "tessera");
    assert_eq!(report["added"].as_array().unwrap().len(), 4);
    assert_eq!(report["skipped_duplicates"], serde_json::json!([]));
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(listing(target.path()), listing(source.path()));
    assert_eq!(codes(target.path()), codes(source.path()));

    // Twice: nothing more, every account reported as a duplicate of itself.
    let before = index(target.path());
    let report = import_json(
        target.path(),
        &[s(&file), "--password-file", s(&pass_file)],
        "",
    );
    assert_eq!(report["added"], serde_json::json!([]));
    let skipped: Vec<(&str, &str)> = report["skipped_duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["name"].as_str().unwrap(),
                d["duplicate_of"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(skipped.len(), 4);
    assert!(
        skipped
            .iter()
            .all(|(_, of)| ACCOUNTS.iter().any(|(n, _)| n == of))
    );
    assert_eq!(index(target.path()), before);
}

#[test]
fn plain_exports_round_trip_and_warn() {
    let source = filled_vault();
    let list = source.path().join("accounts.txt");
    let out = tessera_in(
        source.path(),
        &["export", "--format", "otpauth", "--output", s(&list)],
        "",
    );
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("IN CLEAR"));
    let text = fs::read_to_string(&list).unwrap();
    assert_eq!(text.lines().count(), 4);
    assert!(text.lines().all(|l| l.starts_with("otpauth://")));

    let target = empty_vault();
    let report = import_json(target.path(), &[s(&list)], "");
    assert_eq!(report["format"], "otpauth");
    assert_eq!(report["added"].as_array().unwrap().len(), 4);
    // The otpauth list has no friendly names: the accounts get default ones, same keys.
    let names: Vec<String> = listing(target.path())
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "Amazon Web Services (admin@123456789012)",
            "GitHub (octocat)",
            "Bank (card)",
            "Steam (gamer)"
        ]
    );
    // Same codes: import the list into the source vault, and everything is a duplicate.
    let again = import_json(source.path(), &[s(&list), "--dry-run"], "");
    assert_eq!(again["skipped_duplicates"].as_array().unwrap().len(), 4);
    assert_eq!(again["skipped_duplicates"][0]["in_file"], false);
    // An account twice in one file is added once; the second is a duplicate within the file.
    let twice = source.path().join("twice.txt");
    fs::write(&twice, format!("{text}{}\n", text.lines().next().unwrap())).unwrap();
    let fresh = empty_vault();
    let report = import_json(fresh.path(), &[s(&twice)], "");
    assert_eq!(report["added"].as_array().unwrap().len(), 4);
    assert_eq!(
        report["skipped_duplicates"],
        serde_json::json!([{
            "name": "Amazon Web Services (admin@123456789012) 2",
            "duplicate_of": "Amazon Web Services (admin@123456789012)",
            "in_file": true
        }])
    );

    let sheet = source.path().join("sheet.html");
    let out = tessera_in(
        source.path(),
        &["export", "--format", "html", "-o", s(&sheet)],
        "",
    );
    assert!(out.status.success());
    let html = fs::read_to_string(&sheet).unwrap();
    assert_eq!(html.matches("<section class=\"account\">").count(), 4);
    // Each account's QR code, drawn by another program (rsvg-convert), reads back as the
    // account; its key as printed (groups of four) parses back to the same key.
    let sections: Vec<&str> = html.split("<section class=\"account\">").skip(1).collect();
    for ((name, _), section) in ACCOUNTS.iter().zip(&sections) {
        let expected = tessera_core::uri::parse(
            stdout(&tessera_in(source.path(), &["show", name, "--uri"], "")).trim(),
        )
        .unwrap();
        assert!(section.contains(&format!("<h2>{name}</h2>")), "{name}");
        let svg = &section[section.find("<svg").unwrap()..section.find("</svg>").unwrap() + 6];
        let svg_file = source.path().join("qr.svg");
        let png_file = source.path().join("qr.png");
        fs::write(&svg_file, svg).unwrap();
        let drawn = std::process::Command::new("rsvg-convert")
            .args(["-b", "white", "-o", s(&png_file), s(&svg_file)])
            .status()
            .expect("rsvg-convert: `make test` installs it (librsvg2-bin)");
        assert!(drawn.success());
        let payloads = tessera_qr::decode(&fs::read(&png_file).unwrap()).unwrap();
        assert_eq!(payloads.len(), 1, "{name}");
        assert_eq!(
            tessera_core::uri::parse(&payloads[0]).unwrap(),
            expected,
            "{name}"
        );
        let key = section
            .split("<p class=\"key\">")
            .nth(1)
            .unwrap()
            .split("</p>")
            .next()
            .unwrap();
        assert!(key.contains(' '), "{name}: key in groups");
        assert_eq!(
            tessera_core::Secret::parse(key).unwrap(),
            expected.secret,
            "{name}"
        );
    }
}

#[test]
fn other_apps_backups_import_with_dry_run_first() {
    let home = empty_vault();
    let aegis = fixture("aegis_encrypted.json");
    // Encrypted without a passphrase, and stdin not a terminal: told how to give one.
    let out = tessera_in(home.path(), &["import", s(&aegis)], "");
    assert!(error_line(&out).contains("--password-file"));

    let preview = import_json(
        home.path(),
        &[s(&aegis), "--password-file", "-", "--dry-run"],
        "test\n",
    );
    assert_eq!(preview["format"], "aegis");
    assert_eq!(preview["added"].as_array().unwrap().len(), 7);
    assert_eq!(index(home.path()), None, "--dry-run adds nothing");

    let report = import_json(home.path(), &[s(&aegis), "--password-file", "-"], "test\n");
    assert_eq!(report["added"].as_array().unwrap().len(), 7);
    // The same accounts from andOTP and 2FAS are all duplicates now.
    for (file, format, count) in [
        ("andotp_encrypted.bin", "andotp", 7),
        ("2fas_authenticator_encrypted_v4.2fas", "2fas", 5),
        ("stratum_plain.json", "stratum", 7),
    ] {
        let report = import_json(
            home.path(),
            &[s(&fixture(file)), "--password-file", "-"],
            "test\n",
        );
        assert_eq!(report["format"], format, "{file}");
        assert_eq!(report["added"], serde_json::json!([]), "{file}");
        assert_eq!(
            report["skipped_duplicates"].as_array().unwrap().len(),
            count,
            "{file}"
        );
    }
    // Codes agree with the expected accounts: Deno (Mason) is SHA1, 6 digits, 30 s.
    let code = stdout(&tessera_in(
        home.path(),
        &["code", "Deno (Mason)", "--at", "59"],
        "",
    ));
    let direct = stdout(&tessera_in(
        home.path(),
        &[
            "code",
            "--uri",
            "otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ",
            "--at",
            "59",
        ],
        "",
    ));
    assert_eq!(code, direct);

    let unknown = home.path().join("notes.txt");
    fs::write(&unknown, "my passwords\n").unwrap();
    let out = tessera_in(home.path(), &["import", s(&unknown)], "");
    assert!(error_line(&out).contains("not a backup Tessera can read"));
}

#[test]
fn export_refuses_short_or_mismatched_passphrases_and_writes_nothing() {
    let home = filled_vault();
    let file = home.path().join("b.tessera");
    let out = export_encrypted(home.path(), &file, "short\n");
    assert_eq!(
        error_line(&out),
        "nothing was written: the passphrase needs at least 8 characters"
    );
    assert!(!file.exists());
    // No terminal and no --password-file.
    let out = tessera_in(
        home.path(),
        &["export", "--format", "tessera", "--output", s(&file)],
        "",
    );
    assert!(error_line(&out).contains("--password-file"));
    assert!(!file.exists());
}

/// The Python that runs docs/decrypt-backup.py: target/pyvenv's if `make test` made one
/// (scripts/ensure-deps.sh), else python3.
fn python() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/pyvenv/bin/python");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

/// Runs the decryptor docs/`script` on `file`, the passphrase on standard input.
pub(crate) fn decrypt(script: &str, file: &Path, passphrase: &str) -> std::process::Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs")
        .join(script);
    tessera_test_support::run_with(
        python().to_str().unwrap(),
        &[s(&script), s(file)],
        &format!("{passphrase}\n"),
        &[],
    )
}

/// The decryptor fails, as Tessera does, on a wrong passphrase.
fn assert_wrong_passphrase_refused(script: &str, file: &Path) {
    let out = decrypt(script, file, "not the passphrase");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("InvalidTag"));
}

/// docs/backup-format.md is enough to read a backup without Tessera: the decryptor written from
/// it (Python's `cryptography`, an independent Argon2id and AES-GCM) gives back every account.
#[test]
fn the_documented_format_decrypts_without_tessera_exe() {
    let home = filled_vault();
    let file = home.path().join("backup.tessera");
    stdout(&export_encrypted(home.path(), &file, PASSPHRASE));
    let printed = stdout(&decrypt("decrypt-backup.py", &file, PASSPHRASE));
    let decrypted: Vec<tessera_core::Account> = printed
        .lines()
        .map(|l| tessera_core::uri::parse(l).unwrap())
        .collect();
    let expected: Vec<tessera_core::Account> = ACCOUNTS
        .iter()
        .map(|(name, _)| {
            let link = stdout(&tessera_in(home.path(), &["show", name, "--uri"], ""));
            tessera_core::uri::parse(link.trim()).unwrap()
        })
        .collect();
    assert_eq!(decrypted, expected);
    // And it fails, as Tessera does, on a wrong passphrase.
    assert_wrong_passphrase_refused("decrypt-backup.py", &file);
}

/// `export --format aegis` (and `aegis-plain`) gives a file Tessera's Aegis reader reads back
/// into a fresh vault exactly: names, parameters, codes.
#[test]
fn aegis_exports_read_back_exactly() {
    let home = filled_vault();
    for format in ["aegis", "aegis-plain"] {
        let file = home.path().join(format!("{format}.json"));
        let out = tessera_in(
            home.path(),
            &[
                "export",
                "--format",
                format,
                "--output",
                s(&file),
                "--password-file",
                "-",
            ],
            PASSPHRASE,
        );
        stdout(&out);
        let warned = String::from_utf8_lossy(&out.stderr).contains("IN CLEAR");
        assert_eq!(warned, format == "aegis-plain", "{format}");
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(text.contains("JBSWY3DPEHPK3PXP"), format == "aegis-plain");
        let fresh = empty_vault();
        let out = tessera_in(
            fresh.path(),
            &["import", s(&file), "--password-file", "-", "--json"],
            PASSPHRASE,
        );
        let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(report["format"], "aegis", "{report}");
        assert_eq!(listing(fresh.path()), listing(home.path()), "{format}");
        assert_eq!(codes(fresh.path()), codes(home.path()), "{format}");
    }
}

/// The encrypted Aegis export decrypts without Tessera: a decryptor written from Aegis's
/// published vault format (docs/decrypt-aegis.py: Python's `cryptography`, its own scrypt and
/// AES-GCM) gives every account, with the friendly name where Aegis shows it.
#[test]
fn the_aegis_export_decrypts_without_tessera_exe() {
    let home = filled_vault();
    let file = home.path().join("aegis.json");
    stdout(&tessera_in(
        home.path(),
        &[
            "export",
            "--format",
            "aegis",
            "--output",
            s(&file),
            "--password-file",
            "-",
        ],
        PASSPHRASE,
    ));
    let db: Value =
        serde_json::from_str(&stdout(&decrypt("decrypt-aegis.py", &file, PASSPHRASE))).unwrap();
    assert_eq!(db["version"], 3);
    let entries = db["entries"].as_array().unwrap();
    assert_eq!(entries.len(), ACCOUNTS.len());
    for (entry, (name, _)) in entries.iter().zip(ACCOUNTS) {
        let link = stdout(&tessera_in(home.path(), &["show", name, "--uri"], ""));
        let account = tessera_core::uri::parse(link.trim()).unwrap();
        let info = &entry["info"];
        assert_eq!(
            entry["name"], *name,
            "the friendly name is the name Aegis shows"
        );
        assert_eq!(
            entry["note"],
            format!("Tessera account label: {}", account.label)
        );
        assert_eq!(entry["issuer"], account.issuer.as_str());
        assert_eq!(entry["type"], account.params.kind.name());
        assert_eq!(info["algo"], account.params.algorithm.as_str());
        assert_eq!(info["digits"], account.params.code_length());
        let secret = tessera_core::Secret::parse(info["secret"].as_str().unwrap()).unwrap();
        assert_eq!(secret, account.secret);
        match account.params.kind {
            tessera_core::Kind::Hotp { counter } => assert_eq!(info["counter"], counter),
            kind => assert_eq!(info["period"], kind.period().unwrap().get()),
        }
    }
    assert_wrong_passphrase_refused("decrypt-aegis.py", &file);
}
