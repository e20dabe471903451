//! The keychain on Linux: the Secret Service through [`crate::secret_service`]. One connection
//! is kept and made again when the service went away (its daemon stopped or restarted), so a
//! window left open finds the keychain again without a restart.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tessera_core::{Secret, Sensitive};
use zbus::zvariant::OwnedObjectPath;

use super::places::{self, Places};
use super::{OWN_SERVICE, SERVICE, parse_stored};
use crate::error::{KeychainError, Provider};
use crate::secret_service::{BYTES, Client, TEXT};

#[derive(Default)]
pub(super) struct Store {
    client: Mutex<Option<Arc<Client>>>,
    /// The label of the collection new keys go to (`keychain_collection` in settings.json);
    /// `None`: the default one.
    collection: Option<String>,
    /// Where the places of the accounts read first are kept between runs ([`places`]).
    places_file: Option<PathBuf>,
    /// Read from `places_file` on the first key read; `None` until then.
    places: Mutex<Option<KnownPlaces>>,
}

/// Where accounts' items are: as the places file had them, and as known now (the file's, then
/// each item found by a read of one key).
#[derive(Default)]
struct KnownPlaces {
    kept: Places,
    known: Places,
}

/// A secret read, and the item it was read from.
type Found = (OwnedObjectPath, Sensitive<Vec<u8>>);

/// The most places known in memory: beyond, a key read one by one is not given a place.
const MAX_KNOWN: usize = 1024;

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let connected = self.client.lock().map(|c| c.is_some()).unwrap_or(false);
        f.debug_struct("Store")
            .field("connected", &connected)
            .finish()
    }
}

/// `load_all` searches for each id when the items are over this many times the ids: a search
/// costs gnome-keyring about what reading 3.5 items' attributes does.
const SEARCH_EACH_UNDER: usize = 4;
/// Up to this many ids (a screen of rows), `load_all` searches for each without counting the
/// items first: the count is a search for every item, the cost of a dozen searches by id.
const SEARCH_EACH_AT_MOST: usize = 32;

fn attributes<'a>(service: &'a str, user: &'a str) -> HashMap<&'a str, &'a str> {
    HashMap::from([("service", service), ("username", user)])
}

impl Store {
    /// The keychain, new keys going to the collection the user's settings choose.
    pub fn new() -> Self {
        let collection = crate::settings::SettingsFile::open_default()
            .ok()
            .and_then(|file| file.load().keychain_collection)
            .filter(|label| !label.trim().is_empty());
        Self {
            client: Mutex::default(),
            collection,
            places_file: places::default_file(),
            places: Mutex::default(),
        }
    }

    /// Runs `op` on the places known, read from the places file first if need be.
    fn with_places<T>(&self, op: impl FnOnce(&mut KnownPlaces) -> T) -> Option<T> {
        let mut slot = self.places.lock().ok()?;
        let places = slot.get_or_insert_with(|| {
            let kept = self
                .places_file
                .as_deref()
                .map(places::read)
                .unwrap_or_default();
            KnownPlaces {
                known: kept.clone(),
                kept,
            }
        });
        Some(op(places))
    }

    fn place_of(&self, id: &str) -> Option<OwnedObjectPath> {
        self.with_places(|places| places.known.get(id).cloned())
            .flatten()
    }

    /// Notes where the item of `id` is (`None`: nowhere, or not known).
    fn found_at(&self, id: &str, place: Option<OwnedObjectPath>) {
        self.with_places(|places| match place {
            Some(path) if places.known.len() < MAX_KNOWN || places.known.contains_key(id) => {
                places.known.insert(id.to_owned(), path);
            }
            Some(_) => {}
            None => {
                places.known.remove(id);
            }
        });
    }

    fn client(&self) -> Result<Arc<Client>, KeychainError> {
        let mut slot = self.client.lock().map_err(|_| KeychainError::Failed {
            detail: "the keychain connection is unusable after an earlier failure".into(),
        })?;
        if let Some(client) = slot.as_ref() {
            return Ok(client.clone());
        }
        let client = Arc::new(Client::connect()?);
        *slot = Some(client.clone());
        Ok(client)
    }

    fn forget(&self) {
        if let Ok(mut slot) = self.client.lock() {
            *slot = None;
        }
    }

