//! The command line, as clap types. Help texts are the user's manual: keep them exact.
//! The contract scripts rely on is in docs/cli.md, generated from these definitions.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::error::ErrorKind;
use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use tessera_core::backup::ExportFormat;

#[derive(Debug, Parser)]
#[command(
    name = "tessera",
    version,
    about = "Tessera: one-time codes (TOTP, HOTP, Steam) from the command line",
    long_about = "Tessera: one-time codes (TOTP, HOTP, Steam) from the command line.\n\n\
        Accounts live in Tessera's vault, shared with the desktop app: secret keys in the \
        operating system's keychain, everything else in the user's data directory. Values \
        given as `-` are read from standard input, so secret keys stay out of shell history \
        and the process list."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the accounts (no keychain access unless --check)
    List(ListArgs),
    /// Add an account from an otpauth:// URI or a secret key
    Add(AddArgs),
    /// Print an account's current code (and with --next the one after it)
    Code(CodeArgs),
    /// Give an account another friendly name
    Rename(RenameArgs),
    /// Add or remove an account's tags
    Tag(TagArgs),
    /// Print an account's note, or set it (an empty TEXT removes it)
    Note(NoteArgs),
    /// Print an account's icon, or choose one: a bundled icon, an image file, a letter, or the
    /// one matched from its issuer; --search finds bundled icons
    Icon(IconArgs),
    /// Remove accounts to the trash, where they are kept with their keys for 30 days (--purge:
    /// delete their keys from the keychain at once)
    Remove(RemoveArgs),
    /// The removed accounts: list them, restore them, or empty the trash
    Trash(TrashArgs),
    /// Reveal an account's secret key, as an otpauth:// URI or a QR code for a phone
    Show(ShowArgs),
    /// Read the QR codes in images (screenshots, photos) and print their accounts as otpauth:// URIs, or add them
    Scan(ScanArgs),
    /// Write every account to a backup: encrypted (tessera, aegis), or in clear (otpauth, html,
    /// aegis-plain)
    Export(ExportArgs),
    /// Add the accounts of a backup (Tessera's or another app's); duplicates are skipped
    Import(ImportArgs),
    /// Automatic backups: turn them on (a backup into a folder after every change) or off, or
    /// see how they are doing
    Backup(BackupArgs),
    /// Sync the accounts with your other computers through a folder you already sync
    /// (Syncthing, Nextcloud, a USB stick), end-to-end encrypted
    Sync(SyncArgs),
    /// Measure how far this computer's clock is from a time server's (SNTP); --apply makes
    /// codes use the corrected time. The system clock is never changed
    Time(TimeArgs),
    /// Bring an account back in step with codes another device shows: an HOTP counter moves
    /// past them; for a timed account, a time server says whose clock is off
    Resync(ResyncArgs),
    /// Check the vault against the keychain: orphan keychain items, accounts without their key,
    /// leftover temporary files
    Doctor(DoctorArgs),
    /// Keep Tessera in the tray without its window (Linux, X11): the tray's menu, the shortcut
    /// and a second launch start the window. The desktop app hands over to it when its hidden
    /// window is released, and at a start in the tray
    Tray(TrayArgs),
    /// Answer the desktop's search (GNOME Shell, KRunner) over D-Bus, with the accounts' codes;
    /// the session bus starts it when the desktop searches, and it exits when idle (Linux)
    SearchProvider,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print an array of {id, name, issuer, label, type, algorithm, digits, period, counter,
    /// tags, note, pinned, icon}
    #[arg(long)]
    pub json: bool,
    /// Only the accounts with this tag (whatever its case); repeated, those with every one
    #[arg(long, value_name = "T")]
    pub tag: Vec<String>,
    /// Also check that each account's secret key is in the keychain (adds "secret": "present" or "missing")
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["uri", "secret"])))]
pub struct AddArgs {
    /// The friendly name, unique whatever its case [default: "Issuer (label)"]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The account as an otpauth:// URI, or - to read it from standard input
    #[arg(long, value_name = "URI|-")]
    pub uri: Option<String>,
    /// The secret key in base32 (spaces, dashes, lower case accepted), or - for standard input
    #[arg(long, value_name = "KEY|-")]
    pub secret: Option<String>,
    /// Who issued the account ("Amazon Web Services")
    #[arg(long, value_name = "I", conflicts_with = "uri")]
    pub issuer: Option<String>,
    /// The account at the issuer ("admin@123456789012")
    #[arg(long, value_name = "L", conflicts_with = "uri")]
    pub label: Option<String>,
    /// How codes advance
    #[arg(long = "type", value_enum, default_value_t = OtpType::Totp, conflicts_with = "uri")]
    pub otp_type: OtpType,
    #[arg(long, value_enum, default_value_t = HashAlgorithm::Sha1, conflicts_with = "uri")]
    pub algorithm: HashAlgorithm,
    /// Digits in a code (Steam codes are always 5 characters)
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u8).range(6..=8), conflicts_with = "uri")]
    pub digits: u8,
    /// Seconds per code, for totp and steam
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..), conflicts_with = "uri")]
    pub period: u32,
    /// The counter of the next code, for hotp
    #[arg(long, default_value_t = 0, conflicts_with = "uri")]
    pub counter: u64,
    /// A tag for the account ("prod", "test users"); repeat for more
    #[arg(long, value_name = "T")]
    pub tag: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OtpType {
    Totp,
    Hotp,
    Steam,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum HashAlgorithm {
    #[value(name = "SHA1", alias = "sha1")]
    Sha1,
    #[value(name = "SHA256", alias = "sha256")]
    Sha256,
    #[value(name = "SHA512", alias = "sha512")]
    Sha512,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("account").required(true).args(["target", "uri"])))]
