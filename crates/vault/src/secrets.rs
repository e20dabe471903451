//! The `SecretStore` trait the vault keeps keys in, a cache in front of any store (the window's),
//! and an in-memory store for unit tests of the logic above it. The real one is [`crate::keychain::Keychain`]; tests that claim keychain
//! behaviour use it against a real Secret Service.

use std::collections::{HashMap, HashSet};
use std::sync::{Condvar, Mutex};

use tessera_core::{Secret, Sensitive};

use crate::error::KeychainError;

/// Where secret keys are kept, one item per account id.
pub trait SecretStore {
    /// Stores (or replaces) the key of account `id`. `label` is what a person sees in the
    /// platform's keychain viewer.
    fn store(&self, id: &str, label: &str, secret: &Secret) -> Result<(), KeychainError>;
    /// The key of account `id`; `None` when there is no such item.
    fn load(&self, id: &str) -> Result<Option<Secret>, KeychainError>;
    /// Deletes the key of account `id`; deleting a missing item is not an error.
    fn delete(&self, id: &str) -> Result<(), KeychainError>;
    /// The keys of accounts `ids`, in order (`None` where there is no item). A store that can
    /// read many items at once does; this default reads them one by one.
    fn load_all(&self, ids: &[&str]) -> Result<Vec<Option<Secret>>, KeychainError> {
        ids.iter().map(|id| self.load(id)).collect()
    }
    /// Stores (or replaces) many keys, `(id, label, key)`, calling `progress(stored)` as they
    /// are stored. On an error, any of them may have been stored: the caller deletes them all.
    /// A store that can write many items at once does; this default writes them one by one.
    fn store_all(
        &self,
        items: &[(&str, &str, &Secret)],
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), KeychainError> {
        store_each(self, items, progress)
    }
    /// Changes the label a person sees, where the platform allows it.
    fn relabel(&self, id: &str, label: &str) -> Result<(), KeychainError>;
    /// The account ids of every item the store holds under Tessera's name, for `doctor`: all of
    /// them or an error (a store that can't list its items, or can't read some, locked).
    fn ids(&self) -> Result<Vec<String>, KeychainError>;
    /// Notes that the keys of `ids` are the ones read first at the next start, so that a store
    /// which finds items slowly keeps where they are (the Secret Service: see
    /// `keychain/places.rs`). A cache: failing to keep them costs that start its speed alone, so
    /// nothing is reported. The default keeps nothing.
    fn remember_where(&self, _ids: &[&str]) {}
    /// Stores (or replaces) one of Tessera's own secrets that belong to no account (the
    /// automatic backups' key), under `name`; apart from the accounts' items, so `ids` and
    /// `doctor` never see it.
    fn store_own(&self, name: &str, label: &str, bytes: &[u8]) -> Result<(), KeychainError>;
    /// One of Tessera's own secrets; `None` when there is none under `name`.
    fn load_own(&self, name: &str) -> Result<Option<Sensitive<Vec<u8>>>, KeychainError>;
    /// Deletes one of Tessera's own secrets; a missing one is not an error.
    fn delete_own(&self, name: &str) -> Result<(), KeychainError>;
}

/// Stores `items` one by one, calling `progress(stored)` after each: `store_all`'s way for a
/// store that can't write many at once.
pub(crate) fn store_each<S: SecretStore + ?Sized>(
    store: &S,
    items: &[(&str, &str, &Secret)],
    progress: &mut dyn FnMut(usize),
) -> Result<(), KeychainError> {
    for (done, (id, label, secret)) in items.iter().enumerate() {
        store.store(id, label, secret)?;
        progress(done + 1);
    }
    Ok(())
}

