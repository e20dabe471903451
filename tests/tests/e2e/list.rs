//! A list of many accounts in the real window: rows that tell eight test users of one AWS
//! account apart at the default width, letter avatars, the tag bar, search over tags and notes,
//! tags and notes edited in the details dialog, pins and sort orders, groups by issuer, codes
//! hidden for sharing the screen, and issuer icons.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;
use tessera_core::uri;
use tessera_e2e::{App, Key, cli};
use tessera_test_support::now;

/// A key of its own for account `i` (imports skip a key they already have), 24 base32
/// characters so that the last two count whole.
fn key(i: usize) -> String {
    let letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    format!(
        "GEZDGNBVGY3TQOJQGEZDGN{}{}",
        letters[i / 26] as char,
        letters[i % 26] as char
    )
}

/// Adds each (name, issuer) with the CLI, with keys from `key(first)` on; "" is no issuer.
fn add_each(home: &Path, first: usize, accounts: &[(&str, &str)]) {
    for (i, (name, issuer)) in accounts.iter().enumerate() {
        let secret = key(first + i);
        let mut args = vec!["add", "--name", name, "--secret", &secret];
        if !issuer.is_empty() {
            args.extend(["--issuer", issuer]);
        }
        cli(home, &args, "");
    }
}

/// 8 test users of one AWS account, as an admin imports them (no friendly names), beside 15
/// other accounts, some with long labels and some named by the user.
fn import_many(home: &Path) {
    let mut lines: Vec<String> = (1..=8)
        .map(|i| {
            format!(
                "otpauth://totp/Amazon%20Web%20Services:tester{i:02}@123456789012?secret={}&issuer=Amazon%20Web%20Services",
                key(i)
            )
        })
        .collect();
    for (i, (issuer, label)) in [
        ("GitHub", "octocat"),
        ("GitLab", "octocat@example.com"),
        ("Google", "jane.doe.with.a.long.address@gmail.com"),
        ("Microsoft", "jane@contoso.onmicrosoft.com"),
        ("Dropbox", "jane@example.com"),
        ("Slack", "jane@acme-corporation.slack.com"),
        ("Cloudflare", "ops@example.org"),
        ("Proton", "jane"),
        ("Bitwarden", "jane@example.com"),
        ("Okta", "jane.doe@acme.okta.com"),
        ("Atlassian", "jane@acme.atlassian.net"),
        ("Heroku", "deploy@example.com"),
    ]
    .iter()
    .enumerate()
    {
        lines.push(format!(
            "otpauth://totp/{issuer}:{label}?secret={}&issuer={issuer}",
            key(10 + i)
        ));
    }
    lines.push(format!("otpauth://totp/naked-label?secret={}", key(30)));
    let file = home.join("accounts.txt");
    std::fs::write(&file, lines.join("\n")).unwrap();
    cli(home, &["import", file.to_str().unwrap()], "");
    for i in 1..=8 {
        let name = format!("Amazon Web Services (tester{i:02}@123456789012)");
        let tag = if i <= 4 { "staging" } else { "prod" };
        cli(
            home,
            &["tag", &name, "--add", tag, "--add", "test users"],
            "",
        );
    }
    cli(
        home,
        &[
            "add",
            "--name",
            "staging-tester-07",
            "--uri",
            &format!(
                "otpauth://totp/Amazon%20Web%20Services:admin@210987654321?secret={}&issuer=Amazon%20Web%20Services",
                key(32)
            ),
        ],
        "",
    );
    cli(home, &["add", "--name", "bank", "--secret", &key(31)], "");
}

struct Seen {
    /// The row's account.
    id: String,
    /// The text that tells the row apart (`.key`).
    key: String,
    /// Whether all of it is shown (laid out, and not wider than its box).
    whole: bool,
    /// The line below.
    sub: String,
    /// The avatar's image (its `src`), else its letter; and its background colour.
    avatar: String,
    colour: String,
}