pub struct CodeArgs {
    /// The account's friendly name (or a unique prefix of it) or id
    #[arg(value_name = "NAME|ID")]
    pub target: Option<String>,
    /// An account given as an otpauth:// URI (or - for standard input) instead; no vault needed
    #[arg(long, value_name = "URI|-")]
    pub uri: Option<String>,
    /// Compute the code for this moment (Unix time in seconds) instead of now (never corrected
    /// by `tessera time --apply`)
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub at: Option<u64>,
    /// Also print the next code, on a second line (for HOTP, both codes are used up)
    #[arg(long)]
    pub next: bool,
    /// Print {id, name, code, next_code, period, remaining_seconds} as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The account's friendly name (or a unique prefix of it) or id
    #[arg(value_name = "NAME|ID")]
    pub target: String,
    /// Its new friendly name
    #[arg(value_name = "NEW_NAME")]
    pub new_name: String,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("change").required(true).multiple(true).args(["add", "remove"])))]
pub struct TagArgs {
    /// The accounts' friendly names (or unique prefixes of them) or ids; if any is not found or
    /// would have too many tags, none changes
    #[arg(value_name = "NAME|ID", required = true, num_args = 1..)]
    pub targets: Vec<String>,
    /// A tag to add; repeat for more
    #[arg(long, value_name = "T")]
    pub add: Vec<String>,
    /// A tag to remove (whatever its case); repeat for more
    #[arg(long, value_name = "T")]
    pub remove: Vec<String>,
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    /// The account's friendly name (or a unique prefix of it) or id
    #[arg(value_name = "NAME|ID")]
    pub target: String,
    /// The new note, or - to read it from standard input [default: print the note]
    #[arg(value_name = "TEXT|-")]
    pub text: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("choice").args(["set", "file", "letter", "auto"])))]
pub struct IconArgs {
    /// The account's friendly name (or a unique prefix of it) or id
    #[arg(value_name = "NAME|ID", required_unless_present = "search")]
    pub target: Option<String>,
    /// A bundled icon, by its id (simple-icons/github, logos/aws; see --search)
    #[arg(long, value_name = "ID")]
    pub set: Option<String>,
    /// An image of your own: a PNG or JPEG (kept as a 64-pixel PNG) or an SVG of at most 64 KiB
    #[arg(long, value_name = "FILE")]
    pub file: Option<std::path::PathBuf>,
    /// A letter, even where an icon matches the issuer
    #[arg(long)]
    pub letter: bool,
    /// The icon matched from the issuer again (the default)
    #[arg(long)]
    pub auto: bool,
    /// List the bundled icons whose name contains TEXT: id, then title
    #[arg(long, value_name = "TEXT", conflicts_with_all = ["target", "set", "file", "letter", "auto"])]
    pub search: Option<String>,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The accounts' friendly names (or unique prefixes of them) or ids, asked about once; if
    /// any is not found, none is removed
    #[arg(value_name = "NAME|ID", required = true, num_args = 1..)]
    pub targets: Vec<String>,
    /// Do not ask for confirmation (needed when standard input is not a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Delete the accounts' secret keys from the keychain at once, skipping the trash
    #[arg(long)]
    pub purge: bool,
}

