//! The keychain on macOS and Windows: the Keychain and the Credential Manager, through
//! keyring-core. One item per account, read and written one at a time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use keyring_core::api::CredentialStore;
use keyring_core::{Entry, Error};
use tessera_core::{Secret, Sensitive};

use super::{OWN_SERVICE, SERVICE, WINDOWS_PATTERN, parse_stored};
use crate::error::{KeychainError, Provider};

/// The platform keychain, connected on first use. A failure to connect is not kept: the next
/// call tries again.
#[derive(Default)]
pub(super) struct Store {
    store: Mutex<Option<Arc<CredentialStore>>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let connected = self.store.lock().map(|s| s.is_some()).unwrap_or(false);
        f.debug_struct("Store")
            .field("connected", &connected)
            .finish()
    }
}

impl Store {
    pub fn new() -> Self {
        Self::default()
    }

    fn connected(&self) -> Result<Arc<CredentialStore>, KeychainError> {
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

    fn entry_in(&self, service: &str, id: &str) -> Result<Entry, KeychainError> {
        self.connected()?.build(service, id, None).map_err(classify)
    }

    /// Nothing to keep: the Keychain and the Credential Manager find an item by its name.
    pub fn remember_where(&self, _ids: &[&str]) -> Result<(), crate::VaultError> {
        Ok(())
    }

    pub fn provider(&self) -> Result<Provider, KeychainError> {
        Ok(Provider::Unknown)
    }

    pub fn is_encrypted(&self) -> Result<bool, KeychainError> {
        Ok(true)
    }

    pub fn store(&self, id: &str, _label: &str, secret: &Secret) -> Result<(), KeychainError> {
        self.entry_in(SERVICE, id)?
            .set_secret(secret.to_base32().as_bytes())
            .map_err(classify)
    }

    pub fn load(&self, id: &str) -> Result<Option<Secret>, KeychainError> {
        match self.entry_in(SERVICE, id)?.get_secret() {
            Ok(bytes) => parse_stored(id, &Sensitive::new(bytes)).map(Some),
            Err(Error::NoEntry) => Ok(None),
            Err(e) => Err(classify(e)),
        }
    }

    pub fn load_all(&self, ids: &[&str]) -> Result<Vec<Option<Secret>>, KeychainError> {
        ids.iter().map(|id| self.load(id)).collect()
    }

    pub fn store_all(
        &self,
        items: &[(&str, &str, &Secret)],
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), KeychainError> {
        for (done, (id, label, secret)) in items.iter().enumerate() {
            self.store(id, label, secret)?;
            progress(done + 1);
        }
        Ok(())
    }

    pub fn delete(&self, id: &str) -> Result<(), KeychainError> {
        match self.entry_in(SERVICE, id)?.delete_credential() {
            Ok(()) | Err(Error::NoEntry) => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }

    /// Keychain and Credential Manager labels are made from service and user: nothing to do.
    pub fn relabel(&self, _id: &str, _label: &str) -> Result<(), KeychainError> {
        Ok(())
    }

    /// Every account id the keychain holds an item for, or an error: a partial list (a locked
    /// item left out) would make accounts look keyless and items orphaned.
    pub fn ids(&self) -> Result<Vec<String>, KeychainError> {
        let found = self.connected()?.search(&search_spec()).map_err(classify)?;
        let mut ids = Vec::with_capacity(found.len());
        for entry in &found {
            // The store gives no specifiers for an item it can't read: a locked one.
            match entry.get_specifiers() {
                Some((service, user)) if service == SERVICE => ids.push(user),
                Some(_) => {}
                None => return Err(KeychainError::Locked(Provider::Unknown)),
            }
        }
        Ok(ids)
    }

    pub fn store_own(&self, name: &str, _label: &str, bytes: &[u8]) -> Result<(), KeychainError> {
        self.entry_in(OWN_SERVICE, name)?
            .set_secret(bytes)
            .map_err(classify)
    }

    pub fn load_own(&self, name: &str) -> Result<Option<Sensitive<Vec<u8>>>, KeychainError> {
        match self.entry_in(OWN_SERVICE, name)?.get_secret() {
            Ok(bytes) => Ok(Some(Sensitive::new(bytes))),
            Err(Error::NoEntry) => Ok(None),
            Err(e) => Err(classify(e)),
        }
    }

    pub fn delete_own(&self, name: &str) -> Result<(), KeychainError> {
        match self.entry_in(OWN_SERVICE, name)?.delete_credential() {
            Ok(()) | Err(Error::NoEntry) => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }
}

/// What to ask the store for to find every account's item. The Keychain searches by service.
/// The Credential Manager searches only with a regular expression over the credential's target
/// name, which the store builds as `<user>.<service>`; it refuses the `service` key.
fn search_spec() -> HashMap<&'static str, &'static str> {
    if cfg!(target_os = "windows") {
        HashMap::from([("pattern", WINDOWS_PATTERN)])
    } else {
        HashMap::from([("service", SERVICE)])
    }
}

#[cfg(target_os = "macos")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(target_os = "macos", target_os = "windows")))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(Error::NotSupportedByStore(
        "Tessera has no keychain for this operating system".into(),
    ))
}

/// Turns a keyring error into one the user can act on. Never formats variants that carry
/// secret bytes (`BadEncoding`, `BadDataFormat`).
fn classify(error: Error) -> KeychainError {
    let detail = match &error {
        Error::BadEncoding(_) | Error::BadDataFormat(..) => {
            "the keychain returned data Tessera did not write".to_owned()
        }
        Error::NoStorageAccess(inner) => {
            return if inner.to_string().to_lowercase().contains("lock") {
                KeychainError::Locked(Provider::Unknown)
            } else {
                KeychainError::Failed {
                    detail: inner.to_string(),
                }
            };
        }
        Error::PlatformFailure(inner) => inner.to_string(),
        other => other.to_string(),
    };
    KeychainError::Failed { detail }
}
