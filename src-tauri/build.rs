//! Declares the app's own commands, so that each gets an `allow-*` permission and the
//! capability in capabilities/ grants exactly the ones the window uses.

const COMMANDS: &[&str] = &[
    "open_window",
    "list_accounts",
    "preview_account",
    "add_account",
    "rename_account",
    "set_account_meta",
    "pin_account",
    "remove_account",
    "remove_accounts",
    "trash_list",
    "restore_from_trash",
    "delete_from_trash",
    "tag_accounts",
    "move_account",
    "reveal_secret",
    "resync_account",
    "icon_images",
    "search_icons",
    "set_account_icon",
    "choose_icon_file",
    "codes",
    "take_hotp_code",
    "copy_code",
    "hide_after_copy",
    "type_code",
    "first_code_painted",
    "scan_screen",
    "scan_clipboard",
    "scan_image_files",
    "add_scanned",
    "discard_scan",
    "export_backup",
    "choose_import",
    "open_import",
    "get_settings",
    "set_settings",
    "shortcut_problem",
    "clock_status",
    "use_corrected_time",
    "lock_status",
    "lock_window",
    "note_activity",
    "unlock",
    "unlock_with_system",
    "set_lock",
    "auto_backup_status",
    "enable_auto_backup",
    "disable_auto_backup",
    "choose_backup_folder",
    "sync_status",
    "sync_setup",
    "sync_join",
    "copy_pairing_secret",
    "sync_now",
    "sync_off",
    "choose_sync_folder",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        println!("cargo::error={error:#}");
    }
}
