# Tessera's window, tray and desktop search, in English: the source every other catalogue
# translates. `tests` (crates/l10n) checks that each catalogue has every message here, with the
# same attributes and the same variables.

-app = Tessera
-key-ctrl = Ctrl
-key-shift = Shift
-key-alt = Alt
-key-esc = Esc
-key-enter = Enter
-key-tab = Tab

## The lock screen

lock-title = { -app } is locked
unlock-passphrase = Passphrase
unlock-pin = PIN
unlock-submit = Unlock
unlock-system = Unlock with your system sign-in
unlock-wait = That is not it. Try again in { $seconds } s.

## The toolbar, the banners and the list

search =
    .placeholder = Search accounts
    .aria-label = Search accounts
scan-button =
    .aria-label = Scan QR code on screen
    .title = Scan the QR code on the screen ({ -key-ctrl }+{ -key-shift }+S)
add-button =
    .aria-label = Add account
    .title = Add account ({ -key-ctrl }+N)
settings-button =
    .aria-label = Settings
    .title = Settings
tags-nav =
    .aria-label = Show only the accounts with these tags
keychain-waiting = { -app } is waiting for { $keychain }: if it asks, answer its dialog ({ -app } gives up after { $seconds } s)
the-keychain = the keychain
banner-retry = Try again
banner-settings = Settings
clock-use = Use corrected time
clock-dismiss = Dismiss
clock-behind = This computer's clock is { $amount } behind: codes may be refused
clock-ahead = This computer's clock is { $amount } ahead: codes may be refused
clock-corrected-behind = { -app }'s corrected time is { $amount } behind: codes may be refused
clock-corrected-ahead = { -app }'s corrected time is { $amount } ahead: codes may be refused
duration-hours = { $m ->
        [0] { $h } h
       *[other] { $h } h { $m } min
    }
duration-minutes = { $s ->
        [0] { $m } min
       *[other] { $m } min { $s } s
    }
duration-seconds = { $s } s
empty-title = No accounts yet
# Markup: only <kbd> and <code>, and no variable.
empty-text = Add your first one with <kbd>+</kbd> or <kbd>{ -key-ctrl }</kbd>+<kbd>N</kbd>: scan the QR code on the screen (the scan button, or <kbd>{ -key-ctrl }</kbd>+<kbd>{ -key-shift }</kbd>+<kbd>S</kbd>), paste a screenshot of it (<kbd>{ -key-ctrl }</kbd>+<kbd>V</kbd>), drop an image here, paste the <code>otpauth://</code> link, or type the secret key the site shows under "Can't scan the code?".
empty-import = Import a backup…
no-match = No account matches your search and tags.
list =
    .aria-label = Accounts
selection-bar =
    .aria-label = Selected accounts
selection-count = { $count } selected
selection-tag = Tag…
selection-untag = Untag…
selection-export = Export…
selection-delete = Delete…
selection-all = All
    .title = Select every account shown ({ -key-ctrl }+A)
selection-clear =
    .aria-label = Clear the selection
    .title = Clear the selection ({ -key-esc })
group-no-issuer = No issuer
row-label = { $name }, { $sub }: code { $code }, { $seconds ->
        [one] { $seconds } second left
       *[other] { $seconds } seconds left
    }
row-label-code = { $name }, { $sub }: code { $code }
row-label-counter = { $name }, { $sub }: counter-based, Enter shows a code
row-label-loading = { $name }, { $sub }: code loading
row-label-problem = { $name }, { $sub }: { $problem }
row-details =
    .aria-label = { $pinned ->
        [yes] Details of { $name } (pinned)
       *[no] Details of { $name }
    }
row-copy =
    .aria-label = Copy code { $code } of { $name }
row-next =
    .aria-label = Next code { $code }
row-loading =
    .aria-label = { $name }: loading
row-show-code = Show code
    .aria-label = Show a code for { $name }
row-key-missing = Key missing
row-unavailable = Unavailable
row-problem =
    .aria-label = { $name }: { $problem }
row-rename =
    .aria-label = New name for { $name }
copied = Copied { $code }
copied-cleared = Copied { $code } · cleared in { $seconds } s
type-needs-shortcut = Typing a code works in the window the shortcut brings up: press the shortcut in the window to type into
reorder-sorted = Sorted by the settings' order: choose "Your order" (⚙) to reorder
reorder-grouped = Grouped by issuer: turn grouping off (⚙) to reorder
n-accounts = { $count ->
    [one] { $count } account
   *[other] { $count } accounts
}
n-keys = { $keys ->
    [one] { $keys } key
   *[other] { $keys } keys
}

