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
