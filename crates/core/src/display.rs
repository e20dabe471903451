//! How an account reads in a list: a heading whose first part is what tells it from its
//! neighbours, and a letter avatar for issuers without an icon. Every list (the window, the
//! tray, the desktop's search) shows accounts through these rules.

/// The two lines of a row. `first` is what tells the account apart and is never cut; `rest`
/// follows it on the same line and is cut first when the line is too narrow; `sub` is the
/// line below.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub first: String,
    pub rest: String,
    pub sub: String,
}

/// The heading of an account named `name`. `name_chosen` says whether the user chose the name
/// (rather than Tessera, from the issuer and label):
/// - a chosen name is the heading, over "issuer · label";
/// - otherwise the label is, over the issuer: the issuer is shared by every account of one
///   service, the label is what differs. An e-mail-like label is split at its `@`, so that the
///   local part ("tester01" of `tester01@123456789012`) stays whole and the domain is cut;
/// - an account without a label is headed by its issuer (or name).
pub fn heading(name: &str, issuer: &str, label: &str, name_chosen: bool) -> Heading {
    let (issuer, label) = (issuer.trim(), label.trim());
    let label_says_more = !label.is_empty() && !label.eq_ignore_ascii_case(issuer);
    if name_chosen {
        let sub: Vec<&str> = [issuer, if label_says_more { label } else { "" }]
            .into_iter()
            .filter(|s| !s.is_empty() && *s != name)
            .collect();
        return Heading {
            first: name.to_owned(),
            rest: String::new(),
            sub: sub.join(" · "),
        };
    }
    if !label_says_more {
        let first = if issuer.is_empty() { name } else { issuer };
        return Heading {
            first: first.to_owned(),
            rest: String::new(),
            sub: String::new(),
        };
    }
    let (first, rest) = match label.find('@') {
        Some(at) if at > 0 && at + 1 < label.len() => (&label[..at], &label[at..]),
        _ => (label, ""),
    };
    Heading {
        first: first.to_owned(),
        rest: rest.to_owned(),
        sub: issuer.to_owned(),
    }
}

/// The letter avatar of an account whose issuer has no icon: the first letter or digit of the
/// issuer (else of the label, else of the name), upper-cased, and a hue from 0 to 359 that
/// comes from the issuer alone (whatever its case and surrounding spaces), so that one
/// service's accounts share a colour and it never changes between runs or machines.
pub fn avatar(name: &str, issuer: &str, label: &str) -> (String, u16) {
    let source = [issuer, label, name]
        .into_iter()
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or("");
    let letter = source
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect::<String>())
        .unwrap_or_else(|| "?".to_owned());
    (letter, hue(&source.to_lowercase()))
}

/// FNV-1a, folded onto the colour wheel: stable by definition, unlike std's hasher.
fn hue(text: &str) -> u16 {
    (fnv1a(text.as_bytes()) % 360) as u16
}

/// FNV-1a (64 bits): a hash that is the same on every machine and run, for colours and for
/// telling two versions of an image apart. Not for anything an attacker chooses to collide.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(first: &str, rest: &str, sub: &str) -> Heading {
        Heading {
            first: first.into(),
            rest: rest.into(),
            sub: sub.into(),
        }
    }

    #[test]
    fn a_default_name_gives_way_to_what_differs() {
        let aws = "Amazon Web Services";
        let name = "Amazon Web Services (tester01@123456789012)";
        assert_eq!(
            heading(name, aws, "tester01@123456789012", false),
            h("tester01", "@123456789012", aws)
        );
        assert_eq!(
            heading("GitHub (octocat)", "GitHub", "octocat", false),
            h("octocat", "", "GitHub")
        );
        assert_eq!(heading("GitHub", "GitHub", "", false), h("GitHub", "", ""));
        assert_eq!(
            heading("Steam", "Steam", "steam", false),
            h("Steam", "", "")
        );
        assert_eq!(
            heading("a@b.c", "", "a@b.c", false),
            h("a", "@b.c", ""),
            "no issuer"
        );
        // An @ at either end says nothing about a local part.
        assert_eq!(heading("x", "X", "@handle", false), h("@handle", "", "X"));
        assert_eq!(heading("x", "X", "name@", false), h("name@", "", "X"));
    }

    #[test]
    fn a_chosen_name_heads_its_row() {
        assert_eq!(
            heading(
                "staging-tester-07",
                "Amazon Web Services",
                "tester07@123",
                true
            ),
            h(
                "staging-tester-07",
                "",
                "Amazon Web Services · tester07@123"
            )
        );
        assert_eq!(
            heading("GitHub", "GitHub", "GitHub", true),
            h("GitHub", "", "")
        );
        assert_eq!(heading("Mine", "", "", true), h("Mine", "", ""));
    }

    #[test]
    fn avatars_come_from_the_issuer_and_never_change() {
        assert_eq!(avatar("n", "GitHub", "x").0, "G");
        assert_eq!(avatar("n", " 1Password", "").0, "1");
        assert_eq!(avatar("n", "", "émile@x").0, "É");
        assert_eq!(avatar("(n)", "", "").0, "N");
        assert_eq!(avatar("", "", "").0, "?");
        assert_eq!(avatar("(", "", "").0, "?");
        assert_eq!(avatar("a", "GitHub", "a").1, avatar("b", " github ", "b").1);
        assert_ne!(avatar("a", "GitHub", "").1, avatar("a", "GitLab", "").1);
        // Fixed for good: a user's colours must not move with a new version.
        assert_eq!(
            [
                avatar("", "GitHub", "").1,
                avatar("", "Amazon Web Services", "").1
            ],
            [306, 85]
        );
        assert!(avatar("", "x", "").1 < 360);
    }
}
