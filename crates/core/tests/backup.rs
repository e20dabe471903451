//! Backups: every fixture from other apps yields exactly its accounts; Tessera's own format and
//! the plain exports round-trip; wrong passphrases, flipped bits and hostile bytes are errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests: a failure is the point

use std::path::PathBuf;

use proptest::prelude::*;
use serde::Deserialize;
use tessera_core::backup::tessera::{self, KdfParams};
use tessera_core::backup::{self, Format, ImportError, Imported, Item, otpauth, sheet};
use tessera_core::{Account, Kind, uri};

/// Real files written by other apps (from Aegis's test suite), password `test`.
fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/interop")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Deserialize, Debug, Clone)]
struct Expected {
    #[serde(rename = "type")]
    kind: String,
    issuer: String,
    label: String,
    secret: String,
    algorithm: String,
    digits: u8,
    period: Option<u32>,
    counter: Option<u64>,
}

fn expected() -> Vec<Expected> {
    serde_json::from_slice(&fixture("expected.json")).unwrap()
}

/// The fixtures: file, format, encrypted, the issuers of the accounts it holds (in
/// expected.json's terms), and whether it keeps issuer and label.
const FIXTURES: &[(&str, Format, bool, &[&str], bool)] = &[
    ("aegis_plain.json", Format::Aegis, false, ALL, true),
    (
        "aegis_plain_grouped_v2.json",
        Format::Aegis,
        false,
        ALL,
        true,
    ),
    ("aegis_encrypted.json", Format::Aegis, true, ALL, true),
    (
        "2fas_authenticator_plain_v4.2fas",
        Format::TwoFas,
        false,
        TWOFAS,
        true,
    ),
    (
        "2fas_authenticator_encrypted_v4.2fas",
        Format::TwoFas,
        true,
        TWOFAS,
        true,
    ),
    ("andotp_plain.json", Format::AndOtp, false, ALL, true),
    ("andotp_encrypted.bin", Format::AndOtp, true, ALL, true),
    (
        "bitwarden.json",
        Format::BitwardenJson,
        false,
        BITWARDEN,
        false,
    ),
    (
        "bitwarden.csv",
        Format::BitwardenCsv,
        false,
        BITWARDEN,
        false,
    ),
    ("ente_auth.txt", Format::Otpauth, false, ALL, true),
    (
        "freeotp_plus.json",
        Format::FreeOtpPlus,
        false,
        FREEOTP,
        true,
    ),
    ("plain.txt", Format::Otpauth, false, ALL, true),
    (
        "proton_authenticator.json",
        Format::Proton,
        false,
        PROTON,
        true,
    ),
    ("stratum_plain.json", Format::Stratum, false, ALL, true),
];
const ALL: &[&str] = &[
    "Deno",
    "SPDX",
    "Airbnb",
    "Issuu",
    "Air Canada",
    "WWE",
    "Boeing",
];
const TWOFAS: &[&str] = &["Deno", "Issuu", "Air Canada", "WWE", "Boeing"];
const BITWARDEN: &[&str] = &["Deno", "SPDX", "Airbnb", "Boeing"];
const FREEOTP: &[&str] = &["Deno", "SPDX", "Airbnb", "Issuu", "Air Canada", "WWE"];
const PROTON: &[&str] = &["Deno", "SPDX", "Airbnb"];

fn matches(account: &Account, e: &Expected) -> Result<(), String> {
    let p = &account.params;
    let (kind, period, counter) = match p.kind {
        Kind::Totp { period } => ("totp", Some(period.get()), None),
        Kind::Steam { period } => ("steam", Some(period.get()), None),
        Kind::Hotp { counter } => ("hotp", None, Some(counter)),
    };
    let got = (kind, p.algorithm.as_str(), p.code_length(), period, counter);
    let want = (
        e.kind.as_str(),
        e.algorithm.as_str(),
        e.digits,
        e.period,
        e.counter,
    );
    if got == want {
        Ok(())
    } else {
        Err(format!("{}: got {got:?}, expected {want:?}", e.issuer))
    }
}

