//! Issuer icons, bundled: nothing is fetched, so the services a user has never leave the
//! machine. The icons are simple-icons' CC0 ones and a few from SVG Logos (CC0) for the brands
//! simple-icons had to remove (Amazon Web Services, Microsoft, Slack, LinkedIn, Heroku...);
//! `index.tsv` and `svgs.tsv` are generated from the versions in `VERSIONS` by
//! `make issuer-icons` (scripts/issuer-icons/). The logos remain their owners' trademarks.
//!
//! [`for_account`] matches an issuer as services write it in their `otpauth://` URIs ("GitHub",
//! "github.com (work)", "Amazon Web Services", "Société Générale") to an icon, or to none, for
//! a letter avatar: a letter is better than a wrong logo, so every rule here only ever makes two
//! spellings of one name meet.

mod colour;
mod names;

use std::collections::HashMap;
use std::sync::OnceLock;

pub use colour::Theme;

const INDEX: &str = include_str!("index.tsv");
const SVGS: &str = include_str!("svgs.tsv");

/// One bundled icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Icon {
    /// The set and the icon: `simple-icons/github`, `logos/aws`.
    pub id: &'static str,
    /// The brand's name, as the set writes it.
    pub title: &'static str,
    /// The brand's colour (`RRGGBB`) of a one-colour icon; `None` for a full-colour logo.
    brand: Option<&'static str>,
    /// The other names the set knows it by, `|`-separated.
    aliases: &'static str,
    /// The brand's own registrable domains, `|`-separated.
    domains: &'static str,
}

impl Icon {
    /// Whether the icon is drawn in one colour (its brand's), which [`Icon::colour`] adjusts to
    /// the theme; otherwise it is a full-colour logo, shown on a light tile in both themes.
    pub fn is_mono(&self) -> bool {
        self.brand.is_some()
    }

    /// The colour to draw a one-colour icon in on `theme`: the brand's, darkened or lightened
    /// until it stands out at 3:1 (WCAG's ratio for graphics) from the theme's rows.
    pub fn colour(&self, theme: Theme) -> Option<String> {
        self.brand.map(|hex| colour::for_theme(hex, theme))
    }

    /// The icon as a standalone SVG document, filled with `fill` (`#rrggbb`) when it is
    /// one-colour. Meant for an `<img>`: an image's SVG runs no script.
    pub fn svg(&self, fill: Option<&str>) -> String {
        // Every indexed icon has its line (a test checks); a missing one draws nothing.
        let line = sorted_line(SVGS, self.id).unwrap_or_default();
        let mut fields = line.splitn(3, '\t').skip(1);
        let (view_box, body) = (fields.next().unwrap_or(""), fields.next().unwrap_or(""));
        let fill = match fill.filter(|f| is_hex_colour(f)) {
            Some(f) => format!(" fill=\"{f}\""),
            None => String::new(),
        };
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{view_box}\"{fill}>{body}</svg>"
        )
    }
}

fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Every bundled icon, sorted by id.
pub fn all() -> &'static [Icon] {
    static ICONS: OnceLock<Vec<Icon>> = OnceLock::new();
    ICONS.get_or_init(|| {
        INDEX
            .lines()
            .filter_map(|line| {
                let mut f = line.split('\t');
                let (id, hex, title) = (f.next()?, f.next()?, f.next()?);
                Some(Icon {
                    id,
                    title,
                    brand: (!hex.is_empty()).then_some(hex),
                    aliases: f.next().unwrap_or(""),
                    domains: f.next().unwrap_or(""),
                })
            })
            .collect()
    })
}

/// The icon whose id is `id`.
pub fn get(id: &str) -> Option<&'static Icon> {
    position(id).map(|at| &all()[at])
}

/// The icon of an account of `issuer` whose label is `label`, or `None` for a letter avatar.
///
/// The issuer's name is tried first (see [`names::forms`]); an issuer that is a domain or URL
/// matches only a domain the brand is known by (`bitcoin.de` is not Bitcoin's, `files.com`
/// not Google's Files): no guess from a domain's first word. The label's domain
/// (`alice@github.com`) is tried only for an account without an issuer, and never a webmail's,
/// which says where the user's mail is, not what the account is for.
pub fn for_account(issuer: &str, label: &str) -> Option<&'static Icon> {
    if !issuer.trim().is_empty() {
        let forms = names::forms(issuer);
        return match names::hosts(issuer) {
            Some(hosts) => by_name(&forms[0]).or_else(|| by_domain(&hosts)),
            None => forms.iter().find_map(|k| by_name(k)),
        };
    }
    let hosts = names::hosts(label.rsplit_once('@')?.1)?;
    let registrable = hosts.last()?;
    if names::WEBMAIL.contains(&names::brand_label(registrable)) {
        return None;
    }
    by_domain(&hosts)
}

/// Builds the matcher's tables now, on a thread that has the time for it, rather than in the
/// first [`for_account`] call (which the window's first list waits for).
pub fn warm() {
    by_name("");
    by_domain(&[]);
}

fn by_name(key: &str) -> Option<&'static Icon> {
    static KEYS: OnceLock<HashMap<String, usize>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        let icons = all();
        let mut keys = HashMap::new();
        // Our own names first: they decide where a set's alias would say something else.
        for (name, id) in names::OURS {
            if let Some(at) = position(id) {
                keys.entry(names::key(name)).or_insert(at);
            }
        }
        // Then every title, before any alias: a brand's own name wins over another's alias.
        for (at, icon) in icons.iter().enumerate() {
            keys.entry(names::key(icon.title)).or_insert(at);
        }
        for (at, icon) in icons.iter().enumerate() {
            for alias in icon.aliases.split('|').filter(|a| !a.is_empty()) {
                keys.entry(names::key(alias)).or_insert(at);
            }
        }
        keys.remove("");
        keys
    });
    keys.get(key).map(|&at| &all()[at])
}

