//! The tray icon (Tauri's tray: a StatusNotifierItem through libayatana-appindicator on Linux)
//! and its menu: Show Tessera, Scan screen, the ten accounts used most recently (a click copies
//! the code, cleared from the clipboard like any copy), Lock (when a lock is set), Settings,
//! Quit. Locked, it offers only Show Tessera (the lock screen) and Quit: no account.
//!
//! The menu is filled again from what changed: the vault's index, or `recent.json` after a copy
//! (both seen by the watcher).
//!
//! On Linux a tray icon is a menu: a click opens it, whatever the button (appindicator reports
//! no clicks), so "Show Tessera" comes first. The menu is filled again when the accounts change
//! or one is used; it is emptied and refilled in place, because appindicator keeps the first
//! menu it was given.

use std::sync::{Arc, Mutex};

use tauri::menu::{IsMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};
use tessera_l10n::{Catalogue, Language};

use crate::copy::copy;
use crate::state::AppState;
use crate::window::{self, Then};

/// What a menu item does; its menu id is [`Item::id`], read back by [`Item::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Show,
    Scan,
    Lock,
    Settings,
    Quit,
    /// Copy the code of the account with this id.
    Copy(String),
}

impl Item {
    /// Prefix of an account's item id; the account id follows.
    const COPY: &str = "account:";

    fn id(&self) -> String {
        match self {
            Self::Show => "show".into(),
            Self::Scan => "scan".into(),
            Self::Lock => "lock".into(),
            Self::Settings => "settings".into(),
            Self::Quit => "quit".into(),
            Self::Copy(account) => format!("{}{account}", Self::COPY),
        }
    }

    fn parse(id: &str) -> Option<Self> {
        if let Some(account) = id.strip_prefix(Self::COPY) {
            return Some(Self::Copy(account.to_owned()));
        }
        [
            Self::Show,
            Self::Scan,
            Self::Lock,
            Self::Settings,
            Self::Quit,
        ]
        .into_iter()
        .find(|item| item.id() == id)
    }
}

/// What the tray asks the window to do once it is shown.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "snake_case")]
pub enum TrayAction {
    Scan,
    Settings,
}

/// What the menu shows: whether a lock is set and whether it is locked, and the accounts it
/// offers (names and ids).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Offer {
    language: Language,
    lockable: bool,
    locked: bool,
    accounts: Vec<(String, String)>,
}

/// The tray's menu, kept to be refilled, with what it offers now.
pub struct TrayMenu {
    menu: Menu<Wry>,
    offered: Mutex<Offer>,
}

/// Puts the icon in the tray. Without a tray host (Xvfb, a desktop without one) the icon is
/// simply not seen; nothing fails.
pub fn start(app: &AppHandle) -> tauri::Result<()> {
    let menu = Menu::with_id(app, "tray")?;
    let accounts = offered(app);
    fill(app, &menu, &accounts)?;
    let mut tray = TrayIconBuilder::with_id("tessera")
        .tooltip("Tessera")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(on_menu_event);
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    app.manage(TrayMenu {
        menu,
        offered: Mutex::new(accounts),
    });
    Ok(())
}

/// Fills the menu again from the vault (after a change, or a copy), when the accounts it
/// offers changed. A refill gives every entry a new id, so refilling needlessly (one write of
/// the vault is several file events) would pull entries from under a panel's open menu.
pub fn refresh(app: &AppHandle) {
    let Some(tray) = app.try_state::<TrayMenu>() else {
        return;
    };
    let accounts = offered(app);
    let Ok(mut current) = tray.offered.lock() else {
        return;
    };
    if *current != accounts && fill(app, &tray.menu, &accounts).is_ok() {
        *current = accounts;
    }
}