    /// Runs `op` on the connection. When the service went away under it (restarted since the
    /// last call), `op` runs once more on a new connection to the same keychain; every
    /// operation here can run twice. A keychain that is gone, or replaced by another (a bus
    /// that activates gnome-keyring when KeePassXC dies), is an error.
    fn with<T>(
        &self,
        op: impl Fn(&Client) -> Result<T, KeychainError>,
    ) -> Result<T, KeychainError> {
        let client = self.client()?;
        match op(&client) {
            Err(KeychainError::Stopped(provider)) => {
                self.forget();
                match self.client() {
                    Ok(again) if *again.provider() == provider => {
                        let result = op(&again);
                        if matches!(
                            result,
                            Err(KeychainError::Stopped(_) | KeychainError::NoService)
                        ) {
                            self.forget();
                        }
                        result
                    }
                    _ => {
                        self.forget();
                        Err(KeychainError::Stopped(provider))
                    }
                }
            }
            Err(e @ KeychainError::NoService) => {
                self.forget();
                Err(e)
            }
            result => result,
        }
    }

    /// Which keychain answers, connecting if need be.
    pub fn provider(&self) -> Result<Provider, KeychainError> {
        Ok(self.client()?.provider().clone())
    }

    /// Whether secrets cross the bus encrypted (false where the service refused it).
    pub fn is_encrypted(&self) -> Result<bool, KeychainError> {
        Ok(self.client()?.is_encrypted())
    }

    fn store_in(
        &self,
        service: &str,
        user: &str,
        label: &str,
        bytes: &[u8],
        content_type: &str,
    ) -> Result<(), KeychainError> {
        self.with(|client| {
            let collection = client.collection(self.collection.as_deref())?;
            client.create(
                &collection,
                label,
                &attributes(service, user),
                bytes,
                content_type,
            )?;
            Ok(())
        })
    }

    /// The secret of the item with these attributes, and where it is.
    fn load_in(&self, service: &str, user: &str) -> Result<Option<Found>, KeychainError> {
        self.with(|client| {
            let found = client.find(&attributes(service, user))?;
            let Some(first) = found.first() else {
                return Ok(None);
            };
            // Missing from the answer: deleted since it was found.
            Ok(client
                .secrets(std::slice::from_ref(first))?
                .remove(first)
                .map(|secret| (first.clone(), secret)))
        })
    }

    fn delete_in(&self, service: &str, user: &str) -> Result<(), KeychainError> {
        self.with(|client| {
            for item in client.find(&attributes(service, user))? {
                client.delete(&item)?;
            }
            Ok(())
        })
    }

    pub fn store(&self, id: &str, label: &str, secret: &Secret) -> Result<(), KeychainError> {
        self.found_at(id, None);
        self.store_in(SERVICE, id, label, secret.to_base32().as_bytes(), TEXT)
    }

    /// The key of `id`: from the item where it was last found, if that item still holds it
    /// (any failure there is left to the search), else searched for.
    pub fn load(&self, id: &str) -> Result<Option<Secret>, KeychainError> {
        if let Some(place) = self.place_of(id)
            && let Ok(Some(bytes)) =
                self.with(|client| client.secret_at(&place, &attributes(SERVICE, id)))
        {
            return parse_stored(id, &bytes).map(Some);
        }
        let found = self.load_in(SERVICE, id)?;
        let (place, bytes) = found.unzip();
        self.found_at(id, place);
        bytes.map(|bytes| parse_stored(id, &bytes)).transpose()
    }

    /// Keeps where the items of `ids` are (those known, [`places::MAX_KEPT`] at most) for the
    /// next run, whose first reads they are; the file is written only when that changed.
    pub fn remember_where(&self, ids: &[&str]) -> Result<(), crate::VaultError> {
        let Some(file) = &self.places_file else {
            return Ok(());
        };
        self.with_places(|places| {
            let wanted: Places = ids
                .iter()
                .filter_map(|id| Some(((*id).to_owned(), places.known.get(*id)?.clone())))
                .take(places::MAX_KEPT)
                .collect();
            if wanted == places.kept {
                return Ok(());
            }
            places::write(file, &wanted)?;
            places.kept = wanted;
            Ok(())
        })
        .unwrap_or(Ok(()))
    }

