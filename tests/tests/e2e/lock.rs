//! The app lock, driven as a person would: Ctrl+L, then a page with no account in it (text or
//! field); a wrong passphrase delayed, the right one unlocking; the lock after a time without
//! use; the screen locking (its D-Bus signal sent on the test's session bus); the system's own
//! authentication through a stand-in Polkit authority on a private system bus; the tray's menu
//! while locked; and the name the app owns on the session bus while unlocked, for the desktop's
//! search.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};
use tessera_e2e::{App, PolkitAuthority, TrayHost, cli};

/// An issuer and a label found nowhere in the page's own text.
const ACME: &str = "otpauth://totp/Acme%20Staging%20Corp:tester@acme-staging?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Staging%20Corp";
const PASSPHRASE: &str = "correct horse battery";

fn accounts(home: &std::path::Path) {
    cli(
        home,
        &["add", "--name", "staging-tester-07", "--uri", ACME],
        "",
    );
    cli(
        home,
        &[
            "add",
            "--name",
            "prod-admin",
            "--secret",
            "GEZDGNBVGY3TQOJQ",
        ],
        "",
    );
    cli(home, &["tag", "prod-admin", "--add", "team-blue"], "");
}

/// Calls one of the window's commands as its page does; the error, or null.
async fn invoke(app: &App, command: &str, args: Value) -> Value {
    let script = format!(
        "const done = arguments[0]; window.__TAURI_INTERNALS__.invoke('{command}', {args}) \
         .then(() => done(null), (e) => done(e));"
    );
    app.client.execute_async(&script, vec![]).await.unwrap()
}

/// Changes settings through the window's own command, keeping the others.
async fn set(app: &App, change: Value) {
    let script = format!(
        "const done = arguments[0]; const api = window.__TAURI_INTERNALS__; \
         api.invoke('get_settings').then((s) => api.invoke('set_settings', {{ settings: {{ ...s, ...{change} }} }})) \
         .then(() => done(null), (e) => done(e));"
    );
    assert_eq!(
        app.client.execute_async(&script, vec![]).await.unwrap(),
        Value::Null
    );
}

/// Whether the app says on the session bus that it runs unlocked (`tessera search-provider`
/// asks).
fn owns_unlocked_name() -> bool {
    let out = std::process::Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            "string:app.tessera.desktop.Unlocked",
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).contains("true")
}

/// Both rows show a code (after an unlock, which reloads the page).
async fn codes_shown(app: &App) {
    app.eventually_true(
        "the accounts' codes",
        "const rows = document.querySelectorAll('.row:not([hidden])'); \
         return rows.length === 2 && /[0-9]/.test(rows[0].querySelector('.code').textContent)",
    )
    .await;
}

/// The lock screen (after a lock, which reloads the page).
async fn lock_screen_shown(app: &App) {
    app.eventually_true(
        "the lock screen",
        "return !document.getElementById('lock-screen').hidden && document.body.classList.contains('locked')",
    )
    .await;
}

/// Nothing of an account anywhere in the page: not in its HTML, not in any field's value.
async fn no_account_in_the_page(app: &App) {
    let html = app
        .eval("return document.documentElement.outerHTML")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    let values = app
        .eval("return [...document.querySelectorAll('input, textarea, select')].map((i) => i.value).join('\\n')")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    for text in [
        "staging-tester-07",
        "prod-admin",
        "Acme Staging Corp",
        "tester@acme-staging",
        "team-blue",
    ] {
        assert!(!html.contains(text), "{text:?} is in the locked page");
        assert!(
            !values.contains(text),
            "{text:?} is in a field of the locked page"
        );
    }
    let rows = app
        .eval("return document.querySelectorAll('.row').length")
        .await;
    assert_eq!(rows, json!(0));
}

#[tokio::test]
async fn ctrl_l_locks_and_only_the_passphrase_unlocks_after_a_delay() {
    let mut app = App::start("lock-passphrase", accounts).await;
    codes_shown(&app).await;
    let weak = invoke(
        &app,
        "set_lock",
        json!({"method": "passphrase", "secret": "abc"}),
    )
    .await;
    assert_eq!(weak["code"], "weak_passphrase", "{weak}");
    let set_lock = json!({"method": "passphrase", "secret": PASSPHRASE});
    assert_eq!(invoke(&app, "set_lock", set_lock).await, Value::Null);
    // The verifier is in the keychain; the passphrase is nowhere on disk.
    let settings =
        std::fs::read_to_string(app.config_home.path().join("tessera/settings.json")).unwrap();
    assert!(settings.contains("\"lock_method\": \"passphrase\"") && !settings.contains(PASSPHRASE));

    app.eventually("the unlocked name owned", || async { owns_unlocked_name() })
        .await;

    app.click("#search").await;
    app.press("\u{E009}l").await; // Ctrl+L
    lock_screen_shown(&app).await;
    no_account_in_the_page(&app).await;
    app.screenshot("locked").await;
    app.eventually("the unlocked name let go of", || async {
        !owns_unlocked_name()
    })
    .await;
    // Every other command is refused while locked.
    let refused = invoke(&app, "list_accounts", json!({})).await;
    assert_eq!(refused["code"], "locked", "{refused}");

    // A wrong passphrase: refused, and the next try waits.
    app.type_into("#unlock-secret", "wrong horse").await;
    app.click("#unlock-submit").await;
    app.eventually("the wait said", || async {
        app.text("#unlock-problem")
            .await
            .contains("Try again in 1 s")
    })
    .await;
    let disabled = app
        .eval("return document.getElementById('unlock-submit').disabled")
        .await;
    assert_eq!(disabled, Value::Bool(true));
    // Straight after another wrong one (waiting 1 s, or now 2 s), the right passphrase is
    // refused too: it has to wait.
    let _ = invoke(&app, "unlock", json!({"secret": "wrong again"})).await;
    let too_soon = invoke(&app, "unlock", json!({"secret": PASSPHRASE})).await;
    assert_eq!(too_soon["code"], "lock_wait", "{too_soon}");
    app.eventually("the wait over", || async {
        let status = app
            .client
            .execute_async(
                "const done = arguments[0]; window.__TAURI_INTERNALS__.invoke('lock_status').then(done, done);",
                vec![],
            )
            .await
            .unwrap();
        status["wait_seconds"] == json!(0)
    })
    .await;
    app.type_into("#unlock-secret", PASSPHRASE).await;
    app.click("#unlock-submit").await;
    codes_shown(&app).await;
    app.screenshot("unlocked").await;
    app.eventually("the unlocked name owned again", || async {
        owns_unlocked_name()
    })
    .await;
    app.stop().await;
}

