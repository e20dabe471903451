//! Secret keys: the `Secret` type that never prints, and the lenient base32 parsing of what
//! people type or paste ("jbsw y3dp-ehpk 3pxp", with or without `=` padding).
//!
//! A `Secret` is not `Serialize`, prints as `<redacted>`, compares in constant time and is zeroed
//! when dropped. The only way to get its text back is [`Secret::to_base32`], which the callers
//! that reveal or export a key use on purpose.

use std::fmt;

use data_encoding::{BASE32_NOPAD, Encoding};
use subtle::ConstantTimeEq;
use thiserror::Error;

use crate::sensitive::Sensitive;

/// The shortest key accepted, in bytes: 80 bits, RFC 4226 section 4 ("R6: The algorithm MUST use
/// a strong shared secret. The length of the shared secret MUST be at least 128 bits. This
/// document RECOMMENDs a shared secret length of 160 bits."). 128 bits is the RFC's floor, but
/// 80-bit keys (16 base32 characters) are what many real services hand out, so that is ours.
pub const MIN_SECRET_BYTES: usize = 10;

/// The longest key accepted, in bytes. Far above any real key (SHA-512 keys are 64 bytes);
/// it bounds the work a hostile URI can cause.
pub const MAX_SECRET_BYTES: usize = 1024;

/// Why a typed or pasted secret key was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SecretError {
    /// Nothing left after removing spaces, dashes and padding.
    #[error("the secret key is empty")]
    Empty,
    /// A character that base32 does not use. `position` counts characters from 1 in the text
    /// as given, spaces included, so the user can find it.
    #[error("the secret key has {} at position {position}; base32 keys use only the letters A-Z and the digits 2-7{}", describe(*.character), hint(*.character))]
    InvalidCharacter { character: char, position: usize },
    /// A base32 text of this length cannot come from whole bytes: a character is missing or extra.
    #[error(
        "the secret key has {length} base32 characters, a length no key can have; a character is probably missing or extra"
    )]
    InvalidLength { length: usize },
    /// Valid base32, but too few bits to be a real key.
    #[error("the secret key is too short: {bits} bits, and at least {} are needed (16 base32 characters)", MIN_SECRET_BYTES * 8)]
    TooShort { bits: usize },
    /// More than [`MAX_SECRET_BYTES`].
    #[error(
        "the secret key is too long: {bytes} bytes, and at most {MAX_SECRET_BYTES} are accepted"
    )]
    TooLong { bytes: usize },
}

fn describe(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("the character U+{:04X}", c as u32)
    } else {
        format!("'{c}'")
    }
}

fn hint(c: char) -> &'static str {
    match c {
        '0' => " (did you mean the letter O?)",
        '1' => " (did you mean the letter I or L?)",
        '8' => " (did you mean the letter B?)",
        '9' => " (did you mean the letter g, or is this not a base32 key?)",
        _ => "",
    }
}

/// A secret key: the raw bytes an authenticator's HMAC is keyed with.
#[derive(Clone)]
pub struct Secret(Sensitive<Vec<u8>>);

