//! Backups meet the vault: what an import would add (names proposed, duplicates found) and
//! every account with its key for an export. The import itself is [`Vault::add_many`]: all or
//! nothing.

use std::io::Write;
use std::path::Path;

use tessera_core::Account;
use tessera_core::backup::Item;

use crate::error::VaultError;
use crate::index::Entry;
use crate::names;
use crate::secrets::SecretStore;
use crate::vault::{Vault, default_name};

/// One account of a backup, as an import would add it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// The name it would get: the backup's friendly name or a default one, made unique.
    pub name: String,
    pub account: Account,
    /// The account it duplicates (the same key and kind of code), in the vault or earlier in
    /// the same backup; duplicates are not imported unless the user asks.
    pub duplicate_of: Option<String>,
    /// The duplicated account is earlier in the same backup, not in the vault.
    pub duplicate_in_file: bool,
}

/// Every account in display order, with its key; and the accounts whose key is missing from the
/// keychain (they can't be exported).
#[derive(Debug)]
pub struct Exportable {
    pub accounts: Vec<(String, Account)>,
    pub missing: Vec<Entry>,
}

impl<S: SecretStore> Vault<S> {
    /// What importing `items` would do: each item's proposed name (unique among the accounts
    /// in the vault and the items before it that are not duplicates) and what it duplicates.
    /// Reads every key in the vault (to find duplicates); changes nothing.
    pub fn plan_import(&self, items: Vec<Item>) -> Result<Vec<Planned>, VaultError> {
        let candidates: Vec<Account> = items.iter().map(|i| i.account.clone()).collect();
        let in_vault = self.duplicates(&candidates)?;
        let mut taken: Vec<String> = self.list()?.into_iter().map(|e| e.name).collect();
        let mut planned: Vec<Planned> = Vec::with_capacity(items.len());
        for (item, existing) in items.into_iter().zip(in_vault) {
            let preferred = item
                .name
                .as_deref()
                .and_then(|n| names::validate(n).ok())
                .unwrap_or_else(|| default_name(&item.account));
            let in_file = || {
                planned
                    .iter()
                    .find(|p| p.duplicate_of.is_none() && p.account.same_codes(&item.account))
                    .map(|p| p.name.clone())
            };
            let (duplicate_of, duplicate_in_file) = match existing {
                Some(entry) => (Some(entry.name), false),
                None => {
                    let earlier = in_file();
                    let found = earlier.is_some();
                    (earlier, found)
                }
            };
            // Duplicates get a free name too, in case the user adds one anyway; only the others
            // take theirs.
            let name = names::unique(&taken, &preferred);
            if duplicate_of.is_none() {
                taken.push(name.clone());
            }
            planned.push(Planned {
                name,
                account: item.account,
                duplicate_of,
                duplicate_in_file,
            });
        }
        Ok(planned)
    }

    /// Every account with its key, for a backup.
    pub fn exportable(&self) -> Result<Exportable, VaultError> {
        let mut accounts = Vec::new();
        let mut missing = Vec::new();
        for entry in self.list()? {
            match self.account(&entry) {
                Ok(account) => accounts.push((entry.name, account)),
                Err(VaultError::SecretMissing { .. }) => missing.push(entry),
                Err(other) => return Err(other),
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

    fn item(name: Option<&str>, link: &str) -> Item {
        Item {
            name: name.map(str::to_owned),
            account: uri::parse(link).unwrap(),
        }
    }

    const A: &str = "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP";
    const B: &str = "otpauth://totp/Example:bob?secret=JBSWY3DPEHPK3PXQ";
    const C: &str = "otpauth://hotp/Other:carol?secret=JBSWY3DPEHPK3PXR&counter=5";

    #[test]
    fn plan_marks_duplicates_and_makes_names_unique() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::new(dir.path().join("t"), MemoryStore::default());
        vault.add(Some("prod"), &uri::parse(A).unwrap(), 1).unwrap();
        vault
            .add(Some("Example (bob)"), &uri::parse(C).unwrap(), 1)
            .unwrap();
        let plan = vault
            .plan_import(vec![
                item(Some("alice"), A),
                item(None, B),
                item(Some("PROD"), B),
                item(
                    Some("bad\nname"),
                    "otpauth://totp/X?secret=JBSWY3DPEHPK3PXS",
                ),
            ])
            .unwrap();
        let got: Vec<(&str, Option<&str>, bool)> = plan
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.duplicate_of.as_deref(),
                    p.duplicate_in_file,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("alice", Some("prod"), false),
                ("Example (bob) 2", None, false),
                ("PROD 2", Some("Example (bob) 2"), true),
                ("X", None, false),
            ]
        );
        // Planning changes nothing.
        assert_eq!(vault.list().unwrap().len(), 2);
    }

    #[test]
    fn exportable_lists_missing_keys_apart() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::new(dir.path().join("t"), MemoryStore::default());
        let a = vault.add(Some("a"), &uri::parse(A).unwrap(), 1).unwrap();
        vault.add(Some("b"), &uri::parse(B).unwrap(), 1).unwrap();
        vault.secrets().delete(&a.id).unwrap();
        let export = vault.exportable().unwrap();
        assert_eq!(export.accounts.len(), 1);
        assert_eq!(export.accounts[0].0, "b");
        assert_eq!(export.missing[0].name, "a");
    }
}
