//! `tessera tray` (Linux): Tessera in the tray without its window, in a process without WebKit.
//!
//! The desktop app hands over to it when its hidden window is released, and `tessera-desktop
//! --minimised` (the start at login) becomes it at once: the tray's menu, the shortcut and a
//! second launch keep working, for a few MB instead of the webview's 200. Whatever needs the
//! window (Show, Scan, Settings, the shortcut, a second launch) starts `tessera-desktop` and
//! exits, in that order of ownership: this process lets go of the single-instance name first, so
//! the app it starts is the one instance.
//!
//! - The menu is the desktop app's: Show Tessera, Scan screen, Copy code for the ten accounts
//!   used most recently, Settings, Quit. It is read from the vault each time a panel is about to
//!   show it, so nothing runs while nobody looks. With a lock set it offers only Show and Quit:
//!   the window opens on its lock screen.
//! - Copy code puts the code on the clipboard and clears it after the settings' delay, as the
//!   window does. A HOTP account's copy takes its next code, as `tessera code` does.
//! - The shortcut is grabbed from the X server (the tessera-keyboard crate, which the window uses
//!   too). On Wayland no program may grab a key, so the desktop app keeps its own window-less
//!   tray there instead of handing over.

use std::sync::mpsc::{self, Sender};
use std::time::Duration;

use anyhow::{Context, Result};
use ksni::blocking::TrayMethods;
use tessera_l10n::{Catalogue, Language};
use tessera_vault::Vault;
use tessera_vault::recent::Recent;
use tessera_vault::settings::{LockMethod, Settings, SettingsFile};

use crate::args::TrayArgs;
use crate::clipboard::{Clipboard, take_code};
use tessera_keyboard::{Focus, Refused, Shortcut};

/// The single-instance name of tauri-plugin-single-instance for the app's identifier.
const INSTANCE_NAME: &str = "app.tessera.desktop.SingleInstance";
const INSTANCE_PATH: &str = "/app/tessera/desktop/SingleInstance";
/// How long a handover waits for the desktop app to let go of the name.
const HANDOVER_WAIT: Duration = Duration::from_secs(10);
const REPLY_GRACE: Duration = Duration::from_millis(200);

