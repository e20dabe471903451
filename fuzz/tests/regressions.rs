//! Replays every input that fuzzing found (`fuzz/regressions/TARGET/`) through its target, as
//! `cargo fuzz` runs it: each once crashed, aborted, hung or allocated too much, and must now
//! end normally. Fuzzing itself is `make fuzz`, outside `make test`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests: a failure is the point

use std::path::Path;

#[test]
fn every_finding_now_ends_normally() {
    let mut replayed = 0;
    for (target, run) in tessera_fuzz::TARGETS {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("regressions")
            .join(target);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == ".gitkeep") {
                continue;
            }
            eprintln!("{target}: {}", path.display());
            run(&std::fs::read(&path).unwrap());
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no regression inputs found");
}

/// The seed reply fuzz/seed.sh writes is one the target accepts (so fuzzing starts from a
/// reply that gets past every check).
#[test]
fn the_sntp_seed_is_a_reply_that_is_used() {
    let mut data = vec![0xe9, 0, 0, 0, 0, 0, 0, 0, 0xe9, 0, 0, 1, 0, 0, 0, 0];
    data.extend([0x24, 0x02, 0x06, 0xec]);
    data.extend([0; 8]);
    data.extend(b"GPS\0");
    data.extend([0; 8]);
    data.extend([0xe9, 0, 0, 0, 0, 0, 0, 0]);
    data.extend([0xe9, 0, 0, 0, 0x80, 0, 0, 0, 0xe9, 0, 0, 0, 0x80, 0, 0, 0]);
    let sent = tessera_core::sntp::Timestamp(0xe900_0000_0000_0000);
    let received = tessera_core::sntp::Timestamp(0xe900_0001_0000_0000);
    let measured = tessera_core::sntp::read_reply(&data[16..], sent, received).unwrap();
    assert!((measured.offset_seconds - 0.0).abs() < 1e-9, "{measured:?}");
    assert!(
        (measured.round_trip_seconds - 1.0).abs() < 1e-9,
        "{measured:?}"
    );
    tessera_fuzz::sntp(&data);
}
