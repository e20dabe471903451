//! `tessera scan IMAGE... [--json] [--add] [--name NAME]`: the QR codes in image files, as
//! otpauth URIs, and with --add into the vault.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use tessera_core::backup::Item;
use tessera_core::scan::Collector;
use tessera_core::{Sensitive, uri};
use tessera_qr as qr;
use tessera_vault::{Vault, bounded};

use crate::args::ScanArgs;
use crate::incoming;

/// One QR code in `scan --json`, documented in the README. Stable: scripts rely on it. The
/// payload (a key, in clear) is what the user asked to see.
#[derive(Serialize)]
struct ScanJson<'a> {
    file: &'a str,
    payload: &'a str,
}

/// An image file's bytes, or standard input's for `-`, up to the size limit.
fn read_image(path: &str) -> Result<Sensitive<Vec<u8>>> {
    // One byte past the limit: the QR reader refuses a larger image in its own words.
    if path == "-" {
        bounded::read_up_to(std::io::stdin(), qr::MAX_FILE_BYTES)
            .context("reading the image from standard input")
    } else {
        bounded::read_file_up_to(Path::new(path), qr::MAX_FILE_BYTES)
            .with_context(|| format!("{path}: cannot read the file"))
    }
}

pub fn run(args: &ScanArgs) -> Result<()> {
    let mut collector = Collector::default();
    let mut found: Vec<(String, Vec<Sensitive<String>>)> = Vec::new();
    for path in &args.images {
        let bytes = read_image(path)?;
        let payloads = qr::add_image(&mut collector, path, &bytes);
        found.push((path.clone(), payloads));
    }
    let collected = collector.finish();
    // Nothing found for one reason: that reason is the error, said once.
    if let [only] = collected.problems.as_slice()
        && collected.accounts.is_empty()
        && !args.json
    {
        bail!("{only}");
    }
    let serious = collected.problems.iter().any(|p| p.is_serious());
    for problem in &collected.problems {
        eprintln!("tessera: {problem}");
    }

    let mut out = std::io::stdout().lock();
    if args.json {
        let shapes: Vec<ScanJson> = found
            .iter()
            .flat_map(|(file, payloads)| {
                payloads.iter().map(move |payload| ScanJson {
                    file,
                    payload: payload.as_str(),
                })
            })
            .collect();
        serde_json::to_writer(&mut out, &shapes)?;
        writeln!(out)?;
    } else if !args.add {
        for account in &collected.accounts {
            writeln!(out, "{}", uri::format(account).as_str())?;
        }
    }
    if !args.add {
        if serious {
            bail!("not every image gave its codes (see above)");
        }
        if collected.accounts.is_empty() {
            bail!("no authenticator accounts found");
        }
        return Ok(());
    }

    // --add: all or nothing, and only from a scan without doubts.
    if serious {
        bail!("nothing added: not every image gave its codes (see above)");
    }
    if collected.accounts.is_empty() {
        bail!("nothing added: no authenticator accounts found");
    }
    if args.name.is_some() && collected.accounts.len() != 1 {
        bail!(
            "nothing added: --name names one account, and the images hold {}",
            collected.accounts.len()
        );
    }
    let vault = Vault::open_default()?;
    let items = collected
        .accounts
        .into_iter()
        .map(|account| Item {
            name: args.name.clone(),
            ..Item::new(account)
        })
        .collect();
    let outcome = incoming::bring_in(&vault, items, args.replace, false)?;
    for d in &outcome.duplicates {
        eprintln!(
            "tessera: skipped {:?}: already in the vault as {:?}",
            d.name, d.duplicate_of
        );
    }
    for note in outcome.reenrolment_notes() {
        eprintln!("tessera: {note}");
    }
    if !args.json {
        for added in &outcome.added {
            writeln!(out, "Added {:?} (id {})", added.name, added.id)?;
        }
        for replaced in &outcome.replaced {
            writeln!(
                out,
                "Replaced the key of {:?} (enrolled again; id {})",
                replaced.name, replaced.id
            )?;
        }
    }
    Ok(())
}
