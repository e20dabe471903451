//! Many keys in a few D-Bus calls, straight to the Secret Service (Linux).
//!
//! keyring-core reads and writes one item at a time, each a handful of round trips (a search,
//! the item's properties, then its secret): 1,000 keys took 1.1 s to read, and a write also read
//! the default collection's list of every item. Here, over one connection and one encrypted
//! session:
//! - [`Batch::read`]: one `SearchItems` for the service, the items' `Attributes` (which account
//!   each is) sent all at once and answered in one stream, then one `GetSecrets` for every
//!   unlocked item;
//! - [`Batch::create`]: the `CreateItem` calls sent ahead of their answers, a window at a time.
//!
//! Items are exactly what keyring-core writes (attributes `service` and `username`, the label,
//! content type `application/octet-stream`), so either side reads and deletes what the other
//! wrote. What a batch can't do without a person (an unlock prompt: gnome-keyring leaves locked
//! items out of `GetSecrets` and asks for a prompt on `CreateItem` in a locked collection) is
//! left to the caller's one-at-a-time path, which prompts.
//!
//! The session is the one libsecret and keyring-core use, `dh-ietf1024-sha256-aes128-cbc-pkcs7`:
//! a Diffie-Hellman exchange in the 1024-bit group of RFC 2409, HKDF-SHA256 (ring) to an
//! AES-128 key, AES-CBC with PKCS#7 padding (RustCrypto's aes and cbc).

use std::collections::HashMap;

use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use futures_util::{StreamExt, TryStreamExt};
use num_bigint::BigUint;
use ring::rand::{SecureRandom, SystemRandom};
use tessera_core::Sensitive;
use zbus::zvariant::{ObjectPath, OwnedObjectPath, OwnedValue, Value};

const DESTINATION: &str = "org.freedesktop.secrets";
const SERVICE_PATH: &str = "/org/freedesktop/secrets";
const SERVICE_IFACE: &str = "org.freedesktop.Secret.Service";
const COLLECTION_IFACE: &str = "org.freedesktop.Secret.Collection";
const ITEM_IFACE: &str = "org.freedesktop.Secret.Item";
const SESSION_IFACE: &str = "org.freedesktop.Secret.Session";
const PROPERTIES_IFACE: &str = "org.freedesktop.DBus.Properties";
const ALGORITHM: &str = "dh-ietf1024-sha256-aes128-cbc-pkcs7";
const CONTENT_TYPE: &str = "application/octet-stream";

/// How many calls are on their way at once: enough to keep the service busy without a wait for
/// each answer, few enough that a failure stops the rest soon.
const IN_FLIGHT: usize = 64;

/// The 1024-bit MODP group of RFC 2409 (Second Oakley Group), generator 2.
const DH_PRIME: [u8; 128] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xC9, 0x0F, 0xDA, 0xA2, 0x21, 0x68, 0xC2, 0x34,
    0xC4, 0xC6, 0x62, 0x8B, 0x80, 0xDC, 0x1C, 0xD1, 0x29, 0x02, 0x4E, 0x08, 0x8A, 0x67, 0xCC, 0x74,
    0x02, 0x0B, 0xBE, 0xA6, 0x3B, 0x13, 0x9B, 0x22, 0x51, 0x4A, 0x08, 0x79, 0x8E, 0x34, 0x04, 0xDD,
    0xEF, 0x95, 0x19, 0xB3, 0xCD, 0x3A, 0x43, 0x1B, 0x30, 0x2B, 0x0A, 0x6D, 0xF2, 0x5F, 0x14, 0x37,
    0x4F, 0xE1, 0x35, 0x6D, 0x6D, 0x51, 0xC2, 0x45, 0xE4, 0x85, 0xB5, 0x76, 0x62, 0x5E, 0x7E, 0xC6,
    0xF4, 0x4C, 0x42, 0xE9, 0xA6, 0x37, 0xED, 0x6B, 0x0B, 0xFF, 0x5C, 0xB6, 0xF4, 0x06, 0xB7, 0xED,
    0xEE, 0x38, 0x6B, 0xFB, 0x5A, 0x89, 0x9F, 0xA5, 0xAE, 0x9F, 0x24, 0x11, 0x7C, 0x4B, 0x1F, 0xE6,
    0x49, 0x28, 0x66, 0x51, 0xEC, 0xE6, 0x53, 0x81, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
];

