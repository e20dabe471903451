//! `tessera code --uri -` as a process agrees with oathtool (OATH Toolkit, an independent
//! implementation) on random keys, algorithms, digits, periods, counters and times, and with
//! Steam Guard (a published vector and totp-rs's implementation) for the steam type.
//!
//! oathtool comes from Debian's `oathtool` package; `make test` installs it.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use data_encoding::{BASE32_NOPAD, HEXLOWER};
use proptest::prelude::*;
use tessera_test_support::{run_with, stdout, tessera_exe};

/// Runs a program with `input` on standard input; returns its standard output lines.
fn run(program: &str, args: &[&str], input: &str) -> Vec<String> {
    stdout(&run_with(program, args, input, &[]))
        .lines()
        .map(str::to_owned)
        .collect()
}

fn tessera(uri: &str, at: u64) -> Vec<String> {
    run(
        tessera_exe(),
        &["code", "--uri", "-", "--at", &at.to_string(), "--next"],
        uri,
    )
}

#[derive(Debug, Clone)]
enum Case {
    Totp {
        algorithm: &'static str,
        digits: u8,
        period: u32,
        at: u64,
    },
    Hotp {
        digits: u8,
        counter: u64,
    },
}

fn case() -> impl Strategy<Value = Case> {
    let algorithm = prop_oneof![Just("SHA1"), Just("SHA256"), Just("SHA512")];
    // Periods from 1 s to 10 min, times up to the year 2106 (u32 seconds), 8-digit codes.
    let totp = (algorithm, 6u8..=8, 1u32..=600, 0u64..=u64::from(u32::MAX)).prop_map(
        |(algorithm, digits, period, at)| Case::Totp {
            algorithm,
            digits,
            period,
            at,
        },
    );
    // oathtool's HOTP is SHA-1 only (RFC 4226).
    let hotp =
        (6u8..=8, 0u64..=(1 << 40)).prop_map(|(digits, counter)| Case::Hotp { digits, counter });
    prop_oneof![3 => totp, 1 => hotp]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn codes_agree_with_oathtool(key in proptest::collection::vec(any::<u8>(), 10..=64), case in case()) {
        let b32 = BASE32_NOPAD.encode(&key);
        let hex = HEXLOWER.encode(&key);
        let (ours, theirs) = match case {
            Case::Totp { algorithm, digits, period, at } => {
                let uri = format!("otpauth://totp/Test:case?secret={b32}&algorithm={algorithm}&digits={digits}&period={period}");
                let oath = run("oathtool", &[
                    &format!("--totp={algorithm}"), &format!("--digits={digits}"),
                    &format!("--time-step-size={period}s"), &format!("--now=@{at}"), "--window=1", "-",
                ], &hex);
                (tessera(&uri, at), oath)
            }
            Case::Hotp { digits, counter } => {
                let uri = format!("otpauth://hotp/Test:case?secret={b32}&digits={digits}&counter={counter}");
                let oath = run("oathtool", &[
                    "--hotp", &format!("--digits={digits}"), &format!("--counter={counter}"), "--window=1", "-",
                ], &hex);
                (tessera(&uri, 0), oath)
            }
        };
        // Both print the current code and the next one.
        prop_assert_eq!(ours, theirs, "case {:?}", case);
    }

    #[test]
    fn steam_codes_agree_with_totp_rs(key in proptest::collection::vec(any::<u8>(), 16..=40), at in 0u64..=u64::from(u32::MAX)) {
        let uri = format!("otpauth://steam/Steam:case?secret={}", BASE32_NOPAD.encode(&key));
        let steam = totp_rs::Builder::new_steam().with_secret(key).build().unwrap();
        let expected = vec![steam.generate(at).to_string(), steam.generate(at + 30).to_string()];
        prop_assert_eq!(tessera(&uri, at), expected);
    }
}

/// A published Steam Guard vector: a key of 20 zero bytes gives RYH4D at counter 0 and DR2DK at
/// counter 1.
#[test]
fn steam_published_vector() {
    let uri = format!(
        "otpauth://steam/Steam:zero?secret={}",
        BASE32_NOPAD.encode(&[0; 20])
    );
    assert_eq!(tessera(&uri, 29), ["RYH4D", "DR2DK"]);
}
