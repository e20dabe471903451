//! `tessera time`: how far this computer's clock is from a time server's, and the correction
//! codes use when the user applies it (kept in the settings, shared with the window).

use anyhow::Result;
use serde::Serialize;
use tessera_core::sntp::describe_offset;
use tessera_vault::clock::{self, TOLERATED_SECONDS};
use tessera_vault::settings::{Settings, SettingsFile};

use crate::args::TimeArgs;

/// `time --json`, documented in the README. Stable: scripts rely on it.
#[derive(Debug, Serialize)]
struct TimeJson {
    server: String,
    /// The server's clock minus this one; `null` with --reset (no server is asked).
    offset_seconds: Option<f64>,
    round_trip_ms: Option<f64>,
    /// The correction in effect afterwards; `null` for none.
    applied_offset_seconds: Option<i32>,
}

/// The settings file and its settings, and the time server to ask: `server` if given, else the
/// setting's (`tessera time` and `tessera resync`).
pub fn settings_and_server(server: Option<&str>) -> Result<(SettingsFile, Settings, String)> {
    let file = SettingsFile::open_default()?;
    let settings = file.load();
    let server = server.map_or_else(|| settings.time_server.clone(), str::to_owned);
    Ok((file, settings, server))
}

/// Saves `seconds` as the correction codes use (0 removes it).
pub fn save_correction(file: &SettingsFile, settings: &mut Settings, seconds: i32) -> Result<()> {
    settings.set_clock_correction(seconds);
    file.save(settings)?;
    Ok(())
}

pub fn run(args: &TimeArgs) -> Result<()> {
    let (file, mut settings, server) = settings_and_server(args.server.as_deref())?;
    if args.reset {
        let had = settings.clock_correction_seconds.take();
        file.save(&settings)?;
        if args.json {
            print_json(&server, None, None)?;
        } else if let Some(seconds) = had {
            println!(
                "Removed the time correction of {seconds:+} s: codes use this computer's clock"
            );
        } else {
            println!("There was no time correction: codes use this computer's clock");
        }
        return Ok(());
    }
    let checked = clock::measure(&server, clock::TIMEOUT)?;
    let offset = checked.offset_seconds;
    if args.apply {
        save_correction(&file, &mut settings, clock::whole_seconds(offset))?;
    }
    let applied = settings.clock_correction_seconds;
    if args.json {
        return print_json(&server, Some(&checked), applied);
    }
    println!(
        "{server}: this computer's clock is {} (offset {offset:+.3} s, round trip {:.0} ms)",
        describe_offset(offset.round() as i64),
        checked.round_trip_ms
    );
    match (args.apply, applied) {
        (true, Some(seconds)) => println!(
            "Codes now use corrected time: {seconds:+} s (`tessera time --reset` stops it)"
        ),
        (true, None) => println!("No correction needed: codes use this computer's clock"),
        (false, Some(seconds)) => println!(
            "Codes use corrected time: {seconds:+} s (`tessera time --apply` measures it again, `--reset` removes it)"
        ),
        (false, None) if offset.abs() > TOLERATED_SECONDS => println!(
            "Codes may be refused: set this computer's clock right, or run `tessera time --apply` to correct codes in Tessera"
        ),
        (false, None) => {}
    }
    Ok(())
}

fn print_json(
    server: &str,
    checked: Option<&clock::ClockCheck>,
    applied: Option<i32>,
) -> Result<()> {
    let shape = TimeJson {
        server: server.to_owned(),
        offset_seconds: checked.map(|c| c.offset_seconds),
        round_trip_ms: checked.map(|c| c.round_trip_ms),
        applied_offset_seconds: applied,
    };
    println!("{}", serde_json::to_string(&shape)?);
    Ok(())
}