#[derive(Debug, Args)]
pub struct TrashArgs {
    #[command(subcommand)]
    pub command: Option<TrashCommand>,
    /// Print an array of {id, name, issuer, label, deleted, purged_at} (Unix seconds)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum TrashCommand {
    /// List the removed accounts, the most recent first, and when each is deleted for good
    /// (the default)
    List(TrashListArgs),
    /// Put removed accounts back where they were, with their names (made unique if taken
    /// meanwhile) and keys; if any is not found, none is restored
    Restore(TrashRestoreArgs),
    /// Delete every account in the trash for good, keys included
    Empty(TrashEmptyArgs),
}

#[derive(Debug, Args)]
pub struct TrashListArgs {
    /// Print an array of {id, name, issuer, label, deleted, purged_at} (Unix seconds)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TrashRestoreArgs {
    /// The removed accounts' friendly names (or unique prefixes of them) or ids
    #[arg(value_name = "NAME|ID", required = true, num_args = 1..)]
    pub targets: Vec<String>,
}

#[derive(Debug, Args)]
pub struct TrashEmptyArgs {
    /// Do not ask for confirmation (needed when standard input is not a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("form").required(true).args(["uri", "qr"])))]
pub struct ShowArgs {
    /// The account's friendly name (or a unique prefix of it) or id
    #[arg(value_name = "NAME|ID")]
    pub target: String,
    /// Print the otpauth:// URI, secret key included
    #[arg(long)]
    pub uri: bool,
    /// Print the otpauth:// URI as a QR code in the terminal, to scan with a phone
    #[arg(long)]
    pub qr: bool,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Image files (PNG, JPEG, WebP, BMP, GIF), or - to read one from standard input
    #[arg(value_name = "IMAGE", required = true)]
    pub images: Vec<String>,
    /// Print an array of {file, payload}, one for each QR code, payloads as they are
    #[arg(long)]
    pub json: bool,
    /// Add the accounts found to the vault (a Google Authenticator export gives all of its
    /// accounts); accounts already in the vault are skipped. Nothing is added if an image
    /// can't be read, has no QR code, or an export's codes are missing
    #[arg(long)]
    pub add: bool,
    /// With --add, the friendly name of the one account found [default: "Issuer (label)"]
    #[arg(long, value_name = "NAME", requires = "add")]
    pub name: Option<String>,
    /// With --add: an account enrolled again (the same issuer and label, or the same name, with
    /// a new key) replaces the old account's key and parameters, keeping its name and place.
    /// Without it, it is added beside the old one under a free name
    #[arg(long, requires = "add")]
    pub replace: bool,
}

/// `--format` of `export`: core's formats, by their ids, with core's descriptions.
#[derive(Debug, Clone, Copy)]
struct ExportFormatParser;

impl TypedValueParser for ExportFormatParser {
    type Value = ExportFormat;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<ExportFormat, clap::Error> {
        let ids = ExportFormat::ALL.map(ExportFormat::id);
        let id = PossibleValuesParser::new(ids).parse_ref(cmd, arg, value)?;
        ExportFormat::from_id(&id).ok_or_else(|| clap::Error::new(ErrorKind::InvalidValue))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            ExportFormat::ALL
                .into_iter()
                .map(|f| PossibleValue::new(f.id()).help(f.summary())),
        ))
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to write
    #[arg(long, value_name = "FORMAT", value_parser = ExportFormatParser)]
    pub format: ExportFormat,
    /// The file to write (replaced if it exists; readable by you only), or - for standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: String,
    /// With --format tessera or aegis: a file holding the passphrase (its first line), or - for
    /// standard input [default: ask twice on the terminal]
    #[arg(long, value_name = "FILE|-")]
    pub password_file: Option<String>,
    /// Only the accounts with this tag (whatever its case); repeated, those with every one
    #[arg(long, value_name = "T")]
    pub tag: Vec<String>,
    /// Also the accounts in the trash, after the others
    #[arg(long)]
    pub include_trash: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The backup file
    #[arg(value_name = "FILE")]
    pub file: String,
    /// The backup's format: auto, tessera, otpauth, aegis, 2fas, andotp, bitwarden-json,
    /// bitwarden-csv, freeotp-plus, proton, stratum
    #[arg(long, value_name = "FORMAT", default_value = "auto")]
    pub format: String,
    /// For an encrypted backup: a file holding the passphrase (its first line), or - for
    /// standard input [default: ask on the terminal]
    #[arg(long, value_name = "FILE|-")]
    pub password_file: Option<String>,
    /// Say what would be added and skipped, and add nothing
    #[arg(long)]
    pub dry_run: bool,
    /// An account enrolled again (the same issuer and label, or the same name, with a new key)
    /// replaces the old account's key and parameters, keeping its name and place. Without it, it
    /// is added beside the old one under a free name
    #[arg(long)]
    pub replace: bool,
    /// Print {format, added, replaced, skipped_duplicates, errors}: the accounts added ({id,
    /// name, and reenrolment_of when it is one}), those whose key was replaced ({id, name}),
    /// those skipped as already present ({name, duplicate_of, in_file}), and entries that could
    /// not be read (messages)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TrayArgs {
    /// Wait for the desktop app to exit and take over its tray (what the app runs itself)
    #[arg(long)]
    pub after_window: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Delete the orphan keychain items and the temporary files (never an account; an account
    /// without its key stays listed until you restore or remove it)
    #[arg(long)]
    pub fix: bool,
    /// Print {orphan_items, missing_keys, temporary_files, backup_failure, sync_failure,
    /// fixed}: orphan item ids, the accounts without their key ({id, name}), temporary file
    /// paths, the last automatic backup's and sync's failures ({at, error} or null), and
    /// whether --fix removed the orphans and temporaries
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TimeArgs {
    /// The time server to ask [default: the setting `time_server`, pool.ntp.org]
    #[arg(long, value_name = "HOST[:PORT]")]
    pub server: Option<String>,
    /// Save the measured offset as a correction: the window and `tessera code` then make codes
    /// for this clock's time plus the offset
    #[arg(long, conflicts_with = "reset")]
    pub apply: bool,
    /// Remove the saved correction (no server is asked)
    #[arg(long)]
    pub reset: bool,
    /// Print {server, offset_seconds, round_trip_ms, applied_offset_seconds}: the offset is
    /// the server's clock minus this one (positive: this clock is behind); the last is the
    /// correction in effect afterwards, or null
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ResyncArgs {
    /// The account's friendly name (or a unique prefix of it) or id
    #[arg(value_name = "NAME|ID")]
    pub target: String,
    /// A code the other device shows, and the one after it (two make the match certain)
    #[arg(value_name = "CODE", required = true, num_args = 1..=2)]
    pub codes: Vec<String>,
    /// The time server that says whose clock is off [default: the setting `time_server`]
    #[arg(long, value_name = "HOST[:PORT]")]
    pub server: Option<String>,
    /// When this computer's clock is the one off, save the correction, as `tessera time
    /// --apply` does
    #[arg(long)]
    pub apply: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(subcommand)]
    pub command: BackupCommand,
}

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// After every change to the vault, write an encrypted Tessera backup into a folder (the
    /// first one at once), keeping the newest; or --off
    Auto(AutoBackupArgs),
    /// Whether automatic backups are on, the last backup written and the last failure (exit
    /// status 1 while the last backup failed)
    Status(BackupStatusArgs),
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("what").required(true).args(["folder", "off"])))]
pub struct AutoBackupArgs {
    /// The folder the backups go to (made if missing), named tessera-backup-YYYYMMDD-HHMMSS.tessera
    #[arg(long, value_name = "DIR")]
    pub folder: Option<std::path::PathBuf>,
    /// How many of the newest backups are kept; older ones are deleted
    #[arg(long, value_name = "N", default_value_t = 10,
          value_parser = clap::value_parser!(u16).range(1..=1000), conflicts_with = "off")]
    pub keep: u16,
    /// A file holding the passphrase (its first line), or - for standard input [default: ask
    /// twice on the terminal]. It is asked once: the key derived from it is kept in the
    /// keychain, never the passphrase; `tessera import` reads the backups with it
    #[arg(long, value_name = "FILE|-", conflicts_with = "off")]
    pub password_file: Option<String>,
    /// The backups' format: Tessera's own, or an encrypted Aegis vault (aegis-backup-*.json, one
    /// master key for them all, as Aegis writes its own), which Aegis imports
    #[arg(long, value_enum, default_value_t = AutoBackupFormat::Tessera, conflicts_with = "off")]
    pub format: AutoBackupFormat,
    /// Turn automatic backups off (the backups already written stay)
    #[arg(long)]
    pub off: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AutoBackupFormat {
    Tessera,
    Aegis,
}

