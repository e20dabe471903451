//! The orders the window's list can be in. Pinned accounts always come first; then the user's
//! own order (the index's), or by name, by issuer, by how often or how lately a code was copied
//! on this machine ([`crate::recent`]). Sorts are stable: ties keep the user's order.

use std::cmp::Reverse;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::index::Entry;
use crate::recent::Use;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    Name,
    /// By issuer, then by name within one.
    Issuer,
    MostUsed,
    LastUsed,
    /// The order the user made (drag, Alt+arrows); also what a newer Tessera's order reads as
    /// (serde wants that one last).
    #[default]
    #[serde(other)]
    Manual,
}

/// `entries` (in the index's order) in `order`, pinned ones first; `uses` by account id.
pub fn arrange(entries: &mut [Entry], order: SortOrder, uses: &HashMap<String, Use>) {
    let used = |e: &Entry| uses.get(&e.id).copied().unwrap_or_default();
    match order {
        SortOrder::Manual => entries.sort_by_key(|e| !e.meta.pinned),
        SortOrder::Name => entries.sort_by_key(|e| (!e.meta.pinned, e.name.to_lowercase())),
        SortOrder::Issuer => entries.sort_by_key(|e| {
            // Accounts without an issuer go after those with one.
            let issuer = e.issuer.trim().to_lowercase();
            (
                !e.meta.pinned,
                issuer.is_empty(),
                issuer,
                e.name.to_lowercase(),
            )
        }),
        SortOrder::MostUsed => entries.sort_by_key(|e| (!e.meta.pinned, Reverse(used(e).count))),
        SortOrder::LastUsed => entries.sort_by_key(|e| (!e.meta.pinned, Reverse(used(e).last))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_core::Params;

    fn entry(id: &str, name: &str, issuer: &str, pinned: bool) -> Entry {
        let mut e = Entry::new(
            id.into(),
            name.into(),
            issuer.into(),
            String::new(),
            Params::default(),
            0,
        );
        e.meta.pinned = pinned;
        e
    }

    fn names(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn pinned_first_then_each_order_with_ties_in_the_users_order() {
        let list = [
            entry("1", "zulu", "GitHub", false),
            entry("2", "alpha", "", false),
            entry("3", "Mike", "Amazon", true),
            entry("4", "bravo", "amazon", false),
            entry("5", "echo", "GitHub", false),
        ];
        let uses = HashMap::from([
            ("1".to_owned(), Use { count: 2, last: 50 }),
            ("4".to_owned(), Use { count: 9, last: 10 }),
            ("5".to_owned(), Use { count: 2, last: 90 }),
        ]);
        let arranged = |order| {
            let mut l = list.clone();
            arrange(&mut l, order, &uses);
            names(&l).iter().map(|s| s.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(
            arranged(SortOrder::Manual),
            ["Mike", "zulu", "alpha", "bravo", "echo"]
        );
        assert_eq!(
            arranged(SortOrder::Name),
            ["Mike", "alpha", "bravo", "echo", "zulu"]
        );
        assert_eq!(
            arranged(SortOrder::Issuer),
            ["Mike", "bravo", "echo", "zulu", "alpha"]
        );
        assert_eq!(
            arranged(SortOrder::MostUsed),
            ["Mike", "bravo", "zulu", "echo", "alpha"]
        );
        assert_eq!(
            arranged(SortOrder::LastUsed),
            ["Mike", "echo", "zulu", "bravo", "alpha"]
        );
    }

    #[test]
    fn an_order_this_tessera_does_not_know_reads_as_manual() {
        let order: SortOrder = serde_json::from_str("\"by_colour\"").unwrap();
        assert_eq!(order, SortOrder::Manual);
        assert_eq!(
            serde_json::to_string(&SortOrder::MostUsed).unwrap(),
            "\"most_used\""
        );
    }
}
