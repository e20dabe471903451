//! The index file: everything about the accounts except their secret keys, as JSON in the
//! user's data directory (`vault.json`), in display order.
//!
//! Written atomically: a temporary file in the same directory, fsync, rename over the old one,
//! fsync of the directory. A process killed at any point leaves either the old or the new index,
//! never a mix. Writers take an exclusive lock on `vault.lock` for the whole read-modify-write,
//! so the CLI and the app can change the vault at once without losing each other's changes.
//! Readers need no lock: the rename is atomic.
//!
//! Fields this version does not know (written by a newer Tessera) are kept as they are.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tessera_core::meta::Meta;
use tessera_core::record::{MetaRecord, ParamsRecord};
use tessera_core::untrusted::shown;
use tessera_core::{Account, Params, Secret};

use crate::error::VaultError;

const INDEX_FILE: &str = "vault.json";
const LOCK_FILE: &str = "vault.lock";
/// Held shared by every writer from its first keychain write to its index write, and exclusively
/// by `doctor --fix`, which so never takes a key on its way in for an orphan.
const KEYS_LOCK_FILE: &str = "keys.lock";
const TEMP_PREFIX: &str = ".vault.json.";
const FORMAT: &str = "tessera-index";
const VERSION: u32 = 1;
/// The largest index read: about 25,000 accounts, beyond any vault (a backup holds at most
/// 10,000). It bounds what parsing a damaged or planted file can cost.
pub const MAX_INDEX_BYTES: u64 = 8 * 1024 * 1024;
/// Ids are 16 hex digits; this leaves room for another kind of id without letting a planted
/// index send kilobytes to the keychain as an item's name.
const MAX_ID_CHARS: usize = 64;

/// An account as the index knows it: all but the secret key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Stable, random, never shown in place of the name; the keychain item's user.
    pub id: String,
    /// The friendly name the user chose ("staging-tester-07"); unique, whatever the case.
    pub name: String,
    pub issuer: String,
    pub label: String,
    pub params: Params,
    /// When the account was added, Unix seconds.
    pub created: u64,
    /// The user's tags and note.
    pub meta: Meta,
    /// Fields of a newer Tessera, kept so that rewriting the index does not lose them.
    extra: serde_json::Map<String, serde_json::Value>,
}

impl Entry {
    /// Whether the user chose its name (see [`crate::names::is_chosen`]).
    pub fn name_is_chosen(&self) -> bool {
        crate::names::is_chosen(self)
    }

    /// The whole account, given its key (from the keychain).
    pub fn account(&self, secret: Secret) -> Account {
        Account {
            issuer: self.issuer.clone(),
            label: self.label.clone(),
            secret,
            params: self.params,
        }
    }

    pub fn new(
        id: String,
        name: String,
        issuer: String,
        label: String,
        params: Params,
        created: u64,
    ) -> Self {
        Self {
            id,
            name,
            issuer,
            label,
            params,
            created,
            meta: Meta::default(),
            extra: serde_json::Map::new(),
        }
    }
}

/// The index's JSON shape for one account (documented in ARCHITECTURE.md).
#[derive(Serialize, Deserialize)]
struct Record {
    id: String,
    name: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    label: String,
    #[serde(flatten)]
    params: ParamsRecord,
    #[serde(default)]
    created: u64,
    #[serde(flatten)]
    meta: MetaRecord,
    #[serde(flatten)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize, Deserialize)]
struct IndexJson {
    format: String,
    version: u32,
    accounts: Vec<Record>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    trash: Vec<TrashedRecord>,
    #[serde(flatten)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// The index's JSON shape for an account in the trash: its record, and two fields more.
#[derive(Serialize, Deserialize)]
struct TrashedRecord {
    #[serde(flatten)]
    record: Record,
    deleted: u64,
    position: usize,
}

impl From<&Entry> for Record {
    fn from(e: &Entry) -> Self {
        Self {
            id: e.id.clone(),
            name: e.name.clone(),
            issuer: e.issuer.clone(),
            label: e.label.clone(),
            params: ParamsRecord::from(&e.params),
            created: e.created,
            meta: MetaRecord::from(&e.meta),
            extra: e.extra.clone(),
        }
    }
}

impl TryFrom<Record> for Entry {
    type Error = String;

