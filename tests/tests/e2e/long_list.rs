//! A long list in the real window: the list is virtual, so only the rows near the screen are in
//! the DOM, and still the keyboard, scrolling, search and copy reach every account, and every
//! row tells a screen reader its place in the whole list.
//!
//! `make bench` runs this test with TESSERA_BENCH_ACCOUNTS=10000: it then prints what a
//! keystroke in the search and a scroll through the list cost in the webview. Nothing here
//! asserts a time.

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use serde_json::{Value, json};
use tessera_e2e::{App, Key, cli};

/// Enough rows for twenty windows of them, and more than the shell sends the lines of with the
/// list (`LINES_SENT`, 500): the rows below come with lines asked for when placed.
const ACCOUNTS: usize = 600;

fn accounts() -> usize {
    std::env::var("TESSERA_BENCH_ACCOUNTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(ACCOUNTS)
}

/// The settings of the window and the CLI: over a thousand accounts, their keys go to
/// gnome-keyring's in-memory session collection, labelled "bench" here. gnome-keyring writes the
/// whole login keyring's file for each item stored, so that 10,000 took minutes; reading a key
/// costs the same in either.
fn settings(n: usize) -> Value {
    if n <= 1000 {
        return json!({"check_clock": false});
    }
    let label = std::process::Command::new("busctl")
        .args(["--user", "set-property", "org.freedesktop.secrets"])
        .args(["/org/freedesktop/secrets/collection/session"])
        .args(["org.freedesktop.Secret.Collection", "Label", "s", "bench"])
        .status()
        .unwrap();
    assert!(label.success(), "busctl: {label:?}");
    json!({"check_clock": false, "keychain_collection": "bench"})
}

/// `n` accounts, user1@example.com to user<n>@example.com, each with a key of its own,
/// imported with the CLI a thousand at a time (a batch of 10,000 outlasts the keychain's time
/// limit for an answer).
fn import(home: &Path, n: usize, settings: &Value) {
    let config = home.join("config/tessera");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("settings.json"), settings.to_string()).unwrap();
    let file = home.join("accounts.txt");
    for first in (1..=n).step_by(1000) {
        let lines: String = (first..=n.min(first + 999))
            .map(|i| {
                let key =
                    data_encoding::BASE32_NOPAD.encode(format!("long list {i:05}").as_bytes());
                format!(
                    "otpauth://totp/Bench%20Corp:user{i}%40example.com?secret={key}&issuer=Bench%20Corp\n"
                )
            })
            .collect();
        std::fs::write(&file, lines).unwrap();
        cli(
            home,
            &["import", "--format", "otpauth", file.to_str().unwrap()],
            "",
        );
    }
    std::fs::remove_file(file).unwrap();
}

/// The rows in the DOM: how many, and each one's place and code.
async fn placed(app: &App) -> Vec<(u64, u64, String)> {
    let rows = app
        .eval(
            "return [...document.querySelectorAll('#list .row')].map(r => [
               Number(r.getAttribute('aria-posinset')), Number(r.getAttribute('aria-setsize')),
               r.querySelector('.code').textContent])",
        )
        .await;
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[0].as_u64().unwrap(),
                r[1].as_u64().unwrap(),
                r[2].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The digits of `text`: a count as the window writes it, "10,000" in English.
fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

fn is_code(text: &str) -> bool {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit())
}

/// The cursor's row: its place, whether it is the list's active descendant, and whether it is
/// whole inside the list's box.
async fn cursor(app: &App) -> (u64, bool) {
    let value = app
        .eval(
            "const list = document.getElementById('list');
             const row = document.querySelector('.row.cursor');
             if (!row) return [0, false];
             const r = row.getBoundingClientRect(), l = list.getBoundingClientRect();
             return [Number(row.getAttribute('aria-posinset')),
                     list.getAttribute('aria-activedescendant') === row.id
                       && r.top >= l.top - 1 && r.bottom <= l.bottom + 1];",
        )
        .await;
    (value[0].as_u64().unwrap(), value[1].as_bool().unwrap())
}

