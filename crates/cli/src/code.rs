//! `tessera code`: the current (and next) code of an account, as text or JSON.

use anyhow::Result;
use serde::Serialize;
use tessera_core::{Account, uri};

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
    let text = input::value_or_stdin(&args.uri, "otpauth URI")?;
    let account = uri::parse(&text)?;
    let now = input::unix_seconds(args.at)?;
    print_codes(
        None,
        &account.default_name(),
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
