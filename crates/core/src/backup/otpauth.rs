//! The plain `otpauth://` list: one URI a line. Tessera writes it for Aegis, Ente, FreeOTP+ and
//! itself to read; it reads the same from them, with the tags and note of Ente's extra parameter
//! (`codeDisplay`) kept and Google Authenticator transfer links (`otpauth-migration://`)
//! expanded.

use super::{Entries, Format, ImportError, Item, Read, Skipped};
use serde::Deserialize;

use crate::account::Account;
use crate::meta::Meta;
use crate::migration::{self, Batch, Batches};
use crate::sensitive::Sensitive;
use crate::uri;

/// The list, one URI a line, each line ending in `\n`. It holds every key in clear.
pub fn write_list(accounts: &[Account]) -> Sensitive<String> {
    let mut text = Sensitive::new(String::with_capacity(accounts.len() * 200));
    for account in accounts {
        text.push_str(&uri::format(account));
        text.push('\n');
    }
    text
}

fn is_uri_line(line: &str) -> bool {
    let lower = line
        .trim_start()
        .get(..20)
        .unwrap_or(line)
        .to_ascii_lowercase();
    lower.starts_with("otpauth://") || lower.starts_with("otpauth-migration://")
}

/// Whether `text` has at least one line that is an otpauth URI.
pub fn is_list(text: &str) -> bool {
    text.lines().any(is_uri_line)
}

/// What Ente Auth keeps in its `codeDisplay` parameter (JSON) that Tessera keeps too.
#[derive(Deserialize, Default)]
struct CodeDisplay {
    #[serde(default, deserialize_with = "super::entries")]
    tags: Vec<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    pinned: bool,
}

/// The tags, note and pin of an Ente Auth line; none when it has no valid `codeDisplay`.
fn ente_meta(line: &str) -> Meta {
    let display: CodeDisplay = uri::parameter(line, "codedisplay")
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    Meta {
        pinned: display.pinned,
        ..Meta::imported(&display.tags, &display.note)
    }
}

/// Every account of the list, in order. Blank lines and `#` comments are passed over; a line
/// that is not a usable URI is skipped with the reason.
pub(super) fn read_list(bytes: &[u8]) -> Read {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ImportError::damaged(Format::Otpauth, "it is not UTF-8 text"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut entries = Entries::default();
    let mut batches = Batches::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let place = || format!("line {}", n + 1);
        if migration::is_migration(line) {
            match migration::parse(line) {
                Ok(batch) => {
                    for account in &batch.accounts {
                        entries.push_item(Item::new(account.clone()))?;
                    }
                    for s in &batch.skipped {
                        entries.push_skipped(Skipped {
                            name: s.name.clone(),
                            reason: s.reason.to_string(),
                        })?;
                    }
                    batches.add(Batch {
                        accounts: Vec::new(),
                        skipped: Vec::new(),
                        ..batch
                    });
                }
                Err(e) => entries.push(place, Err(e.to_string()))?,
            }
            continue;
        }
        entries.push_with(
            place,
            uri::parse(line).map_err(|e| e.to_string()),
            ente_meta(line),
        )?;
    }
    for missing in batches.missing() {
        entries.push_skipped(Skipped {
            name: "Google Authenticator export".into(),
            reason: missing.to_string(),
        })?;
    }
    entries.done()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_then_read_gives_the_same_accounts() {
        let accounts: Vec<Account> = [
            "otpauth://totp/A%20B:c%2Bd?secret=JBSWY3DPEHPK3PXP&issuer=A%20B",
            "otpauth://hotp/H:x?secret=JBSWY3DPEHPK3PXQ&counter=42&digits=8&algorithm=SHA256",
            "otpauth://steam/Steam:me?secret=JBSWY3DPEHPK3PXR",
            "otpauth://totp/:only%3Alabel?secret=JBSWY3DPEHPK3PXS&period=60",
        ]
        .into_iter()
        .map(|u| uri::parse(u).unwrap())
        .collect();
        let text = write_list(&accounts);
        assert_eq!(text.lines().count(), 4);
        assert!(is_list(&text));
        let (items, skipped) = read_list(text.as_bytes()).unwrap();
        assert!(skipped.is_empty());
        let back: Vec<Account> = items.into_iter().map(|i| i.account).collect();
        assert_eq!(back, accounts);
    }

    #[test]
    fn bad_lines_are_skipped_with_their_line_number() {
        let text = "# exported\n\notpauth://totp/A?secret=JBSWY3DPEHPK3PXP\nhello\notpauth://totp/B?secret=0\n";
        let (items, skipped) = read_list(text.as_bytes()).unwrap();
        assert_eq!(items.len(), 1);
        let names: Vec<&str> = skipped.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["line 4", "line 5"]);
    }

    #[test]
    fn transfer_links_expand_and_a_missing_code_is_said() {
        let accounts = vec![
            uri::parse("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP").unwrap(),
            uri::parse("otpauth://hotp/B:b?secret=JBSWY3DPEHPK3PXQ&counter=3").unwrap(),
        ];
        let link = migration::format(&accounts, 0, 2, 7);
        let text = format!("{}\n", link.as_str());
        let (items, skipped) = read_list(text.as_bytes()).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(skipped.len(), 1);
        assert!(skipped[0].reason.contains("code 2 of 2"), "{}", skipped[0]);
    }
}
