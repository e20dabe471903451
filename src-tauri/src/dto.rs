//! What crosses IPC, as plain serialisable types (exported to TypeScript). Domain types stay in
//! core and vault. Keys and links coming in (`AddSource`) are `Sensitive`; the only key going
//! out is in `Revealed`, sent on an explicit reveal and written by its hand-made `Serialize`.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use specta::Type;
use tessera_core::{Account, Kind, Sensitive, display, scan};
use tessera_vault::{Entry, Found, Planned};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum OtpType {
    Totp,
    Hotp,
    Steam,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum HashAlgorithm {
    SHA1,
    SHA256,
    SHA512,
}

impl From<tessera_core::Algorithm> for HashAlgorithm {
    fn from(a: tessera_core::Algorithm) -> Self {
        match a {
            tessera_core::Algorithm::Sha1 => Self::SHA1,
            tessera_core::Algorithm::Sha256 => Self::SHA256,
            tessera_core::Algorithm::Sha512 => Self::SHA512,
        }
    }
}

impl From<HashAlgorithm> for tessera_core::Algorithm {
    fn from(a: HashAlgorithm) -> Self {
        match a {
            HashAlgorithm::SHA1 => Self::Sha1,
            HashAlgorithm::SHA256 => Self::Sha256,
            HashAlgorithm::SHA512 => Self::Sha512,
        }
    }
}

/// An account in the trash, as "Recently deleted" lists it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TrashedView {
    pub id: String,
    pub name: String,
    pub issuer: String,
    pub label: String,
    /// When it was removed, Unix seconds.
    pub deleted: f64,
    /// When it is deleted for good, Unix seconds.
    pub purged_at: f64,
}

impl From<&tessera_vault::Trashed> for TrashedView {
    fn from(t: &tessera_vault::Trashed) -> Self {
        Self {
            id: t.entry.id.clone(),
            name: t.entry.name.clone(),
            issuer: t.entry.issuer.clone(),
            label: t.entry.label.clone(),
            deleted: t.deleted as f64,
            purged_at: t.purged_at() as f64,
        }
    }
}

/// An account in the list: everything but the key.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AccountView {
    pub id: String,
    pub name: String,
    pub issuer: String,
    pub label: String,
    pub otp_type: OtpType,
    pub algorithm: HashAlgorithm,
    pub digits: u8,
    /// Seconds per code; `null` for HOTP.
    pub period: Option<u32>,
    /// The counter of the next HOTP code (as a number: counters beyond 2^53 are not shown exactly).
    pub counter: Option<f64>,
    /// How its row reads (`tessera_core::display::heading`).
    pub heading: HeadingView,
    /// The letter avatar shown where its issuer has no icon.
    pub avatar: AvatarView,
    pub tags: Vec<String>,
    /// `""` when none.
    pub note: String,
    /// Shown first, whatever the order.
    pub pinned: bool,
    /// The icon its row shows, for `icon_images`: a bundled icon's id, `custom:ID:HASH` for its
    /// own image, or `null` for its letter avatar.
    pub icon: Option<String>,
    /// Whether the user chose its icon (rather than it being matched from the issuer).
    pub icon_chosen: bool,
}

/// An account as the window's list shows it: what its row shows and what a search reads. The
/// list holds every account's at once, as a line of a [`RowTable`]; the rest (the details
/// dialog's facts) comes from `account` when asked: at 10,000 accounts each field more is held
/// 10,000 times in the page.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RowView {
    pub id: String,
    pub name: String,
    pub issuer: String,
    /// The row's first line (`tessera_core::display::heading`): `first`, what tells the account
    /// apart, never cut; then `rest`.
    pub first: String,
    pub rest: String,
    /// The row's second line.
    pub sub: String,
    /// Its letter avatar: the letter, on a hue from its issuer (0 to 359).
    pub letter: String,
    pub hue: u16,
    /// As [`AccountView::icon`].
    pub icon: Option<String>,
    pub tags: Vec<String>,
    pub pinned: bool,
    /// An HOTP account: its code is shown when asked for.
    pub hotp: bool,
    /// What a search looks through: its name, issuer, label and note, lower-cased, one per line,
    /// each left out that is found within one before it (its tags are searched in a
    /// [`RowTable`]'s tag marks).
    pub find: String,
}

