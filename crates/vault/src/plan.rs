//! One way in for every account. A scan or an import, from the CLI or the window, is planned
//! here ([`Vault::plan`]: names proposed, duplicates and re-enrolments found), the user (or a
//! flag) decides, and the decisions are carried out here, all or nothing ([`Vault::apply`]).

use tessera_core::Account;
use tessera_core::backup::Item;

use crate::error::VaultError;
use crate::index::Entry;
use crate::names;
use crate::secrets::SecretStore;
use crate::vault::{Vault, default_name};

/// What an incoming account is, next to the vault and the accounts before it in the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Nothing like it: it is added under the proposed name.
    New,
    /// The same key and kind of code (`Account::same_codes`) as the account named `of`, in the
    /// vault or (`in_batch`) earlier in the same batch. Skipped unless the user adds it anyway.
    Duplicate { of: String, in_batch: bool },
    /// The same issuer and label as the account `name` (or the same name), with another key or
    /// other parameters: the service was enrolled again (its MFA reset), and the old key is
    /// dead. Replacing keeps the account's name and place ([`Change::Replace`]).
    Reenrolment { id: String, name: String },
}

/// One incoming account, as the plan sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// The name it gets when added as a new account: the source's name (a backup's friendly
    /// name, `--name`) or a default one, valid and unique among the vault's names and the names
    /// proposed before it.
    pub name: String,
    pub account: Account,
    pub found: Found,
}

/// What to do with one incoming account.
#[derive(Debug, Clone)]
pub enum Change {
    /// Add it as a new account, under `name` (or a default name, made unique, when `None`).
    Add {
        name: Option<String>,
        account: Account,
    },
    /// Give the account `id` this key and these parameters (a HOTP counter included), keeping
    /// its name and place in the list.
    Replace { id: String, account: Account },
}

impl Change {
    /// The account coming in.
    pub fn account(&self) -> &Account {
        match self {
            Change::Add { account, .. } | Change::Replace { account, .. } => account,
        }
    }
}

impl Planned {
    /// What `apply` should do with it: replace the re-enrolled account when `replace` is set,
    /// else add it under its proposed name; `None` for a duplicate.
    pub fn change(&self, replace: bool) -> Option<Change> {
        match &self.found {
            Found::Duplicate { .. } => None,
            Found::Reenrolment { id, .. } if replace => Some(Change::Replace {
                id: id.clone(),
                account: self.account.clone(),
            }),
            Found::New | Found::Reenrolment { .. } => Some(Change::Add {
                name: Some(self.name.clone()),
                account: self.account.clone(),
            }),
        }
    }
}

/// Whether `entry` is the account `incoming` was enrolled for: the same issuer and label
/// (whatever their case; an empty label says too little), or the same name when the source
/// gave one (a default name says no more than the issuer and label it is made of).
fn same_identity(entry: &Entry, incoming: &Account, given_name: Option<&str>) -> bool {
    let same_text = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    let by_issuer_and_label = !incoming.label.trim().is_empty()
        && same_text(&entry.issuer, &incoming.issuer)
        && same_text(&entry.label, &incoming.label);
    by_issuer_and_label || given_name.is_some_and(|name| names::same(&entry.name, name))
}

impl<S: SecretStore> Vault<S> {
    /// What adding `items` would do, each in order: its proposed name, and whether it duplicates
    /// an account (in the vault or earlier in the batch) or re-enrols one. Reads every key in the
    /// vault, all at once (through the store, so a cached store reads none twice); changes nothing.
    pub fn plan(&self, items: Vec<Item>) -> Result<Vec<Planned>, VaultError> {
        let entries = self.list()?;
        // An account without its key has nothing to compare; it can still be re-enrolled.
        let with_keys: Vec<(&Entry, Account)> = if items.is_empty() {
            Vec::new()
        } else {
            entries
                .iter()
                .zip(self.accounts(&entries)?)
                .filter_map(|(entry, account)| Some((entry, account?)))
                .collect()
        };
        let mut taken: Vec<String> = entries.iter().map(|e| e.name.clone()).collect();
        let mut planned: Vec<Planned> = Vec::with_capacity(items.len());
        for item in items {
            let given = item.name.as_deref().and_then(|n| names::validate(n).ok());
            let preferred = given.clone().unwrap_or_else(|| default_name(&item.account));
            let in_vault = with_keys
                .iter()
                .find(|(_, a)| a.same_codes(&item.account))
                .map(|(e, _)| e.name.clone());
            let in_batch = || {
                planned
                    .iter()
                    .find(|p| {
                        !matches!(p.found, Found::Duplicate { .. })
                            && p.account.same_codes(&item.account)
                    })
                    .map(|p| p.name.clone())
            };
            let already_replaced = |id: &str| {
                planned.iter().any(
                    |p| matches!(&p.found, Found::Reenrolment { id: other, .. } if other == id),
                )
            };
            let found = if let Some(of) = in_vault {
                Found::Duplicate {
                    of,
                    in_batch: false,
                }
            } else if let Some(of) = in_batch() {
                Found::Duplicate { of, in_batch: true }
            } else if let Some(entry) = entries.iter().find(|e| {
                same_identity(e, &item.account, given.as_deref()) && !already_replaced(&e.id)
            }) {
                Found::Reenrolment {
                    id: entry.id.clone(),
                    name: entry.name.clone(),
                }
            } else {
                Found::New
            };
            // Every incoming account gets a free name, in case the user adds it as new; only
            // those added by default keep theirs from the ones after.
            let name = names::unique(&taken, &preferred);
            if !matches!(found, Found::Duplicate { .. }) {
                taken.push(name.clone());
            }
            planned.push(Planned {
                name,
                account: item.account,
                found,
            });
        }
        Ok(planned)
    }
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

