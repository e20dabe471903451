//! The commands the window calls, one module per area. Each delegates to core and vault in a
//! line or two; keychain and file work runs off the main thread (`blocking`).

pub mod accounts;
pub mod autobackup;
pub mod backup;
pub mod codes;
pub mod icons;
pub mod opening;
pub mod resync;
pub mod scan;
pub mod settings;
pub mod sync;

use tauri::Manager;
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

use crate::error::{ErrorCode, IpcError};
use tessera_l10n::{Catalogue, Language};

/// Runs `f` on the blocking thread pool: keychain calls must not stall the GTK main thread, and
/// an unlock prompt may take a while.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(f).await.map_err(|e| {
        IpcError::new(
            ErrorCode::Internal,
            format!("a background task failed: {e}"),
        )
    })?
}

/// The messages of the window's language, for what the shell shows itself (a file dialog).
fn words(app: &tauri::AppHandle) -> Catalogue {
    let setting = app
        .try_state::<std::sync::Arc<crate::state::AppState>>()
        .and_then(|state| crate::state::lock(&state.settings).ok()?.language.clone());
    Catalogue::new(Language::chosen(setting.as_deref()))
}

/// A native file dialog titled with message `title`, in front of the main window, offering the
/// files of `filter` (a message naming the kind, and its extensions) if given. File paths come
/// from such a dialog (or a drop on the window), never from the webview.
pub fn file_dialog(
    app: &tauri::AppHandle,
    title: &str,
    filter: Option<(&str, &[&str])>,
) -> FileDialogBuilder<tauri::Wry> {
    let words = words(app);
    let mut dialog = app.dialog().file().set_title(words.text(title, &[]));
    if let Some((kind, extensions)) = filter {
        dialog = dialog.add_filter(words.text(kind, &[]), extensions);
    }
    match app.get_webview_window("main") {
        Some(window) => dialog.set_parent(&window),
        None => dialog,
    }
}

/// The native folder dialog titled with message `title`; `None` if the user cancelled. Blocking.
pub fn pick_folder(app: &tauri::AppHandle, title: &str) -> Option<String> {
    file_dialog(app, title, None)
        .blocking_pick_folder()
        .and_then(|picked| picked.into_path().ok())
        .map(|path| path.display().to_string())
}

/// A file that could not be read or written, named as the user knows it (`what`).
pub fn io_error(what: &str, e: impl std::fmt::Display) -> IpcError {
    IpcError::new(ErrorCode::Io, format!("{what}: {e}"))
}

/// The clock, read here at the edge: Unix time in milliseconds.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}