#[tokio::test]
async fn the_window_locks_after_a_time_without_use_and_when_the_screen_locks() {
    let mut app = App::start("lock-idle", accounts).await;
    codes_shown(&app).await;
    let set_lock = json!({"method": "pin", "secret": "246810"});
    assert_eq!(invoke(&app, "set_lock", set_lock).await, Value::Null);
    set(&app, json!({"lock_after_idle_seconds": 4})).await;
    lock_screen_shown(&app).await;
    no_account_in_the_page(&app).await;
    assert_eq!(
        app.eval("return document.getElementById('unlock-secret').inputMode")
            .await,
        json!("numeric")
    );
    app.type_into("#unlock-secret", "246810").await;
    app.click("#unlock-submit").await;
    codes_shown(&app).await;

    // The screen saver says the screen locked (as GNOME and KDE do on the session bus).
    set(&app, json!({"lock_after_idle_seconds": 0})).await;
    let signal = std::process::Command::new("dbus-send")
        .args([
            "--session",
            "--type=signal",
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver.ActiveChanged",
            "boolean:true",
        ])
        .status()
        .unwrap();
    assert!(signal.success());
    lock_screen_shown(&app).await;
    no_account_in_the_page(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn the_tray_lists_no_account_while_locked() {
    let host = TrayHost::start().await;
    let app = App::start("lock-tray", accounts).await;
    codes_shown(&app).await;
    let set_lock = json!({"method": "passphrase", "secret": PASSPHRASE});
    assert_eq!(invoke(&app, "set_lock", set_lock).await, Value::Null);
    let labels = |entries: Vec<tessera_e2e::MenuEntry>| {
        entries
            .into_iter()
            .filter(|e| !e.separator)
            .map(|e| e.label)
            .collect::<Vec<_>>()
    };
    app.eventually("Lock in the tray's menu", || async {
        labels(host.menu().await).contains(&"Lock Tessera".to_owned())
    })
    .await;
    assert!(labels(host.menu().await).contains(&"Copy code: prod-admin".to_owned()));
    host.click("Lock Tessera").await;
    lock_screen_shown(&app).await;
    app.eventually("a menu without accounts", || async {
        labels(host.menu().await) == ["Show Tessera", "Quit Tessera"]
    })
    .await;
    app.stop().await;
}

#[tokio::test]
async fn the_system_authentication_unlocks_through_polkit() {
    let system_bus = tessera_test_support::Keyring::bare();
    // Setting the lock asks once (yes); then no, then yes.
    let polkit = PolkitAuthority::serve(&system_bus.address, &[true, false, true]);
    let mut app = App::start_with(
        "lock-polkit",
        &[("DBUS_SYSTEM_BUS_ADDRESS", &system_bus.address)],
        accounts,
    )
    .await;
    codes_shown(&app).await;
    let set_lock = json!({"method": "system", "secret": null});
    assert_eq!(invoke(&app, "set_lock", set_lock).await, Value::Null);
    app.click("#search").await;
    app.press("\u{E009}l").await;
    lock_screen_shown(&app).await;
    no_account_in_the_page(&app).await;
    assert_eq!(
        app.eval("return document.getElementById('unlock-system').hidden")
            .await,
        Value::Bool(false)
    );
    // No screenshot here: with a private bus for its system bus, WebKitWebDriver's screenshot
    // never returns (WebKit's own processes use that bus too).
    app.click("#unlock-system").await;
    app.eventually("the refusal said", || async {
        app.text("#unlock-problem").await.contains("Try again in")
    })
    .await;
    lock_screen_shown(&app).await;
    app.eventually("the wait over", || async {
        app.eval("return document.getElementById('unlock-system').disabled")
            .await
            == Value::Bool(false)
    })
    .await;
    app.click("#unlock-system").await;
    codes_shown(&app).await;
    let asked = polkit.asked();
    assert_eq!(asked.len(), 3, "{asked:?}");
    assert!(
        asked
            .iter()
            .all(|(action, pid)| action == "app.tessera.unlock" && *pid > 0)
    );
    app.stop().await;
}
