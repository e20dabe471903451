//! `tessera search-provider` as the desktop's search reaches it: made activatable on a session
//! bus of the test's own (with gnome-keyring on it), started by the bus at the first call, and
//! called over D-Bus as GNOME Shell (`org.gnome.Shell.SearchProvider2`) and KRunner
//! (`org.kde.krunner1`) call it. Codes are read back from the X clipboard with xclip and from an
//! X client the code is typed into; the window never runs.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;
use tessera_core::uri;
use tessera_test_support::{KeyRecorder, Keyring, clipboard, now, stdout, tessera_exe};
use zbus::zvariant::OwnedValue;

const BUS: &str = "app.tessera.SearchProvider";
const GITHUB: &str = "otpauth://totp/GitHub:me?secret=GEZDGNBVGY3TQOJQ&issuer=GitHub";
const GITLAB: &str = "otpauth://totp/GitLab:me?secret=MFRGGZDFMZTWQ2LK&issuer=GitLab";
const RFC_HOTP: &str = "otpauth://hotp/Token:rfc?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0";

/// The codes `link` gave from `since` until now.
fn codes_since(link: &str, since: u64) -> Vec<String> {
    let account = uri::parse(link).unwrap();
    (since..=now()).map(|t| account.code_at(t)).collect()
}