    fn vault() -> (tempfile::TempDir, Vault<MemoryStore>) {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::new(dir.path().join("t"), MemoryStore::default());
        (dir, vault)
    }

    const A: &str = "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP";
    const B: &str = "otpauth://totp/Example:bob?secret=JBSWY3DPEHPK3PXQ";
    const C: &str = "otpauth://hotp/Other:carol?secret=JBSWY3DPEHPK3PXR&counter=5";
    /// Alice enrolled again: the same issuer and label, a new key.
    const A2: &str = "otpauth://totp/Example:alice?secret=KRSXG5DJNZTXK3DF";

    fn summary(plan: &[Planned]) -> Vec<(String, String)> {
        plan.iter()
            .map(|p| {
                let found = match &p.found {
                    Found::New => "new".to_owned(),
                    Found::Duplicate { of, in_batch } => format!("duplicate of {of} {in_batch}"),
                    Found::Reenrolment { name, .. } => format!("re-enrols {name}"),
                };
                (p.name.clone(), found)
            })
            .collect()
    }

    #[test]
    fn plan_marks_duplicates_and_makes_names_unique() {
        let (_dir, vault) = vault();
        vault.add(Some("prod"), &uri::parse(A).unwrap(), 1).unwrap();
        vault
            .add(Some("Example (bob)"), &uri::parse(C).unwrap(), 1)
            .unwrap();
        let plan = vault
            .plan(vec![
                item(Some("alice"), A),
                item(None, B),
                item(Some("PROD 9"), B),
                item(
                    Some("bad\nname"),
                    "otpauth://totp/X?secret=JBSWY3DPEHPK3PXS",
                ),
            ])
            .unwrap();
        let s = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        assert_eq!(
            summary(&plan),
            [
                s("alice", "duplicate of prod false"),
                // "Example (bob)" is taken by carol's account, which is another issuer.
                s("Example (bob) 2", "new"),
                s("PROD 9", "duplicate of Example (bob) 2 true"),
                s("X", "new"),
            ]
        );
        // Planning changes nothing.
        assert_eq!(vault.list().unwrap().len(), 2);
    }

    #[test]
    fn a_new_key_for_the_same_issuer_and_label_or_name_is_a_reenrolment() {
        let (_dir, vault) = vault();
        let alice = vault
            .add(Some("staging-tester-07"), &uri::parse(A).unwrap(), 1)
            .unwrap();
        let bob = vault.add(Some("bob"), &uri::parse(B).unwrap(), 1).unwrap();
        let plan = vault
            .plan(vec![
                item(None, A2),
                // The second new key for alice in one batch adds an account: one replace each.
                item(None, "otpauth://totp/EXAMPLE:Alice?secret=MFRGGZDFMZTWQ2LK"),
                // Same name, another issuer and label.
                item(
                    Some("BOB"),
                    "otpauth://totp/Else:who?secret=GEZDGNBVGY3TQOJQ",
                ),
                // An empty label says too little.
                item(
                    None,
                    "otpauth://totp/?secret=GEZDGNBVGY3TQOJA&issuer=Example",
                ),
            ])
            .unwrap();
        assert_eq!(
            plan[0].found,
            Found::Reenrolment {
                id: alice.id.clone(),
                name: "staging-tester-07".into()
            }
        );
        assert_eq!(plan[0].name, "Example (alice)");
        assert_eq!(plan[1].found, Found::New);
        assert_eq!(plan[1].name, "EXAMPLE (Alice) 2");
        assert_eq!(
            plan[2].found,
            Found::Reenrolment {
                id: bob.id,
                name: "bob".into()
            }
        );
        assert_eq!(plan[2].name, "BOB 2");
        assert_eq!(plan[3].found, Found::New);
        // Without --replace a re-enrolment is added under its free name.
        assert!(matches!(
            plan[0].change(false),
            Some(Change::Add { name: Some(n), .. }) if n == "Example (alice)"
        ));
        assert!(matches!(
            plan[0].change(true),
            Some(Change::Replace { id, .. }) if id == alice.id
        ));
    }

    #[test]
    fn an_account_whose_key_is_missing_can_be_reenrolled() {
        let (_dir, vault) = vault();
        let alice = vault.add(None, &uri::parse(A).unwrap(), 1).unwrap();
        vault.secrets().delete(&alice.id).unwrap();
        let plan = vault.plan(vec![item(None, A)]).unwrap();
        assert_eq!(
            plan[0].found,
            Found::Reenrolment {
                id: alice.id,
                name: "Example (alice)".into()
            }
        );
    }
}