#[tokio::test]
async fn a_long_list_places_only_the_rows_near_the_screen() {
    let n = accounts();
    let settings = settings(n);
    let mut app = App::start_with_settings("long-list", settings.clone(), |home| {
        import(home, n, &settings);
    })
    .await;
    let total = n as u64;
    app.eventually("every account counted", || async {
        placed(&app).await.first().is_some_and(|r| r.1 == total)
    })
    .await;
    app.eventually("the first screen's codes", || async {
        placed(&app).await.iter().take(5).all(|r| is_code(&r.2))
    })
    .await;
    let rows = placed(&app).await;
    // A screenful shown and one below it: about 20 rows of 58 px in a 640 px window.
    assert!(
        (10..=60).contains(&rows.len()),
        "{} rows in the DOM",
        rows.len()
    );
    let places: Vec<u64> = rows.iter().map(|r| r.0).collect();
    assert_eq!(places, (1..=rows.len() as u64).collect::<Vec<_>>());

    // The keyboard walks past the rows first placed: the cursor's row is placed, shown whole,
    // and the list's active descendant.
    app.click("#search").await;
    let steps = 45;
    app.press(&char::from(Key::Down).to_string().repeat(steps))
        .await;
    app.eventually("the cursor on the 45th row, on screen", || async {
        cursor(&app).await == (steps as u64, true)
    })
    .await;
    let rows = placed(&app).await;
    assert!(rows.len() <= 60, "{} rows in the DOM", rows.len());
    assert!(!rows.iter().any(|r| r.0 == 1), "the first row left the DOM");
    app.press(&char::from(Key::Enter).to_string()).await;
    app.eventually("the 45th code copied", || async {
        app.text("#toast").await.starts_with("Copied")
    })
    .await;

    // Scrolled to the end, the last account is there, with its place and its code.
    app.eval("const l = document.getElementById('list'); l.scrollTop = l.scrollHeight")
        .await;
    // Its key is read now, unless the warm-up read every key already: at 10,000 accounts that
    // read takes a while, so the bench waits longer, and says how long.
    let scrolled = std::time::Instant::now();
    let limit = std::time::Duration::from_secs(if n > ACCOUNTS { 600 } else { 10 });
    while !placed(&app)
        .await
        .iter()
        .any(|r| r.0 == total && is_code(&r.2))
    {
        assert!(
            scrolled.elapsed() < limit,
            "timed out waiting for the last row's code"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let last_code = scrolled.elapsed();
    // Below the first 500 accounts each row's line comes when it is placed.
    app.eventually("the last rows' names", || async {
        let names = app.names_of("#list .row").await;
        names.last() == Some(&format!("user{n}@example.com"))
            && names.iter().all(|name| name.starts_with("user"))
    })
    .await;
    let rows = placed(&app).await;
    assert!(rows.len() <= 60, "{} rows in the DOM", rows.len());

    // A search finds an account far down the list and counts what it found.
    let last = format!("user{n}@");
    app.type_into("#search", &last).await;
    app.eventually("one account found", || async {
        placed(&app)
            .await
            .iter()
            .map(|r| (r.0, r.1))
            .collect::<Vec<_>>()
            == [(1, 1)]
    })
    .await;
    app.eventually("its name", || async {
        app.visible_names().await == [format!("user{n}@example.com")]
    })
    .await;

    // Every account selected and tagged together: the page asks the shell first for the
    // accounts it has no line of (the rows never placed), and the dialog counts them all.
    app.press(&char::from(Key::Escape).to_string()).await;
    app.eventually("every account shown again", || async {
        placed(&app).await.first().is_some_and(|r| r.1 == total)
    })
    .await;
    app.click(".row .who").await;
    let ctrl = char::from(Key::Control);
    app.press(&format!("{ctrl}a{ctrl}")).await;
    app.eventually("every account selected", || async {
        let said = app.text("#selection-count").await;
        said.ends_with(" selected") && digits(&said) == n.to_string()
    })
    .await;
    app.click("#selection-tag").await;
    app.eventually("the tag dialog, for every account", || async {
        let title = app.text("#bulk-tag-title").await;
        title.starts_with("Tag ") && digits(&title) == n.to_string()
    })
    .await;

    if std::env::var_os("TESSERA_BENCH_ACCOUNTS").is_some() {
        println!(
            "webview, {n} accounts: the last row's code {:.2} s after scrolling to it",
            last_code.as_secs_f64()
        );
        measure(&app, n).await;
    }
    app.stop().await;
}

/// Prints what a keystroke in the search and scrolling cost in the webview (`make bench`).
async fn measure(app: &App, n: usize) {
    // Each keystroke of a search, from its input event to the end of the layout it causes:
    // "user" matches every account, "user1234" one.
    let search: Value = app
        .eval(
            "const search = document.getElementById('search');
             const times = [];
             for (let round = 0; round < 5; round++) {
               for (const query of ['u', 'us', 'use', 'user', 'user1', 'user12', 'user123',
                                    'user1234', 'user123', 'user12', 'user1', 'user', '']) {
                 const start = performance.now();
                 search.value = query;
                 search.dispatchEvent(new Event('input'));
                 document.body.offsetHeight;
                 times.push(performance.now() - start);
               }
             }
             times.sort((a, b) => a - b);
             return [times[times.length >> 1], times[Math.floor(times.length * 0.95)],
                     times[times.length - 1]];",
        )
        .await;
    // Scrolling the whole list a screenful per frame, then jumping through it: the longest
    // time between two frames (what the eye sees as a stall).
    let scroll: Value = app
        .eval_async(
            "const list = document.getElementById('list');
             list.scrollTop = 0;
             const gaps = [];
             let last = 0, frames = 0, jumps = 0, atEnd = false;
             const start = performance.now();
             const step = (now) => {
               if (last) gaps.push(now - last);
               last = now;
               frames++;
               const before = list.scrollTop;
               if (!atEnd) list.scrollTop += list.clientHeight;
               // At the end the scroll stays where it was (or after 20 s, within WebDriver's 30 s
               // for a script); then 100 jumps.
               atEnd = atEnd || list.scrollTop === before || now - start > 20000;
               if (atEnd && jumps < 100) {
                 jumps++;
                 list.scrollTop = Math.random() * list.scrollHeight;
               } else if (atEnd) {
                 gaps.sort((a, b) => a - b);
                 done([gaps.length, performance.now() - start, gaps[gaps.length >> 1], gaps[Math.floor(gaps.length * 0.95)],
                       gaps[gaps.length - 1], gaps.filter((g) => g > 50).length]);
                 return;
               }
               requestAnimationFrame(step);
             };
             requestAnimationFrame(step);",
        )
        .await;
    let rows = placed(app).await.len();
    println!(
        "webview, {n} accounts: search keystroke median {:.1} ms, p95 {:.1} ms, max {:.1} ms; \
         scrolling {} frames in {:.0} ms: gap median {:.1} ms, p95 {:.1} ms, max {:.1} ms, {} over 50 ms; \
         {rows} rows in the DOM",
        search[0].as_f64().unwrap(),
        search[1].as_f64().unwrap(),
        search[2].as_f64().unwrap(),
        scroll[0],
        scroll[1].as_f64().unwrap(),
        scroll[2].as_f64().unwrap(),
        scroll[3].as_f64().unwrap(),
        scroll[4].as_f64().unwrap(),
        scroll[5],
    );
}