fn ids_by_name(keyring: &Keyring, home: &Path) -> HashMap<String, String> {
    let list: Value =
        serde_json::from_str(&stdout(&keyring.tessera(home, &["list", "--json"], ""))).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_owned(),
                a["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn text(meta: &HashMap<String, OwnedValue>, key: &str) -> String {
    meta.get(key)
        .and_then(|v| String::try_from(v.clone()).ok())
        .unwrap_or_default()
}

/// Waits up to 10 s for the X clipboard to hold one of `codes`.
fn clipboard_holds(codes: &[String]) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let held = clipboard();
        if codes.contains(&held) || Instant::now() > deadline {
            return held;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_desktops_search_finds_accounts_and_copies_or_types_their_codes() {
    let keyring = Keyring::started();
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    for (name, link) in [("github", GITHUB), ("gitlab", GITLAB), ("token", RFC_HOTP)] {
        stdout(&keyring.tessera(home, &["add", "--name", name, "--uri", link], ""));
    }
    stdout(&keyring.tessera(home, &["tag", "gitlab", "--add", "staging"], ""));
    let settings = home.join("config/tessera/settings.json");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    std::fs::write(&settings, r#"{"clipboard_clear_seconds": 3}"#).unwrap();
    let ids = ids_by_name(&keyring, home);
    let display = std::env::var("DISPLAY").expect("a display: run under Xvfb (`make test` does)");
    keyring.activatable(
        BUS,
        &format!(
            "/usr/bin/env DBUS_SESSION_BUS_ADDRESS={} DISPLAY={display} XDG_DATA_HOME={} \
             XDG_CONFIG_HOME={} XDG_CACHE_HOME={} TESSERA_SEARCH_IDLE_SECONDS=2 {} search-provider",
            keyring.address,
            home.display(),
            home.join("config").display(),
            home.join("cache").display(),
            tessera_exe()
        ),
    );
    assert!(
        !keyring.has_owner(BUS),
        "nothing runs before the first search"
    );
    let bus = zbus::blocking::connection::Builder::address(keyring.address.as_str())
        .unwrap()
        .build()
        .unwrap();
    let gnome = zbus::blocking::Proxy::new(
        &bus,
        BUS,
        "/app/tessera/SearchProvider",
        "org.gnome.Shell.SearchProvider2",
    )
    .unwrap();

    // GNOME Shell: the first letters, then more of them, then the results' metas.
    let found: Vec<String> = gnome.call("GetInitialResultSet", &(vec!["GIT"],)).unwrap();
    assert_eq!(found, [ids["github"].clone(), ids["gitlab"].clone()]);
    let narrowed: Vec<String> = gnome
        .call(
            "GetSubsearchResultSet",
            &(found.clone(), vec!["git", "lab"]),
        )
        .unwrap();
    assert_eq!(narrowed, [ids["gitlab"].clone()]);
    let tagged: Vec<String> = gnome
        .call("GetInitialResultSet", &(vec!["staging"],))
        .unwrap();
    assert_eq!(tagged, [ids["gitlab"].clone()]);
    // What any program on the bus may send is bounded: 17 words that each match are refused.
    let many: Vec<String> = gnome
        .call("GetInitialResultSet", &(vec!["g"; 17],))
        .unwrap();
    assert!(many.is_empty());
    let none: Vec<String> = gnome
        .call("GetInitialResultSet", &(vec!["git", "nope"],))
        .unwrap();
    assert!(none.is_empty());
    let since = now();
    let metas: Vec<HashMap<String, OwnedValue>> = gnome
        .call(
            "GetResultMetas",
            &(vec![ids["gitlab"].clone(), ids["token"].clone()],),
        )
        .unwrap();
    assert_eq!(metas.len(), 2);
    assert_eq!(text(&metas[0], "name"), "gitlab");
    let shown = text(&metas[0], "description");
    let code = text(&metas[0], "clipboardText");
    assert!(codes_since(GITLAB, since).contains(&code), "{code}");
    assert!(
        shown.starts_with(&format!("{} {}", &code[..3], &code[3..])),
        "{shown}"
    );
    assert!(shown.ends_with("· GitLab"), "{shown}");
    let icon = text(&metas[0], "gicon");
    let svg = std::fs::read_to_string(&icon).unwrap();
    assert!(svg.starts_with("<svg"), "{icon}: {svg:.40}");
    assert!(text(&metas[1], "description").starts_with("Counter-based"));
    // No bundled icon for "Token": its letter, as the window draws it.
    let letter = std::fs::read_to_string(text(&metas[1], "gicon")).unwrap();
    assert!(letter.contains(">T</text>"), "{letter}");
    assert_eq!(text(&metas[1], "clipboardText"), "");

    // A click copies the code; a HOTP account's copy takes its next code.
    let since = now();
    let () = gnome
        .call(
            "ActivateResult",
            &(ids["gitlab"].clone(), vec!["gitlab"], 0u32),
        )
        .unwrap();
    let codes = codes_since(GITLAB, since);
    assert!(codes.contains(&clipboard_holds(&codes)));
    let () = gnome
        .call(
            "ActivateResult",
            &(ids["token"].clone(), vec!["token"], 0u32),
        )
        .unwrap();
    assert_eq!(
        clipboard_holds(&["755224".to_owned()]),
        "755224",
        "RFC 4226 counter 0"
    );
    let list: Value =
        serde_json::from_str(&stdout(&keyring.tessera(home, &["list", "--json"], ""))).unwrap();
    assert_eq!(list[2]["counter"], 1);

    // KRunner: its action, a match with the code under the name, run to copy or to type.
    let krunner =
        zbus::blocking::Proxy::new(&bus, BUS, "/app/tessera/KRunner", "org.kde.krunner1").unwrap();
    let actions: Vec<(String, String, String)> = krunner.call("Actions", &()).unwrap();
    assert_eq!(actions[0].0, "type");
    type Match = (
        String,
        String,
        String,
        i32,
        f64,
        HashMap<String, OwnedValue>,
    );
    let since = now();
    let matches: Vec<Match> = krunner.call("Match", &("github",)).unwrap();
    assert_eq!(matches.len(), 1);
    let (id, name, icon, category, relevance, properties) = &matches[0];
    assert_eq!(
        (id, name.as_str(), *category),
        (&ids["github"], "github", 100)
    );
    assert!(
        std::fs::read_to_string(icon).unwrap().starts_with("<svg"),
        "{icon}"
    );
    assert!(*relevance > 0.9);
    let subtext = text(properties, "subtext");
    let codes = codes_since(GITHUB, since);
    assert!(
        codes
            .iter()
            .any(|c| subtext.starts_with(&format!("{} {}", &c[..3], &c[3..]))),
        "{subtext}"
    );
    let () = krunner.call("Run", &(ids["github"].clone(), "")).unwrap();
    let codes = codes_since(GITHUB, since);
    assert!(codes.contains(&clipboard_holds(&codes)));
    let recorder = KeyRecorder::start();
    let since = now();
    let () = krunner
        .call("Run", &(ids["gitlab"].clone(), "type"))
        .unwrap();
    let typed = recorder.typed(6, Duration::from_secs(10));
    assert!(
        codes_since(GITLAB, since).contains(&typed),
        "typed {typed:?}"
    );

    // Idle, the provider leaves once the copied code is cleared, and the clipboard is empty.
    let deadline = Instant::now() + Duration::from_secs(20);
    while keyring.has_owner(BUS) {
        assert!(
            Instant::now() < deadline,
            "the provider is still running after 20 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(clipboard(), "", "the copied code is cleared");

    // With a lock set and no window unlocked, nothing is found (the bus starts the provider
    // again for it).
    std::fs::write(&settings, r#"{"lock_method": "passphrase"}"#).unwrap();
    let found: Vec<String> = gnome.call("GetInitialResultSet", &(vec!["git"],)).unwrap();
    assert!(found.is_empty());
    let matches: Vec<Match> = krunner.call("Match", &("github",)).unwrap();
    assert!(matches.is_empty());
    let metas: Vec<HashMap<String, OwnedValue>> = gnome
        .call("GetResultMetas", &(vec![ids["gitlab"].clone()],))
        .unwrap();
    assert!(metas.is_empty());
    // While the window runs unlocked (it owns this name then), the accounts are found again.
    let window = zbus::blocking::connection::Builder::address(keyring.address.as_str())
        .unwrap()
        .build()
        .unwrap();
    window.request_name("app.tessera.desktop.Unlocked").unwrap();
    let found: Vec<String> = gnome.call("GetInitialResultSet", &(vec!["git"],)).unwrap();
    assert_eq!(found.len(), 2);
    drop(window);
    while keyring.has_owner("app.tessera.desktop.Unlocked") {
        std::thread::sleep(Duration::from_millis(50));
    }
    let found: Vec<String> = gnome.call("GetInitialResultSet", &(vec!["git"],)).unwrap();
    assert!(found.is_empty(), "locked again");
}