impl From<&Entry> for RowView {
    fn from(e: &Entry) -> Self {
        let heading = display::heading(&e.name, &e.issuer, &e.label, e.name_is_chosen());
        let (letter, hue) = display::avatar(&e.name, &e.issuer, &e.label);
        // A field found within one before it ("Acme (ann@example.com)", the default name, holds
        // its issuer and label) matches no query that one does not: left out, at 10,000 accounts
        // it was half the text the page holds for the search.
        let mut fields: Vec<String> = Vec::with_capacity(4);
        for field in [&e.name, &e.issuer, &e.label, &e.meta.note] {
            let field = field.to_lowercase();
            if !fields.iter().any(|kept| kept.contains(&field)) {
                fields.push(field);
            }
        }
        let find = fields.join("\n");
        Self {
            id: e.id.clone(),
            name: e.name.clone(),
            issuer: e.issuer.clone(),
            first: heading.first,
            rest: heading.rest,
            sub: heading.sub,
            letter,
            hue,
            icon: crate::commands::icons::shown_key(e),
            tags: e.meta.tags.clone(),
            pinned: e.meta.pinned,
            hotp: matches!(e.params.kind, Kind::Hotp { .. }),
            find,
        }
    }
}

/// Every account of the list at once, for the window, as text. At 10,000 accounts an object per
/// account cost the page about 1 KB of memory, and making them from the answer 5 MB more while it
/// starts (docs/testing.md); a line of text costs what its characters do. Line `i` of `ids`,
/// `rows` and `finds` (each line ended by "\n") is account `i`'s, in the list's order.
#[derive(Debug, Clone, Default, Serialize, Type)]
pub struct RowTable {
    /// Each account's id (ids hold no control character: `tessera_vault`'s index refuses them).
    pub ids: String,
    /// What each account's row shows ([`row_line`]), for the first [`LINES_SENT`] accounts and
    /// the first of each group; the other lines are empty, and `row_lines` gives them for the
    /// rows placed. At 10,000 accounts the lines held in the page cost it 2 MB or more.
    pub rows: String,
    /// What a search reads in each account: [`RowView::find`] with its fields separated by
    /// U+001F; then each tag, lower-cased, after a U+001E, and a last U+001E.
    pub finds: String,
    /// Each account's group when the list groups by issuer: its key's place in `group_keys`.
    pub groups: Vec<u32>,
    /// The groups' keys ([`group_key`]), in the order first met.
    pub group_keys: Vec<String>,
    /// The tags in use, each once whatever its case, spelled as first met.
    pub tags: Vec<String>,
}

/// Before each tag in [`RowTable::finds`], and after the last.
const TAG_MARK: char = '\u{1e}';
/// Between the fields in [`RowTable::finds`].
const FIELD_MARK: char = '\u{1f}';

/// What the list groups accounts by: their issuer, trimmed and lower-cased.
pub fn group_key(issuer: &str) -> String {
    issuer.trim().to_lowercase()
}

/// The accounts a [`RowTable`] sends the line of whatever the list's length: a list of up to
/// this many is whole in the page, and the first screen of a longer one is among them.
pub const LINES_SENT: usize = 500;

/// What an account's row shows, as a JSON array on one line: `[name, issuer, first, rest, sub,
/// letter, hue, icon, tags, pinned, hotp]` ([`RowView`]'s fields). Every character over U+00FF
/// is written as an escape, so that the page holds the string at a byte a character.
pub fn row_line(row: &RowView) -> String {
    let line = (
        &row.name,
        &row.issuer,
        &row.first,
        &row.rest,
        &row.sub,
        &row.letter,
        row.hue,
        &row.icon,
        &row.tags,
        row.pinned,
        row.hotp,
    );
    // A tuple of strings, numbers and booleans always serialises.
    let json = serde_json::to_string(&line).unwrap_or_default();
    let mut text = String::with_capacity(json.len());
    for c in json.chars() {
        if u32::from(c) <= 0xff {
            text.push(c);
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(text, "\\u{unit:04x}");
            }
        }
    }
    text
}

