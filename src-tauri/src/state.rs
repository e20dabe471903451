//! What the app holds while it runs: the vault, the keys already read from the keychain (so
//! codes refresh without a keychain round trip each period), the HOTP codes on screen, and the
//! settings.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tessera_core::Account;
use tessera_vault::order::SortOrder;
use tessera_vault::recent::Recent;
use tessera_vault::settings::{Settings, SettingsFile};
use tessera_vault::{CachedStore, Entry, Keychain, Planned, SecretStore, Stamp, Vault, VaultError};

use crate::error::{ErrorCode, IpcError};

/// The keys the warm-up reads first, one by one: about the window's first screen (FIRST_ROWS in
/// ui/src/main.ts), until the window says how many rows it shows (`AppState::first_rows`).
const FIRST_SCREEN: u32 = 16;
/// Keys read together by the warm-up after the first screen.
const WARM_UP_BATCH: usize = 250;
/// The most keys the warm-up reads: those of the first rows in the window's order, so a vault
/// of up to 2000 accounts is read whole. Beyond, at 10,000 accounts, reading the rest took
/// gnome-keyring over a minute of searches at every start, and held each key for rows seldom
/// scrolled to, which read theirs when placed (a search each, about 9 ms at 10,000 items).
const WARM_UP_AT_MOST: usize = 2000;

/// How long after its page has loaded the window counts as up when it paints no code (it
/// starts hidden in the tray, or has no account).
const UP_AFTER_PAGE_LOAD: Duration = Duration::from_secs(1);

/// The longest the start's later work waits for the window to be up.
const UP_AT_THE_LATEST: Duration = Duration::from_secs(5);

/// The app's vault: keys read once from the keychain, then from memory (`CachedStore`).
pub type AppVault = Vault<CachedStore<Keychain>>;

/// Accounts a scan or an import found (as the vault planned them), waiting for the user to
/// confirm them.
pub struct PendingScan {
    pub id: u32,
    pub planned: Vec<Planned>,
}

/// A backup file chosen for import, until it is read (`open_import`) or another is chosen.
pub struct PendingImport {
    pub format: tessera_core::backup::Format,
    pub bytes: tessera_core::Sensitive<Vec<u8>>,
}

/// How a command receives the app's state.
pub type AppStateRef<'a> = tauri::State<'a, Arc<AppState>>;

pub struct AppState {
    pub vault: AppVault,
    /// The HOTP code each account shows, after the user asked for one.
    pub hotp_shown: Mutex<HashMap<String, String>>,
    /// The settings as last loaded or saved, and their file (shared with the CLI).
    pub settings: Mutex<Settings>,
    settings_file: SettingsFile,
    /// What the last scan found, until added or discarded (keys zeroed when dropped).
    pub pending_scan: Mutex<Option<PendingScan>>,
    /// The backup chosen for import, until read.
    pub pending_import: Mutex<Option<PendingImport>>,
    /// The accounts used most recently, for the tray.
    pub recent: Recent,
    /// Why the global shortcut could not be had, for Settings to say.
    pub shortcut_problem: Mutex<Option<String>>,
    scans: std::sync::atomic::AtomicU32,
    /// When the process started Tessera, for the start-up benchmark.
    pub started: Instant,
    /// Whether the window is up (see [`AppState::wait_for_window`]), and its signal.
    window_up: (Mutex<bool>, Condvar),
    /// The app lock (`crate::lock`): locked at start when a lock is set.
    pub lock: crate::lock::LockState,
    /// The warm-up's list, arranged, for the window's first answer ([`AppState::take_first_list`]).
    first_list: Mutex<Option<FirstList>>,
    /// The rows the window's first screen holds, once its first call said so: the warm-up's
    /// reads one by one stop there (at 10,000 items each is a gnome-keyring search of its own,
    /// which the window's first answer would queue behind).
    pub first_rows: AtomicU32,
}

/// The accounts as the start read and arranged them, and from what.
struct FirstList {
    stamp: Stamp,
    sort_order: SortOrder,
    entries: Arc<Vec<Entry>>,
}

/// Locks a mutex, treating a poisoned one (a panic elsewhere) as an internal error.
pub fn lock<T>(m: &Mutex<T>) -> Result<MutexGuard<'_, T>, IpcError> {
    m.lock().map_err(|_| {
        IpcError::new(
            ErrorCode::Internal,
            "internal state is unusable after an earlier failure",
        )
    })
}

impl AppState {
    pub fn new(vault: AppVault, settings_file: SettingsFile, started: Instant) -> Self {
        let settings = settings_file.load();
        let locked = settings.lock_method != tessera_vault::settings::LockMethod::Off;
        Self {
            recent: Recent::new(vault.dir().to_owned()),
            vault,
            hotp_shown: Mutex::default(),
            settings: Mutex::new(settings),
            settings_file,
            pending_scan: Mutex::default(),
            pending_import: Mutex::default(),
            shortcut_problem: Mutex::default(),
            scans: std::sync::atomic::AtomicU32::new(0),
            started,
            window_up: (Mutex::new(false), Condvar::new()),
            lock: crate::lock::LockState::new(locked),
            first_list: Mutex::default(),
            first_rows: AtomicU32::new(FIRST_SCREEN),
        }
    }

