//! How an issuer's spellings are brought to the sets' names: keys compared whatever the case,
//! accents, spaces and punctuation, and the forms an issuer is tried in, most literal first.

use unicode_normalization::UnicodeNormalization;

/// Names services put in their QR codes that neither set spells that way, mostly for the brands
/// simple-icons removed (its titles cover the rest).
pub const OURS: &[(&str, &str)] = &[
    ("AWS", "logos/aws"),
    ("Amazon AWS", "logos/aws"),
    ("AWS IAM", "logos/aws"),
    ("AWS SSO", "logos/aws"),
    ("AWS IAM Identity Center", "logos/aws"),
    ("IAM Identity Center", "logos/aws"),
    ("Amazon Cognito", "logos/aws"),
    ("Microsoft Account", "logos/microsoft-icon"),
    ("Microsoft 365", "logos/microsoft-icon"),
    ("Office 365", "logos/microsoft-icon"),
    ("Office", "logos/microsoft-icon"),
    ("Outlook", "logos/microsoft-icon"),
    ("Hotmail", "logos/microsoft-icon"),
    ("Live", "logos/microsoft-icon"),
    ("Xbox", "logos/microsoft-icon"),
    ("Microsoft Entra", "logos/microsoft-icon"),
    ("Microsoft Entra ID", "logos/microsoft-icon"),
    ("Azure", "logos/microsoft-azure"),
    ("Azure AD", "logos/microsoft-azure"),
    ("Azure Active Directory", "logos/microsoft-azure"),
    ("Azure DevOps", "logos/microsoft-azure"),
    ("Teams", "logos/microsoft-teams"),
    ("Google Workspace", "simple-icons/google"),
    ("G Suite", "simple-icons/google"),
    ("Google Cloud Platform", "simple-icons/googlecloud"),
    ("GCP", "simple-icons/googlecloud"),
    ("Twitter", "simple-icons/x"),
    ("Twitter X", "simple-icons/x"),
    ("Meta", "simple-icons/meta"),
    ("Apple ID", "simple-icons/apple"),
    ("iCloud", "simple-icons/icloud"),
    ("ChatGPT", "logos/openai-icon"),
    ("Oracle Cloud", "logos/oracle"),
    ("Oracle Cloud Infrastructure", "logos/oracle"),
    ("IBM Cloud", "logos/ibm"),
    ("IBMid", "logos/ibm"),
    ("Salesforce Trailhead", "logos/salesforce"),
    ("Yahoo Mail", "logos/yahoo"),
    ("Steam Guard", "simple-icons/steam"),
    ("Valve", "simple-icons/steam"),
    ("Battle.net", "simple-icons/battledotnet"),
    ("Blizzard", "simple-icons/battledotnet"),
    ("Proton Mail", "simple-icons/protonmail"),
    ("ProtonMail", "simple-icons/protonmail"),
    ("Proton", "simple-icons/proton"),
    ("Bitwarden Password Manager", "simple-icons/bitwarden"),
    ("Docker Hub", "simple-icons/docker"),
    ("Docker ID", "simple-icons/docker"),
    ("Epic Games Store", "simple-icons/epicgames"),
    ("Cloudflare Dashboard", "simple-icons/cloudflare"),
    ("Electronic Arts", "simple-icons/ea"),
    ("PlayStation Network", "simple-icons/playstation"),
    ("PSN", "simple-icons/playstation"),
];