/// What each row in the DOM shows (the list places those near the screen).
async fn rows_seen(app: &App) -> Vec<Seen> {
    let value = app
        .eval(
            "return [...document.querySelectorAll('.row:not([hidden])')].map(r => {
               const key = r.querySelector('.name .key');
               return [r.dataset.id, key.textContent, key.clientWidth > 0 && key.scrollWidth <= key.clientWidth,
                       r.querySelector('.sub').textContent,
                       r.querySelector('.avatar img')?.getAttribute('src') ?? r.querySelector('.avatar').textContent,
                       getComputedStyle(r.querySelector('.avatar')).backgroundColor];
             })",
        )
        .await;
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let r = r.as_array().unwrap();
            let text = |i: usize| r[i].as_str().unwrap().to_owned();
            Seen {
                id: text(0),
                key: text(1),
                whole: r[2].as_bool().unwrap(),
                sub: text(3),
                avatar: text(4),
                colour: text(5),
            }
        })
        .collect()
}

/// What every row on show shows, scrolling the virtual list from its top to its end a
/// screenful at a time.
async fn all_rows_seen(app: &App) -> Vec<Seen> {
    app.eval("document.getElementById('list').scrollTop = 0")
        .await;
    let mut all: Vec<Seen> = Vec::new();
    loop {
        // The list places rows at the frame after a scroll.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        for row in rows_seen(app).await {
            if !all.iter().any(|r| r.id == row.id) {
                all.push(row);
            }
        }
        let at_end = app
            .eval(
                "const l = document.getElementById('list'); const before = l.scrollTop; \
                 l.scrollTop += l.clientHeight; return l.scrollTop === before",
            )
            .await;
        if at_end.as_bool().unwrap() {
            return all;
        }
    }
}

/// How many rows the list says it has on show: every option's aria-setsize (and 0 without one).
async fn set_size(app: &App) -> u64 {
    app.eval("return Number(document.querySelector('.row')?.getAttribute('aria-setsize') ?? 0)")
        .await
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn eight_test_users_of_one_aws_account_are_told_apart_at_the_default_width() {
    let mut app = App::start("many-accounts", import_many).await;
    app.eventually("23 rows", || async { set_size(&app).await == 23 })
        .await;
    assert_eq!(
        app.eval(
            "return [...document.querySelectorAll('#tags .tag')].map(b => b.textContent).join()"
        )
        .await,
        "prod,staging,test users"
    );
    let (_, _, width, _) = app.client.get_window_rect().await.unwrap();
    assert_eq!(width, 440, "the default width");
    // The codes in the desktop's monospace font, no family named that Linux lacks: each one is a
    // fontconfig search at the first layout, before the first code.
    assert_eq!(
        app.eval("return getComputedStyle(document.querySelector('.row .code')).fontFamily")
            .await,
        "monospace"
    );

    let rows = all_rows_seen(&app).await;
    assert_eq!(rows.len(), 23);
    for row in &rows {
        assert!(row.whole, "{:?} is cut at the default width", row.key);
    }
    // The test users differ in what is never cut; every row differs in what it shows.
    let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys[..8],
        (1..=8).map(|i| format!("tester{i:02}")).collect::<Vec<_>>()
    );
    let mut seen: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.key.as_str(), r.sub.as_str()))
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), rows.len(), "two rows read alike: {keys:?}");
    // A name the user chose is what the row reads; Tessera's own names are not.
    assert!(keys.contains(&"staging-tester-07"), "{keys:?}");
    assert!(keys.contains(&"jane.doe.with.a.long.address"), "{keys:?}");
    // One issuer, one icon; another issuer, another (the icons come after the codes).
    app.eventually("the icons", || async {
        let rows = all_rows_seen(&app).await;
        let icon = |r: &Seen| r.avatar.starts_with("data:image/svg+xml");
        rows[..8].iter().all(icon) && rows.iter().filter(|r| r.key == "octocat").all(icon)
    })
    .await;
    app.eval("document.getElementById('list').scrollTop = 0")
        .await;
    app.screenshot("many").await;
    let rows = all_rows_seen(&app).await;
    let aws: Vec<_> = rows[..8].iter().map(|r| (&r.avatar, &r.colour)).collect();
    assert!(aws.iter().all(|a| *a == aws[0]), "{aws:?}");
    assert_eq!(rows[0].sub, "Amazon Web Services");
    let github = rows.iter().find(|r| r.key == "octocat").unwrap();
    assert_ne!(&github.avatar, aws[0].0);

    // After a search only the test users remain, and they still differ in what they show.
    app.type_into("#search", "tester0").await;
    app.eventually("the 8 test users", || async {
        app.visible_names().await.len() == 8
    })
    .await;
    let names = app.visible_names().await;
    assert_eq!(
        names,
        (1..=8)
            .map(|i| format!("tester{i:02}@123456789012"))
            .collect::<Vec<_>>()
    );
    assert!(rows_seen(&app).await.iter().all(|r| r.whole));
    app.screenshot("searched").await;
    app.stop().await;
}

