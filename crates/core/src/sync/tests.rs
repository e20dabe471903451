//! The merge's rules one by one, its laws (commutative, associative, idempotent) on random
//! states, and devices making random changes and trading files in every order, twice, or late:
//! every device ends with the same vault.

use std::collections::HashMap;

use proptest::prelude::*;

use super::Hlc;
use super::file::{DeviceFile, FileError, MAGIC, SyncKey};
use super::state::{Body, Record, State, TOMBSTONE_MS};
use crate::meta::Meta;
use crate::otp::{Kind, Params};
use crate::secret::Secret;

fn body(name: &str, created: u64) -> Body {
    Body {
        name: name.into(),
        issuer: "Example".into(),
        label: format!("{name}@example.com"),
        params: Params::default(),
        created,
        meta: Meta::default(),
    }
}

fn hotp(name: &str, counter: u64) -> Body {
    Body {
        params: Params {
            kind: Kind::Hotp { counter },
            ..Params::default()
        },
        ..body(name, 1)
    }
}

/// What device `device` makes of `vault` after `state`, at `ms`: the state with its changes.
fn step(state: &State, vault: &[(String, Body)], device: &str, ms: u64) -> State {
    let mut next = state.clone();
    next.join(&state.changes(vault, device, ms));
    next
}

fn names(state: &State) -> Vec<String> {
    state.view().into_iter().map(|(_, b)| b.name).collect()
}

#[test]
fn the_latest_change_wins_and_a_delete_wins_over_older_ones() {
    let start = step(&State::default(), &[("x".into(), body("x", 1))], "a", 10);
    // A renames at 20, B renames at 30: B's is later.
    let on_a = step(&start, &[("x".into(), body("from a", 1))], "a", 20);
    let on_b = step(&start, &[("x".into(), body("from b", 1))], "b", 30);
    let mut merged = on_a.clone();
    merged.join(&on_b);
    assert_eq!(names(&merged), ["from b"]);
    // A deletes at 40, after B's rename: the delete wins.
    let deleted = step(&merged, &[], "a", 40);
    let mut both = on_b.clone();
    both.join(&deleted);
    assert!(both.view().is_empty());
    // A rename made after the delete (on a device that had not seen it) brings it back.
    let later = step(&on_b, &[("x".into(), body("again", 1))], "b", 50);
    both.join(&later);
    assert_eq!(names(&both), ["again"]);
}

#[test]
fn a_device_behind_in_time_still_orders_its_change_after_what_it_has_seen() {
    let start = step(&State::default(), &[("x".into(), body("x", 1))], "a", 1_000);
    // B's wall clock says 5: its rename still comes after A's add, which it has seen.
    let on_b = step(&start, &[("x".into(), body("renamed", 1))], "b", 5);
    let mut merged = start.clone();
    merged.join(&on_b);
    assert_eq!(names(&merged), ["renamed"]);
}

#[test]
fn a_hotp_counter_never_goes_back() {
    let start = step(
        &State::default(),
        &[("h".into(), hotp("token", 5))],
        "a",
        10,
    );
    // A takes codes up to 9; B, later, renames the account it knew at counter 5.
    let on_a = step(&start, &[("h".into(), hotp("token", 9))], "a", 20);
    let on_b = step(&start, &[("h".into(), hotp("renamed", 5))], "b", 30);
    for (first, second) in [(&on_a, &on_b), (&on_b, &on_a)] {
        let mut merged = first.clone();
        merged.join(second);
        let view = merged.view();
        assert_eq!(view[0].1.name, "renamed");
        assert_eq!(view[0].1.params.kind, Kind::Hotp { counter: 9 });
    }
    // Even a delete then a re-add from an old copy keeps the highest counter of the id.
    let deleted = step(&on_a, &[], "a", 40);
    let mut merged = deleted.clone();
    merged.join(&step(&on_b, &[("h".into(), hotp("renamed", 6))], "b", 50));
    assert_eq!(merged.view()[0].1.params.kind, Kind::Hotp { counter: 9 });
}

