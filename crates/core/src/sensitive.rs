//! [`Sensitive`]: the one wrapper for every value that holds key material or can: secret keys,
//! `otpauth://` URIs and QR payloads (they carry the key), transfer data, passphrases, and
//! clipboard text that may be a link.
//!
//! A `Sensitive` value
//! - is zeroed when dropped (and so are the copies `Clone` makes);
//! - prints as `<redacted>` through `Debug` and `Display`, so no log line, panic message or
//!   error chain can show it;
//! - is not `Serialize`: the reveal and export paths that must write it say so on the field,
//!   with `#[serde(serialize_with = "reveal")]`, so every place a key leaves is named;
//! - is `Deserialize`, since input (the window's forms, backup files) arrives that way;
//! - compares in constant time.
//!
//! Reading it is `*value` or a method of the inner value through `Deref`: what matters is what
//! can leave the process, not who reads it inside.

use std::fmt;
use std::ops::{Deref, DerefMut};

use subtle::ConstantTimeEq;
use zeroize::Zeroize;

/// See the module docs.
#[derive(Default)]
pub struct Sensitive<T: Zeroize>(T);

impl<T: Zeroize> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }
}

impl<T: Zeroize> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T: Zeroize> Drop for Sensitive<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<T: Zeroize> Deref for Sensitive<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Zeroize> DerefMut for Sensitive<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: Zeroize + Clone> Clone for Sensitive<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T: Zeroize> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T: Zeroize> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T: Zeroize + AsRef<[u8]>> PartialEq for Sensitive<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_ref().ct_eq(other.0.as_ref()).into()
    }
}

impl<T: Zeroize + AsRef<[u8]>> Eq for Sensitive<T> {}

impl<'de, T: Zeroize + serde::Deserialize<'de>> serde::Deserialize<'de> for Sensitive<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self)
    }
}

/// Across IPC a `Sensitive<T>` is a `T` (the window's forms send keys and passphrases in).
#[cfg(feature = "specta")]
impl<T: Zeroize + specta::Type> specta::Type for Sensitive<T> {
    fn definition(types: &mut specta::Types) -> specta::datatype::DataType {
        T::definition(types)
    }
}

/// Writes the value itself: for the fields of what is revealed or exported on the user's
/// request, as `#[serde(serialize_with = "tessera_core::sensitive::reveal")]`.
pub fn reveal<T, S>(value: &Sensitive<T>, serializer: S) -> Result<S::Ok, S::Error>
where
    T: Zeroize + serde::Serialize,
    S: serde::Serializer,
{
    value.0.serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_and_compares_by_value() {
        let uri = Sensitive::new(String::from("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP"));
        assert_eq!(format!("{uri:?}"), "<redacted>");
        assert_eq!(format!("{uri}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&uri)), "Some(<redacted>)");
        assert!(uri.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(uri, uri.clone());
        assert_ne!(uri, Sensitive::new(String::from("other")));
        let read: Sensitive<String> = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(read.as_str(), "abc");
    }

    #[test]
    fn reveal_writes_the_value_on_purpose() {
        #[derive(serde::Serialize)]
        struct Shown {
            #[serde(serialize_with = "reveal")]
            key: Sensitive<String>,
        }
        let shown = Shown {
            key: Sensitive::new("KEY".into()),
        };
        assert_eq!(serde_json::to_string(&shown).unwrap(), r#"{"key":"KEY"}"#);
    }
}
