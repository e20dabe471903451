//! Backups through the window, end to end: accounts exported to an encrypted Tessera backup from
//! one vault, restored into an empty one (a wrong passphrase first), and imported again as
//! duplicates; and the Aegis export Tessera reads back. Real window, real native file choosers
//! (answered with xdotool), real Secret Service.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use serde_json::Value;
use tessera_e2e::{App, answer_file_chooser, cli};

const PASSPHRASE: &str = "tuesday pelican lantern 42";

const ACCOUNTS: &[(&str, &str)] = &[
    (
        "staging-tester-07",
        "otpauth://totp/Amazon%20Web%20Services:admin@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services",
    ),
    (
        "github",
        "otpauth://totp/GitHub:octocat?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA256&digits=8",
    ),
    (
        "bank token",
        "otpauth://hotp/Bank:card?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&counter=41",
    ),
];

/// `list --json` of the vault in `home`, without the ids.
fn listing_at(home: &Path) -> Vec<Value> {
    let mut list: Vec<Value> =
        serde_json::from_slice(&cli(home, &["list", "--json"], "").stdout).unwrap();
    for entry in &mut list {
        entry.as_object_mut().unwrap().remove("id");
    }
    list
}

/// `list --json` of the app's vault, without the ids.
fn listing(app: &App) -> Vec<Value> {
    listing_at(app.data_home.path())
}

/// The window on a vault holding ACCOUNTS, with the Export dialog open.
async fn export_dialog_open(name: &'static str) -> App {
    let mut app = App::start(name, |home| {
        for (name, link) in ACCOUNTS {
            cli(home, &["add", "--name", name, "--uri", link], "");
        }
    })
    .await;
    app.click("#settings-button").await;
    app.click("#export-button").await;
    wait_open(&app, "export-dialog").await;
    app
}

async fn is_open(app: &App, dialog: &str) -> bool {
    app.eval(&format!("return document.getElementById('{dialog}').open"))
        .await
        == Value::Bool(true)
}

/// Waits until the dialog with this id is open.
async fn wait_open(app: &App, dialog: &str) {
    app.eventually(&format!("the {dialog}"), || is_open(app, dialog))
        .await;
}

