//! The user's settings, shared by the window and the `tessera` command: `settings.json` in the
//! platform's config directory (`$XDG_CONFIG_HOME/tessera` on Linux), written atomically like the
//! index. A missing or unreadable file gives the defaults; fields a newer Tessera wrote are kept.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::VaultError;
use crate::index::{temporaries_in, write_json};

const FILE: &str = "settings.json";
const TEMP_PREFIX: &str = ".settings.json.";
/// Far more than any settings file; a larger one is not read.
const MAX_BYTES: u64 = 64 * 1024;
/// Collapsed issuer groups remembered, each at most [`MAX_GROUP_KEY_CHARS`]: together far
/// under [`MAX_BYTES`], so that no number of them makes the file unreadable.
pub const MAX_COLLAPSED: usize = 200;
pub const MAX_GROUP_KEY_CHARS: usize = 100;

/// What the user chose. New fields get `#[serde(default)]`, so older files still read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Settings {
    /// Seconds after which a copied code is cleared from the clipboard, if it is still there;
    /// 0 never clears.
    #[serde(default = "default_clipboard_clear_seconds")]
    pub clipboard_clear_seconds: u32,
    /// Closing the window hides it in the tray; Quit (in the tray's menu) quits.
    #[serde(default)]
    pub close_to_tray: bool,
    /// Seconds the window stays hidden in the tray before it is released: on X11 the app hands
    /// the tray to `tessera tray` and exits, elsewhere its webview goes; shown again, the window
    /// is made anew. 0: never (and a start in the tray keeps the window, hidden).
    #[serde(default = "default_release_window_seconds")]
    pub release_window_after_seconds: u32,
    /// The window starts hidden in the tray (as when started at login).
    #[serde(default)]
    pub start_minimised: bool,
    /// Tessera starts when the user logs in (an XDG autostart entry, written by the window).
    #[serde(default)]
    pub start_at_login: bool,
    /// The key combination that brings the window up from anywhere, as "Ctrl+Alt+A"; empty for
    /// none.
    #[serde(default = "default_shortcut")]
    pub shortcut: String,
    /// After a copy from a window brought up by the shortcut, it hides again.
    #[serde(default = "default_true")]
    pub hide_after_copy: bool,
    /// In a window brought up by the shortcut, Enter types the code into the window that had
    /// the focus (and Shift+Enter copies it), instead of the other way round.
    #[serde(default)]
    pub enter_types_code: bool,
    /// Codes are shown as dots until their row is pointed at, focused or selected (for
    /// sharing the screen); copying still works.
    #[serde(default)]
    pub hide_codes: bool,
    /// The order of the window's list; pinned accounts come first in every one.
    #[serde(default)]
    pub sort_order: crate::order::SortOrder,
    /// The list shows one group per issuer, under a header.
    #[serde(default)]
    pub group_by_issuer: bool,
    /// The issuer groups the user collapsed, as lower-cased issuers ("" for none).
    #[serde(default)]
    pub collapsed_issuers: Vec<String>,
    /// The window checks this machine's clock against [`Settings::time_server`] at start and
    /// every 6 hours (the only network traffic Tessera makes).
    #[serde(default = "default_true")]
    pub check_clock: bool,
    /// The time server asked, `HOST[:PORT]`.
    #[serde(default = "default_time_server")]
    pub time_server: String,
    /// Seconds added to this machine's clock for codes, once the user chose to use corrected
    /// time (`tessera time --apply`, the window's "Use corrected time"); `None` for none.
    #[serde(default)]
    pub clock_correction_seconds: Option<i32>,
    /// How the window is unlocked; `off` (the default) has no lock. Changed only through the
    /// window's `set_lock`, which keeps the verifier in the keychain.
    #[serde(default)]
    pub lock_method: LockMethod,
    /// The window locks after this many seconds without use; 0 never.
    #[serde(default = "default_idle_lock_seconds")]
    pub lock_after_idle_seconds: u32,
    /// The window locks when the screen does.
    #[serde(default = "default_true")]
    pub lock_on_screen_lock: bool,
    /// The window locks when it hides to the tray.
    #[serde(default)]
    pub lock_on_hide: bool,
    /// Linux: the label of the Secret Service collection new keys go to (one kept locked for
    /// Tessera alone); `None`, the default collection. Keys are read from every collection.
    #[serde(default)]
    pub keychain_collection: Option<String>,
    /// The window's and the tray's language, as a tag ("de"); `None` follows the system's.
    /// A tag Tessera has no catalogue for reads as English.
    #[serde(default)]
    pub language: Option<String>,
    /// Fields of a newer Tessera, kept when this one saves.
    #[serde(flatten)]
    #[cfg_attr(feature = "specta", specta(skip))]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

