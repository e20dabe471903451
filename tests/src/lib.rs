//! Drives the real Tessera window through WebDriver: tauri-driver in front of WebKitWebDriver,
//! the app built at target/debug/tessera-desktop, under Xvfb with a real Secret Service (`make
//! test` runs these inside scripts/with-keyring.sh and xvfb-run). Each `App` has its own data
//! and config directories. The drivers listen on TESSERA_WEBDRIVER_PORT and the port after it
//! (default 4444 and 4445), so two checkouts can test at once with different ports; within one
//! test run, apps run one at a time.

// Test support: a failure here is a failing test, said as plainly as possible.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod atspi;
mod polkit;
mod portal;
mod tray;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{
    Actions, InputSource, KeyAction, KeyActions, MOUSE_BUTTON_LEFT, MouseActions, PointerAction,
};
pub use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tokio::sync::{Mutex, MutexGuard};

pub use polkit::PolkitAuthority;
pub use portal::DesktopPortal;
pub use tessera_test_support::clipboard;
use tessera_test_support::{built, tessera_with, workspace};
pub use tray::{MenuEntry, TrayHost};

/// One app at a time: tauri-driver and WebKitWebDriver listen on the same ports for every app.
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

/// Waits for the apps' turn and keeps it, for a test without an app that should not run beside
/// one (a whole Wine prefix starting takes both cores).
pub fn alone() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME.blocking_lock()
}

