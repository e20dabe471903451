//! Cost of a sync merge: five devices' states of 1,000 accounts each (every device knows every
//! account, each with changes of its own) joined, then the vault they give; and finding a
//! device's own changes among 1,000 accounts. Run with `cargo bench -p tessera-core --bench sync`.

// Benchmarks run over constant inputs known to be valid: an `expect` here cannot meet outside data.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tessera_core::meta::Meta;
use tessera_core::sync::{Body, State};
use tessera_core::{Kind, Params};

const ACCOUNTS: usize = 1000;
const DEVICES: usize = 5;

fn vault(device: usize) -> Vec<(String, Body)> {
    (0..ACCOUNTS)
        .map(|i| {
            let params = if i % 10 == 0 {
                Params {
                    kind: Kind::Hotp {
                        counter: (i + device) as u64,
                    },
                    ..Params::default()
                }
            } else {
                Params::default()
            };
            // Each device renamed a tenth of the accounts.
            let name = if i % 10 == device {
                format!("account {i:04} on {device}")
            } else {
                format!("account {i:04}")
            };
            let body = Body {
                name,
                issuer: "Amazon Web Services".into(),
                label: format!("tester-{i:04}@123456789012"),
                params,
                created: 1_790_000_000 + i as u64,
                meta: Meta {
                    tags: vec!["staging".into()],
                    ..Meta::default()
                },
            };
            (format!("{i:016x}"), body)
        })
        .collect()
}

fn sync(c: &mut Criterion) {
    let base = State::default().changes(&vault(99), "base", 1_000);
    let mut common = State::default();
    common.join(&base);
    let states: Vec<State> = (0..DEVICES)
        .map(|d| {
            let mut state = common.clone();
            state.join(&common.changes(&vault(d), &format!("device{d}"), 2_000 + d as u64));
            state
        })
        .collect();
    c.bench_function("merge/5_devices_x_1000_accounts", |b| {
        b.iter(|| {
            let mut merged = State::default();
            for state in black_box(&states) {
                merged.join(state);
            }
            merged.view()
        })
    });
    c.bench_function("changes/1000_accounts_none_changed", |b| {
        b.iter(|| black_box(&states[0]).changes(black_box(&states[0].view()), "device0", 3_000))
    });
    let json = serde_json::to_vec(&states[0]).expect("serialisable");
    c.bench_function("state_json/read_1000_accounts", |b| {
        b.iter(|| serde_json::from_slice::<State>(black_box(&json)).expect("valid"))
    });
}

criterion_group!(benches, sync);
criterion_main!(benches);