#[tokio::test]
async fn export_then_restore_through_the_window() {
    let backup_dir = tempfile::tempdir().unwrap();
    let file = backup_dir.path().join("accounts.tessera");

    // ---- Export from a vault with three accounts.
    let mut app = export_dialog_open("backup-export").await;
    let source = listing(&app);
    // A short passphrase, then two that differ: Export stays disabled, the hint says why.
    app.type_into("#export-pass", "short").await;
    assert!(app.text("#export-strength").await.starts_with("Too short"));
    app.type_into("#export-pass", "\u{E009}a\u{E009}").await;
    app.type_into("#export-pass", PASSPHRASE).await;
    app.type_into("#export-pass2", "tuesday pelican lantern 43")
        .await;
    assert_eq!(
        app.text("#export-strength").await,
        "The two passphrases differ."
    );
    assert_eq!(
        app.eval("return document.getElementById('export-submit').disabled")
            .await,
        Value::Bool(true)
    );
    app.type_into("#export-pass2", "\u{E009}a\u{E009}").await;
    app.type_into("#export-pass2", PASSPHRASE).await;
    assert_eq!(app.text("#export-strength").await, "Strong.");
    app.screenshot("export-dialog").await;
    app.click("#export-submit").await;
    answer_file_chooser("Save backup", &file);
    app.eventually("the backup written", || async {
        !is_open(&app, "export-dialog").await && file.exists()
    })
    .await;
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"{\"format\":\"tessera-backup\""));
    assert!(!String::from_utf8_lossy(&bytes).contains("JBSWY3DPEHPK3PXP"));
    app.stop().await;

    // ---- Restore into an empty vault.
    let mut app = App::start("backup-restore", |_| {}).await;
    app.click("#empty-import").await;
    answer_file_chooser("Import backup", &file);
    wait_open(&app, "import-dialog").await;
    assert_eq!(
        app.text("#import-text").await,
        "accounts.tessera is an encrypted Tessera backup. Enter its passphrase."
    );
    app.type_into("#import-pass", "tuesday pelican lantern 24\u{E007}")
        .await;
    app.eventually("the wrong passphrase said", || async {
        app.text("#import-error")
            .await
            .starts_with("Wrong passphrase")
    })
    .await;
    assert!(is_open(&app, "import-dialog").await);
    assert!(listing(&app).is_empty());
    app.type_into("#import-pass", "\u{E009}a\u{E009}").await;
    app.type_into("#import-pass", &format!("{PASSPHRASE}\u{E007}"))
        .await;
    wait_open(&app, "scan-dialog").await;
    assert_eq!(
        app.text("#scan-title").await,
        "Import from accounts.tessera: 3 accounts"
    );
    let names = app
        .eval("return [...document.querySelectorAll('#scan-found .scan-name')].map(i => i.value)")
        .await;
    assert_eq!(
        names,
        serde_json::json!(["staging-tester-07", "github", "bank token"])
    );
    assert!(listing(&app).is_empty(), "nothing added before Add");
    app.screenshot("import-preview").await;
    app.click("#scan-add").await;
    app.eventually("the restored accounts in the list", || async {
        app.visible_names().await == ["staging-tester-07", "github", "bank token"]
    })
    .await;
    // Everything came back: names, order, issuers, labels, parameters, the HOTP counter.
    assert_eq!(listing(&app), source);
    let code = |app: &App, name: &str| {
        String::from_utf8(app.cli(&["code", name, "--at", "1795305600"], "").stdout).unwrap()
    };
    let direct = String::from_utf8(
        cli(
            app.data_home.path(),
            &["code", "--uri", ACCOUNTS[1].1, "--at", "1795305600"],
            "",
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(code(&app, "github"), direct);

    // ---- The same backup again: every account a duplicate, unticked; nothing to add.
    app.click("#settings-button").await;
    app.click("#import-button").await;
    answer_file_chooser("Import backup", &file);
    wait_open(&app, "import-dialog").await;
    app.type_into("#import-pass", &format!("{PASSPHRASE}\u{E007}"))
        .await;
    wait_open(&app, "scan-dialog").await;
    assert_eq!(
        app.eval("return [...document.querySelectorAll('#scan-found .scan-duplicate')].length")
            .await,
        serde_json::json!(3)
    );
    assert_eq!(
        app.eval("return document.getElementById('scan-add').disabled")
            .await,
        Value::Bool(true)
    );
    app.click("#scan-cancel").await;
    assert_eq!(listing(&app).len(), 3);
    app.stop().await;
}

/// How many accounts the large import has: 40, or TESSERA_BENCH_IMPORT (`make bench`: 1000),
/// when the test also times the window's import beside `tessera import` of the same file.
fn large_import() -> usize {
    std::env::var("TESSERA_BENCH_IMPORT")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40)
}

/// `tessera import` of `list` into a vault of its own, timed; its keys are then deleted, so that
/// the window's import meets the keychain as this one did.
fn cli_import_seconds(list: &Path) -> f64 {
    let home = tempfile::tempdir().unwrap();
    let start = std::time::Instant::now();
    cli(
        home.path(),
        &["import", "--format", "otpauth", list.to_str().unwrap()],
        "",
    );
    let took = start.elapsed().as_secs_f64();
    let ids: Vec<String> =
        serde_json::from_slice::<Vec<Value>>(&cli(home.path(), &["list", "--json"], "").stdout)
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_owned())
            .collect();
    let mut args = vec!["remove", "--yes", "--purge"];
    args.extend(ids.iter().map(String::as_str));
    cli(home.path(), &args, "");
    took
}