/// Why a batch could not be done; the caller falls back to one item at a time, which reports
/// the condition in its own words (no bus, no service, locked).
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error(transparent)]
    Bus(#[from] zbus::Error),
    #[error("the Secret Service answered with what the protocol does not allow: {0}")]
    Protocol(&'static str),
    /// The default collection is locked, or missing: creating items needs a prompt.
    #[error("the default collection can't take items without a prompt")]
    NeedsPrompt,
}

/// A secret as the Secret Service carries it: session, parameters (the IV), value, type.
type SecretStruct = (OwnedObjectPath, Vec<u8>, Vec<u8>, String);

/// One connection and one encrypted session, closed when dropped.
pub struct Batch {
    connection: zbus::blocking::Connection,
    session: OwnedObjectPath,
    key: Sensitive<Vec<u8>>,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("session", &self.session.as_str())
            .finish_non_exhaustive()
    }
}

/// Keys read by [`Batch::read`], by account id.
pub type Found = HashMap<String, Sensitive<Vec<u8>>>;

impl Batch {
    /// Connects to the session bus and opens an encrypted session.
    pub fn open() -> Result<Self, BatchError> {
        let connection = zbus::blocking::Connection::session()?;
        let random = SystemRandom::new();
        let mut private = Sensitive::new(vec![0u8; 128]);
        random
            .fill(&mut private)
            .map_err(|_| BatchError::Protocol("no randomness for the session key"))?;
        let prime = BigUint::from_bytes_be(&DH_PRIME);
        let private = BigUint::from_bytes_be(&private);
        let public = BigUint::from(2u8).modpow(&private, &prime);
        let reply = connection.call_method(
            Some(DESTINATION),
            SERVICE_PATH,
            Some(SERVICE_IFACE),
            "OpenSession",
            &(ALGORITHM, Value::from(public.to_bytes_be())),
        )?;
        let (output, session): (OwnedValue, OwnedObjectPath) = reply.body().deserialize()?;
        let theirs: Vec<u8> = output
            .try_into()
            .map_err(|_| BatchError::Protocol("the session's public key is not bytes"))?;
        let theirs = BigUint::from_bytes_be(&theirs);
        if theirs <= BigUint::from(1u8) || theirs >= &prime - 1u8 {
            return Err(BatchError::Protocol(
                "the session's public key is out of range",
            ));
        }
        let shared = Sensitive::new(theirs.modpow(&private, &prime).to_bytes_be());
        // The shared secret as 128 bytes, big-endian, zero-padded on the left.
        let mut ikm = Sensitive::new(vec![0u8; 128]);
        ikm[128 - shared.len()..].copy_from_slice(&shared);
        let mut key = Sensitive::new(vec![0u8; 16]);
        // An empty salt is HKDF's default (a hash-length string of zeros: HMAC pads its key).
        ring::hkdf::Salt::new(ring::hkdf::HKDF_SHA256, &[])
            .extract(&ikm)
            .expand(&[], AesKeyLength)
            .and_then(|okm| okm.fill(&mut key))
            .map_err(|_| BatchError::Protocol("the session key could not be derived"))?;
        Ok(Self {
            connection,
            session,
            key,
        })
    }

    /// The account ids (`username`) of the items filed under `service`, and how many of them
    /// are locked (their ids are not read).
    pub fn ids(&self, service: &str) -> Result<(Vec<String>, usize), BatchError> {
        let (unlocked, locked) = self.search(service)?;
        let ids = self.usernames(&unlocked)?.into_iter().flatten().collect();
        Ok((ids, locked.len()))
    }

