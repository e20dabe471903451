//! The `Keychain` store against a real Secret Service (gnome-keyring on a private D-Bus session
//! started by scripts/with-keyring.sh; `make test` does this). Checked from the outside with
//! libsecret's `secret-tool`, not with our own code.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use tessera_core::Secret;
use tessera_vault::{Keychain, KeychainError, SecretStore};

fn keychain() -> Keychain {
    assert!(
        std::env::var_os("TESSERA_PRIVATE_BUS").is_some(),
        "these tests need a private Secret Service: run them with `make test` or `scripts/with-keyring.sh cargo test`"
    );
    Keychain::new()
}

fn secret_tool(args: &[&str]) -> (bool, String) {
    let out = Command::new("secret-tool").args(args).output().unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn store_load_relabel_delete() {
    let keychain = keychain();
    let id = "test-store-load";
    let secret = Secret::parse("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
    assert_eq!(keychain.load(id).unwrap(), None, "missing is None");
    keychain.store(id, "Tessera: first", &secret).unwrap();
    assert_eq!(keychain.load(id).unwrap(), Some(secret.clone()));
    let (found, text) = secret_tool(&["search", "--all", "service", "Tessera", "username", id]);
    assert!(found && text.contains("label = Tessera: first"), "{text}");
    assert_eq!(
        secret_tool(&["lookup", "service", "Tessera", "username", id]).1,
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    );

    // Storing again replaces the key; there is still one item.
    let other = Secret::parse("JBSWY3DPEHPK3PXP").unwrap();
    keychain.store(id, "Tessera: first", &other).unwrap();
    assert_eq!(keychain.load(id).unwrap(), Some(other));
    let (_, text) = secret_tool(&["search", "--all", "service", "Tessera", "username", id]);
    assert_eq!(text.matches("label = ").count(), 1, "{text}");

    keychain.relabel(id, "Tessera: second").unwrap();
    let (_, text) = secret_tool(&["search", "--all", "service", "Tessera", "username", id]);
    assert!(text.contains("label = Tessera: second"), "{text}");

    keychain.delete(id).unwrap();
    assert_eq!(keychain.load(id).unwrap(), None);
    assert!(!secret_tool(&["lookup", "service", "Tessera", "username", id]).0);
    keychain.delete(id).unwrap();
    keychain.relabel(id, "nothing to relabel").unwrap();
}

#[test]
fn an_item_not_written_by_tessera_is_reported_damaged() {
    let keychain = keychain();
    let id = "test-damaged";
    let mut child = Command::new("secret-tool")
        .args([
            "store",
            "--label=junk",
            "service",
            "Tessera",
            "username",
            id,
        ])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), b"not a base32 key!").unwrap();
    assert!(child.wait().unwrap().success());
    let error = keychain.load(id).unwrap_err();
    assert!(
        matches!(&error, KeychainError::Damaged { id: i } if i == id),
        "{error}"
    );
    assert!(
        !error.to_string().contains("base32 key!"),
        "the item's content is not echoed: {error}"
    );
    keychain.delete(id).unwrap();
}

/// A distinct key for each number.
fn key(n: usize) -> Secret {
    Secret::from_bytes(format!("batch key number {n:04}").into_bytes()).unwrap()
}

#[test]
fn keys_stored_and_read_at_once_are_the_ones_read_one_by_one() {
    let keychain = keychain();
    let ids: Vec<String> = (0..60).map(|n| format!("test-batch-{n:03}")).collect();
    let labels: Vec<String> = (0..60).map(|n| format!("Tessera: batch {n}")).collect();
    let keys: Vec<Secret> = (0..60).map(key).collect();
    let items: Vec<(&str, &str, &Secret)> = ids
        .iter()
        .zip(&labels)
        .zip(&keys)
        .map(|((id, label), key)| (id.as_str(), label.as_str(), key))
        .collect();
    let mut seen = Vec::new();
    keychain
        .store_all(&items, &mut |done| seen.push(done))
        .unwrap();
    assert_eq!(seen, (1..=60).collect::<Vec<_>>(), "progress, in order");

    // What libsecret sees is what keyring-core would have written: the label, one item each.
    let (found, text) =
        secret_tool(&["search", "--all", "service", "Tessera", "username", &ids[7]]);
    assert!(found && text.contains("label = Tessera: batch 7"), "{text}");
    assert_eq!(text.matches("label = ").count(), 1, "{text}");
    assert_eq!(
        secret_tool(&["lookup", "service", "Tessera", "username", &ids[7]]).1,
        keys[7].to_base32().as_str()
    );

    // Stored again at once: replaced, not doubled.
    keychain.store_all(&items[..5], &mut |_| {}).unwrap();
    let (_, text) = secret_tool(&["search", "--all", "service", "Tessera", "username", &ids[3]]);
    assert_eq!(text.matches("label = ").count(), 1, "{text}");

    // An item libsecret wrote, and an id with no item, among them.
    let mut child = Command::new("secret-tool")
        .args([
            "store",
            "--label=Tessera: outside",
            "service",
            "Tessera",
            "username",
            "test-batch-outside",
        ])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), b"JBSWY3DPEHPK3PXP").unwrap();
    assert!(child.wait().unwrap().success());
    let mut asked: Vec<&str> = ids.iter().map(String::as_str).collect();
    asked.insert(10, "test-batch-outside");
    asked.insert(20, "test-batch-nowhere");
    let at_once = keychain.load_all(&asked).unwrap();
    let one_by_one: Vec<Option<Secret>> =
        asked.iter().map(|id| keychain.load(id).unwrap()).collect();
    assert_eq!(at_once, one_by_one);
    assert_eq!(
        at_once[10],
        Some(Secret::parse("JBSWY3DPEHPK3PXP").unwrap())
    );
    assert_eq!(at_once[20], None);
    assert_eq!(at_once[0], Some(keys[0].clone()));
    assert_eq!(at_once.iter().flatten().count(), 61);
    // A few among many: searched for one by one, the same answer.
    let few = [asked[20], asked[10], asked[3]];
    assert_eq!(
        keychain.load_all(&few).unwrap(),
        vec![None, at_once[10].clone(), at_once[3].clone()]
    );

    let listed = keychain.ids().unwrap();
    assert!(
        asked
            .iter()
            .filter(|id| **id != "test-batch-nowhere")
            .all(|id| listed.iter().any(|l| l == id))
    );

    for id in &asked {
        keychain.delete(id).unwrap();
    }
    assert_eq!(keychain.load_all(&asked).unwrap(), vec![None; asked.len()]);
}
