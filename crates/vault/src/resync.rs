//! Resyncing an account with codes another device gives (`tessera resync`, the details dialog).
//! An HOTP account's counter moves to just after them. A time-based account changes nothing in
//! the vault: where its codes are says how far this computer's time (with its correction) is
//! from the device's, and a time server's says which of the two is off. When it is this clock,
//! the correction is offered (`settings::clock_correction_seconds`, as `tessera time --apply`);
//! when it is the device's or the service's, Tessera follows the right time and says so.

use tessera_core::sntp::describe_offset;
use tessera_core::{Kind, resync};

use crate::clock::{ClockCheck, ClockError, whole_seconds};
use crate::error::VaultError;
use crate::index::Entry;
use crate::secrets::SecretStore;
use crate::vault::Vault;

/// Where a time-based account's codes were found, and whose clock is off.
#[derive(Debug, Clone, PartialEq)]
pub enum TimeVerdict {
    /// They are its codes now: Tessera and the device agree.
    Agrees,
    /// This computer's time is off: the codes are the account's codes at the time server's
    /// time. Correcting codes by `correction_seconds` (the server's clock minus this one) makes
    /// them agree.
    ThisClock {
        steps: i64,
        correction_seconds: i32,
        server: String,
    },
    /// The time server agrees with this computer (or its correction) and not with the device:
    /// the device or the service keeps other time, `server_steps` periods from the server's.
    TheirClock {
        steps: i64,
        server_steps: i64,
        server: String,
    },
    /// The time server could not be asked: the codes are `steps` periods from this computer's
    /// time, and which clock is off is unknown.
    Unchecked { steps: i64, why: String },
}

/// What a time-based resync found: the account, its period and the verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeFound {
    pub entry: Entry,
    pub period: u32,
    pub verdict: TimeVerdict,
}

impl TimeVerdict {
    /// The periods between this computer's time for codes and the codes given; 0 when they
    /// agree.
    pub fn steps(&self) -> i64 {
        match *self {
            Self::Agrees => 0,
            Self::ThisClock { steps, .. }
            | Self::TheirClock { steps, .. }
            | Self::Unchecked { steps, .. } => steps,
        }
    }
}

impl TimeFound {
    /// What was found, in a sentence for people (the CLI prints it, the window shows it).
    pub fn said(&self) -> String {
        let name = &self.entry.name;
        // "5 min later than" or "1 h earlier than": the codes' time beside another.
        let apart = |steps: i64| {
            describe_offset(-steps.saturating_mul(i64::from(self.period)))
                .replace(" ahead", " later than")
                .replace(" behind", " earlier than")
        };
        match &self.verdict {
            TimeVerdict::Agrees => format!(
                "{name:?} gives these codes now: Tessera and the device agree, nothing to change (a service that refuses them keeps other time)"
            ),
            TimeVerdict::ThisClock {
                steps,
                correction_seconds,
                server,
            } => format!(
                "These are {name:?}'s codes for {} Tessera's time, and {server} keeps that time: this computer's clock is {}",
                apart(*steps),
                describe_offset(i64::from(*correction_seconds))
            ),
            TimeVerdict::TheirClock {
                server_steps,
                server,
                ..
            } => format!(
                "These are {name:?}'s codes for {} {server}'s time, which this computer keeps: the device that shows them, or the service, keeps other time. Tessera's codes follow the right time; nothing was changed",
                apart(*server_steps),
            ),
            TimeVerdict::Unchecked { steps, why } => format!(
                "These are {name:?}'s codes for {} Tessera's time; whose clock is off is unknown, as the time server could not be asked ({why}). Nothing was changed",
                apart(*steps),
            ),
        }
    }
}

/// What an HOTP resync did, in a sentence for people: `before` is the entry as it was.
pub fn counter_said(before: &Entry, found: resync::CounterFound) -> String {
    let was = match before.params.kind {
        Kind::Hotp { counter } => counter,
        Kind::Totp { .. } | Kind::Steam { .. } => 0,
    };
    let onwards = if found.next - found.first > 1 {
        " onwards"
    } else {
        ""
    };
    format!(
        "Resynced {:?}: the codes given are counter {}{onwards}; its counter is now {} (was {was})",
        before.name, found.first, found.next
    )
}