    /// Every key in a few calls: the items found, then which id each holds, then their secrets in
    /// one `GetSecrets`. Which id an item holds is read from every item's attributes at once, or,
    /// for a few ids among many items, by a search for each id: gnome-keyring finds an item by
    /// looking through the collection, so each call grows with it (at 10,000 items, 2.5 ms for
    /// one item's attributes, 8.6 ms for a search by id, 0.6 ms a secret, 106 ms the search for
    /// every item): 250 keys took 25 s through every item's attributes, 2 s searched for.
    pub fn load_all(&self, ids: &[&str]) -> Result<Vec<Option<Secret>>, KeychainError> {
        let mut found = self.with(|client| {
            let few = ids.len() <= SEARCH_EACH_AT_MOST;
            let items = if few {
                Vec::new()
            } else {
                client.find(&HashMap::from([("service", SERVICE)]))?
            };
            let mut by_user = HashMap::with_capacity(ids.len());
            if few || ids.len() * SEARCH_EACH_UNDER < items.len() {
                // Every item's place is not needed while each id is searched for: at 10,000
                // items a megabyte, held for the batch's seconds of searches.
                drop(items);
                for id in ids {
                    if let Some(first) = client.find(&attributes(SERVICE, id))?.into_iter().next() {
                        by_user.entry((*id).to_owned()).or_insert(first);
                    }
                }
            } else {
                for (item, attributes) in items.iter().zip(client.attributes(&items)?) {
                    if let Some(user) = attributes.and_then(|mut a| a.remove("username")) {
                        // An id held by two items: the first, as a single read takes.
                        by_user.entry(user).or_insert_with(|| item.clone());
                    }
                }
            }
            let wanted: Vec<_> = ids
                .iter()
                .filter_map(|id| by_user.get(*id).cloned())
                .collect();
            let mut secrets = client.secrets(&wanted)?;
            Ok(by_user
                .into_iter()
                .filter_map(|(user, item)| secrets.remove(&item).map(|s| (user, s)))
                .collect::<HashMap<_, _>>())
        })?;
        ids.iter()
            .map(|id| match found.remove(*id) {
                Some(bytes) => parse_stored(id, &bytes).map(Some),
                None => Ok(None),
            })
            .collect()
    }

    pub fn store_all(
        &self,
        items: &[(&str, &str, &Secret)],
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), KeychainError> {
        let texts: Vec<Sensitive<String>> = items.iter().map(|(_, _, s)| s.to_base32()).collect();
        let batch: Vec<(HashMap<&str, &str>, &str, &[u8])> = items
            .iter()
            .zip(&texts)
            .map(|((id, label, _), text)| (attributes(SERVICE, id), *label, text.as_bytes()))
            .collect();
        let progress = std::cell::RefCell::new(progress);
        self.with(|client| {
            let collection = client.collection(self.collection.as_deref())?;
            client.create_many(&collection, &batch, TEXT, &mut |n| {
                (progress.borrow_mut())(n)
            })
        })
    }

    pub fn delete(&self, id: &str) -> Result<(), KeychainError> {
        self.found_at(id, None);
        self.delete_in(SERVICE, id)
    }

    pub fn relabel(&self, id: &str, label: &str) -> Result<(), KeychainError> {
        self.with(|client| {
            for item in client.find(&attributes(SERVICE, id))? {
                client.set_label(&item, label)?;
            }
            Ok(())
        })
    }

    pub fn ids(&self) -> Result<Vec<String>, KeychainError> {
        self.with(|client| {
            let items = client.find(&HashMap::from([("service", SERVICE)]))?;
            Ok(client
                .attributes(&items)?
                .into_iter()
                .flatten()
                .filter_map(|mut a| a.remove("username"))
                .collect())
        })
    }

    pub fn store_own(&self, name: &str, label: &str, bytes: &[u8]) -> Result<(), KeychainError> {
        self.store_in(OWN_SERVICE, name, label, bytes, BYTES)
    }

    pub fn load_own(&self, name: &str) -> Result<Option<Sensitive<Vec<u8>>>, KeychainError> {
        Ok(self.load_in(OWN_SERVICE, name)?.map(|(_, secret)| secret))
    }

    pub fn delete_own(&self, name: &str) -> Result<(), KeychainError> {
        self.delete_in(OWN_SERVICE, name)
    }
}
