# Tessera auf Deutsch. Die Quelle ist en.ftl: jede Nachricht dort steht auch hier, mit denselben
# Attributen und Variablen.

-app = Tessera
-key-ctrl = Strg
-key-shift = Umschalt
-key-alt = Alt
-key-esc = Esc
-key-enter = Eingabe
-key-tab = Tab

## Der Sperrbildschirm

lock-title = { -app } ist gesperrt
unlock-passphrase = Passphrase
unlock-pin = PIN
unlock-submit = Entsperren
unlock-system = Mit der Systemanmeldung entsperren
unlock-wait = Das war es nicht. Erneut versuchen in { $seconds } s.

## Werkzeugleiste, Hinweise und Liste

search =
    .placeholder = Konten suchen
    .aria-label = Konten suchen
scan-button =
    .aria-label = QR-Code auf dem Bildschirm scannen
    .title = Den QR-Code auf dem Bildschirm scannen ({ -key-ctrl }+{ -key-shift }+S)
add-button =
    .aria-label = Konto hinzufügen
    .title = Konto hinzufügen ({ -key-ctrl }+N)
settings-button =
    .aria-label = Einstellungen
    .title = Einstellungen
tags-nav =
    .aria-label = Nur die Konten mit diesen Schlagwörtern zeigen
keychain-waiting = { -app } wartet auf { $keychain }: Falls ein Dialog erscheint, antworten Sie darin ({ -app } gibt nach { $seconds } s auf)
the-keychain = den Schlüsselbund
banner-retry = Erneut versuchen
banner-settings = Einstellungen
clock-use = Korrigierte Zeit verwenden
clock-dismiss = Ausblenden
clock-behind = Die Uhr dieses Computers geht { $amount } nach: Codes werden eventuell abgelehnt
clock-ahead = Die Uhr dieses Computers geht { $amount } vor: Codes werden eventuell abgelehnt
clock-corrected-behind = Die korrigierte Zeit von { -app } geht { $amount } nach: Codes werden eventuell abgelehnt
clock-corrected-ahead = Die korrigierte Zeit von { -app } geht { $amount } vor: Codes werden eventuell abgelehnt
duration-hours = { $m ->
        [0] { $h } h
       *[other] { $h } h { $m } min
    }
duration-minutes = { $s ->
        [0] { $m } min
       *[other] { $m } min { $s } s
    }
duration-seconds = { $s } s
empty-title = Noch keine Konten
# Markup: nur <kbd> und <code>, keine Variable.
empty-text = Fügen Sie das erste mit <kbd>+</kbd> oder <kbd>{ -key-ctrl }</kbd>+<kbd>N</kbd> hinzu: Scannen Sie den QR-Code auf dem Bildschirm (die Scan-Schaltfläche oder <kbd>{ -key-ctrl }</kbd>+<kbd>{ -key-shift }</kbd>+<kbd>S</kbd>), fügen Sie ein Bildschirmfoto davon ein (<kbd>{ -key-ctrl }</kbd>+<kbd>V</kbd>), ziehen Sie ein Bild hierher, fügen Sie den <code>otpauth://</code>-Link ein oder tippen Sie den geheimen Schlüssel ab, den die Website unter „Code kann nicht gescannt werden?“ zeigt.
empty-import = Sicherung importieren…
no-match = Kein Konto passt zu Ihrer Suche und den Schlagwörtern.
list =
    .aria-label = Konten
selection-bar =
    .aria-label = Ausgewählte Konten
selection-count = { $count } ausgewählt
selection-tag = Verschlagworten…
selection-untag = Schlagwort entfernen…
selection-export = Exportieren…
selection-delete = Löschen…
selection-all = Alle
    .title = Alle angezeigten Konten auswählen ({ -key-ctrl }+A)
selection-clear =
    .aria-label = Auswahl aufheben
    .title = Auswahl aufheben ({ -key-esc })