    fn try_from(r: Record) -> Result<Self, String> {
        if r.id.is_empty() || r.name.is_empty() {
            return Err("an account without id or name".into());
        }
        if r.id.chars().count() > MAX_ID_CHARS || r.id.chars().any(char::is_control) {
            return Err("an account id that Tessera never writes".into());
        }
        let params = r
            .params
            .params()
            .map_err(|e| format!("account {}: {e}", shown(&r.id)))?;
        Ok(Entry {
            id: r.id,
            name: r.name,
            issuer: r.issuer,
            label: r.label,
            params,
            created: r.created,
            // Bounded as a backup's are: the index is a file anyone with the account can edit.
            meta: r.meta.meta(),
            extra: r.extra,
        })
    }
}

/// The vault's directory: the index, its lock, and nothing else.
#[derive(Debug, Clone)]
pub struct IndexFile {
    dir: PathBuf,
}

/// The accounts read from the index, and what must be written back with them.
#[derive(Debug, Default)]
pub struct Accounts {
    pub entries: Vec<Entry>,
    /// Removed accounts, kept with their keys until purged (see [`crate::trash`]).
    pub trash: Vec<Trashed>,
    extra: serde_json::Map<String, serde_json::Value>,
}

/// An account in the trash: the whole entry, when it was removed, and where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trashed {
    pub entry: Entry,
    /// When it was removed, Unix seconds.
    pub deleted: u64,
    /// Its place in the index when it was removed, for a restore to put it back there.
    pub position: usize,
}

/// Why the index's bytes can't be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// Written by a newer Tessera: left untouched.
    Newer(u32),
    Damaged(String),
}

impl Accounts {
    /// The accounts of an index file's bytes (any bytes: a damaged file is an error).
    pub fn parse(bytes: &[u8]) -> Result<Self, Unreadable> {
        if bytes.len() as u64 > MAX_INDEX_BYTES {
            return Err(Unreadable::Damaged(format!(
                "it is over {} MiB, larger than any index",
                MAX_INDEX_BYTES >> 20
            )));
        }
        let damaged = |detail: String| Unreadable::Damaged(detail);
        let file: IndexJson = serde_json::from_slice(bytes).map_err(|e| damaged(e.to_string()))?;
        if file.format != FORMAT {
            return Err(damaged(format!(
                "not a Tessera index (format {:?})",
                shown(&file.format)
            )));
        }
        if file.version > VERSION {
            return Err(Unreadable::Newer(file.version));
        }
        let entries = file
            .accounts
            .into_iter()
            .map(Entry::try_from)
            .collect::<Result<Vec<_>, _>>()
            .map_err(damaged)?;
        let trash = file
            .trash
            .into_iter()
            .map(|t| {
                Ok(Trashed {
                    entry: Entry::try_from(t.record)?,
                    deleted: t.deleted,
                    position: t.position,
                })
            })
            .collect::<Result<Vec<_>, String>>()
            .map_err(damaged)?;
        Ok(Accounts {
            entries,
            trash,
            extra: file.extra,
        })
    }
}

/// One version of the index file, to tell whether what was read is still what the file holds:
/// every write replaces the file (a rename), so a changed index is another file, with another
/// identity, and likely another size and time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    file: (u64, u64),
}

impl Stamp {
    fn of(metadata: &fs::Metadata) -> Self {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Self {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            #[cfg(unix)]
            file: (metadata.dev(), metadata.ino()),
        }
    }
}

/// Held while a writer reads, changes and writes the index; released on drop.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

/// Held while keys are on their way into the keychain (shared), or while nothing may be (doctor's
/// repairs, exclusive); released on drop, and by the system when a process dies.
#[derive(Debug)]
pub struct KeysLock {
    _file: File,
}

