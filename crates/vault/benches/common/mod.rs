//! What the vault's benchmarks share: a fixed moment and made-up accounts.

use tessera_core::{Account, Params, Secret};

pub const NOW: u64 = 1_700_000_000;

/// Account `n`: a 20-byte key of its own (for n below 65,536), TOTP defaults.
pub fn account(n: usize) -> Account {
    let key: Vec<u8> = (0..20u8)
        .map(|b| b ^ (n as u8) ^ ((n >> 8) as u8).rotate_left(3))
        .collect();
    Account {
        issuer: "Bench Corp".into(),
        label: format!("user{n}@example.com"),
        secret: Secret::from_bytes(key).expect("20 bytes"),
        params: Params::default(),
    }
}
