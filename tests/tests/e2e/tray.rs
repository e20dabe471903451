//! Tessera at hand: the tray icon's menu read and clicked over D-Bus as a desktop shell does
//! (a stand-in StatusNotifierWatcher on the test's bus), start at login (the XDG autostart
//! entry), close to tray, the global shortcut pressed on the X server with xdotool, and codes
//! typed from the window it brings up into another X client's window.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use serde_json::{Value, json};
use tessera_core::uri;
use tessera_e2e::{
    App, StopApps, TrayHost, app_running, cli, clipboard, close_window, eventually,
    resident_running, serve_clipboard, visible_window, xdotool_key,
};
use tessera_test_support::{KeyRecorder, now};

const GITHUB: &str = "otpauth://totp/GitHub:me?secret=GEZDGNBVGY3TQOJQ&issuer=GitHub";
const GITLAB: &str = "otpauth://totp/GitLab:me?secret=MFRGGZDFMZTWQ2LK&issuer=GitLab";
const AWS: &str = "otpauth://totp/Amazon%20Web%20Services:admin@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services";

fn accounts(home: &std::path::Path) {
    for (name, link) in [("aws", AWS), ("github", GITHUB), ("gitlab", GITLAB)] {
        cli(home, &["add", "--name", name, "--uri", link], "");
    }
}

/// A code of `link` for one of the moments around now.
fn is_code_of(link: &str, code: &str, since: u64) -> bool {
    let account = uri::parse(link).unwrap();
    (since..=now()).any(|t| account.code_at(t) == code)
}

/// Changes settings through the window's own command, keeping the others.
async fn set(app: &App, change: Value) -> Value {
    let script = format!(
        "const done = arguments[0]; const api = window.__TAURI_INTERNALS__; \
         api.invoke('get_settings').then((s) => api.invoke('set_settings', {{ settings: {{ ...s, ...{change} }} }})) \
         .then(() => done(null), (e) => done(e));"
    );
    app.client.execute_async(&script, vec![]).await.unwrap()
}

/// Turns "Close to tray" on and closes the window as a window manager's close button does: it
/// hides, and the app keeps running. The close is sent again each second: under Xvfb, with no
/// window manager, GTK now and then lets the first one pass unseen (a few runs in ten, whatever
/// the app does with it).
async fn close_to_tray(app: &App) {
    assert_eq!(set(app, json!({"close_to_tray": true})).await, Value::Null);
    let window = visible_window("Tessera").expect("the window is shown");
    app.eventually("the window hidden", || async {
        if visible_window("Tessera").is_none() {
            return true;
        }
        close_window(window);
        tokio::time::sleep(Duration::from_millis(1000)).await;
        visible_window("Tessera").is_none()
    })
    .await;
    assert_eq!(
        app.eval("return document.title").await,
        "Tessera",
        "the app still runs"
    );
}

/// The window came up for the shortcut: shown, its search empty and focused.
async fn summoned(app: &App) {
    app.eventually("the window shown", || async {
        visible_window("Tessera").is_some()
    })
    .await;
    app.eventually_true(
        "an empty, focused search",
        "const s = document.getElementById('search'); return document.activeElement === s && s.value === ''",
    )
    .await;
}

#[tokio::test]
async fn the_tray_menu_offers_recent_accounts_and_copies_a_code() {
    let host = TrayHost::start().await;
    let mut app = App::start("tray-menu", accounts).await;
    app.eventually("three rows", || async {
        app.visible_names().await.len() == 3
    })
    .await;
    assert_eq!(labels(&host).await, MENU);
    // A click copies that account's code, as a copy in the window does.
    let since = now();
    host.click("Copy code: gitlab").await;
    app.eventually("the code on the clipboard", || async {
        clipboard().len() == 6
    })
    .await;
    assert!(
        is_code_of(GITLAB, &clipboard(), since),
        "copied {}",
        clipboard()
    );
    // The account used last comes first now.
    app.eventually("gitlab first in the menu", || async {
        host.menu()
            .await
            .get(3)
            .is_some_and(|e| e.label == "Copy code: gitlab")
    })
    .await;
    // An account added with the CLI appears in the menu.
    cli(
        app.data_home.path(),
        &[
            "add",
            "--name",
            "added-later",
            "--secret",
            "GEZDGNBVGY3TQOJA",
        ],
        "",
    );
    app.eventually("the new account in the menu", || async {
        host.menu()
            .await
            .iter()
            .any(|e| e.label == "Copy code: added-later")
    })
    .await;
    // Settings shows the window with the settings dialog open.
    host.click("Settings").await;
    app.eventually_true(
        "the settings dialog",
        "return document.getElementById('settings-dialog').open",
    )
    .await;
    app.screenshot("settings").await;
    app.stop().await;
}

