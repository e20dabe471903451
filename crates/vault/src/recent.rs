//! The accounts used most recently (a code copied), newest first: the tray's menu offers them;
//! and how often and when last each was used, for the list's "most used" and "last used"
//! orders. Kept in `recent.json` beside the index, on this machine only (neither backups nor
//! sync carry it); ids of accounts since removed are left out when read.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::VaultError;
use crate::index::{Entry, temporaries_in, write_json};

const FILE: &str = "recent.json";
const TEMP_PREFIX: &str = ".recent.json.";
/// How many are remembered: the tray shows ten.
pub const MAX_RECENT: usize = 10;
/// Accounts whose use is counted; those used least lately are forgotten past it.
pub const MAX_COUNTED: usize = 10_000;
/// Far more than [`MAX_COUNTED`] uses take; a larger file is not read.
const MAX_BYTES: u64 = 2 * 1024 * 1024;

#[derive(Debug, Default, Serialize, Deserialize)]
struct RecentJson {
    ids: Vec<String>,
    /// Added after `ids`: older files have none.
    #[serde(default)]
    uses: HashMap<String, Use>,
}

/// How often a code of an account was copied here, and when last (Unix seconds).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Use {
    pub count: u64,
    pub last: u64,
}

/// The recently used accounts' ids in a vault directory.
#[derive(Debug, Clone)]
pub struct Recent {
    path: PathBuf,
}

impl Recent {
    pub fn new(vault_dir: PathBuf) -> Self {
        Self {
            path: vault_dir.join(FILE),
        }
    }

    /// The file's contents; nothing when it is missing, damaged or too large.
    fn read(&self) -> RecentJson {
        let mut bytes = Vec::new();
        let read = std::fs::File::open(&self.path)
            .and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut bytes));
        if read.is_err() || bytes.len() as u64 > MAX_BYTES {
            return RecentJson::default();
        }
        let mut recent = serde_json::from_slice::<RecentJson>(&bytes).unwrap_or_default();
        recent.ids.truncate(MAX_RECENT);
        recent
    }

    /// The ids, newest first; none when the file is missing or damaged.
    pub fn ids(&self) -> Vec<String> {
        self.read().ids
    }

    /// Each counted account's use, by id.
    pub fn uses(&self) -> HashMap<String, Use> {
        self.read().uses
    }

    /// What a tray menu offers: the accounts used most recently first, then the first of
    /// `entries`, [`MAX_RECENT`] at most.
    pub fn offered<'a>(&self, entries: &'a [Entry]) -> Vec<&'a Entry> {
        let mut offered: Vec<&Entry> = Vec::new();
        let ids = self.ids();
        let recent = ids
            .iter()
            .filter_map(|id| entries.iter().find(|e| e.id == *id));
        for entry in recent.chain(entries) {
            if offered.len() == MAX_RECENT {
                break;
            }
            if !offered.iter().any(|other| other.id == entry.id) {
                offered.push(entry);
            }
        }
        offered
    }

    /// Temporary files a write killed half-way left behind.
    pub fn temporaries(&self) -> Vec<PathBuf> {
        self.path
            .parent()
            .map(|dir| temporaries_in(dir, TEMP_PREFIX))
            .unwrap_or_default()
    }

    /// Puts `id` first, keeping at most [`MAX_RECENT`], and counts a use of it at `now`.
    pub fn used(&self, id: &str, now: u64) -> Result<Vec<String>, VaultError> {
        let RecentJson { mut ids, mut uses } = self.read();
        ids.retain(|other| other != id);
        ids.insert(0, id.to_owned());
        ids.truncate(MAX_RECENT);
        let used = uses.entry(id.to_owned()).or_default();
        used.count = used.count.saturating_add(1);
        used.last = now;
        if uses.len() > MAX_COUNTED {
            let mut by_last: Vec<(u64, String)> =
                uses.iter().map(|(id, u)| (u.last, id.clone())).collect();
            by_last.sort();
            for (_, id) in &by_last[..uses.len() - MAX_COUNTED] {
                uses.remove(id);
            }
        }
        write_json(
            &self.path,
            TEMP_PREFIX,
            &RecentJson {
                ids: ids.clone(),
                uses,
            },
            MAX_BYTES,
        )?;
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_without_repeats_and_at_most_ten() {
        let dir = tempfile::tempdir().unwrap();
        let recent = Recent::new(dir.path().to_owned());
        assert!(recent.ids().is_empty());
        for (at, id) in ["a", "b", "a"].into_iter().enumerate() {
            recent.used(id, at as u64).unwrap();
        }
        assert_eq!(recent.ids(), ["a", "b"]);
        assert_eq!(recent.uses()["a"], Use { count: 2, last: 2 });
        assert_eq!(recent.uses()["b"], Use { count: 1, last: 1 });
        for n in 0..20 {
            recent.used(&n.to_string(), 100 + n).unwrap();
        }
        assert_eq!(recent.ids().len(), MAX_RECENT);
        assert_eq!(recent.ids()[0], "19");
        std::fs::write(dir.path().join(FILE), b"{damaged").unwrap();
        assert!(recent.ids().is_empty());
        // A file from before use was counted.
        std::fs::write(dir.path().join(FILE), br#"{"ids": ["x"]}"#).unwrap();
        assert_eq!(recent.ids(), ["x"]);
        assert!(recent.uses().is_empty());
    }

    #[test]
    fn the_tray_offers_the_recent_first_then_the_list_ten_at_most() {
        let dir = tempfile::tempdir().unwrap();
        let recent = Recent::new(dir.path().to_owned());
        let entries: Vec<Entry> = (0..12)
            .map(|n| {
                let id = format!("id{n}");
                let params = tessera_core::Params::default();
                Entry::new(id.clone(), id, String::new(), String::new(), params, 0)
            })
            .collect();
        let ids = |offered: Vec<&Entry>| offered.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(recent.offered(&entries[..2])), ["id0", "id1"]);
        recent.used("id11", 1).unwrap();
        recent.used("gone", 2).unwrap();
        recent.used("id5", 3).unwrap();
        let offered = ids(recent.offered(&entries));
        assert_eq!(offered.len(), MAX_RECENT);
        assert_eq!(offered[..4], ["id5", "id11", "id0", "id1"]);
        assert!(!offered.contains(&"id9".to_owned()));
    }

    #[test]
    fn the_accounts_used_least_lately_are_forgotten_past_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        let recent = Recent::new(dir.path().to_owned());
        let uses: HashMap<String, Use> = (0..MAX_COUNTED as u64)
            .map(|n| {
                (
                    format!("id{n}"),
                    Use {
                        count: 1,
                        last: 1000 + n,
                    },
                )
            })
            .collect();
        let file = RecentJson {
            ids: Vec::new(),
            uses,
        };
        std::fs::write(dir.path().join(FILE), serde_json::to_vec(&file).unwrap()).unwrap();
        recent.used("new", 5000).unwrap();
        let uses = recent.uses();
        assert_eq!(uses.len(), MAX_COUNTED);
        assert!(!uses.contains_key("id0"), "the one used least lately went");
        assert!(uses.contains_key("id1") && uses.contains_key("new"));
    }
}
