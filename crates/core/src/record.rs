//! The JSON shape of an account's code parameters (`type`, `algorithm`, `digits`, `period`,
//! `counter`) and of its tags, note and pin, shared by the vault's index and Tessera's backup,
//! so that both write and check them the same way.

use serde::{Deserialize, Serialize};

use crate::meta::Meta;
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

/// An account's tags, note and pin as Tessera writes them (each left out when empty); meant to
/// be `#[serde(flatten)]`ed into the record of an account beside [`ParamsRecord`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaRecord {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
}

impl From<&Meta> for MetaRecord {
    fn from(meta: &Meta) -> Self {
        Self {
            tags: meta.tags.clone(),
            note: meta.note.clone(),
            pinned: meta.pinned,
        }
    }
}

impl MetaRecord {
    /// The meta it records, bounded and cleaned as a backup's are ([`Meta::imported`]): the
    /// file may have been edited by hand.
    pub fn meta(&self) -> Meta {
        Meta {
            pinned: self.pinned,
            ..Meta::imported(&self.tags, &self.note)
        }
    }
}