/// What the main loop is asked to do.
#[derive(Debug)]
enum Event {
    /// Start the window, and have it do this (`--then=` of tessera-desktop).
    Open(&'static str),
    /// The shortcut: start the window to type or copy a code, with the window that had the
    /// focus then (`--focus=`), to type into.
    Summon(Option<Focus>),
    Copy(String),
    /// The clipboard's delay ran out for this code.
    Clear(String),
    Quit,
}

pub fn run(args: &TrayArgs) -> Result<()> {
    // zbus built with its Tokio feature (as it is beside the desktop app, and for ksni) spawns
    // its tasks on the current Tokio runtime: the single-instance name's connection and the
    // vault's run on this thread, inside this one.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .context("starting the tray's runtime")?;
    let _inside = runtime.enter();
    let settings = SettingsFile::open_default()?.load();
    let (events, received) = mpsc::channel();
    let instance = single_instance(args.after_window, events.clone())?;
    let Some(instance) = instance else {
        eprintln!("tessera: Tessera runs already, with its window or in the tray");
        return Ok(());
    };
    let mut tray = Resident {
        locked: settings.lock_method != LockMethod::Off,
        words: Catalogue::new(Language::chosen(settings.language.as_deref())),
        offered: Vec::new(),
        events: events.clone(),
    };
    tray.read_offered();
    let tray = tray
        .assume_sni_available(true)
        .spawn()
        .context("showing the tray icon")?;
    shortcut(&settings, events.clone());
    let mut clipboard = Clipboard::default();
    let then = loop {
        let Ok(event) = received.recv() else {
            break None;
        };
        match event {
            Event::Open(then) => break Some((then, None)),
            Event::Summon(focus) => break Some(("summoned", focus)),
            Event::Quit => break None,
            Event::Copy(id) => {
                if let Err(error) = copy(&id, &settings, &mut clipboard, &events) {
                    eprintln!("tessera: copying a code: {error:#}");
                }
            }
            Event::Clear(code) => clipboard.clear_if(&code),
        }
    };
    // The name first, so that the app started is the one instance.
    let _ = instance.release_name(INSTANCE_NAME);
    let opened = then.map_or(Ok(()), |(then, focus)| open_window(then, focus));
    // The click or the second launch that asked is answered over D-Bus once its handler has
    // returned: a moment for that answer to leave before the connections close.
    std::thread::sleep(REPLY_GRACE);
    tray.shutdown().wait();
    drop(instance);
    opened
}

/// Takes the single-instance name, so that a second launch of tessera-desktop reaches this
/// process. After the window (`--after-window`) the app still holds it while it exits: the
/// request waits in the bus's queue. Otherwise a name already taken means Tessera runs: `None`.
fn single_instance(
    after_window: bool,
    events: Sender<Event>,
) -> Result<Option<zbus::blocking::Connection>> {
    use zbus::fdo::{RequestNameFlags, RequestNameReply};
    let connection = zbus::blocking::Connection::session().context("the session bus")?;
    connection
        .object_server()
        .at(INSTANCE_PATH, SecondLaunch { events })?;
    // Neither replacing the owner nor letting itself be replaced.
    let flags = if after_window {
        enumflags2::BitFlags::empty()
    } else {
        RequestNameFlags::DoNotQueue.into()
    };
    match connection.request_name_with_flags(INSTANCE_NAME, flags) {
        Ok(RequestNameReply::PrimaryOwner | RequestNameReply::AlreadyOwner) => Ok(Some(connection)),
        Ok(RequestNameReply::Exists) | Err(zbus::Error::NameTaken) => Ok(None),
        Err(error) => Err(error.into()),
        Ok(RequestNameReply::InQueue) => {
            let dbus = zbus::blocking::fdo::DBusProxy::new(&connection)?;
            let unique = connection.unique_name().map(ToString::to_string);
            let deadline = std::time::Instant::now() + HANDOVER_WAIT;
            while std::time::Instant::now() < deadline {
                let owner = dbus.get_name_owner(INSTANCE_NAME.try_into()?).ok();
                if owner.map(|o| o.to_string()) == unique {
                    return Ok(Some(connection));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            anyhow::bail!("the desktop app did not let go of its single-instance name")
        }
    }
}

/// A second launch of tessera-desktop calls this (tauri-plugin-single-instance's interface):
/// it wants the window, unless it is the start at login.
struct SecondLaunch {
    events: Sender<Event>,
}

#[zbus::interface(name = "org.SingleInstance.DBus")]
impl SecondLaunch {
    fn execute_callback(&self, argv: Vec<String>, _cwd: String) {
        if !argv.iter().any(|a| a == "--minimised") {
            let _ = self.events.send(Event::Open("summoned"));
        }
    }
}

/// Starts the desktop app beside this program, to do `then` once its window is up (and type
/// into `focus`, if asked to).
pub fn open_window(then: &str, focus: Option<Focus>) -> Result<()> {
    let desktop = std::env::current_exe()?.with_file_name("tessera-desktop");
    // `--then=` also keeps a start in the tray (the settings' `start_minimised`) from coming
    // straight back here.
    std::process::Command::new(&desktop)
        .arg(format!("--then={then}"))
        .args(focus.map(|focus| format!("--focus={}", focus.id())))
        .spawn()
        .with_context(|| format!("starting {}", desktop.display()))?;
    Ok(())
}

/// Grabs the settings' shortcut. The app handing over holds it until it has exited, so a grab
/// refused as taken is tried again for a while; what fails is said once and left.
fn shortcut(settings: &Settings, events: Sender<Event>) {
    if settings.shortcut.is_empty() || std::env::var_os("DISPLAY").is_none() {
        return;
    }
    let combination = settings.shortcut.clone();
    std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + HANDOVER_WAIT;
        loop {
            let on_press = {
                let events = events.clone();
                move || {
                    let focus = tessera_keyboard::focused().ok().flatten();
                    let _ = events.send(Event::Summon(focus));
                }
            };
            match Shortcut::grab(&combination, on_press) {
                Ok(_held) => loop {
                    // The grab lasts as long as the process; its own thread waits for presses.
                    std::thread::park();
                },
                Err(Refused::Taken) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(Refused::Taken) => {
                    eprintln!("tessera: the shortcut {combination} is taken by another program");
                    return;
                }
                Err(Refused::NotACombination(why)) => {
                    eprintln!("tessera: the shortcut {combination}: {why}");
                    return;
                }
                Err(Refused::Other(error)) => {
                    eprintln!("tessera: the shortcut {combination}: {error:#}");
                    return;
                }
            }
        }
    });
}

/// Copies an account's code, to be cleared after the settings' delay if still there.
fn copy(
    id: &str,
    settings: &Settings,
    clipboard: &mut Clipboard,
    events: &Sender<Event>,
) -> Result<()> {
    let code = take_code(&Vault::open_default()?, id)?;
    clipboard.set(&code)?;
    let delay = settings.clipboard_clear_seconds;
    if delay > 0 {
        let events = events.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(u64::from(delay)));
            let _ = events.send(Event::Clear(code));
        });
    }
    Ok(())
}

