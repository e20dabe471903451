//! Tags, notes and pins on the vault's accounts: checked as the user gives them, changed under
//! the writers' lock like a rename. None touches the keychain.

use tessera_core::meta::{self, IconChoice, MAX_TAGS, Meta};

use crate::error::VaultError;
use crate::index::Entry;
use crate::names;
use crate::secrets::SecretStore;
use crate::vault::Vault;

/// `meta` if every tag and the note are valid and there are at most [`MAX_TAGS`] tags, with
/// tags trimmed and repeats (whatever their case) dropped.
pub(crate) fn checked(meta: &Meta) -> Result<Meta, VaultError> {
    let mut out = Meta {
        tags: Vec::with_capacity(meta.tags.len()),
        note: meta::validate_note(&meta.note).map_err(VaultError::InvalidMeta)?,
        pinned: meta.pinned,
        icon: checked_icon(meta.icon.clone())?,
    };
    add_all(&mut out, &meta.tags);
    for tag in &meta.tags {
        meta::validate_tag(tag).map_err(VaultError::InvalidMeta)?;
    }
    too_many(&out)?;
    Ok(out)
}

/// Adds each of `tags` (trimmed) that `meta` lacks, keeping its order.
pub(crate) fn add_all(meta: &mut Meta, tags: &[String]) {
    for tag in tags {
        meta.add_tag(tag.trim());
    }
}

/// What an account enrolled again keeps of the incoming one (checked): its tags while there is
/// room for them under [`MAX_TAGS`], and its pin. A re-enrolment is never refused for its tags.
pub(crate) fn merge(meta: &mut Meta, incoming: &Meta) {
    for tag in &incoming.tags {
        if meta.tags.len() == MAX_TAGS {
            break;
        }
        meta.add_tag(tag);
    }
    meta.pinned |= incoming.pinned;
    if meta.icon == IconChoice::Auto {
        meta.icon = incoming.icon.clone();
    }
}

fn checked_icon(icon: IconChoice) -> Result<IconChoice, VaultError> {
    match &icon {
        IconChoice::Bundled(id) if tessera_core::icons::get(id).is_none() => {
            Err(VaultError::InvalidMeta(
                "there is no bundled icon with that id (see `tessera icon --search`)",
            ))
        }
        _ => Ok(icon),
    }
}

fn too_many(meta: &Meta) -> Result<(), VaultError> {
    if meta.tags.len() > MAX_TAGS {
        return Err(VaultError::InvalidMeta(
            "an account can have at most 32 tags",
        ));
    }
    Ok(())
}

impl<S: SecretStore> Vault<S> {
    /// Adds and removes tags of an account (`add` first, then `remove`); whatever their case,
    /// a tag is there once. Returns the account as it now is.
    pub fn tag(&self, query: &str, add: &[String], remove: &[String]) -> Result<Entry, VaultError> {
        let mut changed = self.tag_all(&[query.to_owned()], add, remove)?;
        changed.pop().ok_or_else(|| VaultError::not_found(query))
    }

    /// [`Vault::tag`] on several accounts at once (the window's selection), in one write: if
    /// any of them is not found or would have too many tags, none changes. Returns them as they
    /// now are, in the index's order.
    pub fn tag_all(
        &self,
        queries: &[String],
        add: &[String],
        remove: &[String],
    ) -> Result<Vec<Entry>, VaultError> {
        let add = add
            .iter()
            .map(|t| meta::validate_tag(t).map_err(VaultError::InvalidMeta))
            .collect::<Result<Vec<_>, _>>()?;
        self.change_metas(queries, |meta| {
            add_all(meta, &add);
            for tag in remove {
                meta.remove_tag(tag.trim());
            }
            too_many(meta)
        })
    }

    /// Gives an account exactly `tags` and `note` (the window's details dialog); its pin and
    /// icon stay.
    pub fn set_meta(&self, query: &str, tags: &[String], note: &str) -> Result<Entry, VaultError> {
        let new = checked(&Meta {
            tags: tags.to_vec(),
            note: note.to_owned(),
            ..Meta::default()
        })?;
        self.change_meta(query, |meta| {
            meta.tags.clone_from(&new.tags);
            meta.note.clone_from(&new.note);
            Ok(())
        })
    }

    /// Gives an account another icon: a bundled one, a letter, an image of the user's own
    /// ([`crate::icon_file::prepare`]), or back the automatic one.
    pub fn set_icon(&self, query: &str, icon: IconChoice) -> Result<Entry, VaultError> {
        let icon = checked_icon(icon)?;
        self.change_meta(query, |meta| {
            meta.icon = icon.clone();
            Ok(())
        })
    }

    /// Pins an account (it is shown first, whatever the order) or unpins it.
    pub fn pin(&self, query: &str, pinned: bool) -> Result<Entry, VaultError> {
        self.change_meta(query, |meta| {
            meta.pinned = pinned;
            Ok(())
        })
    }

