//! The issuer icon matcher on the issuer names of tests/fixtures/icons/issuers.tsv, as services
//! write them: names the sets have an icon for are matched at 90% or better, and no name ever
//! gets another brand's logo.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests: a failure is the point

use tessera_core::icons;

fn table() -> Vec<(String, Option<String>)> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/icons/issuers.tsv"
    ))
    .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (name, id) = l.split_once('\t').unwrap_or((l, ""));
            (name.to_owned(), (!id.is_empty()).then(|| id.to_owned()))
        })
        .collect()
}

#[test]
fn issuers_get_their_icon_or_a_letter_never_another_logo() {
    let table = table();
    assert!(table.len() >= 200, "{} names", table.len());
    let (mut expected, mut matched) = (0, 0);
    let mut wrong = Vec::new();
    let mut missed = Vec::new();
    for (name, want) in &table {
        let got = icons::for_account(name, "").map(|i| i.id.to_owned());
        if let Some(want) = want {
            assert!(
                icons::get(want).is_some(),
                "the table names {want}, which is not bundled"
            );
            expected += 1;
        }
        match (want, &got) {
            (Some(w), Some(g)) if w == g => matched += 1,
            (Some(_), None) => missed.push(name.as_str()),
            (_, Some(g)) => wrong.push(format!("{name} -> {g} (expected {want:?})")),
            (None, None) => {}
        }
    }
    let rate = f64::from(matched) / f64::from(expected);
    println!(
        "matched {matched} of {expected} ({:.1}%); missed: {missed:?}",
        rate * 100.0
    );
    assert!(wrong.is_empty(), "wrong logos: {wrong:#?}");
    assert!(
        rate >= 0.9,
        "matched {matched} of {expected}; missed: {missed:?}"
    );
}
