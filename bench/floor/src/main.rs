//! The floor that bench/peers.sh measures Tessera against: an empty Tauri 2 app, on the same Tauri
//! version and features, with the same window (size, content security policy, WebKitGTK
//! settings), showing one line of text. What Tessera costs above it is Tessera's own.
//!
//! With TESSERA_BENCH_FIRST_CODE set it prints "first paint after N ms" once the line is painted,
//! as Tessera prints its first code.

use std::time::Instant;

/// Tessera's own WebKitGTK settings, from its source.
#[path = "../../../src-tauri/src/webview.rs"]
mod webview;

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
            webview::settings(app);
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("tessera-floor: {error}");
        std::process::exit(1);
    }
}