/// Whether the settings file the window saved passes `check`.
fn saved_setting(app: &App, check: impl Fn(&Value) -> bool) -> bool {
    std::fs::read(app.config_home.path().join("tessera/settings.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .is_some_and(|s| check(&s))
}

fn list_json(app: &App) -> Vec<Value> {
    serde_json::from_slice(&app.cli(&["list", "--json"], "").stdout).unwrap()
}

/// Types a tag one character over the bound into `field`, submits, and waits for `error` to
/// give the bound.
async fn a_long_tag_is_refused(app: &mut App, field: &str, submit: &str, error: &str) {
    app.type_into(field, &"x".repeat(41)).await;
    app.click(submit).await;
    app.eventually("the refusal", || async {
        app.text(error).await.contains("40")
    })
    .await;
}

async fn tag_bar(app: &App) -> Vec<(String, bool)> {
    let value = app
        .eval("return [...document.querySelectorAll('#tags .tag')].map(b => [b.textContent, b.getAttribute('aria-pressed') === 'true'])")
        .await;
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b[0].as_str().unwrap().to_owned(), b[1].as_bool().unwrap()))
        .collect()
}

#[tokio::test]
async fn tags_filter_the_list_and_are_edited_with_the_note_in_details() {
    const KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let mut app = App::start("tags", |home| {
        for (name, tags) in [
            ("prod-tester-01", &["prod", "Test users"][..]),
            ("staging-tester-01", &["staging", "test users"]),
            ("staging-tester-02", &["staging"]),
            ("personal", &[]),
        ] {
            let mut args = vec!["add", "--name", name, "--secret", KEY];
            for tag in tags {
                args.extend(["--tag", tag]);
            }
            cli(home, &args, "");
        }
        cli(
            home,
            &["note", "personal", "recovery codes in the safe"],
            "",
        );
    })
    .await;
    app.eventually("four rows", || async {
        app.visible_names().await.len() == 4
    })
    .await;
    // One button per tag, whatever its case, in alphabetical order.
    assert_eq!(
        tag_bar(&app).await,
        [
            ("prod".to_owned(), false),
            ("staging".to_owned(), false),
            ("Test users".to_owned(), false)
        ]
    );
    app.click("#tags .tag:nth-child(2)").await;
    assert_eq!(
        app.visible_names().await,
        ["staging-tester-01", "staging-tester-02"]
    );
    // Two tags chosen: the accounts with both.
    app.click("#tags .tag:nth-child(3)").await;
    assert_eq!(app.visible_names().await, ["staging-tester-01"]);
    app.screenshot("two-tags").await;
    app.click("#tags .tag:nth-child(2)").await;
    app.click("#tags .tag:nth-child(3)").await;
    assert_eq!(app.visible_names().await.len(), 4);

    // Search matches tags and notes.
    app.type_into("#search", "prod").await;
    assert_eq!(app.visible_names().await, ["prod-tester-01"]);
    app.type_into("#search", "safe").await;
    assert_eq!(app.visible_names().await, ["personal"]);
    app.press("\u{E00C}").await; // Esc empties the search
    app.eventually("every row again", || async {
        app.visible_names().await.len() == 4
    })
    .await;

    // Details: tags and note edited together; the list and the CLI see them.
    app.open_details(".row:nth-child(4)").await;
    assert_eq!(
        app.eval("return document.getElementById('details-note').value")
            .await,
        "recovery codes in the safe"
    );
    app.type_into("#details-tags", "home, Prod").await;
    app.type_into("#details-note", "codes printed").await;
    app.screenshot("details-tags").await;
    app.click("#details-save").await;
    app.eventually("the dialog closed", || async {
        app.eval("return document.getElementById('details-dialog').open")
            .await
            == Value::Bool(false)
    })
    .await;
    let listed = list_json(&app);
    assert_eq!(listed[3]["tags"], serde_json::json!(["home", "Prod"]));
    assert_eq!(listed[3]["note"], "codes printed");
    app.eventually("the new tag in the bar", || async {
        tag_bar(&app).await.iter().any(|(t, _)| t == "home")
    })
    .await;

    // A tag Tessera refuses says why, keeps the dialog open, and changes nothing.
    app.open_details(".row:nth-child(4)").await;
    a_long_tag_is_refused(&mut app, "#details-tags", "#details-save", "#details-error").await;
    assert_eq!(
        app.eval("return document.getElementById('details-dialog').open")
            .await,
        Value::Bool(true)
    );
    assert_eq!(
        list_json(&app)[3]["tags"],
        serde_json::json!(["home", "Prod"])
    );
    app.stop().await;
}

