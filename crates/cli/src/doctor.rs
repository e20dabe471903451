//! `tessera doctor [--fix] [--json]`: the vault checked against the keychain (see
//! `tessera_vault::Checkup`), and with --fix the orphan keychain items and temporary files
//! removed. Accounts are never removed.

use std::io::Write;

use anyhow::{Result, bail};
use serde::Serialize;
use tessera_vault::Vault;
use tessera_vault::settings::SettingsFile;

use crate::args::DoctorArgs;

/// `doctor --json`, documented in the README. Stable: scripts rely on it.
#[derive(Debug, Serialize)]
struct DoctorJson {
    orphan_items: Vec<String>,
    missing_keys: Vec<MissingJson>,
    temporary_files: Vec<String>,
    /// The last automatic backup failed: {at, error}.
    backup_failure: Option<tessera_vault::autobackup::Failure>,
    /// The last sync failed: {at, error}.
    sync_failure: Option<tessera_vault::autobackup::Failure>,
    /// --fix removed the orphan items and the temporary files.
    fixed: bool,
}

#[derive(Debug, Serialize)]
struct MissingJson {
    id: String,
    name: String,
}

pub fn run(args: &DoctorArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    let settings = SettingsFile::open_default()?;
    let mut found = if args.fix {
        vault.repair()?
    } else {
        vault.checkup()?
    };
    for path in settings.temporaries() {
        if args.fix {
            std::fs::remove_file(&path)?;
        }
        found.temporaries.push(path);
    }
    let report = DoctorJson {
        orphan_items: found.orphans.clone(),
        missing_keys: found
            .missing
            .iter()
            .map(|e| MissingJson {
                id: e.id.clone(),
                name: e.name.clone(),
            })
            .collect(),
        temporary_files: found
            .temporaries
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        backup_failure: found.backup_failure.clone(),
        sync_failure: found.sync_failure.clone(),
        fixed: args.fix,
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        let (orphan_verb, temp_verb) = if args.fix {
            ("Deleted", "Removed")
        } else {
            ("Found", "Found")
        };
        for id in &report.orphan_items {
            writeln!(
                out,
                "{orphan_verb} keychain item {id}: no account points to it (left by an interrupted add, or the old key of a replaced account)"
            )?;
        }
        for path in &report.temporary_files {
            writeln!(out, "{temp_verb} temporary file {path}")?;
        }
        for missing in &report.missing_keys {
            writeln!(
                out,
                "Account {:?} has no key in the keychain: import it from a backup, or remove it",
                missing.name
            )?;
        }
        if let Some(failure) = &report.backup_failure {
            writeln!(
                out,
                "The last automatic backup failed: {} (`tessera backup status` says more)",
                failure.error
            )?;
        }
        if let Some(failure) = &report.sync_failure {
            writeln!(
                out,
                "The last sync failed: {} (`tessera sync status` says more)",
                failure.error
            )?;
        }
        if found.is_clean() {
            writeln!(out, "The vault and the keychain agree: nothing to do")?;
        }
        if let Some(note) = plain_session_note(&vault) {
            writeln!(out, "{note}")?;
        }
    }
    drop(out);
    let tidy = found.orphans.len() + found.temporaries.len();
    if !args.fix && tidy > 0 {
        bail!("{tidy} leftovers found; `tessera doctor --fix` removes them (never an account)");
    }
    if found.backup_failure.is_some() {
        bail!(
            "the last automatic backup failed; fix its folder, or turn automatic backups on again"
        );
    }
    if found.sync_failure.is_some() {
        bail!("the last sync failed; `tessera sync now` tries again");
    }
    if !found.missing.is_empty() {
        bail!(
            "{} accounts have no key in the keychain; restore them from a backup (tessera import), or remove them",
            found.missing.len()
        );
    }
    Ok(())
}

/// Said when the keychain refused an encrypted session and keys cross the session bus in the
/// clear (as libsecret's do then): KWallet without its QCA crypto plugins.
fn plain_session_note(vault: &Vault) -> Option<String> {
    if vault.secrets().is_encrypted().unwrap_or(true) {
        return None;
    }
    let provider = vault.secrets().provider().unwrap_or_default();
    let fix = if provider == tessera_vault::Provider::KWallet {
        ": install its crypto plugins (libqca-qt5-2-plugins on Debian and Ubuntu) and restart it"
    } else {
        ""
    };
    Some(format!(
        "Note: {} refused an encrypted session, so keys cross your session bus unencrypted{fix}",
        provider.name()
    ))
}