fn check_fixture(
    file: &str,
    imported: &Imported,
    issuers: &[&str],
    keeps_names: bool,
) -> Result<(), String> {
    let expected = expected();
    if !imported.skipped.is_empty() {
        return Err(format!("{file}: skipped {:?}", imported.skipped));
    }
    let mut left: Vec<&Expected> = expected
        .iter()
        .filter(|e| issuers.contains(&e.issuer.as_str()))
        .collect();
    if imported.items.len() != left.len() {
        return Err(format!(
            "{file}: {} accounts, expected {}",
            imported.items.len(),
            left.len()
        ));
    }
    for item in &imported.items {
        let key = item.account.secret.to_base32();
        let at = left
            .iter()
            .position(|e| e.secret == key.as_str())
            .ok_or_else(|| format!("{file}: an account with an unexpected key"))?;
        let e = left.remove(at);
        matches(&item.account, e).map_err(|m| format!("{file}: {m}"))?;
        if keeps_names && (item.account.issuer != e.issuer || item.account.label != e.label) {
            return Err(format!(
                "{file}: named {:?}/{:?}, expected {:?}/{:?}",
                item.account.issuer, item.account.label, e.issuer, e.label
            ));
        }
    }
    Ok(())
}

#[test]
fn every_fixture_yields_exactly_its_accounts() {
    let mut failures = Vec::new();
    for &(file, format, encrypted, issuers, keeps_names) in FIXTURES {
        let bytes = fixture(file);
        assert_eq!(
            backup::detect(&bytes),
            Some(format),
            "{file}: detected format"
        );
        assert_eq!(
            backup::is_encrypted(format, &bytes),
            encrypted,
            "{file}: encrypted?"
        );
        let passphrase = encrypted.then_some("test");
        match backup::read(&bytes, None, passphrase) {
            Ok(imported) => {
                assert_eq!(imported.format, format);
                if let Err(e) = check_fixture(file, &imported, issuers, keeps_names) {
                    failures.push(e);
                }
            }
            Err(e) => failures.push(format!("{file}: {e}")),
        }
        // The format named explicitly reads the same.
        assert_eq!(
            backup::read(&bytes, Some(format), passphrase)
                .map(|i| i.items.len())
                .ok(),
            Some(issuers.len()),
            "{file} with --format"
        );
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn encrypted_fixtures_need_the_right_passphrase() {
    for &(file, format, encrypted, _, _) in FIXTURES {
        if !encrypted {
            continue;
        }
        let bytes = fixture(file);
        assert_eq!(
            backup::read(&bytes, None, None),
            Err(ImportError::NeedsPassphrase(format)),
            "{file}"
        );
        assert_eq!(
            backup::read(&bytes, None, Some("tesT")),
            Err(ImportError::WrongPassphrase(format)),
            "{file}"
        );
    }
}

/// A flipped bit anywhere in an encrypted file's protected parts is an error, never other
/// accounts. (Every 7th byte, to keep the scrypt and PBKDF2 runs to a few hundred.)
#[test]
fn encrypted_fixtures_with_a_flipped_bit_are_refused() {
    for file in [
        "aegis_encrypted.json",
        "2fas_authenticator_encrypted_v4.2fas",
        "andotp_encrypted.bin",
    ] {
        let bytes = fixture(file);
        let (start, end) = match file {
            // The encrypted vault (base64) and its tag; the rest of Aegis's JSON is layout.
            "aegis_encrypted.json" => {
                let text = std::str::from_utf8(&bytes).unwrap();
                let at = text.find("\"db\": \"").unwrap() + 7;
                (at, text.len() - 4)
            }
            "2fas_authenticator_encrypted_v4.2fas" => {
                let text = std::str::from_utf8(&bytes).unwrap();
                let at = text.find("servicesEncrypted").unwrap() + 20;
                (at, at + 1000)
            }
            _ => (0, bytes.len()),
        };
        for i in (start..end).step_by(97) {
            let mut changed = bytes.clone();
            changed[i] ^= 0x04;
            let result = backup::read(&changed, None, Some("test"));
            assert!(result.is_err(), "{file}: byte {i} flipped was accepted");
        }
    }
}

fn sample_accounts() -> Vec<Item> {
    expected()
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let tail = match (e.period, e.counter) {
                (_, Some(c)) => format!("counter={c}"),
                (Some(p), _) => format!("period={p}"),
                _ => String::new(),
            };
            let link = format!(
                "otpauth://{}/{}:{}?secret={}&algorithm={}&digits={}&{tail}",
                e.kind,
                e.issuer.replace(' ', "%20"),
                e.label,
                e.secret,
                e.algorithm,
                e.digits
            );
            Item::named(
                format!("account {i}: {}", e.issuer),
                uri::parse(&link).unwrap(),
            )
        })
        .collect()
}