/// Whether each row's code and next code are drawn as dots (`-webkit-text-security`).
async fn codes_dotted(app: &App) -> Vec<bool> {
    let value = app
        .eval(
            "return [...document.querySelectorAll('.row')].map(r =>
               [r.querySelector('.code'), r.querySelector('.next')]
                 .every(e => getComputedStyle(e).webkitTextSecurity === 'disc'))",
        )
        .await;
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_bool().unwrap())
        .collect()
}

#[tokio::test]
async fn hidden_codes_show_as_dots_until_selected_and_still_copy() {
    let mut app = App::start("hidden-codes", |home| {
        cli(home, &["add", "--name", "first", "--secret", &key(1)], "");
        cli(home, &["add", "--name", "second", "--secret", &key(2)], "");
    })
    .await;
    app.eventually("two codes", || async {
        !app.text(".row:nth-child(2) .code").await.contains('·')
    })
    .await;
    assert_eq!(codes_dotted(&app).await, [false, false], "shown by default");

    app.click("#settings-button").await;
    app.click("#settings-hide-codes").await;
    app.eventually("the setting saved", || async {
        saved_setting(&app, |s| s["hide_codes"] == true)
    })
    .await;
    app.press("\u{E00C}").await; // Esc closes the dialog
    // The pointer is away from the list (WebDriver's last click was in the dialog's place).
    app.client
        .execute("document.activeElement.blur()", vec![])
        .await
        .unwrap();
    app.eventually("the codes hidden", || async {
        codes_dotted(&app).await == [true, true]
    })
    .await;
    app.screenshot("hidden").await;
    assert_eq!(
        app.text(".row:nth-child(1) .code")
            .await
            .chars()
            .filter(char::is_ascii_digit)
            .count(),
        6,
        "the code is still there, drawn as dots"
    );

    // Selected with the keyboard: that row's code shows, the other stays hidden.
    app.wait_for("#search").await;
    app.client
        .execute("document.getElementById('search').focus()", vec![])
        .await
        .unwrap();
    app.press("\u{E015}").await; // ArrowDown
    app.eventually("the first row shown", || async {
        codes_dotted(&app).await == [false, true]
    })
    .await;
    // Both selected (Ctrl+A): still only the row with the cursor shows its code.
    app.click(".row:nth-child(1) .who").await;
    app.press("\u{E009}a\u{E009}").await;
    selected_becomes(&app, &["first", "second"]).await;
    assert_eq!(codes_dotted(&app).await, [false, true]);
    // Copying a hidden code still works.
    let second = uri::parse(&format!("otpauth://totp/x?secret={}", key(2))).unwrap();
    let before = now();
    app.click(".row:nth-child(2) .code").await;
    app.eventually("the second code copied", || async {
        let copied = tessera_e2e::clipboard();
        (before..=now()).any(|t| second.code_at(t) == copied)
    })
    .await;

    // A restart keeps the setting.
    let app = app.restart().await;
    app.eventually("hidden after a restart", || async {
        codes_dotted(&app).await == [true, true]
    })
    .await;
    app.stop().await;
}

