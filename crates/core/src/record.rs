//! The JSON shape of an account's code parameters (`type`, `algorithm`, `digits`, `period`,
//! `counter`) and of its tags, note and pin, shared by the vault's index and Tessera's backup,
//! so that both write and check them the same way.

use serde::{Deserialize, Serialize};

use data_encoding::BASE64;

use crate::meta::{CustomIcon, IconChoice, MAX_ICON_BYTES, Meta};
use crate::otp::{Algorithm, DEFAULT_PERIOD, Kind, OtpError, Params};

/// An account's parameters as Tessera writes them; meant to be `#[serde(flatten)]`ed into the
/// record of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamsRecord {
    /// `totp`, `hotp` or `steam`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `SHA1`, `SHA256` or `SHA512`.
    pub algorithm: String,
    /// The code's length: 6 to 8, or 5 for Steam.
    pub digits: u8,
    /// TOTP and Steam only; 30 when missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<u32>,
    /// HOTP only: the counter of the next code; 0 when missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<u64>,
}

impl From<&Params> for ParamsRecord {
    fn from(params: &Params) -> Self {
        Self {
            kind: params.kind.name().to_owned(),
            algorithm: params.algorithm.as_str().to_owned(),
            digits: params.code_length(),
            period: params.kind.period().map(|p| p.get()),
            counter: match params.kind {
                Kind::Hotp { counter } => Some(counter),
                Kind::Totp { .. } | Kind::Steam { .. } => None,
            },
        }
    }
}

impl ParamsRecord {
    /// The parameters, checked as [`Params::from_values`] checks them; an unknown algorithm is
    /// an error too.
    pub fn params(&self) -> Result<Params, OtpError> {
        let algorithm = Algorithm::parse(&self.algorithm)
            .ok_or_else(|| OtpError::Algorithm(crate::untrusted::shown(&self.algorithm)))?;
        Params::from_values(
            &self.kind,
            algorithm,
            self.digits,
            self.period.unwrap_or(DEFAULT_PERIOD.get()),
            self.counter.unwrap_or(0),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_params_comes_back_as_it_was() {
        for link in [
            "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP&algorithm=SHA512&digits=8&period=60",
            "otpauth://hotp/A:a?secret=JBSWY3DPEHPK3PXP&counter=42&digits=7",
            "otpauth://steam/A:a?secret=JBSWY3DPEHPK3PXP",
        ] {
            let params = crate::uri::parse(link).unwrap().params;
            let record = ParamsRecord::from(&params);
            let json = serde_json::to_string(&record).unwrap();
            let back: ParamsRecord = serde_json::from_str(&json).unwrap();
            assert_eq!(back.params().unwrap(), params, "{json}");
        }
    }

    #[test]
    fn only_the_fields_of_the_kind_are_written() {
        let hotp = crate::uri::parse("otpauth://hotp/A:a?secret=JBSWY3DPEHPK3PXP&counter=3")
            .unwrap()
            .params;
        assert_eq!(
            serde_json::to_value(ParamsRecord::from(&hotp)).unwrap(),
            serde_json::json!({"type": "hotp", "algorithm": "SHA1", "digits": 6, "counter": 3})
        );
    }

    #[test]
    fn bad_values_are_errors() {
        let record = |kind: &str, algorithm: &str, digits: u8, period: Option<u32>| ParamsRecord {
            kind: kind.into(),
            algorithm: algorithm.into(),
            digits,
            period,
            counter: None,
        };
        assert_eq!(
            record("totp", "MD5", 6, None).params(),
            Err(OtpError::Algorithm("MD5".into()))
        );
        assert_eq!(
            record("totp", "SHA1", 9, None).params(),
            Err(OtpError::Digits(9))
        );
        assert_eq!(
            record("totp", "SHA1", 6, Some(0)).params(),
            Err(OtpError::Period)
        );
        assert!(matches!(
            record("motp", "SHA1", 6, None).params(),
            Err(OtpError::Kind(_))
        ));
    }
}

/// An account's tags, note, pin and icon as Tessera writes them (each left out when empty or
/// automatic); meant to be `#[serde(flatten)]`ed into the record of an account beside
/// [`ParamsRecord`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaRecord {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub icon: Option<IconRecord>,
}

/// An icon of a shape no Tessera writes is no icon, rather than an unreadable account.
fn lenient<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<IconRecord>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Ok(serde_json::from_value(value).ok())
}

