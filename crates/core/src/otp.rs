//! One-time codes: HOTP (RFC 4226), TOTP (RFC 6238) and Steam Guard, from one implementation of
//! the HMAC-and-truncate algorithm. Time is a parameter (`unix_seconds`); nothing here reads the
//! clock.
//!
//! totp-rs is not used: it has no HOTP and refuses keys under 128 bits, and using it for TOTP and
//! Steam beside our own HOTP would be two implementations of one algorithm. ring does the HMAC.

use std::fmt;
use std::num::NonZeroU32;

use ring::hmac;
use thiserror::Error;

use crate::secret::Secret;

/// The HMAC hash. RFC 6238 section 1.2 allows SHA-1, SHA-256 and SHA-512.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Algorithm {
    #[default]
    Sha1,
    Sha256,
    Sha512,
}

impl Algorithm {
    /// The name used in otpauth URIs and by the CLI: `SHA1`, `SHA256`, `SHA512`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA1",
            Self::Sha256 => "SHA256",
            Self::Sha512 => "SHA512",
        }
    }

    /// Parses `SHA1`, `sha256`, `SHA-512` and the like. `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_uppercase().replace('-', "").as_str() {
            "SHA1" => Some(Self::Sha1),
            "SHA256" => Some(Self::Sha256),
            "SHA512" => Some(Self::Sha512),
            _ => None,
        }
    }

    fn ring(self) -> hmac::Algorithm {
        match self {
            // SHA-1 is what RFC 4226 specifies and what most services use; HMAC-SHA1 is not
            // broken the way SHA-1 collisions are.
            Self::Sha1 => hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
            Self::Sha256 => hmac::HMAC_SHA256,
            Self::Sha512 => hmac::HMAC_SHA512,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How codes advance: with time (TOTP, Steam) or with a counter (HOTP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// RFC 6238: the counter is `unix_seconds / period`.
    Totp { period: NonZeroU32 },
    /// RFC 4226: the counter is stored and advanced each time a code is taken.
    Hotp { counter: u64 },
    /// Steam Guard: TOTP whose code is 5 characters from Steam's alphabet.
    Steam { period: NonZeroU32 },
}

impl Kind {
    /// `totp`, `hotp` or `steam`, as in otpauth URIs.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Totp { .. } => "totp",
            Self::Hotp { .. } => "hotp",
            Self::Steam { .. } => "steam",
        }
    }

    /// The period of a time-based kind; `None` for HOTP.
    pub fn period(&self) -> Option<NonZeroU32> {
        match *self {
            Self::Totp { period } | Self::Steam { period } => Some(period),
            Self::Hotp { .. } => None,
        }
    }
}

/// The default TOTP period, RFC 6238 section 5.2.
pub const DEFAULT_PERIOD: NonZeroU32 = match NonZeroU32::new(30) {
    Some(p) => p,
    None => NonZeroU32::MIN,
};

/// Number of digits in a numeric code: 6, 7 or 8 (RFC 4226 section 5.3 requires at least 6;
/// 8 is the most any authenticator app shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digits(u8);

impl Digits {
    pub const SIX: Self = Self(6);
    pub const MIN: u8 = 6;
    pub const MAX: u8 = 8;

