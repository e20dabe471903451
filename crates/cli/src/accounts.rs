//! `tessera list`, `add`, `rename`, `remove` and `show`: the vault's accounts from a shell.

use std::io::{BufRead, IsTerminal, Write};
use std::num::NonZeroU32;

use anyhow::{Context, Result, bail};
use qrcode::QrCode;
use qrcode::render::unicode::Dense1x2;
use serde::Serialize;
use tessera_core::meta::{IconChoice, Meta, ShownIcon};
use tessera_core::{Account, Algorithm, Kind, Params, Secret, uri};
use tessera_vault::{Change, Entry, SecretState, Vault};

use crate::args::{
    AddArgs, HashAlgorithm, IconArgs, ListArgs, NoteArgs, OtpType, RemoveArgs, RenameArgs,
    ShowArgs, TagArgs,
};
use crate::input;

/// One account in `list --json`, documented in the README. Stable: scripts rely on it.
#[derive(Debug, Serialize)]
struct ListJson<'a> {
    id: &'a str,
    name: &'a str,
    issuer: &'a str,
    label: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    algorithm: &'static str,
    digits: u8,
    /// `null` for HOTP.
    period: Option<u32>,
    /// `null` for TOTP and Steam.
    counter: Option<u64>,
    /// In the order they were given; `[]` when none.
    tags: &'a [String],
    /// `""` when none.
    note: &'a str,
    /// Shown first in the window, whatever its order.
    pinned: bool,
    /// The bundled icon's id (`simple-icons/github`), `custom`, or `null` for a letter.
    icon: Option<&'static str>,
    /// Only with `--check`: "present" or "missing".
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<&'static str>,
}

