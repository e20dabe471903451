//! What scanned QR codes add up to: the accounts in them, and what could not be used. Payloads
//! come in one by one (several images, several codes each); transfer codes of one export are
//! put together, and the same account scanned twice counts once.

use thiserror::Error;

use crate::account::Account;
use crate::migration::{self, Batches, MigrationError, Missing, Skipped};
use crate::sensitive::Sensitive;
use crate::uri::{self, UriError};

/// Something scanned that gives no account.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Problem {
    #[error("{origin}: {error}")]
    Image { origin: String, error: String },
    #[error("{origin}: cannot read the file: {detail}")]
    Unreadable { origin: String, detail: String },
    #[error(
        "{origin}: no QR code found. If there is one, zoom in so that it is larger, or use a sharper image"
    )]
    NoCode { origin: String },
    #[error(
        "{origin}: the QR code is not an authenticator code (it does not start with otpauth://)"
    )]
    NotAnAccount { origin: String },
    #[error("{origin}: {error}")]
    Uri { origin: String, error: UriError },
    #[error("{origin}: {error}")]
    Transfer {
        origin: String,
        error: MigrationError,
    },
    #[error("{}: {}", .0.name, .0.reason)]
    Skipped(Skipped),
    #[error(transparent)]
    Missing(Missing),
}

impl Problem {
    /// Whether the scan as a whole is in doubt: an image could not be read or held no code, or
    /// codes of a transfer export are missing. The others concern one code or account only.
    pub fn is_serious(&self) -> bool {
        matches!(
            self,
            Problem::Image { .. }
                | Problem::Unreadable { .. }
                | Problem::NoCode { .. }
                | Problem::Missing(_)
        )
    }
}

/// The accounts found, in the order scanned, and the problems.
#[derive(Debug, Default)]
pub struct Collected {
    pub accounts: Vec<Account>,
    pub problems: Vec<Problem>,
}

/// Puts payloads together; see the module docs.
#[derive(Debug, Default)]
pub struct Collector {
    accounts: Vec<Account>,
    batches: Batches,
    problems: Vec<Problem>,
}

impl Collector {
    /// Takes what reading an image gave (its payloads, or why it could not be read: tessera-qr's
    /// `decode`), and returns the payloads. An image without a code is a problem.
    pub fn add_decoded(
        &mut self,
        origin: &str,
        decoded: Result<Vec<Sensitive<String>>, impl std::fmt::Display>,
    ) -> Vec<Sensitive<String>> {
        match decoded {
            Ok(payloads) if payloads.is_empty() => {
                self.problem(Problem::NoCode {
                    origin: origin.to_owned(),
                });
                payloads
            }
            Ok(payloads) => {
                for payload in &payloads {
                    self.add(origin, payload);
                }
                payloads
            }
            Err(error) => {
                self.problem(Problem::Image {
                    origin: origin.to_owned(),
                    error: error.to_string(),
                });
                Vec::new()
            }
        }
    }

    /// Notes a file that could not be read at all.
    pub fn unreadable(&mut self, origin: &str, detail: &str) {
        self.problem(Problem::Unreadable {
            origin: origin.to_owned(),
            detail: detail.to_owned(),
        });
    }

    /// Takes one payload; `origin` says where it came from in problems ("shot.png").
    pub fn add(&mut self, origin: &str, payload: &str) {
        let origin = origin.to_owned();
        if migration::is_migration(payload) {
            match migration::parse(payload) {
                Ok(batch) => self.batches.add(batch),
                Err(error) => self.problem(Problem::Transfer { origin, error }),
            }
            return;
        }
        match uri::parse(payload) {
            Ok(account) => self.push(account),
            Err(UriError::NotOtpauth) => self.problem(Problem::NotAnAccount { origin }),
            Err(error) => self.problem(Problem::Uri { origin, error }),
        }
    }

    /// Notes a problem; the same one twice (one file given twice) is said once.
    fn problem(&mut self, problem: Problem) {
        if !self.problems.contains(&problem) {
            self.problems.push(problem);
        }
    }

    fn push(&mut self, account: Account) {
        if !self.accounts.contains(&account) {
            self.accounts.push(account);
        }
    }

    /// The accounts and problems, with transfer codes put together. Codes of an incomplete
    /// export give their accounts and a [`Problem::Missing`] naming the codes not scanned.
    pub fn finish(mut self) -> Collected {
        let missing = self.batches.missing();
        let (transferred, skipped) = std::mem::take(&mut self.batches).into_accounts();
        for account in transferred {
            self.push(account);
        }
        self.problems
            .extend(skipped.into_iter().map(Problem::Skipped));
        self.problems
            .extend(missing.into_iter().map(Problem::Missing));
        Collected {
            accounts: self.accounts,
            problems: self.problems,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Algorithm, Params, Secret};

    #[test]
    fn collects_uris_and_transfers_once_each() {
        let a = uri::parse("otpauth://totp/A:a?secret=AAAAAAAAAAAAAAAA").unwrap();
        let b = Account {
            issuer: "B".into(),
            label: "b".into(),
            secret: Secret::from_bytes(vec![7; 20]).unwrap(),
            params: Params::totp(Algorithm::Sha256, 8, 30).unwrap(),
        };
        let mut collector = Collector::default();
        collector.add("one.png", "otpauth://totp/A:a?secret=AAAAAAAAAAAAAAAA");
        collector.add("two.png", "otpauth://totp/A:a?secret=AAAAAAAAAAAAAAAA");
        collector.add(
            "two.png",
            &migration::format(std::slice::from_ref(&b), 0, 2, 9),
        );
        collector.add("two.png", "https://example.com/");
        collector.add("two.png", "otpauth://totp/x?secret=0");
        let collected = collector.finish();
        assert_eq!(collected.accounts, [a, b]);
        let problems: Vec<String> = collected.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "two.png: the QR code is not an authenticator code (it does not start with otpauth://)",
                "two.png: the URI's secret parameter is not a valid key: the secret key has '0' at position 1; base32 keys use only the letters A-Z and the digits 2-7 (did you mean the letter O?)",
                "Google Authenticator export: code 2 of 2 was not scanned; scan every code the export shows",
            ]
        );
    }
}
