//! One way in for every account. A scan or an import, from the CLI or the window, is planned
//! here ([`plan`]: names proposed, duplicates and re-enrolments found, over plain data), the user
//! (or a flag) decides, and the vault carries out the decisions, all or nothing
//! ([`crate::Vault::apply`]).

use tessera_core::Account;
use tessera_core::backup::Item;
use tessera_core::meta::Meta;

use crate::index::Entry;
use crate::names;

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
    /// The tags and note the source gave it.
    pub meta: Meta,
    pub found: Found,
}

/// What to do with one incoming account.
#[derive(Debug, Clone)]
pub enum Change {
    /// Add it as a new account, under `name` (or a default name, made unique, when `None`),
    /// with these tags and note.
    Add {
        name: Option<String>,
        account: Account,
        meta: Meta,
    },
    /// Give the account `id` this key and these parameters (a HOTP counter included), keeping
    /// its name, place and note in the list; the tags of `meta` are added to its own (as many
    /// as fit), and its pin too.
    Replace {
        id: String,
        account: Account,
        meta: Meta,
    },
}

impl Change {
    /// A new account, untagged.
    pub fn add(name: Option<String>, account: Account) -> Self {
        Change::Add {
            name,
            account,
            meta: Meta::default(),
        }
    }

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
                meta: self.meta.clone(),
            }),
            Found::New | Found::Reenrolment { .. } => Some(Change::Add {
                name: Some(self.name.clone()),
                account: self.account.clone(),
                meta: self.meta.clone(),
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

/// An account already in the vault, as the planner sees it: its entry, and the whole account
/// when its key is known (an account whose key is missing has nothing to compare, but can still
/// be re-enrolled).
#[derive(Debug)]
pub struct Existing<'a> {
    pub entry: &'a Entry,
    pub account: Option<Account>,
}

/// What adding `items` would do next to the `existing` accounts, each item in order: its
/// proposed name, and whether it duplicates an account (existing, or earlier in the batch) or
/// re-enrols one. A pure function: [`crate::Vault::plan`] reads the vault and calls it.
pub fn plan(existing: &[Existing], items: Vec<Item>) -> Vec<Planned> {
    let mut taken: Vec<String> = existing.iter().map(|e| e.entry.name.clone()).collect();
    let mut planned: Vec<Planned> = Vec::with_capacity(items.len());
    for item in items {
        let given = item.name.as_deref().and_then(|n| names::validate(n).ok());
        let preferred = given
            .clone()
            .unwrap_or_else(|| names::default_name(&item.account));
        let in_vault = existing
            .iter()
            .find(|e| {
                e.account
                    .as_ref()
                    .is_some_and(|a| a.same_codes(&item.account))
            })
            .map(|e| e.entry.name.clone());
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
            planned
                .iter()
                .any(|p| matches!(&p.found, Found::Reenrolment { id: other, .. } if other == id))
        };
        let found = if let Some(of) = in_vault {
            Found::Duplicate {
                of,
                in_batch: false,
            }
        } else if let Some(of) = in_batch() {
            Found::Duplicate { of, in_batch: true }
        } else if let Some(Existing { entry, .. }) = existing.iter().find(|e| {
            same_identity(e.entry, &item.account, given.as_deref())
                && !already_replaced(&e.entry.id)
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
            meta: item.meta,
            found,
        });
    }
    planned
}

#[cfg(test)]
mod tests {
    use tessera_core::uri;

    use super::*;

    fn item(name: Option<&str>, link: &str) -> Item {
        Item {
            name: name.map(str::to_owned),
            ..Item::new(uri::parse(link).unwrap())
        }
    }

    /// An account in the vault: its entry and its whole account, both made from `link`.
    fn entry(id: &str, name: &str, link: &str) -> (Entry, Account) {
        let account = uri::parse(link).unwrap();
        let entry = Entry::new(
            id.into(),
            name.into(),
            account.issuer.clone(),
            account.label.clone(),
            account.params,
            1,
        );
        (entry, account)
    }

    fn existing(accounts: &[(Entry, Account)]) -> Vec<Existing<'_>> {
        accounts
            .iter()
            .map(|(entry, account)| Existing {
                entry,
                account: Some(account.clone()),
            })
            .collect()
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
        let vault = [entry("1", "prod", A), entry("2", "Example (bob)", C)];
        let planned = plan(
            &existing(&vault),
            vec![
                item(Some("alice"), A),
                item(None, B),
                item(Some("PROD 9"), B),
                item(
                    Some("bad\nname"),
                    "otpauth://totp/X?secret=JBSWY3DPEHPK3PXS",
                ),
            ],
        );
        let s = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        assert_eq!(
            summary(&planned),
            [
                s("alice", "duplicate of prod false"),
                // "Example (bob)" is taken by carol's account, which is another issuer.
                s("Example (bob) 2", "new"),
                s("PROD 9", "duplicate of Example (bob) 2 true"),
                s("X", "new"),
            ]
        );
    }

    #[test]
    fn a_new_key_for_the_same_issuer_and_label_or_name_is_a_reenrolment() {
        let vault = [
            entry("alice", "staging-tester-07", A),
            entry("bob", "bob", B),
        ];
        let planned = plan(
            &existing(&vault),
            vec![
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
            ],
        );
        assert_eq!(
            planned[0].found,
            Found::Reenrolment {
                id: "alice".into(),
                name: "staging-tester-07".into()
            }
        );
        assert_eq!(planned[0].name, "Example (alice)");
        assert_eq!(planned[1].found, Found::New);
        assert_eq!(planned[1].name, "EXAMPLE (Alice) 2");
        assert_eq!(
            planned[2].found,
            Found::Reenrolment {
                id: "bob".into(),
                name: "bob".into()
            }
        );
        assert_eq!(planned[2].name, "BOB 2");
        assert_eq!(planned[3].found, Found::New);
        // Without --replace a re-enrolment is added under its free name.
        assert!(matches!(
            planned[0].change(false),
            Some(Change::Add { name: Some(n), .. }) if n == "Example (alice)"
        ));
        assert!(matches!(
            planned[0].change(true),
            Some(Change::Replace { id, .. }) if id == "alice"
        ));
    }

    #[test]
    fn an_account_whose_key_is_missing_can_be_reenrolled() {
        let (alice, _) = entry("alice", "Example (alice)", A);
        let without_key = [Existing {
            entry: &alice,
            account: None,
        }];
        let planned = plan(&without_key, vec![item(None, A)]);
        assert_eq!(
            planned[0].found,
            Found::Reenrolment {
                id: "alice".into(),
                name: "Example (alice)".into()
            }
        );
    }

    #[test]
    fn nothing_in_comes_to_no_plan() {
        let vault = [entry("1", "prod", A)];
        assert!(plan(&existing(&vault), Vec::new()).is_empty());
    }
}
