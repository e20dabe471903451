//! What the user keeps with an account besides its name: tags, a note, a pin and an icon. They
//! also come from other apps' backups, so every rule here bounds what a file can make Tessera
//! keep.

use std::fmt;

/// Tags per account: enough for environments, roles and teams together.
pub const MAX_TAGS: usize = 32;
/// A tag is a word or two for a filter bar, not a sentence.
pub const MAX_TAG_CHARS: usize = 40;
/// A note holds recovery hints or who owns a test user, not documents.
pub const MAX_NOTE_CHARS: usize = 4000;

/// An image of the user's own kept as an account's icon: room for a 64-pixel PNG or a logo's SVG
/// many times over, small enough that hundreds fit in the vault's index.
pub const MAX_ICON_BYTES: usize = 64 * 1024;

/// An account's tags (in the order they were given, none twice whatever the case), note,
/// whether it is pinned (shown first, in whatever order; Aegis's "favourite"), and its icon.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub tags: Vec<String>,
    pub note: String,
    pub pinned: bool,
    pub icon: IconChoice,
}

/// Which icon an account shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum IconChoice {
    /// The bundled icon its issuer matches ([`crate::icons::for_account`]), else a letter.
    #[default]
    Auto,
    /// A bundled icon the user chose, by id (`simple-icons/github`).
    Bundled(String),
    /// A letter, even where an icon matches.
    Letter,
    /// An image of the user's own, or one an Aegis vault carried.
    Custom(CustomIcon),
}

impl IconChoice {
    /// A bundled icon chosen by id, or `None` when no bundled icon has that id.
    pub fn bundled(id: &str) -> Option<Self> {
        crate::icons::get(id).map(|icon| Self::Bundled(icon.id.to_owned()))
    }

    /// What an account of `issuer` and `label` with this choice shows.
    pub fn shown(&self, issuer: &str, label: &str) -> ShownIcon<'_> {
        let bundled = |icon: Option<&'static crate::icons::Icon>| {
            icon.map_or(ShownIcon::Letter, ShownIcon::Bundled)
        };
        match self {
            Self::Auto => bundled(crate::icons::for_account(issuer, label)),
            Self::Bundled(id) => bundled(crate::icons::get(id)),
            Self::Letter => ShownIcon::Letter,
            Self::Custom(image) => ShownIcon::Custom(image),
        }
    }
}

/// The icon an account shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShownIcon<'a> {
    Bundled(&'static crate::icons::Icon),
    Custom(&'a CustomIcon),
    Letter,
}

impl ShownIcon<'_> {
    /// How `list --json` and the window name it: the bundled icon's id, `custom`, or `None`
    /// for a letter.
    pub fn id(&self) -> Option<&'static str> {
        match self {
            Self::Bundled(icon) => Some(icon.id),
            Self::Custom(_) => Some("custom"),
            Self::Letter => None,
        }
    }
}

/// The kinds of image an icon may be. An SVG is only ever shown as an image (`<img>`), where
/// its scripts and links do nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Svg,
}

impl ImageKind {
    /// The file name extension an image of this kind is saved with.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Svg => "svg",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Svg => "image/svg+xml",
        }
    }

    /// What `data` is, by its first bytes (whatever a file's name or a backup's MIME type
    /// says): PNG's and JPEG's signatures, or UTF-8 text with an `<svg` element near its start.
    pub fn sniff(data: &[u8]) -> Option<Self> {
        if data.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(Self::Png);
        }
        if data.starts_with(&[0xff, 0xd8, 0xff]) {
            return Some(Self::Jpeg);
        }
        let head = &data[..data.len().min(4096)];
        let text = match std::str::from_utf8(head) {
            Ok(text) => text,
            // A multi-byte character cut at 4096 bytes is still text.
            Err(e) if e.error_len().is_none() => {
                std::str::from_utf8(&head[..e.valid_up_to()]).ok()?
            }
            Err(_) => return None,
        };
        (std::str::from_utf8(data).is_ok() && text.contains("<svg")).then_some(Self::Svg)
    }
}

/// An account's own icon image: PNG, JPEG or SVG, at most [`MAX_ICON_BYTES`].
#[derive(Clone, PartialEq, Eq)]
pub struct CustomIcon {
    kind: ImageKind,
    data: Vec<u8>,
}

