//! What the CLI's tests (`crates/cli/tests`) and the end-to-end tests (`tests/`) share: running
//! `tessera` and other programs as processes in a throwaway home, reading the keychain from
//! outside (secret-tool), QR images, and the stand-ins a test starts for itself: a Secret
//! Service on a bus of its own ([`Keyring`]), an SNTP server ([`TimeServer`]), a Wine prefix
//! ([`Wine`]), and an X client that records the keys typed into it ([`KeyRecorder`]).

// Test support: a failure here is a failing test, said as plainly as possible.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod keyring;
mod keys;
mod time_server;
mod wine;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub use keyring::{Keyring, SecretService};
pub use keys::{KeyRecorder, x_connect};
pub use time_server::{TimeServer, good_reply, malformed_replies};
pub use wine::{Credential, Wine, windows_build, windows_exe};

/// What the X clipboard holds (read with xclip, not with our code).
pub fn clipboard() -> String {
    let out = Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .output()
        .expect("xclip: `make test` installs it");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The workspace's root directory.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .unwrap()
        .to_owned()
}

/// A program the workspace builds, in cargo's target directory (`CARGO_TARGET_DIR`, else
/// `target/`), debug profile.
pub fn built(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace().join("target"), PathBuf::from);
    target.join("debug").join(name)
}

/// The `tessera` CLI as built for the tests (cargo builds it before the CLI's tests; `make
/// test` before the end-to-end tests).
pub fn tessera_exe() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| built("tessera").to_str().unwrap().to_owned())
}

/// Runs `program` with `stdin` as standard input and extra environment variables.
pub fn run_with(program: &str, args: &[&str], stdin: &str, envs: &[(&str, &str)]) -> Output {
    let mut child = Command::new(program)
        .args(args)
        .envs(envs.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {program} ({e}); `make test` builds and installs what the tests need"
            )
        });
    // A program that exits without reading its input closes the pipe: not an error here.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

/// Standard output of a run that must succeed.
#[track_caller]
pub fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}, stderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The one line a failed run printed on standard error (without the "tessera: " prefix), after
/// checking that it failed with status 1 and printed nothing on standard output.
#[track_caller]
pub fn error_line(out: &Output) -> String {
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    // Lines from D-Bus activation (gnome-keyring's prompter) are not Tessera's.
    let ours: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("tessera"))
        .collect();
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        out.stdout.is_empty(),
        "printed {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(ours.len(), 1, "{stderr}");
    ours[0].strip_prefix("tessera: ").unwrap().to_owned()
}

/// `tessera` with its vault in `data_home` (as XDG_DATA_HOME) and its settings in
/// `data_home/config` (as XDG_CONFIG_HOME), never the user's.
pub fn tessera_in(data_home: &Path, args: &[&str], stdin: &str) -> Output {
    tessera_with(data_home, &data_home.join("config"), args, stdin)
}

/// `tessera` with its vault in `data_home` and its settings in `config_home`.
pub fn tessera_with(data_home: &Path, config_home: &Path, args: &[&str], stdin: &str) -> Output {
    run_with(
        tessera_exe(),
        args,
        stdin,
        &[
            ("XDG_DATA_HOME", data_home.to_str().unwrap()),
            ("XDG_CONFIG_HOME", config_home.to_str().unwrap()),
        ],
    )
}

/// Panics with directions unless the tests run against the private Secret Service that
/// scripts/with-keyring.sh starts: they must never touch the user's own keychain.
pub fn require_private_keyring() {
    assert!(
        std::env::var_os("TESSERA_PRIVATE_BUS").is_some(),
        "these tests need a private Secret Service: run them with `make test` or `scripts/with-keyring.sh cargo test`"
    );
}

/// The address space `tessera` gets in the hostile-input tests: an input that made it allocate
/// past this would abort it, which the tests catch.
pub const CAPPED_KIB: u64 = 1024 * 1024;

/// `tessera` with its vault in `data_home`, under an address-space limit of [`CAPPED_KIB`]
/// (`ulimit -v`, i.e. setrlimit RLIMIT_AS), and its stdin from `stdin`.
pub fn tessera_capped(data_home: &Path, args: &[&str], stdin: &str) -> Output {
    let script = format!("ulimit -v {CAPPED_KIB} && exec \"$0\" \"$@\"");
    let mut all = vec!["-c", script.as_str(), tessera_exe()];
    all.extend_from_slice(args);
    run_with(
        "sh",
        &all,
        stdin,
        &[
            ("XDG_DATA_HOME", data_home.to_str().unwrap()),
            ("RUST_BACKTRACE", "full"),
        ],
    )
}

/// Waits for `child` while polling `ready`: kills it the moment `ready()` holds (returns true),
/// or returns false when it exits first or `limit` passes. For killing a writer mid-write.
pub fn kill_when(
    child: &mut std::process::Child,
    limit: Duration,
    ready: impl Fn() -> bool,
) -> bool {
    let deadline = Instant::now() + limit;
    let killed = loop {
        if ready() {
            child.kill().unwrap();
            break true;
        }
        if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
            break false;
        }
    };
    child.wait().unwrap();
    killed
}

/// What `secret-tool` (libsecret, not our code) finds in the keychain for an account id.
pub fn keychain_lookup(id: &str) -> Option<String> {
    keychain_lookup_in("Tessera", id)
}

/// The secret of the item for `id` under `service`, read with secret-tool.
pub fn keychain_lookup_in(service: &str, id: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", service, "username", id])
        .output()
        .unwrap();
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).unwrap())
}

/// Writes a PNG of a QR code of `payload` (4 pixels a module, quiet zone included) to `path`.
pub fn qr_png(path: &Path, payload: &str) {
    let code = qrcode::QrCode::new(payload.as_bytes()).unwrap();
    let width = code.width() as u32;
    let colors = code.to_colors();
    let image = image::GrayImage::from_fn((width + 8) * 4, (width + 8) * 4, |x, y| {
        let (mx, my) = (x / 4, y / 4);
        let inside = (4..width + 4).contains(&mx) && (4..width + 4).contains(&my);
        let dark = inside && colors[((my - 4) * width + mx - 4) as usize] == qrcode::Color::Dark;
        image::Luma([if dark { 0 } else { 255 }])
    });
    image
        .save_with_format(path, image::ImageFormat::Png)
        .unwrap();
}

/// A PNG of a QR code of `payload`, as `dir/file`.
pub fn qr_png_in(dir: &Path, file: &str, payload: &str) -> PathBuf {
    let path = dir.join(file);
    qr_png(&path, payload);
    path
}

/// A path as an argument.
pub fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Unix seconds now.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// An index of `n` accounts written directly (their keys are not in the keychain: `list` does
/// not need them), then `extra`; large enough that writing it takes a while.
pub fn big_index(home: &Path, n: usize, extra: &[serde_json::Value]) {
    let mut accounts: Vec<serde_json::Value> = (0..n)
        .map(|i| serde_json::json!({"id": format!("big{i:06}"), "name": format!("account {i:06}"), "issuer": "Bulk Corp",
            "label": format!("user{i}@example.com"), "type": "totp", "algorithm": "SHA1", "digits": 6, "period": 30,
            "created": 1_700_000_000}))
        .collect();
    accounts.extend_from_slice(extra);
    std::fs::create_dir_all(home.join("tessera")).unwrap();
    let index = serde_json::json!({"format": "tessera-index", "version": 1, "accounts": accounts});
    std::fs::write(
        home.join("tessera/vault.json"),
        serde_json::to_vec_pretty(&index).unwrap(),
    )
    .unwrap();
}
