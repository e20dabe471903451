//! Scanning QR codes in the Tessera window, end to end: a code shown by another program on the
//! (Xvfb) screen, and screenshots pasted from the clipboard. Real window, real Secret Service,
//! real X clipboard.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use serde_json::Value;
use tessera_core::{Account, Secret, migration, uri};
use tessera_e2e::{App, Picture, Portal, copy_image};
use tessera_test_support::{now, qr_png};

const AWS: &str = "otpauth://totp/Amazon%20Web%20Services:admin@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services";

fn list_json(app: &App) -> Vec<Value> {
    serde_json::from_slice(&app.cli(&["list", "--json"], "").stdout).unwrap()
}

/// The most memory (VmHWM, MB) the running process whose command line contains `command` has
/// held.
fn peak_memory_mb(command: &str) -> u64 {
    let out = std::process::Command::new("pgrep")
        .args(["-f", command])
        .output()
        .expect("pgrep (procps): `make test` installs it");
    let pid = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .expect("the app's process")
        .to_owned();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status");
    kb / 1024
}

/// Puts the image on the clipboard and presses Ctrl+V on the list; the scan dialog's title.
/// (No WebDriver screenshots after this: once xclip serves an image on the clipboard,
/// WebKitWebDriver's screenshot command never returns; the app's main loop is idle meanwhile,
/// seen with gdb.)
async fn paste(app: &mut App, image: &Path) -> String {
    copy_image(image);
    app.click("#list").await;
    app.press("\u{E009}v\u{E009}").await;
    dialog_title(app).await
}

/// The problems the scan dialog lists, as one text. (textContent: WebDriver's element text
/// hangs on this list in WebKitWebDriver.)
async fn problems(app: &App) -> String {
    let text = app
        .eval("return document.getElementById('scan-problems').textContent")
        .await;
    text.as_str().unwrap_or_default().to_owned()
}

async fn dialog_title(app: &App) -> String {
    app.eventually_true(
        "the scan dialog",
        "return document.getElementById('scan-dialog').open",
    )
    .await;
    app.text("#scan-title").await
}

