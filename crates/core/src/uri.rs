//! `otpauth://` URIs: Google's Key URI Format (`totp`, `hotp`) plus the de-facto `steam` type,
//! parsed the way Google Authenticator and Aegis read them, and formatted so that every one of
//! them (and Tessera) reads back exactly what was written.
//!
//! Percent-decoding follows the two parts' conventions: in the label (the path) a `+` is a plus;
//! in the query, as Android's `Uri.getQueryParameter` (used by both apps) does, a `+` is a space.
//! `%2B` is a plus in both. When formatting, spaces are `%20` and plus signs `%2B`, so either
//! reading gives the same text.
//!
//! Arbitrary input yields an `Account` or a `UriError`, never a panic (see the property tests).

use std::num::NonZeroU32;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use thiserror::Error;

use crate::account::Account;
use crate::otp::{Algorithm, DEFAULT_PERIOD, Digits, Kind, Params};
use crate::secret::{Secret, SecretError};
use crate::sensitive::Sensitive;
use crate::untrusted::shown;

/// Longer than any real otpauth URI (a few hundred bytes, a few KiB with an `image` parameter).
pub const MAX_URI_LEN: usize = 64 * 1024;
/// More parameters than any real URI has (they have up to ten: secret, issuer, algorithm,
/// digits, period or counter, and a few app-specific ones such as image or color). Bounds
/// the look-ups of repeated names, which grow with the square of the count.
pub const MAX_PARAMETERS: usize = 64;

/// Why a text is not a usable otpauth URI. Messages never contain the secret key.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UriError {
    #[error("the URI is {0} bytes long; at most {MAX_URI_LEN} are accepted")]
    TooLong(usize),
    #[error("the URI has more than {MAX_PARAMETERS} parameters")]
    TooManyParameters,
    #[error(
        "this is a Google Authenticator export link (otpauth-migration://), not a single account"
    )]
    Migration,
    #[error("not an otpauth:// URI (it should start with otpauth://totp/ or otpauth://hotp/)")]
    NotOtpauth,
    #[error("unknown OTP type {0:?}; expected totp, hotp or steam")]
    UnknownType(String),
    #[error("the URI has no secret parameter")]
    MissingSecret,
    /// Not `#[source]`: the message already carries the key's error, and a cause chain
    /// printed on one line would say it twice.
    #[error("the URI's secret parameter is not a valid key: {0}")]
    Secret(SecretError),
    #[error("unsupported algorithm {0:?}; expected SHA1, SHA256 or SHA512")]
    Algorithm(String),
    #[error("invalid digits {0:?}; expected 6, 7 or 8")]
    Digits(String),
    #[error("invalid period {0:?}; expected a whole number of seconds above 0")]
    Period(String),
    #[error("invalid counter {0:?}; expected a whole number from 0")]
    Counter(String),
    #[error("the URI's {0} is not valid UTF-8 once percent-decoded")]
    Encoding(&'static str),
}

impl From<SecretError> for UriError {
    fn from(error: SecretError) -> Self {
        Self::Secret(error)
    }
}