impl CustomIcon {
    /// `data` as an icon, or why it cannot be one.
    pub fn new(data: Vec<u8>) -> Result<Self, &'static str> {
        if data.len() > MAX_ICON_BYTES {
            return Err("an icon image can be at most 64 KiB");
        }
        let kind = ImageKind::sniff(&data).ok_or("an icon must be a PNG, JPEG or SVG image")?;
        Ok(Self { kind, data })
    }

    pub fn kind(&self) -> ImageKind {
        self.kind
    }

    pub fn data(&self) -> &[u8] {
        &self.data
    }
}

impl fmt::Debug for CustomIcon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CustomIcon({}, {} bytes)",
            self.kind.mime(),
            self.data.len()
        )
    }
}

impl Meta {
    /// Tags and a note read from a backup: tags cleaned with [`clean_tag`] (those that clean
    /// to nothing dropped, repeats dropped, at most [`MAX_TAGS`]), the note cut to
    /// [`MAX_NOTE_CHARS`] with its control characters but newlines and tabs removed.
    pub fn imported<I, S>(tags: I, note: &str) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut meta = Self::default();
        for tag in tags {
            if meta.tags.len() == MAX_TAGS {
                break;
            }
            if let Some(tag) = clean_tag(tag.as_ref()) {
                meta.add_tag(&tag);
            }
        }
        meta.note = note
            .chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .take(MAX_NOTE_CHARS)
            .collect::<String>()
            .trim()
            .to_owned();
        meta
    }

    /// Whether the account has `tag`, whatever its case.
    pub fn has_tag(&self, tag: &str) -> bool {
        has_tag(&self.tags, tag)
    }

    /// Whether the account has every one of `tags` (trimmed, whatever their case): the CLI's
    /// `--tag` filters.
    pub fn has_all_tags(&self, tags: &[String]) -> bool {
        tags.iter().all(|t| self.has_tag(t.trim()))
    }

    /// Adds `tag` unless it is there already (whatever its case); `false` when it was.
    pub fn add_tag(&mut self, tag: &str) -> bool {
        if self.has_tag(tag) {
            return false;
        }
        self.tags.push(tag.to_owned());
        true
    }

    /// Removes `tag` (whatever its case); `false` when it was not there.
    pub fn remove_tag(&mut self, tag: &str) -> bool {
        let before = self.tags.len();
        self.tags.retain(|t| !same_tag(t, tag));
        self.tags.len() != before
    }
}

/// Whether `tags` has `tag`, whatever its case.
pub fn has_tag(tags: &[String], tag: &str) -> bool {
    tags.iter().any(|t| same_tag(t, tag))
}

fn same_tag(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// Checks a tag the user typed: trimmed, not empty, at most [`MAX_TAG_CHARS`], no commas (the
/// window edits tags as a comma-separated list) and no control characters.
pub fn validate_tag(tag: &str) -> Result<String, &'static str> {
    let tag = tag.trim();
    if tag.is_empty() {
        return Err("a tag cannot be empty");
    }
    if tag.chars().count() > MAX_TAG_CHARS {
        return Err("a tag can have at most 40 characters");
    }
    if tag.contains(',') {
        return Err("a tag cannot contain a comma");
    }
    if tag.chars().any(char::is_control) {
        return Err("a tag cannot contain control characters (tabs, newlines)");
    }
    Ok(tag.to_owned())
}

/// A group or tag name from another app, made a valid tag: commas and control characters
/// become spaces, runs of spaces one, cut to [`MAX_TAG_CHARS`]; `None` when nothing is left.
pub fn clean_tag(raw: &str) -> Option<String> {
    let spaced: String = raw
        .chars()
        .map(|c| if c == ',' || c.is_control() { ' ' } else { c })
        .collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let tag: String = words.join(" ").chars().take(MAX_TAG_CHARS).collect();
    validate_tag(&tag).ok()
}