pub fn list(args: &ListArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    let mut entries = vault.list()?;
    entries.retain(|e| e.meta.has_all_tags(&args.tag));
    let states = if args.check {
        vault
            .secret_states(&entries)?
            .into_iter()
            .map(Some)
            .collect()
    } else {
        vec![None; entries.len()]
    };
    let state_text = |s: &Option<SecretState>| {
        s.map(|s| match s {
            SecretState::Present => "present",
            SecretState::Missing => "missing",
        })
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let shapes: Vec<ListJson> = entries
            .iter()
            .zip(&states)
            .map(|(e, s)| ListJson {
                id: &e.id,
                name: &e.name,
                issuer: &e.issuer,
                label: &e.label,
                kind: e.params.kind.name(),
                algorithm: e.params.algorithm.as_str(),
                digits: e.params.code_length(),
                period: e.params.kind.period().map(NonZeroU32::get),
                counter: match e.params.kind {
                    Kind::Hotp { counter } => Some(counter),
                    _ => None,
                },
                tags: &e.meta.tags,
                note: &e.meta.note,
                pinned: e.meta.pinned,
                icon: e.meta.icon.shown(&e.issuer, &e.label).id(),
                secret: state_text(s),
            })
            .collect();
        serde_json::to_writer(&mut out, &shapes)?;
        writeln!(out)?;
        return Ok(());
    }
    if entries.is_empty() {
        if args.tag.is_empty() {
            eprintln!(
                "No accounts yet. Add one with: tessera add --name NAME --uri -   (then paste the otpauth:// URI)"
            );
        } else {
            eprintln!("No account has the tags {:?}", args.tag);
        }
        return Ok(());
    }
    let tagged = entries.iter().any(|e| !e.meta.tags.is_empty());
    let mut rows = vec![[
        "NAME".to_owned(),
        "ISSUER".to_owned(),
        "LABEL".to_owned(),
        "TYPE".to_owned(),
        if tagged {
            "TAGS".to_owned()
        } else {
            String::new()
        },
        if args.check {
            "KEY".to_owned()
        } else {
            String::new()
        },
    ]];
    for (e, s) in entries.iter().zip(&states) {
        rows.push([
            e.name.clone(),
            e.issuer.clone(),
            e.label.clone(),
            e.params.kind.name().to_owned(),
            e.meta.tags.join(", "),
            state_text(s)
                .map(|t| {
                    if t == "missing" {
                        "MISSING from the keychain"
                    } else {
                        t
                    }
                })
                .unwrap_or("")
                .to_owned(),
        ]);
    }
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if c < 4 || (c == 4 && tagged) {
                line.push_str(&" ".repeat(widths[c] - cell.chars().count() + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// The account described by `add`'s options: a URI, or a key with its parameters.
fn account_to_add(args: &AddArgs) -> Result<Account> {
    if let Some(text) = &args.uri {
        let text = input::value_or_stdin(text, "otpauth URI")?;
        return Ok(uri::parse(&text)?);
    }
    let Some(key) = &args.secret else {
        bail!("give --uri or --secret")
    };
    let key = input::value_or_stdin(key, "secret key")?;
    let secret = Secret::parse(&key)?;
    let kind = match args.otp_type {
        OtpType::Totp => "totp",
        OtpType::Hotp => "hotp",
        OtpType::Steam => "steam",
    };
    let algorithm = match args.algorithm {
        HashAlgorithm::Sha1 => Algorithm::Sha1,
        HashAlgorithm::Sha256 => Algorithm::Sha256,
        HashAlgorithm::Sha512 => Algorithm::Sha512,
    };
    Ok(Account {
        issuer: args.issuer.clone().unwrap_or_default().trim().to_owned(),
        label: args.label.clone().unwrap_or_default().trim().to_owned(),
        secret,
        params: Params::from_values(kind, algorithm, args.digits, args.period, args.counter)?,
    })
}

fn describe(entry: &Entry) -> String {
    let p = &entry.params;
    let how = match p.kind {
        Kind::Totp { period } => format!(
            "TOTP, {}, {} digits, {period} s",
            p.algorithm,
            p.digits.get()
        ),
        Kind::Hotp { counter } => format!(
            "HOTP, {}, {} digits, counter {counter}",
            p.algorithm,
            p.digits.get()
        ),
        Kind::Steam { period } => format!("Steam Guard, {period} s"),
    };
    format!("{:?} ({how})", entry.name)
}

pub fn add(args: &AddArgs) -> Result<()> {
    let account = account_to_add(args)?;
    let vault = Vault::open_default()?;
    let change = Change::Add {
        name: args.name.clone(),
        account,
        meta: Meta {
            tags: args.tag.clone(),
            ..Meta::default()
        },
    };
    let added = vault.apply(&[change], input::unix_seconds(None)?, &mut |_, _| {})?;
    for entry in &added {
        println!("Added {}", describe(entry));
    }
    Ok(())
}

pub fn tag(args: &TagArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    for entry in vault.tag_all(&args.targets, &args.add, &args.remove)? {
        if entry.meta.tags.is_empty() {
            println!("{:?} has no tags", entry.name);
        } else {
            println!("{:?} is tagged {}", entry.name, entry.meta.tags.join(", "));
        }
    }
    Ok(())
}

pub fn note(args: &NoteArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    let Some(text) = &args.text else {
        let entry = vault.find(&args.target)?;
        if !entry.meta.note.is_empty() {
            println!("{}", entry.meta.note);
        }
        return Ok(());
    };
    let text = input::value_or_stdin(text, "note")?;
    let entry = vault.set_note(&args.target, &text)?;
    if entry.meta.note.is_empty() {
        println!("Removed the note of {:?}", entry.name);
    } else {
        println!("Saved the note of {:?}", entry.name);
    }
    Ok(())
}

pub fn icon(args: &IconArgs) -> Result<()> {
    if let Some(text) = &args.search {
        let found = tessera_core::icons::search(text, 50);
        if found.is_empty() {
            bail!("no bundled icon's name contains {text:?}");
        }
        let mut out = std::io::stdout().lock();
        for icon in found {
            writeln!(out, "{}\t{}", icon.id, icon.title)?;
        }
        return Ok(());
    }
    let target = args.target.as_deref().unwrap_or_default();
    let vault = Vault::open_default()?;
    let choice = if let Some(id) = &args.set {
        IconChoice::bundled(id).with_context(|| {
            format!("no bundled icon has the id {id:?}; find one with: tessera icon --search NAME")
        })?
    } else if let Some(path) = &args.file {
        // One byte past the limit is read, so that prepare says the file is too large.
        let max = tessera_vault::icon_file::MAX_FILE_BYTES as u64;
        let bytes = tessera_vault::bounded::read_file_up_to(path, max)
            .with_context(|| format!("{}: cannot read the file", path.display()))?;
        IconChoice::Custom(tessera_vault::icon_file::prepare(&bytes)?)
    } else if args.letter {
        IconChoice::Letter
    } else if args.auto {
        IconChoice::Auto
    } else {
        let entry = vault.find(target)?;
        println!("{}", describe_icon(&entry));
        return Ok(());
    };
    let entry = vault.set_icon(target, choice)?;
    println!("{:?} now shows {}", entry.name, describe_icon(&entry));
    Ok(())
}

/// An account's icon in words: "simple-icons/github (GitHub, matched from the issuer)".
fn describe_icon(entry: &Entry) -> String {
    let chosen = entry.meta.icon != IconChoice::Auto;
    let how = if chosen {
        "chosen"
    } else {
        "matched from the issuer"
    };
    match entry.meta.icon.shown(&entry.issuer, &entry.label) {
        ShownIcon::Bundled(icon) => format!("{} ({}, {how})", icon.id, icon.title),
        ShownIcon::Custom(image) => format!(
            "its own image ({}, {} bytes)",
            image.kind().mime(),
            image.data().len()
        ),
        ShownIcon::Letter if chosen => "a letter (chosen)".to_owned(),
        ShownIcon::Letter => "a letter (no bundled icon matches the issuer)".to_owned(),
    }
}

pub fn rename(args: &RenameArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    let old = vault.find(&args.target)?;
    let entry = vault.rename(&old.id, &args.new_name)?;
    println!("Renamed {:?} to {:?}", old.name, entry.name);
    Ok(())
}

pub fn remove(args: &RemoveArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    let mut entries = args
        .targets
        .iter()
        .map(|t| vault.find(t))
        .collect::<Result<Vec<_>, _>>()?;
    // An account named twice (by name and id, or a prefix) is asked about once.
    let mut seen = std::collections::HashSet::new();
    entries.retain(|e| seen.insert(e.id.clone()));
    if !args.yes {
        let (which, question) = match entries.as_slice() {
            [one] => (format!("{:?}", one.name), describe(one)),
            many => (
                format!("{} accounts", many.len()),
                format!(
                    "{} accounts ({})",
                    many.len(),
                    many.iter()
                        .map(|e| format!("{:?}", e.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        };
        let how = if args.purge {
            "and delete the secret keys from the keychain now, for good"
        } else {
            "to the trash"
        };
        if !confirm(&format!("Remove {question} {how}?"))? {
            bail!("not removing {which} without confirmation: add --yes");
        }
    }
    // By id: the names were confirmed for these very accounts.
    let ids: Vec<String> = entries.into_iter().map(|e| e.id).collect();
    if args.purge {
        for removed in vault.delete_for_good(&ids)? {
            println!(
                "Deleted {:?} for good: its secret key is gone from the keychain",
                removed.name
            );
        }
        return Ok(());
    }
    for removed in vault.remove_all(&ids)? {
        println!(
            "Moved {:?} to the trash, its key kept for {} days: `tessera trash restore {}` \
             brings it back",
            removed.name,
            tessera_vault::trash::KEPT_DAYS,
            removed.id
        );
    }
    Ok(())
}

/// Asks a yes/no question on the terminal: `Ok(false)` when standard input is not one (the
/// caller says to add --yes), an error when the person says no.
pub fn confirm(question: &str) -> Result<bool> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Ok(false);
    }
    eprint!("{question} [y/N] ");
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer)?;
    if !matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
        bail!("nothing changed");
    }
    Ok(true)
}

pub fn show(args: &ShowArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    let entry = vault.find(&args.target)?;
    let account = vault.account(&entry)?;
    let text = uri::format(&account);
    if args.uri {
        println!("{}", text.as_str());
    } else {
        println!("{}", qr_text(&text)?);
        eprintln!(
            "{}: scan this with your phone's authenticator. It contains the secret key.",
            entry.name
        );
    }
    Ok(())
}

/// The QR code of `text` in Unicode half blocks, light modules as blocks, so that it scans on
/// the usual dark terminal background (and on a light one: the quiet zone is drawn too).
fn qr_text(text: &str) -> Result<String> {
    let code = QrCode::new(text.as_bytes()).context("the URI is too long for a QR code")?;
    Ok(code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}
