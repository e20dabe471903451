// Tessera's window: wires the list, the dialogs and the shell's events together.

import { events, type Opening_Serialize as Opening } from "./bindings";
import { openAdd, setupAdd } from "./add";
import { refreshAutoBackup, setupAutoBackup } from "./autobackup";
import { setupBackup } from "./backup";
import { setupClock } from "./clock";
import { confirmDelete, openDetails, setupDetails } from "./details";
import { byId, returnFocusFromDialogs } from "./dom";
import { localize, localizeOutsideDialogs, prepare, useLanguage } from "./l10n";
import { showLockScreen, watchUse } from "./lock";
import { call, commands } from "./api";
import { labelRows, refreshCodes, reload, render, setupList, showKeychainWait, summoned, warmRows } from "./list";
import { scanClipboard, scanScreen, setupScan, showScan } from "./scan";
import { confirmDeleteMany, setupSelection } from "./selection";
import { openSettings, setupSettings } from "./settings";
import { refreshSync, setupSync } from "./sync";
import { setupTrash } from "./trash";

let reloadTimer = 0;
function reloadSoon(): void {
  // One reload for the several file events a single write makes.
  window.clearTimeout(reloadTimer);
  reloadTimer = window.setTimeout(() => {
    void reload();
    void refreshAutoBackup();
    void refreshSync();
  }, 80);
}

function add(): void {
  openAdd(() => void reload());
}

/** The window with the accounts, once the shell said Tessera is not locked: the first screen
 * from the shell's first answer, then everything else after it is painted. */
function boot(opening: Opening | null): void {
  setupList({ openDetails, confirmDelete, confirmDeleteMany }, add);
  setupSettings(() => void reload(), opening?.settings ?? null);
  setupClock(refreshCodes, opening?.settings ?? null);
  if (opening) render(opening.accounts, opening.codes);
  else void reload();
  byId<HTMLInputElement>("search").focus();
  quietCaret();
  watchUse();
  // What the first code does not need waits until the frames after the one that shows it.
  requestAnimationFrame(() => requestAnimationFrame(() =>
    window.setTimeout(() => {
      afterFirstScreen();
      // The accounts below the first screen.
      if (opening && !opening.complete) void reload();
      // Made anew for the tray's Scan or Settings, or for the shortcut.
      if (opening?.then === "scan") void scanScreen();
      else if (opening?.then === "settings") openSettings();
      else if (opening?.then === "summoned") summoned();
    }, 0),
  ));
}

function afterFirstScreen(): void {
  labelRows();
  for (const dialog of document.querySelectorAll("dialog")) localize(dialog);
  setupAdd();
  setupScan(() => void reload());
  setupBackup();
  setupAutoBackup();
  setupSync(() => void reload());
  setupDetails(() => void reload());
  setupSelection();
  setupTrash(() => void reload());
  byId("add-button").addEventListener("click", add);
  byId("scan-button").addEventListener("click", () => void scanScreen());
  void events.vaultChanged.listen(reloadSoon);
  void events.scanFinished.listen((event) => showScan(event.payload));
  void events.keychainWaiting.listen((event) => showKeychainWait(event.payload));
  // The tray's menu: the window is already shown.
  void events.trayAction.listen(({ payload }) => {
    if (payload === "scan") void scanScreen();
    else openSettings();
  });
  // The global shortcut (or a second launch): a fresh search, ready for typing.
  void events.summoned.listen(() => summoned());
  document.addEventListener("keydown", (e) => {
    if (document.querySelector("dialog[open]")) return;
    const search = byId<HTMLInputElement>("search");
    const list = byId("list");
    const free = [document.body, search, list].includes(document.activeElement as HTMLElement);
    if (!free || !(e.ctrlKey || e.metaKey)) return;
    if (e.shiftKey && e.key.toLowerCase() === "s") {
      e.preventDefault();
      void scanScreen();
    } else if (!e.shiftKey && e.key.toLowerCase() === "v") {
      // Outside the search field, Ctrl+V scans the clipboard's image (or otpauth link). In the
      // search field text is pasted as usual, and an image or link there opens the scan too (the
      // pasted link is taken out of the field again).
      if (document.activeElement !== search) e.preventDefault();
      const before = search.value;
      void scanClipboard(document.activeElement === search).then((scanned) => {
        if (scanned) {
          search.value = before;
          search.dispatchEvent(new Event("input"));
        }
      });
    }
  });
}

/** GTK stops a caret blinking after 10 s without input (gtk-cursor-blink-timeout); WebKit does
 * not, and every blink repaints: idle, the search field's caret was most of the open window's
 * CPU (a read-only field still blinks). After 10 s without a key or a click the focus goes from
 * the search field to the list, which has no caret; typing anywhere searches, so the next key
 * still lands in the field. */
function quietCaret(): void {
  const search = byId<HTMLInputElement>("search");
  const list = byId("list");
  let timer = 0;
  const wake = (): void => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      if (document.activeElement === search && !document.querySelector("dialog[open]")) list.focus({ preventScroll: true });
    }, 10_000);
  };
  for (const type of ["keydown", "pointerdown", "focusin"]) document.addEventListener(type, wake, { capture: true });
  wake();
}

/** Rows the first screen holds: their codes come with the accounts. The screenful below comes
 * with the others once the first code is painted: each key read before it is a keychain search
 * (9 ms at 10,000 items in gnome-keyring). */
const FIRST_ROWS = Math.ceil(window.innerHeight / 50);

// The language first, asked beside the window's first call: the page is shown once its words
// are in it. Then the lock: while locked, the page shows the lock screen and loads no account. A
// lock or an unlock reloads the page. While the shell answers, the page reads the catalogue it
// will most likely be told to use and lays out a row, so neither waits until after the answer.
void events.lockChanged.listen(() => location.reload());
returnFocusFromDialogs();
// Which system's font names the styles use (styles.css), before the first layout.
if (navigator.platform.startsWith("Mac")) document.documentElement.classList.add("mac");
else if (navigator.platform.startsWith("Win")) document.documentElement.classList.add("windows");
const opened = call(commands.openWindow(FIRST_ROWS)).catch(() => null);
const languages = call(commands.languages()).catch(() => null);
prepare(navigator.language);
warmRows();
void languages
  .then((languages) => {
    useLanguage(languages?.chosen ?? navigator.language, languages?.system ?? navigator.language);
    localizeOutsideDialogs();
    document.documentElement.classList.remove("l10n-pending");
    return opened;
  })
  .then((opening) => {
    if (opening?.lock.locked) {
      localize();
      showLockScreen(opening.lock);
    } else boot(opening);
  });
