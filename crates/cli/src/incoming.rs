//! What `scan --add` and `import` do with the accounts they bring in: the vault's plan (names,
//! duplicates, re-enrolments), `--replace`, and the report of what happened.

use anyhow::Result;
use serde::Serialize;
use tessera_core::backup::Item;
use tessera_vault::{Change, Found, Vault};

use crate::input;

/// An account added (or, with --dry-run, that would be).
#[derive(Debug, Serialize)]
pub struct Added {
    /// Empty with --dry-run: nothing was added.
    pub id: String,
    pub name: String,
    /// The account it is an enrolment again of, added beside it because --replace was not given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reenrolment_of: Option<String>,
}

/// An account whose key and parameters were replaced (re-enrolment with --replace).
#[derive(Debug, Serialize)]
pub struct Replaced {
    /// The account's id from now on (its key is a new keychain item).
    pub id: String,
    pub name: String,
}

/// An incoming account skipped as a duplicate.
#[derive(Debug, Serialize)]
pub struct Duplicate {
    pub name: String,
    pub duplicate_of: String,
    /// `duplicate_of` is an earlier entry of the same batch (file), not an account in the vault.
    pub in_file: bool,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub added: Vec<Added>,
    pub replaced: Vec<Replaced>,
    pub duplicates: Vec<Duplicate>,
}

impl Outcome {
    /// Notes for standard error: re-enrolments added as new accounts, and how to replace instead.
    pub fn reenrolment_notes(&self) -> Vec<String> {
        self.added
            .iter()
            .filter_map(|a| {
                let old = a.reenrolment_of.as_ref()?;
                Some(format!(
                    "{:?} is {old:?} enrolled again (same issuer and label, or name, with a new key): added beside it; with --replace, {old:?} gets the new key instead",
                    a.name
                ))
            })
            .collect()
    }
}

/// Plans `items` and, unless `dry_run`, applies the plan: duplicates skipped, re-enrolments
/// replaced when `replace` is set and added under a free name otherwise, the rest added. All or
/// nothing.
pub fn bring_in(vault: &Vault, items: Vec<Item>, replace: bool, dry_run: bool) -> Result<Outcome> {
    let plan = vault.plan(items)?;
    let mut outcome = Outcome::default();
    let mut changes = Vec::new();
    for planned in &plan {
        match &planned.found {
            Found::Duplicate { of, in_batch } => outcome.duplicates.push(Duplicate {
                name: planned.name.clone(),
                duplicate_of: of.clone(),
                in_file: *in_batch,
            }),
            found => {
                if let Some(change) = planned.change(replace) {
                    changes.push((change, found.clone()));
                }
            }
        }
    }
    let entries = if dry_run {
        None
    } else {
        let only: Vec<Change> = changes.iter().map(|(c, _)| c.clone()).collect();
        Some(vault.apply(&only, input::unix_seconds(None)?, &mut |_, _| {})?)
    };
    for (i, (change, found)) in changes.into_iter().enumerate() {
        let entry = entries.as_ref().and_then(|e| e.get(i));
        let id = entry.map(|e| e.id.clone()).unwrap_or_default();
        match (change, found) {
            (Change::Replace { .. }, Found::Reenrolment { name, .. }) => {
                outcome.replaced.push(Replaced { id, name });
            }
            (Change::Add { name, .. }, found) => outcome.added.push(Added {
                id,
                name: entry.map(|e| e.name.clone()).or(name).unwrap_or_default(),
                reenrolment_of: match found {
                    Found::Reenrolment { name, .. } => Some(name),
                    _ => None,
                },
            }),
            (Change::Replace { .. }, _) => {}
        }
    }
    Ok(outcome)
}