## The Add dialog

add-title = Add account
add-scan-screen = Scan screen
add-open-image = Open image…
add-paste-image = Paste image
add-or = Or drop images of QR codes on the window. Or enter the account:
tab-key = Secret key
tab-uri = otpauth:// link
add-secret-label = Secret key
add-issuer-label = Issuer
add-issuer =
    .placeholder = Amazon Web Services
add-label-label = Account
add-advanced = Advanced
add-type-label = Type
type-totp = Time-based (TOTP)
type-hotp = Counter-based (HOTP)
type-steam = Steam Guard
kind-totp = TOTP
kind-hotp = HOTP
kind-steam = Steam Guard
add-algorithm-label = Algorithm
add-digits-label = Digits
add-period-label = Period (seconds)
add-counter-label = Counter
add-uri-label = otpauth:// link
add-name-label = Name
add-ok = ✓ { $kind }, { $algorithm }, { $digits } digits, { $period ->
        [0] counter-based
       *[other] every { $period } s
    }; { $bits }-bit key
added = Added { $name }
cancel = Cancel
add = Add
done = Done

## What a scan found

scan-title-none = No QR code found
scan-title-found = Found { n-accounts }
scan-title-import = Import from { $file }: { n-accounts }
scan-found =
    .aria-label = Accounts found
scan-hint = If there is a QR code, zoom in so that it is larger, or save it as an image and use Open image.
scan-keep =
    .aria-label = Add this account
scan-name =
    .aria-label = Name
scan-facts = { $who } — { $kind }, { $algorithm }, { $digits } digits, { $period ->
        [0] counter-based
       *[other] every { $period } s
    }
scan-no-who = No issuer or account
scan-choice =
    .aria-label = What to do with “{ $name }”
scan-replace = Replace
scan-add-new = Add as new
scan-replaces = Replaces the key of “{ $name }” (enrolled again)
scan-duplicate-above = The same account as “{ $name }” above
scan-duplicate = Already in { -app } as “{ $name }”
scan-add = Add { n-accounts }
scan-replace-keys = Replace { n-keys }
scan-add-and-replace = Add { n-accounts }, replace { n-keys }
scan-added = Added { n-accounts }
scan-replaced = Replaced { n-keys }
scan-added-and-replaced = Added { n-accounts }, replaced { n-keys }
scan-replaced-one = Replaced the key of { $name }
scan-progress = { $done } of { $total }
scan-problem-image = { $about }: this is not an image { -app } reads, or it is too large.
scan-problem-unreadable = { $about }: the file could not be read.
scan-problem-no_code = { $about }: no QR code found. If there is one, zoom in so that it is larger, or use a sharper image.
scan-problem-not_an_account = { $about }: the QR code is not an authenticator code (it does not start with otpauth://).
scan-problem-link = { $about }: the QR code's otpauth:// link cannot be used.
scan-problem-transfer = { $about }: this Google Authenticator transfer code cannot be used.
scan-problem-skipped = { $about } was not imported: it cannot be used.
scan-problem-missing = Some QR codes of a Google Authenticator export are missing: scan every code it shows.
scan-problem-vault = Nothing can be added: your accounts could not be checked for these.
source-screen = Screen
source-clipboard_image = Clipboard image
source-clipboard_text = Clipboard
scanning-screen = Scanning the screen…
opening-images = Opening images…

## The details dialog

details-name-label = Name
tags-label = Tags, separated by commas
details-tags =
    .placeholder = staging, test users
details-note-label = Note
details-pinned = Pinned: shown first
details-icon-legend = Icon
details-icon-auto = Automatic
details-icon-letter = Letter
details-icon-file = Image file…
details-icon-search =
    .placeholder = Find an icon: aws, github…
    .aria-label = Find an icon
details-icon-results =
    .aria-label = Icons found
fact-issuer = Issuer
fact-account = Account
fact-type = Type
fact-algorithm = Algorithm
fact-digits = Digits
fact-period = Period
fact-period-value = { $seconds } s
fact-counter = Next counter
resync-summary = Codes refused? Resync
resync-help = Type the code another device shows for this account (its token, a phone), and the one after it to be sure.
resync-code-label = Code
resync-next-label = Next code
details-resync-next =
    .placeholder = optional
resync-go = Resync
resync-counter = Resynced "{ $name }": the codes given are counter { $first }; its counter is now { $next } (was { $was })
resync-counter-on = Resynced "{ $name }": the codes given are counter { $first } onwards; its counter is now { $next } (was { $was })
resync-agrees = "{ $name }" gives these codes now: { -app } and the device agree, nothing to change (a service that refuses them keeps other time)
resync-this-clock = These are "{ $name }"'s codes for { $amount } { $later ->
        [yes] later
       *[no] earlier
    } than { -app }'s time, and { $server } keeps that time: this computer's clock is { $clock } { $behind ->
        [yes] behind
       *[no] ahead
    }
