//! Values that may come from standard input (`-`), and the clock, read here at the edge.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use tessera_core::Sensitive;
use tessera_vault::bounded;

/// Standard input is read up to this many bytes; a URI or key is far shorter.
const MAX_STDIN: u64 = 1024 * 1024;

/// The value itself, or for `-` standard input with surrounding white space removed. The text
/// may be a secret, so it is zeroed on drop.
pub fn value_or_stdin(value: &str, what: &str) -> Result<Sensitive<String>> {
    if value != "-" {
        return Ok(Sensitive::new(value.to_owned()));
    }
    let text = bounded::read_text_at_most(std::io::stdin(), MAX_STDIN)
        .with_context(|| format!("reading the {what} from standard input"))?;
    let trimmed = Sensitive::new(text.trim().to_owned());
    if trimmed.is_empty() {
        bail!("standard input was empty; expected the {what}");
    }
    Ok(trimmed)
}

/// The moment codes are made for: `--at` if given (never corrected), else the system clock,
/// moved by the correction `tessera time --apply` saved, which is said on standard error.
pub fn code_time(at: Option<u64>) -> Result<u64> {
    if at.is_some() {
        return unix_seconds(at);
    }
    let correction = tessera_vault::settings::SettingsFile::open_default()
        .map(|file| file.load().clock_correction_seconds)
        .unwrap_or_default();
    match correction {
        Some(seconds) if seconds != 0 => {
            eprintln!("tessera: using corrected time: {seconds:+} s");
            Ok(tessera_vault::clock::corrected_unix_ms(Some(seconds)) / 1000)
        }
        _ => unix_seconds(None),
    }
}

/// `--at` if given, else the system clock.
pub fn unix_seconds(at: Option<u64>) -> Result<u64> {
    match at {
        Some(at) => Ok(at),
        None => Ok(SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .context("the system clock is set before 1970")?
            .as_secs()),
    }
}