    /// The keys of every unlocked item filed under `service`, by the `username` attribute (the
    /// account id). Locked items, items that vanished meanwhile, items whose secret can't be
    /// decrypted and ids held by two items are left out, for the caller to read one at a time.
    pub fn read(&self, service: &str) -> Result<Found, BatchError> {
        let (unlocked, _locked) = self.search(service)?;
        if unlocked.is_empty() {
            return Ok(Found::new());
        }
        let users = self.usernames(&unlocked)?;
        let reply = self.connection.call_method(
            Some(DESTINATION),
            SERVICE_PATH,
            Some(SERVICE_IFACE),
            "GetSecrets",
            &(&unlocked, &self.session),
        )?;
        let secrets: HashMap<OwnedObjectPath, SecretStruct> = reply.body().deserialize()?;
        let mut found = Found::with_capacity(secrets.len());
        let mut twice = Vec::new();
        for (path, user) in unlocked.iter().zip(users) {
            let Some(user) = user else { continue };
            let Some((_, iv, value, _)) = secrets.get(path) else {
                continue;
            };
            let Some(bytes) = self.decrypt(iv, value) else {
                continue;
            };
            if found.insert(user.clone(), bytes).is_some() {
                twice.push(user);
            }
        }
        for user in twice {
            found.remove(&user);
        }
        Ok(found)
    }

    /// The items filed under `service`: the unlocked ones, the locked ones.
    fn search(
        &self,
        service: &str,
    ) -> Result<(Vec<OwnedObjectPath>, Vec<OwnedObjectPath>), BatchError> {
        let reply = self.connection.call_method(
            Some(DESTINATION),
            SERVICE_PATH,
            Some(SERVICE_IFACE),
            "SearchItems",
            &(HashMap::from([("service", service)]),),
        )?;
        Ok(reply.body().deserialize()?)
    }

    /// The `username` attribute of each item, in order (`None` for an item gone meanwhile or
    /// without one): the calls all sent before their answers are read.
    fn usernames(&self, paths: &[OwnedObjectPath]) -> Result<Vec<Option<String>>, BatchError> {
        let connection = self.connection.inner().clone();
        let read = |path: &OwnedObjectPath| {
            let connection = connection.clone();
            let path = path.clone();
            async move {
                let reply = connection
                    .call_method(
                        Some(DESTINATION),
                        &path,
                        Some(PROPERTIES_IFACE),
                        "Get",
                        &(ITEM_IFACE, "Attributes"),
                    )
                    .await;
                let reply = match reply {
                    Ok(reply) => reply,
                    // Deleted between the search and now.
                    Err(zbus::Error::MethodError(..)) => return Ok(None),
                    Err(e) => return Err(BatchError::from(e)),
                };
                let value: OwnedValue = reply.body().deserialize()?;
                let attributes: HashMap<String, String> = value
                    .try_into()
                    .map_err(|_| BatchError::Protocol("an item's attributes are not text"))?;
                Ok(attributes.get("username").cloned())
            }
        };
        zbus::block_on(
            futures_util::stream::iter(paths)
                .map(read)
                .buffered(IN_FLIGHT)
                .try_collect(),
        )
    }

