//! A Secret Service of a test's own, on a session bus of its own: for tests that stop, start or
//! fill the keychain (doctor's orphans, the window's "Try again") without touching the one the
//! other tests share, and for the vault against each Linux keychain: GNOME Keyring, KeePassXC
//! and KWallet, each brought up headless (docs/testing.md has the recipe). The bus starts empty:
//! nothing is activated on it, so "no Secret Service" is real until [`Keyring::start`] runs one,
//! and nothing is activatable until a test says so ([`Keyring::activatable`]).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SECRETS: &str = "org.freedesktop.secrets";
const KWALLETD: &str = "org.kde.kwalletd5";

/// Which Secret Service a [`Keyring`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretService {
    /// gnome-keyring-daemon, its login keyring unlocked with the password "test".
    GnomeKeyring,
    /// KeePassXC (needs a display: the tests run under Xvfb) on a database made for the test,
    /// its root group shared through the Secret Service; with `confirm_access`, KeePassXC asks
    /// in a dialog before it gives a new program a key, as it does by default.
    KeePassXC { confirm_access: bool },
    /// kwalletd5 with its Secret Service on, the wallet opened as kwallet-pam does at login
    /// (no dialog) unless `open_wallet` is false; without `crypto_plugins`, QCA loads no
    /// plugin, as where libqca-qt5-2-plugins is missing, and KWallet refuses encrypted sessions.
    KWallet {
        crypto_plugins: bool,
        open_wallet: bool,
    },
}

impl SecretService {
    pub const KEEPASSXC: SecretService = SecretService::KeePassXC {
        confirm_access: false,
    };
    pub const KWALLET: SecretService = SecretService::KWallet {
        crypto_plugins: true,
        open_wallet: true,
    };
}

/// A private session bus, and a Secret Service on it while started. Both are killed on drop.
#[allow(missing_debug_implementations)] // holds processes
pub struct Keyring {
    /// The bus's address, for DBUS_SESSION_BUS_ADDRESS.
    pub address: String,
    kind: SecretService,
    bus: Child,
    daemon: Option<Child>,
    dir: tempfile::TempDir,
}

/// KeePassXC's settings for the tests: the Secret Service on, its notifications, confirmations
/// and locks off, and no save after every change (with it, KeePassXC 2.7.4 crashes while items
/// are added fast: see docs/testing.md).
const KEEPASSXC_INI: &str = "[General]
ConfigVersion=2
SingleInstance=false
RememberLastDatabases=false
OpenPreviousDatabasesOnStartup=false
AutoSaveAfterEveryChange=false
UpdateCheckMessageShown=true

[GUI]
CheckForUpdates=false
ShowTrayIcon=false
MinimizeOnStartup=false

[Security]
LockDatabaseIdle=false
LockDatabaseScreenLock=false

[FdoSecrets]
Enabled=true
ShowNotification=false
ConfirmDeleteItem=false
UnlockBeforeSearch=true
";

/// The test database, as KeePass XML for `keepassxc-cli import`: one group, which the custom
/// data entry `FDO_SECRETS_EXPOSED_GROUP` (its UUID, braced) shares through the Secret Service.
const KEEPASSXC_XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<KeePassFile><Meta><Generator>Tessera tests</Generator><RecycleBinEnabled>False</RecycleBinEnabled>
<CustomData><Item><Key>FDO_SECRETS_EXPOSED_GROUP</Key><Value>{00112233-4455-6677-8899-aabbccddeeff}</Value></Item></CustomData>
</Meta><Root><Group><UUID>ABEiM0RVZneImaq7zN3u/w==</UUID><Name>Tessera tests</Name></Group></Root></KeePassFile>
"#;

/// KWallet's settings: the Secret Service API on, no first-use wizard, no prompt on open, no
/// closing when idle.
const KWALLETRC: &str = "[Wallet]
Enabled=true
First Use=false
Prompt on Open=false
Close When Idle=false
Close on Screensaver=false
Leave Open=true
Launch Manager=false
Use One Wallet=true
Default Wallet=kdewallet
Local Wallet=kdewallet

[org.freedesktop.secrets]
apiEnabled=true
";

