//! The `tessera` command. Parses the command line (clap), runs one command, and turns any error
//! into one line on standard error and a non-zero exit status. The contract it keeps is in
//! docs/guide.md ("The `tessera` command") and docs/cli.md (generated from `args`).

mod accounts;
mod args;
mod autobackup;
mod backup;
#[cfg(target_os = "linux")]
mod clipboard;
mod code;
mod doctor;
mod incoming;
mod input;
#[cfg(test)]
mod reference;
mod resync;
mod scan;
#[cfg(target_os = "linux")]
mod search;
mod sync;
mod time;
mod trash;
#[cfg(target_os = "linux")]
mod tray;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    // A keychain waiting on a person (an unlock, KeePassXC's access request) is said at once.
    #[cfg(target_os = "linux")]
    tessera_vault::secret_service::wait::on_wait(|wait| eprintln!("tessera: {}", wait.said));
    let started = unix_now();
    let changes_vault = matches!(
        cli.command,
        args::Command::Add(_)
            | args::Command::Code(_)
            | args::Command::Rename(_)
            | args::Command::Tag(_)
            | args::Command::Note(_)
            | args::Command::Icon(_)
            | args::Command::Remove(_)
            | args::Command::Trash(_)
            | args::Command::Scan(_)
            | args::Command::Import(_)
            | args::Command::Resync(_)
    );
    // What other devices sent through the sync folder, and a newer Aegis backup from the phone,
    // come in before the vault is read (a directory listing each when nothing came); `code
    // --uri` needs no vault.
    let reads_vault = !matches!(
        &cli.command,
        args::Command::Sync(_) | args::Command::Time(_) | args::Command::Backup(_)
    ) && !matches!(&cli.command, args::Command::Code(code) if code.uri.is_some());
    if reads_vault && let Ok(vault) = tessera_vault::Vault::open_default() {
        vault.sync_if_changed();
        vault.aegis_if_changed();
        trash::purge_expired(&vault);
    }
    let result = match cli.command {
        args::Command::List(args) => accounts::list(&args),
        args::Command::Add(args) => accounts::add(&args),
        args::Command::Code(args) => code::run(&args),
        args::Command::Rename(args) => accounts::rename(&args),
        args::Command::Tag(args) => accounts::tag(&args),
        args::Command::Note(args) => accounts::note(&args),
        args::Command::Icon(args) => accounts::icon(&args),
        args::Command::Remove(args) => accounts::remove(&args),
        args::Command::Trash(args) => trash::run(&args),
        args::Command::Show(args) => accounts::show(&args),
        args::Command::Scan(args) => scan::run(&args),
        args::Command::Export(args) => backup::export(&args),
        args::Command::Import(args) => backup::import(&args),
        args::Command::Backup(args) => autobackup::run(&args),
        args::Command::Sync(args) => sync::run(&args),
        args::Command::Time(args) => time::run(&args),
        args::Command::Resync(args) => resync::run(&args),
        args::Command::Doctor(args) => doctor::run(&args),
        #[cfg(target_os = "linux")]
        args::Command::Tray(args) => tray::run(&args),
        #[cfg(target_os = "linux")]
        args::Command::SearchProvider => search::run(),
        #[cfg(not(target_os = "linux"))]
        args::Command::SearchProvider => Err(anyhow::anyhow!(
            "the desktop's search providers are for Linux (GNOME Shell, KRunner)"
        )),
        #[cfg(not(target_os = "linux"))]
        args::Command::Tray(_) => Err(anyhow::anyhow!(
            "the tray without the window is for Linux; elsewhere the app keeps its own"
        )),
    };
    if changes_vault {
        warn_of_failures_after_change(started);
    }
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

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A change went through, but the automatic backup or the sync after it failed: said on standard
/// error (the change itself succeeded, so the exit status stays 0).
fn warn_of_failures_after_change(since: u64) {
    let Ok(vault) = tessera_vault::Vault::open_default() else {
        return;
    };
    let failures = [
        (
            "automatic backup",
            vault.auto_backup().and_then(|c| c.last_failure),
        ),
        ("sync", vault.sync_config().and_then(|c| c.failure)),
    ];
    for (what, failure) in failures {
        if let Some(failure) = failure.filter(|failure| failure.at >= since) {
            eprintln!(
                "tessera: warning: the change is made, but the {what} after it failed: {}",
                failure.error
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use clap::CommandFactory;

    /// docs/cli.md is the reference of the command as it is. After changing an argument or a
    /// help text, run `make cli-docs` (UPDATE_CLI_DOCS=1 writes it).
    #[test]
    fn the_command_reference_is_up_to_date() {
        let checked_in = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/cli.md");
        let fresh = super::reference::markdown(&mut super::args::Cli::command());
        if std::env::var_os("UPDATE_CLI_DOCS").is_some() {
            std::fs::write(&checked_in, &fresh).unwrap();
        }
        let old = std::fs::read_to_string(&checked_in).unwrap_or_default();
        assert!(
            old == fresh,
            "docs/cli.md is stale: run `make cli-docs` and commit it"
        );
    }

    #[test]
    fn the_reference_has_every_command() {
        let text = super::reference::markdown(&mut super::args::Cli::command());
        for command in super::args::Cli::command().get_subcommands() {
            let heading = format!("## `tessera {}`", command.get_name());
            assert!(text.contains(&heading), "{heading} is missing");
        }
        assert!(text.contains("--format <FORMAT>"));
        assert!(
            text.contains("aegis-plain"),
            "the export formats are listed"
        );
    }
}
