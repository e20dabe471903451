//! The floor that bench/peers.sh measures Tessera against: an empty Tauri 2 app, on the same Tauri
//! version and features, with the same window (size, content security policy, WebKitGTK
//! settings), showing one line of text. What Tessera costs above it is Tessera's own.
//!
//! With TESSERA_BENCH_FIRST_CODE set it prints "first paint after N ms" once the line is painted,
//! as Tessera prints its first code.

use std::time::Instant;

/// When the process started.
struct Started(Instant);

/// The page painted its line of text.
#[tauri::command]
fn painted(started: tauri::State<'_, Started>) {
    if std::env::var_os("TESSERA_BENCH_FIRST_CODE").is_some() {
        println!("first paint after {} ms", started.0.elapsed().as_millis());
    }
}

fn main() {
    let started = Started(Instant::now());
    let result = tauri::Builder::default()
        .manage(started)
        .invoke_handler(tauri::generate_handler![painted])
        .setup(|app| {
            webview_settings(app);
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("tessera-floor: {error}");
        std::process::exit(1);
    }
}

/// Tessera's WebKitGTK setting (src-tauri/src/lib.rs, `webview_settings`): GPU compositing off.
fn webview_settings(app: &tauri::App) {
    #[cfg(target_os = "linux")]
    {
        use tauri::Manager;
        if let Some(window) = app.get_webview_window("main") {
            let _ = window.with_webview(|webview| {
                use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
                if let Some(settings) = WebViewExt::settings(&webview.inner()) {
                    settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                }
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}
