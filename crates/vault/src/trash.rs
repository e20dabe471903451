//! The trash: a removed account leaves the list but keeps its key in the keychain for
//! [`KEPT_DAYS`] days, so a wrong click or `tessera remove` loses nothing. Trashed accounts live
//! in the index beside the others (`trash`), moved there and back in one atomic write; the
//! keychain is touched only when they are deleted for good.
//!
//! Trashed accounts are this computer's own: sync sends the removal (the other devices put the
//! account in their own trash), and a restore is sent as the account coming back.

use std::collections::HashSet;

use crate::error::VaultError;
use crate::index::{Accounts, Entry, Trashed};
use crate::names;
use crate::secrets::SecretStore;
use crate::vault::Vault;

/// How long a removed account is kept.
pub const KEPT_DAYS: u64 = 30;
const KEPT_SECONDS: u64 = KEPT_DAYS * 24 * 60 * 60;

/// The current time, Unix seconds.
pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Trashed {
    /// When it is deleted for good, Unix seconds.
    pub fn purged_at(&self) -> u64 {
        self.deleted.saturating_add(KEPT_SECONDS)
    }
}

/// Moves the entries with these ids from the list to the trash, remembering their places.
pub(crate) fn move_to_trash(
    accounts: &mut Accounts,
    ids: &HashSet<String>,
    now: u64,
) -> Vec<Entry> {
    let mut removed = Vec::new();
    let mut position = 0;
    accounts.entries.retain(|entry| {
        let keep = !ids.contains(&entry.id);
        if !keep {
            removed.push(Trashed {
                entry: entry.clone(),
                deleted: now,
                position,
            });
        }
        position += 1;
        keep
    });
    let entries = removed.iter().map(|t| t.entry.clone()).collect();
    accounts.trash.extend(removed);
    entries
}

/// The trashed account a NAME or ID means, as [`names::find`] finds one in the list; a name that
/// two trashed accounts share is ambiguous, and their ids are the candidates.
fn find_trashed<'a>(trash: &'a [Trashed], query: &str) -> Result<&'a Trashed, VaultError> {
    let entries: Vec<Entry> = trash.iter().map(|t| t.entry.clone()).collect();
    let found = names::find(&entries, query)?;
    let same: Vec<&Trashed> = trash
        .iter()
        .filter(|t| names::same(&t.entry.name, &found.name))
        .collect();
    if same.len() > 1 && found.id != query.trim() {
        return Err(VaultError::Ambiguous {
            query: query.to_owned(),
            candidates: same.iter().map(|t| t.entry.id.clone()).collect(),
        });
    }
    trash
        .iter()
        .find(|t| t.entry.id == found.id)
        .ok_or_else(|| VaultError::not_found(query))
}

impl<S: SecretStore> Vault<S> {
    /// The accounts in the trash, the most recently removed first.
    pub fn trash(&self) -> Result<Vec<Trashed>, VaultError> {
        let mut trash = self.index.read()?.trash;
        trash.sort_by_key(|t| std::cmp::Reverse(t.deleted));
        Ok(trash)
    }

    /// Puts trashed accounts back, each at its old place and with its name, made unique if an
    /// account took it meanwhile; all or none. Returns them as they are now.
    pub fn restore_from_trash(&self, queries: &[String]) -> Result<Vec<Entry>, VaultError> {
        let lock = self.index.lock()?;
        let mut accounts = self.index.read()?;
        let mut ids = Vec::with_capacity(queries.len());
        for query in queries {
            let id = find_trashed(&accounts.trash, query)?.entry.id.clone();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let (mut back, kept): (Vec<Trashed>, Vec<Trashed>) = std::mem::take(&mut accounts.trash)
            .into_iter()
            .partition(|t| ids.contains(&t.entry.id));
        accounts.trash = kept;
        // Lowest place first, so that each lands where it was among those already back.
        back.sort_by_key(|t| t.position);
        let mut restored = Vec::with_capacity(back.len());
        for mut trashed in back {
            let taken: Vec<String> = accounts.entries.iter().map(|e| e.name.clone()).collect();
            if names::is_taken(&accounts.entries, &trashed.entry.name, None) {
                trashed.entry.name = names::unique(&taken, &trashed.entry.name);
            }
            let at = trashed.position.min(accounts.entries.len());
            accounts.entries.insert(at, trashed.entry.clone());
            restored.push(trashed.entry);
        }
        self.index.write(&accounts, &lock)?;
        drop(lock);
        for entry in &restored {
            let _ = self
                .secrets()
                .relabel(&entry.id, &crate::vault::keychain_label(&entry.name));
        }
        self.after_change();
        Ok(restored)
    }

    /// Deletes trashed accounts for good: out of the index first, then their keys. `None`
    /// empties the trash. Returns what was deleted.
    pub fn delete_from_trash(
        &self,
        queries: Option<&[String]>,
    ) -> Result<Vec<Trashed>, VaultError> {
        let lock = self.index.lock()?;
        let mut accounts = self.index.read()?;
        let ids: HashSet<String> = match queries {
            Some(queries) => queries
                .iter()
                .map(|q| find_trashed(&accounts.trash, q).map(|t| t.entry.id.clone()))
                .collect::<Result<_, _>>()?,
            None => accounts.trash.iter().map(|t| t.entry.id.clone()).collect(),
        };
        self.purge_where(&mut accounts, lock, |t| ids.contains(&t.entry.id))
    }

    /// Deletes for good the accounts trashed more than [`KEPT_DAYS`] ago; called at start and
    /// after changes. Reads the index without the lock first, so that it costs nothing when
    /// nothing is due.
    pub fn purge_expired_trash(&self, now: u64) -> Result<Vec<Trashed>, VaultError> {
        let due = |t: &Trashed| t.purged_at() <= now;
        if !self.index.read()?.trash.iter().any(due) {
            return Ok(Vec::new());
        }
        let lock = self.index.lock()?;
        let mut accounts = self.index.read()?;
        self.purge_where(&mut accounts, lock, due)
    }

    fn purge_where(
        &self,
        accounts: &mut Accounts,
        lock: crate::index::WriteLock,
        purge: impl Fn(&Trashed) -> bool,
    ) -> Result<Vec<Trashed>, VaultError> {
        let (purged, kept): (Vec<Trashed>, Vec<Trashed>) = std::mem::take(&mut accounts.trash)
            .into_iter()
            .partition(purge);
        if purged.is_empty() {
            return Ok(purged);
        }
        let ids: Vec<&str> = purged.iter().map(|t| t.entry.id.as_str()).collect();
        // The keychain is reached before anything changes: an unreachable one changes nothing.
        self.secrets().load_all(&ids)?;
        accounts.trash = kept;
        self.index.write(accounts, &lock)?;
        drop(lock);
        // Every key is tried: one the keychain refuses does not keep the others.
        let deleted: Vec<_> = ids.iter().map(|id| self.secrets().delete(id)).collect();
        match deleted.into_iter().find_map(Result::err) {
            Some(e) => Err(e.into()),
            None => Ok(purged),
        }
    }
}

#[cfg(test)]
mod tests {
    use tessera_core::uri;

