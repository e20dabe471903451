//! Resync: where codes that another device (or the service's error page) gives sit in an
//! account's sequence. For HOTP, the counter just after them, searched ahead of the stored one
//! (a counter only moves forward: sync keeps the highest, and going back would show used codes
//! again). For TOTP and Steam, how many periods away from `unix_seconds` they are, nearest first,
//! which says how far the two clocks are apart. Two consecutive codes make a match certain; one
//! code can match by chance (about one in a thousand over HOTP's whole look-ahead).

use thiserror::Error;

use crate::otp::{Kind, Params};
use crate::secret::Secret;
use crate::untrusted;

/// How many counters past the stored one an HOTP resync looks at.
pub const HOTP_LOOK_AHEAD: u64 = 1000;
/// How far either side of now a TOTP resync looks, in seconds.
pub const TOTP_REACH_SECONDS: u64 = 24 * 60 * 60;
/// The most codes a resync takes: two consecutive ones are certain.
pub const MOST_CODES: usize = 2;

/// Why codes could not be placed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ResyncError {
    #[error("give one code, or two consecutive codes")]
    Count,
    #[error("{given:?} is not a code of this account, whose codes have {length} {kind}")]
    NotACode {
        given: String,
        length: u8,
        kind: &'static str,
    },
    #[error(
        "none of this account's next {HOTP_LOOK_AHEAD} codes is {0}; nothing was changed (check the codes, and that they are this account's)"
    )]
    NoHotpMatch(String),
    #[error(
        "no code of this account within 24 hours either side of now is {0}; nothing was changed (check the codes, and that they are this account's)"
    )]
    NoTotpMatch(String),
    #[error("this account's codes are counted, not timed: resync it by its counter")]
    NotTimed,
    #[error("this account's codes are timed, not counted: resync it by its time")]
    NotCounted,
}

/// Codes as typed, made comparable: spaces and dashes dropped, Steam's letters in capitals, each
/// checked against the account's length and alphabet.
pub fn normalise(params: &Params, given: &[&str]) -> Result<Vec<String>, ResyncError> {
    if given.is_empty() || given.len() > MOST_CODES {
        return Err(ResyncError::Count);
    }
    let steam = matches!(params.kind, Kind::Steam { .. });
    given
        .iter()
        .map(|text| {
            let code: String = text
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .map(|c| c.to_ascii_uppercase())
                .collect();
            let fits = |c: char| {
                if steam {
                    c.is_ascii_alphanumeric()
                } else {
                    c.is_ascii_digit()
                }
            };
            if code.len() == usize::from(params.code_length()) && code.chars().all(fits) {
                Ok(code)
            } else {
                Err(ResyncError::NotACode {
                    given: untrusted::shown(text),
                    length: params.code_length(),
                    kind: if steam { "characters" } else { "digits" },
                })
            }
        })
        .collect()
}

/// Whether `codes` are the account's codes from moving factor `first` on.
fn matches_from(secret: &Secret, params: &Params, codes: &[String], first: u64) -> bool {
    codes.iter().enumerate().all(|(i, code)| {
        first
            .checked_add(i as u64)
            .is_some_and(|counter| params.code_for_counter(secret, counter) == *code)
    })
}

/// An HOTP account's codes found ahead of its counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CounterFound {
    /// The counter of the first code given.
    pub first: u64,
    /// The counter to store: just after the last code given, so neither is shown again.
    pub next: u64,
}

/// Where `codes` are among an HOTP account's next [`HOTP_LOOK_AHEAD`] counters, from its stored
/// one (the nearest match first).
pub fn hotp(
    secret: &Secret,
    params: &Params,
    codes: &[String],
) -> Result<CounterFound, ResyncError> {
    let Kind::Hotp { counter } = params.kind else {
        return Err(ResyncError::NotCounted);
    };
    (0..=HOTP_LOOK_AHEAD)
        .filter_map(|ahead| counter.checked_add(ahead))
        .find(|&first| matches_from(secret, params, codes, first))
        .and_then(|first| {
            let next = first.checked_add(codes.len() as u64)?;
            Some(CounterFound { first, next })
        })
        .ok_or_else(|| ResyncError::NoHotpMatch(codes.join(", ")))
}