#[test]
fn one_name_twice_is_made_unique_the_same_way_everywhere() {
    let on_a = step(
        &State::default(),
        &[("p".into(), body("prod", 100))],
        "a",
        10,
    );
    let on_b = step(
        &State::default(),
        &[("q".into(), body("PROD", 200))],
        "b",
        20,
    );
    let mut ab = on_a.clone();
    ab.join(&on_b);
    let mut ba = on_b.clone();
    ba.join(&on_a);
    // The account added first keeps the name.
    assert_eq!(names(&ab), ["prod", "PROD 2"]);
    assert_eq!(ab.view(), ba.view());
    // The unique name is not a change of B's own: nothing to sync back.
    let view = ab.view();
    assert_eq!(ab.changes(&view, "b", 30), State::default());
}

#[test]
fn a_re_enrolment_replaces_the_key_everywhere() {
    // Re-enrolment gives the account a new id (its new key's item): the old id goes, the new
    // one comes with the same name and place.
    let start = step(
        &State::default(),
        &[("old".into(), body("bank", 1))],
        "a",
        10,
    );
    let mut on_b = start.clone();
    let re_enrolled = step(&start, &[("new".into(), body("bank", 1))], "a", 20);
    on_b.join(&re_enrolled);
    let view = on_b.view();
    assert_eq!(view.len(), 1);
    assert_eq!(view[0].0, "new");
}

#[test]
fn the_order_is_synced_and_additions_at_the_end_are_not_an_order() {
    let vault: Vec<(String, Body)> = ["a", "b", "c"]
        .iter()
        .enumerate()
        .map(|(i, n)| ((*n).to_owned(), body(n, i as u64)))
        .collect();
    let start = step(&State::default(), &vault, "a", 10);
    assert_eq!(start.order, None);
    let mut grown = vault.clone();
    grown.push(("d".into(), body("d", 9)));
    assert_eq!(start.changes(&grown, "a", 20).order, None);
    let moved = vec![vault[2].clone(), vault[0].clone(), vault[1].clone()];
    let on_b = step(&start, &moved, "b", 30);
    let mut on_a = step(&start, &grown, "a", 20);
    on_a.join(&on_b);
    assert_eq!(names(&on_a), ["c", "a", "b", "d"]);
}

#[test]
fn tombstones_are_forgotten_after_90_days() {
    let start = step(&State::default(), &[("x".into(), body("x", 1))], "a", 10);
    let mut deleted = step(&start, &[], "a", 20);
    deleted.prune(20 + TOMBSTONE_MS);
    assert_eq!(deleted.records.len(), 1);
    deleted.prune(21 + TOMBSTONE_MS);
    assert!(deleted.records.is_empty());
}

