//! The vault's operations: list, find, add, rename, remove, and taking codes (which advances
//! HOTP counters). Each change is one locked read-modify-write of the index, with the keychain
//! written in the order that never loses an account (see the crate docs).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use ring::rand::{SecureRandom, SystemRandom};
use tessera_core::backup::Item;
use tessera_core::meta::Meta;
use tessera_core::{Account, Kind, Secret, resync};

use crate::error::{KeychainError, VaultError};
use crate::index::{Entry, IndexFile, Stamp};
use crate::keychain::Keychain;
use crate::names;
use crate::order::{self, SortOrder};
use crate::plan::{self, Change, Existing, Planned};
use crate::secrets::SecretStore;
use crate::tags;

/// Whether an account's secret key is in the keychain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretState {
    Present,
    Missing,
}

/// The accounts in one data directory, with their keys in one secret store.
#[derive(Debug)]
pub struct Vault<S: SecretStore = Keychain> {
    pub(crate) index: IndexFile,
    secrets: S,
}

/// The user's data directory for Tessera (`$XDG_DATA_HOME/tessera` on Linux,
/// `~/Library/Application Support/Tessera` on macOS, `%APPDATA%\Tessera\data` on Windows).
pub fn default_dir() -> Result<PathBuf, VaultError> {
    directories::ProjectDirs::from("", "", "Tessera")
        .map(|dirs| dirs.data_dir().to_owned())
        .ok_or(VaultError::NoDataDir)
}

impl Vault<Keychain> {
    /// The user's vault: the platform data directory and the OS keychain. Connects to nothing
    /// until a key is needed.
    pub fn open_default() -> Result<Self, VaultError> {
        Ok(Self::new(default_dir()?, Keychain::new()))
    }
}

/// The label of an account's keychain item, as a person sees it in Seahorse or Keychain Access.
pub(crate) fn keychain_label(name: &str) -> String {
    format!("Tessera: {name}")
}