#[derive(Debug, Args)]
pub struct BackupStatusArgs {
    /// Print {enabled, folder, keep, last_backup, last_failure}: last_backup is {at, file,
    /// accounts} and last_failure {at, error} (Unix seconds), or null
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub command: SyncCommand,
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Start a sync set in a folder with this computer's accounts, and print its pairing secret
    /// (the other computers join with it)
    Setup(SyncSetupArgs),
    /// Join the sync set in a folder from another computer, with its pairing secret; the
    /// accounts of both are merged
    Join(SyncJoinArgs),
    /// Merge now: this computer's changes out, the other computers' in (exit status 1 when a
    /// file in the folder was refused)
    Now,
    /// The folder, this device, the devices seen and the last merge (exit status 1 while the
    /// last merge failed)
    Status(SyncStatusArgs),
    /// Forget a device (a lost or sold computer): it still knows the set's key, so this
    /// computer starts a new set with a new key and prints its pairing secret; the other
    /// computers join again with it
    Forget(SyncForgetArgs),
    /// Stop syncing this computer; its accounts stay here, and on the other computers
    Off,
    /// Follow the phone's Aegis backups: the newest encrypted backup in a folder (that Syncthing
    /// or Nextcloud brings from the phone) is taken in, and again whenever a newer one arrives;
    /// new accounts are added, re-enrolments replace, duplicates are skipped
    FollowAegis(FollowAegisArgs),
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("what").required(true).args(["folder", "off"])))]
pub struct FollowAegisArgs {
    /// The folder Aegis's automatic backups (aegis-backup-*.json) arrive in
    #[arg(long, value_name = "DIR")]
    pub folder: Option<std::path::PathBuf>,
    /// A file holding the Aegis vault's password (its first line), or - for standard input
    /// [default: ask on the terminal]. Asked once: the vault's key is kept in the keychain,
    /// never the password
    #[arg(long, value_name = "F|-", conflicts_with = "off")]
    pub password_file: Option<String>,
    /// Stop following (the accounts taken in stay)
    #[arg(long)]
    pub off: bool,
}

