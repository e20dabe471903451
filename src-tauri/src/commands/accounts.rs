//! Accounts: list (in the chosen order), preview and add, rename, tags and notes, pin, remove
//! to the trash (and back), reorder, reveal; tagging and removing several at once.

use std::collections::{HashMap, HashSet};

use tessera_core::backup::sheet;
use tessera_core::{Account, Params, Secret, qr_svg, uri};

use super::{blocking, now_ms};
use crate::dto::{
    AccountView, AddPreview, AddSource, OtpType, Revealed, RowTable, RowView, TrashedView,
};
use crate::error::{ErrorCode, IpcError};
use crate::state::{AppState, AppStateRef, ipc, lock};
use tessera_vault::Entry;
use tessera_vault::order::{self, SortOrder};

/// Every account, in display order. Reads only the index.
#[tauri::command]
#[specta::specta]
pub async fn list_accounts(state: AppStateRef<'_>) -> Result<RowTable, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let mut entries = ipc(state.vault.list())?;
        state.keep_only(&entries)?;
        arranged(&state, &mut entries)
    })
    .await
}

/// The lines of the accounts `ids` ([`crate::dto::row_line`]), in that order, for the rows the
/// window places whose line its [`RowTable`] did not carry; an empty line for an id no longer in
/// the vault.
#[tauri::command]
#[specta::specta]
pub async fn row_lines(state: AppStateRef<'_>, ids: Vec<String>) -> Result<Vec<String>, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let entries = ipc(state.vault.list())?;
        let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
        let lines: HashMap<&str, String> = entries
            .iter()
            .filter(|e| wanted.contains(e.id.as_str()))
            .map(|e| (e.id.as_str(), crate::dto::row_line(&RowView::from(e))))
            .collect();
        Ok(ids
            .iter()
            .map(|id| lines.get(id.as_str()).cloned().unwrap_or_default())
            .collect())
    })
    .await
}

/// One account, for its details dialog: the list holds each account as a line of a
/// [`RowTable`], what its row shows and its search reads.
#[tauri::command]
#[specta::specta]
pub async fn account(state: AppStateRef<'_>, id: String) -> Result<AccountView, IpcError> {
    let state = state.inner().clone();
    blocking(move || Ok(AccountView::from(&ipc(state.vault.entry(&id))?))).await
}

/// `entries` in the order the user chose for the list, pinned ones first.
pub fn arranged(state: &AppState, entries: &mut [Entry]) -> Result<RowTable, IpcError> {
    arrange(state, entries)?;
    Ok(entries.iter().map(RowView::from).collect())
}

/// Puts `entries` in the order the user chose for the list, pinned ones first.
pub fn arrange(state: &AppState, entries: &mut [Entry]) -> Result<(), IpcError> {
    let order = lock(&state.settings)?.sort_order;
    let uses = match order {
        SortOrder::MostUsed | SortOrder::LastUsed => state.recent.uses(),
        _ => HashMap::new(),
    };
    order::arrange(entries, order, &uses);
    Ok(())
}

/// The account a form describes, checked.
fn account_from(source: AddSource) -> Result<Account, IpcError> {
    match source {
        AddSource::Uri { uri } => Ok(uri::parse(&uri)?),
        AddSource::Key {
            secret,
            issuer,
            label,
            otp_type,
            algorithm,
            digits,
            period,
            counter,
        } => {
            let secret = Secret::parse(&secret)?;
            // Counters come from JavaScript as numbers: whole, and exact below 2^53.
            if !(counter >= 0.0 && counter.fract() == 0.0 && counter <= 9_007_199_254_740_991.0) {
                return Err(IpcError::new(
                    ErrorCode::InvalidParams,
                    "the counter must be a whole number from 0",
                ));
            }
            let kind = match otp_type {
                OtpType::Totp => "totp",
                OtpType::Hotp => "hotp",
                OtpType::Steam => "steam",
            };
            let params =
                Params::from_values(kind, algorithm.into(), digits, period, counter as u64)?;
            Ok(Account {
                issuer: issuer.trim().to_owned(),
                label: label.trim().to_owned(),
                secret,
                params,
            })
        }
    }
}

/// Checks what the add form holds, as the user types: what would be added, or what is wrong.
#[tauri::command]
#[specta::specta]
pub fn preview_account(source: AddSource) -> Result<AddPreview, IpcError> {
    let account = account_from(source)?;
    Ok(AddPreview::of(&account, account.default_name()))
}

/// Adds an account (key to the keychain, then the index).
#[tauri::command]
#[specta::specta]
pub async fn add_account(
    state: AppStateRef<'_>,
    name: Option<String>,
    source: AddSource,
) -> Result<AccountView, IpcError> {
    let account = account_from(source)?;
    let state = state.inner().clone();
    blocking(move || {
        let name = name.filter(|n| !n.trim().is_empty());
        let entry = ipc(state.vault.add(name.as_deref(), &account, now_ms() / 1000))?;
        Ok(AccountView::from(&entry))
    })
    .await
}

