//! `tessera.exe`, the CLI cross-built for Windows (x86_64-pc-windows-gnu), run under Wine with a
//! Wine prefix of its own: a throwaway Windows user profile, so the vault is in that prefix's
//! `%APPDATA%\Tessera` and the keys in that prefix's Credential Manager (Wine implements
//! `CredWriteW`/`CredReadW`). Headless: no display, no Wine debug output.
//!
//! `make test` builds the program first (`make windows`). Two small C programs from
//! `tests/wine/` are built with MinGW into the prefix: a stand-in for `bcryptprimitives.dll`,
//! which Debian 12's Wine 8 lacks and Rust programs need, and `credentials.exe`, which lists the
//! Credential Manager's contents through the Windows API, to look at them from outside Tessera.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::workspace;

/// How long one program in Wine may take; each takes about 0.1 s (0.25 s with Argon2id).
const RUN_WITHIN: Duration = Duration::from_secs(60);

/// A Wine prefix of a test's own, and what runs in it. Its wineserver is stopped on drop.
#[derive(Debug)]
pub struct Wine {
    wine: PathBuf,
    exe: PathBuf,
    prefix: tempfile::TempDir,
    /// How long making the prefix took (Wine's first start), for the test's report.
    pub started_in: Duration,
}

/// One credential of the Credential Manager, as `credentials.exe` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub target: String,
    pub user: String,
    pub secret: Vec<u8>,
}

/// The Windows build of the CLI, where `make windows` puts it.
pub fn windows_exe() -> PathBuf {
    let path = workspace().join("target/x86_64-pc-windows-gnu/debug/tessera.exe");
    assert!(
        path.exists(),
        "{} is missing: `make windows` builds it (`make test` does that first)",
        path.display()
    );
    path
}

/// Debian installs Wine's 64-bit loader as /usr/lib/wine/wine64 (the `wine64` package) and adds
/// `wine`/`wine64` to the PATH only with the `wine` package.
fn wine_program() -> PathBuf {
    for name in ["wine64", "wine"] {
        if let Ok(out) = Command::new("sh")
            .args(["-c", &format!("command -v {name}")])
            .output()
            && out.status.success()
        {
            return PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        }
    }
    let debian = PathBuf::from("/usr/lib/wine/wine64");
    assert!(
        debian.exists(),
        "Wine is missing: `make test` installs it (Debian's wine64)"
    );
    debian
}

/// Builds `source` (in tests/wine/) with MinGW's C compiler into `output`.
fn mingw(output: &Path, sources: &[&str], libraries: &[&str]) {
    let dir = workspace().join("tests/wine");
    let status = Command::new("x86_64-w64-mingw32-gcc-posix")
        .args(["-O2", "-Wall", "-o"])
        .arg(output)
        .args(sources.iter().map(|s| dir.join(s)))
        .args(libraries)
        .status()
        .unwrap_or_else(|e| {
            panic!("cannot run x86_64-w64-mingw32-gcc-posix ({e}): `make test` installs MinGW-w64")
        });
    assert!(status.success(), "building {} failed", output.display());
}

