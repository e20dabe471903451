//! The OS keychain through keyring-core: the Secret Service on Linux (zbus, pure-Rust crypto),
//! the Keychain on macOS, the Credential Manager on Windows. One item per account: service
//! `Tessera`, user = the account's id, label "Tessera: <friendly name>".
//!
//! The store is connected on first use, so commands that need no key (`list`) never touch the
//! keychain. Keys are stored as base32 text, so a person who opens the item in Seahorse or
//! Keychain Access sees the key in the form every authenticator accepts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use keyring_core::api::CredentialStore;
use keyring_core::{Entry, Error};
use tessera_core::{Secret, Sensitive};

use crate::error::KeychainError;
use crate::secrets::SecretStore;

/// The keychain service every account's item is filed under.
pub const SERVICE: &str = "Tessera";
/// The service of Tessera's own secrets that belong to no account (the automatic backups' key).
pub const OWN_SERVICE: &str = "Tessera (own keys)";

/// The platform keychain, connected on first use. A failure to connect is not kept: the next
/// call tries again, so a keychain started or unlocked meanwhile is found (the window's "Try
/// again").
#[derive(Default)]
pub struct Keychain {
    store: Mutex<Option<Arc<CredentialStore>>>,
}

impl std::fmt::Debug for Keychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let connected = self.store.lock().map(|s| s.is_some()).unwrap_or(false);
        f.debug_struct("Keychain")
            .field("connected", &connected)
            .finish()
    }
}

impl Keychain {
    pub fn new() -> Self {
        Self::default()
    }

    fn store(&self) -> Result<Arc<CredentialStore>, KeychainError> {
        let mut slot = self.store.lock().map_err(|_| KeychainError::Failed {
            detail: "the keychain connection is unusable after an earlier failure".into(),
        })?;
        if let Some(store) = slot.as_ref() {
            return Ok(store.clone());
        }
        let store = platform_store().map_err(classify)?;
        *slot = Some(store.clone());
        Ok(store)
    }

    fn entry(&self, id: &str, label: Option<&str>) -> Result<Entry, KeychainError> {
        self.entry_in(SERVICE, id, label)
    }

    fn entry_in(
        &self,
        service: &str,
        id: &str,
        label: Option<&str>,
    ) -> Result<Entry, KeychainError> {
        let mut modifiers = HashMap::new();
        if let Some(label) = label.filter(|l| !l.is_empty()) {
            modifiers.insert("label", label);
        }
        // Only the Secret Service store understands `label`; the others refuse unknown modifiers.
        let modifiers = (cfg!(target_os = "linux") && !modifiers.is_empty()).then_some(&modifiers);
        self.store()?
            .build(service, id, modifiers)
            .map_err(classify)
    }
}

impl Keychain {
    /// Every account id the keychain holds an item for, in no order, or an error: a partial
    /// list (a locked item left out) would make accounts look keyless and items orphaned. On
    /// Linux through one batch; one by one where no batch can start.
    fn listed_ids(&self) -> Result<Vec<String>, KeychainError> {
        #[cfg(target_os = "linux")]
        if let Ok((ids, locked)) =
            crate::secret_service::Batch::open().and_then(|batch| batch.ids(SERVICE))
        {
            return if locked > 0 {
                Err(KeychainError::Locked)
            } else {
                Ok(ids)
            };
        }
        let found = self.store()?.search(&search_spec()).map_err(classify)?;
        let mut ids = Vec::with_capacity(found.len());
        for entry in &found {
            // The store gives no specifiers for an item it can't read: a locked one.
            match entry.get_specifiers() {
                Some((service, user)) if service == SERVICE => ids.push(user),
                Some(_) => {}
                None => return Err(KeychainError::Locked),
            }
        }
        Ok(ids)
    }
}

impl SecretStore for Keychain {
    fn store(&self, id: &str, label: &str, secret: &Secret) -> Result<(), KeychainError> {
        let entry = self.entry(id, Some(label))?;
        entry
            .set_secret(secret.to_base32().as_bytes())
            .map_err(classify)
    }

