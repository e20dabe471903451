//! A Secret Service of a test's own, on a session bus of its own: for tests that stop, start or
//! fill the keychain (doctor's orphans, the window's "Try again") without touching the one the
//! other tests share. The bus starts empty: nothing is activated on it, so "no Secret Service"
//! is real until [`Keyring::start`] runs gnome-keyring on it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A private session bus, and gnome-keyring on it while started. Both are killed on drop.
#[allow(missing_debug_implementations)] // holds processes
pub struct Keyring {
    /// The bus's address, for DBUS_SESSION_BUS_ADDRESS.
    pub address: String,
    bus: Child,
    daemon: Option<Child>,
    dir: tempfile::TempDir,
}

impl Keyring {
    /// A bus with no Secret Service on it (yet).
    pub fn bare() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("bus.conf");
        std::fs::write(&config, format!(r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir={}</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>"#, dir.path().display())).unwrap();
        let mut bus = Command::new("dbus-daemon")
            .args([
                "--nofork",
                "--print-address",
                &format!("--config-file={}", config.display()),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(bus.stdout.take().unwrap()),
            &mut line,
        )
        .unwrap();
        Self {
            address: line.trim().to_owned(),
            bus,
            daemon: None,
            dir,
        }
    }

    /// A bus with gnome-keyring running on it, unlocked.
    pub fn started() -> Self {
        let mut keyring = Self::bare();
        keyring.start();
        keyring
    }

    /// Where gnome-keyring keeps its keyring files (they outlive a stop).
    fn data(&self) -> PathBuf {
        self.dir.path().join("keyring-data")
    }

    /// Starts gnome-keyring on the bus (password "test"; the same keyring as before a stop) and
    /// waits until it serves org.freedesktop.secrets.
    pub fn start(&mut self) {
        assert!(self.daemon.is_none(), "already started");
        let runtime = self.dir.path().join("runtime");
        std::fs::create_dir_all(self.data()).unwrap();
        std::fs::create_dir_all(&runtime).unwrap();
        let mut daemon = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("XDG_DATA_HOME", self.data())
            .env("XDG_RUNTIME_DIR", &runtime)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start gnome-keyring-daemon ({e}); `make test` installs it")
            });
        // The password, then end of input.
        std::io::Write::write_all(&mut daemon.stdin.take().unwrap(), b"test").unwrap();
        self.daemon = Some(daemon);
        self.wait_for_service(true);
    }

    /// Stops gnome-keyring and waits until the name is gone from the bus.
    pub fn stop(&mut self) {
        if let Some(mut daemon) = self.daemon.take() {
            let _ = daemon.kill();
            let _ = daemon.wait();
        }
        self.wait_for_service(false);
    }

    fn wait_for_service(&self, present: bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let out = Command::new("dbus-send")
                .args([
                    &format!("--bus={}", self.address),
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .output()
                .unwrap();
            let has = String::from_utf8_lossy(&out.stdout).contains("true");
            if has == present {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "gnome-keyring did not {} within 10 s",
                if present { "start" } else { "stop" }
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `program args` with this bus as the session bus.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command.env("DBUS_SESSION_BUS_ADDRESS", &self.address);
        command
    }

    /// `tessera` on this keyring's bus, as a computer of its own: its vault in `data_home` (as
    /// XDG_DATA_HOME, its settings in `data_home/config`), `stdin` as its standard input.
    pub fn tessera(&self, data_home: &Path, args: &[&str], stdin: &str) -> std::process::Output {
        let mut child = self
            .command(crate::tessera_exe())
            .args(args)
            .env("XDG_DATA_HOME", data_home)
            .env("XDG_CONFIG_HOME", data_home.join("config"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // A program that exits without reading its input closes the pipe: not an error here.
        let _ = std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes());
        child.wait_with_output().unwrap()
    }

    /// The directory this keyring's files live in (for a test's own scratch files too).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Keyring {
    fn drop(&mut self) {
        if let Some(mut daemon) = self.daemon.take() {
            let _ = daemon.kill();
            let _ = daemon.wait();
        }
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}