fn default_clipboard_clear_seconds() -> u32 {
    30
}

/// How the window's lock is opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum LockMethod {
    Passphrase,
    /// A PIN of at least 6 digits.
    Pin,
    /// The system's own authentication: Polkit on Linux (the logged-in user's password).
    System,
    /// No lock (also what a newer Tessera's method reads as: serde wants that one last).
    #[default]
    #[serde(other)]
    Off,
}

/// Ten minutes hidden (docs/testing.md has the figures behind it).
fn default_release_window_seconds() -> u32 {
    600
}

/// Five minutes without use.
fn default_idle_lock_seconds() -> u32 {
    300
}

/// Ctrl+Alt+A: A for authenticator; free in GNOME, KDE and Xfce by default.
pub const DEFAULT_SHORTCUT: &str = "Ctrl+Alt+A";

fn default_shortcut() -> String {
    DEFAULT_SHORTCUT.to_owned()
}

fn default_time_server() -> String {
    crate::clock::DEFAULT_SERVER.to_owned()
}

fn default_true() -> bool {
    true
}

impl Settings {
    /// Makes codes use this machine's clock plus `seconds`; 0 is no correction.
    pub fn set_clock_correction(&mut self, seconds: i32) {
        self.clock_correction_seconds = (seconds != 0).then_some(seconds);
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            clipboard_clear_seconds: default_clipboard_clear_seconds(),
            close_to_tray: false,
            release_window_after_seconds: default_release_window_seconds(),
            start_minimised: false,
            start_at_login: false,
            shortcut: default_shortcut(),
            hide_after_copy: true,
            enter_types_code: false,
            hide_codes: false,
            sort_order: crate::order::SortOrder::Manual,
            group_by_issuer: false,
            collapsed_issuers: Vec::new(),
            check_clock: true,
            time_server: default_time_server(),
            clock_correction_seconds: None,
            lock_method: LockMethod::Off,
            lock_after_idle_seconds: default_idle_lock_seconds(),
            lock_on_screen_lock: true,
            lock_on_hide: false,
            keychain_collection: None,
            language: None,
            extra: serde_json::Map::new(),
        }
    }
}

/// The user's config directory for Tessera (`$XDG_CONFIG_HOME/tessera` on Linux,
/// `~/Library/Application Support/Tessera` on macOS, `%APPDATA%\Tessera\config` on Windows).
pub fn default_config_dir() -> Result<PathBuf, VaultError> {
    directories::ProjectDirs::from("", "", "Tessera")
        .map(|dirs| dirs.config_dir().to_owned())
        .ok_or(VaultError::NoDataDir)
}

