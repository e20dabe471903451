//! The keychain keeping the window waiting on a person (an unlock prompt, KeePassXC's access
//! request): said in the window's banner, with where to answer, until the wait ends.

use serde::{Deserialize, Serialize};
use tauri::AppHandle;

/// What the keychain waits for, and where to answer: `said` in English ("waiting for
/// KeePassXC: if it asks, answer ..."), the keychain's program and the seconds Tessera waits,
/// for the window to say it in its language.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct KeychainWaiting {
    pub said: String,
    pub program: Option<String>,
    pub seconds: u32,
}

/// Sends every wait the keychain makes to the window, from now on.
pub fn tell_window(app: &AppHandle) {
    #[cfg(target_os = "linux")]
    {
        use tauri_specta::Event;
        let app = app.clone();
        tessera_vault::secret_service::wait::on_wait(move |wait| {
            let _ = KeychainWaiting {
                said: wait.said.clone(),
                program: wait.program.clone(),
                seconds: u32::try_from(wait.seconds).unwrap_or(u32::MAX),
            }
            .emit(&app);
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}