/// Checks a note the user wrote: at most [`MAX_NOTE_CHARS`], newlines and tabs allowed but no
/// other control characters; surrounding blank space is dropped (an empty note is no note).
pub fn validate_note(note: &str) -> Result<String, &'static str> {
    let note = note.trim();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err("a note can have at most 4000 characters");
    }
    if note
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err("a note cannot contain control characters other than newlines and tabs");
    }
    Ok(note.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_tags_are_checked() {
        assert_eq!(validate_tag("  prod  "), Ok("prod".to_owned()));
        assert_eq!(validate_tag("Team A"), Ok("Team A".to_owned()));
        for bad in ["", "   ", "a,b", "tab\there", &"x".repeat(41)] {
            assert!(validate_tag(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(
            validate_tag(&"é".repeat(40)).is_ok(),
            "characters, not bytes"
        );
    }

    #[test]
    fn imported_tags_are_cleaned_deduplicated_and_bounded() {
        let meta = Meta::imported(
            [
                "Work",
                "work",
                " a,b ",
                "\u{7}",
                "",
                "line\nbreak",
                &"y".repeat(90),
            ],
            "",
        );
        assert_eq!(
            meta.tags,
            ["Work", "a b", "line break", &"y".repeat(MAX_TAG_CHARS)]
        );
        let many: Vec<String> = (0..500).map(|i| format!("t{i}")).collect();
        assert_eq!(Meta::imported(&many, "").tags.len(), MAX_TAGS);
    }

    #[test]
    fn imported_notes_keep_lines_and_are_bounded() {
        let meta = Meta::imported(Vec::<String>::new(), " line 1\nline\t2\u{0}\u{1b}[31m ");
        assert_eq!(meta.note, "line 1\nline\t2[31m");
        let long = "n".repeat(MAX_NOTE_CHARS * 3);
        assert_eq!(
            Meta::imported(Vec::<String>::new(), &long)
                .note
                .chars()
                .count(),
            MAX_NOTE_CHARS
        );
    }

    #[test]
    fn typed_notes_are_checked() {
        assert_eq!(validate_note(" two\nlines "), Ok("two\nlines".to_owned()));
        assert_eq!(validate_note("   "), Ok(String::new()));
        assert!(validate_note("bell\u{7}").is_err());
        assert!(validate_note(&"n".repeat(MAX_NOTE_CHARS + 1)).is_err());
    }

    #[test]
    fn icon_images_are_known_by_their_bytes_and_bounded() {
        let png = b"\x89PNG\r\n\x1a\nrest".to_vec();
        assert_eq!(CustomIcon::new(png).unwrap().kind(), ImageKind::Png);
        assert_eq!(
            CustomIcon::new(vec![0xff, 0xd8, 0xff, 0xe0])
                .unwrap()
                .kind(),
            ImageKind::Jpeg
        );
        let svg = b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec();
        assert_eq!(CustomIcon::new(svg).unwrap().kind(), ImageKind::Svg);
        for bad in [
            b"GIF89a".to_vec(),
            b"<html><script>".to_vec(),
            vec![0xfe, 0x3c, 0x73, 0x76, 0x67],
        ] {
            assert!(CustomIcon::new(bad.clone()).is_err(), "{bad:?}");
        }
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_ICON_BYTES + 1, 0);
        assert!(CustomIcon::new(big).is_err());
        let icon = CustomIcon::new(b"\x89PNG\r\n\x1a\nsecret-looking".to_vec()).unwrap();
        assert_eq!(format!("{icon:?}"), "CustomIcon(image/png, 22 bytes)");
    }

    #[test]
    fn the_shown_icon_is_the_choice_or_the_issuer_s() {
        let shown = |choice: &IconChoice, issuer: &str| choice.shown(issuer, "alice").id();
        assert_eq!(
            shown(&IconChoice::Auto, "GitHub"),
            Some("simple-icons/github")
        );
        assert_eq!(shown(&IconChoice::Auto, "Acme Payroll"), None);
        assert_eq!(shown(&IconChoice::Letter, "GitHub"), None);
        assert_eq!(
            shown(&IconChoice::bundled("logos/aws").unwrap(), "GitHub"),
            Some("logos/aws")
        );
        let png = CustomIcon::new(b"\x89PNG\r\n\x1a\n".to_vec()).unwrap();
        assert_eq!(shown(&IconChoice::Custom(png), "GitHub"), Some("custom"));
    }

    #[test]
    fn a_bundled_icon_is_chosen_only_by_an_id_that_exists() {
        assert_eq!(
            IconChoice::bundled("simple-icons/github"),
            Some(IconChoice::Bundled("simple-icons/github".into()))
        );
        assert_eq!(IconChoice::bundled("simple-icons/nope"), None);
    }

    #[test]
    fn tags_are_added_and_removed_whatever_their_case() {
        let mut meta = Meta::default();
        assert!(meta.add_tag("Prod"));
        assert!(!meta.add_tag("prod"));
        assert!(meta.add_tag("admin"));
        assert!(meta.has_tag("PROD"));
        assert!(meta.remove_tag("PROD"));
        assert!(!meta.remove_tag("prod"));
        assert_eq!(meta.tags, ["admin"]);
    }
}