/// A large import shows its progress while the keys are written, then every account.
#[tokio::test]
async fn a_large_import_shows_progress() {
    let n = large_import();
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("accounts.txt");
    let lines: String = (0..n)
        .map(|i| {
            let key =
                data_encoding::BASE32_NOPAD.encode(format!("key number {i:03} bytes").as_bytes());
            format!("otpauth://totp/Bulk:user{i:02}?secret={key}&issuer=Bulk\n")
        })
        .collect();
    std::fs::write(&list, lines).unwrap();
    let bench = std::env::var_os("TESSERA_BENCH_IMPORT").is_some();
    let cli_seconds = bench.then(|| cli_import_seconds(&list));

    let mut app = App::start("backup-progress", |_| {}).await;
    app.click("#empty-import").await;
    answer_file_chooser("Import backup", &list);
    wait_open(&app, "scan-dialog").await;
    assert_eq!(
        app.text("#scan-title").await,
        format!("Import from accounts.txt: {n} accounts")
    );
    // Every value the progress bar shows, recorded as it changes.
    app.eval(
        "window.seen = []; const p = document.getElementById('scan-progress'); \
         new MutationObserver(() => window.seen.push(`${p.value}/${p.max}`)) \
           .observe(p, { attributes: true, attributeFilter: ['value'] }); return null",
    )
    .await;
    let start = std::time::Instant::now();
    app.click("#scan-add").await;
    // Every account in the window's list (each row tells how many there are).
    let total = n.to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(600);
    while app
        .eval("return document.querySelector('#list .row')?.getAttribute('aria-setsize') ?? ''")
        .await
        != Value::String(total.clone())
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the {n} accounts never showed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let window_seconds = start.elapsed().as_secs_f64();
    assert_eq!(listing(&app).len(), n);
    let seen = app.eval("return window.seen").await;
    let seen: Vec<String> = serde_json::from_value(seen).unwrap();
    assert!(seen.contains(&format!("10/{n}")), "{seen:?}");
    assert_eq!(seen.last(), Some(&format!("{n}/{n}")), "{seen:?}");
    if let Some(cli_seconds) = cli_seconds {
        println!(
            "import of {n} accounts: the window {window_seconds:.2} s (Add to the last row \
             listed), `tessera import` {cli_seconds:.2} s: {:.2}x",
            window_seconds / cli_seconds
        );
    }
    app.stop().await;
}

/// "Encrypted Aegis vault" in the Export dialog writes an Aegis vault behind the passphrase
/// (one scrypt password slot, the database encrypted), which Tessera's own reader takes back
/// into a fresh vault with every name and parameter.
#[tokio::test]
async fn the_aegis_choice_exports_an_encrypted_aegis_vault() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("accounts.json");
    let mut app = export_dialog_open("backup-aegis").await;
    let source = listing(&app);
    app.click("input[name='export-kind'][value='aegis']").await;
    app.type_into("#export-pass", PASSPHRASE).await;
    app.type_into("#export-pass2", PASSPHRASE).await;
    assert_eq!(app.text("#export-submit").await, "Export…");
    app.click("#export-submit").await;
    answer_file_chooser("Save backup", &file);
    app.eventually("the vault written", || async {
        !is_open(&app, "export-dialog").await && file.exists()
    })
    .await;
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("JBSWY3DPEHPK3PXP") && !text.contains("staging"));
    let vault: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(vault["version"], 1);
    assert_eq!(vault["header"]["slots"][0]["type"], 1);
    assert_eq!(vault["header"]["slots"][0]["n"], 32768);
    assert!(vault["db"].is_string(), "the database is encrypted");
    app.stop().await;

    let fresh = tempfile::tempdir().unwrap();
    cli(
        fresh.path(),
        &["import", file.to_str().unwrap(), "--password-file", "-"],
        PASSPHRASE,
    );
    assert_eq!(listing_at(fresh.path()), source);
}
