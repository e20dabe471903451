//! Tessera's languages. The window's words and the shell's own (the tray's menu, the desktop's
//! search) are in Fluent catalogues, `locales/<tag>.ftl`, one per language: the window reads them
//! with `@fluent/bundle`, the shell with this crate, so a translator edits one file. English is
//! the source; `tests/catalogues.rs` checks that every catalogue has each of its messages with
//! the same attributes and variables. The CLI's own output stays English, as command-line tools'
//! usually does.
//!
//! The language is the setting's (`Settings::language`), else the system's: on Linux the locale
//! variables as gettext reads them (`LANGUAGE`, then `LC_ALL`, `LC_MESSAGES`, `LANG`; none of
//! them for the C locale), on Windows and macOS the user's preferred languages.

use std::borrow::Cow;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The catalogues, by tag.
pub const CATALOGUES: [(&str, &str); 2] = [
    ("en", include_str!("../../../locales/en.ftl")),
    ("de", include_str!("../../../locales/de.ftl")),
];

/// A language Tessera speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Language {
    #[default]
    English,
    German,
    /// English accented and lengthened (`en-XA`, as Android and Chromium call it), for tests: a
    /// word that is not from a catalogue, or is cut off, shows.
    Pseudo,
}

impl Language {
    /// Its tag, as the window and the setting know it.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
            Language::Pseudo => "en-XA",
        }
    }

    /// The language of a tag or a locale name: "de", "de-AT", "de_DE.UTF-8", "en_XA"; `None` for
    /// one Tessera has no catalogue for.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let name = tag
            .split(['.', '@'])
            .next()
            .unwrap_or_default()
            .replace('_', "-");
        if name.eq_ignore_ascii_case("en-XA") {
            return Some(Language::Pseudo);
        }
        match name
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
            .as_str()
        {
            "en" => Some(Language::English),
            "de" => Some(Language::German),
            _ => None,
        }
    }

    /// The setting's language when it names one, else the system's.
    pub fn chosen(setting: Option<&str>) -> Language {
        setting
            .and_then(Language::from_tag)
            .unwrap_or_else(Language::system)
    }

    /// The system's language, of those Tessera has; English when it has none of the user's.
    pub fn system() -> Language {
        #[cfg(any(windows, target_os = "macos"))]
        {
            sys_locale::get_locales()
                .find_map(|tag| Language::from_tag(&tag))
                .unwrap_or(Language::English)
        }
        #[cfg(not(any(windows, target_os = "macos")))]
        {
            Language::from_locale_variables(|name| std::env::var(name).ok())
        }
    }

    /// The language the locale variables ask for, as gettext reads them: `LC_ALL`, else
    /// `LC_MESSAGES`, else `LANG` is the locale; unless it is C, `LANGUAGE` (a list, "de:en")
    /// comes first.
    pub fn from_locale_variables(var: impl Fn(&str) -> Option<String>) -> Language {
        let Some(locale) = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .find_map(|name| var(name).filter(|value| !value.is_empty()))
        else {
            return Language::English;
        };
        if locale == "C" || locale == "POSIX" || locale.starts_with("C.") {
            return Language::English;
        }
        let listed = var("LANGUAGE").unwrap_or_default();
        listed
            .split(':')
            .filter(|tag| !tag.is_empty())
            .chain(std::iter::once(locale.as_str()))
            .find_map(Language::from_tag)
            .unwrap_or(Language::English)
    }
}

/// A language's messages.
pub struct Catalogue {
    language: Language,
    bundle: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue")
            .field("language", &self.language)
            .finish()
    }
}

impl Catalogue {
    pub fn new(language: Language) -> Catalogue {
        let tag = match language {
            Language::Pseudo => "en",
            other => other.tag(),
        };
        let source = CATALOGUES
            .iter()
            .find(|(t, _)| *t == tag)
            .map_or(CATALOGUES[0].1, |(_, source)| source);
        // The catalogues are checked by the tests; a message with a syntax error would only be
        // missing, and shows its id.
        let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(r, _)| r);
        let id: unic_langid::LanguageIdentifier = tag.parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Every language shipped is left to right: no isolation marks in a menu's text.
        bundle.set_use_isolating(false);
        if language == Language::Pseudo {
            bundle.set_transform(Some(pseudo));
        }
        // Only a message defined twice fails here, which the tests rule out.
        let _ = bundle.add_resource(resource);
        Catalogue { language, bundle }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// Message `id` with its arguments; a missing one reads as its id.
    pub fn text(&self, id: &str, args: &[(&str, &str)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(*value));
        }
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }
}

const PLAIN: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ACCENTED: &str = "åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ";

/// The pseudo-language's text: each letter accented, vowels doubled (the window's `l10n.ts` does
/// the same).
fn pseudo(text: &str) -> Cow<'_, str> {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        match PLAIN.chars().position(|p| p == c) {
            Some(i) => {
                let accented = ACCENTED.chars().nth(i).unwrap_or(c);
                out.push(accented);
                if "aeiouAEIOU".contains(c) {
                    out.push(accented);
                }
            }
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_vars(vars: &[(&str, &str)]) -> Language {
        Language::from_locale_variables(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn the_locale_variables_are_read_as_gettext_reads_them() {
        assert_eq!(from_vars(&[]), Language::English);
        assert_eq!(from_vars(&[("LANG", "de_DE.UTF-8")]), Language::German);
        assert_eq!(from_vars(&[("LANG", "de_AT@euro")]), Language::German);
        assert_eq!(
            from_vars(&[("LANG", "de_DE.UTF-8"), ("LC_MESSAGES", "en_GB.UTF-8")]),
            Language::English
        );
        assert_eq!(
            from_vars(&[("LC_ALL", "de_CH.UTF-8"), ("LC_MESSAGES", "en_GB.UTF-8")]),
            Language::German
        );
        // LANGUAGE's list first, skipping what Tessera has no catalogue for...
        assert_eq!(
            from_vars(&[("LANG", "en_US.UTF-8"), ("LANGUAGE", "fr:de:en")]),
            Language::German
        );
        // ...but not for the C locale, and nothing known is English.
        assert_eq!(
            from_vars(&[("LANG", "C.UTF-8"), ("LANGUAGE", "de")]),
            Language::English
        );
        assert_eq!(from_vars(&[("LANG", "fr_FR.UTF-8")]), Language::English);
        assert_eq!(from_vars(&[("LANG", "en_XA.UTF-8")]), Language::Pseudo);
    }

    #[test]
    fn the_setting_comes_before_the_system() {
        assert_eq!(Language::chosen(Some("de")), Language::German);
        assert_eq!(Language::from_tag("DE-de"), Some(Language::German));
        assert_eq!(Language::from_tag("fr"), None);
        assert_eq!(Language::from_tag(""), None);
    }

    #[test]
    fn messages_are_in_the_language_with_their_arguments() {
        let german = Catalogue::new(Language::German);
        assert_eq!(german.text("tray-show", &[]), "Tessera anzeigen");
        assert_eq!(
            german.text("tray-copy", &[("name", "aws-07")]),
            "Code kopieren: aws-07"
        );
        let pseudo = Catalogue::new(Language::Pseudo);
        // Accented, longer, and the argument left as it is.
        assert_eq!(
            pseudo.text("tray-copy", &[("name", "aws-07")]),
            "Çööþý çööđéé: aws-07"
        );
        assert_eq!(german.text("no-such-message", &[]), "no-such-message");
    }
}