/// Renames an account; returns its row as the list shows it now.
#[tauri::command]
#[specta::specta]
pub async fn rename_account(
    state: AppStateRef<'_>,
    id: String,
    name: String,
) -> Result<RowView, IpcError> {
    let state = state.inner().clone();
    blocking(move || Ok(RowView::from(&ipc(state.vault.rename(&id, &name))?))).await
}

/// Gives an account exactly these tags and this note (the details dialog).
#[tauri::command]
#[specta::specta]
pub async fn set_account_meta(
    state: AppStateRef<'_>,
    id: String,
    tags: Vec<String>,
    note: String,
) -> Result<AccountView, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        Ok(AccountView::from(&ipc(state
            .vault
            .set_meta(&id, &tags, &note))?))
    })
    .await
}

/// Adds and removes tags of several accounts at once (the window's selection); none changes
/// if any is refused. Returns the new list.
#[tauri::command]
#[specta::specta]
pub async fn tag_accounts(
    state: AppStateRef<'_>,
    ids: Vec<String>,
    add: Vec<String>,
    remove: Vec<String>,
) -> Result<RowTable, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        ipc(state.vault.tag_all(&ids, &add, &remove))?;
        arranged(&state, &mut ipc(state.vault.list())?)
    })
    .await
}

/// Pins an account (shown first, whatever the order) or unpins it.
#[tauri::command]
#[specta::specta]
pub async fn pin_account(
    state: AppStateRef<'_>,
    id: String,
    pinned: bool,
) -> Result<AccountView, IpcError> {
    let state = state.inner().clone();
    blocking(move || Ok(AccountView::from(&ipc(state.vault.pin(&id, pinned))?))).await
}

/// Moves an account to the trash (`Vault::remove`): its key stays in the keychain.
#[tauri::command]
#[specta::specta]
pub async fn remove_account(state: AppStateRef<'_>, id: String) -> Result<(), IpcError> {
    let state = state.inner().clone();
    blocking(move || ipc(state.vault.remove(&id)).map(|_| ())).await
}

/// Moves several accounts to the trash at once (the window's selection, after one
/// confirmation); none is moved if any is not found. Returns the new list.
#[tauri::command]
#[specta::specta]
pub async fn remove_accounts(
    state: AppStateRef<'_>,
    ids: Vec<String>,
) -> Result<RowTable, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        ipc(state.vault.remove_all(&ids))?;
        arranged(&state, &mut ipc(state.vault.list())?)
    })
    .await
}

/// The accounts in the trash ("Recently deleted"), the most recently removed first.
#[tauri::command]
#[specta::specta]
pub async fn trash_list(state: AppStateRef<'_>) -> Result<Vec<TrashedView>, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        Ok(ipc(state.vault.trash())?
            .iter()
            .map(TrashedView::from)
            .collect())
    })
    .await
}

/// Puts trashed accounts back (Undo, Restore) at their places; returns the new list.
#[tauri::command]
#[specta::specta]
pub async fn restore_from_trash(
    state: AppStateRef<'_>,
    ids: Vec<String>,
) -> Result<RowTable, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        ipc(state.vault.restore_from_trash(&ids))?;
        arranged(&state, &mut ipc(state.vault.list())?)
    })
    .await
}

/// Deletes trashed accounts for good, keys included ("Delete forever"); `null` empties the
/// trash. Returns how many were deleted.
#[tauri::command]
#[specta::specta]
pub async fn delete_from_trash(
    state: AppStateRef<'_>,
    ids: Option<Vec<String>>,
) -> Result<u32, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let deleted = ipc(state.vault.delete_from_trash(ids.as_deref()))?;
        Ok(u32::try_from(deleted.len()).unwrap_or(u32::MAX))
    })
    .await
}

/// Moves an account to `position` in the list as shown in the user's order (`Vault::move_to`);
/// returns the new list.
#[tauri::command]
#[specta::specta]
pub async fn move_account(
    state: AppStateRef<'_>,
    id: String,
    position: u32,
) -> Result<RowTable, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let mut entries = ipc(state.vault.move_to(&id, position as usize))?;
        arranged(&state, &mut entries)
    })
    .await
}

/// Reveals an account's key, its URI and a QR code of it: only on the user's explicit request.
#[tauri::command]
#[specta::specta]
pub async fn reveal_secret(state: AppStateRef<'_>, id: String) -> Result<Revealed, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let entry = ipc(state.vault.find(&id))?;
        let account = state.account(&entry)?;
        let uri = uri::format(&account);
        let qr_svg = qr_svg::render(&uri, 240).ok_or_else(|| {
            IpcError::new(ErrorCode::Internal, "the account is too long for a QR code")
        })?;
        Ok(Revealed {
            secret: sheet::grouped_key(&account),
            qr_svg,
        })
    })
    .await
}
