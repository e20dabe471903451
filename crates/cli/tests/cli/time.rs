//! `tessera time` against a stand-in SNTP server on 127.0.0.1, and `tessera code` with the
//! correction it saves.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tessera_test_support::{TimeServer, good_reply, malformed_replies};
use tessera_test_support::{error_line, require_private_keyring, stdout, tessera_in};

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn measure(home: &std::path::Path, server: &TimeServer, extra: &[&str]) -> Value {
    let address = server.address();
    let mut args = vec!["time", "--server", &address, "--json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&stdout(&tessera_in(home, &args, ""))).unwrap()
}

#[test]
fn offsets_are_measured_either_way() {
    let home = tempfile::tempdir().unwrap();
    for offset in [150.0, -150.0, 2.5, -86_400.0 * 3.0] {
        let server = TimeServer::offset(offset);
        let measured = measure(home.path(), &server, &[]);
        let got = measured["offset_seconds"].as_f64().unwrap();
        println!(
            "stand-in offset {offset:+} s: measured {got:+.4} s, round trip {} ms",
            measured["round_trip_ms"]
        );
        assert!((got - offset).abs() < 0.5, "{offset}: {measured}");
        assert!(measured["round_trip_ms"].as_f64().unwrap() >= 0.0);
        assert_eq!(measured["server"], server.address());
        assert_eq!(measured["applied_offset_seconds"], Value::Null);
    }
    // Words for people.
    let server = TimeServer::offset(150.0);
    let text = stdout(&tessera_in(
        home.path(),
        &["time", "--server", &server.address()],
        "",
    ));
    assert!(text.contains("is 2 min 30 s behind"), "{text}");
    assert!(text.contains("tessera time --apply"), "{text}");
}

/// --apply saves the correction; `tessera code` uses it and says so; --at is never corrected;
/// --reset removes it.
#[test]
fn apply_makes_codes_use_corrected_time_and_reset_removes_it() {
    require_private_keyring();
    let home = tempfile::tempdir().unwrap();
    stdout(&tessera_in(
        home.path(),
        &["add", "--name", "aws", "--secret", "JBSWY3DPEHPK3PXP"],
        "",
    ));
    let code_at = |t: u64| {
        stdout(&tessera_in(
            home.path(),
            &["code", "aws", "--at", &t.to_string()],
            "",
        ))
        .trim()
        .to_owned()
    };
    let server = TimeServer::offset(150.0);
    let applied = measure(home.path(), &server, &["--apply"]);
    assert_eq!(applied["applied_offset_seconds"], 150, "{applied}");
    let settings: Value = serde_json::from_slice(
        &std::fs::read(home.path().join("config/tessera/settings.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(settings["clock_correction_seconds"], 150);

    let before = unix_now() + 150;
    let out = tessera_in(home.path(), &["code", "aws"], "");
    let after = unix_now() + 150;
    let code = stdout(&out).trim().to_owned();
    assert!(
        code == code_at(before) || code == code_at(after),
        "{code} is not the code for now + 150 s"
    );
    assert_ne!(
        code_at(before),
        code_at(before - 150),
        "the test needs different codes"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("using corrected time: +150 s"), "{stderr}");
    // --at is taken as given.
    let out = tessera_in(home.path(), &["code", "aws", "--at", "1795305600"], "");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("corrected"));

    let reset: Value = serde_json::from_str(&stdout(&tessera_in(
        home.path(),
        &["time", "--reset", "--json"],
        "",
    )))
    .unwrap();
    assert_eq!(reset["applied_offset_seconds"], Value::Null);
    let before = unix_now();
    let out = tessera_in(home.path(), &["code", "aws"], "");
    let after = unix_now();
    let code = stdout(&out).trim().to_owned();
    assert!(code == code_at(before) || code == code_at(after));
    assert!(String::from_utf8_lossy(&out.stderr).is_empty());
}

/// A server that never answers: an error within the 3 s the check allows, nothing saved.
#[test]
fn a_silent_server_is_an_error_within_three_seconds() {
    let home = tempfile::tempdir().unwrap();
    let server = TimeServer::silent();
    let started = Instant::now();
    let out = tessera_in(
        home.path(),
        &["time", "--server", &server.address(), "--apply"],
        "",
    );
    let took = started.elapsed();
    assert!(error_line(&out).contains("no usable answer from the time server within 3 s"));
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert!(server.requests() >= 1);
    assert!(!home.path().join("config/tessera/settings.json").exists());
    // A name that is no server's.
    let out = tessera_in(home.path(), &["time", "--server", "no server/here"], "");
    assert!(error_line(&out).contains("is not a time server's name"));
}

/// Malformed replies (short, wrong mode or version, zero transmit time, a Kiss-o'-Death, an
/// alarm, an answer to another request) are ignored: the good reply after them is used, and
/// with none after them there is no answer.
#[test]
fn malformed_replies_are_ignored() {
    let home = tempfile::tempdir().unwrap();
    let server = TimeServer::with(Box::new(|request| {
        let mut replies = malformed_replies(request, -40.0);
        replies.push(good_reply(request, 60.0));
        replies
    }));
    let measured = measure(home.path(), &server, &[]);
    let got = measured["offset_seconds"].as_f64().unwrap();
    assert!((got - 60.0).abs() < 0.5, "{measured}");

    let server = TimeServer::with(Box::new(|request| malformed_replies(request, 60.0)));
    let out = tessera_in(home.path(), &["time", "--server", &server.address()], "");
    assert!(error_line(&out).contains("no usable answer"));
}