/// Parses an `otpauth://` URI. The scheme, type and parameter names are case-insensitive;
/// unknown parameters are ignored; defaults are TOTP, SHA1, 6 digits, 30 seconds (HOTP counter 0).
pub fn parse(text: &str) -> Result<Account, UriError> {
    let text = text.trim();
    if text.len() > MAX_URI_LEN {
        return Err(UriError::TooLong(text.len()));
    }
    let (scheme, rest) = text.split_once("://").ok_or(UriError::NotOtpauth)?;
    if scheme.eq_ignore_ascii_case("otpauth-migration") {
        return Err(UriError::Migration);
    }
    if !scheme.eq_ignore_ascii_case("otpauth") {
        return Err(UriError::NotOtpauth);
    }
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (kind_name, raw_label) = path.split_once('/').unwrap_or((path, ""));
    let query = Query::parse(query)?;

    let secret_text = query.get("secret").ok_or(UriError::MissingSecret)?;
    let secret = Secret::parse(secret_text)?;

    let label = clean(&decode(raw_label, false).ok_or(UriError::Encoding("label"))?);
    let issuer_param = query.get("issuer").map(clean).filter(|i| !i.is_empty());
    let (issuer, label) = split_label(&label, issuer_param);

    let algorithm = match query.get("algorithm").filter(|a| !a.trim().is_empty()) {
        Some(a) => Algorithm::parse(a).ok_or_else(|| UriError::Algorithm(shown(a)))?,
        None => Algorithm::default(),
    };
    let digits = match query.get("digits").filter(|d| !d.trim().is_empty()) {
        Some(d) => d
            .trim()
            .parse::<u8>()
            .ok()
            .and_then(|n| Digits::new(n).ok())
            .ok_or_else(|| UriError::Digits(shown(d))),
        None => Ok(Digits::default()),
    };
    let period = || match query.get("period").filter(|p| !p.trim().is_empty()) {
        Some(p) => p
            .trim()
            .parse::<u32>()
            .ok()
            .and_then(NonZeroU32::new)
            .ok_or_else(|| UriError::Period(shown(p))),
        None => Ok(DEFAULT_PERIOD),
    };
    // Some apps (KeePassXC, Bitwarden) write Steam as a totp URI with `encoder=steam`.
    let steam_encoder = query
        .get("encoder")
        .is_some_and(|e| e.trim().eq_ignore_ascii_case("steam"));
    let (kind, digits) = match kind_name.to_ascii_lowercase().as_str() {
        "totp" if steam_encoder => (Kind::Steam { period: period()? }, Digits::default()),
        "totp" => (Kind::Totp { period: period()? }, digits?),
        // Steam codes are always 5 characters, whatever `digits` says (Aegis writes 5).
        "steam" => (Kind::Steam { period: period()? }, Digits::default()),
        "hotp" => {
            let counter = match query.get("counter").filter(|c| !c.trim().is_empty()) {
                Some(c) => c
                    .trim()
                    .parse::<u64>()
                    .map_err(|_| UriError::Counter(shown(c)))?,
                None => 0,
            };
            (Kind::Hotp { counter }, digits?)
        }
        _ => {
            let decoded = decode(kind_name, false).unwrap_or_default();
            return Err(UriError::UnknownType(shown(&decoded)));
        }
    };
    Ok(Account {
        issuer,
        label,
        secret,
        params: Params {
            kind,
            algorithm,
            digits,
        },
    })
}

/// The issuer and account from the label `Issuer:account` and the `issuer` parameter. The
/// parameter wins when both are present (Key URI Format: they should agree); the label's
/// prefix is removed either way.
pub(crate) fn split_label(label: &str, issuer_param: Option<String>) -> (String, String) {
    if let Some(issuer) = &issuer_param
        && let Some(account) = label
            .strip_prefix(issuer.as_str())
            .and_then(|r| r.strip_prefix(':'))
    {
        return (issuer.clone(), account.trim().to_owned());
    }
    match label.split_once(':') {
        Some((prefix, account)) => (
            issuer_param.unwrap_or_else(|| prefix.trim().to_owned()),
            account.trim().to_owned(),
        ),
        None => (issuer_param.unwrap_or_default(), label.trim().to_owned()),
    }
}