/// The tray icon and its menu.
struct Resident {
    locked: bool,
    /// The menu's words, in the language read with what it offers (made again only when the
    /// language changes: `menu` runs at every layout a panel asks for).
    words: Catalogue,
    /// (name, id) of the accounts offered, read when the menu is about to show.
    offered: Vec<(String, String)>,
    events: Sender<Event>,
}

impl Resident {
    fn send(&self, event: Event) {
        let _ = self.events.send(event);
    }

    /// Reads what the menu offers from the vault's index and `recent.json` (no keychain).
    fn read_offered(&mut self) {
        if let Ok(file) = SettingsFile::open_default() {
            let language = Language::chosen(file.load().language.as_deref());
            if language != self.words.language() {
                self.words = Catalogue::new(language);
            }
        }
        if self.locked {
            return;
        }
        let Ok(vault) = Vault::open_default() else {
            return;
        };
        let entries = vault.list().unwrap_or_default();
        self.offered = Recent::new(vault.dir().to_owned())
            .offered(&entries)
            .into_iter()
            .map(|entry| (entry.name.clone(), entry.id.clone()))
            .collect();
    }
}

impl ksni::Tray for Resident {
    fn id(&self) -> String {
        "tessera".into()
    }

    fn title(&self) -> String {
        "Tessera".into()
    }

    fn icon_name(&self) -> String {
        "tessera-desktop".into()
    }

    fn icon_pixmap(&self) -> Vec<ksni::Icon> {
        icon().into_iter().collect()
    }

    fn tool_tip(&self) -> ksni::ToolTip {
        ksni::ToolTip {
            title: "Tessera".into(),
            ..Default::default()
        }
    }

    fn activate(&mut self, _x: i32, _y: i32) {
        self.send(Event::Open("show"));
    }

    fn menu_about_to_show(&mut self) {
        self.read_offered();
    }

    fn menu(&self) -> Vec<ksni::MenuItem<Self>> {
        let words = &self.words;
        let mut items = vec![entry(words.text("tray-show", &[]), || Event::Open("show"))];
        if !self.locked {
            items.push(entry(words.text("tray-scan", &[]), || Event::Open("scan")));
            items.push(ksni::MenuItem::Separator);
            for (name, id) in &self.offered {
                let id = id.clone();
                // `_` marks a mnemonic in dbusmenu labels; `__` is a plain one.
                let label = words.text("tray-copy", &[("name", &name.replace('_', "__"))]);
                items.push(entry(label, move || Event::Copy(id.clone())));
            }
            if !self.offered.is_empty() {
                items.push(ksni::MenuItem::Separator);
            }
            items.push(entry(words.text("tray-settings", &[]), || {
                Event::Open("settings")
            }));
        } else {
            items.push(ksni::MenuItem::Separator);
        }
        items.push(entry(words.text("tray-quit", &[]), || Event::Quit));
        items
    }
}

/// A menu entry that sends `event()` to the main loop when chosen.
fn entry(
    label: String,
    event: impl Fn() -> Event + Send + Sync + 'static,
) -> ksni::MenuItem<Resident> {
    ksni::menu::StandardItem {
        label,
        activate: Box::new(move |tray: &mut Resident| tray.send(event())),
        ..Default::default()
    }
    .into()
}

/// The app's icon, as the ARGB32 pixels StatusNotifierItem wants.
fn icon() -> Option<ksni::Icon> {
    let png = include_bytes!("../../../../icons/32x32.png");
    let image = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .ok()?
        .into_rgba8();
    let (width, height) = image.dimensions();
    let mut data = image.into_raw();
    for pixel in data.chunks_exact_mut(4) {
        pixel.rotate_right(1); // RGBA to ARGB
    }
    Some(ksni::Icon {
        width: i32::try_from(width).ok()?,
        height: i32::try_from(height).ok()?,
        data,
    })
}
