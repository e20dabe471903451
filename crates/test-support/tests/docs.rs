//! The documents point at things that exist: every path ARCHITECTURE.md names in backticks, and
//! every local link of the README and docs/. A file moved or renamed without its map fails here,
//! not in a newcomer's search.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use tessera_test_support::workspace;

/// The top-level entries a path in the documents starts with.
const ROOTS: &[&str] = &[
    "crates/",
    "src-tauri/",
    "ui/",
    "tests/",
    "docs/",
    "scripts/",
    "bench/",
    "fuzz/",
    "packaging/",
    "icons/",
    ".cargo/",
    ".ci/",
];

/// Every `code span` of `text` that is a path in the repository.
fn named_paths(text: &str) -> Vec<&str> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|span| !span.contains(' ') && ROOTS.iter().any(|root| span.starts_with(root)))
        .collect()
}

/// Every local target of a Markdown link `[text](target)`, without its `#fragment`.
fn linked_paths(text: &str) -> Vec<&str> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|target| !target.contains("://") && !target.starts_with('#'))
        .map(|target| target.split('#').next().unwrap())
        .collect()
}

#[test]
fn every_path_the_architecture_names_exists() {
    let root = workspace();
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let named = named_paths(&text);
    assert!(named.len() > 40, "only {} paths found", named.len());
    let missing: Vec<&&str> = named
        .iter()
        .filter(|path| !root.join(path.trim_end_matches('/')).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names missing paths: {missing:?}"
    );
}

#[test]
fn every_local_link_of_the_documents_exists() {
    let root = workspace();
    let mut documents = vec![root.join("README.md"), root.join("ARCHITECTURE.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            documents.push(path);
        }
    }
    let mut broken = Vec::new();
    for document in &documents {
        let text = std::fs::read_to_string(document).unwrap();
        let dir = document.parent().unwrap();
        for target in linked_paths(&text) {
            if !dir.join(target).exists() {
                broken.push(format!("{}: {target}", document.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links: {broken:?}");
}

#[test]
fn the_checks_find_what_they_look_for() {
    let text = "see `crates/core/src/otp.rs` and `vault.json`, [a](docs/a.md#x) [b](https://x.y)";
    assert_eq!(named_paths(text), ["crates/core/src/otp.rs"]);
    assert_eq!(linked_paths(text), ["docs/a.md"]);
    assert!(
        !Path::new(&workspace())
            .join("crates/no-such-crate")
            .exists()
    );
}