#[tokio::test]
async fn scan_screen_reads_a_code_in_another_window() {
    let mut app = App::start("scan-screen", |_| {}).await;
    let image = app.data_home.path().join("aws-qr.png");
    qr_png(&image, AWS);
    // Where the Tessera window may well be: it hides while the screen is read.
    let _picture = Picture::show(&image, 300, 150);

    app.click("#scan-button").await;
    assert_eq!(dialog_title(&app).await, "Found 1 account");
    app.screenshot("found").await;
    assert_eq!(
        app.text("#scan-found .scan-facts").await,
        "Amazon Web Services · admin@123456789012 — TOTP, SHA1, 6 digits, every 30 s"
    );
    // The name is editable before anything is added; nothing is in the vault yet.
    assert!(list_json(&app).is_empty());
    app.type_into(
        "#scan-found .scan-name",
        "\u{E009}a\u{E009}staging-tester-07",
    )
    .await;
    app.click("#scan-add").await;
    app.eventually("the account in the list", || async {
        app.visible_names().await == ["staging-tester-07"]
    })
    .await;
    let before = now();
    let shown: String = app
        .text(".row .code")
        .await
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let account = uri::parse(AWS).unwrap();
    assert!(
        (before..=now()).any(|t| account.code_at(t) == shown),
        "shown {shown}"
    );
    assert_eq!(list_json(&app)[0]["name"], "staging-tester-07");

    // Scanned again: marked as already there, not ticked, Add disabled.
    app.click("#scan-button").await;
    assert_eq!(dialog_title(&app).await, "Found 1 account");
    assert_eq!(
        app.text("#scan-found .scan-duplicate").await,
        "Already in Tessera as “staging-tester-07”"
    );
    assert_eq!(
        app.eval("return document.querySelector('#scan-found input[type=checkbox]').checked")
            .await,
        Value::Bool(false)
    );
    assert_eq!(
        app.eval("return document.getElementById('scan-add').disabled")
            .await,
        Value::Bool(true)
    );
    app.screenshot("duplicate").await;
    app.click("#scan-cancel").await;
    assert_eq!(list_json(&app).len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn paste_a_screenshot_with_ctrl_v() {
    let mut app = App::start("scan-paste", |_| {}).await;
    let dir = app.data_home.path().to_owned();

    // A screenshot without a code: said so, with a hint, nothing added.
    let blank = dir.join("blank.png");
    image::GrayImage::from_pixel(400, 300, image::Luma([255]))
        .save(&blank)
        .unwrap();
    assert_eq!(paste(&mut app, &blank).await, "No QR code found");
    let found = problems(&app).await;
    assert!(found.contains("no QR code found"), "{found}");
    assert_eq!(
        app.eval("return document.getElementById('scan-hint').hidden")
            .await,
        Value::Bool(false)
    );
    app.click("#scan-cancel").await;

    // A decompression bomb: 81 megapixels in 400 KB of PNG. Its PNG is read from the clipboard
    // and refused from its header, before any pixel is decoded.
    let bomb = dir.join("bomb.png");
    image::GrayImage::from_pixel(9000, 9000, image::Luma([255]))
        .save(&bomb)
        .unwrap();
    assert_eq!(paste(&mut app, &bomb).await, "No QR code found");
    let found = problems(&app).await;
    assert!(
        found.contains("the image is too large (9000 x 9000 pixels)"),
        "{found}"
    );
    // Never decoded. Measured: the app peaks at 172 MB this way, and at 866 MB when the
    // clipboard plugin decodes the image first (as before the PNG was read from X directly).
    let peak = peak_memory_mb("target/debug/tessera-desktop");
    assert!(peak < 400, "the app's memory peaked at {peak} MB");
    app.click("#scan-cancel").await;

    // A Google Authenticator export of three accounts.
    let accounts: Vec<Account> = ["alice", "bob", "carol"]
        .iter()
        .enumerate()
        .map(|(n, label)| Account {
            issuer: "Example".into(),
            label: (*label).into(),
            secret: Secret::from_bytes(vec![n as u8 + 1; 20]).unwrap(),
            params: tessera_core::Params::totp(tessera_core::Algorithm::Sha1, 6, 30).unwrap(),
        })
        .collect();
    let export = dir.join("export.png");
    qr_png(&export, &migration::format(&accounts, 0, 1, 5));
    assert_eq!(paste(&mut app, &export).await, "Found 3 accounts");
    // Leave bob out, rename carol.
    app.click("#scan-found li:nth-child(2) input[type=checkbox]")
        .await;
    app.type_into(
        "#scan-found li:nth-child(3) .scan-name",
        "\u{E009}a\u{E009}carol-prod",
    )
    .await;
    assert_eq!(app.text("#scan-add").await, "Add 2 accounts");
    app.click("#scan-add").await;
    app.eventually("two accounts listed", || async {
        app.visible_names().await.len() == 2
    })
    .await;
    // "Example (alice)" was named by Tessera: its row reads as its label.
    assert_eq!(app.visible_names().await, ["alice", "carol-prod"]);
    let listed = list_json(&app);
    assert_eq!(listed[1]["name"], "carol-prod");
    assert_eq!(listed[1]["label"], "carol");
    app.stop().await;
}

/// Add → Open image…: an image file chosen in the native file chooser (answered with the
/// keyboard through xdotool), its account listed to confirm and added.
#[tokio::test]
async fn open_image_through_the_file_chooser() {
    let mut app = App::start("scan-open-image", |_| {}).await;
    let image = app.data_home.path().join("aws.png");
    qr_png(&image, AWS);
    app.click("#add-button").await;
    app.click("#add-open-image").await;
    tessera_e2e::answer_file_chooser("Open images of QR codes", &image);
    assert_eq!(dialog_title(&app).await, "Found 1 account");
    assert_eq!(
        app.text("#scan-found .scan-facts").await,
        "Amazon Web Services · admin@123456789012 — TOTP, SHA1, 6 digits, every 30 s"
    );
    app.click("#scan-add").await;
    app.eventually("the account in the list", || async {
        app.visible_names().await == ["admin@123456789012"]
    })
    .await;
    assert_eq!(list_json(&app)[0]["issuer"], "Amazon Web Services");
    app.stop().await;
}

/// On Wayland the screen comes from the desktop's screenshot portal, which leaves the image (and
/// so the key in the QR code) in a file: Tessera reads it and deletes it. Here a stand-in portal
/// on the private session bus plays the desktop; the app believes it is on Wayland
/// (WAYLAND_DISPLAY set) while GTK draws on Xvfb (GDK_BACKEND=x11).
#[tokio::test]
async fn scan_screen_through_the_wayland_portal_leaves_no_file() {
    let pictures = tempfile::tempdir().unwrap();
    let images = tempfile::tempdir().unwrap();
    let with_code = images.path().join("aws.png");
    qr_png(&with_code, AWS);
    let blank = images.path().join("blank.png");
    image::GrayImage::from_pixel(400, 300, image::Luma([255]))
        .save(&blank)
        .unwrap();
    let portal = Portal::serve(
        pictures.path(),
        vec![
            std::fs::read(&with_code).unwrap(),
            std::fs::read(&blank).unwrap(),
        ],
    )
    .await;
    let mut app = App::start_with(
        "scan-portal",
        &[
            ("WAYLAND_DISPLAY", "wayland-tessera-test"),
            ("GDK_BACKEND", "x11"),
        ],
        |_| {},
    )
    .await;

    app.click("#scan-button").await;
    assert_eq!(dialog_title(&app).await, "Found 1 account");
    assert_eq!(
        app.text("#scan-found .scan-facts").await,
        "Amazon Web Services · admin@123456789012 — TOTP, SHA1, 6 digits, every 30 s"
    );
    let written = portal.written.lock().unwrap().clone();
    assert_eq!(written.len(), 1, "one request to the portal");
    assert!(
        !written[0].exists(),
        "{} was left behind",
        written[0].display()
    );
    app.click("#scan-add").await;
    app.eventually("the account in the list", || async {
        app.visible_names().await.len() == 1
    })
    .await;

    // A screenshot without a code is deleted too.
    app.click("#scan-button").await;
    assert_eq!(dialog_title(&app).await, "No QR code found");
    let written = portal.written.lock().unwrap().clone();
    assert_eq!(written.len(), 2);
    assert_eq!(std::fs::read_dir(pictures.path()).unwrap().count(), 0);
    app.stop().await;
}

/// The code of "staging-tester-07" at a fixed moment, from the CLI.
fn staging_code(app: &App) -> String {
    let out = app.cli(&["code", "staging-tester-07", "--at", "1700000000"], "");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The admin's case: a test user's MFA was reset and the console shows a new QR code for the
/// same issuer and account. Scanned, it is offered as replacing the old account's key (the
/// default), which keeps its name and place; the next time, the user keeps both instead.
#[tokio::test]
async fn an_account_enrolled_again_replaces_its_key_or_is_added_as_new() {
    const AGAIN: &str = "otpauth://totp/Amazon%20Web%20Services:admin@123456789012?secret=KRSXG5DJNZTXK3DFMFRGGZDF&issuer=Amazon%20Web%20Services";
    const THIRD: &str = "otpauth://totp/Amazon%20Web%20Services:admin@123456789012?secret=GEZDGNBVGY3TQOJQGEZDGNBV&issuer=Amazon%20Web%20Services";
    let mut app = App::start("scan-reenrol", |home| {
        tessera_e2e::cli(
            home,
            &["add", "--name", "staging-tester-07", "--uri", AWS],
            "",
        );
        tessera_e2e::cli(
            home,
            &["add", "--name", "after", "--secret", "GEZDGNBVGY3TQOJA"],
            "",
        );
    })
    .await;
    let old_id = list_json(&app)[0]["id"].clone();
    let image = app.data_home.path().join("again.png");
    qr_png(&image, AGAIN);
    let picture = Picture::show(&image, 300, 150);
    app.click("#scan-button").await;
    assert_eq!(dialog_title(&app).await, "Found 1 account");
    assert_eq!(
        app.text("#scan-found .scan-replace span").await,
        "Replaces the key of “staging-tester-07” (enrolled again)"
    );
    assert_eq!(
        app.eval("return document.querySelector('#scan-found .scan-choice').value")
            .await,
        "replace"
    );
    // Replacing keeps the old name: the name field is not used.
    assert_eq!(
        app.eval("return document.querySelector('#scan-found .scan-name').disabled")
            .await,
        Value::Bool(true)
    );
    assert_eq!(app.text("#scan-add").await, "Replace 1 key");
    app.screenshot("reenrolment").await;
    app.click("#scan-add").await;
    app.eventually("the key replaced", || async {
        list_json(&app)[0]["id"] != old_id
    })
    .await;
    assert_eq!(app.visible_names().await, ["staging-tester-07", "after"]);
    assert_eq!(
        staging_code(&app),
        uri::parse(AGAIN).unwrap().code_at(1_700_000_000)
    );
    drop(picture);

    // Enrolled again once more; this time the user keeps both.
    let image = app.data_home.path().join("third.png");
    qr_png(&image, THIRD);
    let _picture = Picture::show(&image, 300, 150);
    app.click("#scan-button").await;
    assert_eq!(dialog_title(&app).await, "Found 1 account");
    app.eval(
        "const c = document.querySelector('#scan-found .scan-choice'); c.value = 'add'; c.dispatchEvent(new Event('change')); return null",
    )
    .await;
    assert_eq!(
        app.eval("return document.querySelector('#scan-found .scan-name').disabled")
            .await,
        Value::Bool(false)
    );
    assert_eq!(app.text("#scan-add").await, "Add 1 account");
    app.click("#scan-add").await;
    app.eventually("three accounts", || async {
        app.visible_names().await.len() == 3
    })
    .await;
    assert_eq!(
        app.visible_names().await,
        ["staging-tester-07", "after", "admin@123456789012"]
    );
    assert_eq!(
        staging_code(&app),
        uri::parse(AGAIN).unwrap().code_at(1_700_000_000)
    );
    app.stop().await;
}