    /// Drops what the app holds of the accounts' secrets (on lock): the keys read (zeroed), the
    /// HOTP codes shown, a scan or an import waiting to be confirmed.
    pub fn forget_secrets(&self) {
        self.vault.secrets().keep_only(&[]);
        if let Ok(mut shown) = self.hotp_shown.lock() {
            shown.clear();
        }
        if let Ok(mut scan) = self.pending_scan.lock() {
            *scan = None;
        }
        if let Ok(mut import) = self.pending_import.lock() {
            *import = None;
        }
    }

    /// The whole account, its key from the cache or else the keychain.
    pub fn account(&self, entry: &Entry) -> Result<Account, IpcError> {
        ipc(self.vault.account(entry))
    }

    /// A new scan's id.
    pub fn next_scan_id(&self) -> u32 {
        self.scans.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1
    }

    /// Reads the accounts' keys into the cache, in the window's order: the first screenful one by
    /// one, then (after the icon matcher's tables) once the window is up, the trash's expired
    /// accounts purged, the others up to [`WARM_UP_AT_MOST`] in batches, the memory freed given
    /// back after each.
    /// gnome-keyring answers in turn and works as hard as WebKit while the window starts, so a
    /// batch over every item would hold back the first screen's codes. Failures are left for
    /// the codes command to report, account by account.
    pub fn warm_up(&self) {
        // Locked, the app holds no key: they are read once it is unlocked.
        if self.lock.is_locked() {
            return;
        }
        let Some((entries, grouping)) = self.keep_first_list() else {
            return;
        };
        let in_order =
            crate::commands::opening::first_in_order(&entries, grouping, WARM_UP_AT_MOST);
        // The rows the window shows first, one by one: at 10,000 items in gnome-keyring each key
        // is a 9 ms search, and the keys of rows not on screen only held back those on it. Their
        // count read at each key, not once: the window's first call may say how many rows it
        // shows while this loop runs.
        let mut first_ids = Vec::new();
        for (read, entry) in (0u32..).zip(in_order.iter().take(FIRST_SCREEN as usize)) {
            if read >= self.first_rows.load(Ordering::Relaxed) {
                break;
            }
            let _ = self.account(entry);
            first_ids.push(entry.id.clone());
        }
        // The batches need the ids alone: the entries (5 MB at 10,000) go with the first list.
        let ids: Vec<String> = in_order.iter().map(|e| e.id.clone()).collect();
        drop(in_order);
        drop(entries);
        tessera_core::icons::warm();
        self.wait_for_window();
        // So that the next start finds these keys without a search through the keychain.
        let first_ids: Vec<&str> = first_ids.iter().map(String::as_str).collect();
        self.vault.secrets().remember_where(&first_ids);
        // Taken by the window's first answer by now, or of no use: a list read long ago.
        if let Ok(mut first) = self.first_list.lock() {
            *first = None;
        }
        // Accounts removed over 30 days ago are deleted for good at start, as the CLI does; once
        // the window is up, as reading the index again cost the first code 30 ms at 10,000.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let _ = self.vault.purge_expired_trash(now);
        // In batches (the keys already read are not read again): the codes asked for meanwhile
        // (rows scrolled to) wait for one batch at most, not for 10,000 keys, and the replies
        // held at once stay small.
        for batch in ids.chunks(WARM_UP_BATCH) {
            let batch: Vec<&str> = batch.iter().map(String::as_str).collect();
            let _ = self.vault.secrets().load_all(&batch);
            // What the start freed (the first lists, the window's first answers, the batch's
            // replies) goes back to the system, not only to this thread's next allocations.
            crate::memory::give_back();
        }
    }

    /// Reads and arranges the accounts, and keeps them for the window's first answer; with
    /// whether the window groups them.
    fn keep_first_list(&self) -> Option<(Arc<Vec<Entry>>, bool)> {
        let (mut entries, stamp) = self.vault.list_stamped().ok()?;
        let (sort_order, grouping) = lock(&self.settings)
            .map(|s| (s.sort_order, s.group_by_issuer))
            .ok()?;
        crate::commands::accounts::arrange(self, &mut entries).ok()?;
        let entries = Arc::new(entries);
        if let (Some(stamp), Ok(mut first)) = (stamp, self.first_list.lock()) {
            *first = Some(FirstList {
                stamp,
                sort_order,
                entries: entries.clone(),
            });
        }
        Some((entries, grouping))
    }