    /// Creates one item per `(username, label, secret)` in the default collection, replacing an
    /// item with the same attributes, and calls `progress(done)` as the answers come. On an
    /// error, some of the items may have been created: the caller deletes them all.
    pub fn create(
        &self,
        service: &str,
        items: &[(&str, &str, &[u8])],
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), BatchError> {
        let collection = self.default_collection()?;
        let connection = self.connection.inner().clone();
        let create = |(user, label, secret): &(&str, &str, &[u8])| {
            let connection = connection.clone();
            let collection = collection.clone();
            let properties = HashMap::from([
                (
                    format!("{ITEM_IFACE}.Label"),
                    Value::from(label.to_string()),
                ),
                (
                    format!("{ITEM_IFACE}.Attributes"),
                    Value::from(HashMap::from([
                        ("service".to_string(), service.to_string()),
                        ("username".to_string(), user.to_string()),
                    ])),
                ),
            ]);
            let secret = self.encrypt(secret);
            async move {
                let secret = secret?;
                let reply = connection
                    .call_method(
                        Some(DESTINATION),
                        &collection,
                        Some(COLLECTION_IFACE),
                        "CreateItem",
                        &(properties, secret, true),
                    )
                    .await?;
                let (item, _prompt): (OwnedObjectPath, OwnedObjectPath) =
                    reply.body().deserialize()?;
                // "/" with a prompt: the collection was locked meanwhile.
                if item.as_str() == "/" {
                    return Err(BatchError::NeedsPrompt);
                }
                Ok(())
            }
        };
        let mut done = 0;
        zbus::block_on(async {
            let mut answers = futures_util::stream::iter(items)
                .map(create)
                .buffered(IN_FLIGHT);
            while let Some(answer) = answers.next().await {
                answer?;
                done += 1;
                progress(done);
            }
            Ok(())
        })
    }

    /// The default collection's path, if it is there and unlocked.
    fn default_collection(&self) -> Result<OwnedObjectPath, BatchError> {
        let reply = self.connection.call_method(
            Some(DESTINATION),
            SERVICE_PATH,
            Some(SERVICE_IFACE),
            "ReadAlias",
            &("default",),
        )?;
        let path: OwnedObjectPath = reply.body().deserialize()?;
        if path.as_str() == "/" {
            return Err(BatchError::NeedsPrompt);
        }
        let reply = self.connection.call_method(
            Some(DESTINATION),
            &path,
            Some(PROPERTIES_IFACE),
            "Get",
            &(COLLECTION_IFACE, "Locked"),
        )?;
        let locked: OwnedValue = reply.body().deserialize()?;
        match bool::try_from(locked) {
            Ok(false) => Ok(path),
            Ok(true) => Err(BatchError::NeedsPrompt),
            Err(_) => Err(BatchError::Protocol(
                "a collection's Locked is not a boolean",
            )),
        }
    }

    fn encrypt(&self, plain: &[u8]) -> Result<SecretStruct, BatchError> {
        let mut iv = [0u8; 16];
        SystemRandom::new()
            .fill(&mut iv)
            .map_err(|_| BatchError::Protocol("no randomness for an IV"))?;
        let cipher = cbc::Encryptor::<aes::Aes128>::new_from_slices(&self.key, &iv)
            .map_err(|_| BatchError::Protocol("the session key has the wrong length"))?;
        let value = cipher.encrypt_padded_vec::<Pkcs7>(plain);
        Ok((
            self.session.clone(),
            iv.to_vec(),
            value,
            CONTENT_TYPE.to_owned(),
        ))
    }

    fn decrypt(&self, iv: &[u8], value: &[u8]) -> Option<Sensitive<Vec<u8>>> {
        let cipher = cbc::Decryptor::<aes::Aes128>::new_from_slices(&self.key, iv).ok()?;
        let mut buffer = Sensitive::new(value.to_vec());
        let length = cipher.decrypt_padded::<Pkcs7>(&mut buffer).ok()?.len();
        buffer.truncate(length);
        Some(buffer)
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        let path: &ObjectPath<'_> = &self.session;
        let _ =
            self.connection
                .call_method(Some(DESTINATION), path, Some(SESSION_IFACE), "Close", &());
    }
}

/// HKDF output length for the session's AES-128 key.
struct AesKeyLength;

impl ring::hkdf::KeyType for AesKeyLength {
    fn len(&self) -> usize {
        16
    }
}
