//! Handing the tray over to `tessera tray` (Linux, X11): once the hidden window is released, and
//! at a start in the tray, the app makes way for that small process without WebKit, which keeps
//! the tray's menu, the shortcut and the single-instance name, and starts the app again when the
//! window is wanted. On Wayland (no key grabs for other programs) and elsewhere, the app stays
//! in the tray itself, without its window.

use std::path::PathBuf;

/// The `tessera` program beside this one, when the tray can be handed to it here.
pub fn program() -> Option<PathBuf> {
    if !cfg!(target_os = "linux")
        || std::env::var_os("DISPLAY").is_none()
        || std::env::var_os("WAYLAND_DISPLAY").is_some()
    {
        return None;
    }
    let program = std::env::current_exe().ok()?.with_file_name("tessera");
    program.is_file().then_some(program)
}

/// Starts `tessera tray` to take over once this app has exited; false when it can't.
pub fn hand_over() -> bool {
    let Some(program) = program() else {
        return false;
    };
    match std::process::Command::new(&program)
        .args(["tray", "--after-window"])
        .spawn()
    {
        Ok(_) => true,
        Err(error) => {
            eprintln!("tessera-desktop: {}: {error}", program.display());
            false
        }
    }
}

/// At a start in the tray (and when the window is released at all), becomes `tessera tray` at
/// once, before any of the window is made. Returns only when it can't.
#[cfg(target_os = "linux")]
pub fn become_tray() {
    use std::os::unix::process::CommandExt;
    if let Some(program) = program() {
        let error = std::process::Command::new(&program).arg("tray").exec();
        eprintln!("tessera-desktop: {}: {error}", program.display());
    }
}
