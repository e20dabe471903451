//! The `tessera` command as a process, one test binary (linked once) for every area: codes and
//! their agreement with oathtool, the vault against a real Secret Service, scans of real PNGs,
//! the vault on each Linux keychain, re-enrolment, tags and notes, icons, backups, automatic backups, sync between devices, the clock, hostile inputs, resync, the desktop's search providers, secrets kept out of
//! output, and `tessera.exe` under Wine. What they share is in tessera-test-support.

mod autobackup;
mod backup;
mod code;
mod hostile;
mod icons;
mod keychains;
mod oathtool;
mod reenrol;
mod resync;
mod scan;
mod search;
mod secrets;
mod sync;
mod tags;
mod time;
mod vault;
mod windows;