/// Chooses `value` in the settings dialog's order, and closes it.
async fn choose_order(app: &mut App, value: &str) {
    app.click("#settings-button").await;
    app.click(&format!("#settings-sort option[value={value}]"))
        .await;
    app.eventually("the order saved", || async {
        saved_setting(app, |s| s["sort_order"] == value)
    })
    .await;
    app.press("\u{E00C}").await; // Esc closes the dialog
}

#[tokio::test]
async fn pinned_accounts_come_first_in_every_order_and_the_order_is_kept() {
    let mut app = App::start("orders", |home| {
        add_each(
            home,
            40,
            &[
                ("delta", "Zeta"),
                ("alpha", "Beta"),
                ("charlie", "Alpha"),
                ("bravo", ""),
            ],
        );
    })
    .await;
    app.eventually("four rows", || async {
        app.visible_names().await == ["delta", "alpha", "charlie", "bravo"]
    })
    .await;

    // Pinned in details: first from now on, and `list --json` says so.
    app.open_details(".row:nth-child(3)").await;
    app.click("#details-pinned").await;
    app.screenshot("pin").await;
    app.click("#details-save").await;
    app.eventually("charlie first", || async {
        app.visible_names().await == ["charlie", "delta", "alpha", "bravo"]
    })
    .await;
    let listed: Vec<Value> =
        serde_json::from_slice(&app.cli(&["list", "--json"], "").stdout).unwrap();
    assert_eq!(listed[2]["pinned"], true);

    // Moved in the user's order with a pin above: bravo goes above alpha, as shown.
    app.click(".row:nth-child(4)").await;
    app.press("\u{E00A}\u{E013}").await; // Alt+ArrowUp
    app.eventually("bravo moved up", || async {
        app.visible_names().await == ["charlie", "delta", "bravo", "alpha"]
    })
    .await;

    choose_order(&mut app, "name").await;
    app.eventually("by name", || async {
        app.visible_names().await == ["charlie", "alpha", "bravo", "delta"]
    })
    .await;
    choose_order(&mut app, "issuer").await;
    app.eventually("by issuer, none last", || async {
        app.visible_names().await == ["charlie", "alpha", "delta", "bravo"]
    })
    .await;
    // Another order can't be changed by hand: it says where to choose the user's own.
    app.click(".row:nth-child(3)").await;
    app.press("\u{E00A}\u{E013}").await;
    app.eventually("the hint", || async {
        app.eval("return document.getElementById('toast').textContent")
            .await
            .as_str()
            .is_some_and(|t| t.contains("Your order"))
    })
    .await;
    assert_eq!(
        app.visible_names().await,
        ["charlie", "alpha", "delta", "bravo"]
    );

    // Most used: two copies of bravo, one of delta.
    for row in [4, 4, 3] {
        app.click(&format!(".row:nth-child({row}) .code")).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    choose_order(&mut app, "most_used").await;
    app.eventually("by use", || async {
        app.visible_names().await == ["charlie", "bravo", "delta", "alpha"]
    })
    .await;
    app.screenshot("most-used").await;

    // The order and the counts stay after a restart.
    let app = app.restart().await;
    app.eventually("the same order", || async {
        app.visible_names().await == ["charlie", "bravo", "delta", "alpha"]
    })
    .await;
    app.stop().await;
}

/// The group headers shown: each issuer's name and how many of its accounts match.
async fn headers(app: &App) -> Vec<(String, String, bool)> {
    let value = app
        .eval(
            "return [...document.querySelectorAll('.group:not([hidden]) .group-header')].map(h =>
               [h.querySelector('.group-name').textContent, h.querySelector('.group-count').textContent,
                h.getAttribute('aria-expanded') === 'true'])",
        )
        .await;
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let text = |i: usize| h[i].as_str().unwrap().to_owned();
            (text(0), text(1), h[2].as_bool().unwrap())
        })
        .collect()
}