    use super::*;
    use crate::secrets::MemoryStore;

    const LINK: &str = "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP";

    fn vault() -> (tempfile::TempDir, Vault<MemoryStore>) {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::new(dir.path().join("t"), MemoryStore::default());
        for name in ["a", "b", "c"] {
            vault
                .add(Some(name), &uri::parse(LINK).unwrap(), 1)
                .unwrap();
        }
        (dir, vault)
    }

    fn names(vault: &Vault<MemoryStore>) -> Vec<String> {
        vault.list().unwrap().into_iter().map(|e| e.name).collect()
    }

    #[test]
    fn a_removed_account_keeps_its_key_and_comes_back_at_its_place_whole() {
        let (_dir, vault) = vault();
        let b = vault.find("b").unwrap();
        vault.remove("b").unwrap();
        assert_eq!(names(&vault), ["a", "c"]);
        assert!(vault.secrets().load(&b.id).unwrap().is_some(), "key kept");
        let trash = vault.trash().unwrap();
        assert_eq!((trash.len(), trash[0].position), (1, 1));
        assert_eq!(vault.checkup().unwrap().orphans, Vec::<String>::new());
        // The name was taken meanwhile: the restored account gets "b 2".
        vault.add(Some("b"), &uri::parse(LINK).unwrap(), 2).unwrap();
        let back = vault.restore_from_trash(&["b".into()]).unwrap();
        assert_eq!(back[0].id, b.id);
        assert_eq!(names(&vault), ["a", "b 2", "c", "b"]);
        assert_eq!(
            vault.account(&back[0]).unwrap().secret,
            vault.account(&b).unwrap().secret
        );
        assert!(vault.trash().unwrap().is_empty());
    }

    #[test]
    fn deleting_for_good_and_expiry_take_the_key() {
        let (_dir, vault) = vault();
        let a = vault.find("a").unwrap();
        let b = vault.find("b").unwrap();
        vault.remove("a").unwrap();
        vault.remove("b").unwrap();
        let deleted = vault.trash().unwrap()[0].deleted;
        assert!(
            vault
                .purge_expired_trash(deleted + KEPT_SECONDS - 1)
                .unwrap()
                .is_empty()
        );
        let gone = vault.delete_from_trash(Some(&["a".into()])).unwrap();
        assert_eq!(gone[0].entry.id, a.id);
        assert!(vault.secrets().load(&a.id).unwrap().is_none());
        let expired = vault.purge_expired_trash(deleted + KEPT_SECONDS).unwrap();
        assert_eq!(expired[0].entry.id, b.id);
        assert!(vault.secrets().load(&b.id).unwrap().is_none());
        assert!(vault.trash().unwrap().is_empty());
        assert_eq!(names(&vault), ["c"]);
    }

    #[test]
    fn two_trashed_accounts_of_one_name_are_told_apart_by_id() {
        let (_dir, vault) = vault();
        let first = vault.remove("a").unwrap();
        vault.add(Some("a"), &uri::parse(LINK).unwrap(), 2).unwrap();
        vault.remove("a").unwrap();
        assert!(matches!(
            vault.restore_from_trash(&["a".into()]),
            Err(VaultError::Ambiguous { .. })
        ));
        vault
            .restore_from_trash(std::slice::from_ref(&first.id))
            .unwrap();
        assert_eq!(vault.find("a").unwrap().id, first.id);
        assert_eq!(vault.delete_from_trash(None).unwrap().len(), 1);
    }
}
