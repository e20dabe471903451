//! Google Authenticator's transfer codes: `otpauth-migration://offline?data=BASE64`, where the
//! data is a protobuf `MigrationPayload` holding several accounts. A large export is split over
//! several QR codes (a batch): each says its place (`batch_index` of `batch_size`) and the
//! export it belongs to (`batch_id`). [`Batches`] puts scanned codes together and says which
//! are missing.
//!
//! The message, as Google Authenticator writes it (field numbers are what matter):
//!
//! ```text
//! message MigrationPayload {
//!   repeated OtpParameters otp_parameters = 1;
//!   int32 version = 2; int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5;
//! }
//! message OtpParameters {
//!   bytes secret = 1; string name = 2; string issuer = 3;
//!   Algorithm algorithm = 4;   // 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5
//!   DigitCount digits = 5;     // 0 unspecified, 1 six, 2 eight
//!   OtpType type = 6;          // 0 unspecified, 1 HOTP, 2 TOTP
//!   int64 counter = 7;
//! }
//! ```

use std::collections::BTreeMap;

use data_encoding::{BASE64, BASE64_NOPAD};
use prost::Message;
use thiserror::Error;
use zeroize::Zeroize;

use crate::account::Account;
use crate::otp::{Algorithm, Params};
use crate::secret::{Secret, SecretError};
use crate::sensitive::Sensitive;
use crate::uri;

/// Google Authenticator always uses 30-second codes in its exports; the period is not stored.
const PERIOD: u32 = 30;
/// Longer than any transfer code (a version-40 QR code holds under 3 KB).
const MAX_LEN: usize = 64 * 1024;
/// The most codes one export may span. Google Authenticator puts about ten accounts in a code,
/// so this is a thousand accounts; the claimed size is what `Batches::missing` lists, and it
/// comes from the code itself (a crafted code once claimed 2^31).
pub const MAX_BATCH_SIZE: u32 = 100;
/// The most accounts one code may hold: a version-40 QR code has room for about 150 (14 bytes
/// each at the least), and Google Authenticator puts about ten in one.
pub const MAX_ACCOUNTS: usize = 200;

#[derive(Clone, PartialEq, Message)]
struct MigrationPayload {
    #[prost(message, repeated, tag = "1")]
    otp_parameters: Vec<OtpParameters>,
    #[prost(int32, tag = "2")]
    version: i32,
    #[prost(int32, tag = "3")]
    batch_size: i32,
    #[prost(int32, tag = "4")]
    batch_index: i32,
    #[prost(int32, tag = "5")]
    batch_id: i32,
}

#[derive(Clone, PartialEq, Message)]
struct OtpParameters {
    #[prost(bytes = "vec", tag = "1")]
    secret: Vec<u8>,
    #[prost(string, tag = "2")]
    name: String,
    #[prost(string, tag = "3")]
    issuer: String,
    #[prost(int32, tag = "4")]
    algorithm: i32,
    #[prost(int32, tag = "5")]
    digits: i32,
    #[prost(int32, tag = "6")]
    otp_type: i32,
    #[prost(int64, tag = "7")]
    counter: i64,
}

impl Drop for OtpParameters {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

/// Why a transfer link, or one account in it, can't be used. Messages never contain a key.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MigrationError {
    #[error("not a Google Authenticator export link (otpauth-migration://offline?data=...)")]
    NotMigration,
    #[error("the export link is {0} bytes long; at most {MAX_LEN} are accepted")]
    TooLong(usize),
    #[error("the export link has no data")]
    NoData,
    #[error("the export link's data is not valid base64")]
    Base64,
    #[error("the export link's data is damaged (not a Google Authenticator export)")]
    Payload,
    #[error("the export holds no accounts")]
    Empty,
    #[error(
        "the export link claims to be code {index} of {size}; at most {MAX_BATCH_SIZE} codes are accepted"
    )]
    BatchSize { index: u32, size: u32 },
    #[error("the export link holds {0} accounts; at most {MAX_ACCOUNTS} are accepted")]
    TooManyAccounts(usize),
    #[error("uses MD5, which Tessera does not support")]
    Md5,
    #[error("has an unknown algorithm ({0})")]
    Algorithm(i32),
    #[error("has an unknown number of digits ({0})")]
    Digits(i32),
    #[error("has an unknown type ({0})")]
    Type(i32),
    #[error("has a negative counter")]
    Counter,
    #[error("has an unusable key: {0}")]
    Secret(SecretError),
}