/// Domains of brands the sets give none for (SVG Logos has no links; simple-icons' links are
/// often press pages elsewhere): `*.awsapps.com` is an IAM Identity Center sign-in portal.
pub const OUR_DOMAINS: &[(&str, &str)] = &[
    ("aws.amazon.com", "logos/aws"),
    ("amazonaws.com", "logos/aws"),
    ("awsapps.com", "logos/aws"),
    ("microsoft.com", "logos/microsoft-icon"),
    ("microsoftonline.com", "logos/microsoft-icon"),
    ("live.com", "logos/microsoft-icon"),
    ("outlook.com", "logos/microsoft-icon"),
    ("azure.microsoft.com", "logos/microsoft-azure"),
    ("azure.com", "logos/microsoft-azure"),
    ("dev.azure.com", "logos/microsoft-azure"),
    ("slack.com", "logos/slack-icon"),
    ("linkedin.com", "logos/linkedin-icon"),
    ("heroku.com", "logos/heroku-icon"),
    ("google.com", "simple-icons/google"),
    ("cloud.google.com", "simple-icons/googlecloud"),
    ("twitter.com", "simple-icons/x"),
    ("x.com", "simple-icons/x"),
    ("steampowered.com", "simple-icons/steam"),
    ("steamcommunity.com", "simple-icons/steam"),
    ("battle.net", "simple-icons/battledotnet"),
    ("blizzard.com", "simple-icons/battledotnet"),
    ("proton.me", "simple-icons/proton"),
    ("protonmail.com", "simple-icons/protonmail"),
    ("apple.com", "simple-icons/apple"),
    ("icloud.com", "simple-icons/icloud"),
    ("openai.com", "logos/openai-icon"),
    ("chatgpt.com", "logos/openai-icon"),
    ("oracle.com", "logos/oracle"),
    ("ibm.com", "logos/ibm"),
    ("salesforce.com", "logos/salesforce"),
    ("yahoo.com", "logos/yahoo"),
    ("facebook.com", "simple-icons/facebook"),
    ("instagram.com", "simple-icons/instagram"),
    ("docker.com", "simple-icons/docker"),
    ("epicgames.com", "simple-icons/epicgames"),
];

/// Mail providers' domains, by their name: an account's label at one of them says nothing of the
/// service.
pub const WEBMAIL: &[&str] = &[
    "gmail",
    "googlemail",
    "outlook",
    "hotmail",
    "live",
    "msn",
    "yahoo",
    "icloud",
    "me",
    "mac",
    "proton",
    "protonmail",
    "pm",
    "gmx",
    "web",
    "aol",
    "mail",
    "yandex",
    "zoho",
    "fastmail",
    "tutanota",
    "tuta",
    "posteo",
    "mailbox",
    "orange",
    "free",
    "laposte",
    "libero",
    "qq",
    "163",
];

/// Words a company or a sign-in page adds after the brand: "GitHub, Inc.", "Nintendo Account",
/// "Dropbox Login". Dropped from the end, one at a time, after the whole name was tried.
const TRAILING: &[&str] = &[
    "inc",
    "llc",
    "ltd",
    "limited",
    "gmbh",
    "ag",
    "sa",
    "sas",
    "bv",
    "nv",
    "plc",
    "corp",
    "corporation",
    "co",
    "company",
    "group",
    "account",
    "accounts",
    "login",
    "signin",
    "sso",
    "id",
    "mfa",
    "2fa",
    "otp",
    "auth",
    "authentication",
    "authenticator",
    "portal",
    "online",
    "console",
    "dashboard",
    "app",
    "connect",
    "cloud",
    "platform",
    "enterprise",
];

/// Second-level labels of country domains: `example.co.uk` is `example`'s.
const SECOND_LEVEL: &[&str] = &["co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"];

/// `name` as it is compared: accents dropped (NFKD, then no combining marks), lower-cased, and
/// everything but letters and digits removed ("1&1" becomes "11", as the set's title does).
pub fn key(name: &str) -> String {
    name.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The keys an issuer's name is tried as, in order: whole (without its parenthesised parts,
/// "GitHub (work)"), its first name of several ("Ubisoft/Uplay"), then with company and sign-in
/// words dropped from its end ("GitHub, Inc.", "Nintendo Account").
pub fn forms(issuer: &str) -> Vec<String> {
    let bare = without_brackets(issuer);
    let mut forms = vec![key(&bare)];
    if let Some((first, _)) = bare.split_once('/').filter(|_| !bare.contains("://")) {
        forms.push(key(first));
    }
    let mut words: Vec<&str> = bare
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '-' | '_' | '/' | ':' | '|'))
        .filter(|w| !w.is_empty())
        .collect();
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| TRAILING.contains(&key(w).as_str()))
    {
        words.pop();
        forms.push(key(&words.join(" ")));
    }
    forms.retain(|f| !f.is_empty());
    forms.dedup();
    forms
}

