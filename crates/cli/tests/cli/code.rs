//! `tessera code --uri` as a process: output shapes, standard input, and errors (one line on
//! standard error, non-zero exit, nothing on standard output).

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Output;

use tessera_test_support::{error_line, run_with, stdout, tessera_exe};

const RFC_SHA1: &str =
    "otpauth://totp/ACME:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME&digits=8";

fn tessera(args: &[&str], stdin: &str) -> Output {
    run_with(tessera_exe(), args, stdin, &[])
}

#[track_caller]
fn check_error(args: &[&str], stdin: &str, expected: &str) {
    assert_eq!(error_line(&tessera(args, stdin)), expected, "{args:?}");
}

#[test]
fn code_alone_on_a_line() {
    assert_eq!(
        stdout(&tessera(&["code", "--uri", RFC_SHA1, "--at", "59"], "")),
        "94287082\n"
    );
    assert_eq!(
        stdout(&tessera(
            &["code", "--uri", RFC_SHA1, "--at", "59", "--next"],
            ""
        )),
        "94287082\n37359152\n"
    );
}

#[test]
fn uri_from_standard_input() {
    let out = tessera(
        &["code", "--uri", "-", "--at", "1111111109"],
        &format!("  {RFC_SHA1}\n"),
    );
    assert_eq!(stdout(&out), "07081804\n");
}

#[test]
fn json_shape() {
    let out = stdout(&tessera(
        &["code", "--uri", "-", "--at", "59", "--json"],
        RFC_SHA1,
    ));
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        value,
        serde_json::json!({
            "id": null, "name": "ACME (alice)", "code": "94287082", "next_code": "37359152",
            "period": 30, "remaining_seconds": 1
        })
    );
    let hotp = "otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=8";
    let out = stdout(&tessera(&["code", "--uri", hotp, "--json"], ""));
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        value,
        serde_json::json!({
            "id": null, "name": "x", "code": "399871", "next_code": "520489",
            "period": null, "remaining_seconds": null
        })
    );
}

#[test]
fn errors_are_one_clear_line() {
    check_error(
        &["code", "--uri", "-"],
        "otpauth://totp/x?secret=JBSWY3DPEHPK3PX0",
        "the URI's secret parameter is not a valid key: the secret key has '0' at position 16; base32 keys use only the letters A-Z and the digits 2-7 (did you mean the letter O?)",
    );
    check_error(
        &["code", "--uri", "-"],
        "",
        "standard input was empty; expected the otpauth URI",
    );
    check_error(
        &["code", "--uri", "https://example.com"],
        "",
        "not an otpauth:// URI (it should start with otpauth://totp/ or otpauth://hotp/)",
    );
    check_error(
        &[
            "code",
            "--uri",
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=12",
        ],
        "",
        "invalid digits \"12\"; expected 6, 7 or 8",
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = tessera(&["code"], "");
    assert_eq!(out.status.code(), Some(2));
    let out = tessera(&["code", "--uri", RFC_SHA1, "--at", "yesterday"], "");
    assert_eq!(out.status.code(), Some(2));
}