    fn load(&self, id: &str) -> Result<Option<Secret>, KeychainError> {
        let entry = self.entry(id, None)?;
        match entry.get_secret() {
            Ok(bytes) => parse_stored(id, &Sensitive::new(bytes)).map(Some),
            Err(Error::NoEntry) => Ok(None),
            Err(e) => Err(classify(e)),
        }
    }

    /// On Linux, every key in one batch (see [`crate::secret_service`]); the keys it could not
    /// read (locked, missing, or no batch at all) one by one, which prompts or says why not.
    fn load_all(&self, ids: &[&str]) -> Result<Vec<Option<Secret>>, KeychainError> {
        #[cfg(target_os = "linux")]
        let mut found = crate::secret_service::Batch::open()
            .and_then(|batch| batch.read(SERVICE))
            .unwrap_or_default();
        #[cfg(not(target_os = "linux"))]
        let mut found: HashMap<String, Sensitive<Vec<u8>>> = HashMap::new();
        ids.iter()
            .map(|id| match found.remove(*id) {
                Some(bytes) => parse_stored(id, &bytes).map(Some),
                None => self.load(id),
            })
            .collect()
    }

    /// On Linux, the writes sent ahead of their answers (see [`crate::secret_service`]); one
    /// by one when that can't start (a locked collection prompts; no bus says so).
    fn store_all(
        &self,
        items: &[(&str, &str, &Secret)],
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), KeychainError> {
        #[cfg(target_os = "linux")]
        if let Ok(batch) = crate::secret_service::Batch::open() {
            let texts: Vec<Sensitive<String>> = items
                .iter()
                .map(|(_, _, secret)| secret.to_base32())
                .collect();
            let batch_items: Vec<(&str, &str, &[u8])> = items
                .iter()
                .zip(&texts)
                .map(|((id, label, _), text)| (*id, *label, text.as_bytes()))
                .collect();
            let mut done = 0;
            match batch.create(SERVICE, &batch_items, &mut |n| {
                done = n;
                progress(n);
            }) {
                Ok(()) => return Ok(()),
                // Nothing written yet: the one-by-one path prompts or says what is wrong.
                Err(_) if done == 0 => {}
                Err(e) => return Err(classify_batch(e)),
            }
        }
        crate::secrets::store_each(self, items, progress)
    }

    fn delete(&self, id: &str) -> Result<(), KeychainError> {
        match self.entry(id, None)?.delete_credential() {
            Ok(()) | Err(Error::NoEntry) => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }

    fn relabel(&self, id: &str, label: &str) -> Result<(), KeychainError> {
        #[cfg(target_os = "linux")]
        {
            let entry = self.entry(id, None)?;
            if let Some(specifier) = entry
                .as_any()
                .downcast_ref::<zbus_secret_service_keyring_store::cred::Specifier>(
            ) {
                return match specifier.set_label(label) {
                    Ok(()) | Err(Error::NoEntry) => Ok(()),
                    Err(e) => Err(classify(e)),
                };
            }
        }
        // Keychain and Credential Manager labels are set from service and user; nothing to do.
        let _ = (id, label);
        Ok(())
    }

    fn ids(&self) -> Result<Vec<String>, KeychainError> {
        let mut ids = self.listed_ids()?;
        ids.sort();
        ids.dedup();
        Ok(ids)
    }

    fn store_own(&self, name: &str, label: &str, bytes: &[u8]) -> Result<(), KeychainError> {
        self.entry_in(OWN_SERVICE, name, Some(label))?
            .set_secret(bytes)
            .map_err(classify)
    }

    fn load_own(&self, name: &str) -> Result<Option<Sensitive<Vec<u8>>>, KeychainError> {
        match self.entry_in(OWN_SERVICE, name, None)?.get_secret() {
            Ok(bytes) => Ok(Some(Sensitive::new(bytes))),
            Err(Error::NoEntry) => Ok(None),
            Err(e) => Err(classify(e)),
        }
    }

    fn delete_own(&self, name: &str) -> Result<(), KeychainError> {
        match self.entry_in(OWN_SERVICE, name, None)?.delete_credential() {
            Ok(()) | Err(Error::NoEntry) => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }
}

/// A key as the keychain holds it (base32 text), or `Damaged` for anything Tessera did not write.
fn parse_stored(id: &str, bytes: &[u8]) -> Result<Secret, KeychainError> {
    let damaged = || KeychainError::Damaged { id: id.to_owned() };
    let text = std::str::from_utf8(bytes).map_err(|_| damaged())?;
    Secret::parse(text).map_err(|_| damaged())
}

/// The target names of the accounts' credentials on Windows: `<id>.Tessera`. Not those of
/// Tessera's own keys (`automatic-backup-key.Tessera (own keys)`).
const WINDOWS_PATTERN: &str = r"\.Tessera$";

/// What to ask the store for to find every account's item. The Secret Service and the Keychain
/// search by service. The Credential Manager searches only with a regular expression over the
/// credential's target name, which the store builds as `<user>.<service>`; it refuses the
/// `service` key ("unknown key").
fn search_spec() -> HashMap<&'static str, &'static str> {
    if cfg!(target_os = "windows") {
        HashMap::from([("pattern", WINDOWS_PATTERN)])
    } else {
        HashMap::from([("service", SERVICE)])
    }
}

#[cfg(target_os = "linux")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(Error::NotSupportedByStore(
        "Tessera has no keychain for this operating system".into(),
    ))
}