resync-applied = { $said }. { -app }'s codes now use corrected time: { $seconds } s
resync-their-clock = These are "{ $name }"'s codes for { $amount } { $later ->
        [yes] later
       *[no] earlier
    } than { $server }'s time, which this computer keeps: the device that shows them, or the service, keeps other time. { -app }'s codes follow the right time; nothing was changed
resync-unchecked = These are "{ $name }"'s codes for { $amount } { $later ->
        [yes] later
       *[no] earlier
    } than { -app }'s time; whose clock is off is unknown, as the time server could not be asked ({ $why }). Nothing was changed
resync-looking = Looking for these codes…
resync-apply = Correct { -app }'s time by { $seconds } s
secret-warning = Anyone who sees this key can make your codes.
details-qr =
    .alt = QR code of this account, to scan with a phone
details-delete = Delete…
details-reveal = Reveal key and QR
delete-title = Delete "{ $name }"?
delete-text = "{ $name }" goes to Recently deleted (in Settings), where it is kept with its secret key for 30 days.
delete = Delete
delete-many-title = Delete { n-accounts }?
delete-many-text = { n-accounts } go to Recently deleted (in Settings), where they are kept with their secret keys for 30 days: { $names }.
delete-many-names = { $more ->
        [0] { $names }
       *[other] { $names } and { $more } more
    }
delete-many = Delete { n-accounts }
deleted = Deleted { $name }
deleted-many = Deleted { n-accounts }
undo = Undo
deleted-forever = Deleted { n-accounts } forever
quoted = "{ $name }"
restored-one = Restored the account
restored = Restored { n-accounts }

## Settings

