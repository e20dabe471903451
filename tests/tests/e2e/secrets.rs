//! Key material in the window: a key, link or passphrase typed into a dialog is gone from the
//! page once the dialog closes (Cancel and Esc included), a revealed key leaves with the details
//! dialog, and nothing the app prints while adding, pasting, scanning, importing and revealing
//! (with RUST_LOG=trace and RUST_BACKTRACE=full) holds a key or a passphrase. Real window, real
//! Secret Service, real file chooser.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use tessera_e2e::{App, answer_file_chooser, cli, copy_image, serve_clipboard};
use tessera_test_support::qr_png;

/// In the vault before the window opens; revealed in the details.
const VAULT_KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/// Typed into the Add dialog.
const TYPED_KEY: &str = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU";
/// Pasted into the Add dialog as a link.
const LINK_KEY: &str = "ONSWG4TFORZXI5LGMZSXI43FMNZGK5DT";
/// On the clipboard, as a link in text and as a QR code in an image.
const PASTED_KEY: &str = "MNWGS4DCN5QXEZDUMV4HIY3MNFYGE33B";
/// In the backup imported through the window.
const BACKUP_KEY: &str = "OBQXG43QNBZGC43FNVQXG43QNBZGC43F";
const BACKUP_PASSPHRASE: &str = "orchid tunnel gravel 58";
const WRONG_PASSPHRASE: &str = "walnut desert signal 31";
const EXPORT_PASSPHRASE: &str = "zebra quantum lantern 77";

fn link(key: &str, label: &str) -> String {
    format!("otpauth://totp/Leak%20Test:{label}?secret={key}&issuer=Leak%20Test")
}

/// Every form a secret can take on screen or in a message: as given, lower case, and in the
/// groups of four the details dialog shows.
fn forms(secret: &str) -> Vec<String> {
    let grouped: Vec<String> = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    vec![secret.to_owned(), secret.to_lowercase(), grouped.join(" ")]
}

/// Everything the page holds as text: the document (text nodes and attributes) and the
/// current value of every input and text area.
async fn page_text(app: &App) -> String {
    let value = app
        .eval(
            "return document.documentElement.outerHTML + '\\n' + \
             [...document.querySelectorAll('input, textarea, select')].map(f => f.value).join('\\n')",
        )
        .await;
    value.as_str().unwrap().to_owned()
}

#[track_caller]
fn assert_absent(text: &str, secret: &str, place: &str) {
    for form in forms(secret) {
        assert!(!text.contains(&form), "{form:?} is still in {place}");
    }
}

/// The page holds no form of `secret`.
async fn forgotten(app: &App, secret: &str, place: &str) {
    assert_absent(&page_text(app).await, secret, place);
}

async fn is_open(app: &App, dialog: &str) -> bool {
    app.eval(&format!("return document.getElementById('{dialog}').open"))
        .await
        == Value::Bool(true)
}

async fn wait_open(app: &App, dialog: &str) {
    app.eventually(dialog, || async { is_open(app, dialog).await })
        .await;
}

async fn wait_closed(app: &App, dialog: &str) {
    app.eventually(dialog, || async { !is_open(app, dialog).await })
        .await;
}

/// Types `secret` into `field` of the Add dialog, checks it is in the page, closes the dialog
/// with `close` (a button's CSS, or None for Esc), and checks the page no longer has it.
async fn type_then_close_add(
    app: &mut App,
    tab: &str,
    field: &str,
    text: &str,
    secret: &str,
    close: Option<&str>,
) {
    app.click("#add-button").await;
    wait_open(app, "add-dialog").await;
    app.click(tab).await;
    app.type_into(field, text).await;
    app.eventually("the key checked", || async {
        app.text("#add-check").await.starts_with('✓')
    })
    .await;
    assert!(
        page_text(app).await.contains(secret),
        "the typed key is read back"
    );
    match close {
        Some(button) => app.click(button).await,
        None => app.press("\u{E00C}").await, // Esc
    }
    wait_closed(app, "add-dialog").await;
    forgotten(app, secret, "the page after the Add dialog closed").await;
}