#[test]
fn a_state_round_trips_through_json_and_crafted_ones_are_refused() {
    let mut with_meta = hotp("token", 3);
    with_meta.meta.tags = vec!["work".into()];
    with_meta.meta.note = "recovery: ask IT".into();
    let vault = [("h".into(), with_meta), ("t".into(), body("totp", 2))];
    let state = step(
        &step(&State::default(), &vault, "a", 10),
        &vault[..1],
        "a",
        20,
    );
    let json = serde_json::to_string(&state).unwrap();
    assert_eq!(serde_json::from_str::<State>(&json).unwrap(), state);
    let clock = r#"{"ms": 1, "n": 0, "device": "a"}"#;
    for bad in [
        format!(r#"{{"records": [{{"id": "", "clock": {clock}}}]}}"#),
        format!(
            r#"{{"records": [{{"id": "x", "clock": {{"ms": 1, "n": 0, "device": "{}"}}}}]}}"#,
            "d".repeat(65)
        ),
        format!(
            r#"{{"records": [{{"id": "x", "clock": {clock}, "account": {{"name": " ", "type": "totp", "algorithm": "SHA1", "digits": 6}}}}]}}"#
        ),
        format!(
            r#"{{"records": [{{"id": "x", "clock": {clock}, "account": {{"name": "n", "type": "totp", "algorithm": "MD5", "digits": 6}}}}]}}"#
        ),
        format!(
            r#"{{"records": [{{"id": "x", "clock": {clock}, "account": {{"name": "n", "type": "totp", "algorithm": "SHA1", "digits": 60}}}}]}}"#
        ),
        format!(r#"{{"records": [], "order": {{"clock": {clock}, "ids": ["a\u0000"]}}}}"#),
        r#"{"records": 5}"#.to_owned(),
    ] {
        assert!(serde_json::from_str::<State>(&bad).is_err(), "{bad}");
    }
}

fn device_file(key_text: &str) -> DeviceFile {
    let vault = [("h".into(), hotp("token", 3))];
    DeviceFile {
        device: "0123456789abcdef".into(),
        device_name: "laptop".into(),
        seq: 7,
        written: 1_800_000_000,
        state: step(&State::default(), &vault, "0123456789abcdef", 10),
        keys: [("h".to_owned(), Secret::parse(key_text).unwrap())].into(),
    }
}

#[test]
fn a_device_file_opens_with_its_key_only_and_shows_nothing_in_clear() {
    let key = SyncKey::generate().unwrap();
    let file = device_file("JBSWY3DPEHPK3PXP");
    let bytes = file.seal(&key).unwrap();
    assert_eq!(&bytes[..8], MAGIC);
    let opened = DeviceFile::open(&bytes, &key).unwrap();
    assert_eq!(opened.state, file.state);
    assert_eq!((opened.seq, opened.device_name.as_str()), (7, "laptop"));
    assert_eq!(opened.keys["h"], file.keys["h"]);
    for needle in [
        &b"JBSWY3DPEHPK3PXP"[..],
        b"jbswy3dpehpk3pxp",
        b"laptop",
        b"token",
        b"48656c6c",
    ] {
        assert!(!bytes.windows(needle.len()).any(|w| w == needle));
    }
    assert_eq!(
        DeviceFile::open(&bytes, &SyncKey::generate().unwrap()).unwrap_err(),
        FileError::Unauthentic
    );
    for i in [0, 9, 30, bytes.len() - 1] {
        let mut flipped = bytes.clone();
        flipped[i] ^= 1;
        assert!(DeviceFile::open(&flipped, &key).is_err(), "byte {i}");
    }
    for cut in [0, 8, 20, bytes.len() - 1] {
        assert!(
            DeviceFile::open(&bytes[..cut], &key).is_err(),
            "cut at {cut}"
        );
    }
    // Two seals of one state differ: a fresh nonce each time.
    assert_ne!(file.seal(&key).unwrap(), bytes);
}

#[test]
fn a_pairing_secret_gives_the_key_back_as_people_paste_it() {
    let key = SyncKey::generate().unwrap();
    let text = key.pairing_secret();
    assert!(
        text.starts_with("tessera-sync:") && text.len() == 13 + 52,
        "{}",
        text.len()
    );
    let sloppy = format!("  {}  \n", text.to_lowercase().replacen(':', ":  ", 1));
    for given in [text.as_str(), sloppy.as_str()] {
        let back = SyncKey::from_pairing_secret(given).unwrap();
        assert_eq!(back.as_bytes(), key.as_bytes());
    }
    for bad in [
        "",
        "tessera-sync:",
        "tessera-sync:AAAA",
        "JBSWY3DPEHPK3PXP",
        &text[..40],
    ] {
        assert_eq!(
            SyncKey::from_pairing_secret(bad).unwrap_err(),
            FileError::Pairing,
            "{bad}"
        );
    }
}

// The laws, on random states.

fn arb_record() -> impl Strategy<Value = (String, Record)> {
    (
        0..6u8,
        0..50u64,
        0..3u32,
        0..3u8,
        0..20u64,
        proptest::option::of((0..4u8, any::<bool>())),
    )
        .prop_map(|(id, ms, n, device, counter, body_of)| {
            let body = body_of.map(|(name, is_hotp)| {
                let name = ["a", "b", "A", "c"][name as usize];
                if is_hotp {
                    hotp(name, counter / 2)
                } else {
                    body(name, u64::from(id))
                }
            });
            let record = Record {
                clock: Hlc {
                    ms,
                    n,
                    device: ["a", "b", "c"][device as usize].into(),
                },
                counter,
                body,
            };
            (format!("id{id}"), record)
        })
}

fn arb_state() -> impl Strategy<Value = State> {
    proptest::collection::vec(arb_record(), 0..8).prop_map(|records| {
        let mut state = State::default();
        for (id, record) in records {
            let mut one = State::default();
            one.records.insert(id, record);
            state.join(&one);
        }
        state
    })
}

fn joined(a: &State, b: &State) -> State {
    let mut out = a.clone();
    out.join(b);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn join_is_commutative_associative_and_idempotent(a in arb_state(), b in arb_state(), c in arb_state()) {
        prop_assert_eq!(joined(&a, &b), joined(&b, &a));
        prop_assert_eq!(joined(&joined(&a, &b), &c), joined(&a, &joined(&b, &c)));
        prop_assert_eq!(joined(&a, &a), a.clone());
        prop_assert_eq!(joined(&joined(&a, &b), &b), joined(&a, &b));
    }
}

// Devices making changes and trading files.

#[derive(Debug, Clone)]
enum Op {
    Add {
        device: usize,
        name: usize,
    },
    Rename {
        device: usize,
        pick: usize,
        name: usize,
    },
    Remove {
        device: usize,
        pick: usize,
    },
    TakeCode {
        device: usize,
        pick: usize,
    },
    Move {
        device: usize,
        pick: usize,
        to: usize,
    },
    /// The device merges the files picked (by index into those written so far, any order,
    /// repeats allowed; the others are lost for now), then writes its own. The other changes
    /// are recorded in the device's state, and sent with its next file.
    Sync {
        device: usize,
        files: Vec<usize>,
    },
}

const NAMES: [&str; 4] = ["prod", "PROD", "staging", "dev"];

fn arb_op(devices: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..devices, 0..NAMES.len()).prop_map(|(device, name)| Op::Add { device, name }),
        (0..devices, any::<usize>(), 0..NAMES.len()).prop_map(|(device, pick, name)| Op::Rename {
            device,
            pick,
            name
        }),
        (0..devices, any::<usize>()).prop_map(|(device, pick)| Op::Remove { device, pick }),
        (0..devices, any::<usize>()).prop_map(|(device, pick)| Op::TakeCode { device, pick }),
        (0..devices, any::<usize>(), any::<usize>()).prop_map(|(device, pick, to)| Op::Move {
            device,
            pick,
            to
        }),
        (0..devices, proptest::collection::vec(any::<usize>(), 0..6))
            .prop_map(|(device, files)| Op::Sync { device, files }),
    ]
}

