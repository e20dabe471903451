//! Issuer icons for the window, sent after the first code is on screen: the list asks for the
//! images of the icons its accounts show, once each. Also the details dialog's icon search and
//! choices.

use data_encoding::BASE64;
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::AppHandle;
use tessera_core::icons::{self, Theme};
use tessera_core::meta::{IconChoice, ShownIcon};
use tessera_vault::{bounded, icon_file};

use super::{blocking, file_dialog, io_error};
use crate::dto::AccountView;
use crate::state::{AppStateRef, ipc};

/// At most this many images in one answer; the window asks again for the rest.
pub const MAX_ICONS_PER_CALL: usize = 4096;
/// At most this many search results: the dialog shows them in a few rows.
const MAX_SEARCH_RESULTS: usize = 40;

/// An icon as the window draws it: an image (`data:` URL) for each theme. `tile` is set for a
/// full-colour logo, which is drawn on a light tile in both themes (they are made for light
/// backgrounds).
#[derive(Debug, Clone, Serialize, Type)]
pub struct IconImage {
    /// What the window asked for: a bundled icon's id, or `custom:ID:HASH` for an account's
    /// own image (the hash tells a changed image from the one the window has).
    pub key: String,
    pub light: String,
    pub dark: String,
    pub tile: bool,
}

/// A bundled icon found by search.
#[derive(Debug, Clone, Serialize, Type)]
pub struct IconHit {
    pub id: String,
    pub title: String,
    /// Its image in the light theme's colours, for the result list.
    pub image: String,
}

/// An icon chosen in the details dialog (an image file is chosen with `choose_icon_file`).
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum IconPick {
    /// The one matched from the issuer.
    Auto,
    /// A letter, even where an icon matches.
    Letter,
    /// A bundled icon, by id.
    Bundled { id: String },
}

fn svg_url(svg: &str) -> String {
    format!(
        "data:image/svg+xml;base64,{}",
        BASE64.encode(svg.as_bytes())
    )
}

/// `icon` drawn in its colour for `theme`, as a `data:` URL.
fn drawn(icon: &icons::Icon, theme: Theme) -> String {
    svg_url(&icon.svg(icon.colour(theme).as_deref()))
}

fn bundled_image(icon: &icons::Icon, key: String) -> IconImage {
    IconImage {
        key,
        light: drawn(icon, Theme::Light),
        dark: drawn(icon, Theme::Dark),
        tile: !icon.is_mono(),
    }
}

/// The images of `keys` (bundled ids, or `custom:ID:HASH` for an account's own image), in
/// their order, without those that name nothing; at most [`MAX_ICONS_PER_CALL`].
#[tauri::command]
#[specta::specta]
pub async fn icon_images(
    state: AppStateRef<'_>,
    keys: Vec<String>,
) -> Result<Vec<IconImage>, crate::error::IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let wants_custom = keys.iter().any(|k| k.starts_with("custom:"));
        let entries = if wants_custom {
            ipc(state.vault.list())?
        } else {
            Vec::new()
        };
        let images = keys
            .into_iter()
            .take(MAX_ICONS_PER_CALL)
            .filter_map(
                |key| match key.strip_prefix("custom:").and_then(|k| k.rsplit_once(':')) {
                    Some((id, _)) => {
                        let entry = entries.iter().find(|e| e.id == id)?;
                        let IconChoice::Custom(image) = &entry.meta.icon else {
                            return None;
                        };
                        let url = format!(
                            "data:{};base64,{}",
                            image.kind().mime(),
                            BASE64.encode(image.data())
                        );
                        Some(IconImage {
                            key,
                            light: url.clone(),
                            dark: url,
                            tile: false,
                        })
                    }
                    None => icons::get(&key).map(|icon| bundled_image(icon, key)),
                },
            )
            .collect();
        Ok(images)
    })
    .await
}

/// Bundled icons whose name contains `query`, for the details dialog's picker.
#[tauri::command]
#[specta::specta]
pub fn search_icons(query: String) -> Vec<IconHit> {
    icons::search(&query, MAX_SEARCH_RESULTS)
        .into_iter()
        .map(|icon| IconHit {
            id: icon.id.to_owned(),
            title: icon.title.to_owned(),
            image: drawn(icon, Theme::Light),
        })
        .collect()
}

/// Gives an account the icon matched from its issuer, a letter, or a bundled icon.
#[tauri::command]
#[specta::specta]
pub async fn set_account_icon(
    state: AppStateRef<'_>,
    id: String,
    icon: IconPick,
) -> Result<AccountView, crate::error::IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let choice = match icon {
            IconPick::Auto => IconChoice::Auto,
            IconPick::Letter => IconChoice::Letter,
            IconPick::Bundled { id } => IconChoice::Bundled(id),
        };
        Ok(AccountView::from(&ipc(state.vault.set_icon(&id, choice))?))
    })
    .await
}

/// Asks for an image file (PNG, JPEG or SVG) and makes it the account's icon; `None` if the
/// user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_icon_file(
    app: AppHandle,
    state: AppStateRef<'_>,
    id: String,
) -> Result<Option<AccountView>, crate::error::IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let images: &[&str] = &["png", "jpg", "jpeg", "svg"];
        let dialog = file_dialog(&app, "dialog-icon", Some(("filter-images", images)));
        let Some(picked) = dialog.blocking_pick_file() else {
            return Ok(None);
        };
        let path = picked
            .into_path()
            .map_err(|e| io_error("the chosen file", e))?;
        let bytes = bounded::read_file_up_to(&path, icon_file::MAX_FILE_BYTES as u64)
            .map_err(|e| io_error(&path.display().to_string(), e))?;
        let image = ipc(icon_file::prepare(&bytes))?;
        Ok(Some(AccountView::from(&ipc(state
            .vault
            .set_icon(&id, IconChoice::Custom(image)))?)))
    })
    .await
}

/// What an account's row shows, as `icon_images` takes it: the bundled icon's id,
/// `custom:ID:HASH`, or `None` for a letter.
pub fn shown_key(entry: &tessera_vault::Entry) -> Option<String> {
    match entry.meta.icon.shown(&entry.issuer, &entry.label) {
        ShownIcon::Bundled(icon) => Some(icon.id.to_owned()),
        ShownIcon::Custom(image) => Some(format!(
            "custom:{}:{:016x}",
            entry.id,
            tessera_core::display::fnv1a(image.data())
        )),
        ShownIcon::Letter => None,
    }
}
