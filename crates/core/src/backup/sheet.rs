//! The printable recovery sheet: one HTML file, no scripts and nothing fetched, with print
//! styles. Per account: its friendly name, issuer, label, a QR code of its `otpauth://` URI
//! (scan it with any authenticator to restore the account) and the secret key in groups of four
//! (to type it).

use std::fmt::Write as _;

use super::Item;
use crate::account::Account;
use crate::otp::Kind;
use crate::sensitive::Sensitive;
use crate::{qr_svg, uri};

/// Text made safe inside HTML elements and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A key as people copy it by hand: base32 in groups of four ("JBSW Y3DP EHPK 3PXP").
pub fn grouped_key(account: &Account) -> Sensitive<String> {
    let base32 = account.secret.to_base32();
    let mut out = Sensitive::new(String::with_capacity(base32.len() * 5 / 4 + 1));
    for (i, c) in base32.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// `2026-11-22` for a Unix time (UTC), without a date library: Howard Hinnant's
/// days-to-civil algorithm.
pub fn utc_date(unix_seconds: u64) -> String {
    let (year, month, day) = civil_date(unix_seconds);
    format!("{year:04}-{month:02}-{day:02}")
}

/// `YYYYMMDD-HHMMSS` in UTC, for file names that sort in time order.
pub fn utc_stamp(unix_seconds: u64) -> String {
    let (year, month, day) = civil_date(unix_seconds);
    let time = unix_seconds % 86_400;
    format!(
        "{year:04}{month:02}{day:02}-{:02}{:02}{:02}",
        time / 3600,
        time / 60 % 60,
        time % 60
    )
}

/// The UTC calendar date of a Unix time (Howard Hinnant's `civil_from_days`).
fn civil_date(unix_seconds: u64) -> (i64, i64, i64) {
    let days = i64::try_from(unix_seconds / 86_400).unwrap_or(0) + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

const STYLE: &str = "
:root { font: 11pt/1.4 system-ui, sans-serif; color: #000; background: #fff; }
body { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
.warning { border: 2px solid #b00; padding: .5rem .75rem; color: #b00; font-weight: 600; }
.accounts { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem; }
.account { border: 1px solid #888; border-radius: 6px; padding: .75rem; break-inside: avoid; page-break-inside: avoid; }
.account h2 { font-size: 1.1rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
.account dl { margin: 0 0 .5rem; display: grid; grid-template-columns: auto 1fr; gap: 0 .5rem; }
.account dt { color: #555; } .account dd { margin: 0; overflow-wrap: anywhere; }
.qr svg { width: 11rem; height: 11rem; display: block; }
.key { font: 1rem/1.5 ui-monospace, monospace; letter-spacing: .05em; overflow-wrap: anywhere; }
@page { margin: 15mm; }
@media print { body { margin: 0; max-width: none; } .warning { border-width: 1px; } }
";

/// The sheet for `accounts` (in display order, each named), dated `unix_seconds`.
/// It holds every key in clear.
pub fn html(accounts: &[Item], unix_seconds: u64) -> Sensitive<String> {
    let mut out = Sensitive::new(String::with_capacity(4096 + accounts.len() * 8192));
    let date = utc_date(unix_seconds);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Tessera recovery sheet, {date}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>Tessera recovery sheet</h1>\n<p>{count} accounts, {date}. To restore an account, scan its \
         QR code with any authenticator app, or type its key.</p>\n\
         <p class=\"warning\">Anyone who sees this sheet can make your sign-in codes. Print it, keep \
         the paper somewhere safe, and delete this file.</p>\n<div class=\"accounts\">\n",
        count = accounts.len(),
    );
    for item in accounts {
        let (name, account) = (&item.shown_name(), &item.account);
        let link = uri::format(account);
        let qr_svg = qr_svg::render(&link, 200).unwrap_or_default();
        let timing = match account.params.kind {
            Kind::Totp { period } | Kind::Steam { period } => format!("every {period} s"),
            Kind::Hotp { counter } => format!("counter {counter}"),
        };
        let _ = write!(
            out,
            "<section class=\"account\">\n<h2>{name}</h2>\n<dl>\
             <dt>Issuer</dt><dd>{issuer}</dd><dt>Account</dt><dd>{label}</dd>\
             <dt>Codes</dt><dd>{kind}, {algorithm}, {digits} characters, {timing}</dd></dl>\n\
             <div class=\"qr\" role=\"img\" aria-label=\"QR code of {name}\">{qr}</div>\n\
             <p>Key</p><p class=\"key\">{key}</p>\n</section>\n",
            name = escape(name),
            issuer = escape(&account.issuer),
            label = escape(&account.label),
            kind = account.params.kind.name().to_ascii_uppercase(),
            algorithm = account.params.algorithm.as_str(),
            digits = account.params.code_length(),
            qr = strip_xml_declaration(&qr_svg),
            key = grouped_key(account).as_str(),
        );
    }
    out.push_str("</div>\n</body>\n</html>\n");
    out
}

/// The SVG renderer starts with an XML declaration, which has no place inside HTML.
fn strip_xml_declaration(svg: &str) -> &str {
    match svg.strip_prefix("<?xml") {
        Some(rest) => rest
            .split_once("?>")
            .map_or(svg, |(_, body)| body.trim_start()),
        None => svg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(1_795_305_600), "2026-11-22");
        assert_eq!(
            utc_stamp(1_795_305_600 + 13 * 3600 + 5 * 60 + 9),
            "20261122-130509"
        );
    }

    #[test]
    fn names_are_escaped_and_keys_grouped() {
        let account =
            uri::parse("otpauth://totp/%3Cb%3E:x?secret=JBSWY3DPEHPK3PXP&issuer=%3Cb%3E").unwrap();
        let page = html(&[Item::named("<script>alert(1)</script>", account)], 0);
        assert!(!page.contains("<script>"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("JBSW Y3DP EHPK 3PXP"));
        assert!(page.contains("<svg"));
        assert!(!page.contains("<?xml"));
    }
}