/// The hosts a domain or URL is looked up as, longest first, down to its registrable domain
/// (the label before the public suffix with that suffix: `example.co.uk`):
/// `signin.aws.amazon.com`, `aws.amazon.com`, `amazon.com`. `None` when `text` (without its
/// parenthesised parts) is not a domain or URL: it has spaces, or no dot, or is an address.
pub fn hosts(text: &str) -> Option<Vec<String>> {
    let text = without_brackets(text).trim().to_lowercase();
    let host = text
        .split_once("://")
        .map_or(text.as_str(), |(_, rest)| rest)
        .split(['/', '?', '#'])
        .next()?
        .rsplit('@')
        .next()?
        .split(':')
        .next()?
        .trim_end_matches('.');
    let labels: Vec<&str> = host.split('.').collect();
    let valid = |l: &&str| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-');
    if labels.len() < 2
        || !labels.iter().all(valid)
        || labels.last()?.chars().any(|c| c.is_ascii_digit())
    {
        return None;
    }
    let n = labels.len();
    let country_second_level = labels[n - 1].len() == 2 && SECOND_LEVEL.contains(&labels[n - 2]);
    let registrable = if country_second_level { 3 } else { 2 };
    if n < registrable {
        return None;
    }
    Some(
        (0..=n - registrable)
            .map(|from| labels[from..].join("."))
            .collect(),
    )
}

/// The brand part of a registrable domain: `gmail` of `gmail.com`.
pub fn brand_label(domain: &str) -> &str {
    domain.split('.').next().unwrap_or(domain)
}

fn without_brackets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_drop_case_accents_spaces_and_punctuation() {
        assert_eq!(key("Société Générale"), "societegenerale");
        assert_eq!(key("  GitHub, Inc. "), "githubinc");
        assert_eq!(key("1&1"), "11");
        assert_eq!(key("Ｐａｙｐａｌ"), "paypal");
    }

    #[test]
    fn an_issuer_is_tried_whole_then_without_its_trailing_words() {
        assert_eq!(forms("GitHub (work)"), ["github"]);
        assert_eq!(forms("GitHub, Inc."), ["githubinc", "github"]);
        assert_eq!(forms("Nintendo Account"), ["nintendoaccount", "nintendo"]);
        assert_eq!(
            forms("Redis Enterprise Cloud"),
            ["redisenterprisecloud", "redisenterprise", "redis"]
        );
        assert_eq!(forms("Account"), ["account"]);
        assert_eq!(forms("Ubisoft/Uplay"), ["ubisoftuplay", "ubisoft"]);
    }

    #[test]
    fn domains_are_looked_up_from_the_host_down_to_the_registrable_domain() {
        assert_eq!(
            hosts("signin.aws.amazon.com").unwrap(),
            ["signin.aws.amazon.com", "aws.amazon.com", "amazon.com"]
        );
        assert_eq!(
            hosts("https://GitLab.com/users/sign_in").unwrap(),
            ["gitlab.com"]
        );
        assert_eq!(hosts("github.com (work)").unwrap(), ["github.com"]);
        assert_eq!(
            hosts("shop.example.co.uk").unwrap(),
            ["shop.example.co.uk", "example.co.uk"]
        );
        assert_eq!(hosts("bbc.co.uk").unwrap(), ["bbc.co.uk"]);
        assert_eq!(hosts("Amazon Web Services"), None);
        assert_eq!(hosts("10.0.0.1"), None);
        assert_eq!(hosts("localhost"), None);
        assert_eq!(hosts("co.uk"), None);
    }
}
