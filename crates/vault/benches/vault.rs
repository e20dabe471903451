//! The vault against a real Secret Service: `list`, every key read one by one and at once (the
//! batch the window's start, exports, duplicate checks use), and the codes of every account, at
//! 10, 100 and 1000 accounts; and adding 100 accounts. Run through
//! `make bench`, which starts a private gnome-keyring (scripts/with-keyring.sh).

// Benchmarks over inputs they make themselves: an `expect` here cannot meet outside data.
#![allow(clippy::expect_used)]

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use tessera_vault::{Keychain, SecretStore, Vault};

use common::{NOW, account};

/// A vault with `n` accounts, their keys in the keychain.
fn vault_with(n: usize) -> (tempfile::TempDir, Vault<Keychain>) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let vault = Vault::new(dir.path().join("tessera"), Keychain::new());
    let accounts: Vec<_> = (0..n).map(|i| (None, account(i))).collect();
    vault.add_many(&accounts, NOW).expect("add");
    (dir, vault)
}

fn remove_all(vault: &Vault<Keychain>) {
    for entry in vault.list().expect("list") {
        vault.secrets().delete(&entry.id).expect("delete");
    }
}

fn vault_benches(c: &mut Criterion) {
    assert!(
        std::env::var_os("TESSERA_PRIVATE_BUS").is_some(),
        "run with `make bench` (a private Secret Service), never against your own keychain"
    );
    let mut group = c.benchmark_group("vault");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    for n in [10, 100, 1000] {
        let (_dir, vault) = vault_with(n);
        group.bench_with_input(BenchmarkId::new("list", n), &vault, |b, vault| {
            b.iter(|| black_box(vault.list().expect("list")))
        });
        let entries = vault.list().expect("list");
        let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        group.bench_with_input(BenchmarkId::new("keys_one_by_one", n), &ids, |b, ids| {
            b.iter(|| {
                for id in ids {
                    black_box(vault.secrets().load(id).expect("key"));
                }
            })
        });
        group.bench_with_input(BenchmarkId::new("keys_at_once", n), &ids, |b, ids| {
            b.iter(|| black_box(vault.secrets().load_all(ids).expect("keys")))
        });
        group.bench_with_input(BenchmarkId::new("codes_for_all", n), &vault, |b, vault| {
            b.iter(|| {
                let entries = vault.list().expect("list");
                for account in vault
                    .accounts(&entries)
                    .expect("keys")
                    .into_iter()
                    .flatten()
                {
                    black_box((account.code_at(NOW), account.next_code_at(NOW)));
                }
            })
        });
        remove_all(&vault);
    }
    group.finish();

    // Adding 100 accounts to an empty vault: 100 keychain writes and 100 index rewrites.
    let mut group = c.benchmark_group("vault");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    group.bench_function("add_100", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let dir = tempfile::tempdir().expect("temporary directory");
                let vault = Vault::new(dir.path().join("tessera"), Keychain::new());
                let start = Instant::now();
                for i in 0..100 {
                    vault.add(None, &account(i), NOW).expect("add");
                }
                total += start.elapsed();
                remove_all(&vault);
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, vault_benches);
criterion_main!(benches);