#[derive(Debug, Args)]
pub struct SyncForgetArgs {
    /// The device's id or name, as `tessera sync status` lists them
    #[arg(value_name = "DEVICE")]
    pub device: String,
}

#[derive(Debug, Args)]
pub struct SyncSetupArgs {
    /// The folder to sync through (made if missing): one that Syncthing, Nextcloud, Dropbox or
    /// a network share already syncs, or a USB stick. Each computer writes one encrypted file
    #[arg(long, value_name = "DIR")]
    pub folder: std::path::PathBuf,
    /// What the other computers call this one [default: its host name]
    #[arg(long, value_name = "NAME")]
    pub device_name: Option<String>,
}

#[derive(Debug, Args)]
pub struct SyncJoinArgs {
    /// The synced folder, as it is on this computer
    #[arg(long, value_name = "DIR")]
    pub folder: std::path::PathBuf,
    /// A file holding the pairing secret that `tessera sync setup` printed, or - for standard
    /// input
    #[arg(long, value_name = "F|-")]
    pub secret_file: String,
    /// What the other computers call this one [default: its host name]
    #[arg(long, value_name = "NAME")]
    pub device_name: Option<String>,
}

#[derive(Debug, Args)]
pub struct SyncStatusArgs {
    /// Print {folder, device, devices, last_sync, failure}: devices is [{id, name, last_seen}]
    /// (this one first), last_sync and last_seen Unix seconds, failure {at, error} or null
    #[arg(long)]
    pub json: bool,
}
