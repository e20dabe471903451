//! WebKitGTK settings for the main window. GPU compositing is off: for a small list it costs
//! more start-up time, memory and idle CPU than it gives (docs/testing.md has the figures).
//!
//! bench/floor (the empty app Tessera's start-up is measured against) includes this very file,
//! so that its window is set up as Tessera's.

/// Applies the settings to the window labelled "main".
pub fn settings(app: &tauri::App) {
    use tauri::Manager;
    if let Some(window) = app.get_webview_window("main") {
        apply(&window);
    }
}

/// Applies the settings to `window` (the main window, or the one made again after a release).
pub fn apply(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        let _ = window.with_webview(|webview| {
            if let Some(settings) = WebViewExt::settings(&webview.inner()) {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}
