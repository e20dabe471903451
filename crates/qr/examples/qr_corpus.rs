//! Writes the QR test corpus to a directory: each image with its payloads beside it
//! (`NAME.txt`, one payload a line; empty for images without a code).
//! `cargo run -p tessera-qr --example qr-corpus -- DIR [unseen|final]` (the tuning set by
//! default).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a tool for developers

#[path = "../tests/corpus/mod.rs"]
mod corpus;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: qr-corpus DIR [unseen|final]");
        std::process::exit(2);
    };
    let set = match std::env::args().nth(2).as_deref() {
        Some("unseen") => corpus::Set::Unseen,
        Some("final") => corpus::Set::Final,
        _ => corpus::Set::Tuning,
    };
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap();
    let start = std::time::Instant::now();
    let mut count = 0;
    for sample in corpus::corpus_of(set) {
        std::fs::write(dir.join(&sample.name), &sample.bytes).unwrap();
        let truth: String = sample.truth.iter().map(|p| format!("{p}\n")).collect();
        std::fs::write(dir.join(format!("{}.txt", sample.name)), truth).unwrap();
        count += 1;
    }
    println!(
        "{count} images in {} ({:.1} s)",
        dir.display(),
        start.elapsed().as_secs_f64()
    );
}
