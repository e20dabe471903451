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
