//! Where the Secret Service keeps the items of the accounts a start reads first, kept from one
//! run to the next in `$XDG_CACHE_HOME/tessera/keychain-items.json` (`{id: item path}`).
//! gnome-keyring finds an item by looking through the whole collection, so a search by id grows
//! with it; the item at a known path is read without one. A path is only a hint: the item
//! there is read when its attributes still name the account, else it is searched for as if
//! there were none. Nothing is lost when the file is deleted or damaged.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use zbus::zvariant::OwnedObjectPath;

use crate::error::VaultError;

const FILE: &str = "keychain-items.json";
const TEMP_PREFIX: &str = ".keychain-items.json.";
/// The places kept: more than the tallest window shows rows.
pub(super) const MAX_KEPT: usize = 64;
/// Far more than [`MAX_KEPT`] places take; a larger file is not read.
const MAX_BYTES: u64 = 32 * 1024;

/// Item paths by account id.
pub(super) type Places = HashMap<String, OwnedObjectPath>;

/// The file the places are kept in, for this user.
pub(super) fn default_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "Tessera").map(|dirs| dirs.cache_dir().join(FILE))
}

/// The places kept in `file`; none when it is missing, damaged or too large, and none that is
/// not an object path.
pub(super) fn read(file: &Path) -> Places {
    let Some(bytes) = std::fs::File::open(file)
        .and_then(|opened| crate::bounded::read_at_most(opened, MAX_BYTES))
        .ok()
    else {
        return Places::new();
    };
    let kept: HashMap<String, String> = serde_json::from_slice(&bytes).unwrap_or_default();
    kept.into_iter()
        .filter_map(|(id, path)| Some((id, OwnedObjectPath::try_from(path).ok()?)))
        .take(MAX_KEPT)
        .collect()
}

/// Keeps `places` in `file` (at most [`MAX_KEPT`]), written whole or not at all.
pub(super) fn write(file: &Path, places: &Places) -> Result<(), VaultError> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|source| VaultError::Io {
            action: "creating",
            path: dir.to_owned(),
            source,
        })?;
    }
    let sorted: BTreeMap<&str, &str> = places
        .iter()
        .take(MAX_KEPT)
        .map(|(id, path)| (id.as_str(), path.as_str()))
        .collect();
    crate::index::write_json(file, TEMP_PREFIX, &sorted, MAX_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> OwnedObjectPath {
        OwnedObjectPath::try_from(text).unwrap()
    }

    #[test]
    fn places_written_are_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cache/tessera").join(FILE);
        let places = Places::from([
            (
                "1f".into(),
                path("/org/freedesktop/secrets/collection/login/7"),
            ),
            (
                "2e".into(),
                path("/org/freedesktop/secrets/collection/login/12"),
            ),
        ]);
        write(&file, &places).unwrap();
        assert_eq!(read(&file), places);
    }

    #[test]
    fn a_missing_damaged_or_huge_file_keeps_no_place() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE);
        assert!(read(&file).is_empty());
        std::fs::write(&file, b"{\"1f\": \"/org/freedesktop/secrets/coll").unwrap();
        assert!(read(&file).is_empty());
        let huge = format!("{{\"1f\": \"/{}\"}}", "a".repeat(MAX_BYTES as usize));
        std::fs::write(&file, huge).unwrap();
        assert!(read(&file).is_empty());
    }

    #[test]
    fn a_path_that_is_no_object_path_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE);
        std::fs::write(
            &file,
            br#"{"1f": "not a path", "2e": "/org/freedesktop/secrets/collection/login/3"}"#,
        )
        .unwrap();
        assert_eq!(
            read(&file),
            Places::from([(
                "2e".into(),
                path("/org/freedesktop/secrets/collection/login/3")
            )])
        );
    }

    #[test]
    fn no_more_than_the_most_kept_are_written_or_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE);
        let many: HashMap<String, String> = (0..MAX_KEPT * 2)
            .map(|i| (format!("{i:x}"), format!("/item/{i}")))
            .collect();
        std::fs::write(&file, serde_json::to_vec(&many).unwrap()).unwrap();
        let read_back = read(&file);
        assert_eq!(read_back.len(), MAX_KEPT);

        let mut more = read_back;
        more.insert("ff".into(), path("/item/255"));
        write(&file, &more).unwrap();
        let written: HashMap<String, String> =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(written.len(), MAX_KEPT);
    }
}