    /// The accounts the warm-up read and arranged, once, if the index and the sort order are
    /// still what they were then: the window's first answer then reads the index once, not
    /// twice (at 10,000 accounts a read costs 20-30 ms, and came before the first code).
    pub fn take_first_list(&self, sort_order: SortOrder) -> Option<Arc<Vec<Entry>>> {
        let first = self.first_list.lock().ok()?.take()?;
        (first.sort_order == sort_order && self.vault.index_stamp() == Some(first.stamp))
            .then_some(first.entries)
    }

    /// The window is up: it painted its first code (`first_code_painted`), or its page loaded
    /// [`UP_AFTER_PAGE_LOAD`] ago (`page_loaded`).
    pub fn window_is_up(&self) {
        let (up, signal) = &self.window_up;
        if let Ok(mut up) = up.lock() {
            *up = true;
            signal.notify_all();
        }
    }

    /// The window's page has loaded: it counts as up a moment later, if its first code has not
    /// said so already.
    pub fn page_loaded(self: &Arc<Self>) {
        let state = self.clone();
        std::thread::spawn(move || {
            std::thread::sleep(UP_AFTER_PAGE_LOAD);
            state.window_is_up();
        });
    }

    /// Waits until the window is up, [`UP_AT_THE_LATEST`] at most. What the start does after
    /// this waits so as not to slow the first code: the batch read of the keys below the first
    /// screen (`warm_up`), the global shortcut (`shortcut::at_start`).
    pub fn wait_for_window(&self) {
        let (up, signal) = &self.window_up;
        if let Ok(guard) = up.lock() {
            let _ = signal.wait_timeout_while(guard, UP_AT_THE_LATEST, |up| !*up);
        }
    }

    /// Forgets what is kept about accounts no longer in the vault.
    pub fn keep_only(&self, entries: &[Entry]) -> Result<(), IpcError> {
        let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        self.vault.secrets().keep_only(&ids);
        lock(&self.hotp_shown)?.retain(|id, _| ids.contains(&id.as_str()));
        Ok(())
    }

    /// Now, in Unix milliseconds, for codes: this clock moved by the correction the user chose
    /// to use, if any.
    pub fn code_time_ms(&self) -> u64 {
        let correction = self
            .settings
            .lock()
            .map(|s| s.clock_correction_seconds)
            .unwrap_or_default();
        tessera_vault::clock::corrected_unix_ms(correction)
    }

    /// The settings as the file holds them now (the CLI may have changed it).
    pub fn settings_on_disk(&self) -> Settings {
        self.settings_file.load()
    }

    /// Saves the settings (atomically, in the config directory the CLI reads too), then uses
    /// them. A failure changes neither.
    pub fn save_settings(&self, settings: Settings) -> Result<(), IpcError> {
        ipc(self.settings_file.save(&settings))?;
        *lock(&self.settings)? = settings;
        self.lock.changed();
        Ok(())
    }
}

/// Converts a vault result, for commands.
pub fn ipc<T>(r: Result<T, VaultError>) -> Result<T, IpcError> {
    r.map_err(IpcError::from)
}

#[cfg(test)]
mod tests {
    use tessera_core::Params;
    use tessera_vault::index::{Accounts, IndexFile};

    use super::*;

    fn write_index(dir: &std::path::Path, names: &[&str]) {
        let index = IndexFile::new(dir.to_owned());
        let mut accounts = Accounts::default();
        for (i, name) in names.iter().enumerate() {
            let (id, name) = (format!("{i:016x}"), (*name).to_owned());
            let entry = Entry::new(
                id,
                name,
                "Issuer".into(),
                "label".into(),
                Params::default(),
                0,
            );
            accounts.entries.push(entry);
        }
        index.write(&accounts, &index.lock().unwrap()).unwrap();
    }

    fn names(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn the_first_list_is_taken_once_and_only_while_current() {
        let home = tempfile::tempdir().unwrap();
        let data = home.path().join("data");
        write_index(&data, &["Bravo", "Alpha"]);
        let vault = Vault::new(data.clone(), CachedStore::new(Keychain::new()));
        let state = AppState::new(
            vault,
            SettingsFile::new(home.path().join("config")),
            Instant::now(),
        );
        let order = lock(&state.settings).unwrap().sort_order;

        let (kept, _) = state.keep_first_list().unwrap();
        let taken = state.take_first_list(order).expect("nothing changed");
        assert!(Arc::ptr_eq(&kept, &taken));
        assert_eq!(state.take_first_list(order), None, "taken once");

        state.keep_first_list().unwrap();
        let other = [SortOrder::Name, SortOrder::Issuer]
            .into_iter()
            .find(|o| *o != order)
            .unwrap();
        assert_eq!(state.take_first_list(other), None, "sorted another way");

        state.keep_first_list().unwrap();
        write_index(&data, &["Bravo", "Alpha", "Charlie"]);
        assert_eq!(state.take_first_list(order), None, "the index changed");
        state.keep_first_list().unwrap();
        let taken = state.take_first_list(order).unwrap();
        assert_eq!(names(&taken).len(), 3);
    }
}
