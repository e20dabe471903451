//! The `tessera` command. Parses the command line (clap), runs one command, and turns any error
//! into one line on standard error and a non-zero exit status. The contract it keeps is in the
//! README ("The `tessera` command").

mod accounts;
mod args;
mod backup;
mod code;
mod doctor;
mod incoming;
mod input;
mod scan;
mod time;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let result = match cli.command {
        args::Command::List(args) => accounts::list(&args),
        args::Command::Add(args) => accounts::add(&args),
        args::Command::Code(args) => code::run(&args),
        args::Command::Rename(args) => accounts::rename(&args),
        args::Command::Remove(args) => accounts::remove(&args),
        args::Command::Show(args) => accounts::show(&args),
        args::Command::Scan(args) => scan::run(&args),
        args::Command::Export(args) => backup::export(&args),
        args::Command::Import(args) => backup::import(&args),
        args::Command::Time(args) => time::run(&args),
        args::Command::Doctor(args) => doctor::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `tessera scan ... | head`: the reader has gone, which is not an error worth a line.
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            // `{:#}` puts the whole cause chain on one line: "reading the URI: ...: ...".
            eprintln!("tessera: {error:#}");
            ExitCode::FAILURE
        }
    }
}
