//! What a screen reader gets from the window, read through AT-SPI as Orca reads it (WebKitGTK
//! exposes the page on the accessibility bus): every control has a name, the list reads as a
//! list of accounts with their codes and the seconds left, dialogs are dialogs with their
//! titles, and the focus goes into a dialog when it opens and back when it closes.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use tessera_e2e::atspi::{Node, page};
use tessera_e2e::{App, Key, cli};

const ACCOUNTS: [(&str, &str); 3] = [
    (
        "staging-tester-07",
        "otpauth://totp/Amazon%20Web%20Services:tester-07@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services",
    ),
    (
        "GitHub",
        "otpauth://totp/GitHub:octocat?secret=GEZDGNBVGY3TQOJQ&issuer=GitHub",
    ),
    (
        "VPN token",
        "otpauth://hotp/VPN:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0&issuer=VPN",
    ),
];

/// The roles a user operates, which a screen reader must be able to name.
const CONTROLS: [&str; 11] = [
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "entry",
    "password text",
    "combo box",
    "spin button",
    "page tab",
    "list item",
    "link",
];

/// The showing controls without a name.
fn unnamed(nodes: &[Node]) -> Vec<String> {
    nodes
        .iter()
        .filter(|n| n.showing && CONTROLS.contains(&n.role.as_str()) && n.name.trim().is_empty())
        .map(|n| format!("a {} at depth {}", n.role, n.depth()))
        .collect()
}

fn focused(nodes: &[Node]) -> Option<&Node> {
    // The deepest focused object: the page and its frame say they are focused too.
    nodes.iter().filter(|n| n.focused).max_by_key(|n| n.depth())
}

/// The open dialog: its index in `nodes`.
fn dialog(nodes: &[Node]) -> usize {
    let dialogs: Vec<usize> = (0..nodes.len())
        .filter(|&i| nodes[i].role == "dialog" && nodes[i].showing)
        .collect();
    assert_eq!(dialogs.len(), 1, "one dialog open: {dialogs:?}");
    dialogs[0]
}