/// How many periods from `unix_seconds` a time-based account gives `codes` (the first of them),
/// searched nearest first within [`TOTP_REACH_SECONDS`] either side: 0 when they are the codes
/// of now, positive when they come from a clock ahead of this one.
pub fn totp_steps(
    secret: &Secret,
    params: &Params,
    codes: &[String],
    unix_seconds: u64,
) -> Result<i64, ResyncError> {
    let period = params.kind.period().ok_or(ResyncError::NotTimed)?;
    let now = params.counter_at(unix_seconds);
    let reach = TOTP_REACH_SECONDS / u64::from(period.get());
    let at = |steps: i64| {
        now.checked_add_signed(steps)
            .is_some_and(|first| matches_from(secret, params, codes, first))
    };
    (0..=reach as i64)
        .flat_map(|distance| [distance, -distance])
        .find(|&steps| at(steps))
        .ok_or_else(|| ResyncError::NoTotpMatch(codes.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Algorithm, code_at};

    fn rfc_key() -> Secret {
        Secret::from_bytes(b"12345678901234567890".to_vec()).unwrap()
    }

    fn hotp_at(counter: u64) -> Params {
        Params {
            kind: Kind::Hotp { counter },
            ..Params::default()
        }
    }

    fn codes(params: &Params, given: &[&str]) -> Vec<String> {
        normalise(params, given).unwrap()
    }

    /// RFC 4226 Appendix D's codes, given to an account whose counter is behind them.
    #[test]
    fn hotp_finds_the_counter_after_rfc4226_codes() {
        let key = rfc_key();
        let params = hotp_at(0);
        // Counters 5 and 6.
        let found = hotp(&key, &params, &codes(&params, &["254676", "287922"])).unwrap();
        assert_eq!(found, CounterFound { first: 5, next: 7 });
        // One code is enough when it is the only match: counter 9.
        let found = hotp(&key, &params, &codes(&params, &["520 489"])).unwrap();
        assert_eq!(found, CounterFound { first: 9, next: 10 });
        // The stored counter's own code is found too: nothing was taken yet.
        let found = hotp(&key, &hotp_at(3), &codes(&params, &["969429"])).unwrap();
        assert_eq!(found.next, 4);
    }

    #[test]
    fn hotp_refuses_codes_behind_the_counter_out_of_order_or_too_far() {
        let key = rfc_key();
        // Counter 5's code, from an account already at 6: behind, never searched.
        let at6 = hotp_at(6);
        assert_eq!(
            hotp(&key, &at6, &codes(&at6, &["254676"])),
            Err(ResyncError::NoHotpMatch("254676".into()))
        );
        // Counters 6 then 5: not consecutive.
        let at0 = hotp_at(0);
        assert!(hotp(&key, &at0, &codes(&at0, &["287922", "254676"])).is_err());
        // Counter 1001's code from counter 0 is past the look-ahead; from 1 it is its edge.
        let far = at0.code_for_counter(&key, HOTP_LOOK_AHEAD + 1);
        let far = [far.as_str()];
        assert!(hotp(&key, &at0, &codes(&at0, &far)).is_err());
        let at1 = hotp_at(1);
        let found = hotp(&key, &at1, &codes(&at1, &far)).unwrap();
        assert_eq!(found.first, HOTP_LOOK_AHEAD + 1);
        // A counter at its end can't overflow: no counter is left after its code.
        let end = hotp_at(u64::MAX);
        let last = end.code_for_counter(&key, u64::MAX);
        assert!(hotp(&key, &end, &codes(&end, &[&last])).is_err());
    }

    /// RFC 6238 Appendix B's codes, given to a machine whose clock is off by whole periods.
    #[test]
    fn totp_finds_how_far_the_clocks_are_apart_with_rfc6238_codes() {
        let key = rfc_key();
        let params = Params::totp(Algorithm::Sha1, 8, 30).unwrap();
        // 1111111109 gave 07081804 and 1111111111 gave 14050471, the next period's.
        let pair = codes(&params, &["07081804", "14050471"]);
        assert_eq!(totp_steps(&key, &params, &pair, 1_111_111_109), Ok(0));
        // This clock 10 minutes behind (20 periods), and an hour ahead.
        assert_eq!(
            totp_steps(&key, &params, &pair, 1_111_111_109 - 600),
            Ok(20)
        );
        assert_eq!(
            totp_steps(&key, &params, &pair, 1_111_111_109 + 3600),
            Ok(-120)
        );
        // 23 hours away is found; 25 hours away is not.
        assert_eq!(
            totp_steps(&key, &params, &pair, 1_111_111_109 + 23 * 3600),
            Ok(-23 * 120)
        );
        assert_eq!(
            totp_steps(&key, &params, &pair, 1_111_111_109 + 25 * 3600),
            Err(ResyncError::NoTotpMatch("07081804, 14050471".into()))
        );
        // Near the epoch the search stops at counter 0 instead of wrapping.
        let at59 = codes(&params, &["94287082"]);
        assert_eq!(totp_steps(&key, &params, &at59, 0), Ok(1));
    }

    #[test]
    fn steam_codes_are_compared_in_capitals() {
        let key = rfc_key();
        let params = Params {
            kind: Kind::Steam {
                period: crate::otp::DEFAULT_PERIOD,
            },
            ..Params::default()
        };
        let code = code_at(&key, &params, 1_000_000 + 90).to_ascii_lowercase();
        let given = codes(&params, &[&code]);
        assert_eq!(totp_steps(&key, &params, &given, 1_000_000), Ok(3));
    }

    #[test]
    fn codes_of_the_wrong_shape_or_number_are_refused() {
        let params = Params::default();
        assert_eq!(normalise(&params, &[]), Err(ResyncError::Count));
        assert_eq!(
            normalise(&params, &["1", "2", "3"]),
            Err(ResyncError::Count)
        );
        assert!(matches!(
            normalise(&params, &["12345"]),
            Err(ResyncError::NotACode { length: 6, .. })
        ));
        assert!(normalise(&params, &["12345a"]).is_err());
        assert_eq!(codes(&params, &["123-456"]), ["123456"]);
        let key = rfc_key();
        assert_eq!(
            hotp(&key, &params, &codes(&params, &["123456"])),
            Err(ResyncError::NotCounted)
        );
        assert_eq!(
            totp_steps(&key, &hotp_at(0), &codes(&params, &["123456"]), 0),
            Err(ResyncError::NotTimed)
        );
    }
}
