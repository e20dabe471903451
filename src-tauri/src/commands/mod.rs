//! The commands the window calls, one module per area. Each delegates to core and vault in a
//! line or two; keychain and file work runs off the main thread (`blocking`).

pub mod accounts;
pub mod autobackup;
pub mod backup;
pub mod codes;
pub mod scan;
pub mod settings;

use crate::error::{ErrorCode, IpcError};

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

/// The clock, read here at the edge: Unix time in milliseconds.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}
