//! Times reading every key of the vault in `XDG_DATA_HOME` from the keychain: at once
//! (`load_all`, the batch) and one by one (`load`, as before the batch), in this process, and
//! prints `at_once_ms one_by_one_ms` as medians of RUNS (default 5) runs. For
//! bench/keychain.sh, which sets up a private keyring and a vault, and times libsecret beside it.

// A bench helper over a vault it was given: an `expect` here is a failed bench.
#![allow(clippy::expect_used)]

use std::time::Instant;

use tessera_vault::{SecretStore, Vault};

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let vault = Vault::open_default().expect("the vault");
    let entries = vault.list().expect("the index");
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    let time = |read: &dyn Fn()| {
        median(
            (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    read();
                    start.elapsed().as_secs_f64() * 1e3
                })
                .collect(),
        )
    };
    let at_once = time(&|| {
        let keys = vault.secrets().load_all(&ids).expect("keys");
        assert!(keys.iter().all(Option::is_some), "every key is there");
    });
    let one_by_one = time(&|| {
        for id in &ids {
            assert!(vault.secrets().load(id).expect("key").is_some());
        }
    });
    println!("{at_once:.1} {one_by_one:.1}");
}