impl Secret {
    /// Takes raw key bytes (from a backup or a Google transfer payload), checking the length.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, SecretError> {
        let bytes = Sensitive::new(bytes);
        match bytes.len() {
            0 => Err(SecretError::Empty),
            n if n < MIN_SECRET_BYTES => Err(SecretError::TooShort { bits: n * 8 }),
            n if n > MAX_SECRET_BYTES => Err(SecretError::TooLong { bytes: n }),
            _ => Ok(Self(bytes)),
        }
    }

    /// Parses a base32 key as people type or paste it: spaces (any white space) and dashes
    /// anywhere, lower case, missing or extra `=` padding at the end are all accepted.
    pub fn parse(text: &str) -> Result<Self, SecretError> {
        let mut clean = Sensitive::new(String::with_capacity(text.len()));
        let mut padding_from: Option<usize> = None;
        for (index, c) in text.chars().enumerate() {
            if c.is_whitespace() || c == '-' {
                continue;
            }
            let position = index + 1;
            if c == '=' {
                padding_from.get_or_insert(position);
                continue;
            }
            if let Some(pad) = padding_from {
                // Padding belongs only at the end; a character after it means the text was
                // two things glued together or mistyped.
                return Err(SecretError::InvalidCharacter {
                    character: '=',
                    position: pad,
                });
            }
            let upper = c.to_ascii_uppercase();
            if !matches!(upper, 'A'..='Z' | '2'..='7') {
                return Err(SecretError::InvalidCharacter {
                    character: c,
                    position,
                });
            }
            clean.push(upper);
        }
        if clean.is_empty() {
            return Err(SecretError::Empty);
        }
        if matches!(clean.len() % 8, 1 | 3 | 6) {
            return Err(SecretError::InvalidLength {
                length: clean.len(),
            });
        }
        let bytes =
            lenient_base32()
                .decode(clean.as_bytes())
                .map_err(|_| SecretError::InvalidLength {
                    length: clean.len(),
                })?;
        Self::from_bytes(bytes)
    }

    /// The key's bytes, for the HMAC and for encrypting backups.
    pub fn expose_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The key as unpadded upper-case base32, the form otpauth URIs and people use. Revealing:
    /// only for showing the key on request, URIs and exports.
    pub fn to_base32(&self) -> Sensitive<String> {
        Sensitive::new(BASE32_NOPAD.encode(&self.0))
    }
}

/// Unpadded RFC 4648 base32 that ignores the unused low bits of the last character, as Google
/// Authenticator does: keys in the wild do not always have them zeroed.
fn lenient_base32() -> Encoding {
    let mut spec = BASE32_NOPAD.specification();
    spec.check_trailing_bits = false;
    // The specification is a constant and valid; should it ever fail, the strict decoder is
    // still correct for every key whose trailing bits are zero.
    spec.encoding().unwrap_or_else(|_| BASE32_NOPAD.clone())
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_slice().ct_eq(other.0.as_slice()).into()
    }
}

