//! Cost of computing one code in-process, per algorithm and kind, of parsing a URI, of matching
//! an account to its issuer icon (which the window's list does for every account), and of a
//! resync that finds nothing (its whole search: 1000 counters, or 24 hours either side).
//! Run with `cargo bench -p tessera-core`; bench/code-vs-oathtool.sh times whole processes.

// Benchmarks run over constant inputs known to be valid: an `expect` here cannot meet outside data.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::num::NonZeroU32;

use criterion::{Criterion, criterion_group, criterion_main};
use tessera_core::{Algorithm, Digits, Kind, Params, Secret, otp, uri};

fn codes(c: &mut Criterion) {
    let secret = Secret::parse("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").expect("valid key");
    let period = NonZeroU32::new(30).expect("non-zero");
    for (name, kind, algorithm) in [
        ("totp_sha1", Kind::Totp { period }, Algorithm::Sha1),
        ("totp_sha256", Kind::Totp { period }, Algorithm::Sha256),
        ("totp_sha512", Kind::Totp { period }, Algorithm::Sha512),
        ("hotp_sha1", Kind::Hotp { counter: 7 }, Algorithm::Sha1),
        ("steam", Kind::Steam { period }, Algorithm::Sha1),
    ] {
        let params = Params {
            kind,
            algorithm,
            digits: Digits::SIX,
        };
        c.bench_function(&format!("code_at/{name}"), |b| {
            b.iter(|| {
                otp::code_at(
                    black_box(&secret),
                    black_box(&params),
                    black_box(1_700_000_000),
                )
            })
        });
    }
    let text = "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30";
    c.bench_function("uri_parse_then_code", |b| {
        b.iter(|| {
            let account = uri::parse(black_box(text)).expect("valid URI");
            account.code_at(black_box(1_700_000_000))
        })
    });
}

fn icons(c: &mut Criterion) {
    tessera_core::icons::warm();
    for (name, issuer, label) in [
        ("matched", "Amazon Web Services", "tester01@123456789012"),
        ("unmatched", "Bench Corp", "user1@example.com"),
        ("domain", "", "octocat@github.com"),
    ] {
        c.bench_function(&format!("icon_for_account/{name}"), |b| {
            b.iter(|| tessera_core::icons::for_account(black_box(issuer), black_box(label)))
        });
    }
}

/// The longest resyncs: codes found nowhere, so every counter or period is tried.
fn resyncs(c: &mut Criterion) {
    use tessera_core::resync;
    let secret = Secret::parse("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").expect("valid key");
    let hotp = Params {
        kind: Kind::Hotp { counter: 0 },
        ..Params::default()
    };
    let totp = Params::default();
    // Neither account gives this pair anywhere in its search (checked by the expect_err).
    let nowhere = ["000000".to_owned(), "000000".to_owned()];
    c.bench_function("resync_nowhere/hotp_1000", |b| {
        b.iter(|| {
            resync::hotp(black_box(&secret), &hotp, black_box(&nowhere)).expect_err("found nowhere")
        })
    });
    c.bench_function("resync_nowhere/totp_24h", |b| {
        b.iter(|| {
            resync::totp_steps(
                black_box(&secret),
                &totp,
                black_box(&nowhere),
                1_700_000_000,
            )
            .expect_err("found nowhere")
        })
    });
}

criterion_group!(benches, codes, icons, resyncs);
criterion_main!(benches);
