//! The accounts used most recently (a code copied), newest first: the tray's menu offers them.
//! Kept in `recent.json` beside the index, a list of ids; ids of accounts since removed are
//! left out when read.

use std::io::Read;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::VaultError;
use crate::index::{temporaries_in, write_json};

const FILE: &str = "recent.json";
const TEMP_PREFIX: &str = ".recent.json.";
/// How many are remembered: the tray shows ten.
pub const MAX_RECENT: usize = 10;

#[derive(Debug, Default, Serialize, Deserialize)]
struct RecentJson {
    ids: Vec<String>,
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

    /// The ids, newest first; none when the file is missing or damaged.
    pub fn ids(&self) -> Vec<String> {
        let mut bytes = Vec::new();
        let read =
            std::fs::File::open(&self.path).and_then(|f| f.take(64 * 1024).read_to_end(&mut bytes));
        if read.is_err() {
            return Vec::new();
        }
        let mut ids = serde_json::from_slice::<RecentJson>(&bytes)
            .map(|r| r.ids)
            .unwrap_or_default();
        ids.truncate(MAX_RECENT);
        ids
    }

    /// Temporary files a write killed half-way left behind.
    pub fn temporaries(&self) -> Vec<PathBuf> {
        self.path
            .parent()
            .map(|dir| temporaries_in(dir, TEMP_PREFIX))
            .unwrap_or_default()
    }

    /// Puts `id` first, keeping at most [`MAX_RECENT`].
    pub fn used(&self, id: &str) -> Result<Vec<String>, VaultError> {
        let mut ids = self.ids();
        ids.retain(|other| other != id);
        ids.insert(0, id.to_owned());
        ids.truncate(MAX_RECENT);
        write_json(&self.path, TEMP_PREFIX, &RecentJson { ids: ids.clone() })?;
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
        for id in ["a", "b", "a"] {
            recent.used(id).unwrap();
        }
        assert_eq!(recent.ids(), ["a", "b"]);
        for n in 0..20 {
            recent.used(&n.to_string()).unwrap();
        }
        assert_eq!(recent.ids().len(), MAX_RECENT);
        assert_eq!(recent.ids()[0], "19");
        std::fs::write(dir.path().join(FILE), b"{damaged").unwrap();
        assert!(recent.ids().is_empty());
    }
}
