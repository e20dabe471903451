//! What each fuzz target does with its input, kept here so that `make test` replays the inputs
//! fuzzing found (`fuzz/regressions/<target>/`, in `tests/regressions.rs`) through the same code
//! as `cargo fuzz` runs. Each function takes any bytes: an error is fine, a panic, an abort, a
//! hang or an oversized allocation is a finding.
//!
//! Where a parser accepts its input, the target also checks that writing the result and
//! reading it again gives the same thing, so a finding can be a wrong answer, not only a crash.

use data_encoding::BASE64;
use tessera_core::backup::{self, Format};
use tessera_core::migration::{self, Batches};
use tessera_core::{Secret, scan, uri};
use tessera_qr as qr;
use tessera_vault::index::Accounts;

/// What a target does with its input.
pub type Target = fn(&[u8]);

/// Every target, by the name `cargo fuzz` and `fuzz/regressions/` know it by.
pub const TARGETS: [(&str, Target); 7] = [
    ("secret", secret),
    ("uri", uri),
    ("transfer", transfer),
    ("backup", backup),
    ("qr_image", qr_image),
    ("index", index),
    ("sntp", sntp),
];

/// A time server's reply: the first 8 bytes are the request's transmit time, the next 8 the
/// moment of reception (so that the fuzzer can make a reply that answers the request), the
/// rest the reply. A reply that is used gives a finite offset and a round trip of 0 or more.
pub fn sntp(data: &[u8]) {
    use tessera_core::sntp::{Timestamp, read_reply};
    if data.len() < 16 {
        return;
    }
    let word = |bytes: &[u8]| u64::from_be_bytes(bytes.try_into().unwrap_or_default());
    let (sent, received) = (Timestamp(word(&data[..8])), Timestamp(word(&data[8..16])));
    if let Ok(measured) = read_reply(&data[16..], sent, received) {
        assert!(measured.offset_seconds.is_finite(), "finite offset");
        assert!(
            measured.round_trip_seconds >= 0.0,
            "round trip of 0 or more"
        );
    }
}

/// A secret key as typed or pasted.
pub fn secret(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(secret) = Secret::parse(text) {
        let again = Secret::parse(&secret.to_base32());
        assert!(again.as_ref() == Ok(&secret), "base32 round trip");
    }
}

/// An `otpauth://` URI.
pub fn uri(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(account) = uri::parse(text) {
        let again = uri::parse(&uri::format(&account));
        assert!(again.as_ref() == Ok(&account), "URI round trip");
    }
}

/// Google Authenticator transfer codes. The first byte says how the rest is read: odd, as
/// protobuf bytes put into a link; even, as the text of links, one a line (codes of one
/// export scanned together).
pub fn transfer(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let links: Vec<String> = if mode % 2 == 1 {
        vec![format!(
            "otpauth-migration://offline?data={}",
            BASE64.encode(rest)
        )]
    } else {
        String::from_utf8_lossy(rest)
            .lines()
            .map(str::to_owned)
            .collect()
    };
    let mut batches = Batches::default();
    for link in &links {
        if let Ok(batch) = migration::parse(link) {
            assert!(batch.index < batch.size && batch.size <= migration::MAX_BATCH_SIZE);
            batches.add(batch);
        }
    }
    for missing in batches.missing() {
        let _ = missing.to_string();
    }
    let _ = batches.into_accounts();
}

/// A backup file. The first byte picks the format (0: found from the bytes, as `tessera
/// import` does by default; 1 to 10: `--format`), the second whether a passphrase is given.
pub fn backup(data: &[u8]) {
    let [choice, with_passphrase, file @ ..] = data else {
        return;
    };
    let format = usize::from(*choice)
        .checked_sub(1)
        .and_then(|i| Format::ALL.get(i).copied());
    let passphrase = (with_passphrase % 2 == 1).then_some("test");
    if let Some(detected) = backup::detect(file) {
        let _ = backup::is_encrypted(detected, file);
    }
    if let Ok(imported) = backup::read(file, format, passphrase) {
        assert!(!imported.items.is_empty());
        assert!(imported.items.len() + imported.skipped.len() <= backup::MAX_ENTRIES);
    }
}

/// An image file: every QR code in it, and what the codes add up to, as a scan does.
pub fn qr_image(data: &[u8]) {
    let mut collector = scan::Collector::default();
    collector.add_decoded("fuzz", qr::decode(data));
    let _ = collector.finish();
}

/// The vault's index file.
pub fn index(data: &[u8]) {
    let _ = Accounts::parse(data);
}