/// An icon other than the automatic one: `"simple-icons/github"`, `"letter"`, or an image,
/// `{"mime": "image/png", "data": "<base64>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IconRecord {
    Named(String),
    Image { mime: String, data: String },
}

const LETTER: &str = "letter";

impl From<&Meta> for MetaRecord {
    fn from(meta: &Meta) -> Self {
        Self {
            tags: meta.tags.clone(),
            note: meta.note.clone(),
            pinned: meta.pinned,
            icon: match &meta.icon {
                IconChoice::Auto => None,
                IconChoice::Bundled(id) => Some(IconRecord::Named(id.clone())),
                IconChoice::Letter => Some(IconRecord::Named(LETTER.to_owned())),
                IconChoice::Custom(image) => Some(IconRecord::Image {
                    mime: image.kind().mime().to_owned(),
                    data: BASE64.encode(image.data()),
                }),
            },
        }
    }
}

impl MetaRecord {
    /// The meta it records, bounded and cleaned as a backup's are ([`Meta::imported`]): the
    /// file may have been edited by hand. An icon that is not a bundled one's id, or an image
    /// that is not valid, is the automatic icon.
    pub fn meta(&self) -> Meta {
        Meta {
            pinned: self.pinned,
            icon: self
                .icon
                .as_ref()
                .map_or(IconChoice::Auto, IconRecord::choice),
            ..Meta::imported(&self.tags, &self.note)
        }
    }
}

impl IconRecord {
    fn choice(&self) -> IconChoice {
        match self {
            Self::Named(name) if name == LETTER => IconChoice::Letter,
            Self::Named(id) => IconChoice::bundled(id).unwrap_or_default(),
            Self::Image { data, .. } => {
                custom_from_base64(data).map_or(IconChoice::Auto, IconChoice::Custom)
            }
        }
    }
}

/// An icon image carried as base64 (Tessera's records, Aegis's vaults), decoded only when its
/// length allows [`MAX_ICON_BYTES`]; `None` when it is not a valid icon.
pub fn custom_from_base64(data: &str) -> Option<CustomIcon> {
    let data = data.trim();
    if data.len() > MAX_ICON_BYTES.div_ceil(3) * 4 {
        return None;
    }
    CustomIcon::new(BASE64.decode(data.as_bytes()).ok()?).ok()
}

#[cfg(test)]
mod meta_tests {
    use super::*;

    #[test]
    fn every_icon_choice_comes_back_as_it_was() {
        let png = CustomIcon::new(b"\x89PNG\r\n\x1a\n....".to_vec()).unwrap();
        for icon in [
            IconChoice::Auto,
            IconChoice::Letter,
            IconChoice::bundled("logos/aws").unwrap(),
            IconChoice::Custom(png),
        ] {
            let meta = Meta {
                icon,
                ..Meta::default()
            };
            let json = serde_json::to_string(&MetaRecord::from(&meta)).unwrap();
            let back: MetaRecord = serde_json::from_str(&json).unwrap();
            assert_eq!(back.meta(), meta, "{json}");
        }
    }

    #[test]
    fn an_icon_that_is_not_valid_is_the_automatic_one() {
        let big = BASE64.encode(&vec![0u8; MAX_ICON_BYTES * 2]);
        for json in [
            r#"{"icon": "simple-icons/not-a-brand"}"#.to_owned(),
            r#"{"icon": 5}"#.to_owned(),
            r#"{"icon": {"mime": "image/png"}}"#.to_owned(),
            r#"{"icon": {"mime": "image/png", "data": "not base64!"}}"#.to_owned(),
            r#"{"icon": {"mime": "image/png", "data": "R0lGODlh"}}"#.to_owned(),
            format!(r#"{{"icon": {{"mime": "image/png", "data": "{big}"}}}}"#),
        ] {
            let record: MetaRecord = serde_json::from_str(&json).unwrap();
            assert_eq!(record.meta().icon, IconChoice::Auto, "{json}");
        }
    }
}
