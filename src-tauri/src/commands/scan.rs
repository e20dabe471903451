//! Scanning QR codes: the screen, the clipboard, image files (Open image, or dropped on the
//! window). What is found waits in the shell, keys included, until the user confirms it in the
//! list the window shows (`add_scanned`); the window never sees a key.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use image::GrayImage;
use tauri::{AppHandle, Manager};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_specta::Event;
use tessera_core::Sensitive;
use tessera_core::backup::Item;
use tessera_core::scan::{Collected, Collector};
use tessera_qr as qr;
use tessera_vault::{Change, Found, Planned, bounded};

use super::{blocking, file_dialog, now_ms};
use crate::clipboard_image::{self, ClipboardError};
use crate::dto::{
    AccountView, FoundView, ProblemKind, ProblemView, ScanView, ScannedChoice, Source,
};
use crate::error::{ErrorCode, IpcError};
use crate::screen;
use crate::state::{AppState, AppStateRef, PendingScan, ipc, lock};

/// How long the window stays hidden before the screen is read, so that what it covered is
/// drawn again.
const HIDDEN_BEFORE_CAPTURE: Duration = Duration::from_millis(300);

/// A scan of image files dropped on the window finished (or found nothing).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type, tauri_specta::Event)]
pub struct ScanFinished(pub ScanView);

/// Keeps what the vault planned for the user to confirm (`add_scanned`; it replaces any
/// earlier offer not confirmed) and describes it for the window.
pub fn offer(state: &AppState, planned: Vec<Planned>, problems: Vec<ProblemView>) -> ScanView {
    let found = planned
        .iter()
        .enumerate()
        .map(|(i, p)| FoundView::of(u32::try_from(i).unwrap_or(u32::MAX), p))
        .collect();
    let scan_id = state.next_scan_id();
    if let Ok(mut slot) = lock(&state.pending_scan) {
        *slot = Some(PendingScan {
            id: scan_id,
            planned,
        });
    }
    ScanView {
        scan_id,
        found,
        problems,
    }
}

/// What a scan found, planned by the vault like every other way in: names proposed,
/// duplicates and re-enrolments marked. `source`: what a scan that read no file read.
fn pending(state: &AppState, collected: Collected, source: Option<Source>) -> ScanView {
    let mut problems: Vec<ProblemView> = collected
        .problems
        .iter()
        .map(|problem| ProblemView::from(problem).naming(source))
        .collect();
    let items = collected.accounts.into_iter().map(Item::new).collect();
    match state.vault.plan(items) {
        Ok(planned) => offer(state, planned, problems),
        Err(e) => {
            problems.push(ProblemView::new(
                format!(
                    "Nothing can be added: the vault could not be checked for these accounts ({}).",
                    IpcError::from(e).message
                ),
                ProblemKind::Vault,
                "",
            ));
            offer(state, Vec::new(), problems)
        }
    }
}

/// Scans grey pixels (the screen, the clipboard) named `origin` in problems.
fn scan_pixels(state: &AppState, source: Source, grey: &GrayImage) -> ScanView {
    let mut collector = Collector::default();
    collector.add_decoded(source.name(), qr::decode_grey(grey));
    pending(state, collector.finish(), Some(source))
}

/// Scans image files, each named by its file name in problems.
pub fn scan_files(state: &AppState, paths: &[PathBuf]) -> ScanView {
    let mut collector = Collector::default();
    for path in paths {
        let origin = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        // One byte past the limit: the QR reader refuses a larger image in its own words.
        match bounded::read_file_up_to(path, qr::MAX_FILE_BYTES) {
            Ok(bytes) => {
                qr::add_image(&mut collector, &origin, &bytes);
            }
            Err(e) => collector.unreadable(&origin, &e.to_string()),
        }
    }
    pending(state, collector.finish(), None)
}

/// Reads every QR code on the screen (every monitor). The window hides meanwhile, so that it
/// covers nothing.
#[tauri::command]
#[specta::specta]
pub async fn scan_screen(app: AppHandle, state: AppStateRef<'_>) -> Result<ScanView, IpcError> {
    let window = app.get_webview_window("main");
    if let Some(w) = &window {
        let _ = w.hide();
    }
    tokio_sleep(HIDDEN_BEFORE_CAPTURE).await;
    let captured = screen::capture().await;
    if let Some(w) = &window {
        let _ = w.show();
        let _ = w.set_focus();
    }
    let grey = captured.map_err(|e| IpcError::new(ErrorCode::ScanFailed, e.to_string()))?;
    let state = state.inner().clone();
    blocking(move || Ok(scan_pixels(&state, Source::Screen, &grey))).await
}

async fn tokio_sleep(duration: Duration) {
    let _ = tauri::async_runtime::spawn_blocking(move || std::thread::sleep(duration)).await;
}

