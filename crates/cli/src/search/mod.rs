//! `tessera search-provider` (Linux): the desktop's own search answered from the vault, for
//! GNOME Shell (`org.gnome.Shell.SearchProvider2`, `gnome.rs`) and KRunner (`org.kde.krunner1`,
//! `krunner.rs`), on one bus name the session bus starts it for (the packages install its
//! activation file). It runs without the window, and only while it is wanted: it exits after
//! [`IDLE`] without a call, or once a code it copied is cleared from the clipboard.
//!
//! - A search matches the accounts whose name, issuer, label or tags contain every word typed
//!   (whatever their case), at most [`MOST_RESULTS`] of them, in the list's order.
//! - A result shows the account's name, its current code and its issuer, with the issuer's
//!   icon, or the letter the window shows instead (a file in the cache). A HOTP account shows no
//!   code until one is taken: choosing it takes the next one, as a copy in the window does.
//! - Choosing a result copies its code, cleared after the settings' delay as every copy.
//!   KRunner's "Type" action types it into the window KRunner leaves (X11; on Wayland, copied).
//! - With an app lock set, the providers answer only while the window runs unlocked, which it
//!   says by owning [`UNLOCKED_NAME`] on the session bus; otherwise (locked, or not running:
//!   this process can't unlock) they answer nothing.

mod gnome;
mod krunner;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tessera_core::Kind;
use tessera_core::meta::ShownIcon;
use tessera_l10n::{Catalogue, Language};
use tessera_vault::clock;
use tessera_vault::settings::{LockMethod, Settings, SettingsFile};
use tessera_vault::{Entry, Vault};

use crate::clipboard::{Clipboard, take_code};

/// The bus name both providers answer on (the packages' activation file starts this command).
pub const BUS_NAME: &str = "app.tessera.SearchProvider";
pub const GNOME_PATH: &str = "/app/tessera/SearchProvider";
pub const KRUNNER_PATH: &str = "/app/tessera/KRunner";
/// The name the window owns on the session bus while it runs unlocked.
pub const UNLOCKED_NAME: &str = "app.tessera.desktop.Unlocked";
/// How long the provider waits for another search before it exits.
const IDLE: Duration = Duration::from_secs(30);
/// With "never clear" chosen, how long a copied code is served before the provider exits.
const SERVED_WITHOUT_CLEAR: Duration = Duration::from_secs(300);
/// The most results a search gives: a launcher shows a handful.
const MOST_RESULTS: usize = 20;
/// The most words a search takes, and the longest (in bytes).
const MOST_TERMS: usize = 16;
const LONGEST_TERM: usize = 256;

/// An account as a result shows it.
pub struct Found {
    pub id: String,
    pub name: String,
    /// `None` for a HOTP account, whose codes are taken one by one.
    pub code: Option<String>,
    /// The line under the name, in the window's language: see [`describe`].
    pub description: String,
    /// The account's icon as a file, for GNOME's `gicon` and KRunner's icon; `None` (the cache
    /// could not be written) shows Tessera's.
    pub icon: Option<PathBuf>,
}

/// The line under a result's name: its code, grouped for reading (a HOTP account says how to
/// take one), and its issuer.
fn describe(code: Option<&str>, issuer: &str, words: &Catalogue) -> String {
    let code = match code {
        Some(code) => grouped(code),
        None => words.text("search-hotp", &[]),
    };
    if issuer.is_empty() {
        code
    } else {
        format!("{code} · {issuer}")
    }
}

/// "123456" as "123 456", as the window shows it.
fn grouped(code: &str) -> String {
    let half = code.len().div_ceil(2);
    match code.len() {
        6 | 8 => format!("{} {}", &code[..half], &code[half..]),
        _ => code.to_owned(),
    }
}

/// What both providers share: the vault, the clipboard, and when to exit.
pub struct Provider {
    last_call: Mutex<Instant>,
    /// Until when a copied code must be served.
    serve_until: Mutex<Option<Instant>>,
    clipboard: Mutex<Clipboard>,
    idle: Duration,
    /// The provider's own connection, to ask whether the window runs unlocked.
    bus: OnceLock<zbus::blocking::Connection>,
}