impl IndexFile {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(INDEX_FILE)
    }

    /// Reads the accounts; a missing index is an empty vault. A damaged one is an error, and
    /// nothing is ever written over it.
    pub fn read(&self) -> Result<Accounts, VaultError> {
        self.read_stamped().map(|(accounts, _)| accounts)
    }

    /// Reads the accounts, with the stamp of the file they were read from (none for a missing
    /// index).
    pub fn read_stamped(&self) -> Result<(Accounts, Option<Stamp>), VaultError> {
        let path = self.path();
        let io = |source| VaultError::Io {
            action: "reading",
            path: path.clone(),
            source,
        };
        let mut bytes = Vec::new();
        let stamp = match File::open(&path) {
            Ok(file) => {
                // Of the file opened: a write since the open renames another file over the path.
                let stamp = file.metadata().map_err(io)?;
                file.take(MAX_INDEX_BYTES + 1)
                    .read_to_end(&mut bytes)
                    .map_err(io)?;
                Stamp::of(&stamp)
            }
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok((Accounts::default(), None)),
            Err(source) => return Err(io(source)),
        };
        let accounts = Accounts::parse(&bytes).map_err(|problem| match problem {
            Unreadable::Newer(version) => VaultError::NewerFormat { path, version },
            Unreadable::Damaged(detail) => VaultError::Damaged { path, detail },
        })?;
        Ok((accounts, Some(stamp)))
    }

    /// The stamp of the index file as it is now; none when it is missing or can't be looked at.
    pub fn stamp(&self) -> Option<Stamp> {
        fs::metadata(self.path()).ok().map(|m| Stamp::of(&m))
    }

    /// Takes the writers' lock, creating the directory (private to the user) when needed.
    /// Blocks while another process holds it.
    pub fn lock(&self) -> Result<WriteLock, VaultError> {
        Ok(WriteLock {
            _file: self.lock_file(LOCK_FILE, false)?,
        })
    }

    /// Marks keys on their way into the keychain, until dropped. Many writers may hold it at
    /// once; it waits while doctor repairs.
    pub fn keys_in_flight(&self) -> Result<KeysLock, VaultError> {
        Ok(KeysLock {
            _file: self.lock_file(KEYS_LOCK_FILE, true)?,
        })
    }

    /// Waits until no keys are on their way in, and holds off new ones until dropped.
    pub fn no_keys_in_flight(&self) -> Result<KeysLock, VaultError> {
        Ok(KeysLock {
            _file: self.lock_file(KEYS_LOCK_FILE, false)?,
        })
    }

    fn lock_file(&self, name: &str, shared: bool) -> Result<File, VaultError> {
        self.create_dir()?;
        let path = self.dir.join(name);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| VaultError::Io {
                action: "opening",
                path: path.clone(),
                source,
            })?;
        let locked = if shared {
            file.lock_shared()
        } else {
            file.lock()
        };
        locked.map_err(|source| VaultError::Io {
            action: "locking",
            path,
            source,
        })?;
        Ok(file)
    }

    /// Replaces the index atomically. Takes the lock guard to prove the caller holds it.
    pub fn write(&self, accounts: &Accounts, _lock: &WriteLock) -> Result<(), VaultError> {
        let file = IndexJson {
            format: FORMAT.to_owned(),
            version: VERSION,
            accounts: accounts.entries.iter().map(Record::from).collect(),
            trash: accounts
                .trash
                .iter()
                .map(|t| TrashedRecord {
                    record: Record::from(&t.entry),
                    deleted: t.deleted,
                    position: t.position,
                })
                .collect(),
            extra: accounts.extra.clone(),
        };
        self.remove_stale_temporaries();
        write_json(&self.path(), TEMP_PREFIX, &file, MAX_INDEX_BYTES)
    }

    /// Temporary files left by a process killed mid-write. Only the lock holder writes, so any
    /// that exist now are stale.
    fn remove_stale_temporaries(&self) {
        for path in self.temporaries() {
            let _ = fs::remove_file(path);
        }
    }

    /// The temporary index files in the directory: a writer's while it writes, else left by a
    /// process killed mid-write.
    pub fn temporaries(&self) -> Vec<PathBuf> {
        temporaries_in(&self.dir, TEMP_PREFIX)
    }

    fn create_dir(&self) -> Result<(), VaultError> {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&self.dir).map_err(|source| VaultError::Io {
            action: "creating",
            path: self.dir.clone(),
            source,
        })
    }
}

/// Files in `dir` whose name starts with `prefix` and ends in `.tmp`, sorted.
pub(crate) fn temporaries_in(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(found) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = found
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with(prefix) && name.ends_with(".tmp")
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Removes a file; one that is already gone is not an error.
pub(crate) fn remove_if_present(path: &Path) -> Result<(), VaultError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(VaultError::Io {
            action: "removing",
            path: path.to_owned(),
            source,
        }),
    }
}

/// Writes `value` as pretty JSON over `path` atomically: a temporary file beside it named
/// `<temp_prefix><pid>.tmp`, synced, renamed over `path`; removed again if anything fails.
/// Refused, writing nothing, when it would be over `max_bytes`, the most its reader reads.
pub(crate) fn write_json(
    path: &Path,
    temp_prefix: &str,
    value: &impl Serialize,
    max_bytes: u64,
) -> Result<(), VaultError> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|e| VaultError::Io {
        action: "encoding",
        path: path.to_owned(),
        source: std::io::Error::other(e),
    })?;
    bytes.push(b'\n');
    let dir = path.parent().unwrap_or(Path::new("."));
    let temp = dir.join(format!("{temp_prefix}{}.tmp", std::process::id()));
    write_bytes(path, &temp, &bytes, max_bytes)
}

