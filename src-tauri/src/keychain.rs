//! The keychain keeping the window waiting on a person (an unlock prompt, KeePassXC's access
//! request): said in the window's banner, with where to answer, until the wait ends.

use serde::{Deserialize, Serialize};
use tauri::AppHandle;

/// What the keychain waits for, and where to answer ("waiting for KeePassXC: answer ...").
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct KeychainWaiting(pub String);

/// Sends every wait the keychain makes to the window, from now on.
pub fn tell_window(app: &AppHandle) {
    #[cfg(target_os = "linux")]
    {
        use tauri_specta::Event;
        let app = app.clone();
        tessera_vault::secret_service::wait::on_wait(move |what| {
            let _ = KeychainWaiting(what.to_owned()).emit(&app);
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}