#[test]
fn tessera_backup_round_trip_with_the_default_key_derivation() {
    let accounts = sample_accounts();
    let file = tessera::encrypt(&accounts, "correct horse battery", KdfParams::DEFAULT, 1).unwrap();
    let imported = backup::read(&file, None, Some("correct horse battery")).unwrap();
    assert_eq!(imported.format, Format::Tessera);
    assert_eq!(imported.items, accounts);
    assert_eq!(
        backup::read(&file, None, Some("correct horse batterY")),
        Err(ImportError::WrongPassphrase(Format::Tessera))
    );
    // The file names no account and holds no key in clear.
    let text = String::from_utf8_lossy(&file);
    for Item { name, account, .. } in &accounts {
        assert!(!text.contains(name.as_deref().unwrap()));
        assert!(!text.contains(account.secret.to_base32().as_str()));
    }
}

#[test]
fn otpauth_list_round_trip() {
    let accounts: Vec<Account> = sample_accounts().into_iter().map(|i| i.account).collect();
    let text = otpauth::write_list(&accounts);
    let imported = backup::read(text.as_bytes(), None, None).unwrap();
    assert_eq!(imported.format, Format::Otpauth);
    let back: Vec<Account> = imported.items.into_iter().map(|i| i.account).collect();
    assert_eq!(back, accounts);
    // What Tessera writes is what the other apps' fixtures hold: the same accounts as plain.txt.
    let plain = backup::read(&fixture("plain.txt"), None, None).unwrap();
    assert_eq!(
        plain
            .items
            .into_iter()
            .map(|i| i.account)
            .collect::<Vec<_>>(),
        accounts
    );
}

#[test]
fn recovery_sheet_holds_every_account() {
    let accounts = sample_accounts();
    let page = sheet::html(&accounts, 1_795_305_600);
    assert!(page.contains("2026-11-22"));
    assert_eq!(page.matches("<svg").count(), accounts.len());
    for item in &accounts {
        let (name, account) = (item.shown_name(), &item.account);
        assert!(page.contains(&sheet::escape(&name)), "{name}");
        assert!(
            page.contains(sheet::grouped_key(account).as_str()),
            "{name}"
        );
    }
    assert!(page.contains("@media print"));
    assert!(!page.contains("<script"));
}

#[test]
fn unknown_and_hostile_files_are_errors() {
    for bytes in [
        &b""[..],
        b"hello",
        b"{}",
        b"{\"db\": 1}",
        b"\x89PNG\r\n\x1a\n",
        b"AUTHENTICATORPRO\x00\x01",
    ] {
        assert!(backup::read(bytes, None, Some("pw")).is_err(), "{bytes:?}");
    }
    let huge = vec![b' '; backup::MAX_BACKUP_BYTES + 1];
    assert_eq!(
        backup::read(&huge, None, None),
        Err(ImportError::TooLarge(huge.len()))
    );
    let encrypted_bitwarden = br#"{"encrypted": true, "passwordProtected": true, "items": []}"#;
    assert!(matches!(
        backup::read(encrypted_bitwarden, None, None),
        Err(ImportError::Unsupported(_))
    ));
    // A hostile andOTP header asking for 4 billion PBKDF2 rounds is refused at once.
    let mut andotp = vec![0xff, 0xff, 0xff, 0xff];
    andotp.extend([0u8; 60]);
    assert!(backup::read(&andotp, Some(Format::AndOtp), Some("pw")).is_err());
    // Aegis asking scrypt for 2^40 bytes.
    let aegis = fixture("aegis_encrypted.json");
    let greedy = String::from_utf8(aegis)
        .unwrap()
        .replace("\"n\": 32768", "\"n\": 1073741824");
    assert!(matches!(
        backup::read(greedy.as_bytes(), None, Some("test")),
        Err(ImportError::Damaged { .. })
    ));
}

