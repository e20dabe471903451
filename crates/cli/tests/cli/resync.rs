//! `tessera resync` against the real keychain: an HOTP counter moved past RFC 4226's codes, and
//! a timed account's codes placed against a stand-in SNTP server on 127.0.0.1.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use tessera_test_support::{
    TimeServer, error_line, now, require_private_keyring, stdout, tessera_in,
};

/// RFC 4226's key, "12345678901234567890", in base32.
const RFC_KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn counter(home: &Path) -> u64 {
    let list: Value =
        serde_json::from_str(&stdout(&tessera_in(home, &["list", "--json"], ""))).unwrap();
    list[0]["counter"].as_u64().unwrap()
}

#[test]
fn an_hotp_counter_moves_past_the_codes_given() {
    require_private_keyring();
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    stdout(&tessera_in(
        home,
        &[
            "add",
            "--name",
            "token",
            "--secret",
            RFC_KEY,
            "--type",
            "hotp",
            "--counter",
            "2",
        ],
        "",
    ));
    // Counter 1's code is behind the stored 2; 5 then 7 are not consecutive; a word is no code.
    for (codes, error) in [
        (
            &["287082"][..],
            "none of this account's next 1000 codes is 287082",
        ),
        (&["254676", "162583"], "is 254676, 162583"),
        (
            &["12ab56"],
            "\"12ab56\" is not a code of this account, whose codes have 6 digits",
        ),
        (&["1", "2", "3"], "no more were expected"),
    ] {
        let mut args = vec!["resync", "token"];
        args.extend_from_slice(codes);
        let out = tessera_in(home, &args, "");
        assert!(!out.status.success(), "{codes:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(error), "{codes:?}: {said}");
        assert_eq!(counter(home), 2, "{codes:?} changed the counter");
    }
    // Counters 5 and 6, given with a space as apps show them.
    let said = stdout(&tessera_in(
        home,
        &["resync", "token", "254 676", "287922"],
        "",
    ));
    assert!(
        said.contains("counter 5 onwards; its counter is now 7 (was 2)"),
        "{said}"
    );
    assert_eq!(counter(home), 7);
    let code = stdout(&tessera_in(home, &["code", "token"], ""));
    assert_eq!(code.trim(), "162583", "RFC 4226 counter 7");
}

/// Waits until the current 30-s code has at least 8 s left, so that the codes a test takes
/// and the resync that reads them fall in the same period.
fn well_inside_a_period() {
    let left = 30 - now() % 30;
    if left < 8 {
        std::thread::sleep(Duration::from_secs(left + 1));
    }
}

fn code_at(home: &Path, unix_seconds: u64) -> String {
    let at = unix_seconds.to_string();
    stdout(&tessera_in(home, &["code", "aws", "--at", &at], ""))
        .trim()
        .to_owned()
}

fn settings(home: &Path) -> Value {
    serde_json::from_slice(
        &std::fs::read(home.join("config/tessera/settings.json")).unwrap_or_default(),
    )
    .unwrap_or(Value::Null)
}

#[test]
fn a_timed_account_says_whose_clock_is_off_and_can_correct_this_one() {
    require_private_keyring();
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    stdout(&tessera_in(
        home,
        &["add", "--name", "aws", "--secret", "JBSWY3DPEHPK3PXP"],
        "",
    ));
    let ahead = TimeServer::offset(300.0);
    let right = TimeServer::offset(0.0);
    let resync = |server: &TimeServer, codes: &[&str], apply: bool| {
        let address = server.address();
        let mut args = vec!["resync", "aws", "--server", &address];
        args.extend_from_slice(codes);
        if apply {
            args.push("--apply");
        }
        stdout(&tessera_in(home, &args, ""))
    };

    // The device shows the codes of 5 minutes later than this clock.
    well_inside_a_period();
    let t = now() + 300;
    let (first, second) = (code_at(home, t), code_at(home, t + 30));
    // The server agrees with this clock: the device keeps other time, and nothing changes.
    let said = resync(&right, &[&first, &second], false);
    assert!(
        said.contains("codes for 5 min later than 127.0.0.1"),
        "{said}"
    );
    assert!(said.contains("keeps other time"), "{said}");
    // The server is 5 minutes ahead too: this clock is behind, and --apply corrects it.
    let said = resync(&ahead, &[&first, &second], false);
    assert!(
        said.contains("this computer's clock is 5 min behind"),
        "{said}"
    );
    assert!(said.contains("add --apply"), "{said}");
    assert_eq!(settings(home)["clock_correction_seconds"], Value::Null);
    let said = resync(&ahead, &[&first], true);
    assert!(
        said.contains("Codes now use corrected time: +300 s"),
        "{said}"
    );
    assert_eq!(settings(home)["clock_correction_seconds"], 300);
    // Corrected, Tessera gives the device's codes: nothing left to do, and no server asked.
    let silent = TimeServer::silent();
    let said = resync(&silent, &[&first], false);
    assert!(said.contains("Tessera and the device agree"), "{said}");

    // A server that can't be asked: which clock is off is unknown; nothing changes.
    let t = now() + 300 - 3600;
    let said = resync(&silent, &[&code_at(home, t)], false);
    assert!(
        said.contains("codes for 1 h earlier than Tessera's time"),
        "{said}"
    );
    assert!(said.contains("could not be asked"), "{said}");
    assert_eq!(settings(home)["clock_correction_seconds"], 300);

    // Codes found nowhere within a day either side: an error, nothing changed.
    let out = tessera_in(
        home,
        &["resync", "aws", "--server", &right.address(), "00000000"],
        "",
    );
    assert!(
        error_line(&out).contains("is not a code of this account"),
        "{out:?}"
    );
    let nowhere = (0..1_000_000u32)
        .map(|n| format!("{n:06}"))
        .find(|code| {
            let out = tessera_in(
                home,
                &["resync", "aws", "--server", &right.address(), code],
                "",
            );
            !out.status.success()
        })
        .unwrap();
    let out = tessera_in(
        home,
        &["resync", "aws", "--server", &right.address(), &nowhere],
        "",
    );
    assert!(
        error_line(&out).contains("within 24 hours either side of now"),
        "{out:?}"
    );
    assert_eq!(settings(home)["clock_correction_seconds"], 300);
}
