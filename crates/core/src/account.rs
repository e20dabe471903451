//! An OTP account as authenticators exchange it: issuer, label, secret key and code parameters.
//! The vault adds what is Tessera's own (id, friendly name, position).

use crate::otp::{self, Params};
use crate::secret::Secret;

/// One account's codes and how people recognise it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Who issued it ("Amazon Web Services"); empty when unknown.
    pub issuer: String,
    /// The account at the issuer ("admin@123456789012"); may be empty.
    pub label: String,
    pub secret: Secret,
    pub params: Params,
}

impl Account {
    /// The friendly name an account gets unless the user picks one:
    /// "Issuer (label)", or whichever of the two is present.
    pub fn default_name(&self) -> String {
        default_name(&self.issuer, &self.label)
    }

    /// The code shown at `unix_seconds`; see [`otp::code_at`].
    pub fn code_at(&self, unix_seconds: u64) -> String {
        otp::code_at(&self.secret, &self.params, unix_seconds)
    }

    /// The code after that one; see [`otp::next_code_at`].
    pub fn next_code_at(&self, unix_seconds: u64) -> String {
        otp::next_code_at(&self.secret, &self.params, unix_seconds)
    }

    /// Whether two accounts give the same codes: the same key, type, algorithm, digits and
    /// period (an HOTP counter may differ). This is what makes an imported account a duplicate;
    /// the issuer and label are only names.
    pub fn same_codes(&self, other: &Account) -> bool {
        let kind_matches = match (self.params.kind, other.params.kind) {
            (otp::Kind::Hotp { .. }, otp::Kind::Hotp { .. }) => true,
            (a, b) => a == b,
        };
        kind_matches
            && self.params.algorithm == other.params.algorithm
            && self.params.digits == other.params.digits
            && self.secret == other.secret
    }
}

/// Longer friendly names are refused: they are for people to read in a list.
pub const MAX_NAME_CHARS: usize = 100;

/// Whether two friendly names are the same name: names are unique whatever their case.
pub fn same_name(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// `base` if `taken` says it is free, else "base 2", "base 3", ... (`base` shortened when the
/// number would make it too long): for names Tessera chooses, never the user's.
pub fn unique_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2u64..)
        .map(|n| {
            let suffix = format!(" {n}");
            let room = MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
            let stem: String = base.chars().take(room).collect();
            format!("{}{suffix}", stem.trim_end())
        })
        .find(|c| !taken(c))
        .unwrap_or_default()
}

/// "Issuer (label)", "Issuer", "label", or "Unnamed account" when both are empty.
pub fn default_name(issuer: &str, label: &str) -> String {
    match (issuer.trim(), label.trim()) {
        ("", "") => "Unnamed account".to_owned(),
        (issuer, "") => issuer.to_owned(),
        ("", label) => label.to_owned(),
        (issuer, label) if issuer.eq_ignore_ascii_case(label) => issuer.to_owned(),
        (issuer, label) => format!("{issuer} ({label})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_codes_compares_key_and_parameters() {
        let a = crate::uri::parse("otpauth://totp/A:a?secret=AAAAAAAAAAAAAAAA").unwrap();
        let renamed = crate::uri::parse("otpauth://totp/B:b?secret=AAAAAAAAAAAAAAAA").unwrap();
        assert!(a.same_codes(&renamed));
        for other in [
            "otpauth://totp/A:a?secret=AAAAAAAAAAAAAAAB",
            "otpauth://totp/A:a?secret=AAAAAAAAAAAAAAAA&period=60",
            "otpauth://totp/A:a?secret=AAAAAAAAAAAAAAAA&digits=8",
            "otpauth://totp/A:a?secret=AAAAAAAAAAAAAAAA&algorithm=SHA256",
            "otpauth://hotp/A:a?secret=AAAAAAAAAAAAAAAA",
        ] {
            assert!(!a.same_codes(&crate::uri::parse(other).unwrap()), "{other}");
        }
        let h1 = crate::uri::parse("otpauth://hotp/A?secret=AAAAAAAAAAAAAAAA&counter=1").unwrap();
        let h9 = crate::uri::parse("otpauth://hotp/A?secret=AAAAAAAAAAAAAAAA&counter=9").unwrap();
        assert!(h1.same_codes(&h9));
    }

    #[test]
    fn default_names() {
        for (issuer, label, name) in [
            (
                "Amazon Web Services",
                "admin@123456789012",
                "Amazon Web Services (admin@123456789012)",
            ),
            ("GitHub", "", "GitHub"),
            ("", "alice@example.com", "alice@example.com"),
            ("", " ", "Unnamed account"),
            ("Steam", "steam", "Steam"),
        ] {
            assert_eq!(default_name(issuer, label), name);
        }
    }
}