#[test]
fn entries_other_apps_have_but_tessera_cannot_use_are_skipped_with_a_reason() {
    let aegis = String::from_utf8(fixture("aegis_plain.json"))
        .unwrap()
        .replacen("\"type\": \"steam\"", "\"type\": \"yandex\"", 1);
    let imported = backup::read(aegis.as_bytes(), None, None).unwrap();
    assert_eq!(imported.items.len(), 6);
    assert_eq!(imported.skipped.len(), 1);
    assert_eq!(imported.skipped[0].name, "Boeing (Sophia)");
    assert!(
        imported.skipped[0].reason.contains("yandex"),
        "{}",
        imported.skipped[0]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Arbitrary bytes after each format's opening never panic.
    #[test]
    fn arbitrary_bytes_never_panic(
        prefix in prop::sample::select(vec![
            &b""[..], b"{\"format\":\"tessera-backup\"", b"{\"header\":", b"[", b"otpauth://totp/",
            b"{\"services\":", b"folder,favorite,type,name,notes,fields,login_uri,login_username,login_password,login_totp\n",
            b"\x00\x00\x10\x00",
        ]),
        tail in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut bytes = prefix.to_vec();
        bytes.extend(tail);
        let _ = backup::read(&bytes, None, Some("pw"));
        for format in Format::ALL {
            if format != Format::AndOtp {
                let _ = backup::read(&bytes, Some(format), Some("pw"));
            }
        }
    }
}

/// Tags (or groups, or categories) and notes, by issuer, as each file holds them.
fn meta_by_issuer(file: &str, dir: &str) -> Vec<(String, Vec<String>, String)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir)
        .join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let imported = backup::read(&bytes, None, None).unwrap_or_else(|e| panic!("{file}: {e}"));
    imported
        .items
        .into_iter()
        .filter(|i| !i.meta.tags.is_empty() || !i.meta.note.is_empty())
        .map(|i| (i.account.issuer, i.meta.tags, i.meta.note))
        .collect()
}

#[test]
fn groups_tags_and_notes_come_in_from_every_format_that_has_them() {
    let strings = |s: &[&str]| s.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    for (file, dir, expected) in [
        (
            "aegis_plain_grouped_v2.json",
            "interop",
            vec![
                ("Deno", strings(&["group1"]), ""),
                ("Airbnb", strings(&["group1"]), ""),
                ("Issuu", strings(&["group2"]), ""),
            ],
        ),
        (
            "aegis_plain_v3_groups.json",
            "meta",
            vec![
                (
                    "Deno",
                    strings(&["Work", "Test users"]),
                    "Reset by the IAM admin",
                ),
                ("SPDX", strings(&["Test users"]), ""),
            ],
        ),
        (
            "2fas_groups.2fas",
            "meta",
            vec![(
                "Air Canada",
                strings(&["Travel"]),
                "Miles account, PIN in the safe",
            )],
        ),
        (
            "andotp_tags.json",
            "meta",
            vec![
                ("Deno", strings(&["work", "prod"]), ""),
                ("Issuu", strings(&["hotp"]), ""),
            ],
        ),
        (
            "ente_tags.txt",
            "meta",
            vec![
                (
                    "Air Canada",
                    strings(&["airline", "travel"]),
                    "frequent flyer",
                ),
                ("Airbnb", strings(&["travel"]), ""),
            ],
        ),
        (
            "stratum_categories.json",
            "meta",
            vec![
                ("Deno", strings(&["Personal"]), ""),
                ("Boeing", strings(&["Games"]), ""),
            ],
        ),
    ] {
        let got = meta_by_issuer(file, dir);
        let expected: Vec<(String, Vec<String>, String)> = expected
            .into_iter()
            .map(|(i, t, n)| (i.to_owned(), t, n.to_owned()))
            .collect();
        assert_eq!(got, expected, "{file}");
    }
}