impl<S: SecretStore> Vault<S> {
    /// Moves an HOTP account's counter to just after `codes`, found within
    /// [`resync::HOTP_LOOK_AHEAD`] of it (`resync::hotp`). Returns the entry as it was and where
    /// the codes were; codes found nowhere change nothing.
    pub fn resync_counter(
        &self,
        query: &str,
        codes: &[&str],
    ) -> Result<(Entry, resync::CounterFound), VaultError> {
        let entry = self.find(query)?;
        let codes = resync::normalise(&entry.params, codes)?;
        let (before, _, found) = self.move_counter(&entry, |_, account, _| {
            let found = resync::hotp(&account.secret, &account.params, &codes)?;
            Ok((found.next, found))
        })?;
        Ok((before, found))
    }

    /// Where a time-based account's `codes` are from `unix_seconds` (this computer's time for
    /// codes, correction included), and, when they are not its codes now, whose clock is off:
    /// `measure` asks the time server (`clock::measure`) only then. `correction_seconds` is the
    /// correction `unix_seconds` includes. Changes nothing.
    pub fn resync_time(
        &self,
        query: &str,
        codes: &[&str],
        unix_seconds: u64,
        correction_seconds: Option<i32>,
        measure: impl FnOnce() -> Result<ClockCheck, ClockError>,
    ) -> Result<TimeFound, VaultError> {
        let entry = self.find(query)?;
        let Some(period) = entry.params.kind.period() else {
            return Err(resync::ResyncError::NotTimed.into());
        };
        let codes = resync::normalise(&entry.params, codes)?;
        let account = self.account(&entry)?;
        let steps = resync::totp_steps(&account.secret, &account.params, &codes, unix_seconds)?;
        let verdict = if steps == 0 {
            TimeVerdict::Agrees
        } else {
            match measure() {
                Err(error) => TimeVerdict::Unchecked {
                    steps,
                    why: error.to_string(),
                },
                Ok(check) => {
                    // The server's time is this clock's plus its offset; `unix_seconds` already
                    // has this clock's correction in it.
                    let offset = whole_seconds(check.offset_seconds);
                    let moved = i64::from(offset) - i64::from(correction_seconds.unwrap_or(0));
                    let at_server = unix_seconds.saturating_add_signed(moved);
                    let server_steps =
                        resync::totp_steps(&account.secret, &account.params, &codes, at_server)?;
                    if server_steps == 0 {
                        TimeVerdict::ThisClock {
                            steps,
                            correction_seconds: offset,
                            server: check.server,
                        }
                    } else {
                        TimeVerdict::TheirClock {
                            steps,
                            server_steps,
                            server: check.server,
                        }
                    }
                }
            }
        };
        Ok(TimeFound {
            entry,
            period: period.get(),
            verdict,
        })
    }
}

#[cfg(test)]
mod tests {
    //! The logic over the in-memory store and a given measurement; `tessera resync` is tested
    //! against the real keychain and a stand-in time server in the CLI's tests.

    use super::*;
    use crate::vault::tests::{account, vault};

    const AWS: &str = "otpauth://totp/AWS:admin?secret=JBSWY3DPEHPK3PXP&issuer=AWS";

