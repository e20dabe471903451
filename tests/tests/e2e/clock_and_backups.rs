//! The window's clock check against a stand-in SNTP server on 127.0.0.1, resync in the details
//! dialog (an HOTP counter, and a clock found behind by the same server), automatic backups
//! turned on in Settings, and sync with another device (its own home and gnome-keyring) set up
//! in Settings: the banner each shows when something is wrong.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tessera_core::uri;
use tessera_e2e::{App, cli};
use tessera_test_support::{TimeServer, now};

const AWS: &str = "otpauth://totp/Amazon%20Web%20Services:admin@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services";
const PASSPHRASE: &str = "correct horse battery staple";

fn digits_only(text: &str) -> String {
    text.chars().filter(|c| c.is_ascii_digit()).collect()
}

async fn banner_shown(app: &App, id: &str) -> bool {
    app.eval(&format!("return !document.getElementById('{id}').hidden"))
        .await
        == Value::Bool(true)
}

/// Whether the row shows AWS's code for now + `shift` seconds (read between two moments).
async fn shows_code_for(app: &App, shift: u64) -> bool {
    let account = uri::parse(AWS).unwrap();
    let before = now() + shift;
    let shown = digits_only(&app.text(".row .code").await);
    let after = now() + shift;
    (before..=after).any(|t| account.code_at(t) == shown)
}

