//! `tessera doctor`: what a crash or another program can leave behind, found and (the harmless
//! part) tidied up. Keychain items under Tessera's service that no account points to (a writer
//! killed between its keychain write and its index write, or an account replaced and its old
//! key not deleted), accounts whose key is missing, and temporary files.
//!
//! Tessera keeps one vault per keychain (the default data directory of the user): items of a
//! second vault directory sharing the keychain would be counted as orphans.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::autobackup::Failure;
use crate::error::VaultError;
use crate::index::{Entry, remove_if_present};
use crate::recent::Recent;
use crate::secrets::SecretStore;
use crate::vault::Vault;

/// What is out of order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Checkup {
    /// Ids of keychain items no account points to.
    pub orphans: Vec<String>,
    /// Accounts whose key is not in the keychain: only a backup (or the service, enrolling
    /// again) can give it back.
    pub missing: Vec<Entry>,
    /// Temporary index files a killed writer left.
    pub temporaries: Vec<PathBuf>,
    /// The last automatic backup failed (and none has succeeded since).
    pub backup_failure: Option<Failure>,
    /// The last sync failed (and none has succeeded since).
    pub sync_failure: Option<Failure>,
}

impl Checkup {
    pub fn is_clean(&self) -> bool {
        self.orphans.is_empty()
            && self.missing.is_empty()
            && self.temporaries.is_empty()
            && self.backup_failure.is_none()
            && self.sync_failure.is_none()
    }
}

impl<S: SecretStore> Vault<S> {
    /// Finds what is out of order; changes nothing. Lists the keychain's items once (no key is
    /// read): a listing that can't see every item (a locked keychain) is an error, never
    /// "missing" or "orphan".
    pub fn checkup(&self) -> Result<Checkup, VaultError> {
        let accounts = self.index().read()?;
        let entries = accounts.entries;
        let stored = self.secrets().ids()?;
        // A trashed account's key is owned until the account is deleted for good.
        let known: HashSet<&str> = entries
            .iter()
            .chain(accounts.trash.iter().map(|t| &t.entry))
            .map(|e| e.id.as_str())
            .collect();
        let listed: HashSet<&str> = stored.iter().map(String::as_str).collect();
        let missing = entries
            .iter()
            .filter(|e| !listed.contains(e.id.as_str()))
            .cloned()
            .collect();
        Ok(Checkup {
            orphans: stored
                .iter()
                .filter(|id| !known.contains(id.as_str()))
                .cloned()
                .collect(),
            missing,
            temporaries: [
                self.index().temporaries(),
                Recent::new(self.dir().to_owned()).temporaries(),
                self.auto_backup_temporaries(),
                self.sync_temporaries(),
            ]
            .concat(),
            backup_failure: self.auto_backup().and_then(|b| b.last_failure),
            sync_failure: self.sync_config().and_then(|c| c.failure),
        })
    }

    /// Deletes the orphan keychain items and the temporary files, and returns what was found.
    /// Never touches an account. Waits for writers with keys on their way in (their keys are
    /// not orphans) and holds the writers' lock, so no temporary file is in use.
    pub fn repair(&self) -> Result<Checkup, VaultError> {
        let _keys = self.index().no_keys_in_flight()?;
        let _lock = self.index().lock()?;
        let found = self.checkup()?;
        for id in &found.orphans {
            self.secrets().delete(id)?;
        }
        for path in &found.temporaries {
            remove_if_present(path)?;
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use tessera_core::{Secret, uri};

    use super::*;
    use crate::secrets::MemoryStore;

    #[test]
    fn finds_orphans_missing_keys_and_temporaries_and_repairs_without_losing_an_account() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::new(dir.path().join("t"), MemoryStore::default());
        let link = "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP";
        let a = vault.add(Some("a"), &uri::parse(link).unwrap(), 1).unwrap();
        let b = vault.add(Some("b"), &uri::parse(link).unwrap(), 1).unwrap();
        assert!(vault.checkup().unwrap().is_clean());
        let trashed = vault.add(Some("c"), &uri::parse(link).unwrap(), 1).unwrap();
        vault.remove("c").unwrap();
        let key = Secret::parse("GEZDGNBVGY3TQOJQ").unwrap();
        vault
            .secrets()
            .store("feedfacefeedface", "x", &key)
            .unwrap();
        vault.secrets().delete(&b.id).unwrap();
        let temp = vault.dir().join(".vault.json.4242.tmp");
        std::fs::write(&temp, b"half").unwrap();
        let found = vault.checkup().unwrap();
        assert_eq!(found.orphans, ["feedfacefeedface"]);
        assert_eq!(found.missing, std::slice::from_ref(&b));
        assert_eq!(found.temporaries, std::slice::from_ref(&temp));
        assert_eq!(vault.repair().unwrap(), found);
        let after = vault.checkup().unwrap();
        assert!(after.orphans.is_empty() && after.temporaries.is_empty());
        assert_eq!(
            after.missing,
            [b],
            "a missing key stays listed: --fix removes no account"
        );
        assert_eq!(vault.list().unwrap().len(), 2);
        assert!(vault.secrets().load(&a.id).unwrap().is_some());
        assert!(
            vault.secrets().load(&trashed.id).unwrap().is_some(),
            "trashed: owned"
        );
        assert!(!temp.exists());
    }
}