impl Provider {
    fn new() -> Self {
        // The tests wait a second or two, not 30, for the provider to leave.
        let idle = std::env::var("TESSERA_SEARCH_IDLE_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .map_or(IDLE, Duration::from_secs);
        Self {
            last_call: Mutex::new(Instant::now()),
            serve_until: Mutex::new(None),
            clipboard: Mutex::new(Clipboard::default()),
            idle,
            bus: OnceLock::new(),
        }
    }

    /// A call came: the provider stays a while longer.
    fn called(&self) {
        if let Ok(mut last) = self.last_call.lock() {
            *last = Instant::now();
        }
    }

    /// Whether nothing has been asked for a while, and no copied code is being served.
    fn done(&self) -> bool {
        let now = Instant::now();
        let quiet = self
            .last_call
            .lock()
            .map_or(true, |last| now.duration_since(*last) >= self.idle);
        let served = self
            .serve_until
            .lock()
            .map_or(true, |until| until.is_none_or(|until| now >= until));
        quiet && served
    }

    /// The vault and settings, or `None` when a lock is set and the window is not running
    /// unlocked (see the module).
    fn unlocked(&self) -> Result<Option<(Vault, Settings)>> {
        let settings = SettingsFile::open_default()?.load();
        if settings.lock_method != LockMethod::Off && !self.window_unlocked() {
            return Ok(None);
        }
        Ok(Some((Vault::open_default()?, settings)))
    }

    /// Whether the window owns [`UNLOCKED_NAME`]; no answer counts as locked.
    fn window_unlocked(&self) -> bool {
        let Some(bus) = self.bus.get() else {
            return false;
        };
        zbus::blocking::fdo::DBusProxy::new(bus)
            .and_then(|proxy| {
                let name = zbus::names::BusName::try_from(UNLOCKED_NAME)?;
                Ok(proxy.name_has_owner(name)?)
            })
            .unwrap_or(false)
    }

    /// The accounts matching every term, in the list's order; within `among` when given (a
    /// search narrowed as the user types on).
    fn search(&self, terms: &[String], among: Option<&[String]>) -> Result<Vec<String>> {
        self.called();
        let Some((vault, _)) = self.unlocked()? else {
            return Ok(Vec::new());
        };
        // Any program on the session bus may call: what it sends is bounded before use. No
        // account's name, issuer, label and tags hold a longer word, or that many.
        if terms.len() > MOST_TERMS || terms.iter().any(|t| t.len() > LONGEST_TERM) {
            return Ok(Vec::new());
        }
        let terms: Vec<String> = terms
            .iter()
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let among: Option<HashSet<&str>> =
            among.map(|ids| ids.iter().take(MOST_RESULTS).map(String::as_str).collect());
        Ok(vault
            .list()?
            .into_iter()
            .filter(|entry| {
                among
                    .as_ref()
                    .is_none_or(|among| among.contains(entry.id.as_str()))
            })
            .filter(|entry| {
                let text = format!(
                    "{}\n{}\n{}\n{}",
                    entry.name,
                    entry.issuer,
                    entry.label,
                    entry.meta.tags.join("\n")
                )
                .to_lowercase();
                terms.iter().all(|term| text.contains(term.as_str()))
            })
            .take(MOST_RESULTS)
            .map(|entry| entry.id)
            .collect())
    }

    /// The results for `ids`, as they are now (ids no longer in the vault are left out).
    fn found(&self, ids: &[String]) -> Result<Vec<Found>> {
        self.called();
        let Some((vault, settings)) = self.unlocked()? else {
            return Ok(Vec::new());
        };
        let now = clock::corrected_unix_ms(settings.clock_correction_seconds) / 1000;
        let entries = vault.list()?;
        let words = Catalogue::new(Language::chosen(settings.language.as_deref()));
        let mut found = Vec::new();
        for id in ids.iter().take(MOST_RESULTS) {
            let Some(entry) = entries.iter().find(|e| &e.id == id) else {
                continue;
            };
            let code = match entry.params.kind {
                Kind::Hotp { .. } => None,
                Kind::Totp { .. } | Kind::Steam { .. } => Some(vault.account(entry)?.code_at(now)),
            };
            found.push(Found {
                id: entry.id.clone(),
                name: entry.name.clone(),
                description: describe(code.as_deref(), &entry.issuer, &words),
                code,
                icon: icon_file(entry),
            });
        }
        Ok(found)
    }

    /// Copies the code of account `id`, and serves it until the settings' delay clears it.
    fn copy(self: &Arc<Self>, id: &str) -> Result<()> {
        self.called();
        let Some((vault, settings)) = self.unlocked()? else {
            return Ok(());
        };
        let code = take_code(&vault, id)?;
        self.clipboard
            .lock()
            .map_err(|_| anyhow::anyhow!("the clipboard"))?
            .set(&code)?;
        let delay = Duration::from_secs(u64::from(settings.clipboard_clear_seconds));
        let served = if delay.is_zero() {
            SERVED_WITHOUT_CLEAR
        } else {
            delay
        };
        if let Ok(mut until) = self.serve_until.lock() {
            *until = Some(Instant::now() + served);
        }
        if !delay.is_zero() {
            let provider = Arc::clone(self);
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                if let Ok(mut clipboard) = provider.clipboard.lock() {
                    clipboard.clear_if(&code);
                }
            });
        }
        Ok(())
    }

    /// Types the code of account `id` into the window that gets the focus once the launcher
    /// has gone (X11). On Wayland no program may type into another's window: it is copied.
    fn type_code(self: &Arc<Self>, id: &str) -> Result<()> {
        self.called();
        if std::env::var_os("WAYLAND_DISPLAY").is_some() {
            return self.copy(id);
        }
        let Some((vault, _)) = self.unlocked()? else {
            return Ok(());
        };
        let code = take_code(&vault, id)?;
        // The launcher's window has the focus while it runs this: the keys wait for it to go.
        let launcher = tessera_keyboard::focused().ok().flatten();
        let deadline = Instant::now() + Duration::from_secs(1);
        while Instant::now() < deadline
            && tessera_keyboard::focused().ok().flatten() == launcher
            && launcher.is_some()
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        tessera_keyboard::type_text(&code, None)
    }
}

