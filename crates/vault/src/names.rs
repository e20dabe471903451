//! Friendly names: what makes one valid, unique (whatever the case), and how a name or id given
//! on the command line finds its account.

use tessera_core::Account;

use crate::error::VaultError;
use crate::index::Entry;

pub use tessera_core::account::{MAX_NAME_CHARS, same_name as same};

/// Trims the name and checks it: not empty, not too long, no control characters.
pub fn validate(name: &str) -> Result<String, VaultError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(VaultError::InvalidName("a name cannot be empty"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(VaultError::InvalidName(
            "a name can have at most 100 characters",
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(VaultError::InvalidName(
            "a name cannot contain control characters (tabs, newlines)",
        ));
    }
    Ok(name.to_owned())
}

/// The name Tessera gives an account when the user gives none, kept within the name limits.
pub fn default_name(account: &Account) -> String {
    default_name_for(&account.issuer, &account.label)
}

fn default_name_for(issuer: &str, label: &str) -> String {
    let name: String = tessera_core::account::default_name(issuer, label)
        .chars()
        .take(MAX_NAME_CHARS)
        .collect();
    validate(&name).unwrap_or_else(|_| "Unnamed account".to_owned())
}

/// Whether the user chose the account's name, rather than Tessera from its issuer and label:
/// its default name, or that name made unique by [`unique`] (" 2", shortened to fit), is not.
/// Compared exactly: "github" typed for an account Tessera would name "GitHub" was chosen.
pub fn is_chosen(entry: &Entry) -> bool {
    let default = default_name_for(&entry.issuer, &entry.label);
    if entry.name == default {
        return false;
    }
    match entry.name.rsplit_once(' ') {
        Some((stem, n)) if n.parse::<u64>().is_ok_and(|n| n >= 2) => {
            let shortened = entry.name.chars().count() + 1 >= MAX_NAME_CHARS;
            !(stem == default || (shortened && default.starts_with(stem)))
        }
        _ => true,
    }
}

/// Whether `name` is taken by an account other than `except_id`.
pub fn is_taken(entries: &[Entry], name: &str, except_id: Option<&str>) -> bool {
    entries
        .iter()
        .any(|e| Some(e.id.as_str()) != except_id && same(&e.name, name))
}

/// `base` if no name in `taken` is the same, else "base 2", "base 3", ... (`base` shortened
/// when the number would make it too long): for names Tessera chooses, never the user's.
pub fn unique(taken: &[String], base: &str) -> String {
    tessera_core::account::unique_name(base, |name| taken.iter().any(|t| same(t, name)))
}

/// Finds the account a NAME or ID means: the exact name, else the id, else the name whatever
/// its case, else the one name that starts with it (whatever the case). Ambiguity and absence
/// are errors that list the candidates.
pub fn find<'a>(entries: &'a [Entry], query: &str) -> Result<&'a Entry, VaultError> {
    let query_trimmed = query.trim();
    if query_trimmed.is_empty() {
        return Err(VaultError::not_found(query));
    }
    if let Some(e) = entries.iter().find(|e| e.name == query_trimmed) {
        return Ok(e);
    }
    if let Some(e) = entries.iter().find(|e| e.id == query_trimmed) {
        return Ok(e);
    }
    if let Some(e) = entries.iter().find(|e| same(&e.name, query_trimmed)) {
        return Ok(e);
    }
    let lower = query_trimmed.to_lowercase();
    let prefixed: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.name.to_lowercase().starts_with(&lower))
        .collect();
    match prefixed.as_slice() {
        [one] => Ok(one),
        [] => {
            const MAX_SUGGESTIONS: usize = 5;
            let candidates = entries
                .iter()
                .filter(|e| e.name.to_lowercase().contains(&lower))
                .take(MAX_SUGGESTIONS)
                .map(|e| e.name.clone())
                .collect();
            Err(VaultError::NotFound {
                query: query.to_owned(),
                candidates,
            })
        }
        many => Err(VaultError::Ambiguous {
            query: query.to_owned(),
            candidates: many.iter().map(|e| e.name.clone()).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_core::Params;

    fn entries(names: &[&str]) -> Vec<Entry> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                Entry::new(
                    format!("id{i}"),
                    (*n).into(),
                    String::new(),
                    String::new(),
                    Params::default(),
                    0,
                )
            })
            .collect()
    }

    #[track_caller]
    fn check(names: &[&str], query: &str, expected: Result<&str, &str>) {
        let entries = entries(names);
        let got = find(&entries, query)
            .map(|e| e.name.as_str())
            .map_err(|e| e.to_string());
        match expected {
            Ok(name) => assert_eq!(got, Ok(name), "{query}"),
            Err(message) => assert_eq!(got, Err(message.to_owned()), "{query}"),
        }
    }

    #[test]
    fn matching() {
        let names = [
            "staging-tester-07",
            "staging-tester-08",
            "Prod",
            "prod-eu",
            "GitHub",
        ];
        check(&names, "staging-tester-07", Ok("staging-tester-07"));
        check(&names, "Prod", Ok("Prod"));
        check(&names, "prod", Ok("Prod"));
        check(&names, "PROD-", Ok("prod-eu"));
        check(&names, "git", Ok("GitHub"));
        check(&names, "id4", Ok("GitHub"));
        check(
            &names,
            "staging",
            Err(
                "\"staging\" matches several accounts: \"staging-tester-07\", \"staging-tester-08\"; give more of the name",
            ),
        );
        check(
            &names,
            "tester-07",
            Err("no account is named \"tester-07\"; did you mean \"staging-tester-07\"?"),
        );
        check(
            &names,
            "nothing",
            Err("no account is named \"nothing\"; `tessera list` shows them all"),
        );
        check(
            &names,
            " ",
            Err("no account is named \" \"; `tessera list` shows them all"),
        );
        check(
            &[],
            "x",
            Err("no account is named \"x\"; `tessera list` shows them all"),
        );
    }

    #[test]
    fn names_are_unique_whatever_their_case() {
        let e = entries(&["GitHub", "GitHub 2", "Ärger"]);
        assert!(is_taken(&e, "github", None));
        assert!(is_taken(&e, "ärger", None));
        assert!(
            !is_taken(&e, "github", Some("id0")),
            "an account does not collide with itself"
        );
        let taken: Vec<String> = e.iter().map(|e| e.name.clone()).collect();
        assert_eq!(unique(&taken, "GitHub"), "GitHub 3");
        assert_eq!(unique(&taken, "GitLab"), "GitLab");
        // A long name is shortened to make room for the number: still a valid name.
        let long = "x".repeat(MAX_NAME_CHARS);
        let second = unique(std::slice::from_ref(&long), &long);
        assert_eq!(second, format!("{} 2", "x".repeat(MAX_NAME_CHARS - 2)));
        assert_eq!(validate(&second).unwrap(), second);
    }

    #[test]
    fn validation() {
        assert_eq!(
            validate("  staging-tester-07 ").unwrap(),
            "staging-tester-07"
        );
        assert!(matches!(validate("  "), Err(VaultError::InvalidName(_))));
        assert!(matches!(validate("a\nb"), Err(VaultError::InvalidName(_))));
        assert!(matches!(
            validate(&"x".repeat(101)),
            Err(VaultError::InvalidName(_))
        ));
    }

    #[test]
    fn default_names_are_told_from_chosen_ones() {
        let entry = |name: &str, issuer: &str, label: &str| {
            Entry::new(
                "id".into(),
                name.into(),
                issuer.into(),
                label.into(),
                Params::default(),
                0,
            )
        };
        let aws = "Amazon Web Services";
        for (name, label, chosen) in [
            ("Amazon Web Services (tester01@123)", "tester01@123", false),
            ("amazon web services (tester01@123)", "tester01@123", true),
            (
                "Amazon Web Services (tester01@123) 2",
                "tester01@123",
                false,
            ),
            ("Amazon Web Services (tester01@123) 1", "tester01@123", true),
            ("staging-tester-07", "tester07@123", true),
            ("Amazon Web Services 2", "", false),
            ("Amazon Web Services", "x", true),
        ] {
            assert_eq!(entry(name, aws, label).name_is_chosen(), chosen, "{name}");
        }
        assert!(entry("github", "GitHub", "").name_is_chosen());
        assert!(!entry("GitHub", "GitHub", "").name_is_chosen());
        let long_label = "l".repeat(150);
        let base = default_name_for(aws, &long_label);
        let shortened = unique(std::slice::from_ref(&base), &base);
        assert!(
            !entry(&shortened, aws, &long_label).name_is_chosen(),
            "{shortened}"
        );
        assert!(!entry("Unnamed account", "", "").name_is_chosen());
    }
}
