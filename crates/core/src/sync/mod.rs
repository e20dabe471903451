//! Sync through a folder the user already syncs (Syncthing, Nextcloud, a USB stick): each device
//! writes its whole state to a file of its own, encrypted with the set's key, and merges the
//! others' files into its vault. Everything here is pure: the vault reads and writes the files.
//!
//! - [`clock`]: the hybrid logical clock every change carries, with the device id as tie-break.
//! - [`state`]: a device's state (per account the latest change, a tombstone for a delete, the
//!   highest HOTP counter; the list's order), [`state::State::join`] (the merge, commutative,
//!   associative and idempotent), the vault a state gives, and the local changes since the last
//!   merge.
//! - [`file`]: a device file's bytes (AES-256-GCM, header authenticated) and the pairing secret.
//!
//! The format and the rules are documented in docs/sync.md.

pub mod clock;
pub mod file;
pub mod state;

pub use clock::Hlc;
pub use file::{DeviceFile, FileError, SyncKey};
pub use state::{Body, Order, Record, State};

#[cfg(test)]
mod tests;