/// Trims and removes control characters: names come from QR codes and end up in terminals and
/// windows, where an escape sequence or a newline does harm.
pub(crate) fn clean(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Percent-decodes; in a query value a `+` is a space first. The text may be a key (the
/// `secret` parameter, a transfer link's data), so what is decoded is zeroed on drop.
pub(crate) fn decode(text: &str, plus_is_space: bool) -> Option<Sensitive<String>> {
    let spaced;
    let text = if plus_is_space && text.contains('+') {
        spaced = Sensitive::new(text.replace('+', " "));
        spaced.as_str()
    } else {
        text
    };
    percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|s| Sensitive::new(s.into_owned()))
}

/// The value of the query parameter `name` (lower case) of the URI `text`, percent-decoded;
/// `None` when it is absent or not UTF-8. For other apps' own parameters, which [`parse`]
/// passes over.
pub(crate) fn parameter(text: &str, name: &str) -> Option<Sensitive<String>> {
    let query = text.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    Query::parse(query)
        .ok()?
        .get(name)
        .map(|v| Sensitive::new(v.to_owned()))
}

/// The query's parameters, names lower-cased; the first of repeated names wins, as in Android.
struct Query {
    pairs: Vec<(String, Sensitive<String>)>,
}

impl Query {
    fn parse(query: &str) -> Result<Self, UriError> {
        let mut pairs: Vec<(String, Sensitive<String>)> = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            if pairs.len() == MAX_PARAMETERS {
                return Err(UriError::TooManyParameters);
            }
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode(name, true)
                .ok_or(UriError::Encoding("query"))?
                .to_ascii_lowercase();
            let value = decode(value, true).ok_or(UriError::Encoding("query"))?;
            if !pairs.iter().any(|(n, _)| *n == name) {
                pairs.push((name, value));
            }
        }
        Ok(Self { pairs })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Everything but RFC 3986's unreserved characters is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Formats an account as an `otpauth://` URI that Google Authenticator, Aegis, Ente, FreeOTP+
/// and Tessera read back as the same account. It contains the secret key: the result is zeroed
/// on drop, and callers reveal it only on the user's request.
pub fn format(account: &Account) -> Sensitive<String> {
    let enc = |s: &str| utf8_percent_encode(s, COMPONENT).to_string();
    let params = &account.params;
    let mut uri = Sensitive::new(format!("otpauth://{}/", params.kind.name()));
    // Without an issuer, a label with a colon gets an empty prefix, so that its first colon is
    // not read as the issuer separator.
    if !account.issuer.is_empty() || account.label.contains(':') {
        uri.push_str(&enc(&account.issuer));
        uri.push(':');
    }
    uri.push_str(&enc(&account.label));
    uri.push_str("?secret=");
    uri.push_str(&account.secret.to_base32());
    if !account.issuer.is_empty() {
        uri.push_str("&issuer=");
        uri.push_str(&enc(&account.issuer));
    }
    uri.push_str("&algorithm=");
    uri.push_str(params.algorithm.as_str());
    match params.kind {
        Kind::Totp { period } => {
            uri.push_str(&std::format!(
                "&digits={}&period={period}",
                params.digits.get()
            ));
        }
        Kind::Steam { period } => uri.push_str(&std::format!("&digits=5&period={period}")),
        Kind::Hotp { counter } => {
            uri.push_str(&std::format!(
                "&digits={}&counter={counter}",
                params.digits.get()
            ));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "JBSWY3DPEHPK3PXP";

    fn account(issuer: &str, label: &str, params: Params) -> Account {
        Account {
            issuer: issuer.into(),
            label: label.into(),
            secret: Secret::parse(KEY).unwrap(),
            params,
        }
    }

    fn totp(algorithm: Algorithm, digits: u8, period: u32) -> Params {
        Params::totp(algorithm, digits, period).unwrap()
    }

    #[track_caller]
    fn check(uri: &str, expected: Result<Account, UriError>) {
        assert_eq!(parse(uri), expected, "{uri}");
    }

    #[test]
    fn key_uri_format_examples() {
        // The examples of Google's Key URI Format page.
        check(
            "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
            Ok(account("Example", "alice@google.com", Params::default())),
        );
        check(
            "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30",
            Ok(Account {
                secret: Secret::parse("HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ").unwrap(),
                ..account("ACME Co", "john.doe@email.com", Params::default())
            }),
        );
    }

    #[test]
    fn parameters_and_defaults() {
        check(
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm=SHA512&digits=8&period=60",
            Ok(account("", "a", totp(Algorithm::Sha512, 8, 60))),
        );
        check(
            "otpauth://hotp/Corp:bob?secret=JBSWY3DPEHPK3PXP&counter=42&digits=7",
            Ok(account(
                "Corp",
                "bob",
                Params {
                    kind: Kind::Hotp { counter: 42 },
                    algorithm: Algorithm::Sha1,
                    digits: Digits::new(7).unwrap(),
                },
            )),
        );
        check(
            "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP",
            Ok(account(
                "",
                "x",
                Params {
                    kind: Kind::Hotp { counter: 0 },
                    ..Params::default()
                },
            )),
        );
        let steam = Params {
            kind: Kind::Steam {
                period: DEFAULT_PERIOD,
            },
            ..Params::default()
        };
        check(
            "otpauth://steam/Steam:gaben?secret=JBSWY3DPEHPK3PXP&issuer=Steam&digits=5",
            Ok(account("Steam", "gaben", steam)),
        );
        check(
            "otpauth://totp/Steam:gaben?secret=JBSWY3DPEHPK3PXP&encoder=steam&digits=5",
            Ok(account("Steam", "gaben", steam)),
        );
        // Case-insensitive scheme, type and names; unknown parameters ignored; padding and
        // spaces in the secret; white space around the URI.
        check(
            "  OTPAUTH://TOTP/a?SECRET=jbsw%20y3dp+ehpk3pxp%3D%3D&Algorithm=sha256&image=https%3A%2F%2Fx&foo=bar \n",
            Ok(account("", "a", totp(Algorithm::Sha256, 6, 30))),
        );
        // Empty values are the defaults; the first of a repeated parameter wins.
        check(
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=&period=",
            Ok(account("", "a", Params::default())),
        );
        check(
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=8&digits=6",
            Ok(account("", "a", totp(Algorithm::Sha1, 8, 30))),
        );
        // No label at all.
        check(
            "otpauth://totp?secret=JBSWY3DPEHPK3PXP&issuer=X",
            Ok(account("X", "", Params::default())),
        );
        check(
            "otpauth://totp/?secret=JBSWY3DPEHPK3PXP",
            Ok(account("", "", Params::default())),
        );
    }

    #[test]
    fn labels_and_issuers() {
        let p = Params::default;
        // A plus in the path is a plus; %2B is a plus; in the query a plus is a space.
        check(
            "otpauth://totp/A+B:c+d?secret=JBSWY3DPEHPK3PXP",
            Ok(account("A+B", "c+d", p())),
        );
        check(
            "otpauth://totp/A%2BB:c%2Bd?secret=JBSWY3DPEHPK3PXP",
            Ok(account("A+B", "c+d", p())),
        );
        check(
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&issuer=Big+Corp",
            Ok(account("Big Corp", "x", p())),
        );
        check(
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&issuer=Big%2BCorp",
            Ok(account("Big+Corp", "x", p())),
        );
        // Encoded colon, and the optional space after it.
        check(
            "otpauth://totp/Corp%3A%20alice?secret=JBSWY3DPEHPK3PXP",
            Ok(account("Corp", "alice", p())),
        );
        // The parameter wins over a different label prefix, and the prefix is removed.
        check(
            "otpauth://totp/Old:alice?secret=JBSWY3DPEHPK3PXP&issuer=New",
            Ok(account("New", "alice", p())),
        );
        // An issuer with a colon in it, matched as a whole.
        check(
            "otpauth://totp/a%3Ab:c%3Ad?secret=JBSWY3DPEHPK3PXP&issuer=a%3Ab",
            Ok(account("a:b", "c:d", p())),
        );
        // Raw UTF-8 and percent-encoded UTF-8.
        check(
            "otpauth://totp/B%C3%BCro:j%C3%BCrgen?secret=JBSWY3DPEHPK3PXP",
            Ok(account("Büro", "jürgen", p())),
        );
        check(
            "otpauth://totp/Büro:jürgen?secret=JBSWY3DPEHPK3PXP",
            Ok(account("Büro", "jürgen", p())),
        );
        // Control characters (terminal escapes, newlines) are removed from names.
        check(
            "otpauth://totp/Evil%1B%5B2J:a%0Ab?secret=JBSWY3DPEHPK3PXP",
            Ok(account("Evil[2J", "ab", p())),
        );
        // A fragment is not part of anything.
        check(
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP#frag",
            Ok(account("", "x", p())),
        );
    }

    #[test]
    fn typed_errors() {
        check("", Err(UriError::NotOtpauth));
        check(
            "https://example.com/?secret=JBSWY3DPEHPK3PXP",
            Err(UriError::NotOtpauth),
        );
        check(
            "otpauth-migration://offline?data=CjEKCkhlbGxv",
            Err(UriError::Migration),
        );
        check(
            "otpauth://yotp/x?secret=JBSWY3DPEHPK3PXP",
            Err(UriError::UnknownType("yotp".into())),
        );
        check("otpauth://totp/x", Err(UriError::MissingSecret));
        check(
            "otpauth://totp/x?secret=",
            Err(UriError::Secret(SecretError::Empty)),
        );
        check(
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PX1",
            Err(UriError::Secret(SecretError::InvalidCharacter {
                character: '1',
                position: 16,
            })),
        );
        check(
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5",
            Err(UriError::Algorithm("MD5".into())),
        );
        check(
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=5",
            Err(UriError::Digits("5".into())),
        );
        check(
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=300",
            Err(UriError::Digits("300".into())),
        );
        check(
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0",
            Err(UriError::Period("0".into())),
        );
        check(
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=-30",
            Err(UriError::Period("-30".into())),
        );
        check(
            "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=x",
            Err(UriError::Counter("x".into())),
        );
        check(
            "otpauth://totp/%FF?secret=JBSWY3DPEHPK3PXP",
            Err(UriError::Encoding("label")),
        );
        let long = format!(
            "otpauth://totp/x?secret={KEY}&pad={}",
            "a".repeat(MAX_URI_LEN)
        );
        assert_eq!(parse(&long), Err(UriError::TooLong(long.len())));
        // Error messages quote untrusted values only briefly, and never the secret.
        let message = parse(&format!("otpauth://{}/x?secret={KEY}", "t".repeat(500)))
            .unwrap_err()
            .to_string();
        assert!(message.len() < 120, "{message}");
        let message = parse("otpauth://totp/x?secret=JBSWY3DPEHPK3PX1")
            .unwrap_err()
            .to_string();
        assert!(!message.contains("JBSWY3DP"), "{message}");
    }

    #[test]
    fn format_writes_what_other_apps_read() {
        let a = account("ACME Co", "john+doe@x.com", totp(Algorithm::Sha256, 8, 60));
        assert_eq!(
            format(&a).as_str(),
            "otpauth://totp/ACME%20Co:john%2Bdoe%40x.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60"
        );
        let h = account(
            "",
            "a:b",
            Params {
                kind: Kind::Hotp { counter: 3 },
                ..Params::default()
            },
        );
        assert_eq!(
            format(&h).as_str(),
            "otpauth://hotp/:a%3Ab?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&counter=3"
        );
        assert_eq!(parse(&format(&h)), Ok(h));
    }

    #[test]
    fn sizes_are_bounded_before_any_work() {
        let base = format!("otpauth://totp/x?secret={KEY}");
        let params = |n: usize| (0..n).map(|i| format!("&p{i}=1")).collect::<String>();
        assert!(parse(&(base.clone() + &params(MAX_PARAMETERS - 1))).is_ok());
        assert_eq!(
            parse(&(base.clone() + &params(MAX_PARAMETERS))),
            Err(UriError::TooManyParameters)
        );
        // Repeating one name is no new parameter.
        assert!(parse(&(base.clone() + &"&p=1".repeat(5000))).is_ok());
        let huge = base + &params(400_000);
        assert_eq!(parse(&huge), Err(UriError::TooLong(huge.len())));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Names as they occur (any printable text, including `:`, `+`, `%`, `&`, `=`, `?`, `/`
        /// and non-ASCII), trimmed and without control characters, as `parse` returns them.
        fn name() -> impl Strategy<Value = String> {
            "[^\\p{Cc}]{0,24}".prop_map(|s| clean(&s))
        }

        fn params() -> impl Strategy<Value = Params> {
            let algorithm = prop_oneof![
                Just(Algorithm::Sha1),
                Just(Algorithm::Sha256),
                Just(Algorithm::Sha512)
            ];
            let period = (1u32..=u32::MAX).prop_map(|p| NonZeroU32::new(p).unwrap());
            let kind = prop_oneof![
                period.clone().prop_map(|period| Kind::Totp { period }),
                any::<u64>().prop_map(|counter| Kind::Hotp { counter }),
                period.prop_map(|period| Kind::Steam { period }),
            ];
            (kind, algorithm, 6u8..=8).prop_map(|(kind, algorithm, digits)| Params {
                kind,
                algorithm,
                digits: if matches!(kind, Kind::Steam { .. }) {
                    Digits::default()
                } else {
                    Digits::new(digits).unwrap()
                },
            })
        }

        proptest! {
            #[test]
            fn arbitrary_text_never_panics(text in ".{0,300}") {
                let _ = parse(&text);
            }

            #[test]
            fn arbitrary_otpauth_shapes_never_panic(
                kind in "(?i)(totp|hotp|steam|x)",
                label in "[%:+a-z0-9\\PC]{0,20}",
                query in "([a-z%+]{0,8}=[%+0-9A-Za-z\\PC]{0,20}&?){0,6}",
            ) {
                let _ = parse(&std::format!("otpauth://{kind}/{label}?{query}"));
                let _ = parse(&std::format!("otpauth://{kind}/{label}?secret=JBSWY3DPEHPK3PXP&{query}"));
            }

            #[test]
            fn format_then_parse_gives_the_same_account(
                issuer in name(),
                label in name(),
                bytes in proptest::collection::vec(any::<u8>(), 10..=64),
                params in params(),
            ) {
                let account = Account { issuer, label, secret: Secret::from_bytes(bytes).unwrap(), params };
                let uri = format(&account);
                prop_assert_eq!(parse(&uri), Ok(account));
            }
        }
    }
}
