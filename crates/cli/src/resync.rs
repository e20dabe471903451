//! `tessera resync`: an account brought back in step with codes another device shows. An HOTP
//! counter moves just past them; for a time-based account, the time server says whose clock is
//! off, and `--apply` corrects this one's as `tessera time --apply` does.

use anyhow::Result;
use tessera_vault::Vault;
use tessera_vault::clock;
use tessera_vault::resync::{self, TimeVerdict};

use crate::args::ResyncArgs;
use crate::time;

pub fn run(args: &ResyncArgs) -> Result<()> {
    let vault = Vault::open_default()?;
    let codes: Vec<&str> = args.codes.iter().map(String::as_str).collect();
    if vault.find(&args.target)?.params.kind.period().is_none() {
        let (before, found) = vault.resync_counter(&args.target, &codes)?;
        println!("{}", resync::counter_said(&before, found));
        return Ok(());
    }
    let (file, mut settings, server) = time::settings_and_server(args.server.as_deref())?;
    let correction = settings.clock_correction_seconds;
    let now = clock::corrected_unix_ms(correction) / 1000;
    let found = vault.resync_time(&args.target, &codes, now, correction, || {
        clock::measure(&server, clock::TIMEOUT)
    })?;
    println!("{}", found.said());
    if let TimeVerdict::ThisClock {
        correction_seconds, ..
    } = found.verdict
    {
        if args.apply {
            time::save_correction(&file, &mut settings, correction_seconds)?;
            println!(
                "Codes now use corrected time: {correction_seconds:+} s (`tessera time --reset` stops it)"
            );
        } else {
            println!(
                "Set this computer's clock right, or add --apply to correct Tessera's codes by {correction_seconds:+} s"
            );
        }
    }
    Ok(())
}
