//! Tessera's domain, pure: one-time codes ([`otp`]) and where given codes sit among them
//! ([`resync`]), secret keys ([`secret`]), `otpauth://` URIs ([`uri`]) and the account they
//! describe ([`account`]); Google Authenticator transfer codes ([`migration`]) and what scanned QR
//! payloads add up to ([`scan`]); tags and notes ([`meta`]), how an account reads in a list
//! ([`display`]) and the issuer icons bundled for it ([`icons`]); QR codes drawn as SVG
//! ([`qr_svg`]); backups, Tessera's own and other apps' ([`backup`]). Reading QR codes from images
//! is tessera-qr's (C++ inside), so this crate builds with a Rust toolchain alone.
//!
//! Nothing here reads files, the keychain or the clock: time is a parameter (`unix_seconds`),
//! so everything is tested with fixed moments and the RFC vectors.

#![forbid(unsafe_code)]

pub mod account;
pub mod backup;
pub mod display;
pub mod icons;
pub mod lock;
pub mod meta;
pub mod migration;
pub mod otp;
pub mod qr_svg;
pub mod record;
pub mod resync;
pub mod scan;
pub mod secret;
pub mod sensitive;
pub mod sntp;
pub mod sync;
pub mod untrusted;
pub mod uri;

pub use account::Account;
pub use otp::{Algorithm, Digits, Kind, Params};
pub use secret::Secret;
pub use sensitive::Sensitive;