#[tokio::test]
async fn groups_by_issuer_collapse_and_stay_collapsed() {
    let mut app = App::start("groups", |home| {
        add_each(
            home,
            50,
            &[
                ("aws-1", "Amazon Web Services"),
                ("github-1", "GitHub"),
                ("aws-2", "Amazon Web Services"),
                ("loose", ""),
                ("github-2", "github"),
                ("aws-3", "Amazon Web Services"),
            ],
        );
    })
    .await;
    app.eventually("six rows", || async {
        app.visible_names().await.len() == 6
    })
    .await;
    assert!(headers(&app).await.is_empty(), "not grouped by default");

    app.click("#settings-button").await;
    app.click("#settings-group").await;
    app.press("\u{E00C}").await;
    let all = |expanded: bool| {
        vec![
            ("Amazon Web Services".to_owned(), "3".to_owned(), expanded),
            ("GitHub".to_owned(), "2".to_owned(), true),
            ("No issuer".to_owned(), "1".to_owned(), true),
        ]
    };
    app.eventually("one header per issuer", || async {
        headers(&app).await == all(true)
    })
    .await;
    assert_eq!(
        app.visible_names().await,
        ["aws-1", "aws-2", "aws-3", "github-1", "github-2", "loose"]
    );

    // Collapsed: its rows go, its header stays; the keyboard skips them.
    app.click(".group-header").await;
    assert_eq!(headers(&app).await, all(false));
    assert_eq!(app.visible_names().await, ["github-1", "github-2", "loose"]);
    app.screenshot("collapsed").await;
    // A search shows the groups with a match, and how many match.
    app.type_into("#search", "aws-2").await;
    assert_eq!(
        headers(&app).await,
        [("Amazon Web Services".to_owned(), "1".to_owned(), false)]
    );
    assert!(app.visible_names().await.is_empty());
    app.press("\u{E00C}").await;

    // Remembered: after a restart the list is still grouped, Amazon still collapsed.
    app.eventually("the collapse saved", || async {
        saved_setting(&app, |s| {
            s["collapsed_issuers"] == serde_json::json!(["amazon web services"])
        })
    })
    .await;
    let app = app.restart().await;
    app.eventually("grouped and collapsed after a restart", || async {
        headers(&app).await == all(false)
    })
    .await;
    assert_eq!(app.visible_names().await, ["github-1", "github-2", "loose"]);
    app.stop().await;
}