/// Adds an account through the Add dialog: `text` typed into `field` of `tab`, named `name`.
async fn add_for_real(app: &mut App, tab: &str, field: &str, text: &str, name: &str) {
    app.click("#add-button").await;
    app.click(tab).await;
    app.type_into(field, text).await;
    app.type_into("#add-name", name).await;
    app.eventually("the key checked", || async {
        app.text("#add-check").await.starts_with('✓')
    })
    .await;
    app.click("#add-submit").await;
    app.eventually(name, || async {
        app.visible_names().await.iter().any(|n| n == name)
    })
    .await;
}

/// Settings → Import backup…, the file chosen in the native chooser, the passphrase typed.
async fn import_with(app: &mut App, backup: &std::path::Path, passphrase: &str) {
    app.click("#settings-button").await;
    app.click("#import-button").await;
    answer_file_chooser("Import backup", backup);
    wait_open(app, "import-dialog").await;
    app.type_into("#import-pass", &format!("{passphrase}\u{E007}"))
        .await;
}

#[tokio::test]
async fn keys_and_passphrases_leave_the_page_and_never_reach_the_output() {
    let backup_dir = tempfile::tempdir().unwrap();
    let backup = backup_dir.path().join("leak-test.tessera");
    // A backup made with the CLI from a vault of its own, to import in the window.
    {
        let other = tempfile::tempdir().unwrap();
        cli(
            other.path(),
            &[
                "add",
                "--name",
                "backed-up",
                "--uri",
                &link(BACKUP_KEY, "backup"),
            ],
            "",
        );
        let out = cli(
            other.path(),
            &[
                "export",
                "--format",
                "tessera",
                "--output",
                backup.to_str().unwrap(),
                "--password-file",
                "-",
            ],
            BACKUP_PASSPHRASE,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let mut app = App::start_with(
        "secrets",
        &[("RUST_LOG", "trace"), ("RUST_BACKTRACE", "full")],
        |home| {
            cli(
                home,
                &[
                    "add",
                    "--name",
                    "in-vault",
                    "--uri",
                    &link(VAULT_KEY, "vault"),
                ],
                "",
            );
        },
    )
    .await;
    app.eventually("the vault's row", || async {
        app.visible_names().await == ["in-vault"]
    })
    .await;

    // ---- The Add dialog: a typed key and a pasted link, closed with Cancel and with Esc.
    let typed_link = link(LINK_KEY, "link");
    for (tab, field, text, secret) in [
        ("#tab-key", "#add-secret", TYPED_KEY, TYPED_KEY),
        ("#tab-uri", "#add-uri", typed_link.as_str(), LINK_KEY),
    ] {
        for close in [Some("#add-cancel"), None] {
            type_then_close_add(&mut app, tab, field, text, secret, close).await;
        }
    }
    // And added for real, by key and by link: the dialog closes with nothing left.
    add_for_real(&mut app, "#tab-key", "#add-secret", TYPED_KEY, "typed").await;
    add_for_real(&mut app, "#tab-uri", "#add-uri", &typed_link, "linked").await;
    let page = page_text(&app).await;
    assert_absent(&page, TYPED_KEY, "the page after adding");
    assert_absent(&page, LINK_KEY, "the page after adding");

    // ---- The export dialog: a passphrase typed twice, then Cancel.
    app.click("#settings-button").await;
    app.click("#export-button").await;
    wait_open(&app, "export-dialog").await;
    app.type_into("#export-pass", EXPORT_PASSPHRASE).await;
    app.type_into("#export-pass2", EXPORT_PASSPHRASE).await;
    assert!(page_text(&app).await.contains(EXPORT_PASSPHRASE));
    app.click("#export-cancel").await;
    wait_closed(&app, "export-dialog").await;
    forgotten(
        &app,
        EXPORT_PASSPHRASE,
        "the page after Export was cancelled",
    )
    .await;

    // ---- Settings → Automatic backups: a passphrase typed twice, then Settings closed.
    let settings_open = "return document.getElementById('settings-dialog').open";
    if app.eval(settings_open).await != Value::Bool(true) {
        app.click("#settings-button").await;
    }
    app.type_into("#auto-backup-pass", EXPORT_PASSPHRASE).await;
    app.type_into("#auto-backup-pass2", EXPORT_PASSPHRASE).await;
    assert!(page_text(&app).await.contains(EXPORT_PASSPHRASE));
    app.click("#settings-done").await;
    wait_closed(&app, "settings-dialog").await;
    forgotten(&app, EXPORT_PASSPHRASE, "the page after Settings closed").await;

    // ---- Details: the revealed key leaves with the dialog.
    app.open_details(".row:nth-child(1)").await;
    app.click("#details-reveal").await;
    app.eventually("the revealed key", || async {
        app.text("#details-key").await == forms(VAULT_KEY)[2]
    })
    .await;
    app.press("\u{E00C}").await;
    wait_closed(&app, "details-dialog").await;
    forgotten(&app, VAULT_KEY, "the page after the details closed").await;

    // ---- Import: a wrong passphrase, then Cancel; then the right one, and the accounts added.
    import_with(&mut app, &backup, WRONG_PASSPHRASE).await;
    app.eventually("the wrong passphrase said", || async {
        app.text("#import-error")
            .await
            .starts_with("Wrong passphrase")
    })
    .await;
    app.click("#import-cancel").await;
    wait_closed(&app, "import-dialog").await;
    forgotten(
        &app,
        WRONG_PASSPHRASE,
        "the page after Import was cancelled",
    )
    .await;
    import_with(&mut app, &backup, BACKUP_PASSPHRASE).await;
    wait_open(&app, "scan-dialog").await;
    app.click("#scan-add").await;
    app.eventually("the imported account", || async {
        app.visible_names().await.len() == 4
    })
    .await;
    let page = page_text(&app).await;
    assert_absent(&page, BACKUP_PASSPHRASE, "the page after importing");
    assert_absent(&page, BACKUP_KEY, "the page after importing");

    // ---- The clipboard: a link copied as text, then a screenshot of its QR code (no WebDriver
    // screenshots from here: see tests/scan.rs).
    let pasted_link = link(PASTED_KEY, "pasted");
    let text_file = backup_dir.path().join("link.txt");
    std::fs::write(&text_file, &pasted_link).unwrap();
    serve_clipboard(&text_file, "UTF8_STRING");
    app.click("#list").await;
    app.press("\u{E009}v\u{E009}").await;
    wait_open(&app, "scan-dialog").await;
    assert_eq!(app.text("#scan-title").await, "Found 1 account");
    app.click("#scan-cancel").await;
    wait_closed(&app, "scan-dialog").await;
    let image = backup_dir.path().join("pasted.png");
    qr_png(&image, &pasted_link);
    copy_image(&image);
    app.click("#list").await;
    app.press("\u{E009}v\u{E009}").await;
    wait_open(&app, "scan-dialog").await;
    app.click("#scan-add").await;
    app.eventually("the pasted account", || async {
        app.visible_names().await.len() == 5
    })
    .await;
    let page = page_text(&app).await;
    for key in [VAULT_KEY, TYPED_KEY, LINK_KEY, PASTED_KEY, BACKUP_KEY] {
        assert_absent(&page, key, "the page at the end");
    }

    // ---- Nothing printed or logged holds a key or a passphrase. (The app's standard error is
    // the log: checked, so that an empty log can't pass for a clean one.)
    let log_path = app.log.clone();
    let pid = std::process::Command::new("pgrep")
        .args(["-f", "target/debug/tessera-desktop"])
        .output()
        .unwrap();
    let pid = String::from_utf8(pid.stdout).unwrap();
    let stderr = std::fs::read_link(format!("/proc/{}/fd/2", pid.trim())).unwrap();
    assert_eq!(stderr, log_path);
    app.stop().await;
    let log = std::fs::read_to_string(&log_path).unwrap();
    for secret in [
        VAULT_KEY,
        TYPED_KEY,
        LINK_KEY,
        PASTED_KEY,
        BACKUP_KEY,
        BACKUP_PASSPHRASE,
        WRONG_PASSPHRASE,
        EXPORT_PASSPHRASE,
    ] {
        assert_absent(&log, secret, "what the app printed");
    }
}
