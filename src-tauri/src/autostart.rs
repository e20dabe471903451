//! Start at login. On Linux, the XDG autostart entry `tessera-desktop.desktop` in
//! `$XDG_CONFIG_HOME/autostart` (by default `~/.config/autostart`), written here: the autostart
//! plugin's library writes to `~/.config/autostart` whatever XDG_CONFIG_HOME says, which puts
//! the entry where a desktop with another config directory never looks (and made the tests
//! write into the real home). Elsewhere, tauri-plugin-autostart (a LaunchAgent on macOS, the
//! registry on Windows). The window starts minimised, in the tray.

/// The argument the entry passes: start in the tray.
pub const MINIMISED: &str = "--minimised";

#[cfg(target_os = "linux")]
pub fn set(_app: &tauri::AppHandle, on: bool) -> Result<(), String> {
    let dir = directories::BaseDirs::new()
        .map(|dirs| dirs.config_dir().join("autostart"))
        .ok_or("no config directory for this user (is HOME set?)")?;
    let entry = dir.join("tessera-desktop.desktop");
    if !on {
        return match std::fs::remove_file(&entry) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(format!("removing {}: {e}", entry.display()))
            }
            _ => Ok(()),
        };
    }
    let exe = std::env::current_exe().map_err(|e| format!("finding tessera-desktop: {e}"))?;
    let text = format!(
        "[Desktop Entry]\nType=Application\nName=Tessera\nComment=Two-factor codes, in the tray from login\n\
         Exec=\"{}\" {MINIMISED}\nIcon=tessera-desktop\nTerminal=false\nX-GNOME-Autostart-enabled=true\n",
        exe.display()
    );
    std::fs::create_dir_all(&dir)
        .and_then(|()| {
            let temp = dir.join(format!(
                ".tessera-desktop.desktop.{}.tmp",
                std::process::id()
            ));
            std::fs::write(&temp, text)?;
            std::fs::rename(&temp, &entry)
        })
        .map_err(|e| format!("writing {}: {e}", entry.display()))
}

#[cfg(not(target_os = "linux"))]
pub fn set(app: &tauri::AppHandle, on: bool) -> Result<(), String> {
    use tauri_plugin_autostart::ManagerExt;
    let launcher = app.autolaunch();
    let done = if on {
        launcher.enable()
    } else {
        launcher.disable()
    };
    done.map_err(|e| e.to_string())
}

/// The plugin, where it is used.
pub fn register(builder: tauri::Builder<tauri::Wry>) -> tauri::Builder<tauri::Wry> {
    #[cfg(not(target_os = "linux"))]
    let builder = builder.plugin(tauri_plugin_autostart::init(
        tauri_plugin_autostart::MacosLauncher::LaunchAgent,
        Some(vec![MINIMISED]),
    ));
    builder
}
