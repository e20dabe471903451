//! Backups meet the vault: every account with its key for an export, and the backup file
//! written all at once. An import is planned and applied like any other way in (`plan`).

use std::io::Write;
use std::path::Path;

use tessera_core::backup::Item;

use crate::error::VaultError;
use crate::index::Entry;
use crate::secrets::SecretStore;
use crate::vault::Vault;

/// Every account in display order, with its name, key, tags and note; and the accounts whose
/// key is missing from the keychain (they can't be exported).
#[derive(Debug)]
pub struct Exportable {
    pub accounts: Vec<Item>,
    pub missing: Vec<Entry>,
}

impl<S: SecretStore> Vault<S> {
    /// Every account with its key, for a backup.
    pub fn exportable(&self) -> Result<Exportable, VaultError> {
        self.exportable_where(|_| true)
    }

    /// The accounts `keep` chooses (by tag, or the window's selection) with their keys; the
    /// others' keys are not read.
    pub fn exportable_where(
        &self,
        keep: impl Fn(&Entry) -> bool,
    ) -> Result<Exportable, VaultError> {
        self.exportable_with(keep, false)
    }

    /// [`Self::exportable_where`], and with `trash` the accounts in the trash after the others
    /// (left out unless asked for: the user removed them).
    pub fn exportable_with(
        &self,
        keep: impl Fn(&Entry) -> bool,
        trash: bool,
    ) -> Result<Exportable, VaultError> {
        let accounts = self.index().read()?;
        let mut entries = accounts.entries;
        if trash {
            entries.extend(accounts.trash.into_iter().map(|t| t.entry));
        }
        entries.retain(keep);
        let mut accounts = Vec::with_capacity(entries.len());
        let mut missing = Vec::new();
        let keys = self.accounts(&entries)?;
        for (entry, account) in entries.into_iter().zip(keys) {
            match account {
                Some(account) => accounts.push(Item {
                    meta: entry.meta.clone(),
                    ..Item::named(entry.name.clone(), account)
                }),
                None => missing.push(entry),
            }
        }
        Ok(Exportable { accounts, missing })
    }
}

/// Writes a backup file all at once: a temporary file beside it, readable by the owner only,
/// synced, then renamed over `path`. A failure leaves no file, or the old one untouched.
pub fn write_backup_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use tessera_core::uri;

    use super::*;
    use crate::secrets::MemoryStore;

    const A: &str = "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP";
    const B: &str = "otpauth://totp/Example:bob?secret=JBSWY3DPEHPK3PXQ";

    #[test]
    fn exportable_lists_missing_keys_apart() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::new(dir.path().join("t"), MemoryStore::default());
        let a = vault.add(Some("a"), &uri::parse(A).unwrap(), 1).unwrap();
        vault.add(Some("b"), &uri::parse(B).unwrap(), 1).unwrap();
        vault.secrets().delete(&a.id).unwrap();
        let export = vault.exportable().unwrap();
        assert_eq!(export.accounts.len(), 1);
        assert_eq!(export.accounts[0].name.as_deref(), Some("b"));
        assert_eq!(export.missing[0].name, "a");
        let chosen = vault.exportable_where(|e| e.name == "b").unwrap();
        assert_eq!((chosen.accounts.len(), chosen.missing.len()), (1, 0));
    }
}
