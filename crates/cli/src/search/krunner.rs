//! KRunner's runner interface, `org.kde.krunner1`: matches with their codes, run to copy the
//! code, and a "Type" action that types it instead.

use std::collections::HashMap;
use std::sync::Arc;

use zbus::zvariant::OwnedValue;

use super::{Provider, off_the_bus, text};
use tessera_l10n::{Catalogue, Language};
use tessera_vault::settings::SettingsFile;

/// The action that types the code instead of copying it.
const TYPE: &str = "type";
/// KRunner's category relevance for a match: an exact one, and a possible one.
const EXACT: i32 = 100;
const POSSIBLE: i32 = 30;

pub struct KRunner(pub Arc<Provider>);

/// A match: id, text, icon name, category relevance, relevance, properties.
type Match = (
    String,
    String,
    String,
    i32,
    f64,
    HashMap<String, OwnedValue>,
);

#[zbus::interface(name = "org.kde.krunner1")]
impl KRunner {
    fn actions(&self) -> Vec<(String, String, String)> {
        let setting = SettingsFile::open_default()
            .ok()
            .and_then(|f| f.load().language);
        let words = Catalogue::new(Language::chosen(setting.as_deref()));
        vec![(
            TYPE.to_owned(),
            words.text("search-type", &[]),
            "input-keyboard".to_owned(),
        )]
    }

    #[zbus(name = "Match")]
    async fn find(&self, query: String) -> zbus::fdo::Result<Vec<Match>> {
        // Longer than any search `Provider::search` takes: not split at all.
        if query.len() > super::MOST_TERMS * super::LONGEST_TERM {
            return Ok(Vec::new());
        }
        let provider = self.0.clone();
        let lowered = query.trim().to_lowercase();
        let found = off_the_bus(move || {
            let terms: Vec<String> = query.split_whitespace().map(str::to_owned).collect();
            let ids = provider.search(&terms, None)?;
            provider.found(&ids)
        })
        .await?;
        Ok(found
            .into_iter()
            .map(|found| {
                let exact = found.name.to_lowercase() == lowered;
                let properties = HashMap::from([("subtext".to_owned(), text(found.description))]);
                // KRunner loads an icon by its name or by its path (KIconLoader).
                let icon = found.icon.as_ref().map_or_else(
                    || "tessera-desktop".to_owned(),
                    |path| path.display().to_string(),
                );
                (
                    found.id,
                    found.name,
                    icon,
                    if exact { EXACT } else { POSSIBLE },
                    if exact { 1.0 } else { 0.7 },
                    properties,
                )
            })
            .collect())
    }

    /// A match chosen: its code copied, or typed with the "Type" action.
    async fn run(&self, match_id: String, action_id: String) -> zbus::fdo::Result<()> {
        let provider = self.0.clone();
        off_the_bus(move || {
            if action_id == TYPE {
                provider.type_code(&match_id)
            } else {
                provider.copy(&match_id)
            }
        })
        .await
    }
}
