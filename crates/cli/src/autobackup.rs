//! `tessera backup auto` and `tessera backup status`: automatic backups after every change
//! (see `tessera_vault::autobackup`).

use anyhow::{Result, bail};
use serde::Serialize;
use tessera_vault::Vault;
use tessera_vault::autobackup::{AutoBackup, AutoFormat, Failure, Written};

use crate::args::{AutoBackupArgs, AutoBackupFormat, BackupArgs, BackupCommand, BackupStatusArgs};
use crate::backup::passphrase;

pub fn run(args: &BackupArgs) -> Result<()> {
    match &args.command {
        BackupCommand::Auto(args) => auto(args),
        BackupCommand::Status(args) => status(args),
    }
}

fn auto(args: &AutoBackupArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    let Some(folder) = &args.folder else {
        match vault.disable_auto_backup()? {
            Some(was) => println!(
                "Automatic backups off; the backups written stay in {}",
                was.folder.display()
            ),
            None => println!("Automatic backups were off"),
        }
        return Ok(());
    };
    let pass = passphrase(args.password_file.as_deref(), true)?;
    let format = match args.format {
        AutoBackupFormat::Tessera => AutoFormat::Tessera,
        AutoBackupFormat::Aegis => AutoFormat::Aegis,
    };
    let first = vault.enable_auto_backup(folder, usize::from(args.keep), &pass, format)?;
    let folder = first.file.parent().unwrap_or(folder);
    println!(
        "Automatic backups on: after every change an encrypted backup goes to {} (the {} newest are kept)",
        folder.display(),
        args.keep
    );
    println!("First backup: {}", first.file.display());
    Ok(())
}

/// `backup status --json`, documented in the README. Stable: scripts rely on it.
#[derive(Debug, Serialize)]
struct StatusJson<'a> {
    enabled: bool,
    folder: Option<String>,
    keep: Option<usize>,
    last_backup: Option<&'a Written>,
    last_failure: Option<&'a Failure>,
}

fn status(args: &BackupStatusArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    let config: Option<AutoBackup> = vault.auto_backup();
    let last_backup = config.as_ref().and_then(|c| c.last_backup.as_ref());
    let last_failure = config.as_ref().and_then(|c| c.last_failure.as_ref());
    if args.json {
        let shape = StatusJson {
            enabled: config.is_some(),
            folder: config.as_ref().map(|c| c.folder.display().to_string()),
            keep: config.as_ref().map(|c| c.keep),
            last_backup,
            last_failure,
        };
        println!("{}", serde_json::to_string(&shape)?);
    } else if let Some(config) = &config {
        println!(
            "Automatic backups on: into {}, the {} newest kept",
            config.folder.display(),
            config.keep
        );
        if let Some(written) = last_backup {
            println!(
                "Last backup: {} ({} accounts, {})",
                written.file.display(),
                written.accounts,
                tessera_core::backup::sheet::utc_stamp(written.at)
            );
        }
    } else {
        println!("Automatic backups are off (`tessera backup auto --folder DIR` turns them on)");
    }
    if let Some(failure) = last_failure {
        bail!(
            "the last automatic backup failed ({} UTC): {}",
            tessera_core::backup::sheet::utc_stamp(failure.at),
            failure.error
        );
    }
    Ok(())
}
