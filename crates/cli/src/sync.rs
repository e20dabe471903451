//! `tessera sync`: setup, join, now, status and off (see `tessera_vault::sync` and docs/sync.md).

use std::io::Read;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use tessera_core::Sensitive;
use tessera_core::backup::sheet::utc_stamp;
use tessera_vault::Vault;
use tessera_vault::autobackup::Failure;

use crate::args::{
    FollowAegisArgs, SyncArgs, SyncCommand, SyncForgetArgs, SyncJoinArgs, SyncSetupArgs,
    SyncStatusArgs,
};

pub fn run(args: &SyncArgs) -> Result<()> {
    match &args.command {
        SyncCommand::Setup(args) => setup(args),
        SyncCommand::Join(args) => join(args),
        SyncCommand::Now => now(),
        SyncCommand::Status(args) => status(args),
        SyncCommand::Forget(args) => forget(args),
        SyncCommand::Off => off(),
        SyncCommand::FollowAegis(args) => follow_aegis(args),
    }
}

fn setup(args: &SyncSetupArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    let (config, secret) = vault.sync_setup(&args.folder, args.device_name.as_deref())?;
    // The secret alone on standard output, so that `> file` or a pipe takes it whole.
    println!("{}", secret.as_str());
    eprintln!(
        "tessera: syncing through {} as {:?}. On each other computer: tessera sync join --folder DIR --secret-file FILE (the line above is the pairing secret: keep it as you would a password)",
        config.folder.display(),
        config.device_name
    );
    Ok(())
}

fn join(args: &SyncJoinArgs) -> Result<()> {
    // The secret's only line; a file of any size is read no further than this.
    const MAX_SECRET_FILE: u64 = 4096;
    let mut text = Sensitive::new(String::new());
    if args.secret_file == "-" {
        std::io::stdin()
            .take(MAX_SECRET_FILE)
            .read_to_string(&mut text)
            .context("reading the pairing secret from standard input")?;
    } else {
        std::fs::File::open(&args.secret_file)
            .and_then(|f| f.take(MAX_SECRET_FILE).read_to_string(&mut text))
            .with_context(|| format!("{}: cannot read the pairing secret", args.secret_file))?;
    }
    let vault = Vault::open_default()?;
    let config = vault.sync_join(&args.folder, &text, args.device_name.as_deref())?;
    let accounts = vault.list()?.len();
    println!(
        "Joined the sync set in {} as {:?}: {accounts} accounts here now",
        config.folder.display(),
        config.device_name
    );
    Ok(())
}

fn now() -> Result<()> {
    let vault = Vault::open_default()?;
    let merged = vault.sync_now()?;
    println!(
        "Synced: {} added, {} changed, {} removed here",
        merged.added, merged.changed, merged.removed
    );
    Ok(())
}

/// `sync status --json`, documented in docs/guide.md. Stable: scripts rely on it.
#[derive(Debug, Serialize)]
struct StatusJson<'a> {
    folder: Option<String>,
    device: Option<&'a str>,
    devices: Vec<DeviceJson<'a>>,
    last_sync: Option<u64>,
    failure: Option<&'a Failure>,
}

#[derive(Debug, Serialize)]
struct DeviceJson<'a> {
    id: &'a str,
    name: &'a str,
    last_seen: Option<u64>,
}

fn status(args: &SyncStatusArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    let config = vault.sync_config();
    let mut devices = Vec::new();
    if let Some(config) = &config {
        devices.push(DeviceJson {
            id: &config.device,
            name: &config.device_name,
            last_seen: config.last_sync,
        });
        devices.extend(config.devices.iter().map(|(id, seen)| DeviceJson {
            id,
            name: &seen.name,
            last_seen: Some(seen.last_seen),
        }));
    }
    let failure = config.as_ref().and_then(|c| c.failure.as_ref());
    if args.json {
        let shape = StatusJson {
            folder: config.as_ref().map(|c| c.folder.display().to_string()),
            device: config.as_ref().map(|c| c.device.as_str()),
            devices,
            last_sync: config.as_ref().and_then(|c| c.last_sync),
            failure,
        };
        println!("{}", serde_json::to_string(&shape)?);
    } else if let Some(config) = &config {
        println!("Syncing through {}", config.folder.display());
        for (i, device) in devices.iter().enumerate() {
            let seen = device
                .last_seen
                .map_or("never".to_owned(), |at| format!("{} UTC", utc_stamp(at)));
            let this = if i == 0 { " (this computer)" } else { "" };
            println!(
                "  {} {:?}{this}: last synced {seen}",
                device.id, device.name
            );
        }
        if let Some(notice) = &config.notice {
            println!("Note: {notice}");
        }
        if let Some(aegis) = vault.aegis_follow() {
            println!("Following the Aegis backups in {}", aegis.folder.display());
        }
        if !config.foreign.is_empty() {
            println!(
                "Not of this set (another set's, or devices still to join again): {}",
                config.foreign.join(", ")
            );
        }
    } else {
        println!(
            "Sync is off (`tessera sync setup --folder DIR` starts a set, `tessera sync join` joins one)"
        );
    }
    if let Some(failure) = failure {
        bail!(
            "the last sync failed ({} UTC): {}",
            utc_stamp(failure.at),
            failure.error
        );
    }
    Ok(())
}

fn forget(args: &SyncForgetArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    let (secret, name) = vault.sync_forget(&args.device)?;
    println!("{}", secret.as_str());
    eprintln!(
        "tessera: {name:?} is forgotten. It still knew the old key, so this computer started a new sync set: the line above is its pairing secret. On each other computer: tessera sync off, then tessera sync join --folder DIR --secret-file FILE. Stop sharing the folder with {name:?} too"
    );
    Ok(())
}

fn off() -> Result<()> {
    let vault = Vault::open_default()?;
    match vault.sync_off()? {
        Some(was) => println!(
            "Sync off: every account stays on this computer; the other computers keep theirs and sync on through {}",
            was.folder.display()
        ),
        None => println!("Sync was off"),
    }
    Ok(())
}

fn follow_aegis(args: &FollowAegisArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    let Some(folder) = &args.folder else {
        match vault.unfollow_aegis()? {
            Some(was) => println!(
                "No longer following the Aegis backups in {}; the accounts taken in stay",
                was.folder.display()
            ),
            None => println!("Aegis backups were not followed"),
        }
        return Ok(());
    };
    let password = crate::backup::passphrase(args.password_file.as_deref(), false)?;
    let taken = vault.follow_aegis(folder, &password)?;
    println!(
        "Following the Aegis backups in {}: from {}, {} added, {} replaced (enrolled again), {} already here",
        folder.display(),
        taken.file,
        taken.added,
        taken.replaced,
        taken.unchanged
    );
    Ok(())
}