impl FromIterator<RowView> for RowTable {
    fn from_iter<I: IntoIterator<Item = RowView>>(rows: I) -> Self {
        let mut table = Self::default();
        let mut groups = std::collections::HashMap::new();
        let mut tags = std::collections::HashSet::new();
        for row in rows {
            table.push(&row, &mut groups, &mut tags);
        }
        table
    }
}

impl RowTable {
    fn push(
        &mut self,
        row: &RowView,
        groups: &mut std::collections::HashMap<String, u32>,
        tags: &mut std::collections::HashSet<String>,
    ) {
        let key = group_key(&row.issuer);
        let next = groups.len() as u32;
        let mut new_group = false;
        let group = *groups.entry(key.clone()).or_insert_with(|| {
            self.group_keys.push(key);
            new_group = true;
            next
        });
        // A group's header shows its first account's issuer and avatar.
        if self.groups.len() < LINES_SENT || new_group {
            self.rows.push_str(&row_line(row));
        }
        self.groups.push(group);
        self.ids.push_str(&row.id);
        self.ids.push('\n');
        self.rows.push('\n');
        // A line break or a tag's mark inside a field (a note's lines) would end the account's
        // line or start a tag.
        self.finds.extend(row.find.chars().map(|c| match c {
            '\n' | TAG_MARK => FIELD_MARK,
            c => c,
        }));
        self.finds.push(TAG_MARK);
        for tag in &row.tags {
            let key = tag.to_lowercase();
            self.finds.push_str(&key.replace(['\n', TAG_MARK], " "));
            self.finds.push(TAG_MARK);
            if tags.insert(key) {
                self.tags.push(tag.clone());
            }
        }
        self.finds.push('\n');
    }
}

/// A row's two lines: `first` (what tells the account apart, never cut) and `rest` on the
/// first, `sub` below.
#[derive(Debug, Clone, Serialize, Type)]
pub struct HeadingView {
    pub first: String,
    pub rest: String,
    pub sub: String,
}

/// A letter on a colour from the issuer (a hue, 0 to 359).
#[derive(Debug, Clone, Serialize, Type)]
pub struct AvatarView {
    pub letter: String,
    pub hue: u16,
}

impl From<&Entry> for AccountView {
    fn from(e: &Entry) -> Self {
        Self {
            id: e.id.clone(),
            name: e.name.clone(),
            issuer: e.issuer.clone(),
            label: e.label.clone(),
            otp_type: otp_type(&e.params.kind),
            algorithm: e.params.algorithm.into(),
            digits: e.params.code_length(),
            period: e.params.kind.period().map(|p| p.get()),
            counter: match e.params.kind {
                Kind::Hotp { counter } => Some(counter as f64),
                _ => None,
            },
            heading: {
                let h = display::heading(&e.name, &e.issuer, &e.label, e.name_is_chosen());
                HeadingView {
                    first: h.first,
                    rest: h.rest,
                    sub: h.sub,
                }
            },
            avatar: {
                let (letter, hue) = display::avatar(&e.name, &e.issuer, &e.label);
                AvatarView { letter, hue }
            },
            tags: e.meta.tags.clone(),
            note: e.meta.note.clone(),
            pinned: e.meta.pinned,
            icon: crate::commands::icons::shown_key(e),
            icon_chosen: e.meta.icon != tessera_core::meta::IconChoice::Auto,
        }
    }
}

pub fn otp_type(kind: &Kind) -> OtpType {
    match kind {
        Kind::Totp { .. } => OtpType::Totp,
        Kind::Hotp { .. } => OtpType::Hotp,
        Kind::Steam { .. } => OtpType::Steam,
    }
}

/// An account's codes at a moment, or why there are none.
#[derive(Debug, Clone, Serialize, Type)]
pub struct CodeView {
    pub id: String,
    /// The code shown now; for HOTP, the last code taken (none until the user asks).
    pub code: Option<String>,
    /// The code after it.
    pub next_code: Option<String>,
    /// Unix time in milliseconds when `code` stops being current; `null` for HOTP.
    pub expires_at_ms: Option<f64>,
    /// Seconds per code; `null` for HOTP.
    pub period: Option<u32>,
    /// Why there is no code (key missing, keychain locked...).
    pub problem: Option<crate::error::IpcError>,
}

