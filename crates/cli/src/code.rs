//! `tessera code`: the current (and next) code of an account, as text or JSON.

use anyhow::{Result, bail};
use serde::Serialize;
use tessera_core::{Account, uri};
use tessera_vault::Vault;

use crate::args::CodeArgs;
use crate::input;

/// The `--json` shape of `code`, documented in the README. Stable: scripts rely on it.
#[derive(Debug, Serialize)]
struct CodeJson<'a> {
    /// The vault id; `null` for an account given with `--uri`.
    id: Option<&'a str>,
    name: &'a str,
    code: &'a str,
    next_code: &'a str,
    /// Seconds per code; `null` for HOTP.
    period: Option<u32>,
    /// Seconds until `code` changes; `null` for HOTP.
    remaining_seconds: Option<u32>,
}

pub fn run(args: &CodeArgs) -> Result<()> {
    let now = input::code_time(args.at)?;
    if let Some(text) = &args.uri {
        let text = input::value_or_stdin(text, "otpauth URI")?;
        let account = uri::parse(&text)?;
        return print_codes(
            None,
            &account.default_name(),
            &account,
            now,
            args.next,
            args.json,
        );
    }
    let Some(target) = &args.target else {
        bail!("give an account's NAME or ID, or --uri")
    };
    // HOTP codes shown are used up: one, or two with --next.
    let taken = if args.next { 2 } else { 1 };
    let (entry, account) = Vault::open_default()?.take_codes(target, taken)?;
    print_codes(
        Some(&entry.id),
        &entry.name,
        &account,
        now,
        args.next,
        args.json,
    )
}

/// Prints the code at `now` and, when asked (or in JSON), the next one.
fn print_codes(
    id: Option<&str>,
    name: &str,
    account: &Account,
    now: u64,
    next: bool,
    json: bool,
) -> Result<()> {
    let code = account.code_at(now);
    let next_code = account.next_code_at(now);
    if json {
        let shape = CodeJson {
            id,
            name,
            code: &code,
            next_code: &next_code,
            period: account.params.kind.period().map(|p| p.get()),
            remaining_seconds: account.params.remaining_seconds(now),
        };
        println!("{}", serde_json::to_string(&shape)?);
    } else if next {
        println!("{code}\n{next_code}");
    } else {
        println!("{code}");
    }
    Ok(())
}
