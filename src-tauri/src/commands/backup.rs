//! Backups from the window: Export (encrypted Tessera backup, otpauth list, recovery sheet) and
//! Import (any format core reads). File paths come from native dialogs opened here, never from
//! the webview. An import is offered as a list to confirm, like a scan (`scan::offer`), and
//! added with `add_scanned`: all or nothing, with progress events.

use std::collections::HashSet;
use std::path::PathBuf;

use serde::Serialize;
use specta::Type;
use tauri::AppHandle;
use tessera_core::Sensitive;
use tessera_core::backup::{
    self, ExportError, ExportFormat, Format, ImportError, MIN_PASSPHRASE_CHARS, sheet,
};
use tessera_vault::{bounded, write_backup_file};

use super::scan::offer;
use super::{blocking, file_dialog, io_error, now_ms};
use crate::dto::{ProblemKind, ProblemView, ScanView};
use crate::error::{ErrorCode, IpcError};
use crate::state::{AppStateRef, PendingImport, ipc, lock};

/// An export written.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Exported {
    pub path: String,
    pub count: u32,
    /// Accounts left out because their key is missing from the keychain.
    pub missing: Vec<String>,
}

/// A backup file chosen for import, waiting for its passphrase if it needs one.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ImportChosen {
    pub file_name: String,
    pub format: BackupFormat,
    pub encrypted: bool,
}

/// A backup's format, which the window names in its language ("Aegis backup").
#[derive(Debug, Clone, Copy, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum BackupFormat {
    Tessera,
    Otpauth,
    Aegis,
    TwoFas,
    AndOtp,
    BitwardenJson,
    BitwardenCsv,
    FreeOtpPlus,
    Proton,
    Stratum,
}

impl From<Format> for BackupFormat {
    fn from(format: Format) -> Self {
        match format {
            Format::Tessera => Self::Tessera,
            Format::Otpauth => Self::Otpauth,
            Format::Aegis => Self::Aegis,
            Format::TwoFas => Self::TwoFas,
            Format::AndOtp => Self::AndOtp,
            Format::BitwardenJson => Self::BitwardenJson,
            Format::BitwardenCsv => Self::BitwardenCsv,
            Format::FreeOtpPlus => Self::FreeOtpPlus,
            Format::Proton => Self::Proton,
            Format::Stratum => Self::Stratum,
        }
    }
}

impl From<ExportError> for IpcError {
    fn from(e: ExportError) -> Self {
        let code = match e {
            ExportError::EmptyPassphrase | ExportError::WeakPassphrase => ErrorCode::WeakPassphrase,
            ExportError::Crypto(_) => ErrorCode::Internal,
        };
        Self::new(code, sentence(&e.to_string()))
    }
}

/// A message from core as a sentence: a capital first letter and a full stop.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    format!("{}{}.", first.unwrap_or_default(), chars.as_str())
}

impl From<ImportError> for IpcError {
    fn from(e: ImportError) -> Self {
        let code = match e {
            ImportError::WrongPassphrase(_) => ErrorCode::WrongPassphrase,
            ImportError::NeedsPassphrase(_) => ErrorCode::NeedsPassphrase,
            _ => ErrorCode::BackupUnreadable,
        };
        Self::new(code, sentence(&e.to_string()))
    }
}