/// An account of the export that can't be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// "Issuer (label)", as the account would have been named.
    pub name: String,
    pub reason: MigrationError,
}

/// One transfer QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// The same for every code of one export.
    pub id: i32,
    /// This code's place, from 0.
    pub index: u32,
    /// How many codes the export has (1 when not split).
    pub size: u32,
    pub accounts: Vec<Account>,
    pub skipped: Vec<Skipped>,
}

/// Whether `text` is a transfer link (so it should go to [`parse`], not `uri::parse`).
pub fn is_migration(text: &str) -> bool {
    text.trim()
        .get(..18)
        .is_some_and(|s| s.eq_ignore_ascii_case("otpauth-migration:"))
}

/// Parses one transfer link.
pub fn parse(text: &str) -> Result<Batch, MigrationError> {
    let text = text.trim();
    if text.len() > MAX_LEN {
        return Err(MigrationError::TooLong(text.len()));
    }
    if !is_migration(text) {
        return Err(MigrationError::NotMigration);
    }
    let query = text.split_once('?').map_or("", |(_, q)| q);
    let data = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("data="))
        .ok_or(MigrationError::NoData)?;
    // A '+' of base64 is sometimes left unescaped, and sometimes decoded to a space on the way.
    let data = uri::decode(data, false).ok_or(MigrationError::Base64)?;
    let data: Sensitive<String> = Sensitive::new(
        data.chars()
            .filter(|c| !c.is_ascii_whitespace() || *c == ' ')
            .map(|c| if c == ' ' { '+' } else { c })
            .collect(),
    );
    let bytes = Sensitive::new(
        BASE64_NOPAD
            .decode(data.trim_end_matches('=').as_bytes())
            .map_err(|_| MigrationError::Base64)?,
    );
    let payload =
        MigrationPayload::decode(bytes.as_slice()).map_err(|_| MigrationError::Payload)?;
    if payload.otp_parameters.is_empty() {
        return Err(MigrationError::Empty);
    }
    if payload.otp_parameters.len() > MAX_ACCOUNTS {
        return Err(MigrationError::TooManyAccounts(
            payload.otp_parameters.len(),
        ));
    }
    // Google Authenticator writes 0 or 1 for an export of one code.
    let size = payload.batch_size.max(1);
    let index = payload.batch_index;
    let (Ok(size), Ok(index)) = (u32::try_from(size), u32::try_from(index)) else {
        return Err(MigrationError::Payload);
    };
    if size > MAX_BATCH_SIZE {
        // `index` came from an i32: one more still fits.
        return Err(MigrationError::BatchSize {
            index: index.saturating_add(1),
            size,
        });
    }
    if index >= size {
        return Err(MigrationError::Payload);
    }
    let mut batch = Batch {
        id: payload.batch_id,
        index,
        size,
        accounts: Vec::new(),
        skipped: Vec::new(),
    };
    for otp in &payload.otp_parameters {
        let (issuer, label) = names(otp);
        match account(otp, issuer.clone(), label.clone()) {
            Ok(account) => batch.accounts.push(account),
            Err(reason) => batch.skipped.push(Skipped {
                name: crate::account::default_name(&issuer, &label),
                reason,
            }),
        }
    }
    Ok(batch)
}

/// Issuer and label: the `issuer` field, and the name, whose `Issuer:` prefix is removed.
fn names(otp: &OtpParameters) -> (String, String) {
    let issuer = Some(uri::clean(&otp.issuer)).filter(|i| !i.is_empty());
    uri::split_label(&uri::clean(&otp.name), issuer)
}

fn account(otp: &OtpParameters, issuer: String, label: String) -> Result<Account, MigrationError> {
    let algorithm = match otp.algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        4 => return Err(MigrationError::Md5),
        n => return Err(MigrationError::Algorithm(n)),
    };
    let digits = match otp.digits {
        0 | 1 => 6,
        2 => 8,
        n => return Err(MigrationError::Digits(n)),
    };
    let kind = match otp.otp_type {
        0 | 2 => "totp",
        1 => "hotp",
        n => return Err(MigrationError::Type(n)),
    };
    let counter = u64::try_from(otp.counter).map_err(|_| MigrationError::Counter)?;
    let params = Params::from_values(kind, algorithm, digits, PERIOD, counter)
        .map_err(|_| MigrationError::Payload)?;
    let secret = Secret::from_bytes(otp.secret.clone()).map_err(MigrationError::Secret)?;
    Ok(Account {
        issuer,
        label,
        secret,
        params,
    })
}