/// The clock is 150 s behind the server: a banner says so; "Use corrected time" makes the row
/// show the code for now + 150 s, saves the correction, and the banner goes.
#[tokio::test]
async fn a_clock_behind_gets_a_banner_and_corrected_codes() {
    let server = TimeServer::offset(150.0);
    let settings = json!({"check_clock": true, "time_server": server.address()});
    let mut app = App::start_with_settings("clock", settings, |home| {
        cli(home, &["add", "--name", "aws", "--uri", AWS], "");
    })
    .await;
    app.eventually("the clock banner", || async {
        banner_shown(&app, "clock-banner").await
    })
    .await;
    assert_eq!(
        app.text("#clock-banner-text").await,
        "This computer's clock is 2 min 30 s behind: codes may be refused"
    );
    app.screenshot("clock-banner").await;
    let account = uri::parse(AWS).unwrap();
    assert_ne!(account.code_at(now()), account.code_at(now() + 150));

    app.click("#clock-use").await;
    app.eventually("the banner gone", || async {
        !banner_shown(&app, "clock-banner").await
    })
    .await;
    app.eventually("the corrected code", || shows_code_for(&app, 150))
        .await;
    let saved: Value = serde_json::from_slice(
        &std::fs::read(app.config_home.path().join("tessera/settings.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(saved["clock_correction_seconds"], 150);
    app.screenshot("clock-corrected").await;
    app.stop().await;
}

async fn resync_said(app: &App) -> String {
    app.text("#details-resync-said").await
}

/// Resync in the details dialog: a phone's codes from 150 s ahead, which the time server
/// agrees with, say this clock is behind and offer the correction, which the row then uses; an
/// HOTP token's counter moves past RFC 4226's codes; a code found nowhere changes nothing.
#[tokio::test]
async fn resync_in_details_corrects_the_clock_or_moves_a_counter() {
    const RFC_HOTP: &str =
        "otpauth://hotp/Token:rfc?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0";
    let server = TimeServer::offset(150.0);
    let settings = json!({"check_clock": false, "time_server": server.address()});
    let mut app = App::start_with_settings("resync", settings, |home| {
        cli(home, &["add", "--name", "aws", "--uri", AWS], "");
        cli(home, &["add", "--name", "token", "--uri", RFC_HOTP], "");
    })
    .await;

    // The phone's two codes, read well inside their period.
    let left = 30 - now() % 30;
    if left < 8 {
        tokio::time::sleep(Duration::from_secs(left + 1)).await;
    }
    let aws = uri::parse(AWS).unwrap();
    let t = now() + 150;
    let (first, second) = (aws.code_at(t), aws.code_at(t + 30));
    app.open_details(".row:nth-child(1)").await;
    app.click("#details-resync summary").await;
    app.type_into("#details-resync-code", &first).await;
    app.type_into("#details-resync-next", &second).await;
    app.click("#details-resync-go").await;
    app.eventually("the clock found behind", || async {
        resync_said(&app)
            .await
            .contains("this computer's clock is 2 min 30 s behind")
    })
    .await;
    assert_eq!(
        app.text("#details-resync-apply").await,
        "Correct Tessera's time by +150 s"
    );
    app.screenshot("resync-clock").await;
    app.click("#details-resync-apply").await;
    app.eventually("the correction saved", || async {
        resync_said(&app)
            .await
            .contains("now use corrected time: +150 s")
    })
    .await;
    let saved: Value = serde_json::from_slice(
        &std::fs::read(app.config_home.path().join("tessera/settings.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(saved["clock_correction_seconds"], 150);
    app.click("#details-save").await;
    app.eventually("the corrected code", || shows_code_for(&app, 150))
        .await;

    // The token: a code found nowhere, then RFC 4226's counters 5 and 6.
    app.open_details(".row:nth-child(2)").await;
    app.eventually("the dialog reset", || async {
        resync_said(&app).await.is_empty()
    })
    .await;
    app.click("#details-resync summary").await;
    app.type_into("#details-resync-code", "000000").await;
    app.press("\u{E007}").await; // Enter resyncs, and the dialog stays
    app.eventually("the error", || async {
        resync_said(&app)
            .await
            .contains("none of this account's next 1000 codes is 000000")
    })
    .await;
    let counter = |app: &App| {
        let list: Value = serde_json::from_slice(&app.cli(&["list", "--json"], "").stdout).unwrap();
        list[1]["counter"].as_u64().unwrap()
    };
    assert_eq!(counter(&app), 0);
    app.type_into("#details-resync-code", "254676").await;
    app.type_into("#details-resync-next", "287922").await;
    app.click("#details-resync-go").await;
    app.eventually("the counter moved", || async {
        resync_said(&app)
            .await
            .contains("its counter is now 7 (was 0)")
    })
    .await;
    assert_eq!(counter(&app), 7);
    app.stop().await;
}

/// No answer from the server: no banner, no error, and the check has given up well within the
/// time a start takes.
#[tokio::test]
async fn a_silent_server_shows_nothing() {
    let server = TimeServer::silent();
    let settings = json!({"check_clock": true, "time_server": server.address()});
    let app = App::start_with_settings("clock-silent", settings, |home| {
        cli(home, &["add", "--name", "aws", "--uri", AWS], "");
    })
    .await;
    app.eventually("the request", || async { server.requests() >= 1 })
        .await;
    let asked = Instant::now();
    // The check gives up after 3 s; a second more for the window to have said anything.
    while asked.elapsed() < Duration::from_secs(4) {
        assert!(!banner_shown(&app, "clock-banner").await);
        assert!(!banner_shown(&app, "banner").await);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(app.visible_names().await, ["aws"]);
    app.stop().await;
}

/// Settings → Automatic backups: turned on with a folder and a passphrase, the first backup is
/// written; when the folder can no longer be written, an add in the window still succeeds and a
/// banner says the backup failed; Settings from the banner, and turned off.
#[tokio::test]
async fn automatic_backups_from_settings_and_the_failure_banner() {
    let mut app = App::start("auto-backup", |home| {
        cli(home, &["add", "--name", "aws", "--uri", AWS], "");
    })
    .await;
    let folder = app.data_home.path().join("backups");
    app.click("#settings-button").await;
    app.type_into("#auto-backup-folder", folder.to_str().unwrap())
        .await;
    app.type_into("#auto-backup-keep", "3").await;
    app.type_into("#auto-backup-pass", PASSPHRASE).await;
    app.type_into("#auto-backup-pass2", PASSPHRASE).await;
    app.screenshot("auto-backup-form").await;
    app.click("#auto-backup-on").await;
    app.eventually("automatic backups on", || async {
        app.text("#auto-backup-state").await.starts_with("On:")
    })
    .await;
    let files: Vec<_> = std::fs::read_dir(&folder).unwrap().collect();
    assert_eq!(files.len(), 1, "the first backup");
    let status: Value =
        serde_json::from_slice(&app.cli(&["backup", "status", "--json"], "").stdout).unwrap();
    assert_eq!(status["keep"], 3);
    assert_eq!(status["last_backup"]["accounts"], 1);
    app.screenshot("auto-backup-on").await;
    app.click("#settings-done").await;

    // The folder becomes a file: nothing can be written into it, not even by root.
    std::fs::remove_dir_all(&folder).unwrap();
    std::fs::write(&folder, "not a folder").unwrap();
    app.click("#add-button").await;
    app.type_into("#add-secret", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        .await;
    app.type_into("#add-name", "added-after").await;
    app.click("#add-submit").await;
    app.eventually("the new row", || async {
        app.visible_names()
            .await
            .contains(&"added-after".to_owned())
    })
    .await;
    app.eventually("the backup banner", || async {
        banner_shown(&app, "backup-banner").await
    })
    .await;
    let said = app.text("#backup-banner-text").await;
    assert!(
        said.starts_with("The automatic backup failed: cannot write into"),
        "{said}"
    );
    app.screenshot("auto-backup-failed").await;
    let status: Value = serde_json::from_slice(&app.cli(&["list", "--json"], "").stdout).unwrap();
    assert_eq!(status.as_array().unwrap().len(), 2, "the add happened");

    // Settings from the banner; turned off there.
    app.click("#backup-banner-settings").await;
    app.click("#auto-backup-off").await;
    app.eventually("automatic backups off", || async {
        app.text("#auto-backup-state").await.starts_with("Off")
    })
    .await;
    assert!(!banner_shown(&app, "backup-banner").await);
    app.stop().await;
}

/// A correction saved with `tessera time --apply` while the window runs is used at once, and
/// `--reset` too; turning the clock check on in Settings checks at once.
#[tokio::test]
async fn cli_corrections_and_turning_the_check_on_apply_at_once() {
    let server = TimeServer::offset(150.0);
    let settings = json!({"check_clock": false, "time_server": server.address()});
    let mut app = App::start_with_settings("clock-live", settings, |home| {
        cli(home, &["add", "--name", "aws", "--uri", AWS], "");
    })
    .await;
    app.eventually("the code for now", || shows_code_for(&app, 0))
        .await;
    assert_eq!(server.requests(), 0, "the check is off");

    app.cli(&["time", "--apply"], "");
    app.eventually("the code for now + 150 s", || shows_code_for(&app, 150))
        .await;
    app.cli(&["time", "--reset"], "");
    app.eventually("the code for now again", || shows_code_for(&app, 0))
        .await;

    app.click("#settings-button").await;
    app.click("#settings-check-clock").await;
    app.eventually("a check at once", || async { server.requests() >= 1 })
        .await;
    app.click("#settings-done").await;
    app.eventually("the clock banner", || async {
        banner_shown(&app, "clock-banner").await
    })
    .await;
    app.stop().await;
}

/// Another computer for sync: a home of its own and a gnome-keyring on a bus of its own.
struct OtherDevice {
    home: tempfile::TempDir,
    keyring: tessera_test_support::Keyring,
}

impl OtherDevice {
    fn tessera(&self, args: &[&str], stdin: &str) -> String {
        tessera_test_support::stdout(&self.keyring.tessera(self.home.path(), args, stdin))
    }
}

/// Sync set up in Settings; its pairing secret copied (to the clipboard, by the shell) and
/// joined from another device; an account that device adds appears in the window without a
/// restart; a changed file there gets the banner; turned off from the banner's Settings. Then
/// the phone's Aegis backups followed: an account added on the phone appears as well.
#[tokio::test]
async fn sync_from_settings_brings_another_devices_account_and_a_refused_file_shows_a_banner() {
    let mut app = App::start("sync", |home| {
        cli(home, &["add", "--name", "on the laptop", "--uri", AWS], "");
    })
    .await;
    let folder = app.data_home.path().join("synced");
    app.click("#settings-button").await;
    app.type_into("#sync-folder", folder.to_str().unwrap())
        .await;
    app.type_into("#sync-device", "laptop").await;
    app.click("#sync-setup").await;
    app.eventually("sync on", || async {
        app.text("#sync-state").await.starts_with("On:")
    })
    .await;
    assert!(app.text("#sync-state").await.contains("\"laptop\""));
    app.click("#sync-copy").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let secret = loop {
        let text = tessera_e2e::clipboard();
        if text.starts_with("tessera-sync:") {
            break text;
        }
        assert!(
            Instant::now() < deadline,
            "no pairing secret on the clipboard: {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        !app.eval("return document.documentElement.outerHTML")
            .await
            .to_string()
            .contains(&secret[13..]),
        "the pairing secret never enters the page"
    );
    app.screenshot("sync-on").await;
    app.click("#settings-done").await;

    let other = OtherDevice {
        home: tempfile::tempdir().unwrap(),
        keyring: tessera_test_support::Keyring::started(),
    };
    other.tessera(
        &[
            "sync",
            "join",
            "--folder",
            folder.to_str().unwrap(),
            "--secret-file",
            "-",
        ],
        &secret,
    );
    assert!(other.tessera(&["list"], "").contains("on the laptop"));
    other.tessera(
        &[
            "add",
            "--name",
            "from the desktop",
            "--secret",
            "GEZDGNBVGY3TQOJQ",
        ],
        "",
    );
    app.eventually("the other device's account in the list", || async {
        app.visible_names()
            .await
            .contains(&"from the desktop".to_owned())
    })
    .await;

    // A byte of the other device's file changed in the folder: refused, and said.
    let status: Value =
        serde_json::from_str(&other.tessera(&["sync", "status", "--json"], "")).unwrap();
    let file = folder.join(format!(
        "{}.tessera-sync",
        status["device"].as_str().unwrap()
    ));
    let mut bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(&file, &bytes).unwrap();
    app.eventually("the sync banner", || async {
        banner_shown(&app, "sync-banner").await
    })
    .await;
    let said = app.text("#sync-banner-text").await;
    assert!(
        said.starts_with("Sync failed:") && said.contains("is refused"),
        "{said}"
    );
    assert_eq!(app.visible_names().await.len(), 2, "nothing changed");
    app.screenshot("sync-failed").await;

    app.click("#sync-banner-settings").await;
    app.click("#sync-off").await;
    app.eventually("sync off", || async {
        app.text("#sync-state").await.starts_with("Off")
    })
    .await;
    assert!(!banner_shown(&app, "sync-banner").await);
    assert_eq!(app.visible_names().await.len(), 2, "the accounts stay");

    // The phone's Aegis backups, followed from the command line: a newer one is taken in by
    // the window as it arrives.
    let phone = OtherDevice {
        home: tempfile::tempdir().unwrap(),
        keyring: tessera_test_support::Keyring::started(),
    };
    let aegis = app.data_home.path().join("from-the-phone");
    phone.tessera(
        &[
            "backup",
            "auto",
            "--folder",
            aegis.to_str().unwrap(),
            "--format",
            "aegis",
            "--password-file",
            "-",
        ],
        "phone vault password",
    );
    app.cli(
        &[
            "sync",
            "follow-aegis",
            "--folder",
            aegis.to_str().unwrap(),
            "--password-file",
            "-",
        ],
        "phone vault password",
    );
    std::thread::sleep(Duration::from_millis(1100));
    phone.tessera(
        &[
            "add",
            "--name",
            "on the phone",
            "--secret",
            "KRSXG5DJNZTXK3DFONSXE2LUPEFA",
        ],
        "",
    );
    app.eventually("the phone's account in the list", || async {
        app.visible_names()
            .await
            .contains(&"on the phone".to_owned())
    })
    .await;
    app.stop().await;
}