/// A new account id: 64 random bits in hex. Ids are never reused or shown in place of names.
pub(crate) fn new_id() -> Result<String, VaultError> {
    let mut bytes = [0u8; 8];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| KeychainError::Failed {
            detail: "the system random generator failed".into(),
        })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl<S: SecretStore> Vault<S> {
    pub fn new(dir: PathBuf, secrets: S) -> Self {
        Self {
            index: IndexFile::new(dir),
            secrets,
        }
    }

    /// The directory holding the index.
    pub fn dir(&self) -> &Path {
        self.index.dir()
    }

    pub(crate) fn index(&self) -> &IndexFile {
        &self.index
    }

    pub fn secrets(&self) -> &S {
        &self.secrets
    }

    /// Every account, in display order. Reads only the index: no keychain access.
    pub fn list(&self) -> Result<Vec<Entry>, VaultError> {
        Ok(self.index.read()?.entries)
    }

    /// The accounts, with the stamp of the index they were read from, for a caller that keeps
    /// them a while and asks later whether they are still current ([`Vault::index_stamp`]).
    pub fn list_stamped(&self) -> Result<(Vec<Entry>, Option<Stamp>), VaultError> {
        let (accounts, stamp) = self.index.read_stamped()?;
        Ok((accounts.entries, stamp))
    }

    /// The stamp of the index as it is now (see [`Stamp`]).
    pub fn index_stamp(&self) -> Option<Stamp> {
        self.index.stamp()
    }

    /// The account a NAME or ID means (see `names::find`).
    pub fn find(&self, query: &str) -> Result<Entry, VaultError> {
        let accounts = self.index.read()?;
        names::find(&accounts.entries, query).cloned()
    }

    /// The account with the id `id`, by id alone (a name that happens to equal it means
    /// nothing here, as it does to [`Vault::find`]).
    pub fn entry(&self, id: &str) -> Result<Entry, VaultError> {
        let accounts = self.index.read()?;
        accounts
            .entries
            .into_iter()
            .find(|e| e.id == id)
            .ok_or_else(|| VaultError::not_found(id))
    }

    /// Adds an account under `name`, or under a default name from its issuer and label (made
    /// unique with " 2", " 3"...). The key goes to the keychain first; if anything fails after
    /// that, it is deleted again and nothing is changed.
    pub fn add(
        &self,
        name: Option<&str>,
        account: &Account,
        now: u64,
    ) -> Result<Entry, VaultError> {
        let mut added = self.add_many(&[(name.map(str::to_owned), account.clone())], now)?;
        added
            .pop()
            .ok_or_else(|| VaultError::not_found(&account.default_name()))
    }

    /// Adds several accounts, all or none: every key is written to the keychain first, then the
    /// index once. If a name is taken or invalid, or any write fails, the keys written are
    /// deleted again and the vault is as it was. Accounts without a name get default names,
    /// unique among themselves too.
    pub fn add_many(
        &self,
        items: &[(Option<String>, Account)],
        now: u64,
    ) -> Result<Vec<Entry>, VaultError> {
        self.add_many_with_progress(items, now, &mut |_, _| {})
    }

    /// [`Self::add_many`], calling `progress(written, total)` after each key is written to the
    /// keychain (the slow part: a few milliseconds each), for a progress bar.
    pub fn add_many_with_progress(
        &self,
        items: &[(Option<String>, Account)],
        now: u64,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<Entry>, VaultError> {
        let changes: Vec<Change> = items
            .iter()
            .map(|(name, account)| Change::add(name.clone(), account.clone()))
            .collect();
        self.apply(&changes, now, progress)
    }

    /// Carries out changes planned by [`Vault::plan`], all or none, and returns the accounts as
    /// they now are, in the order of `changes`.
    ///
    /// Every key goes to the keychain first, each as a new item (a replaced account gets a new
    /// id with it, so its old key is still there), then the index is written once, then the old
    /// keys of replaced accounts are deleted. A failure before the index is written deletes the
    /// new keys again: the vault is as it was, every replaced account whole with its old key. A
    /// crash leaves at worst a keychain item no account points to (`doctor` finds it).
    pub fn apply(
        &self,
        changes: &[Change],
        now: u64,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<Entry>, VaultError> {
        // Nothing to do (an import of duplicates only): not even an index write.
        if changes.is_empty() {
            return Ok(Vec::new());
        }
        let chosen: Vec<Option<String>> = changes
            .iter()
            .map(|change| match change {
                Change::Add { name, .. } => name.as_deref().map(names::validate).transpose(),
                Change::Replace { .. } => Ok(None),
            })
            .collect::<Result<_, _>>()?;
        let metas: Vec<Meta> = changes
            .iter()
            .map(|change| match change {
                Change::Add { meta, .. } | Change::Replace { meta, .. } => tags::checked(meta),
            })
            .collect::<Result<_, _>>()?;
        // Fail fast, before the slow keychain writes, on names taken or given twice and on
        // accounts to replace that are gone.
        let before = self.index.read()?;
        Self::check_changes(&before.entries, changes, &chosen)?;
        let labels = Self::name_all(&before.entries, changes, &chosen);
        let written: Vec<String> = changes.iter().map(|_| new_id()).collect::<Result<_, _>>()?;
        let keychain_labels: Vec<String> = labels.iter().map(|l| keychain_label(l)).collect();
        let items: Vec<(&str, &str, &Secret)> = written
            .iter()
            .zip(&keychain_labels)
            .zip(changes)
            .map(|((id, label), change)| (id.as_str(), label.as_str(), &change.account().secret))
            .collect();
        // Held until the index is written, so `doctor --fix` never takes these keys for orphans.
        let mut in_flight = None;
        let stored = (|| {
            // The first key alone, then the writers' lock: taken once the keychain has
            // answered, so that an unreachable one leaves no vault directory behind. The first
            // key is stored again under it, with the others, in case `doctor --fix` took it for
            // an orphan just before.
            if let Some((id, label, secret)) = items.first() {
                self.secrets.store(id, label, secret)?;
            }
            in_flight = Some(self.index.keys_in_flight()?);
            let total = items.len();
            self.secrets
                .store_all(&items, &mut |done| progress(done, total))?;
            Ok::<_, VaultError>(())
        })();
        let done = stored.and_then(|()| {
            let lock = self.index.lock()?;
            let mut accounts = self.index.read()?;
            // Another writer may have taken a name or removed an account since the first check.
            Self::check_changes(&accounts.entries, changes, &chosen)?;
            let names = Self::name_all(&accounts.entries, changes, &chosen);
            let mut done = Vec::with_capacity(changes.len());
            let mut replaced = Vec::new();
            for (((change, name), new_id), meta) in
                changes.iter().zip(names).zip(&written).zip(&metas)
            {
                let account = change.account();
                match change {
                    Change::Add { .. } => {
                        let mut entry = Entry::new(
                            new_id.clone(),
                            name,
                            account.issuer.clone(),
                            account.label.clone(),
                            account.params,
                            now,
                        );
                        entry.meta = meta.clone();
                        accounts.entries.push(entry.clone());
                        done.push(entry);
                    }
                    Change::Replace { id, .. } => {
                        let Some(entry) = accounts.entries.iter_mut().find(|e| &e.id == id) else {
                            return Err(VaultError::not_found(id));
                        };
                        replaced.push(std::mem::replace(&mut entry.id, new_id.clone()));
                        entry.issuer = account.issuer.clone();
                        entry.label = account.label.clone();
                        entry.params = account.params;
                        tags::merge(&mut entry.meta, meta);
                        done.push(entry.clone());
                    }
                }
            }
            self.index.write(&accounts, &lock)?;
            Ok((done, replaced))
        });
        match done {
            Err(e) => {
                for id in &written {
                    let _ = self.secrets.delete(id);
                }
                Err(e)
            }
            Ok((done, replaced)) => {
                // The accounts are changed; what follows only tidies up. An old key that can't be
                // deleted is an orphan item for `doctor`, never a broken account.
                for id in &replaced {
                    let _ = self.secrets.delete(id);
                }
                for (entry, label) in done.iter().zip(&labels) {
                    if &entry.name != label {
                        let _ = self
                            .secrets
                            .relabel(&entry.id, &keychain_label(&entry.name));
                    }
                }
                self.after_change();
                Ok(done)
            }
        }
    }

    /// Refuses chosen names that are taken, or given to two of the new accounts, and
    /// replacements of accounts that are not in the vault (or replaced twice).
    fn check_changes(
        entries: &[Entry],
        changes: &[Change],
        chosen: &[Option<String>],
    ) -> Result<(), VaultError> {
        for (i, name) in chosen.iter().enumerate() {
            let Some(name) = name else { continue };
            let twice = chosen[..i]
                .iter()
                .flatten()
                .any(|other| names::same(other, name));
            if twice || names::is_taken(entries, name, None) {
                return Err(VaultError::NameTaken(name.clone()));
            }
        }
        for (i, change) in changes.iter().enumerate() {
            let Change::Replace { id, .. } = change else {
                continue;
            };
            let twice = changes[..i]
                .iter()
                .any(|c| matches!(c, Change::Replace { id: other, .. } if other == id));
            if twice || !entries.iter().any(|e| &e.id == id) {
                return Err(VaultError::not_found(id));
            }
        }
        Ok(())
    }

    /// The name each account will have: a replaced account keeps its own; a new one gets its
    /// chosen name, or a default name unique among the existing accounts, the chosen names and
    /// the defaults given before it.
    fn name_all(entries: &[Entry], changes: &[Change], chosen: &[Option<String>]) -> Vec<String> {
        let mut taken: Vec<String> = entries.iter().map(|e| e.name.clone()).collect();
        taken.extend(chosen.iter().flatten().cloned());
        changes
            .iter()
            .zip(chosen)
            .map(|(change, name)| match (change, name) {
                (Change::Replace { id, .. }, _) => entries
                    .iter()
                    .find(|e| &e.id == id)
                    .map(|e| e.name.clone())
                    .unwrap_or_default(),
                (Change::Add { .. }, Some(name)) => name.clone(),
                (Change::Add { account, .. }, None) => {
                    let name = names::unique(&taken, &names::default_name(account));
                    taken.push(name.clone());
                    name
                }
            })
            .collect()
    }

    /// After a change to the index: sync sends it to the other devices (taking in what they
    /// sent), then the automatic backup is written. Neither fails the change.
    pub(crate) fn after_change(&self) {
        // Never fails the change: what is not purged now is at the next change or start.
        let _ = self.purge_expired_trash(crate::trash::unix_now());
        self.sync_after_change();
        self.backup_after_change();
    }

    /// Renames an account; everything else stays as it was.
    pub fn rename(&self, query: &str, new_name: &str) -> Result<Entry, VaultError> {
        let new_name = names::validate(new_name)?;
        let lock = self.index.lock()?;
        let mut accounts = self.index.read()?;
        let id = names::find(&accounts.entries, query)?.id.clone();
        if names::is_taken(&accounts.entries, &new_name, Some(&id)) {
            return Err(VaultError::NameTaken(new_name));
        }
        let mut renamed = None;
        let mut old_name = String::new();
        for entry in accounts.entries.iter_mut().filter(|e| e.id == id) {
            old_name = std::mem::replace(&mut entry.name, new_name.clone());
            renamed = Some(entry.clone());
        }
        // The keychain item's label first: a keychain that can't take it (locked, gone in the
        // middle) fails the rename before anything changed, rather than leaving the old label.
        self.secrets.relabel(&id, &keychain_label(&new_name))?;
        if let Err(e) = self.index.write(&accounts, &lock) {
            let _ = self.secrets.relabel(&id, &keychain_label(&old_name));
            return Err(e);
        }
        drop(lock);
        self.after_change();
        renamed.ok_or_else(|| VaultError::not_found(query))
    }

    /// Removes an account to the trash (see [`crate::trash`]): its key stays in the keychain.
    pub fn remove(&self, query: &str) -> Result<Entry, VaultError> {
        let mut removed = self.remove_all(&[query.to_owned()])?;
        removed.pop().ok_or_else(|| VaultError::not_found(query))
    }

    /// [`Vault::remove`] of several accounts at once (the window's selection), in one write of
    /// the index: if any of them is not found, none is removed. Returns them, in the index's
    /// order.
    pub fn remove_all(&self, queries: &[String]) -> Result<Vec<Entry>, VaultError> {
        if queries.is_empty() {
            return Ok(Vec::new());
        }
        let lock = self.index.lock()?;
        let mut accounts = self.index.read()?;
        let ids = Self::ids_of(&accounts.entries, queries)?;
        let removed = crate::trash::move_to_trash(&mut accounts, &ids, crate::trash::unix_now());
        self.index.write(&accounts, &lock)?;
        drop(lock);
        self.after_change();
        Ok(removed)
    }

    /// Deletes accounts for good, skipping the trash: from the index first, then their keys
    /// from the keychain. The keychain is reached before anything changes, so an unreachable
    /// keychain changes nothing; if any is not found, none is deleted.
    pub fn delete_for_good(&self, queries: &[String]) -> Result<Vec<Entry>, VaultError> {
        if queries.is_empty() {
            return Ok(Vec::new());
        }
        let lock = self.index.lock()?;
        let mut accounts = self.index.read()?;
        let ids = Self::ids_of(&accounts.entries, queries)?;
        let (removed, kept): (Vec<Entry>, Vec<Entry>) = accounts
            .entries
            .into_iter()
            .partition(|e| ids.contains(&e.id));
        let removed_ids: Vec<&str> = removed.iter().map(|e| e.id.as_str()).collect();
        self.secrets.load_all(&removed_ids)?;
        accounts.entries = kept;
        self.index.write(&accounts, &lock)?;
        drop(lock);
        // Every key is tried: one the keychain refuses does not keep the others.
        let deleted: Vec<_> = removed_ids
            .iter()
            .map(|id| self.secrets.delete(id))
            .collect();
        self.after_change();
        match deleted.into_iter().find_map(Result::err) {
            Some(e) => Err(e.into()),
            None => Ok(removed),
        }
    }

    /// The ids of the accounts `queries` name, or the first that names none.
    fn ids_of(entries: &[Entry], queries: &[String]) -> Result<HashSet<String>, VaultError> {
        queries
            .iter()
            .map(|query| names::find(entries, query).map(|e| e.id.clone()))
            .collect()
    }

    /// Moves an account to `position` in the user's order as shown, pinned accounts first (the
    /// end if beyond it): it takes the index place of the account shown there, so that it lands
    /// where it was dropped with pins above it. Returns the new index order.
    pub fn move_to(&self, query: &str, position: usize) -> Result<Vec<Entry>, VaultError> {
        let lock = self.index.lock()?;
        let mut accounts = self.index.read()?;
        let id = names::find(&accounts.entries, query)?.id.clone();
        let mut shown = accounts.entries.clone();
        order::arrange(&mut shown, SortOrder::Manual, &HashMap::new());
        let target = shown
            .get(position)
            .and_then(|t| accounts.entries.iter().position(|e| e.id == t.id))
            .unwrap_or(accounts.entries.len());
        let from = accounts
            .entries
            .iter()
            .position(|e| e.id == id)
            .unwrap_or_default();
        let entry = accounts.entries.remove(from);
        let to = target.min(accounts.entries.len());
        accounts.entries.insert(to, entry);
        self.index.write(&accounts, &lock)?;
        drop(lock);
        self.after_change();
        Ok(accounts.entries)
    }

    /// The whole account of an index entry, with its key from the keychain.
    pub fn account(&self, entry: &Entry) -> Result<Account, VaultError> {
        let secret = self
            .secrets
            .load(&entry.id)?
            .ok_or_else(|| VaultError::SecretMissing {
                name: entry.name.clone(),
            })?;
        Ok(entry.account(secret))
    }

    /// The whole accounts of index entries, in order, their keys read at once (one batch on the
    /// Secret Service): `None` where the key is missing from the keychain.
    pub fn accounts(&self, entries: &[Entry]) -> Result<Vec<Option<Account>>, VaultError> {
        let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        let keys = self.secrets.load_all(&ids)?;
        Ok(entries
            .iter()
            .zip(keys)
            .map(|(entry, key)| key.map(|secret| entry.account(secret)))
            .collect())
    }

    /// What adding `items` would do ([`plan::plan`]), next to the accounts in the vault: their
    /// keys are read all at once (through the store, so a cached store reads none twice), and
    /// nothing is changed.
    pub fn plan(&self, items: Vec<Item>) -> Result<Vec<Planned>, VaultError> {
        let entries = self.list()?;
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let existing: Vec<Existing> = entries
            .iter()
            .zip(self.accounts(&entries)?)
            .map(|(entry, account)| Existing { entry, account })
            .collect();
        Ok(plan::plan(&existing, items))
    }

    /// Whether each entry's key is in the keychain, the keys read at once.
    pub fn secret_states(&self, entries: &[Entry]) -> Result<Vec<SecretState>, VaultError> {
        Ok(self
            .accounts(entries)?
            .iter()
            .map(|account| match account {
                Some(_) => SecretState::Present,
                None => SecretState::Missing,
            })
            .collect())
    }

    /// The account to take codes from. For HOTP, `count` codes are taken: the counter is
    /// advanced by `count` and saved before the codes are returned, so no code is ever shown
    /// twice. The returned account has the counter of the first code taken. Time-based
    /// accounts are only read.
    pub fn take_codes(&self, query: &str, count: u64) -> Result<(Entry, Account), VaultError> {
        let entry = self.find(query)?;
        if !matches!(entry.params.kind, Kind::Hotp { .. }) {
            let account = self.account(&entry)?;
            return Ok((entry, account));
        }
        let (taken, account, ()) = self.move_counter(&entry, |taken, _, counter| {
            let moved = counter
                .checked_add(count)
                .ok_or_else(|| VaultError::CounterExhausted {
                    name: taken.name.clone(),
                })?;
            Ok((moved, ()))
        })?;
        Ok((taken, account))
    }

    /// Moves an HOTP account's counter to where `to` says, from the entry and account as stored
    /// (found again under the writers' lock, by id: the counter may have moved since), and
    /// saves it. Returns the entry and account as they were, and what `to` gave besides.
    pub(crate) fn move_counter<T>(
        &self,
        entry: &Entry,
        to: impl FnOnce(&Entry, &Account, u64) -> Result<(u64, T), VaultError>,
    ) -> Result<(Entry, Account, T), VaultError> {
        let lock = self.index.lock()?;
        let mut accounts = self.index.read()?;
        let Some(stored) = accounts.entries.iter_mut().find(|e| e.id == entry.id) else {
            return Err(VaultError::not_found(&entry.id));
        };
        let before = stored.clone();
        let account = self.account(&before)?;
        let Kind::Hotp { counter } = &mut stored.params.kind else {
            return Err(resync::ResyncError::NotCounted.into());
        };
        let (moved, besides) = to(&before, &account, *counter)?;
        *counter = moved;
        self.index.write(&accounts, &lock)?;
        drop(lock);
        self.after_change();
        Ok((before, account, besides))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! The vault's logic over the in-memory store. Keychain behaviour itself is tested against a
    //! real Secret Service in tests/keychain.rs.

    use std::sync::atomic::Ordering;

    use tessera_core::{Params, Secret, uri};

    use super::*;
    use crate::secrets::MemoryStore;

    pub(crate) fn vault() -> (tempfile::TempDir, Vault<MemoryStore>) {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::new(dir.path().join("tessera"), MemoryStore::default());
        (dir, vault)
    }

    pub(crate) fn account(uri_text: &str) -> Account {
        uri::parse(uri_text).unwrap()
    }

    const AWS: &str = "otpauth://totp/Amazon%20Web%20Services:admin@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services";

    #[test]
    fn add_list_find_and_codes() {
        let (_dir, vault) = vault();
        let a = vault
            .add(Some("staging-tester-07"), &account(AWS), 100)
            .unwrap();
        let b = vault.add(None, &account(AWS), 200).unwrap();
        assert_eq!(b.name, "Amazon Web Services (admin@123456789012)");
        let c = vault.add(None, &account(AWS), 300).unwrap();
        assert_eq!(c.name, "Amazon Web Services (admin@123456789012) 2");
        let names: Vec<_> = vault.list().unwrap().into_iter().map(|e| e.name).collect();
        assert_eq!(names, [a.name.clone(), b.name.clone(), c.name.clone()]);
        assert_eq!(vault.find("STAGING").unwrap(), a);
        assert_eq!(vault.entry(&b.id).unwrap(), b);
        assert!(matches!(
            vault.entry("staging-tester-07"),
            Err(VaultError::NotFound { .. })
        ));
        assert_eq!(a.created, 100);
        assert_eq!(
            vault.secrets().label(&a.id).as_deref(),
            Some("Tessera: staging-tester-07")
        );
        let (_, acc) = vault.take_codes("staging-tester-07", 1).unwrap();
        assert_eq!(acc.code_at(59), account(AWS).code_at(59));
        assert_ne!(a.id, b.id);
    }

    #[test]
    fn names_are_unique_and_rename_keeps_the_rest() {
        let (_dir, vault) = vault();
        let a = vault.add(Some("Prod"), &account(AWS), 1).unwrap();
        vault.add(Some("Staging"), &account(AWS), 2).unwrap();
        assert!(matches!(
            vault.add(Some("prod"), &account(AWS), 3),
            Err(VaultError::NameTaken(_))
        ));
        assert_eq!(
            vault.secrets().len(),
            2,
            "a refused add leaves no key behind"
        );
        assert!(matches!(
            vault.rename("Staging", "PROD"),
            Err(VaultError::NameTaken(_))
        ));
        let renamed = vault.rename("Prod", "prod-eu").unwrap();
        let mut expected = a.clone();
        expected.name = "prod-eu".into();
        assert_eq!(renamed, expected);
        assert_eq!(
            vault.secrets().label(&a.id).as_deref(),
            Some("Tessera: prod-eu")
        );
        // Renaming to a different case of its own name is allowed.
        assert_eq!(vault.rename("prod-eu", "Prod-EU").unwrap().name, "Prod-EU");
    }

    #[test]
    fn add_many_is_all_or_nothing() {
        let (_dir, vault) = vault();
        vault.add(Some("taken"), &account(AWS), 1).unwrap();
        let other = account("otpauth://totp/GitHub:me?secret=GEZDGNBVGY3TQOJQ&issuer=GitHub");
        let before = std::fs::read(vault.dir().join("vault.json")).unwrap();
        for names in [
            [Some("new"), Some("TAKEN")],
            [Some("same"), Some("SAME")],
            [Some("fine"), Some("")],
        ] {
            let items: Vec<_> = names
                .iter()
                .map(|n| (n.map(str::to_owned), other.clone()))
                .collect();
            assert!(vault.add_many(&items, 2).is_err(), "{names:?}");
            assert_eq!(vault.secrets().len(), 1, "{names:?} left keys behind");
            assert_eq!(
                std::fs::read(vault.dir().join("vault.json")).unwrap(),
                before
            );
        }
        // A keychain failure half-way leaves nothing either.
        *vault.secrets().stores_allowed.lock().unwrap() = Some(1);
        let items = vec![(None, other.clone()), (None, other.clone())];
        assert!(vault.add_many(&items, 2).is_err());
        *vault.secrets().stores_allowed.lock().unwrap() = None;
        assert_eq!(vault.secrets().len(), 1);
        assert_eq!(
            std::fs::read(vault.dir().join("vault.json")).unwrap(),
            before
        );
        // Default names are unique among the new accounts too.
        let added = vault
            .add_many(
                &[
                    (None, other.clone()),
                    (None, other.clone()),
                    (Some("x".into()), other),
                ],
                3,
            )
            .unwrap();
        let names: Vec<_> = added.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["GitHub (me)", "GitHub (me) 2", "x"]);
        assert_eq!(vault.list().unwrap().len(), 4);
        assert_eq!(vault.secrets().len(), 4);
    }

    const HOTP: &str = "otpauth://hotp/Bank:me?secret=GEZDGNBVGY3TQOJQ&counter=3&issuer=Bank";
    const HOTP_AGAIN: &str =
        "otpauth://hotp/Bank:me?secret=MFRGGZDFMZTWQ2LK&counter=40&digits=8&issuer=Bank";

    fn replace(id: &str, uri_text: &str) -> Change {
        Change::Replace {
            id: id.to_owned(),
            account: account(uri_text),
            meta: Meta::default(),
        }
    }

    #[test]
    fn replace_keeps_name_and_place_and_swaps_key_and_parameters() {
        let (_dir, vault) = vault();
        vault.add(Some("first"), &account(AWS), 1).unwrap();
        let bank = vault.add(Some("my bank"), &account(HOTP), 1).unwrap();
        vault.add(Some("last"), &account(AWS), 1).unwrap();
        let done = vault
            .apply(&[replace(&bank.id, HOTP_AGAIN)], 9, &mut |_, _| {})
            .unwrap();
        let names: Vec<_> = vault.list().unwrap().into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["first", "my bank", "last"]);
        let now = vault.find("my bank").unwrap();
        assert_eq!(done, std::slice::from_ref(&now));
        assert_eq!(now.created, 1, "the account is the same account");
        // The counter and digits come from the new source, and so does the key.
        assert_eq!(now.params, account(HOTP_AGAIN).params);
        let (_, got) = vault.take_codes("my bank", 1).unwrap();
        assert_eq!(got.code_at(0), account(HOTP_AGAIN).code_at(0));
        // The old key is gone from the keychain; one item per account.
        assert_eq!(vault.secrets().load(&bank.id).unwrap(), None);
        assert_eq!(vault.secrets().len(), 3);
        assert_eq!(
            vault.secrets().label(&now.id).as_deref(),
            Some("Tessera: my bank")
        );
    }

    #[test]
    fn nothing_to_apply_writes_nothing() {
        let (_dir, vault) = vault();
        assert!(vault.apply(&[], 1, &mut |_, _| {}).unwrap().is_empty());
        assert!(!vault.dir().exists(), "not even a vault directory");
    }

    #[test]
    fn a_keychain_failure_in_the_middle_of_a_replace_leaves_the_old_account_whole() {
        let (_dir, vault) = vault();
        let a = vault.add(Some("a"), &account(AWS), 1).unwrap();
        let bank = vault.add(Some("bank"), &account(HOTP), 1).unwrap();
        let before = std::fs::read(vault.dir().join("vault.json")).unwrap();
        // The first new key is stored, the second store fails.
        *vault.secrets().stores_allowed.lock().unwrap() = Some(1);
        let changes = [
            replace(&bank.id, HOTP_AGAIN),
            replace(&a.id, &AWS.replace("JBSWY3DPEHPK3PXP", "KRSXG5DJNZTXK3DF")),
        ];
        assert!(vault.apply(&changes, 2, &mut |_, _| {}).is_err());
        *vault.secrets().stores_allowed.lock().unwrap() = None;
        assert_eq!(
            std::fs::read(vault.dir().join("vault.json")).unwrap(),
            before
        );
        assert_eq!(vault.secrets().len(), 2, "the new key written is deleted");
        let (_, got) = vault.take_codes("bank", 1).unwrap();
        assert_eq!(got.code_at(0), account(HOTP).code_at(3));
        // Replacing an account that is gone, or one account twice, changes nothing either.
        for changes in [
            vec![replace("0000000000000000", HOTP_AGAIN)],
            vec![replace(&a.id, HOTP_AGAIN), replace(&a.id, HOTP)],
        ] {
            assert!(matches!(
                vault.apply(&changes, 2, &mut |_, _| {}),
                Err(VaultError::NotFound { .. })
            ));
            assert_eq!(vault.secrets().len(), 2);
        }
    }

    #[test]
    fn move_to_reorders() {
        let (_dir, vault) = vault();
        for name in ["a", "b", "c"] {
            vault.add(Some(name), &account(AWS), 1).unwrap();
        }
        let names = |entries: Vec<Entry>| entries.into_iter().map(|e| e.name).collect::<Vec<_>>();
        assert_eq!(names(vault.move_to("c", 0).unwrap()), ["c", "a", "b"]);
        assert_eq!(names(vault.move_to("c", 99).unwrap()), ["a", "b", "c"]);
        assert_eq!(names(vault.move_to("a", 1).unwrap()), ["b", "a", "c"]);
        assert_eq!(names(vault.list().unwrap()), ["b", "a", "c"]);
        // With "c" pinned the list shows c, b, a: "a" moved to the second place goes above b.
        vault.pin("c", true).unwrap();
        assert_eq!(names(vault.move_to("a", 1).unwrap()), ["a", "b", "c"]);
    }

    #[test]
    fn delete_for_good_takes_index_and_key() {
        let (_dir, vault) = vault();
        let a = vault.add(Some("a"), &account(AWS), 1).unwrap();
        vault.add(Some("b"), &account(AWS), 1).unwrap();
        assert_eq!(
            vault.delete_for_good(&["a".into()]).unwrap(),
            std::slice::from_ref(&a)
        );
        assert_eq!(vault.list().unwrap().len(), 1);
        assert_eq!(vault.secrets().load(&a.id).unwrap(), None);
        assert!(vault.trash().unwrap().is_empty());
        assert!(matches!(
            vault.remove("a"),
            Err(VaultError::NotFound { .. })
        ));
    }

    #[test]
    fn several_are_removed_at_once_or_none_is() {
        let (_dir, vault) = vault();
        let [a, b, c] = ["a", "b", "c"].map(|n| vault.add(Some(n), &account(AWS), 1).unwrap());
        let before = std::fs::read(vault.dir().join("vault.json")).unwrap();
        let refused = vault.remove_all(&["c".into(), "nobody".into()]);
        assert!(matches!(refused, Err(VaultError::NotFound { .. })));
        assert_eq!(
            std::fs::read(vault.dir().join("vault.json")).unwrap(),
            before,
            "a query not found removes none"
        );
        // By id or name, in any order, once each however often named: the index's order back.
        let removed = vault
            .remove_all(&[c.id.clone(), "a".into(), "c".into()])
            .unwrap();
        assert_eq!(removed, [a.clone(), c.clone()]);
        assert_eq!(vault.list().unwrap(), [b]);
        assert_eq!(
            vault.trash().unwrap().len(),
            2,
            "both in the trash, keys kept"
        );
        assert!(vault.secrets().load(&a.id).unwrap().is_some());
        let refused = vault.delete_for_good(&["b".into(), "a".into()]);
        assert!(
            matches!(refused, Err(VaultError::NotFound { .. })),
            "a is in the trash"
        );
        assert_eq!(vault.remove_all(&[]).unwrap(), []);
    }

    #[test]
    fn an_unreachable_keychain_changes_nothing() {
        let (_dir, vault) = vault();
        vault.add(Some("a"), &account(AWS), 1).unwrap();
        let before = std::fs::read(vault.dir().join("vault.json")).unwrap();
        vault.secrets().unavailable.store(true, Ordering::SeqCst);
        assert!(matches!(
            vault.add(Some("b"), &account(AWS), 1),
            Err(VaultError::Keychain(KeychainError::NoService))
        ));
        assert!(matches!(
            vault.delete_for_good(&["a".into()]),
            Err(VaultError::Keychain(KeychainError::NoService))
        ));
        assert!(matches!(
            vault.take_codes("a", 1),
            Err(VaultError::Keychain(KeychainError::NoService))
        ));
        assert_eq!(
            std::fs::read(vault.dir().join("vault.json")).unwrap(),
            before
        );
        // Listing needs no keychain.
        assert_eq!(vault.list().unwrap().len(), 1);
    }

    #[test]
    fn a_missing_key_keeps_the_account_listed() {
        let (_dir, vault) = vault();
        let a = vault.add(Some("a"), &account(AWS), 1).unwrap();
        let b = vault.add(Some("b"), &account(HOTP), 1).unwrap();
        vault.secrets().delete(&a.id).unwrap();
        assert_eq!(vault.list().unwrap(), [a.clone(), b.clone()]);
        assert_eq!(
            vault.secret_states(&[a.clone(), b]).unwrap(),
            [SecretState::Missing, SecretState::Present]
        );
        let error = vault.take_codes("a", 1).unwrap_err();
        assert!(
            matches!(&error, VaultError::SecretMissing { name } if name == "a"),
            "{error}"
        );
    }

    #[test]
    fn hotp_counters_advance_and_persist() {
        let (_dir, vault) = vault();
        let hotp = account("otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=5");
        vault.add(Some("token"), &hotp, 1).unwrap();
        let (_, first) = vault.take_codes("token", 1).unwrap();
        assert_eq!(first.code_at(0), "254676", "RFC 4226 counter 5");
        let (_, second) = vault.take_codes("token", 2).unwrap();
        assert_eq!(
            (second.code_at(0), second.next_code_at(0)),
            ("287922".into(), "162583".into())
        );
        let (entry, third) = vault.take_codes("token", 1).unwrap();
        assert_eq!(
            third.code_at(0),
            "399871",
            "counter 8 after taking 5, 6 and 7"
        );
        assert_eq!(
            vault.find("token").unwrap().params.kind,
            Kind::Hotp { counter: 9 }
        );
        assert_eq!(entry.params.kind, Kind::Hotp { counter: 8 });
        let exhausted = Account {
            params: Params {
                kind: Kind::Hotp { counter: u64::MAX },
                ..Params::default()
            },
            secret: Secret::parse("JBSWY3DPEHPK3PXP").unwrap(),
            ..hotp
        };
        vault.add(Some("end"), &exhausted, 1).unwrap();
        assert!(matches!(
            vault.take_codes("end", 1),
            Err(VaultError::CounterExhausted { .. })
        ));
    }

    #[test]
    fn plan_compares_with_the_keys_in_the_store_and_changes_nothing() {
        let (_dir, vault) = vault();
        vault.add(Some("prod"), &account(AWS), 1).unwrap();
        let incoming = Item::new(account(AWS));
        let planned = vault.plan(vec![incoming]).unwrap();
        assert_eq!(
            planned[0].found,
            crate::Found::Duplicate {
                of: "prod".into(),
                in_batch: false
            }
        );
        assert_eq!(vault.list().unwrap().len(), 1);
    }

    #[test]
    fn default_names_are_kept_in_bounds() {
        let (_dir, vault) = vault();
        let mut long = account(AWS);
        long.issuer = "x".repeat(300);
        assert_eq!(
            vault.add(None, &long, 1).unwrap().name.chars().count(),
            names::MAX_NAME_CHARS
        );
        let mut empty = account(AWS);
        empty.issuer.clear();
        empty.label.clear();
        assert_eq!(vault.add(None, &empty, 1).unwrap().name, "Unnamed account");
    }
}