    pub fn new(digits: u8) -> Result<Self, OtpError> {
        if (Self::MIN..=Self::MAX).contains(&digits) {
            Ok(Self(digits))
        } else {
            Err(OtpError::Digits(digits.into()))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl Default for Digits {
    fn default() -> Self {
        Self::SIX
    }
}

/// Invalid code parameters.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OtpError {
    #[error("digits must be 6, 7 or 8, not {0}")]
    Digits(u64),
    #[error("the period must be a whole number of seconds above 0")]
    Period,
    #[error("unknown OTP type {0:?}; expected totp, hotp or steam")]
    Kind(String),
    #[error("unknown algorithm {0:?}; expected SHA1, SHA256 or SHA512")]
    Algorithm(String),
}

/// Everything but the key that determines an account's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Params {
    pub kind: Kind,
    pub algorithm: Algorithm,
    /// Ignored by Steam, whose codes are always 5 characters.
    pub digits: Digits,
}

impl Default for Params {
    /// TOTP, SHA-1, 6 digits, 30 seconds: what an otpauth URI means when it says nothing.
    fn default() -> Self {
        Self {
            kind: Kind::Totp {
                period: DEFAULT_PERIOD,
            },
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
        }
    }
}

/// Steam Guard's alphabet: digits and consonants that are hard to misread.
const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";
const STEAM_CODE_LEN: usize = 5;

impl Params {
    /// Parameters from the plain values a form, a command line or a file gives, checked: `kind`
    /// is `totp`, `hotp` or `steam`; 6 to 8 digits (Steam ignores them: its codes are always 5
    /// characters); a period above 0 (HOTP ignores it); `counter` for HOTP only.
    pub fn from_values(
        kind: &str,
        algorithm: Algorithm,
        digits: u8,
        period: u32,
        counter: u64,
    ) -> Result<Self, OtpError> {
        let period = || NonZeroU32::new(period).ok_or(OtpError::Period);
        let (kind, digits) = match kind {
            "totp" => (Kind::Totp { period: period()? }, Digits::new(digits)?),
            "hotp" => (Kind::Hotp { counter }, Digits::new(digits)?),
            "steam" => (Kind::Steam { period: period()? }, Digits::default()),
            other => return Err(OtpError::Kind(crate::untrusted::shown(other))),
        };
        Ok(Self {
            kind,
            algorithm,
            digits,
        })
    }

    /// TOTP with these settings, checked: 6 to 8 digits, a period above 0.
    pub fn totp(algorithm: Algorithm, digits: u8, period: u32) -> Result<Self, OtpError> {
        Self::from_values("totp", algorithm, digits, period, 0)
    }

    /// How many characters a code has: the digits, or 5 for Steam Guard.
    pub fn code_length(&self) -> u8 {
        match self.kind {
            Kind::Steam { .. } => STEAM_CODE_LEN as u8,
            Kind::Totp { .. } | Kind::Hotp { .. } => self.digits.get(),
        }
    }

    /// The moving factor for a moment: `floor(unix_seconds / period)` for time-based kinds
    /// (RFC 6238 section 4.2, T0 = 0), the stored counter for HOTP.
    pub fn counter_at(&self, unix_seconds: u64) -> u64 {
        match self.kind {
            Kind::Totp { period } | Kind::Steam { period } => {
                unix_seconds / u64::from(period.get())
            }
            Kind::Hotp { counter } => counter,
        }
    }

    /// Seconds until the code shown at `unix_seconds` changes (1 to period); `None` for HOTP.
    pub fn remaining_seconds(&self, unix_seconds: u64) -> Option<u32> {
        let period = self.kind.period()?;
        let period = u64::from(period.get());
        // The remainder is below the period, which fits in u32.
        u32::try_from(period - unix_seconds % period).ok()
    }