/// Writes `bytes` over `path` atomically through the temporary file `temp` (in the same
/// directory), as [`write_json`] does; refused, writing nothing, when over `max_bytes`.
pub(crate) fn write_bytes(
    path: &Path,
    temp: &Path,
    bytes: &[u8],
    max_bytes: u64,
) -> Result<(), VaultError> {
    if bytes.len() as u64 > max_bytes {
        return Err(VaultError::TooLarge {
            what: path.display().to_string(),
            max_bytes,
        });
    }
    let result = write_then_rename(temp, path, bytes);
    if result.is_err() {
        let _ = fs::remove_file(temp);
    }
    result
}

fn write_then_rename(temp: &Path, path: &Path, bytes: &[u8]) -> Result<(), VaultError> {
    fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> VaultError {
        let path = path.to_owned();
        move |source| VaultError::Io {
            action,
            path,
            source,
        }
    }
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(temp).map_err(io("creating", temp))?;
    file.write_all(bytes).map_err(io("writing", temp))?;
    file.sync_all().map_err(io("syncing", temp))?;
    drop(file);
    rename_over(temp, path).map_err(io("replacing", path))?;
    // The rename is durable only once the directory is synced (POSIX); Windows has no such call.
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io("syncing", dir))?;
    }
    Ok(())
}

/// How long a rename refused because a reader has the file open is tried again (Windows).
const RENAME_RETRY_FOR: std::time::Duration = std::time::Duration::from_secs(2);

/// Renames `temp` over `path`. Readers take no lock, so `path` may be open in another process
/// (the window reads the index whenever it changes). POSIX lets the rename through. Windows
/// does too with POSIX rename semantics, which std asks for (Windows 10 1607 and later, NTFS);
/// where they are missing (FAT32, older Windows, Wine) the rename is refused while the file is
/// open, which lasts the milliseconds of a read: so there it is tried again, for a while.
fn rename_over(temp: &Path, path: &Path) -> std::io::Result<()> {
    let deadline = std::time::Instant::now() + RENAME_RETRY_FOR;
    loop {
        match fs::rename(temp, path) {
            Err(e) if cfg!(windows) && held_open(&e) && std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            done => return done,
        }
    }
}

