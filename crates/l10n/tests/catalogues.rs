//! The catalogues against each other and against the code that uses them: every language has
//! every English message, with the same attributes and variables; every message the window, the
//! tray or the desktop's search asks for is in English, and every English message is asked for.

// Test code: an unwrap that fails is a failing test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use fluent_syntax::ast::{self, Entry, Expression, InlineExpression, Pattern, PatternElement};
use fluent_syntax::parser;
use tessera_l10n::CATALOGUES;

/// A message's (or term's) shape: its attributes' names, and the variables each part uses.
type Shape = BTreeMap<String, BTreeSet<String>>;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn variables(pattern: &Pattern<&str>, found: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, found);
        }
    }
}

fn expression_variables(expression: &Expression<&str>, found: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(inline) => inline_variables(inline, found),
        Expression::Select { selector, variants } => {
            inline_variables(selector, found);
            for variant in variants {
                variables(&variant.value, found);
            }
        }
    }
}

fn inline_variables(inline: &InlineExpression<&str>, found: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            found.insert(id.name.to_owned());
        }
        InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        }
        | InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, found);
            }
            for argument in &arguments.named {
                inline_variables(&argument.value, found);
            }
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, found),
        // A referenced message sees the same arguments: its variables count, once known.
        InlineExpression::MessageReference { id, .. } => {
            found.insert(format!("@{}", id.name));
        }
        _ => {}
    }
}

/// Each message and term (terms as "-id") with its shape; a syntax error fails the test.
fn shapes(tag: &str, source: &str) -> BTreeMap<String, Shape> {
    let resource = parser::parse(source).unwrap_or_else(|(_, errors)| {
        panic!("{tag}.ftl does not parse: {errors:?}");
    });
    let mut all = BTreeMap::new();
    for entry in &resource.body {
        let (id, value, attributes): (String, _, &Vec<ast::Attribute<&str>>) = match entry {
            Entry::Message(m) => (m.id.name.to_owned(), m.value.as_ref(), &m.attributes),
            Entry::Term(t) => (format!("-{}", t.id.name), Some(&t.value), &t.attributes),
            _ => continue,
        };
        let mut shape = Shape::new();
        if let Some(value) = value {
            variables(value, shape.entry(String::new()).or_default());
        }
        for attribute in attributes {
            variables(
                &attribute.value,
                shape.entry(format!(".{}", attribute.id.name)).or_default(),
            );
        }
        assert!(
            all.insert(id.clone(), shape).is_none(),
            "{tag}.ftl: {id} twice"
        );
    }
    // References to other messages, replaced by those messages' variables (references nest
    // only a level or two).
    for _ in 0..4 {
        let before = all.clone();
        for shape in all.values_mut() {
            for names in shape.values_mut() {
                let references: Vec<String> = names
                    .iter()
                    .filter(|n| n.starts_with('@'))
                    .cloned()
                    .collect();
                for reference in references {
                    let referenced = before
                        .get(&reference[1..])
                        .unwrap_or_else(|| panic!("{tag}.ftl: no message {reference}"));
                    names.remove(&reference);
                    names.extend(referenced[""].iter().cloned());
                }
            }
        }
    }
    all
}

/// The messages other messages refer to.
fn referenced(source: &str) -> BTreeSet<String> {
    source
        .split("{ ")
        .skip(1)
        .map(|s| {
            s.split([' ', '}', '.'])
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .filter(|id| id.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .collect()
}

fn english() -> BTreeMap<String, Shape> {
    shapes("en", CATALOGUES[0].1)
}

#[test]
fn every_catalogue_has_every_message_with_the_same_arguments() {
    let english = english();
    assert!(english.len() > 300, "{} messages", english.len());
    for (tag, source) in &CATALOGUES[1..] {
        let translated = shapes(tag, source);
        let missing: Vec<_> = english
            .keys()
            .filter(|id| !translated.contains_key(*id))
            .collect();
        let extra: Vec<_> = translated
            .keys()
            .filter(|id| !english.contains_key(*id))
            .collect();
        assert!(missing.is_empty(), "{tag}.ftl lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{tag}.ftl has what English has not: {extra:?}"
        );
        for (id, shape) in &english {
            assert_eq!(
                &translated[id], shape,
                "{tag}.ftl: {id}'s attributes or variables"
            );
        }
    }
}

/// The ids in `text` after each of `openers` ("t(\"", "data-l10n-id=\""), up to the quote.
fn ids_after(text: &str, openers: &[&str]) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for opener in openers {
        for (at, _) in text.match_indices(opener) {
            let rest = &text[at + opener.len()..];
            let id: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if rest[id.len()..].starts_with('"') && !id.is_empty() {
                ids.insert(id);
            }
        }
    }
    ids
}

/// The string literals in argument `index` of each call of `function` ("t(") in `code`: ids
/// such as `t("added", ...)` and `t(add ? "add" : "remove")`.
fn ids_in_calls(code: &str, function: &str, index: usize) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for (at, _) in code.match_indices(function) {
        let before = code[..at].chars().next_back().unwrap_or(' ');
        if before.is_ascii_alphanumeric() || before == '_' || before == '.' {
            continue;
        }
        let mut depth = 0;
        let mut argument = 0;
        let mut text = String::new();
        for c in code[at + function.len()..].chars() {
            match c {
                '(' | '{' | '[' => depth += 1,
                ')' | '}' | ']' if depth == 0 => break,
                ')' | '}' | ']' => depth -= 1,
                ',' if depth == 0 => {
                    argument += 1;
                    continue;
                }
                _ => {}
            }
            if argument == index && depth == 0 {
                text.push(c);
            }
        }
        ids.extend(text.split('"').skip(1).step_by(2).map(str::to_owned));
    }
    ids
}

fn read(path: &str) -> String {
    fs::read_to_string(root().join(path)).unwrap()
}

/// Every `ext` file under `dir`, subfolders too, as one text.
fn sources(dir: &str, ext: &str) -> String {
    let mut all = String::new();
    let mut dirs = vec![root().join(dir)];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                all.push_str(&fs::read_to_string(path).unwrap());
            }
        }
    }
    all
}