#[test]
fn aegis_favourites_and_ente_pins_come_in_pinned() {
    for (file, pinned) in [
        ("aegis_plain_v3_groups.json", "Deno"),
        ("ente_tags.txt", "Airbnb"),
    ] {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/meta")
            .join(file);
        let imported = backup::read(&std::fs::read(path).unwrap(), None, None).unwrap();
        let got: Vec<_> = imported
            .items
            .iter()
            .filter(|i| i.meta.pinned)
            .map(|i| i.account.issuer.as_str())
            .collect();
        assert_eq!(got, [pinned], "{file}");
    }
}

#[test]
fn tags_notes_and_pins_survive_tessera_and_aegis_backups() {
    let mut accounts = sample_accounts();
    accounts[0].meta = tessera_core::meta::Meta::imported(["prod", "admins"], "two\nlines");
    accounts[1].meta.pinned = true;
    accounts[3].meta = tessera_core::meta::Meta::imported(["prod"], "");
    let file = tessera::encrypt(&accounts, "correct horse battery", KdfParams::DEFAULT, 1).unwrap();
    let back = backup::read(&file, None, Some("correct horse battery")).unwrap();
    assert_eq!(back.items, accounts);
    let aegis = backup::export(backup::ExportFormat::AegisPlain, &accounts, None, 1).unwrap();
    let back = backup::read(&aegis, None, None).unwrap();
    let metas: Vec<_> = back.items.iter().map(|i| i.meta.clone()).collect();
    let sent: Vec<_> = accounts.iter().map(|i| i.meta.clone()).collect();
    assert_eq!(metas, sent);
}

#[test]
fn aegis_icons_come_in_and_go_out_again() {
    use tessera_core::meta::{IconChoice, ImageKind};
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/meta/aegis_plain_v3_icons.json");
    let imported = backup::read(&std::fs::read(path).unwrap(), None, None).unwrap();
    let kinds: Vec<(&str, Option<ImageKind>)> = imported
        .items
        .iter()
        .take(4)
        .map(|i| {
            let kind = match &i.meta.icon {
                IconChoice::Custom(image) => Some(image.kind()),
                _ => None,
            };
            (i.account.issuer.as_str(), kind)
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("Deno", Some(ImageKind::Png)),
            ("SPDX", Some(ImageKind::Svg)),
            ("Airbnb", None),
            ("Issuu", None)
        ],
        "a GIF and a number are no icon"
    );
    let png = include_bytes!("../../../icons/16x16.png");
    assert!(matches!(&imported.items[0].meta.icon, IconChoice::Custom(i) if i.data() == png));

    let mut accounts = imported.items.clone();
    accounts[2].meta.icon = IconChoice::bundled("simple-icons/airbnb").unwrap();
    let aegis = backup::export(backup::ExportFormat::AegisPlain, &accounts, None, 1).unwrap();
    let back = backup::read(&aegis, None, None).unwrap();
    assert_eq!(back.items[0].meta.icon, accounts[0].meta.icon);
    assert_eq!(back.items[1].meta.icon, accounts[1].meta.icon);
    match &back.items[2].meta.icon {
        IconChoice::Custom(image) => {
            let svg = std::str::from_utf8(image.data()).unwrap();
            assert!(svg.starts_with("<svg") && svg.contains("fill=\"#"), "{svg}");
        }
        other => panic!("a chosen bundled icon goes to Aegis as its SVG, not {other:?}"),
    }
    let file = tessera::encrypt(&accounts, "correct horse battery", KdfParams::DEFAULT, 1).unwrap();
    let back = backup::read(&file, None, Some("correct horse battery")).unwrap();
    let icons = |items: &[Item]| {
        items
            .iter()
            .map(|i| i.meta.icon.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        icons(&back.items),
        icons(&accounts),
        "Tessera's backup keeps every kind of icon"
    );
}