impl Keyring {
    /// A bus with no Secret Service on it (yet).
    pub fn bare() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let services = dir.path().join("services");
        std::fs::create_dir(&services).unwrap();
        let config = dir.path().join("bus.conf");
        std::fs::write(&config, format!(r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir={}</listen><servicedir>{}</servicedir>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>"#, dir.path().display(), services.display())).unwrap();
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
            kind: SecretService::GnomeKeyring,
            bus,
            daemon: None,
            dir,
        }
    }

    /// A bus with gnome-keyring running on it, unlocked.
    pub fn started() -> Self {
        Self::started_with(SecretService::GnomeKeyring)
    }

    /// A bus with this Secret Service running on it, ready.
    pub fn started_with(kind: SecretService) -> Self {
        let mut keyring = Self::bare();
        keyring.kind = kind;
        keyring.start();
        keyring
    }

    pub fn kind(&self) -> SecretService {
        self.kind
    }

    /// Where gnome-keyring keeps its keyring files (they outlive a stop).
    fn data(&self) -> PathBuf {
        self.dir.path().join("keyring-data")
    }

    /// Starts the Secret Service on the bus (the same keys as before a stop, except KeePassXC's:
    /// its database is not saved) and waits until it is ready.
    pub fn start(&mut self) {
        assert!(self.daemon.is_none(), "already started");
        match self.kind {
            SecretService::GnomeKeyring => self.start_gnome_keyring(),
            SecretService::KeePassXC { confirm_access } => self.start_keepassxc(confirm_access),
            SecretService::KWallet {
                crypto_plugins,
                open_wallet,
            } => self.start_kwallet(crypto_plugins, open_wallet),
        }
    }

