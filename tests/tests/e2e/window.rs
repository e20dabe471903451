//! The Tessera window, end to end: a real WebKit window under Xvfb, a real Secret Service, the
//! real CLI beside it. Screenshots of each step land in target/e2e-screenshots/ for review.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use serde_json::Value;
use tessera_core::uri;
use tessera_e2e::{App, cli, clipboard};
use tessera_test_support::now;

const AWS: &str = "otpauth://totp/Amazon%20Web%20Services:admin@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services";
const RFC_KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// Waits until the first row shows a code (digits, not a placeholder).
async fn a_code_shown(app: &App) {
    app.eventually("a code", || async {
        app.text(".row .code")
            .await
            .chars()
            .any(|c| c.is_ascii_digit())
    })
    .await;
}

fn digits_only(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The code on screen must be the code of one of the moments it could have been read at (or of
/// the second before: at a period boundary the window's timer fires a few milliseconds late).
async fn assert_code_shown(app: &App, row_css: &str, account_uri: &str) {
    let account = uri::parse(account_uri).unwrap();
    let before = now().saturating_sub(1);
    // Read together: a period's end between two reads would pair one period's code with the
    // next one's.
    let texts: Vec<String> = serde_json::from_value(
        app.eval(&format!(
            "return ['.code', '.next'].map(c => document.querySelector('{row_css} ' + c).textContent)"
        ))
        .await,
    )
    .unwrap();
    let (shown, next) = (digits_only(&texts[0]), digits_only(&texts[1]));
    let after = now();
    let candidates: Vec<(String, String)> = (before..=after)
        .map(|t| (account.code_at(t), account.next_code_at(t)))
        .collect();
    assert!(
        candidates.contains(&(shown.clone(), next.clone())),
        "shown {shown} / next {next}, expected one of {candidates:?}"
    );
}

fn list_json(app: &App) -> Vec<Value> {
    serde_json::from_slice(&app.cli(&["list", "--json"], "").stdout).unwrap()
}

#[tokio::test]
async fn add_by_key_shows_the_code_and_the_next() {
    let mut app = App::start("add-by-key", |_| {}).await;
    assert!(
        !app.text("#empty").await.is_empty(),
        "the empty state explains how to add"
    );
    app.screenshot("empty").await;

    app.click("#add-button").await;
    // A mistyped key says what is wrong, and Add stays disabled.
    app.type_into("#add-secret", "jbsw y3dp 0hpk 3pxp").await;
    app.eventually("the key check", || async {
        app.text("#add-check").await.contains("position 11")
    })
    .await;
    assert_eq!(
        app.text("#add-check").await,
        "the secret key has '0' at position 11; base32 keys use only the letters A-Z and the digits 2-7 (did you mean the letter O?)"
    );
    assert!(
        app.wait_for("#add-submit")
            .await
            .attr("disabled")
            .await
            .unwrap()
            .is_some()
    );
    app.type_into("#add-secret", "jbsw y3dp ehpk 3pxp").await;
    app.type_into("#add-issuer", "Amazon Web Services").await;
    app.type_into("#add-label", "admin@123456789012").await;
    app.eventually("the key accepted", || async {
        app.text("#add-check").await.starts_with('✓')
    })
    .await;
    assert_eq!(
        app.text("#add-check").await,
        "✓ TOTP, SHA1, 6 digits, every 30 s; 80-bit key"
    );
    let default_name = app
        .wait_for("#add-name")
        .await
        .attr("placeholder")
        .await
        .unwrap();
    assert_eq!(
        default_name.as_deref(),
        Some("Amazon Web Services (admin@123456789012)")
    );
    app.type_into("#add-name", "staging-tester-07").await;
    app.screenshot("add-form").await;
    app.click("#add-submit").await;

    app.eventually("the new row", || async {
        app.visible_names().await == ["staging-tester-07"]
    })
    .await;
    app.eventually("its code", || async {
        !app.text(".row .code").await.contains('·')
    })
    .await;
    assert_code_shown(&app, ".row", AWS).await;
    app.screenshot("added").await;

    // The CLI sees the same account, secret in the keychain.
    let list = list_json(&app);
    assert_eq!(list[0]["name"], "staging-tester-07");
    assert_eq!(list[0]["issuer"], "Amazon Web Services");
    let code = String::from_utf8(app.cli(&["code", "staging-tester-07"], "").stdout).unwrap();
    assert_eq!(code.trim().len(), 6);
    app.stop().await;
}

#[tokio::test]
async fn codes_change_at_the_period_boundary() {
    // A 2-second period, so that a boundary comes within the test.
    let short = "otpauth://totp/Fast:tick?secret=JBSWY3DPEHPK3PXP&period=2";
    let mut app = App::start("boundary", |home| {
        cli(home, &["add", "--name", "fast", "--uri", short], "");
    })
    .await;
    // The code and the next code, read together (a boundary may pass between two reads); empty
    // until the row is there.
    let pair = || async {
        let value = app
            .eval("return ['.code', '.next'].map(c => (document.querySelector('.row ' + c)?.textContent ?? '').replace(/\\s/g, ''))")
            .await;
        let texts: Vec<String> = serde_json::from_value(value).unwrap();
        (texts[0].clone(), texts[1].clone())
    };
    app.eventually("a code and the next", || async {
        let (code, next) = pair().await;
        !code.contains('·') && !next.is_empty()
    })
    .await;
    let (first, next) = pair().await;
    let account = uri::parse(short).unwrap();
    let mut changed = None;
    for _ in 0..60 {
        let (code, _) = pair().await;
        if code != first {
            changed = Some((code, now()));
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (shown, t) = changed.expect("the code changed within 3 s");
    assert_eq!(shown, next, "the next code shown became the code");
    assert!([account.code_at(t), account.code_at(t.saturating_sub(1))].contains(&shown));
    app.screenshot("after-boundary").await;
    app.stop().await;
}

/// The countdown ring moves in 5-second steps, the last in the ending colour: each move is a
/// repaint, and one a second was most of an idle window's CPU.
#[tokio::test]
async fn the_countdown_moves_every_five_seconds() {
    const PERIOD: f64 = 15.0;
    let steps = "otpauth://totp/Steps:ring?secret=JBSWY3DPEHPK3PXP&period=15";
    let app = App::start("countdown", |home| {
        cli(home, &["add", "--name", "steps", "--uri", steps], "");
    })
    .await;
    app.eventually("the ring drawn", || async {
        app.eval("return document.querySelector('.row .ring .arc')?.style.strokeDashoffset ?? ''")
            .await
            != Value::String(String::new())
    })
    .await;
    // Every move of the ring for one whole period: the seconds it shows, and the colour.
    app.eval(
        "window.moves = []; const arc = document.querySelector('.row .ring .arc'); \
         new MutationObserver(() => window.moves.push([parseFloat(arc.style.strokeDashoffset), \
         arc.closest('.row').classList.contains('ending')])).observe(arc, { attributes: true }); \
         return null",
    )
    .await;
    tokio::time::sleep(Duration::from_secs_f64(PERIOD)).await;
    let moves: Vec<(f64, bool)> =
        serde_json::from_value(app.eval("return window.moves").await).unwrap();
    let shown: Vec<(i64, bool)> = moves
        .iter()
        .map(|&(offset, ending)| (((100.0 - offset) * PERIOD / 100.0).round() as i64, ending))
        .collect();
    // 15, 10 and 5: three moves a period (four when the watch began just before one), where a
    // move a second makes fifteen.
    assert!((3..=4).contains(&shown.len()), "{shown:?}");
    for &(seconds, ending) in &shown {
        assert!([5, 10, 15].contains(&seconds), "{shown:?}");
        assert_eq!(ending, seconds == 5, "the last step alone ends: {shown:?}");
    }
    assert!(shown.iter().any(|&(_, ending)| ending), "{shown:?}");
    app.stop().await;
}

#[tokio::test]
async fn hotp_shows_a_code_on_request_and_advances() {
    let mut app = App::start("hotp", |home| {
        cli(
            home,
            &[
                "add", "--name", "token", "--secret", RFC_KEY, "--type", "hotp",
            ],
            "",
        );
    })
    .await;
    assert_eq!(app.text(".row .code").await, "Show code");
    app.click(".row .code").await;
    // RFC 4226 Appendix D, counter 0.
    app.eventually("the HOTP code", || async {
        app.text(".row .code").await == "755 224"
    })
    .await;
    assert_eq!(
        list_json(&app)[0]["counter"],
        1,
        "the counter advanced and was saved"
    );
    app.stop().await;
}

#[tokio::test]
async fn rename_inline_and_in_details_then_delete_with_confirmation() {
    let mut app = App::start("rename-delete", |home| {
        cli(home, &["add", "--name", "first", "--secret", RFC_KEY], "");
        cli(home, &["add", "--name", "second", "--uri", AWS], "");
    })
    .await;
    app.eventually("two rows", || async {
        app.visible_names().await.len() == 2
    })
    .await;

    // Inline: select with the keyboard, F2, type, Enter.
    app.press("\u{E015}").await; // ArrowDown selects the first row
    app.press("\u{E032}").await; // F2
    app.wait_for(".row input.rename").await;
    // Another process changes the vault meanwhile (a sync, the CLI): the list is shown again
    // and the field stays, with the focus.
    app.cli(&["tag", "--add", "synced", "second"], "");
    app.eventually("the list shown again", || async {
        app.text("#tags").await == "synced"
    })
    .await;
    assert_eq!(
        app.eval("return document.activeElement.className").await,
        "rename"
    );
    // Select all, then type: WebDriver's Clear would blur the field, which saves it.
    app.press("\u{E009}a\u{E009}first-renamed\u{E007}").await; // Ctrl+A, the new name, Enter

    app.eventually("the inline rename", || async {
        app.visible_names().await == ["first-renamed", "second"]
    })
    .await;

    // In details.
    app.open_details(".row:nth-child(2)").await;
    app.type_into("#details-name", "staging-tester-08").await;
    app.screenshot("details").await;
    app.click("#details-save").await;
    app.eventually("the details rename", || async {
        app.visible_names().await == ["first-renamed", "staging-tester-08"]
    })
    .await;
    let names: Vec<Value> = list_json(&app).iter().map(|e| e["name"].clone()).collect();
    assert_eq!(names, ["first-renamed", "staging-tester-08"]);

    // Reveal shows the key only after the click.
    app.open_details(".row:nth-child(2)").await;
    assert!(
        app.eval("return document.getElementById('details-secret').hidden")
            .await
            .as_bool()
            .unwrap()
    );
    assert_eq!(
        app.eval("return document.body.innerText.includes('JBSW')")
            .await,
        Value::Bool(false)
    );
    app.click("#details-reveal").await;
    app.eventually("the revealed key", || async {
        app.text("#details-key").await == "JBSW Y3DP EHPK 3PXP"
    })
    .await;
    app.screenshot("revealed").await;

    // Delete asks first, naming the account.
    app.click("#details-delete").await;
    assert_eq!(
        app.text("#confirm-title").await,
        "Delete \"staging-tester-08\"?"
    );
    app.screenshot("confirm-delete").await;
    app.click("#confirm-delete").await;
    app.eventually("the row gone", || async {
        app.visible_names().await == ["first-renamed"]
    })
    .await;
    assert_eq!(list_json(&app).len(), 1);
    let both = ["first-renamed", "staging-tester-08"];

    // Undo on the toast puts it back, at its place, with its key.
    assert!(
        app.text("#toast")
            .await
            .starts_with("Deleted staging-tester-08")
    );
    app.screenshot("undo").await;
    app.click("#toast-action").await;
    app.eventually("the row back", || async {
        app.visible_names().await == both
    })
    .await;
    assert!(app.cli(&["code", "staging-tester-08"], "").status.success());

    // Deleted again (here by the CLI), it is in Recently deleted, where Restore brings it back.
    assert!(
        app.cli(&["remove", "staging-tester-08", "--yes"], "")
            .status
            .success()
    );
    app.eventually("the row gone again", || async {
        app.visible_names().await == ["first-renamed"]
    })
    .await;
    app.click("#settings-button").await;
    app.click("#trash-button").await;
    app.eventually("the deleted account listed", || async {
        app.text("#trash-list").await.contains("staging-tester-08")
    })
    .await;
    app.screenshot("recently-deleted").await;
    app.click("#trash-list li button").await;
    app.eventually("restored", || async { app.visible_names().await == both })
        .await;
    assert_eq!(app.text("#trash-list").await, "");
    assert!(list_json(&app).len() == 2);
    app.stop().await;
}

#[tokio::test]
async fn copy_puts_the_code_on_the_clipboard_and_clears_it() {
    let mut app = App::start("copy", |home| {
        cli(home, &["add", "--name", "aws", "--uri", AWS], "");
    })
    .await;
    app.client
        .execute_async(
            "const done = arguments[0]; window.__TAURI_INTERNALS__.invoke('set_settings', { settings: { clipboard_clear_seconds: 2 } }).then(done, done);",
            vec![],
        )
        .await
        .unwrap();
    app.eventually("a code", || async {
        !app.text(".row .code").await.contains('·')
    })
    .await;
    let account = uri::parse(AWS).unwrap();
    let before = now();
    app.click(".row .code").await;
    app.eventually("the code on the clipboard", || async {
        clipboard().len() == 6
    })
    .await;
    let copied = clipboard();
    assert!(
        (before..=now()).any(|t| account.code_at(t) == copied),
        "copied {copied}"
    );
    // The shell fills the clipboard before its answer reaches the page, which then says so.
    let said = format!("Copied {} {} · cleared in 2 s", &copied[..3], &copied[3..]);
    app.eventually("the toast", || async {
        app.eval("return document.getElementById('toast').textContent")
            .await
            == Value::String(said.clone())
    })
    .await;
    app.screenshot("copied").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_ne!(clipboard(), copied, "cleared after the configured 2 s");
    app.stop().await;
}

#[tokio::test]
async fn search_as_you_type_with_the_keyboard() {
    let mut app = App::start("search", |home| {
        for (name, issuer) in [
            ("aws-prod", "Amazon"),
            ("github", "GitHub"),
            ("gitlab", "GitLab"),
            ("steam", "Valve"),
        ] {
            cli(
                home,
                &[
                    "add", "--name", name, "--secret", RFC_KEY, "--issuer", issuer,
                ],
                "",
            );
        }
    })
    .await;
    app.eventually("four rows", || async {
        app.visible_names().await.len() == 4
    })
    .await;
    // The search field has the focus at start: typing filters at once.
    app.press("git").await;
    assert_eq!(app.visible_names().await, ["github", "gitlab"]);
    app.press("l").await;
    assert_eq!(app.visible_names().await, ["gitlab"]);
    app.screenshot("search").await;
    // Enter copies the (only) match.
    app.press("\u{E007}").await;
    app.eventually("a copied code", || async { clipboard().len() == 6 })
        .await;
    // Esc clears the search and keeps the account found selected; arrows move the selection.
    app.press("\u{E00C}").await;
    assert_eq!(app.visible_names().await.len(), 4);
    let selected = app
        .eval("return document.querySelector('.row[aria-selected=true] .name').textContent")
        .await;
    assert_eq!(selected, "gitlab");
    app.press("\u{E013}").await; // ArrowUp
    let selected = app
        .eval("return document.querySelector('.row[aria-selected=true] .name').textContent")
        .await;
    assert_eq!(selected, "github");
    // Alt+ArrowUp moves the selected account up, and the order is saved.
    app.press("\u{E00A}\u{E013}").await;
    app.eventually("the new order", || async {
        app.visible_names().await[0] == "github"
    })
    .await;
    let names: Vec<Value> = list_json(&app).iter().map(|e| e["name"].clone()).collect();
    assert_eq!(names, ["github", "aws-prod", "gitlab", "steam"]);
    app.stop().await;
}

/// After 10 s without a key or a click, the focus goes from the search field to the list, which
/// has no blinking caret (each blink repaints: most of an idle window's CPU); a key typed then
/// still searches.
#[tokio::test]
async fn idle_the_caret_rests_and_typing_still_searches() {
    let app = App::start("caret", |home| {
        for name in ["github", "aws"] {
            cli(home, &["add", "--name", name, "--secret", RFC_KEY], "");
        }
    })
    .await;
    app.eventually("two rows", || async {
        app.visible_names().await.len() == 2
    })
    .await;
    let focused = || async {
        app.eval("return document.activeElement.id")
            .await
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(focused().await, "search");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while focused().await != "list" {
        assert!(
            std::time::Instant::now() < deadline,
            "the focus stayed in the search field"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    app.press("git").await;
    assert_eq!(app.visible_names().await, ["github"]);
    assert_eq!(focused().await, "search");
    app.stop().await;
}

#[tokio::test]
async fn accounts_added_with_the_cli_appear_and_missing_keys_say_so() {
    let mut app = App::start("cli-and-missing", |home| {
        cli(home, &["add", "--name", "existing", "--uri", AWS], "");
        cli(home, &["add", "--name", "orphan", "--secret", RFC_KEY], "");
        // The key removed from the keychain behind Tessera's back.
        let list: Vec<Value> =
            serde_json::from_slice(&cli(home, &["list", "--json"], "").stdout).unwrap();
        let id = list[1]["id"].as_str().unwrap();
        let cleared = std::process::Command::new("secret-tool")
            .args(["clear", "service", "Tessera", "username", id])
            .status()
            .unwrap();
        assert!(cleared.success());
    })
    .await;
    app.eventually("two rows", || async {
        app.visible_names().await == ["existing", "orphan"]
    })
    .await;
    // The account without its key stays listed and says what is wrong and what to do.
    app.eventually("the missing key", || async {
        app.text(".row:nth-child(2) .code").await == "Key missing"
    })
    .await;
    let message = app
        .wait_for(".row:nth-child(2) .code")
        .await
        .attr("title")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        message,
        "the secret key of \"orphan\" is missing from the keychain; restore it from a backup, or remove the account and add it again"
    );
    assert_code_shown(&app, ".row:nth-child(1)", AWS).await;
    app.screenshot("missing-key").await;

    // An account added with the CLI while the window is open appears in it.
    app.cli(
        &[
            "add",
            "--name",
            "from-the-cli",
            "--secret",
            RFC_KEY,
            "--digits",
            "8",
        ],
        "",
    );
    app.eventually("the CLI's account", || async {
        app.visible_names().await == ["existing", "orphan", "from-the-cli"]
    })
    .await;
    let rfc = format!("otpauth://totp/x?secret={RFC_KEY}&digits=8");
    app.eventually("its code", || async {
        !app.text(".row:nth-child(3) .code").await.contains('·')
    })
    .await;
    assert_code_shown(&app, ".row:nth-child(3)", &rfc).await;
    app.screenshot("cli-added").await;
    app.stop().await;
}

#[tokio::test]
async fn no_keychain_is_explained_in_the_window() {
    // The app's session bus leads nowhere: no Secret Service can be reached.
    let no_bus = [("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")];
    let mut app = App::start_with("no-keychain", &no_bus, |home| {
        cli(home, &["add", "--name", "aws", "--uri", AWS], "");
    })
    .await;
    // The list still shows (it needs no keychain); the banner says what is missing and what to do.
    app.eventually("the row", || async { app.visible_names().await == ["aws"] })
        .await;
    app.eventually_true(
        "the banner",
        "return !document.getElementById('banner').hidden",
    )
    .await;
    let banner = app.text("#banner").await;
    assert!(
        banner.starts_with("no keychain is reachable: there is no D-Bus session bus"),
        "{banner}"
    );
    assert_eq!(app.text(".row .code").await, "Unavailable");
    app.screenshot("no-keychain").await;
    app.stop().await;
}

#[tokio::test]
async fn a_second_launch_leaves_one_window() {
    let app = App::start("single-instance", |home| {
        cli(home, &["add", "--name", "aws", "--uri", AWS], "");
    })
    .await;
    app.eventually("the row", || async { app.visible_names().await == ["aws"] })
        .await;
    let binary = tessera_test_support::built("tessera-desktop");
    let mut second = std::process::Command::new(&binary)
        .env("XDG_DATA_HOME", app.data_home.path())
        .env("XDG_CONFIG_HOME", app.config_home.path())
        .spawn()
        .unwrap();
    // The second one hands over to the first and exits on its own.
    let mut status = None;
    for _ in 0..100 {
        status = second.try_wait().unwrap();
        if status.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if status.is_none() {
        let _ = second.kill();
    }
    assert!(
        status.is_some_and(|s| s.success()),
        "the second launch did not exit: {status:?}"
    );
    // The first window is still there and working.
    assert_eq!(app.visible_names().await, ["aws"]);
    app.stop().await;
}

#[tokio::test]
async fn window_size_and_position_are_remembered() {
    let app = App::start("window-state", |_| {}).await;
    app.client.set_window_rect(100, 60, 520, 700).await.unwrap();
    let set = app.client.get_window_rect().await.unwrap();
    assert_eq!(
        (set.2, set.3),
        (520, 700),
        "the window took the new size: {set:?}"
    );
    // Saved shortly after the change, not only at a clean exit.
    let state = app
        .config_home
        .path()
        .join("app.tessera.desktop/.window-state.json");
    // The new size, not only a file: a save of the first size may come first.
    app.eventually("the new size saved", || async {
        std::fs::read(&state)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .is_some_and(|s| s["main"]["width"] == 520 && s["main"]["x"] == 100)
    })
    .await;
    let app = app.restart().await;
    let restored = app.client.get_window_rect().await.unwrap();
    assert_eq!(restored, set, "size and position after a restart");

    // Moved on and on, as in a drag, over several saves: the window keeps answering. A save
    // made off the main thread deadlocked with the plugin's handler of a move.
    let moved = tokio::time::timeout(Duration::from_secs(30), async {
        for step in 0..150 {
            app.client
                .set_window_rect(100 + step % 40 * 5, 60, 520, 700)
                .await?;
        }
        app.client.get_window_rect().await
    })
    .await;
    assert!(
        moved.is_ok_and(|rect| rect.is_ok_and(|r| r.0 == 245)),
        "the window stopped answering while it moved"
    );
    app.stop().await;
}

/// Thirty accounts, Places:user00 to user29, each with a key of its own.
fn places_accounts() -> Vec<String> {
    (0..30)
        .map(|i| {
            let key = data_encoding::BASE32_NOPAD.encode(format!("first screen {i:02}").as_bytes());
            format!("otpauth://totp/Places:user{i:02}?secret={key}&issuer=Places")
        })
        .collect()
}

#[tokio::test]
async fn the_next_start_reads_the_first_screens_keys_where_it_found_them() {
    let accounts = places_accounts();
    let app = App::start("first-screen-places", |home| {
        let file = home.join("accounts.txt");
        std::fs::write(&file, accounts.join("\n")).unwrap();
        cli(
            home,
            &["import", "--format", "otpauth", file.to_str().unwrap()],
            "",
        );
    })
    .await;
    app.wait_for(".row .code").await;
    // Once the window is up, the items of the rows read first are kept for the next start.
    let kept_file = app
        .config_home
        .path()
        .join("cache/tessera/keychain-items.json");
    app.eventually("the first screen's places kept", || async {
        kept_file.exists()
    })
    .await;
    let kept: std::collections::HashMap<String, String> =
        serde_json::from_slice(&std::fs::read(&kept_file).unwrap()).unwrap();
    let list = list_json(&app);
    let first_ids: Vec<&str> = list.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert!(
        (5..30).contains(&kept.len()),
        "the rows of a screen, not every account: {kept:?}"
    );
    assert!(
        kept.keys()
            .all(|id| first_ids[..kept.len()].contains(&id.as_str())),
        "the first rows' ids: {kept:?}"
    );
    assert!(
        kept.values()
            .all(|path| path.starts_with("/org/freedesktop/secrets/collection/")),
        "item paths: {kept:?}"
    );

    // Read there at the next start, each row shows its own account's code.
    let app = app.restart().await;
    for row in [1, 2, kept.len()] {
        let code = format!(".row:nth-child({row}) .code");
        app.eventually("the row's code", || async {
            digits_only(&app.text(&code).await).len() == 6
        })
        .await;
        assert_code_shown(&app, &format!(".row:nth-child({row})"), &accounts[row - 1]).await;
    }
    app.stop().await;
}

#[tokio::test]
async fn follows_a_dark_desktop_theme() {
    let dark = [("GTK_THEME", "Adwaita:dark")];
    let mut app = App::start_with("dark", &dark, |home| {
        cli(home, &["add", "--name", "aws", "--uri", AWS], "");
    })
    .await;
    app.eventually("the row", || async { app.visible_names().await == ["aws"] })
        .await;
    let dark_scheme = app
        .eval("return matchMedia('(prefers-color-scheme: dark)').matches")
        .await;
    assert_eq!(
        dark_scheme,
        Value::Bool(true),
        "WebKit reports the desktop's dark theme"
    );
    let background = app
        .eval("return getComputedStyle(document.body).backgroundColor")
        .await;
    assert_eq!(background, "rgb(22, 25, 30)", "the dark palette is used");
    app.screenshot("dark").await;
    app.stop().await;
}

/// The window opened before the keychain was there (no Secret Service on the bus): the banner
/// says so. Once gnome-keyring runs, "Try again" brings the codes, because no failure to reach
/// the keychain is kept.
#[tokio::test]
async fn try_again_finds_a_keychain_started_after_the_window() {
    let mut keyring = tessera_test_support::Keyring::started();
    let bus = keyring.address.clone();
    let mut app = App::start_with("try-again", &[("DBUS_SESSION_BUS_ADDRESS", &bus)], |home| {
        let added = keyring
            .command(tessera_test_support::built("tessera"))
            .args(["add", "--name", "aws", "--uri", AWS])
            .env("XDG_DATA_HOME", home)
            .output()
            .unwrap();
        assert!(added.status.success(), "{added:?}");
        keyring.stop();
    })
    .await;
    app.eventually("the banner", || async {
        app.eval("return document.getElementById('banner').hidden")
            .await
            == Value::Bool(false)
    })
    .await;
    let said = app.text("#banner-text").await;
    assert!(said.contains("no Secret Service is running"), "{said}");
    assert_eq!(app.text(".row .code").await, "Unavailable");
    app.screenshot("no-keychain").await;

    keyring.start();
    app.click("#banner-retry").await;
    a_code_shown(&app).await;
    assert_code_shown(&app, ".row", AWS).await;
    assert_eq!(
        app.eval("return document.getElementById('banner').hidden")
            .await,
        Value::Bool(true)
    );
    app.screenshot("keychain-back").await;
    app.stop().await;
}

/// The keychain goes away while the window is open (its daemon killed), then starts again: the
/// window's next keychain read connects again by itself, with no restart and no "Try again".
#[tokio::test]
async fn a_keychain_restarted_under_the_open_window_is_found_again() {
    let mut keyring = tessera_test_support::Keyring::started();
    let bus = keyring.address.clone();
    let tessera =
        |keyring: &tessera_test_support::Keyring, home: &std::path::Path, args: &[&str]| {
            let out = keyring
                .command(tessera_test_support::built("tessera"))
                .args(args)
                .env("XDG_DATA_HOME", home)
                .output()
                .unwrap();
            assert!(out.status.success(), "{out:?}");
        };
    let mut app = App::start_with(
        "keychain-restarted",
        &[("DBUS_SESSION_BUS_ADDRESS", &bus)],
        |home| {
            tessera(&keyring, home, &["add", "--name", "aws", "--uri", AWS]);
        },
    )
    .await;
    a_code_shown(&app).await;
    keyring.stop();
    keyring.start();
    // A new account's key is read through the window's connection, which was to the old daemon.
    tessera(
        &keyring,
        app.data_home.path(),
        &["add", "--name", "second", "--secret", RFC_KEY],
    );
    app.eventually("the new account's code", || async {
        let codes = app
            .eval("return [...document.querySelectorAll('.row .code')].map((c) => c.textContent)")
            .await;
        let codes: Vec<String> = serde_json::from_value(codes).unwrap_or_default();
        codes.len() == 2 && codes.iter().all(|c| c.chars().any(|d| d.is_ascii_digit()))
    })
    .await;
    assert_eq!(
        app.eval("return document.getElementById('banner').hidden")
            .await,
        Value::Bool(true)
    );
    app.screenshot("keychain-restarted").await;
    app.stop().await;
}

/// The environment of WebKit's web process, the window's page (each app runs alone in the tests).
fn web_process_environment() -> Vec<String> {
    let out = std::process::Command::new("pgrep")
        .args(["-n", "-x", "WebKitWebProces"])
        .output()
        .unwrap();
    let pid = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(!pid.is_empty(), "no web process");
    let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
    environ
        .split(|b| *b == 0)
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect()
}

/// The page's script engine runs without its optimising tiers (they kept several MB for
/// nothing the page needs), unless the person set the option: then theirs is kept.
#[tokio::test]
async fn the_page_runs_without_the_script_engines_optimising_tiers() {
    for (set, expected) in [
        (None, "JSC_useDFGJIT=false"),
        (Some("true"), "JSC_useDFGJIT=true"),
    ] {
        let env: Vec<(&str, &str)> = set.map(|v| ("JSC_useDFGJIT", v)).into_iter().collect();
        let app = App::start_with("script-engine", &env, |home| {
            cli(home, &["add", "--name", "aws", "--uri", AWS], "");
        })
        .await;
        a_code_shown(&app).await;
        let environment = web_process_environment();
        assert!(
            environment.iter().any(|v| v == expected),
            "{expected} not in the web process's environment"
        );
        app.stop().await;
    }
}
