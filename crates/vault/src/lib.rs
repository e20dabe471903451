//! Where Tessera's accounts live. Each account's secret key is its own item in the operating
//! system's keychain ([`keychain`]); everything else (friendly name, issuer, label, parameters,
//! order, created time) is in one index file in the user's data directory ([`index`]). The
//! [`Vault`] keeps the two consistent and serialises writers (the CLI and the app may run at once).
//!
//! Order of writes: add = secret first, then index; remove = index first, then secret. A crash
//! between the two leaves at worst a keychain item nobody points to, never an account without
//! its key that the user was told was added.

#![forbid(unsafe_code)]

pub mod aegis_follow;
pub mod autobackup;
pub mod bounded;
pub mod clock;
mod doctor;
mod error;
pub mod icon_file;
pub mod index;
pub mod keychain;
mod names;
pub mod order;
pub mod plan;
pub mod recent;
mod restore;
pub mod resync;
#[cfg(target_os = "linux")]
pub mod secret_service;
pub mod secrets;
pub mod settings;
pub mod sync;
mod tags;
pub mod trash;
mod vault;

pub use doctor::Checkup;
pub use error::{KeychainError, Provider, VaultError};
pub use index::{Entry, Stamp, Trashed};
pub use keychain::Keychain;
pub use plan::{Change, Existing, Found, Planned};
pub use restore::{Exportable, write_backup_file};
pub use secrets::{CachedStore, MemoryStore, SecretStore};
pub use vault::{SecretState, Vault, default_dir};
