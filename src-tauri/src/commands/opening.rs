//! The window's first call: the lock's state and, unlocked, the settings and the first screen's
//! accounts with their codes, in one answer. Asked one after another, they cost the first code
//! three round trips through IPC after the page was up; and every account in that answer cost it
//! the time of sending and reading 10,000 (the window asks for the others once it is painted).

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use specta::Type;
use tauri::AppHandle;
use tessera_vault::Entry;
use tessera_vault::settings::Settings;

use super::accounts::arrange;
use super::blocking;
use super::codes::code_views;
use crate::dto::{CodeView, RowTable, RowView, group_key};
use crate::error::IpcError;
use crate::lock::{self, LockStatus};
use crate::state::{AppStateRef, ipc};
use crate::window::{self, Then};

/// The most codes the first answer carries: a tall window's first screen.
const MOST_FIRST_CODES: u32 = 200;

/// What the window starts with. Locked, only `lock`: no setting, account or code.
#[derive(Debug, Serialize, Type)]
pub struct Opening {
    pub lock: LockStatus,
    pub settings: Option<Settings>,
    /// The first `first_codes` accounts in the list's order, and their codes.
    pub accounts: RowTable,
    pub codes: Vec<CodeView>,
    /// Whether `accounts` holds them all (else `list_accounts` gives the others).
    pub complete: bool,
    /// What to do once open: the window was made anew for the tray's Scan or Settings, or for
    /// the shortcut.
    pub then: Option<Then>,
}

/// The window opens: see the module. `first_codes` is how many rows its first screen holds.
#[tauri::command]
#[specta::specta]
pub async fn open_window(
    app: AppHandle,
    state: AppStateRef<'_>,
    first_codes: u32,
) -> Result<Opening, IpcError> {
    let state = state.inner().clone();
    state
        .first_rows
        .store(first_codes, std::sync::atomic::Ordering::Relaxed);
    let then = window::take_then(&app);
    blocking(move || {
        let status = lock::status(&state);
        if status.locked {
            return Ok(Opening {
                lock: status,
                settings: None,
                accounts: RowTable::default(),
                codes: Vec::new(),
                complete: true,
                then: None,
            });
        }
        let settings = crate::state::lock(&state.settings)?.clone();
        let entries = match state.take_first_list(settings.sort_order) {
            Some(entries) => entries,
            None => {
                let mut entries = ipc(state.vault.list())?;
                arrange(&state, &mut entries)?;
                Arc::new(entries)
            }
        };
        state.keep_only(&entries)?;
        // Views of the first rows alone: at 10,000 accounts, making them all took 28 ms.
        let count = first_codes.min(MOST_FIRST_CODES) as usize;
        let first = first_in_order(&entries, settings.group_by_issuer, count);
        let complete = first.len() == entries.len();
        let ids = first.iter().map(|e| e.id.clone()).collect();
        let accounts: RowTable = first.into_iter().map(RowView::from).collect();
        let codes = code_views(&state, &entries, ids)?;
        Ok(Opening {
            lock: status,
            settings: Some(settings),
            complete,
            accounts,
            codes,
            then,
        })
    })
    .await
}

/// The first `count` rows as the window places them: in the list's order, or each issuer's
/// together where its first one was when grouping (list.ts, `listOrder`).
pub(crate) fn first_in_order(entries: &[Entry], grouping: bool, count: usize) -> Vec<&Entry> {
    if !grouping {
        return entries.iter().take(count).collect();
    }
    let mut order: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<Vec<&Entry>> = Vec::new();
    for account in entries {
        let at = *order.entry(group_key(&account.issuer)).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[at].push(account);
    }
    groups.into_iter().flatten().take(count).collect()
}

#[cfg(test)]
mod tests {
    use tessera_core::Params;

    use super::*;

    fn entries(issuers: &[&str]) -> Vec<Entry> {
        (0..issuers.len())
            .map(|i| {
                let (id, name) = (format!("{i:016x}"), format!("user{i}"));
                Entry::new(
                    id,
                    name,
                    issuers[i].into(),
                    "l".into(),
                    Params::default(),
                    0,
                )
            })
            .collect()
    }

    fn names(entries: Vec<&Entry>) -> Vec<&str> {
        entries.into_iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn the_first_rows_are_taken_in_the_windows_order() {
        let list = entries(&["AWS", "GitHub", " aws ", "Bank", "GitHub", "AWS"]);
        assert_eq!(
            names(first_in_order(&list, false, 4)),
            ["user0", "user1", "user2", "user3"]
        );
        // Grouped, each issuer's accounts come together where its first one was.
        assert_eq!(
            names(first_in_order(&list, true, 5)),
            ["user0", "user2", "user5", "user1", "user4"]
        );
        assert_eq!(first_in_order(&list, true, 100).len(), list.len());
        assert!(first_in_order(&list, false, 0).is_empty());
    }
}
