//! Which of the reader's passes reads which image of the corpus's categories, with what each
//! costs: the measure behind the fallback passes (`tessera_qr::Pass`). Every pass runs on every
//! image here, not only until one reads it, so their overlap shows; a payload a pass reads that
//! is not in the image stops the run.
//!
//! `cargo run --release -p tessera-qr --example qr-passes -- [unseen|final] [CATEGORY...]`, with
//! categories named as in the corpus with dashes ("small-blurred"); all of them by default.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a tool for developers

#[path = "../tests/corpus/mod.rs"]
mod corpus;

use std::time::Instant;

use corpus::{Category, Set};
use tessera_qr::Pass;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let set = Set::ALL
        .into_iter()
        .find(|s| args.iter().any(|a| a == s.name()))
        .unwrap_or(Set::Tuning);
    let chosen: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|c| args.iter().any(|a| *a == c.name().replace(' ', "-")))
        .collect();
    let categories = if chosen.is_empty() {
        Category::ALL.to_vec()
    } else {
        chosen
    };
    println!("set: {}", set.name());
    for category in categories {
        let mut read = [0usize; Pass::ALL.len()];
        let mut millis = [0f64; Pass::ALL.len()];
        let mut by_any = 0;
        for i in 0..corpus::PER_CATEGORY {
            let sample = corpus::sample_in(set, category, i);
            let grey = tessera_qr::load_grey(&sample.bytes).unwrap();
            let mut truth = sample.truth.clone();
            truth.sort();
            let mut readers = Vec::new();
            for (n, pass) in Pass::ALL.into_iter().enumerate() {
                let start = Instant::now();
                let mut found = corpus::texts(pass.read(&grey).unwrap());
                millis[n] += start.elapsed().as_secs_f64() * 1e3;
                found.sort();
                for payload in &found {
                    assert!(
                        truth.contains(payload),
                        "{}: the {} pass read a payload that is not in the image",
                        sample.name,
                        pass.name()
                    );
                }
                if found == truth {
                    read[n] += 1;
                    readers.push(pass.name());
                }
            }
            by_any += usize::from(!readers.is_empty());
            if readers.first() != Some(&Pass::First.name()) {
                println!("  {}: read by {readers:?}", sample.name);
            }
        }
        let columns: Vec<String> = Pass::ALL
            .iter()
            .enumerate()
            .map(|(n, pass)| {
                format!(
                    "{} {} ({:.0} ms)",
                    pass.name(),
                    read[n],
                    millis[n] / corpus::PER_CATEGORY as f64
                )
            })
            .collect();
        println!(
            "{:<18} read by any {by_any:>2}/{} | {}",
            category.name(),
            corpus::PER_CATEGORY,
            columns.join(" | ")
        );
    }
}