/// The settings in the file at `path`, if it is there, readable and not too large.
fn read(path: &Path) -> Option<Settings> {
    let file = fs::File::open(path).ok()?;
    let bytes = crate::bounded::read_at_most(file, MAX_BYTES).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The settings file in a config directory.
#[derive(Debug, Clone)]
pub struct SettingsFile {
    dir: PathBuf,
}

impl SettingsFile {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// The user's settings file.
    pub fn open_default() -> Result<Self, VaultError> {
        Ok(Self::new(default_config_dir()?))
    }

    /// The directory the file is in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE)
    }

    /// The settings; the defaults when the file is missing, too large or damaged.
    pub fn load(&self) -> Settings {
        read(&self.path()).unwrap_or_default()
    }

    /// Takes over a settings file from where an older Tessera kept it (the window's, in Tauri's
    /// own config directory), when there is none here yet. Best effort: nothing else changes.
    pub fn adopt(&self, old: &Path) {
        if !self.path().exists()
            && let Some(settings) = read(old)
        {
            let _ = self.save(&settings);
        }
    }

    /// Saves the settings all at once: a synced temporary file, renamed over the old one. The
    /// collapsed groups are bounded first (the newest kept).
    pub fn save(&self, settings: &Settings) -> Result<(), VaultError> {
        fs::create_dir_all(&self.dir).map_err(|source| VaultError::Io {
            action: "creating",
            path: self.dir.clone(),
            source,
        })?;
        let mut settings = settings.clone();
        let collapsed = &mut settings.collapsed_issuers;
        collapsed.retain(|key| key.chars().count() <= MAX_GROUP_KEY_CHARS);
        if collapsed.len() > MAX_COLLAPSED {
            collapsed.drain(..collapsed.len() - MAX_COLLAPSED);
        }
        write_json(&self.path(), TEMP_PREFIX, &settings, MAX_BYTES)
    }

    /// Temporary files a save killed half-way left behind.
    pub fn temporaries(&self) -> Vec<PathBuf> {
        temporaries_in(&self.dir, TEMP_PREFIX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_settings_read_back_and_bad_files_give_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::new(dir.path().join("tessera"));
        assert_eq!(file.load(), Settings::default());
        let mut settings = Settings {
            clipboard_clear_seconds: 90,
            ..Settings::default()
        };
        settings
            .extra
            .insert("from_a_newer_tessera".into(), serde_json::json!([1, 2]));
        file.save(&settings).unwrap();
        assert_eq!(file.load(), settings);
        assert!(file.temporaries().is_empty());
        for bad in [&b"{not json"[..], &vec![b' '; 70 * 1024]] {
            fs::write(file.path(), bad).unwrap();
            assert_eq!(file.load(), Settings::default());
        }
        fs::write(file.path(), b"{}").unwrap();
        assert_eq!(file.load().clipboard_clear_seconds, 30);
    }

    #[test]
    fn any_number_of_collapsed_groups_keeps_the_file_readable() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::new(dir.path().join("tessera"));
        let mut collapsed: Vec<String> = (0..5000).map(|n| format!("{n:0>100}")).collect();
        collapsed.push("x".repeat(MAX_GROUP_KEY_CHARS + 1));
        collapsed.push("amazon web services".into());
        let settings = Settings {
            collapsed_issuers: collapsed,
            sort_order: crate::order::SortOrder::Issuer,
            ..Settings::default()
        };
        file.save(&settings).unwrap();
        let back = file.load();
        assert_eq!(
            back.sort_order,
            crate::order::SortOrder::Issuer,
            "the file still reads"
        );
        assert_eq!(back.collapsed_issuers.len(), MAX_COLLAPSED);
        assert_eq!(
            back.collapsed_issuers.last().unwrap(),
            "amazon web services"
        );
    }

    #[test]
    fn an_older_settings_file_is_taken_over_once() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old-settings.json");
        fs::write(&old, br#"{"clipboard_clear_seconds": 90}"#).unwrap();
        let file = SettingsFile::new(dir.path().join("tessera"));
        file.adopt(&old);
        assert_eq!(file.load().clipboard_clear_seconds, 90);
        // Settings already here are never overwritten.
        fs::write(&old, br#"{"clipboard_clear_seconds": 5}"#).unwrap();
        file.adopt(&old);
        assert_eq!(file.load().clipboard_clear_seconds, 90);
    }
}