/// Writes a backup of every account, or of the accounts `ids` names (the window's selection),
/// to a file the user picks; `None` if they cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_backup(
    app: AppHandle,
    state: AppStateRef<'_>,
    kind: ExportFormat,
    passphrase: Option<Sensitive<String>>,
    ids: Option<Vec<String>>,
) -> Result<Option<Exported>, IpcError> {
    let passphrase = passphrase.as_deref().map(String::as_str);
    if !kind.in_clear() && passphrase.unwrap_or_default().chars().count() < MIN_PASSPHRASE_CHARS {
        // Before the file dialog: the same rule `backup::export` keeps.
        return Err(ExportError::WeakPassphrase.into());
    }
    let passphrase = passphrase.map(|p| Sensitive::new(p.to_owned()));
    let state = state.inner().clone();
    blocking(move || {
        let export = match ids {
            None => ipc(state.vault.exportable())?,
            Some(ids) => {
                let ids: HashSet<String> = ids.into_iter().collect();
                ipc(state.vault.exportable_where(|e| ids.contains(&e.id)))?
            }
        };
        if export.accounts.is_empty() {
            return Err(IpcError::new(
                ErrorCode::NotFound,
                "There are no accounts to export.",
            ));
        }
        let now = now_ms() / 1000;
        let date = sheet::utc_date(now);
        let (file_name, filter, extension) = match kind {
            ExportFormat::Tessera => (
                format!("tessera-backup-{date}.tessera"),
                "filter-tessera",
                "tessera",
            ),
            ExportFormat::Otpauth => (format!("tessera-accounts-{date}.txt"), "filter-text", "txt"),
            ExportFormat::Html => (
                format!("tessera-recovery-sheet-{date}.html"),
                "filter-web-page",
                "html",
            ),
            ExportFormat::Aegis => (format!("tessera-aegis-{date}.json"), "filter-aegis", "json"),
            ExportFormat::AegisPlain => (
                format!("tessera-aegis-plain-{date}.json"),
                "filter-aegis",
                "json",
            ),
        };
        let dialog = file_dialog(&app, "dialog-save-backup", Some((filter, &[extension])))
            .set_file_name(&file_name);
        let Some(picked) = dialog.blocking_save_file() else {
            return Ok(None);
        };
        let path: PathBuf = picked
            .into_path()
            .map_err(|e| io_error("the chosen file", e))?;
        let bytes = backup::export(
            kind,
            &export.accounts,
            passphrase.as_deref().map(String::as_str),
            now,
        )?;
        write_backup_file(&path, &bytes).map_err(|e| io_error(&path.display().to_string(), e))?;
        Ok(Some(Exported {
            path: path.display().to_string(),
            count: u32::try_from(export.accounts.len()).unwrap_or(u32::MAX),
            missing: export.missing.into_iter().map(|e| e.name).collect(),
        }))
    })
    .await
}

/// Asks for a backup file and reads it; `None` if the user cancelled. The file waits in the
/// shell for `open_import` (with the passphrase, when `encrypted`).
#[tauri::command]
#[specta::specta]
pub async fn choose_import(
    app: AppHandle,
    state: AppStateRef<'_>,
) -> Result<Option<ImportChosen>, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let Some(picked) = file_dialog(&app, "dialog-import-backup", None).blocking_pick_file()
        else {
            return Ok(None);
        };
        let path = picked
            .into_path()
            .map_err(|e| io_error("the chosen file", e))?;
        let file_name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let bytes = bounded::read_file_up_to(&path, backup::MAX_BACKUP_BYTES as u64)
            .map_err(|e| io_error(&file_name, e))?;
        if bytes.len() > backup::MAX_BACKUP_BYTES {
            return Err(ImportError::TooLarge(bytes.len()).into());
        }
        let format: Format = backup::detect(&bytes).ok_or(ImportError::UnknownFormat)?;
        let chosen = ImportChosen {
            file_name,
            format: format.into(),
            encrypted: backup::is_encrypted(format, &bytes),
        };
        *lock(&state.pending_import)? = Some(PendingImport { format, bytes });
        Ok(Some(chosen))
    })
    .await
}

/// Reads the chosen backup (with its passphrase if encrypted) and offers its accounts as a
/// list to confirm: proposed names, duplicates of accounts in the vault (or earlier in the
/// file) marked. A wrong passphrase is `wrong_passphrase`, and the file stays chosen to try
/// again.
#[tauri::command]
#[specta::specta]
pub async fn open_import(
    state: AppStateRef<'_>,
    passphrase: Option<Sensitive<String>>,
) -> Result<ScanView, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let imported = {
            let slot = lock(&state.pending_import)?;
            let pending = slot.as_ref().ok_or_else(|| {
                IpcError::new(ErrorCode::NotFound, "No backup is chosen; choose it again.")
            })?;
            backup::read(
                &pending.bytes,
                Some(pending.format),
                passphrase.as_deref().map(String::as_str),
            )?
        };
        *lock(&state.pending_import)? = None;
        let problems = imported
            .skipped
            .iter()
            .map(|s| ProblemView::new(s.to_string(), ProblemKind::Skipped, s.name.clone()))
            .collect();
        let planned = ipc(state.vault.plan(imported.items))?;
        Ok(offer(&state, planned, problems))
    })
    .await
}
