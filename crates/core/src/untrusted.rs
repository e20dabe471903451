//! Text from outside (a URI, a file, a QR code) quoted in a message: kept short, so that a
//! crafted input can't fill a terminal or a dialog.

/// How many characters of an untrusted value a message shows.
pub const SHOWN_CHARS: usize = 32;

/// `text` as a message quotes it: its first [`SHOWN_CHARS`] characters, with `…` when cut.
pub fn shown(text: &str) -> String {
    if text.chars().count() <= SHOWN_CHARS {
        text.to_owned()
    } else {
        text.chars().take(SHOWN_CHARS).chain("…".chars()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_and_says_so() {
        assert_eq!(shown("SHA3"), "SHA3");
        let long = "x".repeat(1000);
        assert_eq!(shown(&long).chars().count(), SHOWN_CHARS + 1);
        assert!(shown(&long).ends_with('…'));
        // Characters, not bytes: never cut inside one.
        assert_eq!(shown(&"é".repeat(40)), format!("{}…", "é".repeat(32)));
    }
}