fn by_domain(hosts: &[String]) -> Option<&'static Icon> {
    static DOMAINS: OnceLock<HashMap<&'static str, usize>> = OnceLock::new();
    let domains = DOMAINS.get_or_init(|| {
        let mut domains = HashMap::new();
        for (domain, id) in names::OUR_DOMAINS {
            if let Some(at) = position(id) {
                domains.entry(*domain).or_insert(at);
            }
        }
        for (at, icon) in all().iter().enumerate() {
            for domain in icon.domains.split('|').filter(|d| !d.is_empty()) {
                domains.entry(domain).or_insert(at);
            }
        }
        domains
    });
    hosts
        .iter()
        .find_map(|h| domains.get(h.as_str()))
        .map(|&at| &all()[at])
}

fn position(id: &str) -> Option<usize> {
    all().binary_search_by(|i| i.id.cmp(id)).ok()
}

/// At most `limit` icons whose title or names contain `query` (compared as the matcher
/// compares), those that begin with it first, then by title. An empty query finds nothing.
pub fn search(query: &str, limit: usize) -> Vec<&'static Icon> {
    let query = names::key(query);
    if query.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<(u8, &'static Icon)> = all()
        .iter()
        .filter_map(|icon| {
            let names = std::iter::once(icon.title).chain(icon.aliases.split('|'));
            names
                .map(names::key)
                .filter_map(|k| match k.find(&query) {
                    Some(_) if k == query => Some(0),
                    Some(0) => Some(1),
                    Some(_) => Some(2),
                    None => None,
                })
                .min()
                .map(|rank| (rank, icon))
        })
        .collect();
    found.sort_by(|(ra, a), (rb, b)| {
        ra.cmp(rb)
            .then_with(|| a.title.to_lowercase().cmp(&b.title.to_lowercase()))
    });
    found
        .into_iter()
        .take(limit)
        .map(|(_, icon)| icon)
        .collect()
}

/// The line of `data` (lines sorted by their first tab-separated field) whose first field is
/// `key`: a binary search over byte offsets, so that a lookup reads a few pages of the 4 MB of
/// SVG paths instead of all of them.
fn sorted_line<'a>(data: &'a str, key: &str) -> Option<&'a str> {
    let bytes = data.as_bytes();
    let line_at = |pos: usize| {
        let start = bytes[..pos]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| start + p);
        (start, end)
    };
    let (mut lo, mut hi) = (0, bytes.len());
    while lo < hi {
        let (start, end) = line_at(lo + (hi - lo) / 2);
        let line = &data[start..end];
        let field = line.split('\t').next().unwrap_or("");
        match field.cmp(key) {
            std::cmp::Ordering::Equal => return Some(line),
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_icon_has_its_svg_and_the_index_is_sorted() {
        let icons = all();
        assert!(icons.len() > 3000, "{} icons", icons.len());
        assert!(icons.windows(2).all(|w| w[0].id < w[1].id));
        for icon in icons {
            let svg = icon.svg(icon.colour(Theme::Light).as_deref());
            assert!(
                svg.starts_with("<svg xmlns") && svg.ends_with("</svg>"),
                "{}",
                icon.id
            );
            assert!(
                !svg.contains("<script") && !svg.contains("href=\"http"),
                "{}",
                icon.id
            );
        }
    }

    #[test]
    fn a_fill_that_is_not_a_colour_is_left_out() {
        let github = get("simple-icons/github").unwrap();
        assert!(github.svg(Some("#181717")).contains(" fill=\"#181717\""));
        assert!(!github.svg(Some("\" onload=\"x")).contains("onload"));
    }

    #[test]
    fn our_names_point_at_icons_that_exist() {
        for (name, id) in names::OURS.iter().chain(names::OUR_DOMAINS) {
            assert!(get(id).is_some(), "{name} -> {id}");
        }
    }

    #[test]
    fn the_label_domain_is_tried_only_without_an_issuer_and_never_a_webmail() {
        assert_eq!(
            for_account("", "alice@github.com").map(|i| i.id),
            Some("simple-icons/github")
        );
        assert_eq!(for_account("", "alice@gmail.com"), None);
        assert_eq!(for_account("Acme Payroll", "alice@github.com"), None);
        assert_eq!(
            for_account("", "alice@eu.awsapps.com").map(|i| i.id),
            Some("logos/aws")
        );
        assert_eq!(for_account("", "alice"), None);
    }

    #[test]
    fn search_puts_the_exact_name_first_then_what_begins_with_it() {
        assert_eq!(search("GitHub", 5)[0].id, "simple-icons/github");
        let found = search("git", 50);
        let begins: Vec<bool> = found
            .iter()
            .map(|i| names::key(i.title).starts_with("git"))
            .collect();
        assert!(
            begins.contains(&false) && begins.contains(&true),
            "{found:?}"
        );
        assert!(
            begins.windows(2).all(|w| w[0] || !w[1]),
            "prefixes first: {found:?}"
        );
        assert!(search("", 10).is_empty());
        assert!(search("amazon web", 10).iter().any(|i| i.id == "logos/aws"));
    }
}