/// The string literals of a TypeScript union type in bindings.ts (`export type OtpType = "totp" | ...`).
fn union_of(bindings: &str, name: &str) -> Vec<String> {
    let start = bindings
        .find(&format!("export type {name} = "))
        .unwrap_or_else(|| panic!("no {name} in bindings.ts"));
    let body = &bindings[start..];
    let body = &body[..=body.find("\";").unwrap()];
    body.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_message_asked_for_is_there_and_every_message_is_asked_for() {
    let english = english();
    let html = read("ui/index.html");
    let ts = sources("ui/src", "ts");
    let rust = [
        sources("src-tauri/src", "rs"),
        sources("crates/cli/src", "rs"),
    ]
    .concat();
    let mut asked = ids_after(&html, &["data-l10n-id=\""]);
    asked.extend(ids_in_calls(&ts, "t(", 0));
    asked.extend(ids_in_calls(&ts, "setL10n(", 1));
    asked.extend(ids_in_calls(&ts, "shellSaid(", 1));
    asked.extend(ids_after(
        &rust,
        &["text(\"", "file_dialog(&app, \"", "pick_folder(&app, \""],
    ));
    // The export's file type names, chosen in a table before they are looked up.
    asked.extend(
        ids_after(&rust, &["\"filter-"])
            .into_iter()
            .map(|rest| format!("filter-{rest}")),
    );
    // Ids the window makes from a value: t(`error-${code}`) and the like.
    let bindings = read("ui/src/bindings.ts");
    for code in union_of(&bindings, "ErrorCode") {
        asked.insert(format!("error-{code}"));
    }
    for kind in union_of(&bindings, "OtpType") {
        asked.insert(format!("type-{kind}"));
        asked.insert(format!("kind-{kind}"));
    }
    for kind in union_of(&bindings, "ProblemKind") {
        asked.insert(format!("scan-problem-{kind}"));
    }
    for format in union_of(&bindings, "BackupFormat") {
        asked.insert(format!("format-{format}"));
    }
    for source in union_of(&bindings, "Source") {
        asked.insert(format!("source-{source}"));
    }
    for kind in union_of(&bindings, "NoticeKind") {
        asked.insert(format!("sync-notice-{kind}"));
    }
    for (tag, _) in CATALOGUES {
        asked.insert(format!("language-{tag}"));
    }
    for clock in ["behind", "ahead", "corrected-behind", "corrected-ahead"] {
        asked.insert(format!("clock-{clock}"));
    }
    asked.extend(referenced(CATALOGUES[0].1));
    let missing: Vec<_> = asked
        .iter()
        .filter(|id| !english.contains_key(*id) && id.contains('-'))
        .collect();
    assert!(missing.is_empty(), "asked for, not in en.ftl: {missing:?}");
    let unused: Vec<_> = english
        .keys()
        .filter(|id| !id.starts_with('-') && !asked.contains(*id))
        .collect();
    assert!(
        unused.is_empty(),
        "in en.ftl, asked for nowhere: {unused:?}"
    );
}

#[test]
fn markup_messages_hold_only_kbd_and_code_and_no_variable() {
    let html = read("ui/index.html");
    let marked: Vec<String> = html
        .split("<")
        .filter(|tag| tag.contains("data-l10n-markup"))
        .flat_map(|tag| ids_after(tag, &["data-l10n-id=\""]))
        .collect();
    assert_eq!(marked.len(), 2, "{marked:?}");
    for (tag, source) in CATALOGUES {
        let shapes = shapes(tag, source);
        for id in &marked {
            assert!(shapes[id][""].is_empty(), "{tag}: {id} has a variable");
            let bundle =
                tessera_l10n::Catalogue::new(tessera_l10n::Language::from_tag(tag).unwrap());
            let text = bundle.text(id, &[]);
            for element in text.split('<').skip(1) {
                let name = element
                    .split(['>', ' '])
                    .next()
                    .unwrap()
                    .trim_start_matches('/');
                assert!(["kbd", "code"].contains(&name), "{tag}: {id} has <{name}>");
            }
        }
    }
}
