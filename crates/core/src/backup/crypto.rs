//! The cryptography backups use, from well-kept libraries: AES-256-GCM and PBKDF2 from ring,
//! Argon2id and scrypt from RustCrypto. Keys and plaintexts are zeroed on drop.

use std::num::NonZeroU32;

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::pbkdf2;

use crate::sensitive::Sensitive;

pub const KEY_LEN: usize = 32;
pub const TAG_LEN: usize = 16;

/// A 256-bit key, zeroed on drop.
pub type Key = Sensitive<[u8; KEY_LEN]>;

/// The AES-GCM open failed: the key is wrong or the data was changed.
#[derive(Debug)]
pub struct Unauthentic;

fn aes_key(key: &[u8]) -> Result<LessSafeKey, Unauthentic> {
    UnboundKey::new(&AES_256_GCM, key)
        .map(LessSafeKey::new)
        .map_err(|_| Unauthentic)
}

/// Decrypts `ciphertext || tag`, authenticating `aad` too.
pub fn open(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    sealed: &[u8],
) -> Result<Sensitive<Vec<u8>>, Unauthentic> {
    let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| Unauthentic)?;
    let mut buffer = Sensitive::new(sealed.to_vec());
    let plain_len = aes_key(key)?
        .open_in_place(nonce, Aad::from(aad), &mut buffer)
        .map_err(|_| Unauthentic)?
        .len();
    buffer.truncate(plain_len);
    Ok(buffer)
}

/// Encrypts `plain`, returning `ciphertext || tag`.
pub fn seal(
    key: &[u8],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    plain: &[u8],
) -> Result<Vec<u8>, Unauthentic> {
    let mut buffer = plain.to_vec();
    aes_key(key)?
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(*nonce),
            Aad::from(aad),
            &mut buffer,
        )
        .map_err(|_| Unauthentic)?;
    Ok(buffer)
}

/// `N` bytes from the system's random generator; `None` when it fails.
pub fn random<const N: usize>() -> Option<[u8; N]> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; N];
    ring::rand::SystemRandom::new().fill(&mut bytes).ok()?;
    Some(bytes)
}

/// PBKDF2 with HMAC-SHA1 or HMAC-SHA256 (andOTP, 2FAS).
pub fn pbkdf2(
    algorithm: pbkdf2::Algorithm,
    iterations: NonZeroU32,
    salt: &[u8],
    passphrase: &str,
) -> Key {
    let mut key = Sensitive::new([0u8; KEY_LEN]);
    pbkdf2::derive(
        algorithm,
        iterations,
        salt,
        passphrase.as_bytes(),
        key.as_mut(),
    );
    key
}

pub use ring::pbkdf2::{PBKDF2_HMAC_SHA1, PBKDF2_HMAC_SHA256};

/// Argon2id (RFC 9106, version 0x13), no secret or associated data.
pub fn argon2id(
    passphrase: &str,
    salt: &[u8],
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
) -> Result<Key, String> {
    let params = argon2::Params::new(memory_kib, iterations, parallelism, Some(KEY_LEN))
        .map_err(|e| format!("unusable Argon2 parameters: {e}"))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Sensitive::new([0u8; KEY_LEN]);
    argon
        .hash_password_into(passphrase.as_bytes(), salt, key.as_mut())
        .map_err(|e| format!("Argon2 failed: {e}"))?;
    Ok(key)
}

/// scrypt (RFC 7914), as Aegis uses it.
pub fn scrypt(passphrase: &str, salt: &[u8], log_n: u8, r: u32, p: u32) -> Result<Key, String> {
    let params = scrypt::Params::new(log_n, r, p, KEY_LEN)
        .map_err(|e| format!("unusable scrypt parameters: {e}"))?;
    let mut key = Sensitive::new([0u8; KEY_LEN]);
    scrypt::scrypt(passphrase.as_bytes(), salt, &params, key.as_mut())
        .map_err(|e| format!("scrypt failed: {e}"))?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_then_open_and_tampering() {
        let key = [7u8; 32];
        let nonce = [1u8; 12];
        let sealed = seal(&key, &nonce, b"header", b"plain text").unwrap();
        assert_eq!(sealed.len(), 10 + TAG_LEN);
        assert_eq!(
            open(&key, &nonce, b"header", &sealed).unwrap().as_slice(),
            b"plain text"
        );
        assert!(open(&key, &nonce, b"headeR", &sealed).is_err());
        let mut flipped = sealed.clone();
        flipped[3] ^= 1;
        assert!(open(&key, &nonce, b"header", &flipped).is_err());
        assert!(open(&[8u8; 32], &nonce, b"header", &sealed).is_err());
        assert!(open(&key, &[1u8; 11], b"header", &sealed).is_err());
    }

    #[test]
    fn argon2id_matches_rfc_9106_shape() {
        // Independent value: Python `cryptography` Argon2id(salt=b"0"*16, length=32,
        // iterations=3, lanes=1, memory_cost=65536).derive(b"pw").
        let key = argon2id("pw", b"0000000000000000", 65536, 3, 1).unwrap();
        assert_eq!(
            data_encoding::HEXLOWER.encode(key.as_ref()),
            "6a5a093fe43bb0ce40e8b1cd9d91881a720fd233ebb5efce5a61b40188db3d9d"
        );
    }
}