/// What the user entered to add an account.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AddSource {
    /// An otpauth:// URI, pasted.
    Uri { uri: Sensitive<String> },
    /// A secret key typed or pasted, with its parameters.
    Key {
        secret: Sensitive<String>,
        issuer: String,
        label: String,
        otp_type: OtpType,
        algorithm: HashAlgorithm,
        digits: u8,
        period: u32,
        counter: f64,
    },
}

/// What a pasted URI or typed key would add, for the form to show before adding.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct AddPreview {
    pub issuer: String,
    pub label: String,
    pub otp_type: OtpType,
    pub algorithm: HashAlgorithm,
    pub digits: u8,
    pub period: Option<u32>,
    /// The name the account gets if the user gives none.
    pub default_name: String,
    /// Bits in the key.
    pub key_bits: u32,
}

impl AddPreview {
    pub fn of(account: &Account, default_name: String) -> Self {
        let p = &account.params;
        Self {
            issuer: account.issuer.clone(),
            label: account.label.clone(),
            otp_type: otp_type(&p.kind),
            algorithm: p.algorithm.into(),
            digits: p.code_length(),
            period: p.kind.period().map(|x| x.get()),
            default_name,
            key_bits: u32::try_from(account.secret.expose_bytes().len() * 8).unwrap_or(u32::MAX),
        }
    }
}

/// A revealed key: sent to the webview only when the user clicks "Reveal".
#[derive(Debug, Clone, Type)]
pub struct Revealed {
    /// The key in base32, in groups of four for reading.
    pub secret: Sensitive<String>,
    /// The account's otpauth:// URI (key included) as a QR code, an SVG document, to scan
    /// with a phone. The URI itself is not sent: the dialog does not show it.
    pub qr_svg: Sensitive<String>,
}

/// Written out by hand: the one place a key is serialised for the webview.
impl Serialize for Revealed {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut shown = serializer.serialize_struct("Revealed", 2)?;
        shown.serialize_field("secret", self.secret.as_str())?;
        shown.serialize_field("qr_svg", self.qr_svg.as_str())?;
        shown.end()
    }
}

/// One account a scan found, for the confirm list: what it is, never its key.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct FoundView {
    /// Its place in the scan, for `add_scanned`.
    pub index: u32,
    /// `default_name` is the name proposed: valid, and free in the vault.
    pub account: AddPreview,
    /// The friendly name of the account already in the vault with the same key, if any.
    pub duplicate_of: Option<String>,
    /// `duplicate_of` is an account earlier in the same backup, not one in the vault.
    pub duplicate_in_file: bool,
    /// The account this one is an enrolment again of (same issuer and label, or name, new
    /// key): the window offers to replace its key (the default) or to add this one as new.
    pub replaces: Option<String>,
}

impl FoundView {
    pub fn of(index: u32, planned: &Planned) -> Self {
        let (duplicate_of, duplicate_in_file, replaces) = match &planned.found {
            Found::New => (None, false, None),
            Found::Duplicate { of, in_batch } => (Some(of.clone()), *in_batch, None),
            Found::Reenrolment { name, .. } => (None, false, Some(name.clone())),
        };
        Self {
            index,
            account: AddPreview::of(&planned.account, planned.name.clone()),
            duplicate_of,
            duplicate_in_file,
            replaces,
        }
    }
}

/// What a scan (the screen, the clipboard, image files) found. The accounts wait in the shell
/// until the user confirms them with `add_scanned`.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ScanView {
    pub scan_id: u32,
    pub found: Vec<FoundView>,
    /// What gave no account: an unreadable image, no code, a missing export code...
    pub problems: Vec<ProblemView>,
}

/// Something a scan or an import could not use: `said` in English, with its details; `kind`
/// and `about` (the image's file name, the entry's name) for the window's language, or `source`
/// when it is about the screen or the clipboard, which the window names itself.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ProblemView {
    pub said: String,
    pub kind: ProblemKind,
    pub about: String,
    pub source: Option<Source>,
}

/// A scan that read no file: the screen, or the clipboard's image or text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Screen,
    ClipboardImage,
    ClipboardText,
}