/// A store that remembers the keys it has read or written, so that the window refreshes codes
/// and checks for duplicates without a keychain round trip each time. An id's key never changes
/// (re-enrolment gives the account a new id), so what is remembered is never stale. Keys are
/// zeroed when forgotten or dropped.
///
/// A key being read by `load` is waited for by a second `load` of it, not read again: the
/// window's first codes and the start's warm-up ask for the same keys at once, and each read
/// made the other's slower (at 10,000 items in gnome-keyring, 24 keys took 430 ms instead of
/// about 200).
#[derive(Debug, Default)]
pub struct CachedStore<S> {
    inner: S,
    keys: Mutex<HashMap<String, Secret>>,
    /// The ids `load` is reading now, and the signal that a read ended.
    reading: (Mutex<HashSet<String>>, Condvar),
}

/// What a `load` not answered from the cache does.
enum Claim<'a> {
    /// Another read found the key meanwhile.
    Found(Secret),
    /// It reads the key, the others wait.
    Read(Reading<'a>),
    /// It reads the key unguarded (a lock poisoned by a panic elsewhere).
    Unguarded,
}

/// An id being read: taken out of `reading` when the read ends, however it ends.
struct Reading<'a> {
    reading: &'a (Mutex<HashSet<String>>, Condvar),
    id: &'a str,
}

impl Drop for Reading<'_> {
    fn drop(&mut self) {
        let (ids, ended) = self.reading;
        if let Ok(mut ids) = ids.lock() {
            ids.remove(self.id);
        }
        ended.notify_all();
    }
}

impl<S: SecretStore> CachedStore<S> {
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            keys: Mutex::default(),
            reading: Default::default(),
        }
    }

    fn cached(&self, id: &str) -> Option<Secret> {
        self.keys.lock().ok().and_then(|k| k.get(id).cloned())
    }

    /// Waits while another `load` reads `id`, then takes the key it found, or the read.
    fn claim<'a>(&'a self, id: &'a str) -> Claim<'a> {
        let (ids, ended) = &self.reading;
        let Ok(mut now) = ids.lock() else {
            return Claim::Unguarded;
        };
        while now.contains(id) {
            match ended.wait(now) {
                Ok(guard) => now = guard,
                Err(_) => return Claim::Unguarded,
            }
        }
        if let Some(secret) = self.cached(id) {
            return Claim::Found(secret);
        }
        now.insert(id.to_owned());
        Claim::Read(Reading {
            reading: &self.reading,
            id,
        })
    }

    /// Forgets the keys of ids not in `keep` (accounts removed meanwhile).
    pub fn keep_only(&self, keep: &[&str]) {
        // A set: looked up in the list, 10,000 keys kept took 10,000 times 10,000 comparisons.
        let keep: HashSet<&str> = keep.iter().copied().collect();
        if let Ok(mut keys) = self.keys.lock() {
            keys.retain(|id, _| keep.contains(id.as_str()));
        }
    }

    fn remember(&self, id: &str, secret: &Secret) {
        if let Ok(mut keys) = self.keys.lock() {
            keys.insert(id.to_owned(), secret.clone());
        }
    }
}

impl<S: SecretStore> SecretStore for CachedStore<S> {
    fn store(&self, id: &str, label: &str, secret: &Secret) -> Result<(), KeychainError> {
        self.inner.store(id, label, secret)?;
        self.remember(id, secret);
        Ok(())
    }

    fn load(&self, id: &str) -> Result<Option<Secret>, KeychainError> {
        if let Some(secret) = self.cached(id) {
            return Ok(Some(secret));
        }
        let _reading = match self.claim(id) {
            Claim::Found(secret) => return Ok(Some(secret)),
            Claim::Read(reading) => Some(reading),
            Claim::Unguarded => None,
        };
        // Read outside the locks: a keychain read takes milliseconds, or an unlock prompt.
        let loaded = self.inner.load(id)?;
        if let Some(secret) = &loaded {
            self.remember(id, secret);
        }
        Ok(loaded)
    }

    fn delete(&self, id: &str) -> Result<(), KeychainError> {
        if let Ok(mut keys) = self.keys.lock() {
            keys.remove(id);
        }
        self.inner.delete(id)
    }