    /// The code for a moving factor, formatted for this kind (zero-padded digits, or Steam's
    /// characters).
    pub fn code_for_counter(&self, secret: &Secret, counter: u64) -> String {
        let value = truncated_hmac(secret, self.algorithm, counter);
        match self.kind {
            Kind::Steam { .. } => steam_code(value),
            Kind::Totp { .. } | Kind::Hotp { .. } => {
                let digits = u32::from(self.digits.get());
                format!(
                    "{:0width$}",
                    value % 10u32.pow(digits),
                    width = digits as usize
                )
            }
        }
    }
}

/// The code shown at `unix_seconds` (for HOTP, the code for the stored counter).
pub fn code_at(secret: &Secret, params: &Params, unix_seconds: u64) -> String {
    params.code_for_counter(secret, params.counter_at(unix_seconds))
}

/// The code after the one shown at `unix_seconds`: the next period's, or HOTP's counter + 1.
pub fn next_code_at(secret: &Secret, params: &Params, unix_seconds: u64) -> String {
    params.code_for_counter(secret, params.counter_at(unix_seconds).wrapping_add(1))
}

/// HMAC of the big-endian counter, then RFC 4226 section 5.3 dynamic truncation: a 31-bit value.
pub fn truncated_hmac(secret: &Secret, algorithm: Algorithm, counter: u64) -> u32 {
    let key = hmac::Key::new(algorithm.ring(), secret.expose_bytes());
    let tag = hmac::sign(&key, &counter.to_be_bytes());
    let mac = tag.as_ref();
    // The last byte's low nibble picks the offset; every HMAC here is at least 20 bytes, so
    // offset + 4 <= 19 is always inside it.
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let word = [
        mac[offset],
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ];
    u32::from_be_bytes(word) & 0x7fff_ffff
}

/// Steam Guard: the truncated value written in base 26, least significant character first.
fn steam_code(mut value: u32) -> String {
    let base = STEAM_ALPHABET.len() as u32;
    let mut code = String::with_capacity(STEAM_CODE_LEN);
    for _ in 0..STEAM_CODE_LEN {
        code.push(char::from(STEAM_ALPHABET[(value % base) as usize]));
        value /= base;
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(bytes: &[u8]) -> Secret {
        Secret::from_bytes(bytes.to_vec()).unwrap()
    }

    fn totp(algorithm: Algorithm, digits: u8, period: u32) -> Params {
        Params::totp(algorithm, digits, period).unwrap()
    }

    /// RFC 4226 Appendix D: secret "12345678901234567890", counters 0 to 9, with the truncated
    /// decimal value and the 6-digit HOTP value, verbatim.
    #[test]
    fn rfc4226_appendix_d() {
        let key = secret(b"12345678901234567890");
        let table: [(u64, u32, &str); 10] = [
            (0, 1284755224, "755224"),
            (1, 1094287082, "287082"),
            (2, 137359152, "359152"),
            (3, 1726969429, "969429"),
            (4, 1640338314, "338314"),
            (5, 868254676, "254676"),
            (6, 1918287922, "287922"),
            (7, 82162583, "162583"),
            (8, 673399871, "399871"),
            (9, 645520489, "520489"),
        ];
        for (counter, decimal, hotp) in table {
            assert_eq!(
                truncated_hmac(&key, Algorithm::Sha1, counter),
                decimal,
                "counter {counter}"
            );
            let params = Params {
                kind: Kind::Hotp { counter },
                ..Params::default()
            };
            assert_eq!(code_at(&key, &params, 0), hotp, "counter {counter}");
        }
    }

    /// RFC 6238 Appendix B: 8 digits, 30-second steps, T0 = 0, with the seed for each hash as
    /// given in the RFC's reference code (20, 32 and 64 bytes).
    #[test]
    fn rfc6238_appendix_b() {
        let sha1 = secret(b"12345678901234567890");
        let sha256 = secret(b"12345678901234567890123456789012");
        let sha512 = secret(b"1234567890123456789012345678901234567890123456789012345678901234");
        let table: [(u64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1111111109, "07081804", "68084774", "25091201"),
            (1111111111, "14050471", "67062674", "99943326"),
            (1234567890, "89005924", "91819424", "93441116"),
            (2000000000, "69279037", "90698825", "38618901"),
            (20000000000, "65353130", "77737706", "47863826"),
        ];
        for (time, c1, c256, c512) in table {
            assert_eq!(
                code_at(&sha1, &totp(Algorithm::Sha1, 8, 30), time),
                c1,
                "SHA1 at {time}"
            );
            assert_eq!(
                code_at(&sha256, &totp(Algorithm::Sha256, 8, 30), time),
                c256,
                "SHA256 at {time}"
            );
            assert_eq!(
                code_at(&sha512, &totp(Algorithm::Sha512, 8, 30), time),
                c512,
                "SHA512 at {time}"
            );
        }
    }

    #[test]
    fn digits_take_the_low_decimal_digits_zero_padded() {
        let key = secret(b"12345678901234567890");
        // 1111111109 gives 07081804 in 8 digits: the leading zero is kept.
        assert_eq!(
            code_at(&key, &totp(Algorithm::Sha1, 7, 30), 1111111109),
            "7081804"
        );
        assert_eq!(
            code_at(&key, &totp(Algorithm::Sha1, 6, 30), 1111111109),
            "081804"
        );
    }

    #[test]
    fn period_boundaries_and_remaining_seconds() {
        let key = secret(b"12345678901234567890");
        let p30 = totp(Algorithm::Sha1, 8, 30);
        // 59 is the last second of counter 1; 60 starts counter 2.
        assert_eq!(p30.counter_at(59), 1);
        assert_eq!(p30.counter_at(60), 2);
        assert_eq!(p30.remaining_seconds(59), Some(1));
        assert_eq!(p30.remaining_seconds(60), Some(30));
        assert_eq!(next_code_at(&key, &p30, 59), code_at(&key, &p30, 60));
        assert_ne!(code_at(&key, &p30, 59), code_at(&key, &p30, 60));
        let p60 = totp(Algorithm::Sha1, 8, 60);
        assert_eq!(code_at(&key, &p60, 119), code_at(&key, &p30, 59));
        let p1 = totp(Algorithm::Sha1, 6, 1);
        assert_eq!(p1.remaining_seconds(12345), Some(1));
        let hotp = Params {
            kind: Kind::Hotp { counter: 7 },
            ..Params::default()
        };
        assert_eq!(hotp.remaining_seconds(59), None);
        assert_eq!(next_code_at(&key, &hotp, 0), "399871");
    }

    /// Steam Guard: a published vector (20 zero bytes, counters 0 and 1) and agreement with
    /// totp-rs's independent Steam implementation.
    #[test]
    fn steam_guard() {
        let zeros = secret(&[0; 20]);
        let steam = Params {
            kind: Kind::Steam {
                period: DEFAULT_PERIOD,
            },
            ..Params::default()
        };
        assert_eq!(steam.code_for_counter(&zeros, 0), "RYH4D");
        assert_eq!(steam.code_length(), 5);
        assert_eq!(steam.code_for_counter(&zeros, 1), "DR2DK");
        let key: Vec<u8> = (1..=20).collect();
        let other = totp_rs::Builder::new_steam()
            .with_secret(key.clone())
            .build()
            .unwrap();
        for time in [0, 59, 1111111109, 1700000000, 2000000000] {
            assert_eq!(
                code_at(&secret(&key), &steam, time),
                other.generate(time).to_string(),
                "at {time}"
            );
        }
    }

    #[test]
    fn digits_and_algorithm_names() {
        assert_eq!(Digits::new(5), Err(OtpError::Digits(5)));
        assert_eq!(Digits::new(9), Err(OtpError::Digits(9)));
        assert_eq!(Params::totp(Algorithm::Sha1, 6, 0), Err(OtpError::Period));
        assert_eq!(
            Params::totp(Algorithm::Sha1, 4, 30),
            Err(OtpError::Digits(4))
        );
        assert_eq!(Digits::new(8).map(Digits::get), Ok(8));
        for (text, algorithm) in [
            ("SHA1", Some(Algorithm::Sha1)),
            ("sha256", Some(Algorithm::Sha256)),
            ("SHA-512", Some(Algorithm::Sha512)),
            ("MD5", None),
            ("", None),
        ] {
            assert_eq!(Algorithm::parse(text), algorithm, "{text}");
        }
    }
}