/// What the menu offers: the accounts the most recently used first, then the first in the
/// list, ten at most; none while locked.
fn offered(app: &AppHandle) -> Offer {
    let Some(state) = app.try_state::<Arc<AppState>>() else {
        return Offer::default();
    };
    let (lockable, language) =
        crate::state::lock(&state.settings).map_or((false, Language::system()), |s| {
            (
                s.lock_method != tessera_vault::settings::LockMethod::Off,
                Language::chosen(s.language.as_deref()),
            )
        });
    let locked = state.lock.is_locked();
    let accounts = if locked {
        Vec::new()
    } else {
        recent_accounts(&state)
    };
    Offer {
        language,
        lockable,
        locked,
        accounts,
    }
}

fn recent_accounts(state: &AppState) -> Vec<(String, String)> {
    let Ok(entries) = state.vault.list() else {
        return Vec::new();
    };
    state
        .recent
        .offered(&entries)
        .into_iter()
        .map(|entry| (entry.name.clone(), entry.id.clone()))
        .collect()
}

fn fill(app: &AppHandle, menu: &Menu<Wry>, offer: &Offer) -> tauri::Result<()> {
    let words = Catalogue::new(offer.language);
    let item = |what: Item, text: &str| MenuItem::with_id(app, what.id(), text, true, None::<&str>);
    let mut items: Vec<Box<dyn IsMenuItem<Wry>>> =
        vec![Box::new(item(Item::Show, &words.text("tray-show", &[]))?)];
    if offer.locked {
        items.push(Box::new(PredefinedMenuItem::separator(app)?));
        items.push(Box::new(item(Item::Quit, &words.text("tray-quit", &[]))?));
        return replace_items(menu, &items);
    }
    items.push(Box::new(item(Item::Scan, &words.text("tray-scan", &[]))?));
    items.push(Box::new(PredefinedMenuItem::separator(app)?));
    for (name, id) in &offer.accounts {
        // `&` marks a mnemonic in menu texts; `&&` is a plain one.
        let text = words.text("tray-copy", &[("name", &name.replace('&', "&&"))]);
        items.push(Box::new(item(Item::Copy(id.clone()), &text)?));
    }
    if !offer.accounts.is_empty() {
        items.push(Box::new(PredefinedMenuItem::separator(app)?));
    }
    if offer.lockable {
        items.push(Box::new(item(Item::Lock, &words.text("tray-lock", &[]))?));
    }
    items.push(Box::new(item(
        Item::Settings,
        &words.text("tray-settings", &[]),
    )?));
    items.push(Box::new(item(Item::Quit, &words.text("tray-quit", &[]))?));
    replace_items(menu, &items)
}

fn replace_items(menu: &Menu<Wry>, items: &[Box<dyn IsMenuItem<Wry>>]) -> tauri::Result<()> {
    for old in menu.items()? {
        menu.remove(&old)?;
    }
    let refs: Vec<&dyn IsMenuItem<Wry>> = items.iter().map(AsRef::as_ref).collect();
    menu.append_items(&refs)
}

fn on_menu_event(app: &AppHandle, event: MenuEvent) {
    let Some(item) = Item::parse(event.id().as_ref()) else {
        return;
    };
    match item {
        Item::Show => window::show(app, None),
        Item::Scan => window::show(app, Some(Then::Scan)),
        Item::Settings => window::show(app, Some(Then::Settings)),
        Item::Lock => crate::lock::lock_now(app),
        Item::Quit => app.exit(0),
        Item::Copy(account) => {
            let app = app.clone();
            // Keychain work off the main thread, as in the commands.
            tauri::async_runtime::spawn_blocking(move || {
                let _ = copy(&app, &account);
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_reads_back_from_its_id() {
        for item in [
            Item::Show,
            Item::Scan,
            Item::Lock,
            Item::Settings,
            Item::Quit,
            Item::Copy("082824b3297d9c6d".into()),
        ] {
            assert_eq!(Item::parse(&item.id()), Some(item));
        }
        assert_eq!(Item::parse("tray"), None);
        assert_eq!(Item::parse(""), None);
    }
}