/// Writes accounts as one transfer link, as Google Authenticator would (`batch_index` of
/// `batch_size` in export `batch_id`). For tests and test images; Steam accounts and periods
/// other than 30 s can't be expressed and are written as 30 s TOTP.
pub fn format(
    accounts: &[Account],
    batch_index: u32,
    batch_size: u32,
    batch_id: i32,
) -> Sensitive<String> {
    let payload = MigrationPayload {
        otp_parameters: accounts
            .iter()
            .map(|a| {
                let (otp_type, counter) = match a.params.kind {
                    crate::Kind::Hotp { counter } => (1, i64::try_from(counter).unwrap_or(0)),
                    _ => (2, 0),
                };
                OtpParameters {
                    secret: a.secret.expose_bytes().to_vec(),
                    name: if a.issuer.is_empty() {
                        a.label.clone()
                    } else {
                        format!("{}:{}", a.issuer, a.label)
                    },
                    issuer: a.issuer.clone(),
                    algorithm: match a.params.algorithm {
                        Algorithm::Sha1 => 1,
                        Algorithm::Sha256 => 2,
                        Algorithm::Sha512 => 3,
                    },
                    digits: if a.params.digits.get() == 8 { 2 } else { 1 },
                    otp_type,
                    counter,
                }
            })
            .collect(),
        version: 1,
        batch_size: i32::try_from(batch_size).unwrap_or(1),
        batch_index: i32::try_from(batch_index).unwrap_or(0),
        batch_id,
    };
    let bytes = Sensitive::new(payload.encode_to_vec());
    let data = Sensitive::new(BASE64.encode(&bytes));
    let escaped: String = data
        .chars()
        .map(|c| match c {
            '+' => "%2B".to_owned(),
            '/' => "%2F".to_owned(),
            '=' => "%3D".to_owned(),
            c => c.to_string(),
        })
        .collect();
    Sensitive::new(format!("otpauth-migration://offline?data={escaped}"))
}

/// Codes of a batch not yet scanned.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", missing_message(self))]
pub struct Missing {
    pub batch_id: i32,
    pub size: u32,
    /// From 0.
    pub missing: Vec<u32>,
}

fn missing_message(m: &Missing) -> String {
    let which: Vec<String> = m.missing.iter().map(|i| (i + 1).to_string()).collect();
    let (noun, verb) = if which.len() == 1 {
        ("code", "was")
    } else {
        ("codes", "were")
    };
    format!(
        "Google Authenticator export: {noun} {} of {} {verb} not scanned; scan every code the export shows",
        which.join(", "),
        m.size
    )
}

/// Transfer codes scanned so far, put together by export. The same code scanned twice counts
/// once.
#[derive(Debug, Default)]
pub struct Batches {
    exports: BTreeMap<i32, (u32, BTreeMap<u32, Batch>)>,
}

impl Batches {
    pub fn add(&mut self, batch: Batch) {
        let (size, codes) = self
            .exports
            .entry(batch.id)
            .or_insert_with(|| (batch.size, BTreeMap::new()));
        *size = (*size).max(batch.size);
        codes.entry(batch.index).or_insert(batch);
    }

    pub fn is_empty(&self) -> bool {
        self.exports.is_empty()
    }

    /// The exports with codes not yet scanned.
    pub fn missing(&self) -> Vec<Missing> {
        self.exports
            .iter()
            .filter_map(|(id, (size, codes))| {
                let missing: Vec<u32> = (0..*size).filter(|i| !codes.contains_key(i)).collect();
                (!missing.is_empty()).then_some(Missing {
                    batch_id: *id,
                    size: *size,
                    missing,
                })
            })
            .collect()
    }

