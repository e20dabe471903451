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

/// Stores `secret` as libsecret's `secret-tool` does, under `label` and these attributes (name,
/// value, ...): an item another program wrote.
fn secret_tool_store(label: &str, attributes: &[&str], secret: &[u8]) {
    let mut child = Command::new("secret-tool")
        .arg("store")
        .arg(format!("--label={label}"))
        .args(attributes)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), secret).unwrap();
    assert!(child.wait().unwrap().success());
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
    secret_tool_store(
        "junk",
        &["service", "Tessera", "username", id],
        b"not a base32 key!",
    );
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
    secret_tool_store(
        "Tessera: outside",
        &["service", "Tessera", "username", "test-batch-outside"],
        b"JBSWY3DPEHPK3PXP",
    );
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

/// The path of the one unlocked item with these attributes (name, value, ...), as the Secret
/// Service's `SearchItems` answers `dbus-send` (`secret-tool` shows only its last part).
fn item_path(attributes: &[&str]) -> String {
    let dict = format!("dict:string:string:{}", attributes.join(","));
    let out = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.SearchItems",
            &dict,
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let paths: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("object path \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert_eq!(paths.len(), 1, "{text}");
    paths[0].to_owned()
}

fn places_file() -> std::path::PathBuf {
    std::path::Path::new(&std::env::var_os("XDG_CACHE_HOME").unwrap())
        .join("tessera/keychain-items.json")
}

fn write_places(places: &[(&str, &str)]) {
    let map: std::collections::HashMap<&str, &str> = places.iter().copied().collect();
    std::fs::write(places_file(), serde_json::to_vec(&map).unwrap()).unwrap();
}

#[test]
fn the_next_start_reads_a_key_where_it_was_found_while_it_is_still_there() {
    let keychain = keychain();
    let (one, two) = ("test-place-one", "test-place-two");
    let (key_one, key_two) = (key(9001), key(9002));
    keychain.store(one, "Tessera: one", &key_one).unwrap();
    keychain.store(two, "Tessera: two", &key_two).unwrap();
    let path_one = item_path(&["service", "Tessera", "username", one]);
    let path_two = item_path(&["service", "Tessera", "username", two]);

    // Found by a search, then kept for the next start: the file names the item's path.
    assert_eq!(keychain.load(one).unwrap(), Some(key_one.clone()));
    keychain.remember_where(&[one, "test-place-nowhere"]);
    let kept: std::collections::HashMap<String, String> =
        serde_json::from_slice(&std::fs::read(places_file()).unwrap()).unwrap();
    assert_eq!(kept, [(one.to_owned(), path_one.clone())].into());

    // The next start (a new store) reads it there: a second item with the same attributes
    // (another program's, with one more) is not the one read, whichever a search gives first.
    secret_tool_store(
        "other",
        &["service", "Tessera", "username", one, "by", "other"],
        b"JBSWY3DPEHPK3PXP",
    );
    let path_other = item_path(&["service", "Tessera", "username", one, "by", "other"]);
    let other = Secret::parse("JBSWY3DPEHPK3PXP").unwrap();
    assert_eq!(Keychain::new().load(one).unwrap(), Some(key_one.clone()));
    write_places(&[(one, &path_other)]);
    assert_eq!(Keychain::new().load(one).unwrap(), Some(other));
    Command::new("secret-tool")
        .args([
            "clear", "service", "Tessera", "username", one, "by", "other",
        ])
        .status()
        .unwrap();

    // A path that holds another account's key, no item, or no path at all: searched for.
    for stale in [
        path_two.as_str(),
        &format!("{path_two}9999"),
        "/",
        "not a path",
    ] {
        write_places(&[(one, stale)]);
        let keychain = Keychain::new();
        assert_eq!(
            keychain.load(one).unwrap(),
            Some(key_one.clone()),
            "{stale}"
        );
        // The place found is the one kept from then on.
        keychain.remember_where(&[one]);
        let kept: std::collections::HashMap<String, String> =
            serde_json::from_slice(&std::fs::read(places_file()).unwrap()).unwrap();
        assert_eq!(kept, [(one.to_owned(), path_one.clone())].into(), "{stale}");
    }
    assert_eq!(Keychain::new().load(two).unwrap(), Some(key_two));

    // Deleted, the key is not read from its old place, nor kept there.
    keychain.delete(one).unwrap();
    write_places(&[(one, &path_one)]);
    let keychain = Keychain::new();
    assert_eq!(keychain.load(one).unwrap(), None);
    keychain.remember_where(&[one]);
    assert_eq!(std::fs::read_to_string(places_file()).unwrap().trim(), "{}");
    keychain.delete(two).unwrap();
}
