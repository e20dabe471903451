//! The window in other languages: in the pseudo-language (English accented and lengthened) a walk
//! through every screen and dialog finds no English word left and nothing cut off; in German no
//! dialog is wider than the window at its default size. The accounts' names and issuers are
//! Greek, so that any run of Latin letters on screen is a word not taken from a catalogue.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use serde_json::Value;
use tessera_e2e::{App, cli};
use tessera_l10n::{Catalogue, Language};

const ACCOUNTS: [(&str, &str); 3] = [
    (
        "Ωμέγα-07",
        "otpauth://totp/%CE%94%CE%BF%CE%BA%CE%B9%CE%BC%CE%AE:%CF%87%CF%81%CE%AE%CF%83%CF%84%CE%B7%CF%82?secret=JBSWY3DPEHPK3PXP&issuer=%CE%94%CE%BF%CE%BA%CE%B9%CE%BC%CE%AE",
    ),
    (
        "Ωμέγα-08",
        "otpauth://totp/%CE%94%CE%BF%CE%BA%CE%B9%CE%BC%CE%AE:%CE%AC%CE%BB%CE%BB%CE%BF%CF%82?secret=GEZDGNBVGY3TQOJQ&issuer=%CE%94%CE%BF%CE%BA%CE%B9%CE%BC%CE%AE",
    ),
    (
        "Μετρητής",
        "otpauth://hotp/%CE%A0%CF%8D%CE%BB%CE%B7?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0&issuer=%CE%A0%CF%8D%CE%BB%CE%B7",
    ),
];

/// Accounts as a German user has them, for the README's screenshot.
const GERMAN_ACCOUNTS: [(&str, &str); 3] = [
    (
        "aws-staging-tester-07",
        "otpauth://totp/Amazon%20Web%20Services:tester-07@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services",
    ),
    (
        "GitHub",
        "otpauth://totp/GitHub:erika.mustermann?secret=GEZDGNBVGY3TQOJQ&issuer=GitHub",
    ),
    (
        "Sparkasse",
        "otpauth://hotp/Sparkasse:Girokonto?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0&issuer=Sparkasse",
    ),
];

fn prepare(home: &Path) {
    for (name, uri) in ACCOUNTS {
        cli(home, &["add", "--name", name, "--uri", uri], "");
    }
}

