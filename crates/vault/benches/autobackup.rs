//! What an automatic backup adds to a change, against a real Secret Service: renaming an
//! account in a vault of 100, with automatic backups off and on, side by side in one run. With
//! them on, each change also reads the 100 keys (from the keychain, as the CLI does; from the
//! cache, as the window does), encrypts them with the kept key (no Argon2id: the key is derived
//! once) and writes and prunes the folder. Run through `make bench`.

// Benchmarks over inputs they make themselves: an `expect` here cannot meet outside data.
#![allow(clippy::expect_used)]

mod common;

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use tessera_vault::{CachedStore, Keychain, SecretStore, Vault};

use common::{NOW, account};

const ACCOUNTS: usize = 100;

/// 100 accounts, the first named "a".
fn filled<S: SecretStore>(vault: &Vault<S>) {
    for i in 0..ACCOUNTS {
        let name = (i == 0).then_some("a");
        vault.add(name, &account(i), NOW).expect("add");
    }
}

fn emptied<S: SecretStore>(vault: &Vault<S>) {
    let _ = vault.disable_auto_backup();
    for entry in vault.list().expect("list") {
        vault.secrets().delete(&entry.id).expect("delete");
    }
}

/// Renames the first account back and forth: one index write (and one backup when on).
fn rename<S: SecretStore>(vault: &Vault<S>, turn: &mut bool) {
    let (from, to) = if *turn { ("b", "a") } else { ("a", "b") };
    *turn = !*turn;
    vault.rename(from, to).expect("rename");
}

fn benches(c: &mut Criterion) {
    assert!(
        std::env::var_os("TESSERA_PRIVATE_BUS").is_some(),
        "run with `make bench` (a private Secret Service), never against your own keychain"
    );
    let dir = tempfile::tempdir().expect("temporary directory");
    let cli = Vault::new(dir.path().join("cli"), Keychain::new());
    filled(&cli);
    let window = Vault::new(dir.path().join("window"), CachedStore::new(Keychain::new()));
    filled(&window);
    let mut group = c.benchmark_group("auto_backup");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(10));
    // Whether each vault's first account is "b" now; kept across both runs.
    let (mut cli_turn, mut window_turn) = (false, false);
    for on in [false, true] {
        let label = if on { "on" } else { "off" };
        if on {
            let folder = dir.path().join("backups");
            cli.enable_auto_backup(
                &folder.join("cli"),
                10,
                "correct horse",
                tessera_vault::autobackup::AutoFormat::Tessera,
            )
            .expect("on");
            window
                .enable_auto_backup(
                    &folder.join("window"),
                    10,
                    "correct horse",
                    tessera_vault::autobackup::AutoFormat::Tessera,
                )
                .expect("on");
        }
        group.bench_function(BenchmarkId::new("rename_keychain_100", label), |b| {
            b.iter(|| rename(&cli, &mut cli_turn))
        });
        group.bench_function(BenchmarkId::new("rename_cached_100", label), |b| {
            b.iter(|| rename(&window, &mut window_turn))
        });
    }
    group.finish();
    emptied(&cli);
    emptied(&window);
}

criterion_group!(auto_backup, benches);
criterion_main!(auto_backup);
