//! A device's view of the synced accounts, and how views merge.
//!
//! A [`State`] holds, per account id, the latest change a device knows of ([`Record`]: the whole
//! account, or a tombstone for a delete, with the [`Hlc`] of the change) and the highest HOTP
//! counter seen for it; and the list's order, itself the latest order set anywhere. Merging two
//! states ([`State::join`]) keeps per account the later record and the higher counter, and the
//! later order: it is commutative, associative and idempotent, so every device that has seen the
//! same files holds the same state, whatever order they came in, twice or late.
//!
//! A state gives one vault ([`State::view`]): the live accounts in order, with names made unique
//! the same way everywhere. What the user changed since the last merge is found by comparing the
//! vault with the view it was given ([`State::changes`]), so every way the vault changes (the
//! window, the CLI, an older Tessera) is synced without each knowing of sync.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::clock::Hlc;
use crate::account::{MAX_NAME_CHARS, unique_name};
use crate::meta::Meta;
use crate::otp::{Kind, Params};
use crate::record::{MetaRecord, ParamsRecord};
use crate::untrusted::shown;

/// How long a deleted account's tombstone is kept: a device away for longer may bring it back.
pub const TOMBSTONE_MS: u64 = 90 * 24 * 3600 * 1000;
/// The most records a state holds (accounts and tombstones): far beyond any vault.
pub const MAX_RECORDS: usize = 50_000;
/// Ids and device ids are 16 hex digits; this bounds what a crafted file can make us keep.
const MAX_ID_CHARS: usize = 64;

/// An account as it is synced: everything but its key (which travels beside it, in the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub name: String,
    pub issuer: String,
    pub label: String,
    pub params: Params,
    /// When it was first added, Unix seconds.
    pub created: u64,
    pub meta: Meta,
}

impl Body {
    fn hotp_counter(&self) -> u64 {
        match self.params.kind {
            Kind::Hotp { counter } => counter,
            Kind::Totp { .. } | Kind::Steam { .. } => 0,
        }
    }
}

/// The latest change to one account a device knows of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub clock: Hlc,
    /// The highest HOTP counter seen for the account, whatever record won: a code is never
    /// shown twice. 0 for TOTP and Steam.
    pub counter: u64,
    /// The account, or `None` once deleted (a tombstone).
    pub body: Option<Body>,
}

impl Record {
    fn counter(&self) -> u64 {
        self.body
            .as_ref()
            .map_or(0, Body::hotp_counter)
            .max(self.counter)
    }

    /// The later of two records of one account, with the higher counter of the two.
    fn join(&self, other: &Record) -> Record {
        let later = match self.clock.cmp(&other.clock) {
            Ordering::Greater => self,
            Ordering::Less => other,
            // One clock, two contents: only two machines writing as one device do this. Any
            // rule all devices share will do; the larger record in JSON is kept.
            Ordering::Equal => {
                if canonical(self) >= canonical(other) {
                    self
                } else {
                    other
                }
            }
        };
        let counter = self.counter().max(other.counter());
        let mut joined = later.clone();
        joined.counter = counter;
        if let Some(body) = &mut joined.body
            && let Kind::Hotp { .. } = body.params.kind
        {
            body.params.kind = Kind::Hotp { counter };
        }
        joined
    }
}

/// A record as JSON without its counters, which joins change: what the tie-break compares, so
/// that it picks the same record whatever order the joins came in.
fn canonical(record: &Record) -> String {
    let mut bare = record.clone();
    bare.counter = 0;
    if let Some(body) = &mut bare.body
        && let Kind::Hotp { .. } = body.params.kind
    {
        body.params.kind = Kind::Hotp { counter: 0 };
    }
    serde_json::to_string(&RecordJson::from_record("", &bare)).unwrap_or_default()
}

/// The order of the list: the ids as one device last arranged them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Order {
    pub clock: Hlc,
    pub ids: Vec<String>,
}

/// What a device knows of the synced accounts. See the module docs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StateJson", into = "StateJson")]
pub struct State {
    pub records: BTreeMap<String, Record>,
    pub order: Option<Order>,
}