/// What each row's avatar shows: `(img src prefix, classes)`, or the letter when there is no image.
async fn avatars(app: &App) -> Vec<String> {
    let seen = app
        .eval(
            "return [...document.querySelectorAll('#list .row .avatar')].map((a) => { \
               const img = a.querySelector('img'); \
               return img ? `${img.getAttribute('src').slice(0, 22)} ${a.className}` : `letter ${a.textContent}`; })",
        )
        .await;
    seen.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn issuer_icons_come_after_the_codes_and_are_chosen_in_details() {
    let mut app = App::start("icons", |home| {
        add_each(
            home,
            0,
            &[
                ("github", "GitHub"),
                ("tester01", "Amazon Web Services"),
                ("payroll", "Acme Payroll"),
            ],
        );
    })
    .await;
    app.eventually("two icons and a letter", || async {
        avatars(&app).await
            == [
                "data:image/svg+xml;bas avatar icon",
                "data:image/svg+xml;bas avatar icon tile",
                "letter A",
            ]
    })
    .await;
    app.screenshot("icons").await;

    // A bundled icon found by search in the details dialog.
    app.open_details(".row:nth-child(3)").await;
    app.type_into("#details-icon-search", "gitlab").await;
    app.wait_for("#details-icon-results [data-icon-id='simple-icons/gitlab']")
        .await;
    app.click("#details-icon-results [data-icon-id='simple-icons/gitlab']")
        .await;
    app.eventually("the CLI sees the chosen icon", || async {
        list_json(&app)[2]["icon"] == "simple-icons/gitlab"
    })
    .await;
    app.eventually("the row shows it", || async {
        avatars(&app).await[2].starts_with("data:image/svg+xml")
    })
    .await;

    // An image file of the user's own, through the native file chooser.
    app.click("#details-icon-file").await;
    let png = Path::new(env!("CARGO_MANIFEST_DIR")).join("../icons/256x256.png");
    tessera_e2e::answer_file_chooser("Choose an icon", &png);
    app.eventually("the row shows the image", || async {
        avatars(&app).await[2] == "data:image/png;base64, avatar icon custom"
    })
    .await;
    assert_eq!(list_json(&app)[2]["icon"], "custom");

    // A letter even where an icon matches, then the matched one again.
    app.click("#details-icon-letter").await;
    app.eventually("a letter again", || async {
        avatars(&app).await[2] == "letter A"
    })
    .await;
    assert_eq!(list_json(&app)[2]["icon"], Value::Null);
    app.stop().await;
}

/// The first line of each selected row, in order.
async fn selected(app: &App) -> Vec<String> {
    app.names_of(".row[aria-selected='true']").await
}

/// Waits for the rows selected to be `names`: a click's handler may run after the WebDriver
/// call returns on a loaded machine.
async fn selected_becomes(app: &App, names: &[&str]) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let got = selected(app).await;
        if got == names || Instant::now() > deadline {
            assert_eq!(got, names);
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn is_open(app: &App, dialog: &str) -> bool {
    app.eval(&format!("return document.getElementById('{dialog}').open"))
        .await
        == Value::Bool(true)
}

/// The names `list --json` has, and whether each has `tag`.
fn tagged(app: &App, tag: &str) -> Vec<(String, bool)> {
    list_json(app)
        .iter()
        .map(|a| {
            let tags = a["tags"].as_array().unwrap();
            (
                a["name"].as_str().unwrap().to_owned(),
                tags.iter().any(|t| t == tag),
            )
        })
        .collect()
}

#[tokio::test]
async fn several_accounts_are_selected_then_tagged_exported_and_deleted_at_once() {
    const NAMES: [&str; 6] = [
        "prod-tester-01",
        "prod-tester-02",
        "staging-tester-01",
        "staging-tester-02",
        "staging-tester-03",
        "personal",
    ];
    let mut app = App::start("selection", |home| {
        let accounts: Vec<(&str, &str)> = NAMES.iter().map(|n| (*n, "AWS")).collect();
        add_each(home, 0, &accounts);
    })
    .await;
    app.eventually("six rows", || async {
        app.visible_names().await.len() == 6
    })
    .await;
    let row = |i: usize| format!(".row:nth-child({i}) .who");

    // Ctrl+A in the filtered list: the rows shown, and no other.
    app.type_into("#search", "staging").await;
    app.click(&row(3)).await;
    let ctrl = char::from(Key::Control);
    app.press(&format!("{ctrl}a{ctrl}")).await;
    selected_becomes(&app, &NAMES[2..5]).await;
    assert_eq!(app.text("#selection-count").await, "3 selected");
    app.screenshot("three-selected").await;

    // Tagged together; a refused tag says why, keeps the dialog open and changes nothing.
    app.click("#selection-tag").await;
    a_long_tag_is_refused(&mut app, "#bulk-tag", "#bulk-tag-submit", "#bulk-tag-error").await;
    assert!(is_open(&app, "bulk-tag-dialog").await);
    assert!(tagged(&app, &"x".repeat(41)).iter().all(|(_, has)| !has));
    app.type_into("#bulk-tag", "bulk, later").await;
    app.click("#bulk-tag-submit").await;
    app.eventually("the dialog closed", || async {
        !is_open(&app, "bulk-tag-dialog").await
    })
    .await;
    let has: Vec<bool> = tagged(&app, "bulk").iter().map(|(_, has)| *has).collect();
    assert_eq!(has, [false, false, true, true, true, false]);
    assert_eq!(selected(&app).await, &NAMES[2..5], "still selected");
    app.click("#selection-untag").await;
    assert_eq!(
        app.eval(
            "return [...document.querySelectorAll('#bulk-tag-known option')].map(o => o.value)"
        )
        .await,
        serde_json::json!(["bulk", "later"]),
        "the tags the selected accounts have now"
    );
    app.type_into("#bulk-tag", "LATER").await;
    app.click("#bulk-tag-submit").await;
    app.eventually("untagged, and the dialog closed", || async {
        tagged(&app, "later").iter().all(|(_, has)| !has) && !is_open(&app, "bulk-tag-dialog").await
    })
    .await;

    // Emptied, the search shows every row, the three still selected (Ctrl+A in the field is
    // its text's); Ctrl-click adds one and takes one out.
    app.click("#search").await;
    app.press(&format!("{ctrl}a{ctrl}\u{E003}")).await;
    app.eventually("six rows again", || async {
        app.visible_names().await.len() == 6
    })
    .await;
    assert_eq!(selected(&app).await, &NAMES[2..5]);
    app.click_with(Key::Control, &row(6)).await;
    selected_becomes(&app, &[&NAMES[2..5], &NAMES[5..]].concat()).await;
    app.click_with(Key::Control, &row(4)).await;
    selected_becomes(
        &app,
        &["staging-tester-01", "staging-tester-03", "personal"],
    )
    .await;
    // A click selects one; Shift-click and Shift+↓ a range from it.
    app.click(&row(1)).await;
    selected_becomes(&app, &NAMES[..1]).await;
    assert!(
        app.eval("return document.getElementById('selection-bar').hidden")
            .await
            == Value::Bool(true)
    );
    app.click_with(Key::Shift, &row(3)).await;
    selected_becomes(&app, &NAMES[..3]).await;
    let (shift, down) = (char::from(Key::Shift), char::from(Key::Down));
    app.press(&format!("{shift}{down}{shift}")).await;
    selected_becomes(&app, &NAMES[..4]).await;

    // Exported: only those four.
    app.click("#selection-export").await;
    assert_eq!(
        app.text("#export-title").await,
        "Export 4 selected accounts"
    );
    app.click("input[name='export-kind'][value='otpauth']")
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("four.txt");
    app.click("#export-submit").await;
    tessera_e2e::answer_file_chooser("Save backup", &file);
    app.eventually("the export written", || async {
        !is_open(&app, "export-dialog").await && file.exists()
    })
    .await;
    let lines: Vec<String> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(|l| String::clone(&uri::parse(l).unwrap().secret.to_base32()))
        .collect();
    assert_eq!(lines, (0..4).map(key).collect::<Vec<_>>());

    // Deleted with one confirmation that names the count; Cancel first changes nothing.
    app.click("#selection-delete").await;
    assert_eq!(app.text("#confirm-title").await, "Delete 4 accounts?");
    app.screenshot("delete-four").await;
    app.click("#confirm-cancel").await;
    assert_eq!(list_json(&app).len(), 6);
    app.press(&char::from(Key::Delete).to_string()).await;
    app.eventually("the confirmation again", || async {
        is_open(&app, "confirm-dialog").await
    })
    .await;
    app.click("#confirm-delete").await;
    app.eventually("two rows left", || async {
        app.visible_names().await == NAMES[4..]
    })
    .await;
    let left: Vec<String> = tagged(&app, "bulk").into_iter().map(|(n, _)| n).collect();
    assert_eq!(left, &NAMES[4..]);
    assert!(selected(&app).await.len() <= 1);
    assert!(
        app.eval("return document.getElementById('selection-bar').hidden")
            .await
            == Value::Bool(true)
    );
    app.stop().await;
}