/// What the page shows now (the open dialog, else the window) that breaks the language: runs of
/// two or more Latin letters outside the accounts' data (English left, `english`), and
/// elements whose words do not fit (`cut`: wider than their box where it hides the overflow, or
/// past their dialog's or the window's right edge).
const CHECK: &str = r#"
const root = document.querySelector("dialog[open]") ?? document.body;
const edge = Math.min(window.innerWidth, root.getBoundingClientRect().right);
const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
// Data, not words: algorithm names, the time server.
const allowed = /^(SHA\d+|pool\.ntp\.org)$/;
const english = [], cut = [];
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const parent = node.parentElement;
  if (!parent || !shown(parent) || parent.closest("script, style, [hidden]")) continue;
  if (parent.closest("dialog:not([open])") && root === document.body) continue;
  for (const word of node.textContent.split(/[\s(),:;“”"]+/)) {
    if (/[A-Za-z]{2}/.test(word) && !allowed.test(word)) english.push(`${word} (in #${parent.closest("[id]")?.id})`);
  }
}
for (const field of root.querySelectorAll("input[placeholder], textarea[placeholder]")) {
  if (!shown(field)) continue;
  for (const word of field.placeholder.split(/[\s,:…]+/)) {
    if (/^[A-Za-z]{2,}$/.test(word) && field.id !== "add-secret" && field.id !== "add-label" && field.id !== "add-uri" && field.id !== "sync-secret" && field.id !== "add-issuer")
      english.push(`${word} (placeholder of #${field.id})`);
  }
}
for (const e of root.querySelectorAll("*")) {
  if (!shown(e) || e.closest("[hidden]")) continue;
  const own = [...e.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim() !== "").map((n) => n.textContent.trim()).join(" ");
  if (own === "" || !/[^\x00-\x7f]/.test(own)) continue;
  const style = getComputedStyle(e);
  const hides = style.overflowX !== "visible" || style.textOverflow === "ellipsis";
  const r = e.getBoundingClientRect();
  if ((hides && e.scrollWidth > e.clientWidth + 1) || r.right > edge + 1) cut.push(`${own.slice(0, 40)} (${e.tagName.toLowerCase()}#${e.id || e.className})`);
}
return { english, cut };
"#;

async fn check(app: &mut App, screen: &str) {
    app.screenshot(screen).await;
    let found = app.eval(CHECK).await;
    let english: Vec<Value> = found["english"].as_array().unwrap().clone();
    let cut: Vec<Value> = found["cut"].as_array().unwrap().clone();
    assert!(english.is_empty(), "{screen}: English left: {english:?}");
    assert!(cut.is_empty(), "{screen}: cut off: {cut:?}");
}

async fn open_dialog(app: &mut App, button: &str, dialog: &str) {
    app.click(button).await;
    app.wait_for(&format!("#{dialog}[open]")).await;
}

async fn close_dialog(app: &App, dialog: &str) {
    app.eval(&format!("document.getElementById('{dialog}').close()"))
        .await;
}

#[tokio::test]
async fn the_pseudo_language_leaves_no_english_and_cuts_nothing() {
    let mut app = App::start_with("pseudo-language", &[("LANG", "en_XA.UTF-8")], prepare).await;
    app.eventually("the codes", || async {
        app.eval("return document.querySelectorAll('.row .code').length")
            .await
            == 3
    })
    .await;
    // The page is shown once its words are in, which may be after #list is there.
    app.eventually("the pseudo-language", || async {
        app.eval("return document.getElementById('search').placeholder")
            .await
            == "Šééååŕçĥ ååççööûûñţš"
    })
    .await;
    check(&mut app, "list").await;

    // Add: both tabs, the advanced fields, a key checked.
    open_dialog(&mut app, "#add-button", "add-dialog").await;
    app.eval("document.getElementById('add-advanced').open = true")
        .await;
    app.type_into("#add-secret", "JBSWY3DPEHPK3PXP").await;
    // Without an issuer the proposed name is the shell's "Unnamed account", an account's name
    // like any other (the CLI's too), not a word of the window.
    app.type_into("#add-issuer", "Ψ").await;
    app.eventually("the key checked", || async {
        app.eval("return document.getElementById('add-check').className")
            .await
            == "check ok"
    })
    .await;
    check(&mut app, "add-key").await;
    app.type_into("#add-secret", "JBSWY3DP0").await;
    app.eventually("the key refused", || async {
        app.eval("return document.getElementById('add-check').className")
            .await
            == "check error"
    })
    .await;
    check(&mut app, "add-refused").await;
    app.click("#tab-uri").await;
    check(&mut app, "add-uri").await;
    close_dialog(&app, "add-dialog").await;

    // Details, with resync open; the codes' aria-labels are checked by the screen reader test.
    app.open_details(".row:first-child").await;
    app.eval("document.getElementById('details-resync').open = true")
        .await;
    check(&mut app, "details").await;
    close_dialog(&app, "details-dialog").await;

    // Settings, then Export and Recently deleted from it.
    open_dialog(&mut app, "#settings-button", "settings-dialog").await;
    app.eval("document.getElementById('lock-method').value = 'pin'; document.getElementById('lock-method').dispatchEvent(new Event('change'))").await;
    check(&mut app, "settings").await;
    app.click("#export-button").await;
    app.wait_for("#export-dialog[open]").await;
    check(&mut app, "export").await;
    app.click("input[value=otpauth]").await;
    check(&mut app, "export-in-clear").await;
    close_dialog(&app, "export-dialog").await;

    // Import: an encrypted backup of the same accounts, its passphrase asked, a wrong one
    // refused, then the list of what it holds (each already in Tessera).
    let dir = tempfile::tempdir().unwrap();
    // A name without letters: the file's name is shown, and it is data, not a word of the window.
    let backup = dir.path().join("2026-12-06");
    app.cli(
        &[
            "export",
            "--format",
            "aegis",
            "--output",
            backup.to_str().unwrap(),
            "--password-file",
            "-",
        ],
        "correct horse battery staple\n",
    );
    open_dialog(&mut app, "#settings-button", "settings-dialog").await;
    app.click("#import-button").await;
    // The file chooser's title is the shell's, from the same catalogue.
    let title = Catalogue::new(Language::Pseudo).text("dialog-import-backup", &[]);
    tessera_e2e::answer_file_chooser(&title, &backup);
    app.wait_for("#import-dialog[open]").await;
    check(&mut app, "import").await;
    app.type_into("#import-pass", "wrong passphrase").await;
    app.click("#import-submit").await;
    app.eventually("the passphrase refused", || async {
        !app.text("#import-error").await.is_empty()
    })
    .await;
    check(&mut app, "import-refused").await;
    app.type_into("#import-pass", "correct horse battery staple")
        .await;
    app.click("#import-submit").await;
    app.wait_for("#scan-dialog[open] .scan-duplicate").await;
    check(&mut app, "imported-list").await;
    close_dialog(&app, "scan-dialog").await;

    // A selection: its bar, the bulk tag dialog, the delete confirmation, the toast, the trash.
    app.click(".row:first-child .name").await;
    app.click_with(fantoccini::key::Key::Shift, ".row:nth-child(2) .name")
        .await;
    app.wait_for("#selection-bar:not([hidden])").await;
    check(&mut app, "selection").await;
    app.click("#selection-tag").await;
    app.wait_for("#bulk-tag-dialog[open]").await;
    check(&mut app, "bulk-tag").await;
    close_dialog(&app, "bulk-tag-dialog").await;
    app.click("#selection-delete").await;
    app.wait_for("#confirm-dialog[open]").await;
    check(&mut app, "confirm-delete").await;
    app.click("#confirm-delete").await;
    app.wait_for("#toast.shown").await;
    check(&mut app, "deleted-toast").await;
    open_dialog(&mut app, "#settings-button", "settings-dialog").await;
    app.click("#trash-button").await;
    app.wait_for("#trash-list li").await;
    check(&mut app, "trash").await;
    close_dialog(&app, "trash-dialog").await;
    close_dialog(&app, "settings-dialog").await;

    // No match, then no account.
    app.type_into("#search", "ψ").await;
    app.wait_for("#no-match:not([hidden])").await;
    check(&mut app, "no-match").await;
    app.cli(&["remove", "--yes", "Μετρητής"], "");
    app.eval("const s = document.getElementById('search'); s.value = ''; s.dispatchEvent(new Event('input'))").await;
    app.wait_for("#empty:not([hidden])").await;
    check(&mut app, "empty").await;

    // The lock: a PIN set in Settings, Ctrl+L, the lock screen, a wrong PIN.
    open_dialog(&mut app, "#settings-button", "settings-dialog").await;
    app.eval("document.getElementById('lock-method').value = 'pin'; document.getElementById('lock-method').dispatchEvent(new Event('change'))").await;
    app.type_into("#lock-secret", "135790").await;
    app.type_into("#lock-secret-again", "135790").await;
    app.click("#lock-set").await;
    app.wait_for("#toast.shown").await;
    check(&mut app, "lock-set").await;
    close_dialog(&app, "settings-dialog").await;
    app.press(&format!("{}l{}", '\u{E009}', '\u{E009}')).await;
    app.wait_for("#lock-screen:not([hidden])").await;
    check(&mut app, "locked").await;
    app.type_into("#unlock-secret", "000000").await;
    app.press("\u{E007}").await;
    app.eventually("the PIN refused", || async {
        !app.text("#unlock-problem").await.is_empty()
    })
    .await;
    check(&mut app, "wrong-pin").await;
}

#[tokio::test]
async fn german_dialogs_fit_the_window() {
    let mut app = App::start_with("german", &[("LANG", "de_DE.UTF-8")], |home| {
        for (name, uri) in GERMAN_ACCOUNTS {
            cli(home, &["add", "--name", name, "--uri", uri], "");
        }
    })
    .await;
    app.eventually("German", || async {
        app.eval("return document.documentElement.lang").await == "de"
    })
    .await;
    app.eventually("the codes", || async {
        app.eval("return document.querySelectorAll('.row .code').length")
            .await
            == 3
    })
    .await;
    assert_eq!(
        app.eval("return document.getElementById('search').placeholder")
            .await,
        "Konten suchen"
    );
    app.eventually("the next codes", || async {
        app.eval("return [...document.querySelectorAll('.row .next')].filter((n) => n.textContent !== '').length").await == 2
    })
    .await;
    app.screenshot("list").await;
    let fits = r#"
        const d = document.querySelector("dialog[open]");
        const r = d.getBoundingClientRect();
        const past = [...d.querySelectorAll("*")].filter((e) => e.getClientRects().length > 0 && e.getBoundingClientRect().right > r.right + 1).map((e) => e.id || e.className);
        return { wide: d.scrollWidth > d.clientWidth + 1 || r.right > window.innerWidth, past };
    "#;
    for (button, dialog) in [
        ("#add-button", "add-dialog"),
        (".row:first-child .more", "details-dialog"),
        ("#settings-button", "settings-dialog"),
    ] {
        open_dialog(&mut app, button, dialog).await;
        app.eval(
            "for (const d of document.querySelectorAll('dialog[open] details')) d.open = true",
        )
        .await;
        app.screenshot(dialog).await;
        let found = app.eval(fits).await;
        assert_eq!(found["wide"], false, "{dialog} is wider than the window");
        assert_eq!(
            found["past"],
            Value::Array(vec![]),
            "{dialog}: past its edge"
        );
        close_dialog(&app, dialog).await;
    }
    // An error is said by its code, in German.
    app.click("#add-button").await;
    app.click("#tab-uri").await;
    app.type_into("#add-uri", "otpauth://nonsense").await;
    app.eventually("the link refused in German", || async {
        app.text("#add-check").await == "Das ist kein verwendbarer otpauth://-Link."
    })
    .await;
}
