//! Writes the `tessera(1)` man page and the bash, zsh and fish completions, generated from the
//! clap definitions themselves, so they can't drift from the command:
//!
//! `cargo run -p tessera-cli --example gen-docs -- DIR` writes DIR/tessera.1 (and a page for each
//! subcommand, tessera-list.1...),
//! DIR/tessera.bash, DIR/_tessera and DIR/tessera.fish (`make package` puts them in the packages).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a build tool: a failure is a failed build

#[path = "../src/args.rs"]
#[allow(dead_code)] // only the definitions are used here
mod args;

use std::path::PathBuf;

use clap::CommandFactory;
use clap_complete::Shell;

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).expect("usage: gen-docs DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut command = args::Cli::command();
    // tessera.1, and tessera-list.1, tessera-add.1... for the subcommands it points to.
    clap_mangen::generate_to(command.clone(), &dir).unwrap();
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        clap_complete::generate_to(shell, &mut command, "tessera", &dir).unwrap();
    }
}