    fn load_all(&self, ids: &[&str]) -> Result<Vec<Option<Secret>>, KeychainError> {
        let cached: Vec<Option<Secret>> = match self.keys.lock() {
            Ok(keys) => ids.iter().map(|id| keys.get(*id).cloned()).collect(),
            Err(_) => vec![None; ids.len()],
        };
        let unread: Vec<&str> = ids
            .iter()
            .zip(&cached)
            .filter(|(_, key)| key.is_none())
            .map(|(id, _)| *id)
            .collect();
        if unread.is_empty() {
            return Ok(cached);
        }
        let mut read = self.inner.load_all(&unread)?.into_iter();
        Ok(ids
            .iter()
            .zip(cached)
            .map(|(id, key)| {
                key.or_else(|| {
                    let loaded = read.next().flatten();
                    if let Some(secret) = &loaded {
                        self.remember(id, secret);
                    }
                    loaded
                })
            })
            .collect())
    }

    fn store_all(
        &self,
        items: &[(&str, &str, &Secret)],
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), KeychainError> {
        self.inner.store_all(items, progress)?;
        for (id, _, secret) in items {
            self.remember(id, secret);
        }
        Ok(())
    }

    fn relabel(&self, id: &str, label: &str) -> Result<(), KeychainError> {
        self.inner.relabel(id, label)
    }

    fn ids(&self) -> Result<Vec<String>, KeychainError> {
        self.inner.ids()
    }

    fn remember_where(&self, ids: &[&str]) {
        self.inner.remember_where(ids);
    }

    fn store_own(&self, name: &str, label: &str, bytes: &[u8]) -> Result<(), KeychainError> {
        self.inner.store_own(name, label, bytes)
    }

    fn load_own(&self, name: &str) -> Result<Option<Sensitive<Vec<u8>>>, KeychainError> {
        self.inner.load_own(name)
    }

    fn delete_own(&self, name: &str) -> Result<(), KeychainError> {
        self.inner.delete_own(name)
    }
}

/// Items by account id: the label and the key.
type Items = HashMap<String, (String, Secret)>;

/// Keys in memory, for unit tests. Never the proof that the keychain works.
#[derive(Debug, Default)]
pub struct MemoryStore {
    items: Mutex<Items>,
    own: Mutex<HashMap<String, Sensitive<Vec<u8>>>>,
    /// When set, every call fails as an unreachable keychain would.
    pub unavailable: std::sync::atomic::AtomicBool,
    /// When `Some(n)`, n more stores succeed and the ones after fail.
    pub stores_allowed: Mutex<Option<usize>>,
}

