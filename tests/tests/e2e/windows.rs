//! The window built for Windows (`tessera-desktop.exe`, by `make windows`), under Wine. Wine has
//! no Microsoft Edge WebView2 Runtime, the engine the window is drawn with on Windows: so what
//! runs here is the start-up up to the webview, and what Tessera does where WebView2 is missing
//! (a message, exit status 1), never Tauri's panic. The window itself is tested on Linux
//! (window.rs and the others, through WebDriver).

// Test code: an unwrap that fails is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use tessera_test_support::{Wine, windows_build};

#[test]
fn without_webview2_the_windows_window_says_so_and_exits() {
    let _alone = tessera_e2e::alone();
    let desktop = windows_build("tessera-desktop.exe");
    assert!(
        desktop.with_file_name("WebView2Loader.dll").exists(),
        "the build puts WebView2's loader beside the program"
    );
    let wine = Wine::start();
    let out = wine.run(&desktop, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(
            "tessera-desktop: Tessera's window needs the Microsoft Edge WebView2 Runtime, which is not installed here ("
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("The tessera command works without it."),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