fn arb_run() -> impl Strategy<Value = (usize, Vec<i64>, Vec<Op>)> {
    (3..=5usize).prop_flat_map(|devices| {
        (
            Just(devices),
            proptest::collection::vec(-500..500i64, devices),
            proptest::collection::vec(arb_op(devices), 1..40),
        )
    })
}

#[derive(Debug, Clone, Default)]
struct Device {
    vault: Vec<(String, Body)>,
    state: State,
}

impl Device {
    fn sync(&mut self, name: &str, received: &[&State], ms: u64) {
        let mut next = step(&self.state, &self.vault, name, ms);
        for state in received {
            next.join(state);
        }
        self.vault = next.view();
        self.state = next;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn devices_that_trade_files_in_any_order_end_with_one_vault((count, skews, ops) in arb_run()) {
        let mut devices = vec![Device::default(); count];
        let names: Vec<String> = (0..count).map(|d| format!("dev{d}")).collect();
        let mut written: Vec<State> = Vec::new();
        let mut highest: HashMap<String, u64> = HashMap::new();
        let mut added = 0;
        for (tick, op) in ops.iter().enumerate() {
            let at = |device: usize| (10_000 + tick as i64 * 100 + skews[device]) as u64;
            match op.clone() {
                Op::Add { device, name } => {
                    added += 1;
                    let mut b = if added % 3 == 0 { hotp(NAMES[name], 0) } else { body(NAMES[name], at(device) / 1000) };
                    b.created = at(device) / 1000;
                    devices[device].vault.push((format!("{}-{added}", names[device]), b));
                }
                Op::Rename { device, pick, name } => {
                    let vault = &mut devices[device].vault;
                    if !vault.is_empty() {
                        let i = pick % vault.len();
                        vault[i].1.name = NAMES[name].to_owned();
                    }
                }
                Op::Remove { device, pick } => {
                    let vault = &mut devices[device].vault;
                    if !vault.is_empty() {
                        vault.remove(pick % vault.len());
                    }
                }
                Op::TakeCode { device, pick } => {
                    let vault = &mut devices[device].vault;
                    if !vault.is_empty() {
                        let i = pick % vault.len();
                        if let Kind::Hotp { counter } = vault[i].1.params.kind {
                            vault[i].1.params.kind = Kind::Hotp { counter: counter + 1 };
                            let top = highest.entry(vault[i].0.clone()).or_default();
                            *top = (*top).max(counter + 1);
                        }
                    }
                }
                Op::Move { device, pick, to } => {
                    let vault = &mut devices[device].vault;
                    if !vault.is_empty() {
                        let moved = vault.remove(pick % vault.len());
                        let to = to % (vault.len() + 1);
                        vault.insert(to, moved);
                    }
                }
                Op::Sync { device, files } => {
                    let received: Vec<&State> = if written.is_empty() {
                        Vec::new()
                    } else {
                        files.iter().map(|f| &written[f % written.len()]).collect()
                    };
                    let received: Vec<State> = received.into_iter().cloned().collect();
                    let refs: Vec<&State> = received.iter().collect();
                    devices[device].sync(&names[device], &refs, at(device));
                    written.push(devices[device].state.clone());
                }
            }
            // Every change is recorded in the device's state at once, as the vault does after
            // each change, whether or not the folder can be reached; files go out on Sync only.
            let device = match op {
                Op::Add { device, .. } | Op::Rename { device, .. } | Op::Remove { device, .. }
                | Op::TakeCode { device, .. } | Op::Move { device, .. } | Op::Sync { device, .. } => *device,
            };
            devices[device].sync(&names[device], &[], at(device));
        }
        // Then every device syncs once (writing its last changes), and again with every file.
        let end = 10_000 + ops.len() as i64 * 100 + 1_000;
        for (d, device) in devices.iter_mut().enumerate() {
            device.sync(&names[d], &[], (end + skews[d]) as u64);
            written.push(device.state.clone());
        }
        let everything: Vec<&State> = written.iter().collect();
        for (d, device) in devices.iter_mut().enumerate() {
            device.sync(&names[d], &everything, (end + 100 + skews[d]) as u64);
        }
        for device in &devices[1..] {
            prop_assert_eq!(&device.vault, &devices[0].vault);
        }
        // Names are unique, and no HOTP counter went back.
        let vault = &devices[0].vault;
        let mut seen = std::collections::HashSet::new();
        for (id, body) in vault {
            prop_assert!(seen.insert(body.name.to_lowercase()), "{} twice", body.name);
            if let (Kind::Hotp { counter }, Some(top)) = (body.params.kind, highest.get(id)) {
                prop_assert!(counter >= *top, "{id}: {counter} < {top}");
            }
        }
        // A last sync with nothing new changes nothing.
        let before = devices[0].state.clone();
        devices[0].sync(&names[0], &everything, (end + 200) as u64);
        prop_assert_eq!(&devices[0].state, &before);
    }
}