impl State {
    /// Merges `other` into this state: per account the later record and the higher HOTP
    /// counter, and the later order.
    pub fn join(&mut self, other: &State) {
        for (id, theirs) in &other.records {
            let joined = match self.records.get(id) {
                Some(ours) => ours.join(theirs),
                None => theirs.join(theirs),
            };
            self.records.insert(id.clone(), joined);
        }
        if let Some(theirs) = &other.order
            && self.order.as_ref().is_none_or(|ours| theirs > ours)
        {
            self.order = Some(theirs.clone());
        }
    }

    /// The latest clock in the state: a device's next change must come after it.
    pub fn latest_clock(&self) -> Hlc {
        self.records
            .values()
            .map(|r| &r.clock)
            .chain(self.order.as_ref().map(|o| &o.clock))
            .max()
            .cloned()
            .unwrap_or_default()
    }

    /// The vault this state gives: the live accounts in the list's order (those the order does
    /// not name after it, oldest first), each with its name made unique (the account added first
    /// keeps a name two share; the others get " 2", " 3"...), and HOTP counters at the highest.
    pub fn view(&self) -> Vec<(String, Body)> {
        let mut live: Vec<(&String, &Body)> = self
            .records
            .iter()
            .filter_map(|(id, r)| r.body.as_ref().map(|b| (id, b)))
            .collect();
        live.sort_by(|a, b| (a.1.created, a.0).cmp(&(b.1.created, b.0)));
        let mut taken: HashSet<String> = HashSet::with_capacity(live.len());
        let mut named: HashMap<&str, Body> = HashMap::with_capacity(live.len());
        for (id, body) in &live {
            let mut body = (*body).clone();
            if taken.contains(&body.name.to_lowercase()) {
                body.name = unique_name(&body.name, |n| taken.contains(&n.to_lowercase()));
            }
            taken.insert(body.name.to_lowercase());
            named.insert(id.as_str(), body);
        }
        let mut ordered = Vec::with_capacity(named.len());
        let listed = self.order.iter().flat_map(|o| o.ids.iter());
        for id in listed.chain(live.iter().map(|(id, _)| *id)) {
            if let Some(body) = named.remove(id.as_str()) {
                ordered.push((id.clone(), body));
            }
        }
        ordered
    }

    /// What changed in `vault` (the accounts as they are now, in the list's order) since it was
    /// this state's [`State::view`]: a record for each account added or changed, a tombstone
    /// for each one gone, and the order if the view would not give the vault's; each with a
    /// clock after every clock this state holds. Accounts added at the end are not an order.
    pub fn changes(&self, vault: &[(String, Body)], device: &str, now_ms: u64) -> State {
        let before = self.view();
        let was: HashMap<&str, &Body> = before.iter().map(|(id, b)| (id.as_str(), b)).collect();
        let is: HashSet<&str> = vault.iter().map(|(id, _)| id.as_str()).collect();
        let mut clock = self.latest_clock();
        let mut tick = || {
            clock = Hlc::tick(&clock, now_ms, device);
            clock.clone()
        };
        let mut changes = State::default();
        for (id, body) in vault {
            if was.get(id.as_str()) != Some(&body) {
                let record = Record {
                    clock: tick(),
                    counter: body.hotp_counter(),
                    body: Some(body.clone()),
                };
                changes.records.insert(id.clone(), record);
            }
        }
        for (id, _) in &before {
            if !is.contains(id.as_str()) {
                let counter = self.records.get(id).map_or(0, Record::counter);
                let tombstone = Record {
                    clock: tick(),
                    counter,
                    body: None,
                };
                changes.records.insert(id.clone(), tombstone);
            }
        }
        // The order is a change when the vault's differs from the one the state would give it:
        // accounts rearranged, or added where the oldest-first rule would not put them.
        let mut applied = self.clone();
        applied.join(&changes);
        let given = applied.view();
        if !given
            .iter()
            .map(|(id, _)| id)
            .eq(vault.iter().map(|(id, _)| id))
        {
            changes.order = Some(Order {
                clock: tick(),
                ids: vault.iter().map(|(id, _)| id.clone()).collect(),
            });
        }
        changes
    }

