//! Backups end to end against a real Secret Service: export (every key read from the keychain,
//! then encrypted) and import (decrypted, duplicates checked, every key written) of 100 and 1000
//! accounts, with Argon2id's share reported apart. Medians of a few runs, printed as a table.
//! Run through `make bench` (a private gnome-keyring, scripts/with-keyring.sh).

// Benchmarks over inputs they make themselves: an `expect` here cannot meet outside data.
#![allow(clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use tessera_core::Account;
use tessera_core::backup::tessera::{self, KdfParams};
use tessera_core::backup::{self, Item};
use tessera_vault::{Change, Keychain, SecretStore, Vault};

use common::{NOW, account};

const PASSPHRASE: &str = "bench passphrase";

fn empty_vault() -> (tempfile::TempDir, Vault<Keychain>) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let vault = Vault::new(dir.path().join("tessera"), Keychain::new());
    (dir, vault)
}

fn remove_all(vault: &Vault<Keychain>) {
    for entry in vault.list().expect("list") {
        vault.secrets().delete(&entry.id).expect("delete");
    }
}

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

fn main() {
    assert!(
        std::env::var_os("TESSERA_PRIVATE_BUS").is_some(),
        "run with `make bench` (a private Secret Service), never against your own keychain"
    );
    let runs = 5;
    let kdf: Vec<Duration> = (0..runs)
        .map(|_| {
            time(|| tessera::encrypt(&[], PASSPHRASE, KdfParams::DEFAULT, NOW).expect("encrypt")).0
        })
        .collect();
    let kdf_ms = median(kdf);
    println!("Argon2id (64 MiB, 3 passes, 1 lane), alone: {kdf_ms:.0} ms (median of {runs})\n");
    println!(
        "| accounts | export: keychain reads | export: encrypt (KDF included) | import: decrypt (KDF included) | import: duplicates check | import: keychain writes + index | import total |"
    );
    println!("|---|---|---|---|---|---|---|");
    for n in [100, 1000] {
        let runs = if n == 1000 { 3 } else { 5 };
        let (_dir, source) = empty_vault();
        let items: Vec<(Option<String>, Account)> = (0..n)
            .map(|i| (Some(format!("account {i}")), account(i)))
            .collect();
        source.add_many(&items, NOW).expect("fill");
        let (mut reads, mut encrypts, mut decrypts, mut plans, mut writes, mut totals) =
            (vec![], vec![], vec![], vec![], vec![], vec![]);
        for _ in 0..runs {
            let (read, export) = time(|| source.exportable().expect("exportable"));
            let (encrypt, file) = time(|| {
                tessera::encrypt(&export.accounts, PASSPHRASE, KdfParams::DEFAULT, NOW)
                    .expect("encrypt")
            });
            let (_target_dir, target) = empty_vault();
            let start = Instant::now();
            let (decrypt, imported) =
                time(|| backup::read(&file, None, Some(PASSPHRASE)).expect("read"));
            let (plan, planned) = time(|| {
                target
                    .plan(imported.items.into_iter().collect::<Vec<Item>>())
                    .expect("plan")
            });
            let changes: Vec<Change> = planned.iter().filter_map(|p| p.change(false)).collect();
            let (write, added) = time(|| target.apply(&changes, NOW, &mut |_, _| {}).expect("add"));
            totals.push(start.elapsed());
            assert_eq!(added.len(), n);
            remove_all(&target);
            reads.push(read);
            encrypts.push(encrypt);
            decrypts.push(decrypt);
            plans.push(plan);
            writes.push(write);
        }
        println!(
            "| {n} | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | **{:.0} ms** |",
            median(reads),
            median(encrypts),
            median(decrypts),
            median(plans),
            median(writes),
            median(totals)
        );
        remove_all(&source);
    }
}