/// Opens a dialog with `keys`, then checks it is a dialog named `title`, its controls are
/// named and the focus is inside it; Esc closes it and the focus is back on what had it before
/// (`back`: a role and a name).
async fn dialog_round_trip(app: &mut App, keys: &str, title: &str, back: (&str, &str)) {
    app.press(keys).await;
    app.wait_for("dialog[open]").await;
    let nodes = page("tessera-desktop");
    let at = dialog(&nodes);
    assert_eq!(nodes[at].name, title, "the dialog's name is its title");
    let inside: Vec<Node> = nodes
        .iter()
        .filter(|n| n.ancestors.contains(&at))
        .cloned()
        .collect();
    assert!(inside.len() > 3, "{title}: {} objects", inside.len());
    assert_eq!(
        unnamed(&inside),
        Vec::<String>::new(),
        "{title}: unnamed controls"
    );
    let focus = focused(&nodes).expect("something focused");
    assert!(
        focus.ancestors.contains(&at),
        "{title}: the focus ({} {:?}) is not in the dialog",
        focus.role,
        focus.name
    );
    app.press(&char::from(Key::Escape).to_string()).await;
    app.eventually("the dialog closed", || async {
        app.eval("return document.querySelector('dialog[open]') === null")
            .await
            == true
    })
    .await;
    // The tree hears of the focus a moment after the page moves it.
    let want = Some((back.0.to_owned(), back.1.to_owned()));
    let mut focus = None;
    for _ in 0..20 {
        let nodes = page("tessera-desktop");
        focus = focused(&nodes).map(|n| (n.role.clone(), n.name.clone()));
        if focus == want {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    panic!("{title}: the focus did not go back to {back:?}, it is on {focus:?}");
}

#[tokio::test]
async fn a_screen_reader_gets_named_controls_a_list_of_accounts_and_dialogs() {
    let mut app = App::start("screen-reader", |home| {
        for (name, uri) in ACCOUNTS {
            cli(home, &["add", "--name", name, "--uri", uri], "");
        }
    })
    .await;
    app.eventually("the codes", || async {
        app.eval("return [...document.querySelectorAll('.row .next')].filter((n) => n.textContent !== '').length").await == 2
    })
    .await;
    let nodes = page("tessera-desktop");
    assert_eq!(
        unnamed(&nodes),
        Vec::<String>::new(),
        "the window's unnamed controls"
    );

    // The list is a list box named Accounts; each account reads as its name, issuer and label,
    // its code and the seconds left (a counter-based one says how to get a code).
    let list = nodes
        .iter()
        .position(|n| n.role == "list box" && n.name == "Accounts")
        .expect("a list box named Accounts");
    let items: Vec<&Node> = nodes
        .iter()
        .filter(|n| n.role == "list item" && n.ancestors.contains(&list))
        .collect();
    assert_eq!(items.len(), 3, "{items:?}");
    let code_read = |name: &str| {
        let item = items
            .iter()
            .find(|n| n.name.starts_with(name))
            .unwrap_or_else(|| panic!("no item for {name}: {items:?}"));
        item.name.clone()
    };
    let aws = code_read("staging-tester-07, Amazon Web Services · tester-07@123456789012: code ");
    assert!(says_seconds_left(&aws), "{aws}");
    let digits: String = aws.chars().filter(char::is_ascii_digit).collect();
    assert!(digits.len() > 12 + 6, "the code is read: {aws}");
    let github = code_read("GitHub, octocat: code ");
    assert!(says_seconds_left(&github), "{github}");
    assert_eq!(
        code_read("VPN token"),
        "VPN token, VPN · me: counter-based, Enter shows a code"
    );
    // The search field has the focus at start, and says what it is for.
    let focus = focused(&nodes).unwrap();
    assert_eq!(
        (focus.role.as_str(), focus.name.as_str()),
        ("entry", "Search accounts")
    );

    // By keyboard, as a screen reader user goes: the first account selected from the search
    // field and its details (Alt+Enter), Add (Ctrl+N), Settings (Tab to ⚙, Enter).
    let search = ("entry", "Search accounts");
    app.press(&char::from(Key::Down).to_string()).await;
    let alt_enter = format!(
        "{}{}{}",
        char::from(Key::Alt),
        char::from(Key::Enter),
        char::from(Key::Alt)
    );
    dialog_round_trip(&mut app, &alt_enter, "staging-tester-07", search).await;
    let ctrl_n = format!("{}n{}", char::from(Key::Control), char::from(Key::Control));
    dialog_round_trip(&mut app, &ctrl_n, "Add account", search).await;
    let tab = char::from(Key::Tab).to_string();
    for _ in 0..3 {
        app.press(&tab).await;
    }
    let enter = char::from(Key::Enter).to_string();
    dialog_round_trip(&mut app, &enter, "Settings", ("push button", "Settings")).await;
}

/// Every visible text's contrast with what is behind it (the first opaque background among its
/// ancestors), from the computed styles, below WCAG AA: 4.5:1, or 3:1 for large text (24 px, or
/// 18.66 px bold). Disabled controls and placeholders are exempt, as WCAG exempts them.
const CONTRAST: &str = r#"
const rgba = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
const lum = ([r, g, b]) => {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
};
const behind = (e) => {
  for (let n = e; n; n = n.parentElement) {
    const c = rgba(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
  }
  return rgba(getComputedStyle(document.documentElement).backgroundColor).slice(0, 3);
};
const root = document.querySelector("dialog[open]") ?? document.body;
const low = [];
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
for (let t = walker.nextNode(); t; t = walker.nextNode()) {
  const e = t.parentElement;
  if (!e || t.textContent.trim() === "" || e.getClientRects().length === 0) continue;
  if (e.closest("[hidden], [disabled], [aria-hidden=true]")) continue;
  const s = getComputedStyle(e);
  if (s.visibility === "hidden" || Number(s.opacity) === 0) continue;
  const fg = rgba(s.color);
  if (fg.length === 4 && fg[3] === 0) continue;
  const bg = behind(e);
  // A translucent colour is what it shows over the background.
  const a = fg.length === 4 ? fg[3] : 1;
  const shown = fg.slice(0, 3).map((v, i) => v * a + bg[i] * (1 - a));
  const [l1, l2] = [lum(shown), lum(bg)].sort((x, y) => y - x);
  const ratio = (l1 + 0.05) / (l2 + 0.05);
  const size = parseFloat(s.fontSize);
  const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
  if (ratio < (large ? 3 : 4.5)) low.push(`${t.textContent.trim().slice(0, 30)}: ${ratio.toFixed(2)} (${s.color} on rgb(${bg}))`);
}
return low;
"#;

async fn check_contrast(app: &App, what: String) {
    let low = app.eval(CONTRAST).await;
    assert_eq!(low, serde_json::json!([]), "{what}: text below WCAG AA");
}

async fn contrast_everywhere(app: &mut App, theme: &str) {
    // The check itself: a grey too light on the window's background is found.
    app.eval("const p = document.createElement('p'); p.id = 'probe'; p.textContent = 'probe'; p.style.color = 'rgb(170, 170, 170)'; p.style.background = 'rgb(255, 255, 255)'; document.body.append(p)").await;
    let low = app.eval(CONTRAST).await;
    assert!(low.to_string().contains("probe: 2.32"), "{low}");
    app.eval("document.getElementById('probe').remove()").await;
    check_contrast(app, format!("{theme}: the list")).await;
    for (button, dialog) in [
        ("#add-button", "add-dialog"),
        ("#settings-button", "settings-dialog"),
    ] {
        app.click(button).await;
        app.wait_for(&format!("#{dialog}[open]")).await;
        app.eval(
            "for (const d of document.querySelectorAll('dialog[open] details')) d.open = true",
        )
        .await;
        check_contrast(app, format!("{theme}: {dialog}")).await;
        app.eval(&format!("document.getElementById('{dialog}').close()"))
            .await;
    }
    // A selected row, and the toast.
    app.click(".row[data-id] .name").await;
    check_contrast(app, format!("{theme}: a selected row")).await;
}

#[tokio::test]
async fn text_contrast_is_wcag_aa_in_both_themes() {
    let prepare = |home: &std::path::Path| {
        for (name, uri) in ACCOUNTS {
            cli(home, &["add", "--name", name, "--uri", uri], "");
        }
    };
    let mut app = App::start("contrast-light", prepare).await;
    app.wait_for(".row[data-id]").await;
    contrast_everywhere(&mut app, "light").await;
    app.stop().await;
    let mut app = App::start_with("contrast-dark", &[("GTK_THEME", "Adwaita:dark")], prepare).await;
    app.wait_for(".row[data-id]").await;
    assert_eq!(
        app.eval("return matchMedia('(prefers-color-scheme: dark)').matches")
            .await,
        true
    );
    contrast_everywhere(&mut app, "dark").await;
}

#[tokio::test]
async fn movement_is_reduced_when_the_system_asks() {
    // GTK's "animations off" (GNOME's Reduce Animation), from a settings file as the desktop
    // writes it: WebKit reports it as prefers-reduced-motion.
    let gtk = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(gtk.path().join("gtk-3.0")).unwrap();
    std::fs::write(
        gtk.path().join("gtk-3.0/settings.ini"),
        "[Settings]\ngtk-enable-animations=false\n",
    )
    .unwrap();
    let dirs = gtk.path().to_str().unwrap();
    let app = App::start_with("reduced-motion", &[("XDG_CONFIG_DIRS", dirs)], |_| {}).await;
    assert_eq!(
        app.eval("return matchMedia('(prefers-reduced-motion: reduce)').matches")
            .await,
        true,
        "WebKit reports the system's setting"
    );
    // The toast appears without sliding.
    assert_eq!(
        app.eval("return getComputedStyle(document.getElementById('toast')).transitionDuration")
            .await,
        "0s"
    );
    app.stop().await;
    let app = App::start("full-motion", |_| {}).await;
    assert_eq!(
        app.eval("return getComputedStyle(document.getElementById('toast')).transitionDuration")
            .await,
        "0.15s, 0.15s"
    );
}

/// Presses Tab until the focus is on `css` (at most 80 times): how a keyboard user reaches a
/// control.
async fn tab_to(app: &App, css: &str) {
    let tab = char::from(Key::Tab).to_string();
    for _ in 0..80 {
        if app
            .eval(&format!("return document.activeElement.matches('{css}')"))
            .await
            == true
        {
            return;
        }
        app.press(&tab).await;
    }
    panic!("Tab never reached {css}");
}

fn key(k: Key) -> String {
    char::from(k).to_string()
}

fn with(modifier: Key, keys: &str) -> String {
    format!("{}{keys}{}", char::from(modifier), char::from(modifier))
}

#[tokio::test]
async fn the_keyboard_alone_adds_confirms_a_scan_renames_exports_and_sets() {
    let app = App::start("keyboard-only", |home| {
        cli(
            home,
            &["add", "--name", "first", "--uri", ACCOUNTS[0].1],
            "",
        );
    })
    .await;
    app.wait_for(".row[data-id]").await;
    // Any pointer event from here on fails the walk.
    app.eval("window.pointed = 0; for (const t of ['pointerdown', 'mousedown', 'wheel']) document.addEventListener(t, () => window.pointed++, true)").await;
    let names = |app: &App| {
        let out = app.cli(&["list", "--json"], "");
        let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        list.as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };

    // Add by key: Ctrl+N, the key (the field has the focus), the issuer, Enter.
    app.press(&with(Key::Control, "n")).await;
    app.wait_for("#add-dialog[open]").await;
    app.press("JBSWY3DPEHPK3PXP").await;
    app.press(&key(Key::Tab)).await;
    app.press("Keyboard").await;
    app.eventually("the key checked", || async {
        app.eval("return document.getElementById('add-submit').disabled")
            .await
            == false
    })
    .await;
    app.press(&key(Key::Enter)).await;
    app.eventually("the account added", || async {
        names(&app).contains(&"Keyboard".to_owned())
    })
    .await;

    // A link on the clipboard, pasted in the search field: the scan's list, confirmed by Enter.
    let link = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(link.path(), ACCOUNTS[1].1).unwrap();
    tessera_e2e::serve_clipboard(link.path(), "UTF8_STRING");
    app.eventually("the search focused", || async {
        app.eval("return document.activeElement.id").await == "search"
    })
    .await;
    app.press(&with(Key::Control, "v")).await;
    app.wait_for("#scan-dialog[open]").await;
    // The proposed name has the focus; Enter takes the list as it is.
    app.eventually("the name focused", || async {
        app.eval("return document.activeElement.className").await == "scan-name"
    })
    .await;
    app.press(&key(Key::Enter)).await;
    app.eventually("the scanned account added", || async {
        names(&app).contains(&"GitHub (octocat)".to_owned())
    })
    .await;

    // Rename: the first row selected, F2, a new name, Enter.
    app.eventually("the scan dialog closed", || async {
        app.eval("return document.querySelector('dialog[open]') === null")
            .await
            == true
    })
    .await;
    app.eventually("three rows", || async {
        app.eval("return document.querySelectorAll('.row[data-id]').length")
            .await
            == 3
    })
    .await;
    app.press(&key(Key::Down)).await;
    app.eventually("a row selected", || async {
        app.eval("return document.querySelector('.row.cursor') !== null")
            .await
            == true
    })
    .await;
    app.press(&key(Key::F2)).await;
    app.wait_for("input.rename").await;
    app.press("renamed-by-keys").await;
    app.press(&key(Key::Enter)).await;
    app.eventually("the account renamed", || async {
        names(&app).contains(&"renamed-by-keys".to_owned())
    })
    .await;

    // Settings: Tab to ⚙, Enter; Space turns "Hide codes" on; then Export from there, as an
    // otpauth:// list (arrow keys in the choice), written through the file chooser by keys.
    app.press(&key(Key::Escape)).await;
    tab_to(&app, "#settings-button").await;
    app.press(&key(Key::Enter)).await;
    app.wait_for("#settings-dialog[open]").await;
    tab_to(&app, "#settings-hide-codes").await;
    app.press(" ").await;
    app.eventually("codes hidden", || async {
        app.eval("return document.body.classList.contains('hide-codes')")
            .await
            == true
    })
    .await;
    tab_to(&app, "#export-button").await;
    app.press(&key(Key::Enter)).await;
    app.wait_for("#export-dialog[open]").await;
    tab_to(&app, "input[name=export-kind]:checked").await;
    app.press(&key(Key::Down)).await;
    assert_eq!(
        app.eval("return document.querySelector('input[name=export-kind]:checked').value")
            .await,
        "otpauth"
    );
    tab_to(&app, "#export-submit").await;
    app.press(&key(Key::Enter)).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("by-keys.txt");
    tessera_e2e::answer_file_chooser("Save backup", &file);
    app.eventually("the export written", || async { file.exists() })
        .await;
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 3);
    assert_eq!(
        app.eval("return window.pointed").await,
        0,
        "no pointer event"
    );
}

/// Whether a row's words end with the seconds left, in English's plural: "1 second left" in a
/// period's last second, "N seconds left" otherwise (the test reads at any moment of it).
fn says_seconds_left(words: &str) -> bool {
    let Some(rest) = words.strip_suffix(" left") else {
        return false;
    };
    let Some((before, unit)) = rest.rsplit_once(' ') else {
        return false;
    };
    let count = before
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse::<u32>().ok());
    matches!(
        (count, unit),
        (Some(1), "second") | (Some(0 | 2..), "seconds")
    )
}
