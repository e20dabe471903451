//! The command line, as clap types. Help texts are the user's manual: keep them exact.

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "tessera",
    version,
    about = "Tessera: one-time codes (TOTP, HOTP, Steam) from the command line",
    long_about = "Tessera: one-time codes (TOTP, HOTP, Steam) from the command line.\n\n\
        Values given as `-` are read from standard input, so secret keys stay out of shell \
        history and the process list."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the current code (and with --next the one after it)
    Code(CodeArgs),
}

#[derive(Debug, Args)]
pub struct CodeArgs {
    /// The account as an otpauth:// URI, or - to read it from standard input
    #[arg(long, value_name = "URI|-", required = true)]
    pub uri: String,
    /// Compute the code for this moment (Unix time in seconds) instead of now
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub at: Option<u64>,
    /// Also print the next code, on a second line
    #[arg(long)]
    pub next: bool,
    /// Print {id, name, code, next_code, period, remaining_seconds} as JSON
    #[arg(long)]
    pub json: bool,
}