impl MemoryStore {
    fn items(&self) -> Result<std::sync::MutexGuard<'_, Items>, KeychainError> {
        if self.unavailable.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(KeychainError::NoService);
        }
        self.items.lock().map_err(|_| KeychainError::Failed {
            detail: "memory store poisoned".into(),
        })
    }

    /// The label of an item, for tests.
    pub fn label(&self, id: &str) -> Option<String> {
        self.items().ok()?.get(id).map(|(label, _)| label.clone())
    }

    /// How many items are stored, for tests.
    pub fn len(&self) -> usize {
        self.items().map(|i| i.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl SecretStore for MemoryStore {
    fn store(&self, id: &str, label: &str, secret: &Secret) -> Result<(), KeychainError> {
        if let Ok(mut allowed) = self.stores_allowed.lock()
            && let Some(n) = allowed.as_mut()
        {
            if *n == 0 {
                return Err(KeychainError::Failed {
                    detail: "store refused (test)".into(),
                });
            }
            *n -= 1;
        }
        self.items()?
            .insert(id.to_owned(), (label.to_owned(), secret.clone()));
        Ok(())
    }

    fn load(&self, id: &str) -> Result<Option<Secret>, KeychainError> {
        Ok(self.items()?.get(id).map(|(_, s)| s.clone()))
    }

    fn delete(&self, id: &str) -> Result<(), KeychainError> {
        self.items()?.remove(id);
        Ok(())
    }

    fn relabel(&self, id: &str, label: &str) -> Result<(), KeychainError> {
        if let Some(item) = self.items()?.get_mut(id) {
            item.0 = label.to_owned();
        }
        Ok(())
    }

    fn ids(&self) -> Result<Vec<String>, KeychainError> {
        let mut ids: Vec<String> = self.items()?.keys().cloned().collect();
        ids.sort();
        Ok(ids)
    }

    fn store_own(&self, name: &str, _label: &str, bytes: &[u8]) -> Result<(), KeychainError> {
        drop(self.items()?); // fails as the keychain would when it is unavailable
        if let Ok(mut own) = self.own.lock() {
            own.insert(name.to_owned(), Sensitive::new(bytes.to_vec()));
        }
        Ok(())
    }

    fn load_own(&self, name: &str) -> Result<Option<Sensitive<Vec<u8>>>, KeychainError> {
        drop(self.items()?); // fails as the keychain would when it is unavailable
        Ok(self.own.lock().ok().and_then(|own| own.get(name).cloned()))
    }

    fn delete_own(&self, name: &str) -> Result<(), KeychainError> {
        drop(self.items()?); // fails as the keychain would when it is unavailable
        if let Ok(mut own) = self.own.lock() {
            own.remove(name);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    // Test code: an unwrap that fails is a failing test.
    #![allow(clippy::unwrap_used)]

    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    /// A store whose reads take a while, counted.
    #[derive(Default)]
    struct Slow {
        keys: MemoryStore,
        reads: AtomicUsize,
    }

    impl SecretStore for Slow {
        fn store(&self, id: &str, label: &str, secret: &Secret) -> Result<(), KeychainError> {
            self.keys.store(id, label, secret)
        }
        fn load(&self, id: &str) -> Result<Option<Secret>, KeychainError> {
            self.reads.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(100));
            self.keys.load(id)
        }
        fn delete(&self, id: &str) -> Result<(), KeychainError> {
            self.keys.delete(id)
        }
        fn relabel(&self, id: &str, label: &str) -> Result<(), KeychainError> {
            self.keys.relabel(id, label)
        }
        fn ids(&self) -> Result<Vec<String>, KeychainError> {
            self.keys.ids()
        }
        fn store_own(&self, name: &str, label: &str, bytes: &[u8]) -> Result<(), KeychainError> {
            self.keys.store_own(name, label, bytes)
        }
        fn load_own(&self, name: &str) -> Result<Option<Sensitive<Vec<u8>>>, KeychainError> {
            self.keys.load_own(name)
        }
        fn delete_own(&self, name: &str) -> Result<(), KeychainError> {
            self.keys.delete_own(name)
        }
    }

    /// Loads `id` from four threads at once: what each got.
    fn four_loads(cache: &CachedStore<Slow>, id: &str) -> Vec<Option<Secret>> {
        std::thread::scope(|s| {
            let loads: Vec<_> = (0..4).map(|_| s.spawn(|| cache.load(id))).collect();
            loads
                .into_iter()
                .map(|l| l.join().unwrap().unwrap())
                .collect()
        })
    }

    #[test]
    fn a_key_asked_for_while_it_is_read_is_read_once() {
        let key = Secret::parse("JBSWY3DPEHPK3PXP").unwrap();
        let slow = Slow::default();
        slow.keys.store("a", "A", &key).unwrap();
        let cache = CachedStore::new(slow);
        let got = four_loads(&cache, "a");
        assert!(got.iter().all(|k| k.as_ref() == Some(&key)), "{got:?}");
        assert_eq!(cache.inner.reads.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_key_not_found_is_looked_for_again_by_each() {
        // Nothing is remembered of a missing key: it may be stored meanwhile.
        let cache = CachedStore::new(Slow::default());
        assert!(four_loads(&cache, "gone").iter().all(Option::is_none));
        assert_eq!(cache.inner.reads.load(Ordering::SeqCst), 4);
    }
}