/// Turns a keyring error into one the user can act on. Never formats variants that carry
/// secret bytes (`BadEncoding`, `BadDataFormat`).
fn classify(error: Error) -> KeychainError {
    match &error {
        Error::BadEncoding(_) | Error::BadDataFormat(..) => KeychainError::Failed {
            detail: "the keychain returned data Tessera did not write".into(),
        },
        _ => classify_text(&describe(&error)),
    }
}

/// A batch's failure part way through, in the words of the one-by-one path's errors: the bus or
/// the service gone, a collection locked meanwhile.
#[cfg(target_os = "linux")]
fn classify_batch(error: crate::secret_service::BatchError) -> KeychainError {
    use crate::secret_service::BatchError;
    match error {
        BatchError::Bus(e) => classify_text(&secret_service_text(&secret_service::Error::Zbus(e))),
        BatchError::NeedsPrompt => KeychainError::Locked,
        BatchError::Protocol(what) => KeychainError::Failed {
            detail: what.to_owned(),
        },
    }
}

/// A description of a keyring error that is safe to show: the platform error's text, or the
/// error's own for variants without secret data.
fn describe(error: &Error) -> String {
    match error {
        Error::PlatformFailure(inner) | Error::NoStorageAccess(inner) => {
            #[cfg(target_os = "linux")]
            if let Some(ss) = inner.downcast_ref::<secret_service::Error>() {
                return secret_service_text(ss);
            }
            inner.to_string()
        }
        Error::BadEncoding(_) | Error::BadDataFormat(..) => "unreadable data".into(),
        other => other.to_string(),
    }
}

/// Marker texts for the Secret Service conditions that have their own message.
const NO_BUS: &str = "no D-Bus session bus";
const NO_SERVICE: &str = "no Secret Service on the bus";
const LOCKED: &str = "keychain locked";

#[cfg(target_os = "linux")]
fn secret_service_text(error: &secret_service::Error) -> String {
    use secret_service::Error as E;
    match error {
        E::Locked | E::NoResult | E::Prompt | E::PromptDisconnected => LOCKED.into(),
        // secret-service reports a missing or unreachable bus socket as `Unavailable`.
        E::Unavailable
        | E::Zbus(
            zbus::Error::Address(_) | zbus::Error::InputOutput(_) | zbus::Error::Connection(..),
        ) => NO_BUS.into(),
        other => other.to_string(),
    }
}

fn classify_text(text: &str) -> KeychainError {
    match text {
        NO_BUS => KeychainError::NoSessionBus,
        NO_SERVICE => KeychainError::NoService,
        LOCKED => KeychainError::Locked,
        // "org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not
        // provided by any .service files"
        _ if text.contains("ServiceUnknown") => KeychainError::NoService,
        _ => KeychainError::Failed {
            detail: text.to_owned(),
        },
    }
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
