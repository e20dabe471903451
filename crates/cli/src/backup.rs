//! `tessera export` and `tessera import`: backups in and out of the vault.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use tessera_core::Sensitive;
use tessera_core::backup::{self, Format};
use tessera_vault::{Vault, bounded, write_backup_file};

use crate::args::{ExportArgs, ImportArgs};
use crate::{incoming, input};

/// The passphrase from `--password-file` (its first line; `-` is standard input), or asked on
/// the terminal (`twice` to confirm a new one).
pub fn passphrase(file: Option<&str>, twice: bool) -> Result<Sensitive<String>> {
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
    let export = vault.exportable_with(
        |entry| entry.meta.has_all_tags(&args.tag),
        args.include_trash,
    )?;
    for entry in &export.missing {
        eprintln!(
            "tessera: warning: {:?} is not in the backup: its secret key is missing from the keychain",
            entry.name
        );
    }
    if export.accounts.is_empty() && args.tag.is_empty() {
        bail!("there are no accounts to export");
    }
    if export.accounts.is_empty() {
        bail!(
            "no account has the tags {:?}: nothing was written",
            args.tag
        );
    }
    let format = args.format;
    let pass = if format.in_clear() {
        None
    } else {
        Some(passphrase(args.password_file.as_deref(), true)?)
    };
    let bytes = backup::export(
        format,
        &export.accounts,
        pass.as_deref().map(String::as_str),
        input::unix_seconds(None)?,
    )
    .context("nothing was written")?;
    write_file(&args.output, &bytes)?;
    if format.in_clear() {
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
    added: Vec<incoming::Added>,
    replaced: Vec<incoming::Replaced>,
    skipped_duplicates: Vec<incoming::Duplicate>,
    errors: Vec<String>,
}

pub fn import(args: &ImportArgs) -> Result<()> {
    let format = match args.format.as_str() {
        "auto" => None,
        id => Some(Format::from_id(id).with_context(|| {
            let ids: Vec<&str> = Format::ALL.iter().map(|f| f.id()).collect();
            format!("unknown format {id:?}; expected auto, {}", ids.join(", "))
        })?),
    };
    let bytes = bounded::read_file_up_to(Path::new(&args.file), backup::MAX_BACKUP_BYTES as u64)
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
    let outcome = incoming::bring_in(&vault, imported.items, args.replace, args.dry_run)?;
    let notes = outcome.reenrolment_notes();
    let report = ImportJson {
        format: imported.format.id(),
        added: outcome.added,
        replaced: outcome.replaced,
        skipped_duplicates: outcome.duplicates,
        errors: imported.skipped.iter().map(ToString::to_string).collect(),
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    let (verb, replaced) = if args.dry_run {
        ("Would add", "Would replace")
    } else {
        ("Added", "Replaced")
    };
    writeln!(
        out,
        "{verb} {} accounts from the {}",
        report.added.len(),
        imported.format
    )?;
    for a in &report.added {
        writeln!(out, "  {}", a.name)?;
    }
    for r in &report.replaced {
        writeln!(out, "{replaced} the key of {:?} (enrolled again)", r.name)?;
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
    for note in notes {
        eprintln!("tessera: {note}");
    }
    Ok(())
}