#[tokio::test]
async fn start_at_login_writes_and_removes_the_autostart_entry() {
    let app = App::start("autostart", |_| {}).await;
    let entry = app
        .config_home
        .path()
        .join("autostart/tessera-desktop.desktop");
    assert!(!entry.exists());
    assert_eq!(
        set(&app, json!({"start_at_login": true})).await,
        Value::Null
    );
    let text = std::fs::read_to_string(&entry).unwrap();
    assert!(text.contains("tessera-desktop"), "{text}");
    assert!(text.contains("--minimised"), "{text}");
    let saved: Value = serde_json::from_slice(
        &std::fs::read(app.config_home.path().join("tessera/settings.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(saved["start_at_login"], true);
    assert_eq!(
        set(&app, json!({"start_at_login": false})).await,
        Value::Null
    );
    assert!(!entry.exists(), "the entry is removed with the setting");
    app.stop().await;
}

#[tokio::test]
async fn close_to_tray_hides_and_the_shortcut_brings_the_window_back_for_one_copy() {
    let mut app = App::start("shortcut", accounts).await;
    app.eventually("three rows", || async {
        app.visible_names().await.len() == 3
    })
    .await;
    // A combination that is no combination is refused, and the old one kept.
    let refused = set(&app, json!({"shortcut": "Ctrl+Nope"})).await;
    assert_eq!(refused["code"], "shortcut_unavailable", "{refused}");
    assert!(
        refused["message"].as_str().unwrap().contains("Ctrl+Nope"),
        "{refused}"
    );
    // One another program holds is refused too, saying so.
    let held = tessera_e2e::KeyGrab::ctrl_alt('b');
    let taken = set(&app, json!({"shortcut": "Ctrl+Alt+B"})).await;
    assert_eq!(taken["code"], "shortcut_unavailable", "{taken}");
    assert!(
        taken["message"]
            .as_str()
            .unwrap()
            .starts_with("Ctrl+Alt+B is taken by another program"),
        "{taken}"
    );
    drop(held);
    // Another combination lets go of the one before: another program may take it then.
    let other = set(&app, json!({"shortcut": "Ctrl+Alt+C"})).await;
    assert_eq!(other, Value::Null);
    drop(tessera_e2e::KeyGrab::ctrl_alt('a'));
    let back = set(&app, json!({"shortcut": "Ctrl+Alt+A"})).await;
    assert_eq!(back, Value::Null);
    app.press("git").await;
    close_to_tray(&app).await;
    // Hidden, the page knows it, and its countdown stops (list.ts).
    assert_eq!(app.eval("return document.hidden").await, Value::Bool(true));

    // Ctrl+Alt+A from anywhere: the window is back, its search empty and focused.
    xdotool_key("ctrl+alt+a");
    summoned(&app).await;
    app.screenshot("summoned").await;
    // Typing filters; Enter copies the selected code; the window hides again.
    app.press("gitl").await;
    assert_eq!(app.visible_names().await, ["gitlab"]);
    let since = now();
    app.press("\u{E007}").await;
    app.eventually("the code on the clipboard", || async {
        clipboard().len() == 6
    })
    .await;
    assert!(is_code_of(GITLAB, &clipboard(), since));
    app.eventually("the window hidden after the copy", || async {
        visible_window("Tessera").is_none()
    })
    .await;

    // With "Hide again after copying" off, it stays.
    assert_eq!(
        set(&app, json!({"hide_after_copy": false})).await,
        Value::Null
    );
    xdotool_key("ctrl+alt+a");
    app.eventually("the window shown", || async {
        visible_window("Tessera").is_some()
    })
    .await;
    app.press("aws\u{E007}").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(visible_window("Tessera").is_some());
    app.stop().await;
}

/// Shift+Enter in the window the shortcut brought up types the code into the window that had
/// the focus (an X client recording its keys), and hides; Ctrl+Shift+Enter types the code, Tab
/// and the next code; with the setting, plain Enter types. The clipboard is never touched.
#[tokio::test]
async fn the_shortcut_window_types_codes_into_the_window_that_had_the_focus() {
    let mut app = App::start("type-codes", accounts).await;
    app.eventually("three rows", || async {
        app.visible_names().await.len() == 3
    })
    .await;
    let held = app.data_home.path().join("held.txt");
    std::fs::write(&held, "held by someone else").unwrap();
    serve_clipboard(&held, "UTF8_STRING");
    // Not brought up by the shortcut: there is no window to type into, and the window says so.
    app.press("\u{E008}\u{E007}\u{E000}").await;
    app.eventually("the toast", || async {
        app.text("#toast")
            .await
            .contains("works in the window the shortcut brings up")
    })
    .await;

    let recorder = KeyRecorder::start();
    xdotool_key("ctrl+alt+a");
    summoned(&app).await;
    app.press("gitl").await;
    let since = now();
    app.press("\u{E008}\u{E007}\u{E000}").await; // Shift+Enter
    let typed = recorder.typed(6, Duration::from_secs(10));
    assert!(is_code_of(GITLAB, &typed, since), "typed {typed:?}");
    app.eventually("the window hidden", || async {
        visible_window("Tessera").is_none()
    })
    .await;

    // Both codes, for a form that asks for two.
    recorder.focus();
    xdotool_key("ctrl+alt+a");
    summoned(&app).await;
    app.press("aws").await;
    let since = now();
    app.press("\u{E009}\u{E008}\u{E007}\u{E000}").await; // Ctrl+Shift+Enter
    let typed = recorder.typed(13, Duration::from_secs(10));
    let (first, second) = typed.split_once('\t').expect("a Tab between the codes");
    let account = uri::parse(AWS).unwrap();
    assert!(
        (since..=now()).any(|t| account.code_at(t) == first && account.next_code_at(t) == second),
        "typed {typed:?}"
    );

    // With the setting (chosen in Settings), plain Enter types.
    xdotool_key("ctrl+alt+a");
    summoned(&app).await;
    app.click("#settings-button").await;
    app.click("#settings-enter-types").await;
    app.click("#settings-done").await;
    recorder.focus();
    xdotool_key("ctrl+alt+a");
    summoned(&app).await;
    app.press("github").await;
    let since = now();
    app.press("\u{E007}").await;
    let typed = recorder.typed(6, Duration::from_secs(10));
    assert!(is_code_of(GITHUB, &typed, since), "typed {typed:?}");
    assert_eq!(clipboard(), "held by someone else");
    app.stop().await;
}

/// The app's call of its own command `shortcut_problem`: what Settings says about the shortcut.
async fn shortcut_problem(app: &App) -> Value {
    let script = "const done = arguments[0]; window.__TAURI_INTERNALS__.invoke('shortcut_problem').then(done, done);";
    app.client.execute_async(script, vec![]).await.unwrap()
}

/// On Wayland no program may grab a key. Without the desktop's GlobalShortcuts portal, Settings
/// says how to get a shortcut anyway; with it (a stand-in here), the shortcut is bound through
/// it, and the desktop's Activated signal brings the window up; codes are typed through its
/// RemoteDesktop portal, and refused without one. (The window itself runs on Xvfb
/// through GTK's X11 backend.) One test, in turn: the portal's name must not be on the bus for
/// the first app.
#[tokio::test]
async fn on_wayland_the_shortcut_goes_through_the_global_shortcuts_portal() {
    let wayland = [
        ("WAYLAND_DISPLAY", "wayland-tessera-test"),
        ("GDK_BACKEND", "x11"),
    ];
    let app = App::start_with("shortcut-no-portal", &wayland, accounts).await;
    let mut said = Value::Null;
    for _ in 0..50 {
        said = shortcut_problem(&app).await;
        if said.is_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let said = said.as_str().unwrap_or_default().to_owned();
    assert!(said.contains("runs tessera-desktop"), "{said}");
    // Without a RemoteDesktop portal no code can be typed, and the window is told why.
    let script = "const done = arguments[0]; const api = window.__TAURI_INTERNALS__; \
        api.invoke('list_accounts') \
        .then((l) => api.invoke('type_code', { id: l.ids.split('\\n')[0], both: false })).then(done, done);";
    let refused = app.client.execute_async(script, vec![]).await.unwrap();
    assert_eq!(refused["code"], "typing_unavailable", "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("no RemoteDesktop portal"),
        "{refused}"
    );
    app.stop().await;

    let portal = tessera_e2e::DesktopPortal::serve(true).await;
    let app = App::start_with("shortcut-portal", &wayland, accounts).await;
    app.eventually("three rows", || async {
        app.visible_names().await.len() == 3
    })
    .await;
    assert_eq!(
        portal.bound().await,
        ("summon".to_owned(), "CTRL+ALT+a".to_owned())
    );
    app.press("git").await;
    close_to_tray(&app).await;
    portal.press("summon").await;
    summoned(&app).await;
    assert_eq!(shortcut_problem(&app).await, Value::Null);
    // Shift+Enter types the code through the RemoteDesktop portal's keyboard.
    app.press("gitl").await;
    let since = now();
    app.press("\u{E008}\u{E007}\u{E000}").await;
    let typed = portal.typed(6).await;
    assert!(is_code_of(GITLAB, &typed, since), "typed {typed:?}");
    app.stop().await;
}

/// "Start minimised": after a restart the app runs with its window hidden in the tray, and the
/// shortcut brings it up.
#[tokio::test]
async fn start_minimised_starts_in_the_tray() {
    let app = App::start("start-minimised", accounts).await;
    // Never released: on X11 the app would become `tessera tray` at once (the next test), out
    // of WebDriver's reach.
    assert_eq!(
        set(
            &app,
            json!({"start_minimised": true, "release_window_after_seconds": 0})
        )
        .await,
        Value::Null
    );
    let app = app.restart().await;
    assert!(
        visible_window("Tessera").is_none(),
        "the window starts hidden"
    );
    // Hidden from the start, the page knows it: its countdown waits for nobody.
    app.eventually("the rows", || async {
        app.visible_names().await.len() == 3
    })
    .await;
    assert_eq!(ring_moves(&app, 6).await, 0, "the countdown ran hidden");
    // The shortcut is grabbed a second after the page has loaded (shortcut::at_start), which
    // WebDriver's session does not wait for: pressed until it works.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while visible_window("Tessera").is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "the shortcut never brought the window up"
        );
        xdotool_key("ctrl+alt+a");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(app.visible_names().await.len(), 3);
    assert!(ring_moves(&app, 6).await > 0, "shown, the countdown runs");
    app.stop().await;
}

/// How many times the rows' countdown rings move in `seconds` (at least once in any 6 s while
/// the countdown runs: every 5 s).
async fn ring_moves(app: &App, seconds: u64) -> u64 {
    app.eval(
        "window.ringMoves = 0; const seen = new MutationObserver(() => window.ringMoves++); \
         for (const arc of document.querySelectorAll('.row .ring .arc')) \
         seen.observe(arc, { attributes: true }); return null",
    )
    .await;
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    app.eval("return window.ringMoves").await.as_u64().unwrap()
}

/// WebKit's web processes running (one per webview; each app runs alone in the tests).
fn web_processes() -> usize {
    let out = std::process::Command::new("pgrep")
        .args(["-c", "-x", "WebKitWebProces"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0)
}

/// On Wayland, where `tessera tray` could not take the shortcut, the window hidden long enough
/// is released and the app stays: the window and its web process go, the app keeps its tray. A
/// second launch (as the shortcut) makes it anew, with the accounts and their codes, and a fresh
/// search.
#[tokio::test]
async fn on_wayland_a_window_hidden_long_enough_is_released_and_made_again() {
    let tray = TrayHost::start().await;
    let wayland = [
        ("WAYLAND_DISPLAY", "wayland-tessera-test"),
        ("GDK_BACKEND", "x11"),
    ];
    let mut app = App::start_with("release-window-wayland", &wayland, accounts).await;
    app.eventually("the rows", || async {
        app.visible_names().await.len() == 3
    })
    .await;
    assert!(web_processes() >= 1);
    assert_eq!(
        set(&app, json!({"release_window_after_seconds": 2})).await,
        Value::Null
    );
    close_to_tray(&app).await;
    app.eventually("the web process gone", || async { web_processes() == 0 })
        .await;
    assert!(visible_window("Tessera").is_none());
    // The app is still there: its tray menu answers.
    assert!(
        tray.menu().await.iter().any(|e| e.label.contains("Quit")),
        "the tray's menu"
    );

    let binary = tessera_test_support::built("tessera-desktop");
    let status = std::process::Command::new(&binary)
        .envs(wayland)
        .env("XDG_DATA_HOME", app.data_home.path())
        .env("XDG_CONFIG_HOME", app.config_home.path())
        .status()
        .unwrap();
    assert!(status.success(), "the second launch hands over: {status:?}");
    app.eventually("the window made again", || async {
        visible_window("Tessera").is_some()
    })
    .await;
    app.follow_new_window().await;
    app.eventually("the codes", || async {
        app.eval(
            "return [...document.querySelectorAll('.row .code')].map(c => c.textContent).join()",
        )
        .await
        .as_str()
        .is_some_and(|codes| codes.split(',').filter(|c| c.len() == 7).count() == 3)
    })
    .await;
    summoned(&app).await;
    assert_eq!(web_processes(), 1);
    app.stop().await;
}

/// The menu's entries as labels, separators as "---".
async fn labels(host: &TrayHost) -> Vec<String> {
    host.menu()
        .await
        .into_iter()
        .map(|e| {
            if e.separator {
                "---".to_owned()
            } else {
                e.label
            }
        })
        .collect()
}

/// The desktop app's menu with these three accounts (the last used first), whichever process
/// serves it.
const MENU: [&str; 9] = [
    "Show Tessera",
    "Scan screen",
    "---",
    "Copy code: aws",
    "Copy code: github",
    "Copy code: gitlab",
    "---",
    "Settings",
    "Quit Tessera",
];

/// Hidden in the tray for `release_window_after_seconds`, the window is released: on X11 the app
/// hands its tray over to `tessera tray` and exits, WebKit with it. That process serves the same
/// menu and copies codes; the shortcut starts the window again, with the accounts.
#[tokio::test]
async fn a_window_hidden_long_enough_hands_the_tray_to_a_process_without_webkit() {
    let tray = TrayHost::start().await;
    let app = App::start("release-window", accounts).await;
    app.eventually("the rows", || async {
        app.visible_names().await.len() == 3
    })
    .await;
    assert!(web_processes() >= 1);
    assert_eq!(labels(&tray).await, MENU, "the app's own menu");
    assert_eq!(
        set(&app, json!({"release_window_after_seconds": 2})).await,
        Value::Null
    );
    close_to_tray(&app).await;
    app.eventually("the app gone, and tessera tray in its place", || async {
        !app_running() && resident_running() && web_processes() == 0
    })
    .await;
    app.eventually("the same menu, from tessera tray", || async {
        labels(&tray).await == MENU
    })
    .await;
    let since = now();
    tray.click("Copy code: github").await;
    app.eventually("the code on the clipboard", || async {
        is_code_of(GITHUB, &clipboard(), since)
    })
    .await;
    app.eventually("github first in the menu", || async {
        labels(&tray).await.get(3).map(String::as_str) == Some("Copy code: github")
    })
    .await;

    xdotool_key("ctrl+alt+a");
    app.eventually("the window made again by the shortcut", || async {
        visible_window("Tessera").is_some()
    })
    .await;
    app.eventually("the app back, alone", || async {
        app_running() && !resident_running()
    })
    .await;
    // The app is a new process, out of this WebDriver session's reach: its tray's menu says it
    // read the vault.
    app.eventually("the app's tray", || async {
        labels(&tray).await.contains(&"Copy code: aws".to_owned())
    })
    .await;
    // App's Drop stops the new app too.
}

/// Started in the tray (at login), the app becomes `tessera tray` at once, without making a
/// window. A second launch starts the window; Quit in its menu ends it.
#[tokio::test]
async fn started_in_the_tray_the_app_is_a_small_process_until_wanted() {
    let (data, config) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // The apps' turn, taken after the folders so dropped before them: the apps stop first.
    let _turn = StopApps::take_turn().await;
    // A session bus of its own: on the tests' shared bus an app of the test before, still
    // dying on a loaded machine, could hold the single-instance name this test is about.
    let bus = tessera_test_support::Keyring::bare();
    let address = bus.address.clone();
    let tray = TrayHost::start_on(&address).await;
    let (data, config) = (data.path(), config.path());
    accounts(data);
    let file = config.join("tessera/settings.json");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, r#"{"check_clock": false}"#).unwrap();
    let desktop = |args: &[&str]| {
        std::process::Command::new(tessera_test_support::built("tessera-desktop"))
            .args(args)
            .env("XDG_DATA_HOME", data)
            .env("XDG_CONFIG_HOME", config)
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .spawn()
            .unwrap()
    };
    let mut started = desktop(&["--minimised"]);
    let proc = format!("/proc/{}", started.id());
    eventually("the app become tessera tray", || async {
        std::fs::read(format!("{proc}/cmdline")).is_ok_and(|c| c.ends_with(b"tessera\0tray\0"))
    })
    .await;
    // The same process, its program replaced: WebKit's libraries are not even mapped.
    let maps = std::fs::read_to_string(format!("{proc}/maps")).unwrap();
    assert!(!maps.contains("webkit"), "no WebKit in tessera tray");
    eventually("the tray's menu", || async {
        labels(&tray).await.last().map(String::as_str) == Some("Quit Tessera")
    })
    .await;
    let menu = labels(&tray).await;
    for name in ["aws", "github", "gitlab"] {
        assert!(menu.contains(&format!("Copy code: {name}")), "{menu:?}");
    }
    // A second start at login finds Tessera running, and leaves it.
    let status = desktop(&["--minimised"]).wait().unwrap();
    assert!(status.success());
    assert!(started.try_wait().unwrap().is_none(), "the first one stays");
    tray.click("Quit Tessera").await;
    let status = started.wait().unwrap();
    assert!(status.success(), "Quit ends tessera tray: {status:?}");
    assert!(!resident_running());

    // Locked: the menu offers the window (its lock screen) and Quit, no account.
    let mut settings: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    settings["lock_method"] = json!("pin");
    std::fs::write(&file, settings.to_string()).unwrap();
    let mut started = desktop(&["--minimised"]);
    eventually("tessera tray running, locked", || async {
        resident_running()
    })
    .await;
    eventually("the locked menu", || async {
        labels(&tray).await == ["Show Tessera", "---", "Quit Tessera"]
    })
    .await;
    // A second launch (the user starting Tessera) wants the window.
    let status = desktop(&[]).wait().unwrap();
    assert!(
        status.success(),
        "the second launch handed over: {status:?}"
    );
    eventually("the window, started by tessera tray", || async {
        visible_window("Tessera").is_some()
    })
    .await;
    assert!(started.wait().unwrap().success());
    eventually("tessera tray gone", || async { !resident_running() }).await;
}