impl Wine {
    /// Makes a fresh prefix (wineboot), with the stand-in DLL and `credentials.exe` in it.
    pub fn start() -> Self {
        let wine = wine_program();
        let exe = windows_exe();
        let prefix = tempfile::tempdir().unwrap();
        let began = Instant::now();
        let mut this = Self {
            wine,
            exe,
            prefix,
            started_in: Duration::ZERO,
        };
        // A wineserver that stays up until drop, started without our pipes: one started by a
        // program would hold its output open until the server exits, seconds after the program.
        let server = Command::new(this.wineserver())
            .arg("-p")
            .env("WINEPREFIX", this.prefix.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(server.success(), "wineserver -p failed");
        // wineboot leaves Wine's services running, so its output goes nowhere: a pipe would be
        // held open by them.
        let booted = this
            .command(Path::new("wineboot"))
            .arg("--init")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(booted.success(), "wineboot failed");
        this.started_in = began.elapsed();
        let system32 = this.drive_c().join("windows/system32");
        assert!(system32.is_dir(), "wineboot made no C:\\windows\\system32");
        if !system32.join("bcryptprimitives.dll").exists() {
            mingw(
                &system32.join("bcryptprimitives.dll"),
                &["bcryptprimitives.c", "bcryptprimitives.def"],
                &["-shared", "-ladvapi32"],
            );
        }
        mingw(
            &this.prefix.path().join("credentials.exe"),
            &["credentials.c"],
            &["-ladvapi32"],
        );
        this
    }

    /// Wine's server, beside its loader (Debian: /usr/lib/wine/wineserver), else on the PATH.
    fn wineserver(&self) -> PathBuf {
        let beside = self.wine.with_file_name("wineserver");
        if beside.exists() {
            beside
        } else {
            PathBuf::from("wineserver")
        }
    }

    /// The prefix's C: drive.
    pub fn drive_c(&self) -> PathBuf {
        self.prefix.path().join("drive_c")
    }

    /// Where tessera.exe keeps its vault: `%APPDATA%\Tessera`, whatever the user is called.
    pub fn tessera_dir(&self) -> PathBuf {
        let users = self.drive_c().join("users");
        let found: Vec<PathBuf> = std::fs::read_dir(&users)
            .unwrap()
            .flatten()
            .map(|e| e.path().join("AppData/Roaming/Tessera"))
            .filter(|p| p.exists())
            .collect();
        assert_eq!(
            found.len(),
            1,
            "Tessera's folders in {}: {found:?}",
            users.display()
        );
        found[0].clone()
    }

    /// A file of this machine as Windows programs in the prefix name it (Wine's Z: drive).
    pub fn windows_path(path: &Path) -> String {
        format!("Z:{}", path.display()).replace('/', "\\")
    }

    /// `wine program` in this prefix, headless.
    fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(&self.wine);
        command
            .arg(program)
            .env("WINEPREFIX", self.prefix.path())
            .env("WINEDEBUG", "-all")
            // No display: console programs only, and no "install Mono/Gecko?" dialogs.
            .env("DISPLAY", "")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=");
        command
    }

    /// Runs `program` to its end and gathers its output, within `RUN_WITHIN`: a program that
    /// hangs, or leaves a process holding its output open, fails the test instead of hanging it.
    fn run_program(&self, program: &Path, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .command(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {} ({e})", self.wine.display()));
        let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        let (sender, received) = std::sync::mpsc::channel();
        let readers = [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ];
        for (stream, mut reader) in readers.into_iter().enumerate() {
            let sender = sender.clone();
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let _ = reader.read_to_end(&mut bytes);
                let _ = sender.send((stream, bytes));
            });
        }
        let deadline = Instant::now() + RUN_WITHIN;
        let mut streams = [Vec::new(), Vec::new()];
        for _ in 0..2 {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok((stream, bytes)) = received.recv_timeout(left) else {
                let _ = child.kill();
                panic!(
                    "{} {args:?} did not end within {RUN_WITHIN:?}",
                    program.display()
                );
            };
            streams[stream] = bytes;
        }
        let status = child.wait().unwrap();
        let [stdout, stderr] = streams;
        Output {
            status,
            stdout,
            stderr,
        }
    }

    /// `tessera.exe args`, with `stdin` as standard input.
    pub fn tessera(&self, args: &[&str], stdin: &str) -> Output {
        self.run_program(&self.exe, args, stdin)
    }

    /// Every generic credential in the prefix's Credential Manager, read through the Windows API.
    pub fn credentials(&self) -> Vec<Credential> {
        let out = self.run_program(&self.prefix.path().join("credentials.exe"), &[], "");
        assert!(out.status.success(), "credentials.exe failed: {out:?}");
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|line| {
                let fields: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
                assert_eq!(fields.len(), 3, "{line:?}");
                Credential {
                    target: fields[0].to_owned(),
                    user: fields[1].to_owned(),
                    secret: data_encoding::HEXLOWER
                        .decode(fields[2].as_bytes())
                        .unwrap(),
                }
            })
            .collect()
    }

    /// Writes a generic credential through the Windows API, as another program would.
    pub fn write_credential(&self, target: &str, user: &str, secret: &str) {
        let out = self.run_program(
            &self.prefix.path().join("credentials.exe"),
            &[target, user, secret],
            "",
        );
        assert!(out.status.success(), "credentials.exe failed: {out:?}");
    }
}

impl Drop for Wine {
    fn drop(&mut self) {
        let _ = Command::new(self.wineserver())
            .arg("-k")
            .env("WINEPREFIX", self.prefix.path())
            .status();
    }
}