/// tauri-driver's port (TESSERA_WEBDRIVER_PORT, default 4444); WebKitWebDriver gets the next.
fn driver_port() -> u16 {
    std::env::var("TESSERA_WEBDRIVER_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .filter(|p: &u16| *p < u16::MAX)
        .unwrap_or(4444)
}

fn app_binary() -> PathBuf {
    let path = built("tessera-desktop");
    assert!(
        path.exists(),
        "{} is missing: `make test` builds it (ui first, then the app)",
        path.display()
    );
    path
}

/// A running Tessera window with its own vault, and a WebDriver session on it.
#[allow(missing_debug_implementations)] // holds a WebDriver client and a process
pub struct App {
    pub client: Client,
    driver: Child,
    pub data_home: tempfile::TempDir,
    pub config_home: tempfile::TempDir,
    name: &'static str,
    shots: u32,
    /// What the drivers and the app printed: target/e2e-logs/<test>.log.
    pub log: PathBuf,
    _turn: MutexGuard<'static, ()>,
}

impl App {
    /// Starts the app for the test `name`; `prepare` runs first with the data directory, to put
    /// accounts in the vault before the window opens.
    pub async fn start(name: &'static str, prepare: impl FnOnce(&Path)) -> App {
        Self::start_with(name, &[], prepare).await
    }

    /// `start`, with extra environment variables for the app.
    pub async fn start_with(
        name: &'static str,
        env: &[(&str, &str)],
        prepare: impl FnOnce(&Path),
    ) -> App {
        let data_home = tempfile::tempdir().unwrap();
        let config_home = tempfile::tempdir().unwrap();
        prepare(data_home.path());
        Self::launch(name, env, data_home, config_home).await
    }

    /// `start`, with the settings file written first (`settings` is its JSON).
    pub async fn start_with_settings(
        name: &'static str,
        settings: Value,
        prepare: impl FnOnce(&Path),
    ) -> App {
        let data_home = tempfile::tempdir().unwrap();
        let config_home = tempfile::tempdir().unwrap();
        let dir = config_home.path().join("tessera");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("settings.json"), settings.to_string()).unwrap();
        prepare(data_home.path());
        Self::launch(name, &[], data_home, config_home).await
    }

    /// Closes the window as a user would (so the app saves its state), then starts the app
    /// again on the same data and config directories.
    pub async fn restart(mut self) -> App {
        let _ = self.client.close_window().await;
        let name = self.name;
        let data_home = std::mem::replace(&mut self.data_home, tempfile::tempdir().unwrap());
        let config_home = std::mem::replace(&mut self.config_home, tempfile::tempdir().unwrap());
        drop(self);
        Self::launch(name, &[], data_home, config_home).await
    }

    async fn launch(
        name: &'static str,
        env: &[(&str, &str)],
        data_home: tempfile::TempDir,
        config_home: tempfile::TempDir,
    ) -> App {
        let turn = ONE_AT_A_TIME.lock().await;
        // One left by a test that failed half-way, or still dying.
        no_app_left();
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "no DISPLAY: run under xvfb-run (`make test` does)"
        );
        assert!(
            std::env::var_os("TESSERA_PRIVATE_BUS").is_some(),
            "run inside scripts/with-keyring.sh (`make test` does): the app must not use your own keychain"
        );
        // No test reaches the network: the clock check is off unless a test's settings say
        // otherwise (and name a stand-in server).
        let settings = config_home.path().join("tessera/settings.json");
        if !settings.exists() {
            std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
            std::fs::write(&settings, r#"{"check_clock": false}"#).unwrap();
        }
        let logs = workspace().join("target/e2e-logs");
        std::fs::create_dir_all(&logs).unwrap();
        let log = logs.join(format!("{name}.log"));
        let output = std::fs::File::create(&log).unwrap();
        let port = driver_port();
        let driver = Command::new("tauri-driver")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &(port + 1).to_string(),
            ])
            .env("XDG_DATA_HOME", data_home.path())
            .env("XDG_CONFIG_HOME", config_home.path())
            // Its cache (where the keychain's items are) its own too, kept over a restart.
            .env("XDG_CACHE_HOME", config_home.path().join("cache"))
            // English, whatever the machine's locale, unless the test says otherwise.
            .env("LANG", "C.UTF-8")
            .env_remove("LANGUAGE")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .envs(env.iter().copied())
            .stdout(output.try_clone().unwrap())
            .stderr(output)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start tauri-driver ({e}); `make test` installs it"));
        let capabilities = json!({
            "browserName": "wry",
            "tauri:options": { "application": app_binary() },
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            let mut builder = ClientBuilder::new(HttpConnector::new());
            builder.capabilities(capabilities.as_object().unwrap().clone());
            // WebKitWebDriver waits for ever for an app that quit at start: bounded here.
            let url = format!("http://127.0.0.1:{port}");
            let connect = builder.connect(&url);
            match tokio::time::timeout(Duration::from_secs(60), connect).await {
                Ok(Ok(client)) => break client,
                Ok(Err(e)) if Instant::now() > deadline => panic!("no WebDriver session: {e}"),
                Ok(Err(_)) => tokio::time::sleep(Duration::from_millis(100)).await,
                Err(_) => panic!(
                    "no WebDriver session after 60 s; what the app said is in {}",
                    log.display()
                ),
            }
        };
        let app = App {
            client,
            driver,
            data_home,
            config_home,
            name,
            shots: 0,
            log,
            _turn: turn,
        };
        app.wait_for("#list").await;
        app
    }

    /// Closes the window and stops the drivers.
    pub async fn stop(self) {
        let _ = self.client.clone().close().await;
        // The rest is in Drop, which also runs when a test fails half-way.
    }

    pub async fn wait_for(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
    }

    /// Waits until `check` holds (polling), or fails with `what`.
    pub async fn eventually<F, Fut>(&self, what: &str, check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        eventually(what, check).await;
    }

    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.unwrap()
    }

    /// Runs script in the page and returns its value.
    pub async fn eval(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// Waits until `script` returns true in the page, or fails with `what`. A script that meets
    /// a reload of the page (a lock or an unlock reloads it) fails with "not called before the
    /// unload event": that counts as not yet.
    pub async fn eventually_true(&self, what: &str, script: &str) {
        eventually(what, || async {
            matches!(
                self.client.execute(script, vec![]).await,
                Ok(Value::Bool(true))
            )
        })
        .await;
    }

    /// The window was made anew (after a release): the session drives it from now on.
    pub async fn follow_new_window(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(handles) = self.client.windows().await
                && let Some(handle) = handles.last()
                && self.client.switch_to_window(handle.clone()).await.is_ok()
                && self.client.find(Locator::Css("#list")).await.is_ok()
            {
                return;
            }
            assert!(Instant::now() < deadline, "no new window to drive");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs `script` in the page until it calls `done(value)`, and returns that value.
    pub async fn eval_async(&self, script: &str) -> Value {
        let script = format!("const done = arguments[arguments.length - 1];\n{script}");
        self.client.execute_async(&script, vec![]).await.unwrap()
    }

    /// Types into `css` as a user would, waiting (a few seconds at most) while it is not yet
    /// interactable (its dialog still opening) or is being replaced by a repaint.
    pub async fn type_into(&self, css: &str, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let field = self.wait_for(css).await;
            // Clearing is only the way to type over the field: any refusal by the driver (seen
            // once under load with an empty message) is retried until the deadline.
            match field.clear().await {
                Ok(()) => return field.send_keys(text).await.unwrap(),
                Err(e) if Instant::now() < deadline && refused(&e) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("typing into {css}: {e:?}"),
            }
        }
    }

    /// Opens the details dialog of the row `row` (its ⋯ button), and waits until it is open:
    /// it opens once the shell has said the account's details.
    pub async fn open_details(&mut self, row: &str) {
        self.click(&format!("{row} .more")).await;
        self.wait_for("#details-dialog[open]").await;
    }

    /// Clicks `css`, waiting (a few seconds at most) while it is not yet interactable or is
    /// being replaced by a repaint.
    pub async fn click(&mut self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let element = self.wait_for(css).await;
            match element.click().await {
                Ok(()) => return,
                Err(e) if Instant::now() < deadline && transient(&e) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => {
                    self.screenshot("click-failed").await;
                    panic!("clicking {css}: {e:?} (screenshot saved)");
                }
            }
        }
    }

    /// Clicks `css` while holding a modifier key (`Key::Control`, `Key::Shift`), as input
    /// events: the key goes down, the pointer moves to the element's centre and clicks, the key
    /// comes up.
    pub async fn click_with(&self, modifier: Key, css: &str) {
        let element = self.wait_for(css).await;
        let pause = || KeyAction::Pause {
            duration: Duration::ZERO,
        };
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down {
                value: modifier.into(),
            })
            .then(pause())
            .then(pause())
            .then(pause())
            .then(KeyAction::Up {
                value: modifier.into(),
            });
        let pointer = MouseActions::new("mouse".into())
            .then(PointerAction::Pause {
                duration: Duration::ZERO,
            })
            .then(PointerAction::MoveToElement {
                element,
                duration: None,
                x: 0.0,
                y: 0.0,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.client
            .perform_actions(Actions::from(keys).and(pointer))
            .await
            .unwrap_or_else(|e| panic!("{modifier:?}-clicking {css}: {e}"));
        self.client.release_actions().await.unwrap();
    }

    /// Presses keys on the focused element (WebDriver key codes: "\u{E007}" is Enter).
    pub async fn press(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap();
    }

    /// The first line of each row not hidden by the search or tags, in order: the friendly name
    /// where the user chose one, else what tells the account apart (its label).
    pub async fn visible_names(&self) -> Vec<String> {
        self.names_of(".row:not([hidden])").await
    }

    /// The first line of each row `rows` (a CSS selector) matches, in order.
    pub async fn names_of(&self, rows: &str) -> Vec<String> {
        let script = format!(
            "return [...document.querySelectorAll({})].map(r => r.querySelector('.name').textContent)",
            json!(rows)
        );
        self.eval(&script)
            .await
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    }

    /// Saves a screenshot as target/e2e-screenshots/<test>-<n>-<what>.png, after two frames so
    /// that it shows what was just painted.
    pub async fn screenshot(&mut self, what: &str) {
        let _ = self
            .client
            .execute_async(
                "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
                vec![],
            )
            .await;
        let png = self.client.screenshot().await.unwrap();
        let dir = workspace().join("target/e2e-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        self.shots += 1;
        std::fs::write(
            dir.join(format!("{}-{}-{what}.png", self.name, self.shots)),
            png,
        )
        .unwrap();
    }

    /// Runs the `tessera` CLI on this app's vault and settings.
    pub fn cli(&self, args: &[&str], stdin: &str) -> Output {
        succeeded(
            args,
            tessera_with(self.data_home.path(), self.config_home.path(), args, stdin),
        )
    }
}

impl Drop for App {
    /// Stops tauri-driver with SIGTERM (SIGKILL would leave WebKitWebDriver holding its port)
    /// and waits until the app has exited: a window left open would take
    /// the next test's launch as a second instance.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.driver.id().to_string()])
            .status();
        let _ = self.driver.wait();
        no_app_left();
        let deadline = Instant::now() + Duration::from_secs(5);
        while running("WebKitWebDriver") && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn transient(error: &fantoccini::error::CmdError) -> bool {
    use fantoccini::error::{CmdError, ErrorStatus};
    matches!(error, CmdError::Standard(e)
        if matches!(e.error, ErrorStatus::ElementNotInteractable | ErrorStatus::StaleElementReference))
}

/// Any error the driver itself answered with (not a lost session or connection).
fn refused(error: &fantoccini::error::CmdError) -> bool {
    matches!(error, fantoccini::error::CmdError::Standard(_))
}

/// Waits until no Tessera window runs (killing one that lingers): gone, not only signalled. A
/// dying app still owns its single-instance name on the bus, and the next launch would hand
/// itself over to it and quit (seen on a loaded machine).
fn no_app_left() {
    // `tessera tray` holding the app's single-instance name would take the next launch for a
    // second one.
    let _ = Command::new("pkill")
        .args(["-KILL", "-f", &resident_pattern()])
        .status();
    let app = app_binary();
    let app = app.to_string_lossy();
    let mut deadline = Instant::now() + Duration::from_secs(5);
    let mut killed = false;
    while running(&app) {
        if Instant::now() > deadline {
            if killed {
                break;
            }
            let _ = Command::new("pkill").args(["-KILL", "-f", &*app]).status();
            killed = true;
            deadline = Instant::now() + Duration::from_secs(5);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits until `check` holds (polling, 10 s at most), or fails with `what`.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The apps' turn for a test that starts apps without [`App`] (as a login or a launcher would):
/// it runs alone, since every other test's start stops any app or `tessera tray` it finds, and
/// stops, when dropped, every one it started.
#[derive(Debug)]
pub struct StopApps {
    _turn: MutexGuard<'static, ()>,
}

impl StopApps {
    pub async fn take_turn() -> StopApps {
        let turn = ONE_AT_A_TIME.lock().await;
        no_app_left();
        StopApps { _turn: turn }
    }
}

impl Drop for StopApps {
    fn drop(&mut self) {
        no_app_left();
    }
}

/// What `pgrep -f` matches of `tessera tray`, the tray without the window.
fn resident_pattern() -> String {
    format!("{} tray", built("tessera").display())
}

/// Whether `tessera tray` runs.
pub fn resident_running() -> bool {
    running(&resident_pattern())
}

/// Whether the desktop app runs.
pub fn app_running() -> bool {
    running(&app_binary().to_string_lossy())
}

fn running(pattern: &str) -> bool {
    Command::new("pgrep")
        .args(["-f", pattern])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs the `tessera` CLI with its vault in `data_home`; it must succeed.
pub fn cli(data_home: &Path, args: &[&str], stdin: &str) -> Output {
    succeeded(
        args,
        tessera_test_support::tessera_in(data_home, args, stdin),
    )
}

#[track_caller]
fn succeeded(args: &[&str], out: Output) -> Output {
    assert!(
        out.status.success(),
        "tessera {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Puts an image file on the X clipboard as image/png, as a screenshot tool does (xclip serves
/// it until something else is copied).
pub fn copy_image(path: &Path) {
    serve_clipboard(path, "image/png");
}

/// Puts a file's bytes on the X clipboard as `mime`, served by xclip until something else is
/// copied. Returns once xclip serves them: it serves from a child it forks, and the parent
/// exits before the child owns the clipboard.
pub fn serve_clipboard(path: &Path, mime: &str) {
    let status = Command::new("xclip")
        .args(["-selection", "clipboard", "-t", mime, "-i"])
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("xclip: `make test` installs it");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let targets = Command::new("xclip")
            .args(["-o", "-selection", "clipboard", "-t", "TARGETS"])
            .output()
            .expect("xclip: `make test` installs it");
        if String::from_utf8_lossy(&targets.stdout).contains(mime) {
            return;
        }
        assert!(Instant::now() < deadline, "xclip never served {mime}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Another program's window showing an image (ImageMagick's `display`) at `x`, `y` on the
/// screen; closed when dropped.
#[allow(missing_debug_implementations)]
pub struct Picture(Child);

impl Picture {
    pub fn show(path: &Path, x: u32, y: u32) -> Picture {
        let title = format!("picture-{}", std::process::id());
        let child = Command::new("display")
            .args(["-title", &title, "-geometry", &format!("+{x}+{y}")])
            .arg(path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("display (ImageMagick): `make test` installs it");
        let picture = Picture(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", &title])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
        {
            assert!(
                Instant::now() < deadline,
                "the picture window did not appear"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        // Mapped is not yet drawn.
        std::thread::sleep(Duration::from_millis(500));
        picture
    }
}

impl Drop for Picture {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Answers the native file chooser titled `title` (GTK, opened by the app) with `path`, as a
/// person would with the keyboard: the chooser is focused, Ctrl+L opens its location field
/// (a Save chooser's name field has the focus already), the path is typed, Enter pressed.
/// (Typing "/" also opens the location field, but keys typed while it opens are lost.) Waits up
/// to 20 s for the chooser to appear.
pub fn answer_file_chooser(title: &str, path: &Path) {
    let xdotool = |args: &[&str]| {
        Command::new("xdotool")
            .args(args)
            .output()
            .expect("xdotool: `make test` installs it")
    };
    // Found by name in xwininfo's tree: xdotool's search matches no title beyond Latin-1 (a
    // translated chooser's).
    let deadline = Instant::now() + Duration::from_secs(20);
    let window = loop {
        let tree = Command::new("xwininfo")
            .args(["-root", "-tree"])
            .output()
            .expect("xwininfo: `make test` installs it");
        let tree = String::from_utf8_lossy(&tree.stdout);
        let titled = format!("\"{title}\": (");
        // The one on screen: GTK keeps an earlier chooser's window, unmapped.
        if let Some(id) = tree
            .lines()
            .filter(|line| line.contains(&titled))
            .filter_map(|line| line.split_whitespace().next())
            .find(|id| viewable(id))
        {
            break id.to_owned();
        }
        assert!(
            Instant::now() < deadline,
            "no file chooser titled {title:?} appeared"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    // Drawn and ready for keys.
    std::thread::sleep(Duration::from_millis(700));
    // GTK completes the location as it is typed, and now and then a completion lands between
    // two keys ("/tmp/.tmpmp6s…"): the chooser then says the folder can't be shown and stays
    // open. Its message is dismissed and the path typed again.
    for _ in 0..3 {
        xdotool(&["windowfocus", "--sync", &window]);
        xdotool(&["key", "--clearmodifiers", "ctrl+l"]);
        std::thread::sleep(Duration::from_millis(400));
        xdotool(&["key", "--clearmodifiers", "ctrl+a"]);
        xdotool(&["type", "--delay", "20", path.to_str().unwrap()]);
        std::thread::sleep(Duration::from_millis(400));
        xdotool(&["key", "Return"]);
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if !viewable(&window) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // The message's OK.
        xdotool(&["key", "--clearmodifiers", "Return"]);
        std::thread::sleep(Duration::from_millis(300));
    }
    panic!(
        "the file chooser titled {title:?} did not take {}",
        path.display()
    );
}

/// Whether the X window `id` is on screen (a closed chooser is gone or unmapped).
fn viewable(id: &str) -> bool {
    Command::new("xwininfo")
        .args(["-id", id])
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("IsViewable"))
}

/// A stand-in for the desktop's screenshot portal (`org.freedesktop.portal.Screenshot` at
/// `org.freedesktop.portal.Desktop`), served on the tests' private session bus where Xvfb has no
/// desktop: each request writes the next image of `shots` into `dir`, as a portal writes into
/// ~/Pictures, and answers with its `file://` URI through the request's `Response` signal, as
/// the real portal does. The app's code under test is the one that talks to a real desktop.
#[allow(missing_debug_implementations)] // holds a D-Bus connection
pub struct Portal {
    _connection: zbus::Connection,
    /// The files it handed out, in order.
    pub written: std::sync::Arc<std::sync::Mutex<Vec<PathBuf>>>,
}

struct Screenshot {
    dir: PathBuf,
    shots: Vec<Vec<u8>>,
    written: std::sync::Arc<std::sync::Mutex<Vec<PathBuf>>>,
}

#[zbus::interface(name = "org.freedesktop.portal.Screenshot")]
impl Screenshot {
    async fn screenshot(
        &self,
        #[zbus(header)] header: zbus::message::Header<'_>,
        #[zbus(connection)] connection: &zbus::Connection,
        _parent_window: &str,
        options: std::collections::HashMap<String, zbus::zvariant::OwnedValue>,
    ) -> zbus::fdo::Result<zbus::zvariant::OwnedObjectPath> {
        let failed = |e: &dyn std::fmt::Display| zbus::fdo::Error::Failed(e.to_string());
        let token: String = options
            .get("handle_token")
            .and_then(|v| String::try_from(v.clone()).ok())
            .ok_or_else(|| failed(&"no handle_token"))?;
        let sender = header.sender().ok_or_else(|| failed(&"no sender"))?;
        let path = format!(
            "/org/freedesktop/portal/desktop/request/{}/{token}",
            sender.trim_start_matches(':').replace('.', "_")
        );
        let file = {
            let mut written = self.written.lock().unwrap();
            let shot = &self.shots[written.len() % self.shots.len()];
            let file = self
                .dir
                .join(format!("Screenshot-{}.png", written.len() + 1));
            std::fs::write(&file, shot).map_err(|e| failed(&e))?;
            written.push(file.clone());
            file
        };
        let uri = format!("file://{}", file.display());
        let mut results = std::collections::HashMap::new();
        results.insert("uri", zbus::zvariant::Value::from(uri));
        connection
            .emit_signal(
                None::<()>,
                path.as_str(),
                "org.freedesktop.portal.Request",
                "Response",
                &(0u32, results),
            )
            .await
            .map_err(|e| failed(&e))?;
        zbus::zvariant::OwnedObjectPath::try_from(path).map_err(|e| failed(&e))
    }

    #[zbus(property)]
    fn version(&self) -> u32 {
        2
    }
}

impl Portal {
    /// Serves the portal until dropped; each screenshot is the next of `shots` (image files'
    /// bytes), written into `dir`.
    pub async fn serve(dir: &Path, shots: Vec<Vec<u8>>) -> Portal {
        let written = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let portal = Screenshot {
            dir: dir.to_owned(),
            shots,
            written: written.clone(),
        };
        let connection = zbus::connection::Builder::session()
            .unwrap()
            .name("org.freedesktop.portal.Desktop")
            .unwrap()
            .serve_at("/org/freedesktop/portal/desktop", portal)
            .unwrap()
            .build()
            .await
            .expect("the stand-in portal needs the private session bus of scripts/with-keyring.sh");
        Portal {
            _connection: connection,
            written,
        }
    }
}

/// The id of the X window named exactly `name` that is mapped (shown), if there is one.
pub fn visible_window(name: &str) -> Option<u32> {
    let out = Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", &format!("^{name}$")])
        .output()
        .expect("xdotool: `make test` installs it");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .and_then(|id| id.trim().parse().ok())
}

/// Asks window `id` to close as a window manager does when its close button is pressed
/// (WM_DELETE_WINDOW; Xvfb has no window manager to do it).
pub fn close_window(id: u32) {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{ClientMessageEvent, ConnectionExt, EventMask};
    let (conn, _) = x11rb::connect(None).unwrap();
    let atom = |name: &[u8]| conn.intern_atom(false, name).unwrap().reply().unwrap().atom;
    let (protocols, delete) = (atom(b"WM_PROTOCOLS"), atom(b"WM_DELETE_WINDOW"));
    let event = ClientMessageEvent::new(32, id, protocols, [delete, x11rb::CURRENT_TIME, 0, 0, 0]);
    conn.send_event(false, id, EventMask::NO_EVENT, event)
        .unwrap();
    conn.flush().unwrap();
}

/// Presses keys on the X server, as a user would, wherever the focus is (xdotool key).
pub fn xdotool_key(keys: &str) {
    let status = Command::new("xdotool")
        .args(["key", "--clearmodifiers", keys])
        .status()
        .expect("xdotool: `make test` installs it");
    assert!(status.success());
}

/// Another program's hold on a key combination: grabs `key` (a lowercase letter) with Ctrl+Alt
/// on the X server's root window, as a desktop's own shortcut would, until dropped.
#[allow(missing_debug_implementations)] // holds an X connection
pub struct KeyGrab {
    /// The grab lasts as long as this connection.
    _connection: x11rb::rust_connection::RustConnection,
}

impl KeyGrab {
    pub fn ctrl_alt(key: char) -> KeyGrab {
        use x11rb::connection::Connection;
        use x11rb::protocol::xproto::{ConnectionExt, GrabMode, ModMask};
        let (conn, screen) = x11rb::connect(None).unwrap();
        let root = conn.setup().roots[screen].root;
        let (min, max) = (conn.setup().min_keycode, conn.setup().max_keycode);
        let map = conn
            .get_keyboard_mapping(min, max - min + 1)
            .unwrap()
            .reply()
            .unwrap();
        let per = usize::from(map.keysyms_per_keycode);
        let keysym = u32::from(key);
        let index = map
            .keysyms
            .chunks(per)
            .position(|syms| syms.contains(&keysym))
            .expect("the key is on the keyboard");
        let keycode = min + u8::try_from(index).unwrap();
        conn.grab_key(
            true,
            root,
            ModMask::CONTROL | ModMask::M1,
            keycode,
            GrabMode::ASYNC,
            GrabMode::ASYNC,
        )
        .unwrap()
        .check()
        .unwrap();
        conn.flush().unwrap();
        KeyGrab { _connection: conn }
    }
}
