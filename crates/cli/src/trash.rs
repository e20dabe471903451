//! `tessera trash [list|restore|empty]`: the accounts `remove` put aside, kept with their keys
//! for 30 days (see `tessera_vault::trash`).

use anyhow::{Result, bail};
use serde::Serialize;
use tessera_core::backup::sheet::utc_date;
use tessera_vault::Vault;

use crate::accounts::confirm;
use crate::args::{TrashArgs, TrashCommand};

/// `trash list --json`, one per trashed account. Stable: scripts rely on it.
#[derive(Debug, Serialize)]
struct TrashedJson<'a> {
    id: &'a str,
    name: &'a str,
    issuer: &'a str,
    label: &'a str,
    /// When it was removed, Unix seconds.
    deleted: u64,
    /// When it is deleted for good, Unix seconds.
    purged_at: u64,
}

pub fn run(args: &TrashArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    match &args.command {
        None => list(&vault, args.json),
        Some(TrashCommand::List(list_args)) => list(&vault, args.json || list_args.json),
        Some(TrashCommand::Restore(restore)) => {
            for entry in vault.restore_from_trash(&restore.targets)? {
                println!("Restored {:?}", entry.name);
            }
            Ok(())
        }
        Some(TrashCommand::Empty(empty)) => {
            let count = vault.trash()?.len();
            if count == 0 {
                println!("The trash is empty");
                return Ok(());
            }
            let question = format!(
                "Delete the {count} accounts in the trash and their secret keys, for good?"
            );
            if !empty.yes && !confirm(&question)? {
                bail!("not emptying the trash without confirmation: add --yes");
            }
            let deleted = vault.delete_from_trash(None)?;
            println!(
                "Deleted {} accounts for good: their secret keys are gone from the keychain",
                deleted.len()
            );
            Ok(())
        }
    }
}

fn list(vault: &Vault, json: bool) -> Result<()> {
    let trash = vault.trash()?;
    if json {
        let shown: Vec<TrashedJson> = trash
            .iter()
            .map(|t| TrashedJson {
                id: &t.entry.id,
                name: &t.entry.name,
                issuer: &t.entry.issuer,
                label: &t.entry.label,
                deleted: t.deleted,
                purged_at: t.purged_at(),
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&shown)?);
        return Ok(());
    }
    if trash.is_empty() {
        println!("The trash is empty");
        return Ok(());
    }
    for t in &trash {
        println!(
            "{}\t{}\tremoved {}, deleted for good on {}\t{}",
            t.entry.name,
            t.entry.issuer,
            utc_date(t.deleted),
            utc_date(t.purged_at()),
            t.entry.id
        );
    }
    Ok(())
}

/// Deletes for good what was removed more than 30 days ago, before any command that reads the
/// vault. A keychain that can't delete them now (locked) is said, and they wait for the next
/// time; any other failure (a damaged index) is the command's own to report.
pub fn purge_expired(vault: &Vault) {
    let now = crate::unix_now();
    if let Err(e @ tessera_vault::VaultError::Keychain(_)) = vault.purge_expired_trash(now) {
        eprintln!("tessera: warning: the trash's expired accounts are not deleted yet: {e}");
    }
}