settings-title = Settings
settings-clipboard-label = Clear a copied code from the clipboard after
seconds-option = { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }
minutes-option = { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }
never = Never
settings-clipboard-note = Only if the clipboard still holds that code.
settings-window = Window
settings-sort-label = Sort accounts by
sort-manual = Your order (drag, or { -key-alt }+↑/↓)
sort-name = Name
sort-issuer = Issuer
sort-most-used = Most used
sort-last-used = Last used
settings-sort-note = Pinned accounts come first in every order.
settings-group = Group by issuer
settings-hide-codes = Hide codes
settings-hide-codes-note = For sharing the screen: codes show as dots until their row is pointed at or selected. Copying still works.
settings-close-to-tray = Close to tray (Quit from the tray's menu)
settings-start-minimised = Start minimised, in the tray
settings-start-at-login = Start at login
settings-release-label = Hidden in the tray, free the window's memory
release-after = { $minutes ->
        [60] after 1 hour
        [one] after { $minutes } minute
       *[other] after { $minutes } minutes
    }
release-never = never
settings-language-label = Language
language-system = The system's ({ $language })
language-en = English
language-de = Deutsch
settings-shortcut-heading = Shortcut
settings-shortcut-label = Bring { -app } up from anywhere with
settings-shortcut =
    .placeholder = None
settings-hide-after-copy = Hide again after copying a code
settings-enter-types = { -key-enter } types the code
settings-enter-types-note = In the window the shortcut brings up, { -key-enter } types the code into the window you were in, and { -key-shift }+{ -key-enter } copies it (off: the other way round). { -key-ctrl }+{ -key-shift }+{ -key-enter } types the code, { -key-tab } and the next code, for forms that ask for two.
settings-clock = Clock
settings-check-clock = Check this computer's clock
settings-check-clock-note = At start and every 6 hours { -app } asks { $server } for the time (its only network traffic), and warns when codes may be refused.
settings-lock = Lock
lock-method-label = Unlock { -app } with
lock-off = No lock
lock-passphrase = A passphrase
lock-pin = A PIN (6 digits or more)
lock-system = Your system sign-in (Polkit, Windows Hello)
lock-new-passphrase = New passphrase
lock-new-pin = New PIN
lock-again-label = Again
lock-set = Set the lock
lock-idle-label = Lock after
idle-option = { $minutes ->
        [60] 1 hour without use
        [one] { $minutes } minute without use
       *[other] { $minutes } minutes without use
    }
lock-on-screen-lock = Lock when the screen locks
lock-on-hide = Lock when the window hides to the tray
lock-note = { -key-ctrl }+L locks at once, as does Lock in the tray's menu. The lock keeps someone at your unlocked computer out of { -app }'s window and tray; programs running as you can still read the keychain.
lock-differ = The two are not the same.
lock-none-set = No lock
lock-now-set = Lock set: { -key-ctrl }+L locks now
settings-backups = Backups
export-button = Export backup…
import-button = Import backup…
import-note = Import reads { -app } backups and those of Aegis, 2FAS, andOTP, Bitwarden, Ente, FreeOTP+, Proton Authenticator, Stratum, and otpauth:// lists.
trash-button = Recently deleted…

## Automatic backups

settings-auto-backups = Automatic backups
auto-backup-off-state = Off: after every change, { -app } can write an encrypted backup into a folder (another disk, a synced folder).
auto-backup-on-state = On: after every change, an encrypted backup goes to { $folder } (the { $keep } newest are kept).
auto-backup-last = Last: { $when }, { n-accounts }.
auto-backup-last-failed = The last backup failed: { $why }
auto-backup-failed = The automatic backup failed: { $why }
folder-label = Folder
folder-path =
    .placeholder = A full path
choose = Choose…
auto-backup-keep-label = Keep the newest
passphrase-label = Passphrase
passphrase-again-label = Passphrase again
auto-backup-note = Asked once: { -app } keeps a key made from it in the keychain, never the passphrase. You need it to restore.
auto-backup-on = Turn on
auto-backup-off = Turn off automatic backups
choose-folder = Choose a folder.
same-passphrase-twice = Enter the same passphrase twice.
auto-backup-turned-on = Automatic backups on: the first backup is written.
auto-backup-turned-off = Automatic backups off; the backups written stay in their folder.

## Sync

settings-sync = Sync
sync-off-state = Off: your accounts can follow you to your other computers through a folder you already sync (Syncthing, Nextcloud, a USB stick), end-to-end encrypted.
sync-on-state = On: this computer, "{ $device }", syncs through { $folder }
sync-with = with { $devices }.
sync-alone = ; no other computer has joined yet.
sync-device-seen = { $name } ({ $when })
sync-last = Last synced { $when }.
sync-last-failed = The last sync failed: { $why }
sync-notice-forgotten = "{ $name }" was forgotten: this computer started a new sync set; the other computers join it again with the new pairing secret.
sync-notice-copied = Another computer wrote this computer's sync file (a copy of this home folder?): this computer is now a device of its own ({ $name }).
sync-failed = Sync failed: { $why }
sync-device-label = This computer's name
sync-device =
    .placeholder = Its host name
sync-setup = Start a sync set here
sync-secret-label = Or join a set: its pairing secret
sync-secret-note = Copy it on a computer of the set (Settings → Sync → Copy pairing secret, or <code>tessera sync setup</code>).
sync-join = Join
sync-copy = Copy pairing secret
sync-now = Sync now
sync-off = Turn off sync
sync-need-secret = Paste the pairing secret of the set to join.
sync-joined = Joined: the accounts of the set are here.
sync-started = Sync on: copy the pairing secret to join from your other computers.
sync-secret-copied = Pairing secret copied; the clipboard is cleared in { $seconds } s. Keep it as you would a password.
sync-turned-off = Sync off: every account stays on this computer.

## Export and import

export-title = Export backup
export-title-selected = Export { $count ->
        [one] { $count } selected account
       *[other] { $count } selected accounts
    }
export-what = What to write
export-tessera = Encrypted { -app } backup
export-tessera-note = Every account with its name, locked with a passphrase.
export-otpauth = otpauth:// list, in clear
export-otpauth-note = One link a line, for Aegis, Ente, FreeOTP+ or { -app }.
export-html = Recovery sheet to print, in clear
export-html-note = Name, QR code and key of each account.
export-aegis = Encrypted Aegis vault
export-aegis-note = For Aegis, 2FAS, Ente Auth, Proton Authenticator or Stratum, locked with a passphrase.
export-aegis-plain = Aegis vault, in clear
export-aegis-plain-note = For apps that read Aegis files but not its encryption.
export-warning = This file will hold the secret keys in clear: anyone who reads it can make your codes. Keep it offline, and delete it when you are done.
export-submit = Export…
export-submit-clear = Export in clear…
exported = Exported { n-accounts } to { $path }
exported-missing = Exported { n-accounts } to { $path } ({ $missing } left out: key missing)
strength-short = Too short: use at least { $count } characters.
strength-weak = Weak: a few random words are stronger and easier to remember.
strength-fair = Fair: longer is better.
strength-strong = Strong.
passphrases-differ = The two passphrases differ.
import-title = Import backup
import-encrypted = { $file } is an encrypted { $format }. Enter its passphrase.
format-tessera = { -app } backup
format-otpauth = otpauth:// list
format-aegis = Aegis backup
format-two_fas = 2FAS backup
format-and_otp = andOTP backup
format-bitwarden_json = Bitwarden JSON export
format-bitwarden_csv = Bitwarden CSV export
format-free_otp_plus = FreeOTP+ backup
format-proton = Proton Authenticator export
format-stratum = Stratum (Authenticator Pro) backup
import-submit = Open

## Tags, the trash and confirmations

bulk-tag-title = Tag { n-accounts }
bulk-untag-title = Untag { n-accounts }
remove = Remove
tagged = Tagged { n-accounts }
untagged = Untagged { n-accounts }
trash-title = Recently deleted
trash-note = Deleted accounts are kept here with their keys for 30 days, then deleted for good.
trash-nothing = Nothing was deleted in the last 30 days.
trash-list =
    .aria-label = Deleted accounts
trash-empty = Empty trash…
trash-restore = Restore
    .aria-label = Restore { $name }
trash-forever = Delete forever
    .aria-label = Delete { $name } forever
trash-when = Deleted { $deleted } · deleted for good on { $purged }
forever-title = Delete "{ $name }" forever?
forever-text = "{ $name }" and its secret key will be deleted from this computer now. Without a backup, its codes cannot be made again.
empty-trash-title = Empty the trash?
empty-trash-text = { n-accounts } and their secret keys will be deleted from this computer now. Without a backup, their codes cannot be made again.

## The error the window shows for each of the shell's error codes

error-no_keychain = No keychain could be reached: is a Secret Service (GNOME Keyring, KeePassXC, KWallet) running?
error-keychain_locked = The keychain is locked, or its access was refused: unlock it, then try again.
error-keychain_failed = The keychain failed to answer.
error-secret_missing = This account's secret key is missing from the keychain.
error-not_found = This account no longer exists.
error-name_taken = Another account already has this name.
error-invalid_name = This name can't be used: it is empty, too long, or has a control character.
error-invalid_meta = A tag or the note can't be used: too long, a character it can't have, or too many tags.
error-invalid_uri = This is not a usable otpauth:// link.
error-invalid_secret = This is not a usable secret key: base32 keys use the letters A–Z and the digits 2–7.
error-invalid_params = These code settings can't be used (digits or period).
error-vault_unreadable = The list of accounts is damaged, or from a newer { -app }.
error-io = A file could not be read or written.
error-scan_failed = The screen or the clipboard could not be read.
error-wrong_passphrase = Wrong passphrase, or the file was changed.
error-needs_passphrase = This backup is encrypted: enter its passphrase.
error-auto_backup_failed = Automatic backups could not be turned on: check the folder.
error-sync_failed = Sync could not start, join or merge: check the folder and the pairing secret.
error-weak_passphrase = This passphrase is too short.
error-backup_unreadable = This is not a backup { -app } reads, or it is damaged.
error-shortcut_unavailable = This shortcut can't be had: another program has it, or it is not a valid combination.
error-typing_unavailable = The code could not be typed into the other window.
error-resync_failed = These codes are not this account's, or none of its codes are near.
error-locked = { -app } is locked.
error-lock_wait = Too many wrong tries: wait a moment, then try again.
error-internal = Something went wrong inside { -app }.

## The tray's menu (the desktop app and `tessera tray`)

tray-show = Show { -app }
tray-scan = Scan screen
tray-copy = Copy code: { $name }
tray-lock = Lock { -app }
tray-settings = Settings
tray-quit = Quit { -app }

## The desktop's search (GNOME Shell, KRunner)

search-hotp = Counter-based: choose it to take a code
search-type = Type the code

## The shell's file dialogs

dialog-save-backup = Save backup
dialog-import-backup = Import backup
dialog-sync-folder = Folder to sync through
dialog-backup-folder = Folder for automatic backups
dialog-icon = Choose an icon
dialog-images = Open images of QR codes
filter-images = Images
filter-tessera = { -app } backup
filter-text = Text
filter-web-page = Web page
filter-aegis = Aegis vault
