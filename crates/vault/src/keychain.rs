//! The OS keychain: the Secret Service on Linux (GNOME Keyring, KeePassXC, KWallet; spoken to
//! directly, see [`crate::secret_service`]), the Keychain on macOS and the Credential Manager on
//! Windows (through keyring-core). One item per account: service `Tessera`, user = the account's
//! id, label "Tessera: <friendly name>".
//!
//! The keychain is connected on first use, so commands that need no key (`list`) never touch
//! it. Keys are stored as base32 text, so a person who opens the item in Seahorse, KeePassXC,
//! KWallet Manager or Keychain Access sees the key in the form every authenticator accepts.

use tessera_core::{Secret, Sensitive};

use crate::error::{KeychainError, Provider};
use crate::secrets::SecretStore;

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
mod places;
#[cfg(target_os = "linux")]
use linux as backend;
#[cfg(not(target_os = "linux"))]
mod native;
#[cfg(not(target_os = "linux"))]
use native as backend;

/// The keychain service every account's item is filed under.
pub const SERVICE: &str = "Tessera";
/// The service of Tessera's own secrets that belong to no account (the automatic backups' key).
pub const OWN_SERVICE: &str = "Tessera (own keys)";
/// The target names of the accounts' credentials on Windows: `<id>.Tessera`. Not those of
/// Tessera's own keys (`automatic-backup-key.Tessera (own keys)`).
#[cfg_attr(not(target_os = "windows"), allow(dead_code))]
const WINDOWS_PATTERN: &str = r"\.Tessera$";

/// The platform keychain, connected on first use. A failure to connect is not kept: the next
/// call tries again, so a keychain started or unlocked meanwhile is found (the window's "Try
/// again").
#[derive(Debug)]
pub struct Keychain {
    store: backend::Store,
}

impl Default for Keychain {
    fn default() -> Self {
        Self::new()
    }
}

impl Keychain {
    /// The keychain; on Linux, new keys go to the collection `keychain_collection` in
    /// settings.json names, if any.
    pub fn new() -> Self {
        Self {
            store: backend::Store::new(),
        }
    }

    /// Which keychain answers (on Linux, the program serving the Secret Service).
    pub fn provider(&self) -> Result<Provider, KeychainError> {
        self.store.provider()
    }

    /// Whether keys cross to the keychain encrypted; false where a Secret Service refused its
    /// encrypted session and the plain one is used, as libsecret does.
    pub fn is_encrypted(&self) -> Result<bool, KeychainError> {
        self.store.is_encrypted()
    }
}

impl SecretStore for Keychain {
    fn store(&self, id: &str, label: &str, secret: &Secret) -> Result<(), KeychainError> {
        self.store.store(id, label, secret)
    }

    fn load(&self, id: &str) -> Result<Option<Secret>, KeychainError> {
        self.store.load(id)
    }

    fn load_all(&self, ids: &[&str]) -> Result<Vec<Option<Secret>>, KeychainError> {
        self.store.load_all(ids)
    }

    fn store_all(
        &self,
        items: &[(&str, &str, &Secret)],
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), KeychainError> {
        self.store.store_all(items, progress)
    }

    fn delete(&self, id: &str) -> Result<(), KeychainError> {
        self.store.delete(id)
    }

    fn relabel(&self, id: &str, label: &str) -> Result<(), KeychainError> {
        self.store.relabel(id, label)
    }

    fn ids(&self) -> Result<Vec<String>, KeychainError> {
        let mut ids = self.store.ids()?;
        ids.sort();
        ids.dedup();
        Ok(ids)
    }

    fn remember_where(&self, ids: &[&str]) {
        // Not kept, the places cost the next start its speed alone: nothing to report.
        let _ = self.store.remember_where(ids);
    }

    fn store_own(&self, name: &str, label: &str, bytes: &[u8]) -> Result<(), KeychainError> {
        self.store.store_own(name, label, bytes)
    }

    fn load_own(&self, name: &str) -> Result<Option<Sensitive<Vec<u8>>>, KeychainError> {
        self.store.load_own(name)
    }

    fn delete_own(&self, name: &str) -> Result<(), KeychainError> {
        self.store.delete_own(name)
    }
}

/// A key as the keychain holds it (base32 text, whatever content type it was written with), or
/// `Damaged` for anything Tessera did not write.
fn parse_stored(id: &str, bytes: &[u8]) -> Result<Secret, KeychainError> {
    let damaged = || KeychainError::Damaged { id: id.to_owned() };
    let text = std::str::from_utf8(bytes).map_err(|_| damaged())?;
    Secret::parse(text).map_err(|_| damaged())
}

#[cfg(test)]
mod tests {
    use tessera_core::backup::tessera::BackupKey;
    use tessera_core::secret::MAX_SECRET_BYTES;

    use super::*;

    /// The smallest item of the three keychains: a Windows credential's secret is at most
    /// 2,560 bytes (`CRED_MAX_CREDENTIAL_BLOB_SIZE`, 5 × 512).
    const WINDOWS_MAX_SECRET_BYTES: usize = 2560;

    #[test]
    fn everything_tessera_keeps_fits_a_windows_credential() {
        // The longest key Tessera accepts, as it is stored (base32): 1,639 bytes.
        let longest = Secret::from_bytes(vec![0xff; MAX_SECRET_BYTES]).unwrap();
        let stored = longest.to_base32();
        assert_eq!(stored.len(), 1639);
        assert!(stored.len() <= WINDOWS_MAX_SECRET_BYTES);
    }

    // The automatic backups' key, whatever its parameters (core bounds it and tests the bound).
    const _: () = assert!(BackupKey::MAX_KEPT_BYTES <= WINDOWS_MAX_SECRET_BYTES);

    #[test]
    fn the_windows_search_pattern_is_the_service_at_the_end_of_a_target_name() {
        assert_eq!(WINDOWS_PATTERN, format!(r"\.{SERVICE}$"));
        assert!(!OWN_SERVICE.ends_with(&format!(".{SERVICE}")));
    }
}