impl Source {
    /// How the English sentences of a scan's problems name it.
    pub fn name(self) -> &'static str {
        match self {
            Source::Screen => "Screen",
            Source::ClipboardImage => "Clipboard image",
            Source::ClipboardText => "Clipboard",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// Not an image Tessera reads, or too large.
    Image,
    /// The file could not be read.
    Unreadable,
    NoCode,
    /// A QR code that is not an otpauth:// link.
    NotAnAccount,
    /// An otpauth:// link that cannot be used.
    Link,
    /// A Google Authenticator transfer code that cannot be used.
    Transfer,
    /// An account in a transfer export or a backup that cannot be used.
    Skipped,
    /// Codes of a transfer export missing.
    Missing,
    /// The vault could not be checked for the accounts found: nothing can be added.
    Vault,
}

impl ProblemView {
    pub fn new(said: impl Into<String>, kind: ProblemKind, about: impl Into<String>) -> Self {
        Self {
            said: said.into(),
            kind,
            about: about.into(),
            source: None,
        }
    }

    /// Marks it as about `source` when that is what it names.
    pub fn naming(mut self, source: Option<Source>) -> Self {
        self.source = source.filter(|s| self.about == s.name());
        self
    }
}

impl From<&scan::Problem> for ProblemView {
    fn from(problem: &scan::Problem) -> Self {
        use scan::Problem as P;
        let (kind, about) = match problem {
            P::Image { origin, .. } => (ProblemKind::Image, origin.clone()),
            P::Unreadable { origin, .. } => (ProblemKind::Unreadable, origin.clone()),
            P::NoCode { origin } => (ProblemKind::NoCode, origin.clone()),
            P::NotAnAccount { origin } => (ProblemKind::NotAnAccount, origin.clone()),
            P::Uri { origin, .. } => (ProblemKind::Link, origin.clone()),
            P::Transfer { origin, .. } => (ProblemKind::Transfer, origin.clone()),
            P::Skipped(skipped) => (ProblemKind::Skipped, skipped.name.clone()),
            P::Missing(_) => (ProblemKind::Missing, String::new()),
        };
        Self::new(problem.to_string(), kind, about)
    }
}

/// The user's choice for one found account: add it under this name, or (for a re-enrolment)
/// give the old account its key.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct ScannedChoice {
    pub index: u32,
    pub name: String,
    /// For a re-enrolment: replace the old account's key (its name is kept; `name` is unused).
    pub replace: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_holds_what_its_row_shows_and_a_search_reads() {
        let hotp = tessera_core::Params {
            kind: Kind::Hotp { counter: 3 },
            ..Default::default()
        };
        let mut entry = Entry::new(
            "0f8fad5b".into(),
            "Staging-Tester-07".into(),
            "Amazon Web Services".into(),
            "Admin@Example.com".into(),
            hotp,
            0,
        );
        entry.meta.tags = vec!["Prod".into(), "ÉQUIPE".into()];
        entry.meta.note = "Recovery Codes In The Safe".into();
        let row = RowView::from(&entry);
        let view = AccountView::from(&entry);
        assert_eq!(
            (&row.first, &row.rest, &row.sub),
            (&view.heading.first, &view.heading.rest, &view.heading.sub)
        );
        assert_eq!(
            (&row.letter, row.hue),
            (&view.avatar.letter, view.avatar.hue)
        );
        assert!(row.hotp);
        assert_eq!(
            row.find,
            "staging-tester-07\namazon web services\nadmin@example.com\nrecovery codes in the safe"
        );
        // The default name holds the issuer and the label: a search needs it alone.
        entry.name = "Amazon Web Services (Admin@Example.com)".into();
        entry.meta.note = "AMAZON".into();
        assert_eq!(
            RowView::from(&entry).find,
            "amazon web services (admin@example.com)"
        );
        entry.params = tessera_core::Params::default();
        assert!(!RowView::from(&entry).hotp, "TOTP");
    }

