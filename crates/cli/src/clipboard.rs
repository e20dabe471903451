//! A code taken and put on the clipboard, for `tessera tray` and `tessera search-provider`, as
//! the window copies it: a HOTP account's next code is taken, the account becomes the one used
//! last, and the caller clears the clipboard after the settings' delay if it still holds the
//! code. On X11 the process that copied serves the text, so the caller lives until then.

use anyhow::{Context, Result};
use tessera_vault::Vault;
use tessera_vault::recent::Recent;

use crate::input;

/// The clipboard, opened at the first copy.
#[derive(Default)]
pub struct Clipboard(Option<arboard::Clipboard>);

impl Clipboard {
    /// Puts `code` on the clipboard.
    pub fn set(&mut self, code: &str) -> Result<()> {
        if self.0.is_none() {
            self.0 = Some(arboard::Clipboard::new().context("the clipboard")?);
        }
        if let Some(clipboard) = self.0.as_mut() {
            clipboard
                .set_text(code.to_owned())
                .context("the clipboard")?;
        }
        Ok(())
    }

    /// Clears the clipboard if it still holds `code`: what the user copied since stays.
    pub fn clear_if(&mut self, code: &str) {
        if let Some(clipboard) = self.0.as_mut()
            && clipboard.get_text().is_ok_and(|now| now == code)
        {
            let _ = clipboard.clear();
        }
    }
}

/// The code account `id` gives now (a HOTP account's next one, taken), and the account made the
/// one used last.
pub fn take_code(vault: &Vault, id: &str) -> Result<String> {
    let now = input::code_time(None)?;
    let (entry, account) = vault.take_codes(id, 1)?;
    let _ = Recent::new(vault.dir().to_owned()).used(&entry.id, now);
    Ok(account.code_at(now))
}