/// Reads every QR code in the image on the clipboard (its PNG read and decoded within `qr`'s
/// limits on X11), or the otpauth link copied as text.
#[tauri::command]
#[specta::specta]
pub async fn scan_clipboard(app: AppHandle, state: AppStateRef<'_>) -> Result<ScanView, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        match clipboard_image::png() {
            Ok(bytes) => {
                let mut collector = Collector::default();
                qr::add_image(&mut collector, Source::ClipboardImage.name(), &bytes);
                return Ok(pending(
                    &state,
                    collector.finish(),
                    Some(Source::ClipboardImage),
                ));
            }
            Err(ClipboardError::NoImage) => return scan_clipboard_text(&app, &state),
            Err(ClipboardError::NotHere) => {}
            Err(e @ (ClipboardError::TooLarge | ClipboardError::Failed(_))) => {
                return Err(IpcError::new(ErrorCode::ScanFailed, e.to_string()));
            }
        }
        // Not X11: the clipboard plugin decodes the image.
        if let Ok(image) = app.clipboard().read_image() {
            let rgba =
                image::RgbaImage::from_raw(image.width(), image.height(), image.rgba().to_vec())
                    .ok_or_else(|| {
                        IpcError::new(ErrorCode::ScanFailed, "the clipboard image is damaged")
                    })?;
            let grey = image::DynamicImage::ImageRgba8(rgba).into_luma8();
            return Ok(scan_pixels(&state, Source::ClipboardImage, &grey));
        }
        scan_clipboard_text(&app, &state)
    })
    .await
}

/// The otpauth link copied as text, when the clipboard holds no image.
fn scan_clipboard_text(app: &AppHandle, state: &AppState) -> Result<ScanView, IpcError> {
    // The text may be a link with a key in it.
    let text = Sensitive::new(app.clipboard().read_text().unwrap_or_default());
    let start = text.trim_start();
    if start
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("otpauth"))
    {
        let mut collector = Collector::default();
        collector.add(Source::ClipboardText.name(), text.trim());
        return Ok(pending(
            state,
            collector.finish(),
            Some(Source::ClipboardText),
        ));
    }
    Err(IpcError::new(
        ErrorCode::ScanFailed,
        "The clipboard holds no image and no otpauth:// link. Copy a screenshot of the QR code (or the link) first.",
    ))
}

/// Asks for image files (several at once) and reads every QR code in them; `None` if the user
/// cancelled.
#[tauri::command]
#[specta::specta]
pub async fn scan_image_files(
    app: AppHandle,
    state: AppStateRef<'_>,
) -> Result<Option<ScanView>, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let images: &[&str] = &["png", "jpg", "jpeg", "webp", "bmp", "gif"];
        let dialog = file_dialog(&app, "dialog-images", Some(("filter-images", images)));
        let Some(picked) = dialog.blocking_pick_files() else {
            return Ok(None);
        };
        let paths: Vec<PathBuf> = picked
            .into_iter()
            .filter_map(|p| p.into_path().ok())
            .collect();
        Ok(Some(scan_files(&state, &paths)))
    })
    .await
}

/// Scans files dropped on the window and tells the window with `ScanFinished`.
pub fn scan_dropped(app: &AppHandle, paths: Vec<PathBuf>) {
    let Some(state) = app.try_state::<Arc<AppState>>().map(|s| s.inner().clone()) else {
        return;
    };
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let view = scan_files(&state, &paths);
        let _ = ScanFinished(view).emit(&app);
    });
}

/// Keys written so far while adding many accounts (an import): for a progress bar.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type, tauri_specta::Event)]
pub struct AddProgress {
    pub done: u32,
    pub total: u32,
}

/// Adds the found accounts the user kept, under the names chosen, and gives re-enrolled
/// accounts their new key where the user chose Replace: all or none.
#[tauri::command]
#[specta::specta]
pub async fn add_scanned(
    app: AppHandle,
    state: AppStateRef<'_>,
    scan_id: u32,
    choices: Vec<ScannedChoice>,
) -> Result<Vec<AccountView>, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let changes = {
            let slot = lock(&state.pending_scan)?;
            let planned = match slot.as_ref() {
                Some(scan) if scan.id == scan_id => &scan.planned,
                _ => {
                    return Err(IpcError::new(
                        ErrorCode::NotFound,
                        "this scan is no longer waiting; scan again",
                    ));
                }
            };
            let mut changes = Vec::with_capacity(choices.len());
            for choice in &choices {
                let planned = usize::try_from(choice.index)
                    .ok()
                    .and_then(|i| planned.get(i))
                    .ok_or_else(|| IpcError::new(ErrorCode::NotFound, "no such scanned account"))?;
                let account = planned.account.clone();
                changes.push(match &planned.found {
                    Found::Reenrolment { id, .. } if choice.replace => Change::Replace {
                        id: id.clone(),
                        account,
                        meta: planned.meta.clone(),
                    },
                    _ => {
                        let name = choice.name.trim();
                        Change::Add {
                            name: (!name.is_empty()).then(|| name.to_owned()),
                            account,
                            meta: planned.meta.clone(),
                        }
                    }
                });
            }
            changes
        };
        let mut progress = |done: usize, total: usize| {
            // Every 10th key and the last: enough for a progress bar, few events.
            if total >= 20 && (done.is_multiple_of(10) || done == total) {
                let _ = AddProgress {
                    done: u32::try_from(done).unwrap_or(u32::MAX),
                    total: u32::try_from(total).unwrap_or(u32::MAX),
                }
                .emit(&app);
            }
        };
        let added = ipc(state.vault.apply(&changes, now_ms() / 1000, &mut progress))?;
        *lock(&state.pending_scan)? = None;
        Ok(added.iter().map(AccountView::from).collect())
    })
    .await
}

/// Forgets what the last scan found (the user closed the list).
#[tauri::command]
#[specta::specta]
pub fn discard_scan(state: AppStateRef<'_>) -> Result<(), IpcError> {
    *lock(&state.pending_scan)? = None;
    Ok(())
}
