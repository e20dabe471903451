//! `tessera resync`: an account brought back in step with codes another device shows. An HOTP
//! counter moves just past them; for a time-based account, the time server says whose clock is
//! off, and `--apply` corrects this one's as `tessera time --apply` does.

use anyhow::Result;
use tessera_core::sntp::describe_offset;
use tessera_vault::Vault;
use tessera_vault::clock;
use tessera_vault::resync::TimeVerdict;
use tessera_vault::settings::SettingsFile;

use crate::args::ResyncArgs;

pub fn run(args: &ResyncArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    let codes: Vec<&str> = args.codes.iter().map(String::as_str).collect();
    let entry = vault.find(&args.target)?;
    if entry.params.kind.period().is_none() {
        let (before, found) = vault.resync_counter(&args.target, &codes)?;
        let was = match before.params.kind {
            tessera_core::Kind::Hotp { counter } => counter,
            _ => 0,
        };
        println!(
            "Resynced {:?}: the codes given are counter {}{}; its counter is now {} (was {was})",
            before.name,
            found.first,
            if codes.len() > 1 { " onwards" } else { "" },
            found.next
        );
        return Ok(());
    }
    let file = SettingsFile::open_default()?;
    let mut settings = file.load();
    let server = args
        .server
        .clone()
        .unwrap_or_else(|| settings.time_server.clone());
    let correction = settings.clock_correction_seconds;
    let now = clock::corrected_unix_ms(correction) / 1000;
    let found = vault.resync_time(&args.target, &codes, now, correction, || {
        clock::measure(&server, clock::TIMEOUT)
    })?;
    let name = &found.entry.name;
    // "5 min ahead of" or "5 min behind": where the codes' time is from another.
    let apart = |steps: i64| {
        let words = describe_offset(-steps.saturating_mul(i64::from(found.period)));
        if words.ends_with("ahead") {
            words + " of"
        } else {
            words
        }
    };
    match found.verdict {
        TimeVerdict::Agrees => println!(
            "{name:?} gives these codes now: Tessera and the device agree, nothing to change (a service that refuses them keeps other time)"
        ),
        TimeVerdict::ThisClock {
            steps,
            correction_seconds,
            server,
        } => {
            println!(
                "The codes are {name:?}'s of {} Tessera's time, and {server} agrees with them: this computer's clock is {}",
                apart(steps),
                describe_offset(i64::from(correction_seconds))
            );
            if args.apply {
                settings.clock_correction_seconds =
                    (correction_seconds != 0).then_some(correction_seconds);
                file.save(&settings)?;
                println!(
                    "Codes now use corrected time: {correction_seconds:+} s (`tessera time --reset` stops it)"
                );
            } else {
                println!(
                    "Set this computer's clock right, or add --apply to correct Tessera's codes by {correction_seconds:+} s"
                );
            }
        }
        TimeVerdict::TheirClock {
            server_steps,
            server,
            ..
        } => println!(
            "The codes are {name:?}'s of {} {server}'s time, which this computer keeps: the device that shows them, or the service, keeps other time. Tessera's codes follow the right time; nothing was changed",
            apart(server_steps),
        ),
        TimeVerdict::Unchecked { steps, why } => println!(
            "The codes are {name:?}'s of {} Tessera's time; whose clock is off is unknown, as the time server could not be asked ({why}). Nothing was changed",
            apart(steps),
        ),
    }
    Ok(())
}
