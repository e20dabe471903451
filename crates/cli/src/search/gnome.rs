//! GNOME Shell's search provider interface, `org.gnome.Shell.SearchProvider2`: results as the
//! overview asks for them, then their names, codes and icons, and a click copies the code.

use std::collections::HashMap;
use std::sync::Arc;

use zbus::zvariant::OwnedValue;

use super::{Provider, off_the_bus, text};

pub struct Gnome(pub Arc<Provider>);

#[zbus::interface(name = "org.gnome.Shell.SearchProvider2")]
impl Gnome {
    async fn get_initial_result_set(&self, terms: Vec<String>) -> zbus::fdo::Result<Vec<String>> {
        let provider = self.0.clone();
        off_the_bus(move || provider.search(&terms, None)).await
    }

    async fn get_subsearch_result_set(
        &self,
        previous_results: Vec<String>,
        terms: Vec<String>,
    ) -> zbus::fdo::Result<Vec<String>> {
        let provider = self.0.clone();
        off_the_bus(move || provider.search(&terms, Some(&previous_results))).await
    }

    async fn get_result_metas(
        &self,
        identifiers: Vec<String>,
    ) -> zbus::fdo::Result<Vec<HashMap<String, OwnedValue>>> {
        let provider = self.0.clone();
        let found = off_the_bus(move || provider.found(&identifiers)).await?;
        Ok(found
            .into_iter()
            .map(|found| {
                let mut meta = HashMap::new();
                meta.insert("description".to_owned(), text(found.description));
                if let Some(icon) = &found.icon {
                    meta.insert("gicon".to_owned(), text(icon.display().to_string()));
                }
                if let Some(code) = &found.code {
                    meta.insert("clipboardText".to_owned(), text(code.clone()));
                }
                meta.insert("id".to_owned(), text(found.id));
                meta.insert("name".to_owned(), text(found.name));
                meta
            })
            .collect())
    }

    /// A click on a result: its code is copied.
    async fn activate_result(
        &self,
        identifier: String,
        _terms: Vec<String>,
        _timestamp: u32,
    ) -> zbus::fdo::Result<()> {
        let provider = self.0.clone();
        off_the_bus(move || provider.copy(&identifier)).await
    }

    /// A click on Tessera's icon beside the results: the window opens.
    async fn launch_search(&self, _terms: Vec<String>, _timestamp: u32) -> zbus::fdo::Result<()> {
        self.0.called();
        off_the_bus(|| crate::tray::open_window("show", None)).await
    }
}
