//! The Secret Service session secrets travel in: encrypted where the service offers it
//! (`dh-ietf1024-sha256-aes128-cbc-pkcs7`, the one libsecret and keyring-core use), else plain,
//! as libsecret falls back too. The plain session is what KWallet leaves when its crypto
//! plugins are missing ("createDLGroup failed"); the secrets then cross only the user's own
//! session bus, which other users can't read.
//!
//! The encrypted session: a Diffie-Hellman exchange in the 1024-bit group of RFC 2409, HKDF-SHA256
//! (ring) to an AES-128 key, AES-CBC with PKCS#7 padding (RustCrypto's aes and cbc).

use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use num_bigint::BigUint;
use ring::rand::{SecureRandom, SystemRandom};
use tessera_core::Sensitive;
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};

use super::{DESTINATION, SERVICE_IFACE, SERVICE_PATH};

const ENCRYPTED: &str = "dh-ietf1024-sha256-aes128-cbc-pkcs7";
const PLAIN: &str = "plain";

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

/// A secret as the Secret Service carries it: session, parameters (the IV), value, type.
pub(crate) type SecretStruct = (OwnedObjectPath, Vec<u8>, Vec<u8>, String);

/// Why a session could not be opened with the algorithm asked for.
#[derive(Debug)]
pub(crate) enum OpenError {
    Bus(zbus::Error),
    Protocol(&'static str),
}

impl From<zbus::Error> for OpenError {
    fn from(e: zbus::Error) -> Self {
        Self::Bus(e)
    }
}

impl From<zbus::zvariant::Error> for OpenError {
    fn from(e: zbus::zvariant::Error) -> Self {
        Self::Bus(e.into())
    }
}

/// An open session: its path, and the AES key when it is encrypted.
pub(crate) struct Session {
    pub path: OwnedObjectPath,
    key: Option<Sensitive<Vec<u8>>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("path", &self.path.as_str())
            .field("encrypted", &self.key.is_some())
            .finish()
    }
}

impl Session {
    /// The encrypted session, or the plain one where the service refuses it. A missing service
    /// is not a refusal: that error is returned as it is.
    pub fn open(connection: &zbus::blocking::Connection) -> Result<Self, OpenError> {
        match Self::encrypted(connection) {
            Ok(session) => Ok(session),
            Err(OpenError::Bus(e)) if super::is_absent(&e) => Err(OpenError::Bus(e)),
            Err(_) => Self::plain(connection),
        }
    }

    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
    }

    fn plain(connection: &zbus::blocking::Connection) -> Result<Self, OpenError> {
        let reply = connection.call_method(
            Some(DESTINATION),
            SERVICE_PATH,
            Some(SERVICE_IFACE),
            "OpenSession",
            &(PLAIN, Value::from("")),
        )?;
        let (_, path): (OwnedValue, OwnedObjectPath) = reply.body().deserialize()?;
        Ok(Self { path, key: None })
    }

    fn encrypted(connection: &zbus::blocking::Connection) -> Result<Self, OpenError> {
        let mut private = Sensitive::new(vec![0u8; 128]);
        SystemRandom::new()
            .fill(&mut private)
            .map_err(|_| OpenError::Protocol("no randomness for the session key"))?;
        let prime = BigUint::from_bytes_be(&DH_PRIME);
        let private = BigUint::from_bytes_be(&private);
        let public = BigUint::from(2u8).modpow(&private, &prime);
        let reply = connection.call_method(
            Some(DESTINATION),
            SERVICE_PATH,
            Some(SERVICE_IFACE),
            "OpenSession",
            &(ENCRYPTED, Value::from(public.to_bytes_be())),
        )?;
        let (output, path): (OwnedValue, OwnedObjectPath) = reply.body().deserialize()?;
        let theirs: Vec<u8> = output
            .try_into()
            .map_err(|_| OpenError::Protocol("the session's public key is not bytes"))?;
        let theirs = BigUint::from_bytes_be(&theirs);
        if theirs <= BigUint::from(1u8) || theirs >= &prime - 1u8 {
            return Err(OpenError::Protocol(
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
            .map_err(|_| OpenError::Protocol("the session key could not be derived"))?;
        Ok(Self {
            path,
            key: Some(key),
        })
    }

    /// `plain` as the service takes it, marked with `content_type`.
    pub fn seal(&self, plain: &[u8], content_type: &str) -> Option<SecretStruct> {
        let Some(key) = &self.key else {
            return Some((
                self.path.clone(),
                Vec::new(),
                plain.to_vec(),
                content_type.to_owned(),
            ));
        };
        let mut iv = [0u8; 16];
        SystemRandom::new().fill(&mut iv).ok()?;
        let cipher = cbc::Encryptor::<aes::Aes128>::new_from_slices(key, &iv).ok()?;
        let value = cipher.encrypt_padded_vec::<Pkcs7>(plain);
        Some((
            self.path.clone(),
            iv.to_vec(),
            value,
            content_type.to_owned(),
        ))
    }

    /// The plain bytes of a secret the service sent; `None` when it can't be decrypted.
    pub fn open_secret(&self, iv: &[u8], value: &[u8]) -> Option<Sensitive<Vec<u8>>> {
        let Some(key) = &self.key else {
            return Some(Sensitive::new(value.to_vec()));
        };
        let cipher = cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv).ok()?;
        let mut buffer = Sensitive::new(value.to_vec());
        let length = cipher.decrypt_padded::<Pkcs7>(&mut buffer).ok()?.len();
        buffer.truncate(length);
        Some(buffer)
    }
}

/// HKDF output length for the session's AES-128 key.
struct AesKeyLength;

impl ring::hkdf::KeyType for AesKeyLength {
    fn len(&self) -> usize {
        16
    }
}