group-no-issuer = Ohne Anbieter
row-label = { $name }, { $sub }: Code { $code }, noch { $seconds ->
        [one] { $seconds } Sekunde
       *[other] { $seconds } Sekunden
    }
row-label-code = { $name }, { $sub }: Code { $code }
row-label-counter = { $name }, { $sub }: zählerbasiert, Eingabe zeigt einen Code
row-label-loading = { $name }, { $sub }: Code wird geladen
row-label-problem = { $name }, { $sub }: { $problem }
row-details =
    .aria-label = { $pinned ->
        [yes] Details zu { $name } (angeheftet)
       *[no] Details zu { $name }
    }
row-copy =
    .aria-label = Code { $code } von { $name } kopieren
row-next =
    .aria-label = Nächster Code { $code }
row-loading =
    .aria-label = { $name }: wird geladen
row-show-code = Code zeigen
    .aria-label = Einen Code für { $name } zeigen
row-key-missing = Schlüssel fehlt
row-unavailable = Nicht verfügbar
row-problem =
    .aria-label = { $name }: { $problem }
row-rename =
    .aria-label = Neuer Name für { $name }
copied = { $code } kopiert
copied-cleared = { $code } kopiert · wird in { $seconds } s gelöscht
type-needs-shortcut = Einen Code eintippen geht im Fenster, das das Tastenkürzel öffnet: Drücken Sie das Tastenkürzel in dem Fenster, in das getippt werden soll
reorder-sorted = Nach der Reihenfolge der Einstellungen sortiert: Wählen Sie „Eigene Reihenfolge“ (⚙), um umzuordnen
reorder-grouped = Nach Anbieter gruppiert: Schalten Sie die Gruppierung aus (⚙), um umzuordnen
n-accounts = { $count ->
    [one] { $count } Konto
   *[other] { $count } Konten
}
n-keys = { $keys ->
    [one] { $keys } Schlüssel
   *[other] { $keys } Schlüssel
}

## Der Dialog „Konto hinzufügen“

add-title = Konto hinzufügen
add-scan-screen = Bildschirm scannen
add-open-image = Bild öffnen…
add-paste-image = Bild einfügen
add-or = Oder ziehen Sie Bilder von QR-Codes auf das Fenster. Oder geben Sie das Konto ein:
tab-key = Geheimer Schlüssel
tab-uri = otpauth://-Link
add-secret-label = Geheimer Schlüssel
add-issuer-label = Anbieter
add-issuer =
    .placeholder = Amazon Web Services
add-label-label = Konto
add-advanced = Erweitert
add-type-label = Art
type-totp = Zeitbasiert (TOTP)
type-hotp = Zählerbasiert (HOTP)
type-steam = Steam Guard
kind-totp = TOTP
kind-hotp = HOTP
kind-steam = Steam Guard
add-algorithm-label = Algorithmus
add-digits-label = Stellen
add-period-label = Zeitraum (Sekunden)
add-counter-label = Zähler
add-uri-label = otpauth://-Link
add-name-label = Name
add-ok = ✓ { $kind }, { $algorithm }, { $digits } Stellen, { $period ->
        [0] zählerbasiert
       *[other] alle { $period } s
    }; { $bits }-Bit-Schlüssel
added = { $name } hinzugefügt
cancel = Abbrechen
add = Hinzufügen
done = Fertig

## Was ein Scan gefunden hat

scan-title-none = Kein QR-Code gefunden
scan-title-found = { n-accounts } gefunden
scan-title-import = Import aus { $file }: { n-accounts }
scan-found =
    .aria-label = Gefundene Konten
scan-hint = Falls dort ein QR-Code ist, vergrößern Sie ihn, oder speichern Sie ihn als Bild und nutzen Sie „Bild öffnen“.
scan-keep =
    .aria-label = Dieses Konto hinzufügen
scan-name =
    .aria-label = Name