    #[test]
    fn a_resync_moves_the_counter_past_the_codes_or_changes_nothing() {
        let (_dir, vault) = vault();
        let hotp = account("otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=2");
        vault.add(Some("token"), &hotp, 1).unwrap();
        let written = || std::fs::read(vault.dir().join("vault.json")).unwrap();
        let before = written();
        // RFC 4226 counter 1's code is behind the stored 2; 5 then 7 are not consecutive.
        for codes in [&["287082"][..], &["254676", "162583"]] {
            assert!(matches!(
                vault.resync_counter("token", codes),
                Err(VaultError::Resync(_))
            ));
        }
        assert_eq!(written(), before, "a refused resync writes nothing");
        let (entry, found) = vault
            .resync_counter("token", &["254676", "287922"])
            .unwrap();
        assert_eq!(entry.params.kind, Kind::Hotp { counter: 2 });
        assert_eq!((found.first, found.next), (5, 7));
        let (_, next) = vault.take_codes("token", 1).unwrap();
        assert_eq!(next.code_at(0), "162583", "RFC 4226 counter 7");
        vault.add(Some("timed"), &account(AWS), 1).unwrap();
        assert!(matches!(
            vault.resync_counter("timed", &["123456"]),
            Err(VaultError::Resync(_))
        ));
    }

    fn server(offset_seconds: f64) -> Result<ClockCheck, ClockError> {
        Ok(ClockCheck {
            server: "time.test".into(),
            offset_seconds,
            round_trip_ms: 1.0,
        })
    }

    #[test]
    fn a_time_resync_says_whose_clock_is_off() {
        let (_dir, vault) = vault();
        vault.add(Some("aws"), &account(AWS), 1).unwrap();
        let aws = account(AWS);
        let now = 1_800_000_000;
        // The device shows the code of 5 minutes later: 10 periods ahead.
        let later = aws.code_at(now + 300);
        let asked = |offset: f64, correction: Option<i32>| {
            vault
                .resync_time("aws", &[&later], now, correction, || server(offset))
                .unwrap()
                .verdict
        };
        // The time server is 5 minutes ahead of this clock too: this clock is behind.
        assert_eq!(
            asked(300.4, None),
            TimeVerdict::ThisClock {
                steps: 10,
                correction_seconds: 300,
                server: "time.test".into()
            }
        );
        // The server agrees with this clock: the device is ahead.
        assert_eq!(
            asked(0.2, None),
            TimeVerdict::TheirClock {
                steps: 10,
                server_steps: 10,
                server: "time.test".into()
            }
        );
        // A correction of +60 s is already in `now`, and the server says this clock is 300 s
        // behind: the device, right by the server, is 240 s (8 periods) ahead of `now`. The
        // correction to save is the server's whole offset.
        let right = aws.code_at(now + 240);
        assert_eq!(
            vault
                .resync_time("aws", &[&right], now, Some(60), || server(300.0))
                .unwrap()
                .verdict,
            TimeVerdict::ThisClock {
                steps: 8,
                correction_seconds: 300,
                server: "time.test".into()
            }
        );
        assert_eq!(
            asked(300.0, Some(60)),
            TimeVerdict::TheirClock {
                steps: 10,
                server_steps: 2,
                server: "time.test".into()
            },
            "60 s ahead of the server"
        );
        let unasked = vault
            .resync_time("aws", &[&later], now, None, || {
                Err(ClockError::NoAnswer {
                    server: "time.test".into(),
                })
            })
            .unwrap();
        assert_eq!(unasked.verdict.steps(), 10);
        assert!(matches!(unasked.verdict, TimeVerdict::Unchecked { .. }));
        // The code of now agrees, and the server is not asked.
        let found = vault
            .resync_time("aws", &[&aws.code_at(now)], now, None, || {
                panic!("asked the time server for codes that agree")
            })
            .unwrap();
        assert_eq!((found.verdict, found.period), (TimeVerdict::Agrees, 30));
        // A code found nowhere is an error.
        let nowhere = (0..=u32::MAX)
            .map(|n| format!("{:06}", n % 1_000_000))
            .find(|code| {
                tessera_core::resync::totp_steps(
                    &aws.secret,
                    &aws.params,
                    std::slice::from_ref(code),
                    now,
                )
                .is_err()
            })
            .unwrap();
        assert!(matches!(
            vault.resync_time("aws", &[&nowhere], now, None, || server(0.0)),
            Err(VaultError::Resync(_))
        ));
    }
}