impl Eq for Secret {}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_KEY: &[u8] = b"12345678901234567890";
    const RFC_KEY_B32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[track_caller]
    fn check(input: &str, expected: Result<&[u8], SecretError>) {
        let got = Secret::parse(input);
        match expected {
            Ok(bytes) => assert_eq!(
                got.map(|s| s.expose_bytes().to_vec()),
                Ok(bytes.to_vec()),
                "{input:?}"
            ),
            Err(e) => assert_eq!(got.err(), Some(e), "{input:?}"),
        }
    }

    #[test]
    fn accepts_what_people_type_and_paste() {
        check(RFC_KEY_B32, Ok(RFC_KEY));
        check("gezdgnbvgy3tqojqgezdgnbvgy3tqojq", Ok(RFC_KEY));
        check("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", Ok(RFC_KEY));
        check("GEZD-GNBV-GY3T-QOJQ-GEZD-GNBV-GY3T-QOJQ", Ok(RFC_KEY));
        check("  GEZDGNBVGY3TQOJQ\tGEZDGNBVGY3TQOJQ\n", Ok(RFC_KEY));
        check("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ====", Ok(RFC_KEY));
        // 80 bits: 16 characters, the common short key.
        check("JBSWY3DPEHPK3PXP", Ok(b"Hello!\xde\xad\xbe\xef"));
        // Padding present, absent, or too much for a 13-byte key (21 characters, 3 pad).
        check("MZXW6YTBOJRGC4TBMJQXE===", Ok(b"foobarbarabar"));
        check("MZXW6YTBOJRGC4TBMJQXE", Ok(b"foobarbarabar"));
        check("MZXW6YTBOJRGC4TBMJQXE=========", Ok(b"foobarbarabar"));
        // Non-zero trailing bits in the last character are ignored, as Google Authenticator does.
        check("MZXW6YTBOJRGC4TBMJQXF", Ok(b"foobarbarabar"));
        // Non-breaking spaces come with keys copied from web pages.
        check(
            "JBSW\u{a0}Y3DP\u{a0}EHPK\u{a0}3PXP",
            Ok(b"Hello!\xde\xad\xbe\xef"),
        );
    }

    #[test]
    fn says_which_character_is_wrong_and_where() {
        check(
            "JBSWY3DPEHPK3PX0",
            Err(SecretError::InvalidCharacter {
                character: '0',
                position: 16,
            }),
        );
        check(
            "JBSW Y3DP EHPK 1PXP",
            Err(SecretError::InvalidCharacter {
                character: '1',
                position: 16,
            }),
        );
        check(
            "JBSWY3DP!HPK3PXP",
            Err(SecretError::InvalidCharacter {
                character: '!',
                position: 9,
            }),
        );
        check(
            "JBSWY3DPé",
            Err(SecretError::InvalidCharacter {
                character: 'é',
                position: 9,
            }),
        );
        check(
            "JBSWY3DP=EHPK3PXP",
            Err(SecretError::InvalidCharacter {
                character: '=',
                position: 9,
            }),
        );
        let message = Secret::parse("JBSWY3DPEHPK3PX0").unwrap_err().to_string();
        assert_eq!(
            message,
            "the secret key has '0' at position 16; base32 keys use only the letters A-Z and the digits 2-7 (did you mean the letter O?)"
        );
        let message = Secret::parse("JBSWY3DP\u{7}").unwrap_err().to_string();
        assert!(message.contains("U+0007"), "{message}");
    }

    #[test]
    fn refuses_empty_short_and_impossible_lengths() {
        check("", Err(SecretError::Empty));
        check("  - = ", Err(SecretError::Empty));
        check("====", Err(SecretError::Empty));
        // 15 characters is 9 whole bytes: 72 bits.
        check("JBSWY3DPEHPK3PX", Err(SecretError::TooShort { bits: 72 }));
        check(
            "JBSWY3DPEHPK3P",
            Err(SecretError::InvalidLength { length: 14 }),
        );
        check("JBSWY3DPEHPK", Err(SecretError::TooShort { bits: 56 }));
        check("A", Err(SecretError::InvalidLength { length: 1 }));
        assert_eq!(
            Secret::from_bytes(vec![0; 9]),
            Err(SecretError::TooShort { bits: 72 })
        );
        assert_eq!(Secret::from_bytes(vec![]), Err(SecretError::Empty));
        assert_eq!(
            Secret::from_bytes(vec![1; MAX_SECRET_BYTES + 1]),
            Err(SecretError::TooLong {
                bytes: MAX_SECRET_BYTES + 1
            })
        );
    }

    #[test]
    fn never_prints_the_key() {
        let secret = Secret::parse(RFC_KEY_B32).unwrap();
        let debug = format!("{secret:?} {:?}", Some(&secret));
        assert!(
            !debug.contains("GEZD") && !debug.contains("49, 50"),
            "{debug}"
        );
        assert!(debug.contains("<redacted>"));
    }

    #[test]
    fn base32_round_trip_and_equality() {
        let secret = Secret::parse("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").unwrap();
        assert_eq!(secret.to_base32().as_str(), RFC_KEY_B32);
        assert_eq!(secret, Secret::from_bytes(RFC_KEY.to_vec()).unwrap());
        assert_ne!(
            secret,
            Secret::from_bytes(b"12345678901234567891".to_vec()).unwrap()
        );
        assert_ne!(
            secret,
            Secret::from_bytes(b"1234567890123456789".to_vec()).unwrap()
        );
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn arbitrary_text_never_panics(text in ".{0,200}") {
                let _ = Secret::parse(&text);
            }

            #[test]
            fn encode_then_parse_gives_the_bytes_back(
                bytes in proptest::collection::vec(any::<u8>(), MIN_SECRET_BYTES..=80),
                lower in any::<bool>(),
                group in 0usize..9,
            ) {
                let secret = Secret::from_bytes(bytes.clone()).unwrap();
                let mut text = secret.to_base32().as_str().to_owned();
                if lower { text = text.to_lowercase(); }
                if group > 0 {
                    let chars: Vec<char> = text.chars().collect();
                    text = chars.chunks(group).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ");
                }
                let parsed = Secret::parse(&text).unwrap();
                prop_assert_eq!(parsed.expose_bytes(), &bytes[..]);
            }
        }
    }
}