    #[test]
    fn a_row_table_holds_each_account_on_a_line_of_each_string() {
        let entry = |id: &str, name: &str, issuer: &str, tags: &[&str], note: &str| {
            let mut e = Entry::new(
                id.into(),
                name.into(),
                issuer.into(),
                "user@example.com".into(),
                tessera_core::Params::default(),
                0,
            );
            e.meta.tags = tags.iter().map(|t| (*t).to_owned()).collect();
            e.meta.note = note.into();
            e
        };
        let entries = [
            entry(
                "a1",
                "Zoë ✓ 😀",
                "Acme",
                &["Work", "Prod"],
                "line one\nline two\u{1e}",
            ),
            entry("b2", "plain", " acme ", &["work"], ""),
            entry("c3", "other", "Globex", &[], ""),
        ];
        let table: RowTable = entries.iter().map(RowView::from).collect();

        assert_eq!(table.ids, "a1\nb2\nc3\n");
        let rows: Vec<&str> = table.rows.lines().collect();
        assert_eq!(rows.len(), 3);
        // One byte a character in the page: over U+00FF escaped, a surrogate pair for 😀.
        assert!(table.rows.chars().all(|c| u32::from(c) <= 0xff));
        assert!(
            rows[0].contains("Zoë \\u2713 \\ud83d\\ude00"),
            "{}",
            rows[0]
        );
        for (line, entry) in rows.iter().zip(&entries) {
            let row = RowView::from(entry);
            let parsed: serde_json::Value = serde_json::from_str(line).unwrap();
            let expected = serde_json::json!([
                row.name, row.issuer, row.first, row.rest, row.sub, row.letter, row.hue, row.icon,
                row.tags, row.pinned, row.hotp
            ]);
            assert_eq!(parsed, expected);
        }

        // A note's line break and a tag's mark stay inside their account's line.
        let finds: Vec<&str> = table.finds.lines().collect();
        assert_eq!(finds.len(), 3);
        assert_eq!(
            finds[0],
            "zoë ✓ 😀\u{1f}acme\u{1f}user@example.com\u{1f}line one\u{1f}line two\u{1f}\u{1e}work\u{1e}prod\u{1e}"
        );
        // An empty note is within any field: no field is left empty.
        assert_eq!(finds[2], "other\u{1f}globex\u{1f}user@example.com\u{1e}");

        // "Acme" and " acme " are one group; tags are each once, spelled as first met.
        assert_eq!(table.groups, [0, 0, 1]);
        assert_eq!(table.group_keys, ["acme", "globex"]);
        assert_eq!(table.tags, ["Work", "Prod"]);
    }

    #[test]
    fn a_long_table_sends_the_first_lines_and_each_groups_first() {
        let issuer = |i: usize| match i {
            _ if i < LINES_SENT + 10 => "Acme",
            _ if i < LINES_SENT + 20 => "Globex",
            _ => "acme",
        };
        let entries: Vec<Entry> = (0..LINES_SENT + 30)
            .map(|i| {
                let params = tessera_core::Params::default();
                Entry::new(
                    format!("{i:08x}"),
                    format!("user{i}"),
                    issuer(i).into(),
                    "l".into(),
                    params,
                    0,
                )
            })
            .collect();
        let table: RowTable = entries.iter().map(RowView::from).collect();
        let rows: Vec<&str> = table.rows.lines().collect();
        assert_eq!(rows.len(), entries.len());
        assert_eq!(table.ids.lines().count(), entries.len());
        assert_eq!(table.finds.lines().count(), entries.len());
        for (i, (line, entry)) in rows.iter().zip(&entries).enumerate() {
            // Globex's first account heads its group; the others below LINES_SENT come later.
            let sent = i < LINES_SENT || i == LINES_SENT + 10;
            let expected = if sent {
                row_line(&RowView::from(entry))
            } else {
                String::new()
            };
            assert_eq!(*line, expected, "line {i}");
        }
        assert_eq!(table.group_keys, ["acme", "globex"]);
    }

    #[test]
    fn a_problem_is_about_its_source_only_when_it_names_it() {
        let on_screen = scan::Problem::NoCode {
            origin: Source::Screen.name().to_owned(),
        };
        let view = ProblemView::from(&on_screen).naming(Some(Source::Screen));
        assert_eq!(
            (view.kind, view.source),
            (ProblemKind::NoCode, Some(Source::Screen))
        );
        // A transfer export's missing codes name no origin: nothing to say of the screen.
        let view = ProblemView::new("codes missing", ProblemKind::Missing, "")
            .naming(Some(Source::ClipboardText));
        assert_eq!(view.source, None);
        let in_file = scan::Problem::NoCode {
            origin: "Screen.png".to_owned(),
        };
        assert_eq!(ProblemView::from(&in_file).naming(None).source, None);
    }
}