    /// Forgets tombstones older than [`TOMBSTONE_MS`] at `now_ms`, and the ids of forgotten
    /// accounts in the order.
    pub fn prune(&mut self, now_ms: u64) {
        self.records
            .retain(|_, r| r.body.is_some() || r.clock.ms.saturating_add(TOMBSTONE_MS) >= now_ms);
        if let Some(order) = &mut self.order {
            order.ids.retain(|id| self.records.contains_key(id));
        }
    }
}

/// A record as JSON (docs/sync.md): `{"id", "clock", "counter", "account"}`, `account` left out
/// for a tombstone.
#[derive(Serialize, Deserialize)]
struct RecordJson {
    id: String,
    clock: Hlc,
    #[serde(default)]
    counter: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    account: Option<BodyJson>,
}

#[derive(Serialize, Deserialize)]
struct BodyJson {
    name: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    label: String,
    #[serde(flatten)]
    params: ParamsRecord,
    #[serde(default)]
    created: u64,
    #[serde(flatten)]
    meta: MetaRecord,
}

#[derive(Serialize, Deserialize)]
struct StateJson {
    records: Vec<RecordJson>,
    #[serde(default)]
    order: Option<Order>,
}

impl RecordJson {
    fn from_record(id: &str, record: &Record) -> Self {
        Self {
            id: id.to_owned(),
            clock: record.clock.clone(),
            counter: record.counter,
            account: record.body.as_ref().map(|b| BodyJson {
                name: b.name.clone(),
                issuer: b.issuer.clone(),
                label: b.label.clone(),
                params: ParamsRecord::from(&b.params),
                created: b.created,
                meta: MetaRecord::from(&b.meta),
            }),
        }
    }
}

fn plain_id(what: &str, id: &str) -> Result<(), String> {
    if id.is_empty() || id.chars().count() > MAX_ID_CHARS || id.chars().any(char::is_control) {
        return Err(format!("{what} {:?} is not one Tessera writes", shown(id)));
    }
    Ok(())
}

impl From<State> for StateJson {
    fn from(state: State) -> Self {
        Self {
            records: state
                .records
                .iter()
                .map(|(id, r)| RecordJson::from_record(id, r))
                .collect(),
            order: state.order,
        }
    }
}

impl TryFrom<StateJson> for State {
    type Error = String;

    /// Checks what a file declares before it is kept: counts, ids, names and parameters.
    fn try_from(json: StateJson) -> Result<Self, String> {
        if json.records.len() > MAX_RECORDS {
            return Err(format!("more than {MAX_RECORDS} accounts"));
        }
        let mut state = State::default();
        for record in json.records {
            plain_id("an account id", &record.id)?;
            plain_id("a device id", &record.clock.device)?;
            let body = match record.account {
                None => None,
                Some(b) => {
                    let name = b.name.trim();
                    if name.is_empty()
                        || name.chars().count() > MAX_NAME_CHARS
                        || name.chars().any(char::is_control)
                    {
                        return Err(format!("account {}: an invalid name", shown(&record.id)));
                    }
                    let params = b
                        .params
                        .params()
                        .map_err(|e| format!("account {}: {e}", shown(&record.id)))?;
                    Some(Body {
                        name: name.to_owned(),
                        issuer: b.issuer,
                        label: b.label,
                        params,
                        created: b.created,
                        meta: b.meta.meta(),
                    })
                }
            };
            let id = record.id;
            let record = Record {
                clock: record.clock,
                counter: record.counter,
                body,
            };
            // An id twice in one file is merged as two files would be.
            let joined = match state.records.get(&id) {
                Some(other) => other.join(&record),
                None => record.join(&record),
            };
            state.records.insert(id, joined);
        }
        if let Some(order) = &json.order {
            if order.ids.len() > MAX_RECORDS {
                return Err(format!("an order of more than {MAX_RECORDS} accounts"));
            }
            plain_id("a device id", &order.clock.device)?;
            for id in &order.ids {
                plain_id("an account id", id)?;
            }
        }
        state.order = json.order;
        Ok(state)
    }
}
