//! Tessera's desktop app. Everything is in lib.rs (`run`).

// No console window on Windows release builds.
#![cfg_attr(
    all(not(debug_assertions), target_os = "windows"),
    windows_subsystem = "windows"
)]

fn main() {
    tessera_desktop::run()
}