    /// Every account scanned, in export order, and those that could not be used.
    pub fn into_accounts(self) -> (Vec<Account>, Vec<Skipped>) {
        let mut accounts = Vec::new();
        let mut skipped = Vec::new();
        for (_, (_, codes)) in self.exports {
            for (_, batch) in codes {
                accounts.extend(batch.accounts);
                skipped.extend(batch.skipped);
            }
        }
        (accounts, skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kind;

    fn account(issuer: &str, label: &str, params: Params, key: &[u8]) -> Account {
        Account {
            issuer: issuer.into(),
            label: label.into(),
            secret: Secret::from_bytes(key.to_vec()).unwrap(),
            params,
        }
    }

    /// A transfer link exported by Google Authenticator 7 (two accounts: a TOTP with issuer,
    /// an HOTP at counter 5), as its QR code reads.
    #[test]
    fn reads_an_export_with_every_field() {
        let accounts = vec![
            account(
                "Example",
                "alice@example.com",
                Params::totp(Algorithm::Sha1, 6, 30).unwrap(),
                b"12345678901234567890",
            ),
            account(
                "",
                "bob",
                Params::from_values("hotp", Algorithm::Sha512, 8, 30, 5).unwrap(),
                b"abcdefghijklmnopqrstuvwxyz012345",
            ),
            account(
                "Bank",
                "c:d",
                Params::totp(Algorithm::Sha256, 8, 30).unwrap(),
                &[0xff; 10],
            ),
        ];
        let link = format(&accounts, 0, 1, 42);
        let batch = parse(&link).unwrap();
        assert_eq!((batch.id, batch.index, batch.size), (42, 0, 1));
        assert_eq!(batch.accounts, accounts);
        assert!(batch.skipped.is_empty());
        assert!(matches!(
            batch.accounts[1].params.kind,
            Kind::Hotp { counter: 5 }
        ));
    }

    /// The payload bytes of a real export, written out by hand from the protobuf encoding, so
    /// the field numbers are checked independently of the derive.
    #[test]
    fn reads_hand_encoded_protobuf() {
        let mut otp = vec![0x0a, 10];
        otp.extend_from_slice(b"1234567890");
        otp.extend_from_slice(&[0x12, 9]);
        otp.extend_from_slice(b"Acme:joe@");
        otp.extend_from_slice(&[0x1a, 4]);
        otp.extend_from_slice(b"Acme");
        otp.extend_from_slice(&[0x20, 2, 0x28, 2, 0x30, 1, 0x38, 7]);
        let mut payload = vec![0x0a, otp.len() as u8];
        payload.extend_from_slice(&otp);
        payload.extend_from_slice(&[0x10, 1, 0x18, 2, 0x20, 1, 0x28, 0x99, 0x01]);
        let link = format!(
            "otpauth-migration://offline?data={}",
            BASE64
                .encode(&payload)
                .replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D")
        );
        let batch = parse(&link).unwrap();
        assert_eq!((batch.id, batch.index, batch.size), (153, 1, 2));
        let a = &batch.accounts[0];
        assert_eq!((a.issuer.as_str(), a.label.as_str()), ("Acme", "joe@"));
        assert_eq!(a.secret.expose_bytes(), b"1234567890");
        assert_eq!(
            a.params,
            Params::from_values("hotp", Algorithm::Sha256, 8, 30, 7).unwrap()
        );
    }

    #[test]
    fn batches_say_which_code_is_missing() {
        let totp = Params::totp(Algorithm::Sha1, 6, 30).unwrap();
        let a = account("A", "1", totp, &[1; 10]);
        let b = account("B", "2", totp, &[2; 10]);
        let c = account("C", "3", totp, &[3; 10]);
        let mut batches = Batches::default();
        batches.add(parse(&format(std::slice::from_ref(&c), 2, 3, 7)).unwrap());
        batches.add(parse(&format(std::slice::from_ref(&a), 0, 3, 7)).unwrap());
        batches.add(parse(&format(std::slice::from_ref(&a), 0, 3, 7)).unwrap());
        let missing = batches.missing();
        assert_eq!(
            missing,
            [Missing {
                batch_id: 7,
                size: 3,
                missing: vec![1]
            }]
        );
        assert_eq!(
            missing[0].to_string(),
            "Google Authenticator export: code 2 of 3 was not scanned; scan every code the export shows"
        );
        batches.add(parse(&format(std::slice::from_ref(&b), 1, 3, 7)).unwrap());
        assert!(batches.missing().is_empty());
        assert_eq!(batches.into_accounts().0, [a, b, c]);
    }

    #[test]
    fn unusable_accounts_are_skipped_with_a_reason() {
        let otp = |secret: Vec<u8>, name: &str, issuer: &str, algorithm: i32| {
            let mut otp = OtpParameters::default();
            otp.secret = secret;
            otp.name = name.into();
            otp.issuer = issuer.into();
            otp.algorithm = algorithm;
            otp
        };
        let mut payload = MigrationPayload {
            otp_parameters: vec![
                otp(vec![1; 10], "md5", "", 4),
                otp(vec![1; 5], "short", "X", 0),
                otp(vec![1; 10], "fine", "", 0),
            ],
            ..Default::default()
        };
        let link = format!(
            "otpauth-migration://offline?data={}",
            BASE64_NOPAD.encode(&payload.encode_to_vec())
        );
        let batch = parse(&link).unwrap();
        assert_eq!(batch.accounts.len(), 1);
        assert_eq!(batch.accounts[0].label, "fine");
        assert_eq!(batch.skipped[0].name, "md5");
        assert_eq!(batch.skipped[0].reason, MigrationError::Md5);
        assert_eq!(batch.skipped[1].name, "X (short)");
        assert!(matches!(batch.skipped[1].reason, MigrationError::Secret(_)));
        payload.otp_parameters.clear();
        let empty = format!(
            "otpauth-migration://offline?data={}",
            BASE64.encode(&payload.encode_to_vec())
        );
        assert_eq!(parse(&empty), Err(MigrationError::Empty));
    }

    #[test]
    fn bad_links_are_errors() {
        for (link, error) in [
            (
                "otpauth://totp/x?secret=AAAAAAAAAAAAAAAA",
                MigrationError::NotMigration,
            ),
            ("otpauth-migration://offline", MigrationError::NoData),
            (
                "otpauth-migration://offline?data=%%%",
                MigrationError::Base64,
            ),
            (
                "otpauth-migration://offline?data=!!!!",
                MigrationError::Base64,
            ),
        ] {
            assert_eq!(parse(link), Err(error), "{link}");
        }
        // Protobuf that ends inside a field.
        let truncated = BASE64.encode(&[0x0a, 0x05, 0x0a, 0x03, 0xff]);
        assert_eq!(
            parse(&format!("otpauth-migration://offline?data={truncated}")),
            Err(MigrationError::Payload)
        );
    }

    fn link_of(payload: &MigrationPayload) -> String {
        format!(
            "otpauth-migration://offline?data={}",
            BASE64_NOPAD.encode(&payload.encode_to_vec())
        )
    }

    /// A crafted code claiming 2^31 codes once made `Batches::missing` allocate 4 GiB and abort.
    #[test]
    fn declared_sizes_are_bounded_before_use() {
        let mut otp = OtpParameters::default();
        otp.secret = vec![1; 10];
        otp.name = "x".into();
        let payload = |batch_size, batch_index| MigrationPayload {
            otp_parameters: vec![otp.clone()],
            batch_size,
            batch_index,
            ..Default::default()
        };
        assert_eq!(
            parse(&link_of(&payload(i32::MAX, 0))),
            Err(MigrationError::BatchSize {
                index: 1,
                size: i32::MAX as u32
            })
        );
        assert_eq!(
            parse(&link_of(&payload(101, 100))).unwrap_err().to_string(),
            "the export link claims to be code 101 of 101; at most 100 codes are accepted"
        );
        assert_eq!(
            parse(&link_of(&payload(2, -1))),
            Err(MigrationError::Payload)
        );
        let mut batches = Batches::default();
        batches.add(parse(&link_of(&payload(100, 99))).unwrap());
        assert_eq!(batches.missing()[0].missing.len(), 99);
        let crowded = MigrationPayload {
            otp_parameters: vec![otp; MAX_ACCOUNTS + 1],
            ..Default::default()
        };
        assert_eq!(
            parse(&link_of(&crowded)),
            Err(MigrationError::TooManyAccounts(MAX_ACCOUNTS + 1))
        );
    }

    #[test]
    fn plus_signs_survive_being_unescaped_or_turned_into_spaces() {
        let totp = Params::totp(Algorithm::Sha1, 6, 30).unwrap();
        // A key whose base64 has '+' and '/' in it.
        let a = account(
            "I",
            "l",
            totp,
            &[0xfb, 0xef, 0xbe, 0xfb, 0xff, 0xff, 0xfb, 0xef, 0xbe, 0xfb],
        );
        let link = format(std::slice::from_ref(&a), 0, 1, 1);
        let raw = link
            .replace("%2B", "+")
            .replace("%2F", "/")
            .replace("%3D", "=");
        assert_eq!(parse(&raw).unwrap().accounts, std::slice::from_ref(&a));
        assert_eq!(parse(&raw.replace('+', " ")).unwrap().accounts, [a]);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in ".{0,300}") {
            let _ = parse(&format!("otpauth-migration://offline?data={text}"));
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            let _ = parse(&format!("otpauth-migration://offline?data={}", BASE64.encode(&bytes)));
        }
    }
}