    /// A program run with this keyring's bus and directories: its home, configuration, data and
    /// runtime directories under the keyring's own.
    fn daemon_command(&self, program: &str) -> Command {
        let home = self.dir.path().join("home");
        let runtime = self.dir.path().join("runtime");
        for dir in [&home, &runtime, &self.data(), &self.config()] {
            std::fs::create_dir_all(dir).unwrap();
        }
        let mut command = self.command(program);
        command
            .env("HOME", &home)
            .env("XDG_DATA_HOME", self.data())
            .env("XDG_CONFIG_HOME", self.config())
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn start_gnome_keyring(&mut self) {
        let mut daemon = self
            .daemon_command("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start gnome-keyring-daemon ({e}); `make test` installs it")
            });
        // The password, then end of input.
        std::io::Write::write_all(&mut daemon.stdin.take().unwrap(), b"test").unwrap();
        self.daemon = Some(daemon);
        self.wait_for_name(SECRETS, true);
    }

    fn start_keepassxc(&mut self, confirm_access: bool) {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "KeePassXC needs a display: run the tests under Xvfb (`make test` does)"
        );
        let settings = self.config().join("keepassxc");
        std::fs::create_dir_all(&settings).unwrap();
        std::fs::write(
            settings.join("keepassxc.ini"),
            format!("{KEEPASSXC_INI}ConfirmAccessItem={confirm_access}\n"),
        )
        .unwrap();
        let database = self.dir.path().join("test.kdbx");
        if !database.exists() {
            let xml = self.dir.path().join("test.xml");
            std::fs::write(&xml, KEEPASSXC_XML).unwrap();
            let out = run_fed(
                self.daemon_command("keepassxc-cli").args([
                    "import",
                    "-q",
                    "-p",
                    "-t",
                    "100",
                    xml.to_str().unwrap(),
                    database.to_str().unwrap(),
                ]),
                b"test\ntest\n",
            );
            assert!(
                out.success(),
                "keepassxc-cli could not make the test database"
            );
        }
        let mut daemon = self
            .daemon_command("keepassxc")
            .args(["--pw-stdin", database.to_str().unwrap()])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start keepassxc ({e}); `make test` installs it"));
        std::io::Write::write_all(&mut daemon.stdin.take().unwrap(), b"test\n").unwrap();
        self.daemon = Some(daemon);
        self.wait_for_name(SECRETS, true);
        // Only properties until the database is open: a search sent while it opens makes
        // KeePassXC ask for the password in a dialog, and the one given on its input is lost.
        self.wait_until("KeePassXC's database open", || {
            let alias = self.send(&[
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                "org.freedesktop.Secret.Service.ReadAlias",
                "string:default",
            ]);
            let Some(path) = alias
                .split('"')
                .nth(1)
                .filter(|p| p.starts_with("/org/freedesktop/secrets/collection/"))
            else {
                return false;
            };
            self.send(&[
                "--dest=org.freedesktop.secrets",
                path,
                "org.freedesktop.DBus.Properties.Get",
                "string:org.freedesktop.Secret.Collection",
                "string:Locked",
            ])
            .contains("boolean false")
        });
    }

    fn start_kwallet(&mut self, crypto_plugins: bool, open_wallet: bool) {
        std::fs::create_dir_all(self.config()).unwrap();
        std::fs::write(self.config().join("kwalletrc"), KWALLETRC).unwrap();
        let kwalletd = |plugins: bool| {
            let mut command = self.daemon_command("kwalletd5");
            if !plugins {
                command.env("QCA_NO_PLUGINS", "1");
            }
            command
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start kwalletd5 ({e}); `make test` installs it"))
        };
        if !self.data().join("kwalletd/kdewallet.kwl").exists() {
            // Made once: kwalletd's Secret Service only lists the wallets there when it starts.
            let mut first = kwalletd(true);
            self.wait_for_name(KWALLETD, true);
            self.open_wallet();
            self.send(&[
                "--dest=org.kde.kwalletd5",
                "/modules/kwalletd5",
                "org.kde.KWallet.close",
                "string:kdewallet",
                "boolean:true",
            ]);
            let _ = first.kill();
            let _ = first.wait();
            self.wait_for_name(KWALLETD, false);
        }
        self.daemon = Some(kwalletd(crypto_plugins));
        self.wait_for_name(SECRETS, true);
        if open_wallet {
            self.open_wallet();
        }
    }

    /// Opens the wallet as kwallet-pam does at login, with no dialog: `pamOpen` takes a hash
    /// of the password (any 56 bytes for a test wallet) and creates a missing wallet.
    fn open_wallet(&self) {
        let hash: Vec<String> = (1..=56u8).map(|b| format!("0x{b:02x}")).collect();
        self.send(&[
            "--dest=org.kde.kwalletd5",
            "/modules/kwalletd5",
            "org.kde.KWallet.pamOpen",
            "string:kdewallet",
            &format!("array:byte:{}", hash.join(",")),
            "int32:0",
        ]);
        self.wait_until("the wallet open", || {
            self.send(&[
                "--dest=org.kde.kwalletd5",
                "/modules/kwalletd5",
                "org.kde.KWallet.isOpen",
                "string:kdewallet",
            ])
            .contains("boolean true")
        });
    }

    /// The item filed under `service` and `user` as the Secret Service gives it over a plain
    /// session: its content type and its secret. Read with zbus here, apart from Tessera's own
    /// client, to check what Tessera wrote from the outside.
    pub fn raw_secret(&self, service: &str, user: &str) -> Option<(String, Vec<u8>)> {
        use std::collections::HashMap;
        use zbus::zvariant::OwnedObjectPath;
        const SERVICE_PATH: &str = "/org/freedesktop/secrets";
        const SERVICE_IFACE: &str = "org.freedesktop.Secret.Service";
        let (connection, session) = self.plain_session();
        let attributes = HashMap::from([("service", service), ("username", user)]);
        let found = connection
            .call_method(
                Some(SECRETS),
                SERVICE_PATH,
                Some(SERVICE_IFACE),
                "SearchItems",
                &(attributes,),
            )
            .unwrap();
        let (unlocked, _locked): (Vec<OwnedObjectPath>, Vec<OwnedObjectPath>) =
            found.body().deserialize().unwrap();
        let item = unlocked.first()?;
        let secret = connection
            .call_method(
                Some(SECRETS),
                item.as_str(),
                Some("org.freedesktop.Secret.Item"),
                "GetSecret",
                &(session,),
            )
            .unwrap();
        let (_, _, value, content_type): (OwnedObjectPath, Vec<u8>, Vec<u8>, String) =
            secret.body().deserialize().unwrap();
        Some((content_type, value))
    }

    /// Makes a second GNOME Keyring collection labelled `label`, with the password `password`,
    /// without a dialog (the interface Seahorse uses, `CreateWithMasterPassword`); its path.
    pub fn create_gnome_collection(&self, label: &str, password: &str) -> String {
        use std::collections::HashMap;
        use zbus::zvariant::{OwnedObjectPath, Value};
        let (connection, session) = self.plain_session();
        let properties = HashMap::from([(
            "org.freedesktop.Secret.Collection.Label",
            Value::from(label),
        )]);
        let master = (
            session,
            Vec::<u8>::new(),
            password.as_bytes().to_vec(),
            "text/plain",
        );
        let created = connection
            .call_method(
                Some(SECRETS),
                "/org/freedesktop/secrets",
                Some("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface"),
                "CreateWithMasterPassword",
                &(properties, master),
            )
            .unwrap();
        let path: OwnedObjectPath = created.body().deserialize().unwrap();
        path.as_str().to_owned()
    }

    /// A connection of the test's own to this bus, and a plain session on the Secret Service.
    fn plain_session(&self) -> (zbus::blocking::Connection, zbus::zvariant::OwnedObjectPath) {
        let connection = zbus::blocking::connection::Builder::address(self.address.as_str())
            .unwrap()
            .build()
            .unwrap();
        let opened = connection
            .call_method(
                Some(SECRETS),
                "/org/freedesktop/secrets",
                Some("org.freedesktop.Secret.Service"),
                "OpenSession",
                &("plain", zbus::zvariant::Value::from("")),
            )
            .unwrap();
        let (_, session): (zbus::zvariant::OwnedValue, zbus::zvariant::OwnedObjectPath) =
            opened.body().deserialize().unwrap();
        (connection, session)
    }

    /// The path of the item filed under `service` and `user` (the first, unlocked or not).
    pub fn item_path(&self, service: &str, user: &str) -> Option<String> {
        let found = self.send(&[
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.SearchItems",
            &format!("dict:string:string:service,{service},username,{user}"),
        ]);
        found.split('"').nth(1).map(str::to_owned)
    }

    /// `dbus-send --print-reply` on this bus; its output, empty on an error.
    pub fn send(&self, args: &[&str]) -> String {
        let out = Command::new("dbus-send")
            .arg(format!("--bus={}", self.address))
            .arg("--print-reply")
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_until(&self, what: &str, mut ready: impl FnMut() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !ready() {
            assert!(Instant::now() < deadline, "{what}: not within 20 s");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the Secret Service and waits until its name is gone from the bus.
    pub fn stop(&mut self) {
        if let Some(mut daemon) = self.daemon.take() {
            let _ = daemon.kill();
            let _ = daemon.wait();
        }
        self.wait_for_name(SECRETS, false);
    }

    /// Kills the Secret Service (SIGKILL, a crash) while commands may be using it.
    pub fn kill(&self) {
        if let Some(daemon) = self.daemon.as_ref() {
            let killed = Command::new("kill")
                .args(["-KILL", &daemon.id().to_string()])
                .status()
                .unwrap();
            assert!(killed.success());
        }
    }

    /// Makes `name` activatable on this bus, as a package's activation file does on the
    /// session bus: a call sent to it starts `exec` (a command line).
    pub fn activatable(&self, name: &str, exec: &str) {
        let file = format!("[D-BUS Service]\nName={name}\nExec={exec}\n");
        std::fs::write(
            self.dir.path().join(format!("services/{name}.service")),
            file,
        )
        .unwrap();
        self.send(&[
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.ReloadConfig",
        ]);
    }

    /// Whether a program owns `name` on this bus now.
    pub fn has_owner(&self, name: &str) -> bool {
        self.send(&[
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            &format!("string:{name}"),
        ])
        .contains("true")
    }

    fn wait_for_name(&self, name: &str, present: bool) {
        self.wait_until(
            &format!("{name} {}", if present { "on the bus" } else { "gone" }),
            || self.has_owner(name) == present,
        );
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

/// Runs `command` with `input` on its standard input; its exit status.
fn run_fed(command: &mut Command, input: &[u8]) -> std::process::ExitStatus {
    let mut child = command.stdin(Stdio::piped()).spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), input).unwrap();
    child.wait().unwrap()
}
