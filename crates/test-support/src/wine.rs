//! `tessera.exe`, the CLI cross-built for Windows (x86_64-pc-windows-gnu), run under Wine with a
//! Wine prefix of its own: a throwaway Windows user profile, so the vault is in that prefix's
//! `%APPDATA%\Tessera` and the keys in that prefix's Credential Manager (Wine implements
//! `CredWriteW`/`CredReadW`). Headless: no display, no Wine debug output.
//!
//! `make test` builds the program first (`make windows`). `tests/wine/run.sh` makes the prefix
//! ready and runs each program in it. It builds two small C programs from `tests/wine/` with
//! MinGW into the prefix: a stand-in for `bcryptprimitives.dll`, which Debian 12's Wine 8 lacks
//! and Rust programs need, and `credentials.exe`, which reads and writes the Credential Manager
//! through the Windows API, to look at it from outside Tessera.

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
    windows_build("tessera.exe")
}

/// A program of the Windows build (`tessera.exe`, `tessera-desktop.exe`).
pub fn windows_build(program: &str) -> PathBuf {
    let path = workspace()
        .join("target/x86_64-pc-windows-gnu/debug")
        .join(program);
    assert!(
        path.exists(),
        "{} is missing: `make windows` builds it (`make test` does that first)",
        path.display()
    );
    path
}

/// tests/wine/run.sh, which makes a prefix ready and runs programs in it.
fn run_sh() -> PathBuf {
    workspace().join("tests/wine/run.sh")
}

impl Wine {
    /// Makes a fresh prefix ready (`run.sh --prepare`: its wineserver, wineboot, the stand-in
    /// DLL, `credentials.exe`).
    pub fn start() -> Self {
        let prefix = tempfile::tempdir().unwrap();
        let began = Instant::now();
        let mut this = Self {
            prefix,
            started_in: Duration::ZERO,
        };
        let prepared = this
            .command(Path::new("--prepare"))
            .stdin(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("cannot run {} ({e})", run_sh().display()));
        assert!(prepared.success(), "tests/wine/run.sh --prepare failed");
        this.started_in = began.elapsed();
        this
    }

    /// `run.sh program` (`wine program`, headless) in this prefix.
    fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(run_sh());
        command.arg(program).env("WINEPREFIX", self.prefix.path());
        command
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
            .unwrap_or_else(|e| panic!("cannot run {} ({e})", run_sh().display()));
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
        self.run_program(&windows_exe(), args, stdin)
    }

    /// Another Windows program, with no input.
    pub fn run(&self, program: &Path, args: &[&str]) -> Output {
        self.run_program(program, args, "")
    }

    /// Every generic credential in the prefix's Credential Manager, read through the Windows API.
    pub fn credentials(&self) -> Vec<Credential> {
        let out = self.run_program(
            &self.drive_c().join("tessera-tests/credentials.exe"),
            &[],
            "",
        );
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
            &self.drive_c().join("tessera-tests/credentials.exe"),
            &[target, user, secret],
            "",
        );
        assert!(out.status.success(), "credentials.exe failed: {out:?}");
    }
}

impl Drop for Wine {
    /// Stops the prefix's wineserver, which would outlive the test by a minute.
    fn drop(&mut self) {
        let _ = self
            .command(Path::new("--stop"))
            .stdin(Stdio::null())
            .status();
    }
}