    /// Sets an account's note; an empty one removes it.
    pub fn set_note(&self, query: &str, note: &str) -> Result<Entry, VaultError> {
        let note = meta::validate_note(note).map_err(VaultError::InvalidMeta)?;
        self.change_meta(query, |meta| {
            meta.note.clone_from(&note);
            Ok(())
        })
    }

    fn change_meta(
        &self,
        query: &str,
        change: impl Fn(&mut Meta) -> Result<(), VaultError>,
    ) -> Result<Entry, VaultError> {
        let mut changed = self.change_metas(&[query.to_owned()], change)?;
        changed.pop().ok_or_else(|| VaultError::not_found(query))
    }

    /// Applies `change` to the meta of each account `queries` name, under the writers' lock;
    /// the index is written once, if anything changed, and not at all if `change` refuses one.
    fn change_metas(
        &self,
        queries: &[String],
        change: impl Fn(&mut Meta) -> Result<(), VaultError>,
    ) -> Result<Vec<Entry>, VaultError> {
        let lock = self.index.lock()?;
        let mut accounts = self.index.read()?;
        let mut at = Vec::with_capacity(queries.len());
        for query in queries {
            let id = &names::find(&accounts.entries, query)?.id;
            at.extend(accounts.entries.iter().position(|e| &e.id == id));
        }
        at.sort_unstable();
        at.dedup();
        let mut any = false;
        for &i in &at {
            let meta = &mut accounts.entries[i].meta;
            let before = meta.clone();
            change(meta)?;
            any |= *meta != before;
        }
        let changed = at.iter().map(|&i| accounts.entries[i].clone()).collect();
        if any {
            self.index.write(&accounts, &lock)?;
            drop(lock);
            self.after_change();
        }
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use tessera_core::uri;

    use super::*;
    use crate::secrets::MemoryStore;

    fn vault() -> (tempfile::TempDir, Vault<MemoryStore>) {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::new(dir.path().join("v"), MemoryStore::default());
        let account =
            uri::parse("otpauth://totp/AWS:tester01@123?secret=JBSWY3DPEHPK3PXP").unwrap();
        vault.add(Some("tester01"), &account, 1).unwrap();
        (dir, vault)
    }

    fn strings(tags: &[&str]) -> Vec<String> {
        tags.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn tags_are_added_removed_and_kept_in_the_index() {
        let (_dir, vault) = vault();
        let entry = vault
            .tag("tester01", &strings(&[" prod ", "admins", "Prod"]), &[])
            .unwrap();
        assert_eq!(entry.meta.tags, ["prod", "admins"]);
        let entry = vault
            .tag(
                "tester01",
                &strings(&["staging"]),
                &strings(&["PROD", "absent"]),
            )
            .unwrap();
        assert_eq!(entry.meta.tags, ["admins", "staging"]);
        assert_eq!(vault.list().unwrap()[0].meta.tags, ["admins", "staging"]);
    }

    #[test]
    fn several_are_tagged_at_once_or_none_is() {
        let (_dir, vault) = vault();
        for i in 2..=3 {
            let uri = format!("otpauth://totp/AWS:tester0{i}@123?secret=JBSWY3DPEHPK3PX{i}");
            vault
                .add(Some(&format!("tester0{i}")), &uri::parse(&uri).unwrap(), 1)
                .unwrap();
        }
        let all = strings(&["tester03", "tester01", "tester02"]);
        let tagged = vault.tag_all(&all, &strings(&["bulk"]), &[]).unwrap();
        let names: Vec<&str> = tagged.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            ["tester01", "tester02", "tester03"],
            "the index's order"
        );
        assert!(
            vault
                .list()
                .unwrap()
                .iter()
                .all(|e| e.meta.tags == ["bulk"])
        );

        // One account with no room for another tag: none of them gets it.
        let full: Vec<String> = (1..MAX_TAGS).map(|i| format!("t{i}")).collect();
        vault.tag("tester02", &full, &[]).unwrap();
        let before = std::fs::read(vault.dir().join("vault.json")).unwrap();
        assert!(matches!(
            vault.tag_all(&all, &strings(&["one more"]), &[]),
            Err(VaultError::InvalidMeta(_))
        ));
        assert!(matches!(
            vault.tag_all(&strings(&["tester01", "nobody"]), &strings(&["x"]), &[]),
            Err(VaultError::NotFound { .. })
        ));
        assert_eq!(
            std::fs::read(vault.dir().join("vault.json")).unwrap(),
            before
        );

        vault.tag_all(&all, &[], &strings(&["BULK"])).unwrap();
        let left: Vec<usize> = vault
            .list()
            .unwrap()
            .iter()
            .map(|e| e.meta.tags.len())
            .collect();
        assert_eq!(left, [0, MAX_TAGS - 1, 0]);
    }

    #[test]
    fn invalid_tags_and_notes_change_nothing() {
        let (_dir, vault) = vault();
        vault.tag("tester01", &strings(&["kept"]), &[]).unwrap();
        for bad in [
            &strings(&["a,b"]),
            &strings(&[""]),
            &strings(&["kept", "x\ny"]),
        ] {
            assert!(matches!(
                vault.tag("tester01", bad, &[]),
                Err(VaultError::InvalidMeta(_))
            ));
        }
        let many: Vec<String> = (0..MAX_TAGS).map(|i| format!("t{i}")).collect();
        assert!(matches!(
            vault.tag("tester01", &many, &[]),
            Err(VaultError::InvalidMeta(_))
        ));
        assert!(matches!(
            vault.set_note("tester01", "bell\u{7}"),
            Err(VaultError::InvalidMeta(_))
        ));
        let entry = &vault.list().unwrap()[0];
        assert_eq!(
            (entry.meta.tags.as_slice(), entry.meta.note.as_str()),
            (&strings(&["kept"])[..], "")
        );
    }

    #[test]
    fn notes_and_whole_metas_are_set() {
        let (_dir, vault) = vault();
        let entry = vault
            .set_note("tester01", "  owner: ops\nreset via IAM ")
            .unwrap();
        assert_eq!(entry.meta.note, "owner: ops\nreset via IAM");
        let entry = vault
            .set_meta("tester01", &strings(&["b", "a"]), "")
            .unwrap();
        assert_eq!(
            entry.meta,
            Meta {
                tags: strings(&["b", "a"]),
                ..Meta::default()
            }
        );
        assert_eq!(vault.list().unwrap()[0].meta, entry.meta);
    }

    #[test]
    fn added_accounts_keep_the_tags_they_came_with() {
        let (_dir, vault) = vault();
        let account =
            uri::parse("otpauth://totp/AWS:tester02@123?secret=JBSWY3DPEHPK3PXQ").unwrap();
        let meta = Meta {
            tags: strings(&["prod"]),
            note: "n".into(),
            pinned: true,
            icon: IconChoice::bundled("logos/aws").unwrap(),
        };
        let change = crate::Change::Add {
            name: None,
            account,
            meta: meta.clone(),
        };
        let added = vault.apply(&[change], 2, &mut |_, _| {}).unwrap();
        assert_eq!(added[0].meta, meta);
        let bad = crate::Change::Add {
            name: None,
            account: uri::parse("otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXR").unwrap(),
            meta: Meta {
                tags: strings(&["a,b"]),
                ..Meta::default()
            },
        };
        assert!(vault.apply(&[bad], 3, &mut |_, _| {}).is_err());
        assert_eq!(vault.list().unwrap().len(), 2, "nothing was added");
    }

    #[test]
    fn a_merge_keeps_at_most_the_bound_and_the_pin() {
        let mut meta = Meta {
            tags: (0..MAX_TAGS - 1).map(|i| format!("t{i}")).collect(),
            ..Meta::default()
        };
        let incoming = Meta {
            tags: strings(&["T0", "new", "one more"]),
            note: "ignored".into(),
            pinned: true,
            icon: IconChoice::Letter,
        };
        merge(&mut meta, &incoming);
        assert_eq!(meta.tags.len(), MAX_TAGS);
        assert_eq!(meta.tags.last().unwrap(), "new");
        assert!(meta.pinned);
        assert_eq!(meta.note, "", "the account's own note stays");
        assert_eq!(
            meta.icon,
            IconChoice::Letter,
            "an automatic icon takes the incoming one"
        );
        meta.icon = IconChoice::bundled("simple-icons/github").unwrap();
        merge(&mut meta, &incoming);
        assert_eq!(
            meta.icon,
            IconChoice::bundled("simple-icons/github").unwrap(),
            "a chosen one stays"
        );
    }

    #[test]
    fn an_icon_is_set_checked_and_kept_when_tags_change() {
        let (_dir, vault) = vault();
        assert!(
            vault
                .set_icon("tester01", IconChoice::Bundled("simple-icons/nope".into()))
                .is_err()
        );
        assert_eq!(
            vault.list().unwrap()[0].meta.icon,
            IconChoice::Auto,
            "nothing was written"
        );
        let png = crate::icon_file::prepare(include_bytes!("../../../icons/32x32.png")).unwrap();
        vault
            .set_icon("tester01", IconChoice::Custom(png.clone()))
            .unwrap();
        vault.set_meta("tester01", &strings(&["x"]), "n").unwrap();
        let entry = vault
            .list()
            .unwrap()
            .into_iter()
            .find(|e| e.name == "tester01")
            .unwrap();
        assert_eq!(entry.meta.icon, IconChoice::Custom(png));
        vault.set_icon("tester01", IconChoice::Auto).unwrap();
        assert_eq!(vault.list().unwrap()[0].meta.icon, IconChoice::Auto);
    }

    #[test]
    fn a_pin_stays_when_tags_and_notes_change() {
        let (_dir, vault) = vault();
        assert!(vault.pin("tester01", true).unwrap().meta.pinned);
        let entry = vault.set_meta("tester01", &strings(&["x"]), "n").unwrap();
        assert!(entry.meta.pinned);
        assert!(vault.list().unwrap()[0].meta.pinned, "written to the index");
        assert!(!vault.pin("tester01", false).unwrap().meta.pinned);
    }
}