/// Windows' answers to a rename over a file another handle has open: access denied (5), or a
/// sharing violation (32) when the reader did not share delete access.
fn held_open(error: &std::io::Error) -> bool {
    error.kind() == ErrorKind::PermissionDenied || error.raw_os_error() == Some(32)
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU32;

    use tessera_core::{Algorithm, Digits, Kind};

    use super::*;

    fn entry(id: &str, name: &str, params: Params) -> Entry {
        Entry::new(
            id.into(),
            name.into(),
            "Issuer".into(),
            "label".into(),
            params,
            1_700_000_000,
        )
    }

    #[test]
    fn a_stamp_holds_until_the_index_is_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let index = IndexFile::new(dir.path().to_owned());
        assert_eq!(index.read_stamped().unwrap().1, None);
        assert_eq!(index.stamp(), None);
        let mut accounts = Accounts {
            entries: vec![entry("a1", "One", Params::default())],
            ..Default::default()
        };
        let lock = index.lock().unwrap();
        index.write(&accounts, &lock).unwrap();
        let (read, stamp) = index.read_stamped().unwrap();
        assert_eq!(read.entries, accounts.entries);
        assert!(stamp.is_some());
        assert_eq!(index.stamp(), stamp, "nothing written since");
        // The same size, written within the same clock tick: still another file.
        accounts.entries[0].name = "Two".into();
        index.write(&accounts, &lock).unwrap();
        assert_ne!(index.stamp(), stamp);
        assert_eq!(index.read_stamped().unwrap().1, index.stamp());
    }

    #[test]
    fn write_then_read_gives_the_same_entries() {
        let dir = tempfile::tempdir().unwrap();
        let index = IndexFile::new(dir.path().join("nested/tessera"));
        assert!(
            index.read().unwrap().entries.is_empty(),
            "a missing index is an empty vault"
        );
        let steam = Params {
            kind: Kind::Steam {
                period: NonZeroU32::new(30).unwrap(),
            },
            ..Params::default()
        };
        let hotp = Params {
            kind: Kind::Hotp { counter: 41 },
            algorithm: Algorithm::Sha512,
            digits: Digits::new(8).unwrap(),
        };
        let mut tagged = entry("b2", "Two", steam);
        tagged.meta = Meta::imported(["prod", "Team A"], "line 1\nline 2");
        let accounts = Accounts {
            entries: vec![
                entry("a1", "One", Params::default()),
                tagged,
                entry("c3", "Three", hotp),
            ],
            ..Default::default()
        };
        let lock = index.lock().unwrap();
        index.write(&accounts, &lock).unwrap();
        assert_eq!(index.read().unwrap().entries, accounts.entries);
        let text = fs::read_to_string(index.path()).unwrap();
        assert_eq!(
            text.matches("\"tags\"").count(),
            1,
            "no empty tags written: {text}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(index.path()).unwrap().permissions().mode() & 0o777,
                0o600
            );
            assert_eq!(
                fs::metadata(index.dir()).unwrap().permissions().mode() & 0o777,
                0o700
            );
        }
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(index.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    /// Readers take no lock, so a writer may replace the index while another process reads it:
    /// here a reader holds it open for 200 ms. The write succeeds (at once on POSIX and on
    /// Windows with POSIX rename semantics; elsewhere once the reader closes it), and the reader
    /// reads the index it opened, whole.
    #[test]
    fn the_index_is_replaced_while_a_reader_has_it_open() {
        let dir = tempfile::tempdir().unwrap();
        let index = IndexFile::new(dir.path().to_owned());
        let accounts = |name: &str| Accounts {
            entries: vec![entry("a1", name, Params::default())],
            ..Default::default()
        };
        let lock = index.lock().unwrap();
        index.write(&accounts("Before"), &lock).unwrap();
        let mut reader = File::open(index.path()).unwrap();
        let (opened, read) = std::sync::mpsc::channel();
        let reading = std::thread::spawn(move || {
            opened.send(()).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(200));
            let mut old = String::new();
            reader.read_to_string(&mut old).unwrap();
            old
        });
        read.recv().unwrap();
        index.write(&accounts("After"), &lock).unwrap();
        assert_eq!(index.read().unwrap().entries[0].name, "After");
        let old = reading.join().unwrap();
        assert!(old.contains("Before") && old.ends_with("}\n"), "{old}");
    }

    #[test]
    fn fields_of_a_newer_version_survive_a_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let index = IndexFile::new(dir.path().to_owned());
        fs::write(
            index.path(),
            r#"{"format":"tessera-index","version":1,"theme":"dark","accounts":[
                {"id":"x","name":"X","type":"totp","algorithm":"SHA1","digits":6,"period":30,"tags":["work"]}]}"#,
        )
        .unwrap();
        let accounts = index.read().unwrap();
        let lock = index.lock().unwrap();
        index.write(&accounts, &lock).unwrap();
        let text = fs::read_to_string(index.path()).unwrap();
        assert!(
            text.contains(r#""tags": ["#) && text.contains(r#""theme": "dark""#),
            "{text}"
        );
    }

    #[test]
    fn damaged_or_newer_indexes_are_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let index = IndexFile::new(dir.path().to_owned());
        for (content, expected) in [
            (
                "{\"format\":\"tessera-index\",\"version\":1,\"accounts\":[",
                "damaged",
            ),
            ("not json", "damaged"),
            (
                "{\"format\":\"other\",\"version\":1,\"accounts\":[]}",
                "not a Tessera index",
            ),
            (
                "{\"format\":\"tessera-index\",\"version\":1,\"accounts\":[{\"id\":\"x\",\"name\":\"X\",\"type\":\"totp\",\"algorithm\":\"MD5\",\"digits\":6}]}",
                "unknown algorithm",
            ),
            (
                "{\"format\":\"tessera-index\",\"version\":7,\"accounts\":[]}",
                "newer Tessera",
            ),
        ] {
            fs::write(index.path(), content).unwrap();
            let message = index.read().unwrap_err().to_string();
            assert!(message.contains(expected), "{content}: {message}");
            assert_eq!(fs::read_to_string(index.path()).unwrap(), content);
        }
    }

    #[test]
    fn stale_temporaries_are_removed_by_the_next_writer() {
        let dir = tempfile::tempdir().unwrap();
        let index = IndexFile::new(dir.path().to_owned());
        let stale = dir.path().join(format!("{TEMP_PREFIX}999999.tmp"));
        fs::write(&stale, "half a file").unwrap();
        let lock = index.lock().unwrap();
        index.write(&Accounts::default(), &lock).unwrap();
        assert!(!stale.exists());
    }
}