scan-facts = { $who } — { $kind }, { $algorithm }, { $digits } Stellen, { $period ->
        [0] zählerbasiert
       *[other] alle { $period } s
    }
scan-no-who = Ohne Anbieter oder Konto
scan-choice =
    .aria-label = Was mit „{ $name }“ geschehen soll
scan-replace = Ersetzen
scan-add-new = Als neu hinzufügen
scan-replaces = Ersetzt den Schlüssel von „{ $name }“ (neu eingerichtet)
scan-duplicate-above = Dasselbe Konto wie „{ $name }“ oben
scan-duplicate = Schon in { -app } als „{ $name }“
scan-add = { n-accounts } hinzufügen
scan-replace-keys = { n-keys } ersetzen
scan-add-and-replace = { n-accounts } hinzufügen, { n-keys } ersetzen
scan-added = { n-accounts } hinzugefügt
scan-replaced = { n-keys } ersetzt
scan-added-and-replaced = { n-accounts } hinzugefügt, { n-keys } ersetzt
scan-replaced-one = Schlüssel von { $name } ersetzt
scan-progress = { $done } von { $total }
scan-problem-image = { $about }: Das ist kein Bild, das { -app } lesen kann, oder es ist zu groß.
scan-problem-unreadable = { $about }: Die Datei konnte nicht gelesen werden.
scan-problem-no_code = { $about }: Kein QR-Code gefunden. Falls einer da ist, vergrößern Sie ihn oder nehmen Sie ein schärferes Bild.
scan-problem-not_an_account = { $about }: Der QR-Code ist kein Authentifikator-Code (er beginnt nicht mit otpauth://).
scan-problem-link = { $about }: Der otpauth://-Link des QR-Codes ist nicht verwendbar.
scan-problem-transfer = { $about }: Dieser Übertragungscode des Google Authenticator ist nicht verwendbar.
scan-problem-skipped = { $about } wurde nicht importiert: nicht verwendbar.
scan-problem-missing = Einige QR-Codes eines Google-Authenticator-Exports fehlen: Scannen Sie jeden Code, den er zeigt.
scan-problem-vault = Nichts kann hinzugefügt werden: Ihre Konten ließen sich dafür nicht prüfen.
source-screen = Bildschirm
source-clipboard_image = Bild in der Zwischenablage
source-clipboard_text = Zwischenablage
scanning-screen = Bildschirm wird gescannt…
opening-images = Bilder werden geöffnet…

## Der Dialog mit den Details

details-name-label = Name
tags-label = Schlagwörter, durch Kommas getrennt
details-tags =
    .placeholder = staging, Testnutzer
details-note-label = Notiz
details-pinned = Angeheftet: wird zuerst gezeigt
details-icon-legend = Symbol
details-icon-auto = Automatisch
details-icon-letter = Buchstabe
details-icon-file = Bilddatei…
details-icon-search =
    .placeholder = Symbol suchen: aws, github…
    .aria-label = Symbol suchen
details-icon-results =
    .aria-label = Gefundene Symbole
fact-issuer = Anbieter
fact-account = Konto
fact-type = Art
fact-algorithm = Algorithmus
fact-digits = Stellen
fact-period = Zeitraum
fact-period-value = { $seconds } s
fact-counter = Nächster Zählerstand
resync-summary = Codes abgelehnt? Neu abgleichen
resync-help = Tippen Sie den Code ab, den ein anderes Gerät für dieses Konto zeigt (sein Token, ein Telefon), und zur Sicherheit den danach.
resync-code-label = Code
resync-next-label = Nächster Code
details-resync-next =
    .placeholder = optional
resync-go = Abgleichen
resync-counter = „{ $name }“ neu abgeglichen: Die angegebenen Codes haben den Zählerstand { $first }; der Zähler steht jetzt auf { $next } (vorher { $was })
resync-counter-on = „{ $name }“ neu abgeglichen: Die angegebenen Codes haben den Zählerstand { $first } und folgende; der Zähler steht jetzt auf { $next } (vorher { $was })
resync-agrees = „{ $name }“ gibt jetzt diese Codes: { -app } und das Gerät stimmen überein, nichts zu ändern (ein Dienst, der sie ablehnt, hat eine andere Zeit)
resync-this-clock = Das sind die Codes von „{ $name }“ für eine Zeit { $amount } { $later ->
        [yes] nach
       *[no] vor
    } der Zeit von { -app }, und { $server } hat diese Zeit: Die Uhr dieses Computers geht { $clock } { $behind ->
        [yes] nach
       *[no] vor
    }
resync-applied = { $said }. Die Codes von { -app } nutzen jetzt die korrigierte Zeit: { $seconds } s
resync-their-clock = Das sind die Codes von „{ $name }“ für eine Zeit { $amount } { $later ->
        [yes] nach
       *[no] vor
    } der Zeit von { $server }, die dieser Computer hat: Das Gerät, das sie zeigt, oder der Dienst hat eine andere Zeit. Die Codes von { -app } folgen der richtigen Zeit; nichts wurde geändert
resync-unchecked = Das sind die Codes von „{ $name }“ für eine Zeit { $amount } { $later ->
        [yes] nach
       *[no] vor
    } der Zeit von { -app }; wessen Uhr falsch geht, ist unbekannt, da der Zeitserver nicht erreichbar war ({ $why }). Nichts wurde geändert
resync-looking = Diese Codes werden gesucht…
resync-apply = Zeit von { -app } um { $seconds } s korrigieren
secret-warning = Wer diesen Schlüssel sieht, kann Ihre Codes erzeugen.
details-qr =
    .alt = QR-Code dieses Kontos, zum Scannen mit einem Telefon
details-delete = Löschen…
details-reveal = Schlüssel und QR-Code zeigen
delete-title = „{ $name }“ löschen?
delete-text = „{ $name }“ kommt in „Kürzlich gelöscht“ (in den Einstellungen) und wird dort mit seinem geheimen Schlüssel 30 Tage aufbewahrt.
delete = Löschen
delete-many-title = { n-accounts } löschen?
delete-many-text = { n-accounts } kommen in „Kürzlich gelöscht“ (in den Einstellungen) und werden dort mit ihren geheimen Schlüsseln 30 Tage aufbewahrt: { $names }.
delete-many-names = { $more ->
        [0] { $names }
       *[other] { $names } und { $more } weitere
    }
delete-many = { n-accounts } löschen
deleted = { $name } gelöscht
deleted-many = { n-accounts } gelöscht
undo = Rückgängig
deleted-forever = { n-accounts } endgültig gelöscht
quoted = „{ $name }“
restored-one = Konto wiederhergestellt
restored = { n-accounts } wiederhergestellt

## Einstellungen

settings-title = Einstellungen
settings-clipboard-label = Einen kopierten Code aus der Zwischenablage löschen nach
seconds-option = { $seconds ->
        [one] { $seconds } Sekunde
       *[other] { $seconds } Sekunden
    }
minutes-option = { $minutes ->
        [one] { $minutes } Minute
       *[other] { $minutes } Minuten
    }
never = Nie
settings-clipboard-note = Nur wenn die Zwischenablage noch diesen Code enthält.
settings-window = Fenster
settings-sort-label = Konten sortieren nach
sort-manual = Eigene Reihenfolge (ziehen, oder { -key-alt }+↑/↓)
sort-name = Name
sort-issuer = Anbieter
sort-most-used = Am häufigsten verwendet
sort-last-used = Zuletzt verwendet
settings-sort-note = Angeheftete Konten stehen in jeder Reihenfolge vorn.
settings-group = Nach Anbieter gruppieren
settings-hide-codes = Codes verbergen
settings-hide-codes-note = Zum Teilen des Bildschirms: Codes erscheinen als Punkte, bis ihre Zeile berührt oder ausgewählt wird. Kopieren geht weiterhin.
settings-close-to-tray = In den Infobereich schließen (Beenden über dessen Menü)
settings-start-minimised = Minimiert im Infobereich starten
settings-start-at-login = Bei der Anmeldung starten
settings-release-label = Im Infobereich versteckt: den Speicher des Fensters freigeben
release-after = { $minutes ->
        [60] nach 1 Stunde
        [one] nach { $minutes } Minute
       *[other] nach { $minutes } Minuten
    }
release-never = nie
settings-language-label = Sprache
language-system = Die des Systems ({ $language })
language-en = English
language-de = Deutsch
settings-shortcut-heading = Tastenkürzel
settings-shortcut-label = { -app } von überall aufrufen mit
settings-shortcut =
    .placeholder = Keines
settings-hide-after-copy = Nach dem Kopieren eines Codes wieder verbergen
settings-enter-types = { -key-enter } tippt den Code ein
settings-enter-types-note = Im Fenster, das das Tastenkürzel öffnet, tippt { -key-enter } den Code in das Fenster, in dem Sie waren, und { -key-shift }+{ -key-enter } kopiert ihn (aus: umgekehrt). { -key-ctrl }+{ -key-shift }+{ -key-enter } tippt den Code, { -key-tab } und den nächsten Code ein, für Formulare, die zwei verlangen.
settings-clock = Uhr
settings-check-clock = Die Uhr dieses Computers prüfen
settings-check-clock-note = Beim Start und alle 6 Stunden fragt { -app } { $server } nach der Zeit (sein einziger Netzwerkverkehr) und warnt, wenn Codes abgelehnt werden könnten.
settings-lock = Sperre
lock-method-label = { -app } entsperren mit
lock-off = Keine Sperre
lock-passphrase = Einer Passphrase
lock-pin = Einer PIN (6 Ziffern oder mehr)
lock-system = Ihrer Systemanmeldung (Polkit, Windows Hello)
lock-new-passphrase = Neue Passphrase
lock-new-pin = Neue PIN
lock-again-label = Wiederholen
lock-set = Sperre setzen
lock-idle-label = Sperren nach
idle-option = { $minutes ->
        [60] 1 Stunde ohne Nutzung
        [one] { $minutes } Minute ohne Nutzung
       *[other] { $minutes } Minuten ohne Nutzung
    }
lock-on-screen-lock = Sperren, wenn der Bildschirm gesperrt wird
lock-on-hide = Sperren, wenn das Fenster in den Infobereich geht
lock-note = { -key-ctrl }+L sperrt sofort, ebenso „Sperren“ im Menü des Infobereichs. Die Sperre hält jemanden an Ihrem entsperrten Computer aus dem Fenster und dem Menü von { -app } heraus; Programme, die unter Ihrem Konto laufen, können den Schlüsselbund weiterhin lesen.
lock-differ = Die beiden stimmen nicht überein.
lock-none-set = Keine Sperre
lock-now-set = Sperre gesetzt: { -key-ctrl }+L sperrt jetzt
settings-backups = Sicherungen
export-button = Sicherung exportieren…
import-button = Sicherung importieren…
import-note = Der Import liest Sicherungen von { -app } und die von Aegis, 2FAS, andOTP, Bitwarden, Ente, FreeOTP+, Proton Authenticator, Stratum sowie otpauth://-Listen.
trash-button = Kürzlich gelöscht…

## Automatische Sicherungen

settings-auto-backups = Automatische Sicherungen
auto-backup-off-state = Aus: Nach jeder Änderung kann { -app } eine verschlüsselte Sicherung in einen Ordner schreiben (eine andere Festplatte, ein synchronisierter Ordner).
auto-backup-on-state = An: Nach jeder Änderung geht eine verschlüsselte Sicherung nach { $folder } (die { $keep } neuesten werden behalten).
auto-backup-last = Zuletzt: { $when }, { n-accounts }.
auto-backup-last-failed = Die letzte Sicherung ist fehlgeschlagen: { $why }
auto-backup-failed = Die automatische Sicherung ist fehlgeschlagen: { $why }
folder-label = Ordner
folder-path =
    .placeholder = Ein vollständiger Pfad
choose = Auswählen…
auto-backup-keep-label = Die neuesten behalten:
passphrase-label = Passphrase
passphrase-again-label = Passphrase wiederholen
auto-backup-note = Wird einmal abgefragt: { -app } bewahrt einen daraus abgeleiteten Schlüssel im Schlüsselbund auf, nie die Passphrase. Zum Wiederherstellen brauchen Sie sie.
auto-backup-on = Einschalten
auto-backup-off = Automatische Sicherungen ausschalten
choose-folder = Wählen Sie einen Ordner.
same-passphrase-twice = Geben Sie zweimal dieselbe Passphrase ein.
auto-backup-turned-on = Automatische Sicherungen an: Die erste Sicherung ist geschrieben.
auto-backup-turned-off = Automatische Sicherungen aus; die geschriebenen Sicherungen bleiben in ihrem Ordner.

## Synchronisation

settings-sync = Synchronisation
sync-off-state = Aus: Ihre Konten können Ihnen über einen Ordner, den Sie schon synchronisieren (Syncthing, Nextcloud, ein USB-Stick), Ende-zu-Ende-verschlüsselt auf Ihre anderen Computer folgen.
sync-on-state = An: Dieser Computer, „{ $device }“, synchronisiert über { $folder }
sync-with = mit { $devices }.
sync-alone = ; noch ist kein anderer Computer beigetreten.
sync-device-seen = { $name } ({ $when })
sync-last = Zuletzt synchronisiert: { $when }.
sync-last-failed = Die letzte Synchronisation ist fehlgeschlagen: { $why }
sync-notice-forgotten = „{ $name }“ wurde vergessen: Dieser Computer hat eine neue Synchronisationsgruppe begonnen; die anderen Computer treten ihr mit dem neuen Kopplungsgeheimnis wieder bei.
sync-notice-copied = Ein anderer Computer hat die Synchronisationsdatei dieses Computers geschrieben (eine Kopie dieses Home-Ordners?): Dieser Computer ist jetzt ein eigenes Gerät ({ $name }).
sync-failed = Synchronisation fehlgeschlagen: { $why }
sync-device-label = Name dieses Computers
sync-device =
    .placeholder = Sein Rechnername
sync-setup = Hier eine Synchronisationsgruppe beginnen
sync-secret-label = Oder einer Gruppe beitreten: ihr Kopplungsgeheimnis
sync-secret-note = Kopieren Sie es auf einem Computer der Gruppe (Einstellungen → Synchronisation → Kopplungsgeheimnis kopieren, oder <code>tessera sync setup</code>).
sync-join = Beitreten
sync-copy = Kopplungsgeheimnis kopieren
sync-now = Jetzt synchronisieren
sync-off = Synchronisation ausschalten
sync-need-secret = Fügen Sie das Kopplungsgeheimnis der Gruppe ein, der Sie beitreten wollen.
sync-joined = Beigetreten: Die Konten der Gruppe sind hier.
sync-started = Synchronisation an: Kopieren Sie das Kopplungsgeheimnis, um von Ihren anderen Computern beizutreten.
sync-secret-copied = Kopplungsgeheimnis kopiert; die Zwischenablage wird in { $seconds } s geleert. Behandeln Sie es wie ein Passwort.
sync-turned-off = Synchronisation aus: Jedes Konto bleibt auf diesem Computer.

## Export und Import

export-title = Sicherung exportieren
export-title-selected = { $count ->
        [one] { $count } ausgewähltes Konto
       *[other] { $count } ausgewählte Konten
    } exportieren
export-what = Was geschrieben wird
export-tessera = Verschlüsselte { -app }-Sicherung
export-tessera-note = Jedes Konto mit seinem Namen, mit einer Passphrase verschlossen.
export-otpauth = otpauth://-Liste, unverschlüsselt
export-otpauth-note = Ein Link pro Zeile, für Aegis, Ente, FreeOTP+ oder { -app }.
export-html = Wiederherstellungsblatt zum Drucken, unverschlüsselt
export-html-note = Name, QR-Code und Schlüssel jedes Kontos.
export-aegis = Verschlüsselter Aegis-Tresor
export-aegis-note = Für Aegis, 2FAS, Ente Auth, Proton Authenticator oder Stratum, mit einer Passphrase verschlossen.
export-aegis-plain = Aegis-Tresor, unverschlüsselt
export-aegis-plain-note = Für Apps, die Aegis-Dateien lesen, aber nicht deren Verschlüsselung.
export-warning = Diese Datei enthält die geheimen Schlüssel unverschlüsselt: Wer sie liest, kann Ihre Codes erzeugen. Bewahren Sie sie offline auf und löschen Sie sie, wenn Sie fertig sind.
export-submit = Exportieren…
export-submit-clear = Unverschlüsselt exportieren…
exported = { n-accounts } nach { $path } exportiert
exported-missing = { n-accounts } nach { $path } exportiert ({ $missing } ausgelassen: Schlüssel fehlt)
strength-short = Zu kurz: Verwenden Sie mindestens { $count } Zeichen.
strength-weak = Schwach: Ein paar zufällige Wörter sind stärker und leichter zu merken.
strength-fair = Ordentlich: Länger ist besser.
strength-strong = Stark.
passphrases-differ = Die beiden Passphrasen unterscheiden sich.
import-title = Sicherung importieren
import-encrypted = { $file } ist verschlüsselt ({ $format }). Geben Sie die Passphrase ein.
format-tessera = { -app }-Sicherung
format-otpauth = otpauth://-Liste
format-aegis = Aegis-Sicherung
format-two_fas = 2FAS-Sicherung
format-and_otp = andOTP-Sicherung
format-bitwarden_json = Bitwarden-JSON-Export
format-bitwarden_csv = Bitwarden-CSV-Export
format-free_otp_plus = FreeOTP+-Sicherung
format-proton = Proton-Authenticator-Export
format-stratum = Stratum-Sicherung (Authenticator Pro)
import-submit = Öffnen

## Schlagwörter, Papierkorb und Rückfragen

bulk-tag-title = { n-accounts } verschlagworten
bulk-untag-title = Schlagwörter von { n-accounts } entfernen
remove = Entfernen
tagged = { n-accounts } verschlagwortet
untagged = Schlagwörter von { n-accounts } entfernt
trash-title = Kürzlich gelöscht
trash-note = Gelöschte Konten werden hier mit ihren Schlüsseln 30 Tage aufbewahrt und dann endgültig gelöscht.
trash-nothing = In den letzten 30 Tagen wurde nichts gelöscht.
trash-list =
    .aria-label = Gelöschte Konten
trash-empty = Papierkorb leeren…
trash-restore = Wiederherstellen
    .aria-label = { $name } wiederherstellen
trash-forever = Endgültig löschen
    .aria-label = { $name } endgültig löschen
trash-when = Gelöscht am { $deleted } · endgültig gelöscht am { $purged }
forever-title = „{ $name }“ endgültig löschen?
forever-text = „{ $name }“ und sein geheimer Schlüssel werden jetzt von diesem Computer gelöscht. Ohne Sicherung lassen sich seine Codes nicht mehr erzeugen.
empty-trash-title = Papierkorb leeren?
empty-trash-text = { n-accounts } und ihre geheimen Schlüssel werden jetzt von diesem Computer gelöscht. Ohne Sicherung lassen sich ihre Codes nicht mehr erzeugen.

## Die Fehlermeldung des Fensters zu jedem Fehlercode der Shell

error-no_keychain = Kein Schlüsselbund erreichbar: Läuft ein Secret Service (GNOME Keyring, KeePassXC, KWallet)?
error-keychain_locked = Der Schlüsselbund ist gesperrt oder der Zugriff wurde verweigert: Entsperren Sie ihn und versuchen Sie es erneut.
error-keychain_failed = Der Schlüsselbund hat nicht geantwortet.
error-secret_missing = Der geheime Schlüssel dieses Kontos fehlt im Schlüsselbund.
error-not_found = Dieses Konto gibt es nicht mehr.
error-name_taken = Ein anderes Konto hat schon diesen Namen.
error-invalid_name = Dieser Name geht nicht: Er ist leer, zu lang oder enthält ein Steuerzeichen.
error-invalid_meta = Ein Schlagwort oder die Notiz geht nicht: zu lang, ein unzulässiges Zeichen oder zu viele Schlagwörter.
error-invalid_uri = Das ist kein verwendbarer otpauth://-Link.
error-invalid_secret = Das ist kein verwendbarer geheimer Schlüssel: Base32-Schlüssel bestehen aus den Buchstaben A–Z und den Ziffern 2–7.
error-invalid_params = Diese Code-Einstellungen gehen nicht (Stellen oder Zeitraum).
error-vault_unreadable = Die Kontenliste ist beschädigt oder stammt von einem neueren { -app }.
error-io = Eine Datei konnte nicht gelesen oder geschrieben werden.
error-scan_failed = Der Bildschirm oder die Zwischenablage konnte nicht gelesen werden.
error-wrong_passphrase = Falsche Passphrase, oder die Datei wurde verändert.
error-needs_passphrase = Diese Sicherung ist verschlüsselt: Geben Sie ihre Passphrase ein.
error-auto_backup_failed = Automatische Sicherungen ließen sich nicht einschalten: Prüfen Sie den Ordner.
error-sync_failed = Die Synchronisation konnte nicht starten, beitreten oder zusammenführen: Prüfen Sie den Ordner und das Kopplungsgeheimnis.
error-weak_passphrase = Diese Passphrase ist zu kurz.
error-backup_unreadable = Das ist keine Sicherung, die { -app } lesen kann, oder sie ist beschädigt.
error-shortcut_unavailable = Dieses Tastenkürzel ist nicht verfügbar: Ein anderes Programm belegt es, oder es ist keine gültige Kombination.
error-typing_unavailable = Der Code konnte nicht in das andere Fenster getippt werden.
error-resync_failed = Diese Codes gehören nicht zu diesem Konto, oder keiner seiner Codes liegt in der Nähe.
error-locked = { -app } ist gesperrt.
error-lock_wait = Zu viele Fehlversuche: Warten Sie einen Moment und versuchen Sie es dann erneut.
error-internal = In { -app } ist etwas schiefgegangen.

## Das Menü im Infobereich (die Desktop-App und `tessera tray`)

tray-show = { -app } anzeigen
tray-scan = Bildschirm scannen
tray-copy = Code kopieren: { $name }
tray-lock = { -app } sperren
tray-settings = Einstellungen
tray-quit = { -app } beenden

## Die Suche des Desktops (GNOME Shell, KRunner)

search-hotp = Zählerbasiert: Auswählen, um einen Code zu nehmen
search-type = Code eintippen

## Die Dateidialoge der Shell

dialog-save-backup = Sicherung speichern
dialog-import-backup = Sicherung importieren
dialog-sync-folder = Ordner für die Synchronisation
dialog-backup-folder = Ordner für automatische Sicherungen
dialog-icon = Symbol auswählen
dialog-images = Bilder von QR-Codes öffnen
filter-images = Bilder
filter-tessera = { -app }-Sicherung
filter-text = Text
filter-web-page = Webseite
filter-aegis = Aegis-Tresor