/// The letter avatar the window draws (its letter on the issuer's hue, as `.avatar` in
/// ui/src/styles.css), as an SVG.
fn letter_svg(entry: &Entry) -> String {
    // A letter or a digit, or "?": nothing to escape.
    let (letter, hue) = tessera_core::display::avatar(&entry.name, &entry.issuer, &entry.label);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 30 30\">\
         <circle cx=\"15\" cy=\"15\" r=\"15\" fill=\"hsl({hue},45%,32%)\"/>\
         <text x=\"15\" y=\"20\" text-anchor=\"middle\" font-family=\"sans-serif\" \
         font-weight=\"600\" font-size=\"14\" fill=\"#fff\">{letter}</text></svg>"
    )
}

/// The account's icon as a file in the cache, for launchers that take an icon by its path: an
/// SVG for a bundled icon or a letter, the image for the user's own.
fn icon_file(entry: &Entry) -> Option<PathBuf> {
    let dir = directories::BaseDirs::new()?
        .cache_dir()
        .join("tessera/search-icons");
    let (name, bytes) = match entry.meta.icon.shown(&entry.issuer, &entry.label) {
        ShownIcon::Bundled(icon) => {
            let fill = icon.colour(tessera_core::icons::Theme::Light);
            (
                format!("{}.svg", icon.id.replace('/', "-")),
                icon.svg(fill.as_deref()).into_bytes(),
            )
        }
        ShownIcon::Custom(image) => (
            format!("custom-{}.{}", entry.id, image.kind().extension()),
            image.data().to_vec(),
        ),
        ShownIcon::Letter => {
            let svg = letter_svg(entry);
            let hash = tessera_core::display::fnv1a(svg.as_bytes());
            (format!("letter-{hash:016x}.svg"), svg.into_bytes())
        }
    };
    let path = dir.join(name);
    if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
        std::fs::create_dir_all(&dir).ok()?;
        std::fs::write(&path, bytes).ok()?;
    }
    Some(path)
}

/// Serves both providers on the session bus until idle.
pub fn run() -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .context("starting the provider's runtime")?;
    runtime.block_on(async {
        let provider = Arc::new(Provider::new());
        let connection = zbus::connection::Builder::session()?
            .name(BUS_NAME)?
            .serve_at(GNOME_PATH, gnome::Gnome(provider.clone()))?
            .serve_at(KRUNNER_PATH, krunner::KRunner(provider.clone()))?
            .build()
            .await
            .context("the session bus")?;
        let _ = provider.bus.set(connection.into());
        while !provider.done() {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        Ok(())
    })
}

/// A string as a D-Bus variant, for GNOME's metas and KRunner's properties.
fn text(s: String) -> zbus::zvariant::OwnedValue {
    zbus::zvariant::Str::from(s).into()
}

/// Runs `work` off the bus's thread (the vault reads the keychain, and typing waits), as a
/// D-Bus error when it fails.
async fn off_the_bus<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> zbus::fdo::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| zbus::fdo::Error::Failed(e.to_string()))?
        .map_err(|e| zbus::fdo::Error::Failed(format!("{e:#}")))
}
