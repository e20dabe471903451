//! `tessera export` and `tessera import`: backups in and out of the vault.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use tessera_core::Sensitive;
use tessera_core::backup::tessera::{self as tessera_backup, KdfParams};
use tessera_core::backup::{self, Format, otpauth, sheet};
use tessera_vault::{Vault, write_backup_file};

use crate::args::{ExportArgs, ExportFormat, ImportArgs};
use crate::input;

/// The shortest passphrase an encrypted backup is written with.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// The passphrase from `--password-file` (its first line; `-` is standard input), or asked on
/// the terminal (`twice` to confirm a new one).
fn passphrase(file: Option<&str>, twice: bool) -> Result<Sensitive<String>> {
    // Only the first line is used; a file of any size is read no further than this.
    const MAX_PASSPHRASE_FILE: u64 = 64 * 1024;
    let mut text = Sensitive::new(String::new());
    match file {
        Some("-") => {
            std::io::stdin()
                .take(MAX_PASSPHRASE_FILE)
                .read_to_string(&mut text)
                .context("reading the passphrase from standard input")?;
        }
        Some(path) => {
            std::fs::File::open(path)
                .and_then(|f| f.take(MAX_PASSPHRASE_FILE).read_to_string(&mut text))
                .with_context(|| format!("{path}: cannot read the passphrase file"))?;
        }
        None => {
            if !std::io::stdin().is_terminal() {
                bail!(
                    "this needs a passphrase: give --password-file FILE, or - for standard input"
                );
            }
            let first = Sensitive::new(rpassword::prompt_password("Passphrase: ")?);
            if twice {
                let again = Sensitive::new(rpassword::prompt_password("Passphrase again: ")?);
                if first != again {
                    bail!("the two passphrases differ; nothing was written");
                }
            }
            return Ok(first);
        }
    };
    let line = text.lines().next().unwrap_or_default();
    if line.is_empty() {
        bail!("the passphrase is empty");
    }
    Ok(Sensitive::new(line.to_owned()))
}

/// Writes `bytes` to `path` all at once (see `write_backup_file`); `-` is standard output.
fn write_file(path: &str, bytes: &[u8]) -> Result<()> {
    if path == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)?;
        return Ok(out.flush()?);
    }
    write_backup_file(Path::new(path), bytes).with_context(|| format!("{path}: cannot write"))
}

pub fn export(args: &ExportArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    let export = vault.exportable()?;
    for entry in &export.missing {
        eprintln!(
            "tessera: warning: {:?} is not in the backup: its secret key is missing from the keychain",
            entry.name
        );
    }
    if export.accounts.is_empty() {
        bail!("there are no accounts to export");
    }
    let now = input::unix_seconds(None)?;
    let bytes: Sensitive<Vec<u8>> = match args.format {
        ExportFormat::Tessera => {
            let pass = passphrase(args.password_file.as_deref(), true)?;
            if pass.chars().count() < MIN_PASSPHRASE_CHARS {
                bail!(
                    "the passphrase is shorter than {MIN_PASSPHRASE_CHARS} characters; nothing was written"
                );
            }
            Sensitive::new(tessera_backup::encrypt(
                &export.accounts,
                &pass,
                KdfParams::DEFAULT,
                now,
            )?)
        }
        ExportFormat::Otpauth => {
            let accounts: Vec<_> = export.accounts.iter().map(|(_, a)| a.clone()).collect();
            Sensitive::new(otpauth::write_list(&accounts).as_bytes().to_vec())
        }
        ExportFormat::Html => {
            Sensitive::new(sheet::html(&export.accounts, now).as_bytes().to_vec())
        }
    };
    write_file(&args.output, &bytes)?;
    if args.format != ExportFormat::Tessera {
        eprintln!(
            "tessera: warning: {} holds every secret key IN CLEAR: anyone who reads it can make your codes. \
             Keep it offline and delete it when done.",
            args.output
        );
    }
    if args.output != "-" {
        let n = export.accounts.len();
        let noun = if n == 1 { "account" } else { "accounts" };
        println!("Exported {n} {noun} to {}", args.output);
    }
    Ok(())
}

/// `import --json`, documented in the README. Stable: scripts rely on it.
#[derive(Debug, Serialize)]
struct ImportJson {
    format: &'static str,
    added: Vec<AddedJson>,
    skipped_duplicates: Vec<DuplicateJson>,
    errors: Vec<String>,
}

#[derive(Debug, Serialize)]
struct AddedJson {
    /// Empty with --dry-run: nothing was added.
    id: String,
    name: String,
}

#[derive(Debug, Serialize)]
struct DuplicateJson {
    name: String,
    duplicate_of: String,
    /// `duplicate_of` is an earlier entry of the same file, not an account in the vault.
    in_file: bool,
}

pub fn import(args: &ImportArgs) -> Result<()> {
    let format = match args.format.as_str() {
        "auto" => None,
        id => Some(Format::from_id(id).with_context(|| {
            let ids: Vec<&str> = Format::ALL.iter().map(|f| f.id()).collect();
            format!("unknown format {id:?}; expected auto, {}", ids.join(", "))
        })?),
    };
    let mut bytes = Vec::new();
    std::fs::File::open(&args.file)
        .and_then(|f| {
            f.take(backup::MAX_BACKUP_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .with_context(|| format!("{}: cannot read the file", args.file))?;
    let detected = format.or_else(|| backup::detect(&bytes));
    let pass = match detected {
        Some(f) if backup::is_encrypted(f, &bytes) => {
            Some(passphrase(args.password_file.as_deref(), false)?)
        }
        _ => None,
    };
    let imported = backup::read(&bytes, detected, pass.as_deref().map(String::as_str))
        .with_context(|| format!("{}: nothing imported", args.file))?;
    let vault = Vault::open_default()?;
    let plan = vault.plan_import(imported.items)?;
    let (duplicates, new): (Vec<_>, Vec<_>) =
        plan.into_iter().partition(|p| p.duplicate_of.is_some());
    let items: Vec<(Option<String>, tessera_core::Account)> =
        new.into_iter().map(|p| (Some(p.name), p.account)).collect();
    let added: Vec<AddedJson> = if args.dry_run {
        items
            .iter()
            .map(|(name, _)| AddedJson {
                id: String::new(),
                name: name.clone().unwrap_or_default(),
            })
            .collect()
    } else {
        vault
            .add_many(&items, input::unix_seconds(None)?)?
            .into_iter()
            .map(|e| AddedJson {
                id: e.id,
                name: e.name,
            })
            .collect()
    };
    let report = ImportJson {
        format: imported.format.id(),
        added,
        skipped_duplicates: duplicates
            .into_iter()
            .map(|p| DuplicateJson {
                duplicate_of: p.duplicate_of.unwrap_or_default(),
                in_file: p.duplicate_in_file,
                name: p.name,
            })
            .collect(),
        errors: imported.skipped.iter().map(ToString::to_string).collect(),
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    let verb = if args.dry_run { "Would add" } else { "Added" };
    writeln!(
        out,
        "{verb} {} accounts from the {}",
        report.added.len(),
        imported.format
    )?;
    for a in &report.added {
        writeln!(out, "  {}", a.name)?;
    }
    for d in &report.skipped_duplicates {
        let place = if d.in_file {
            "the same account as, earlier in the file,"
        } else {
            "already in the vault as"
        };
        writeln!(out, "Skipped {:?}: {place} {:?}", d.name, d.duplicate_of)?;
    }
    for e in &report.errors {
        writeln!(out, "Not imported: {e}")?;
    }
    Ok(())
}
