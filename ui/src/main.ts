// Tessera's window: wires the list, the dialogs and the shell's events together.

import { events } from "./bindings";
import { openAdd, setupAdd } from "./add";
import { refreshAutoBackup, setupAutoBackup } from "./autobackup";
import { setupBackup } from "./backup";
import { setupClock } from "./clock";
import { confirmDelete, openDetails, setupDetails } from "./details";
import { byId } from "./dom";
import { showLockScreen, watchUse } from "./lock";
import { commands } from "./api";
import { refreshCodes, reload, setupList, showKeychainWait, summoned } from "./list";
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

/** The window with the accounts: only once the shell says Tessera is not locked. */
function boot(): void {
  // The accounts first: their codes are what the window is opened for, and every call below
  // waits in the same queue.
  setupList({ openDetails, confirmDelete, confirmDeleteMany }, add);
  void reload();
  setupAdd();
  setupScan(() => void reload());
  setupBackup();
  setupAutoBackup();
  setupSync(() => void reload());
  setupClock(refreshCodes);
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
  setupSettings(() => void reload());
  byId<HTMLInputElement>("search").focus();
}

// The lock first: while locked, the page shows the lock screen and loads no account. A lock or
// an unlock reloads the page.
void events.lockChanged.listen(() => location.reload());
void commands
  .lockStatus()
  .catch(() => null)
  .then((status) => {
    if (status?.locked) showLockScreen(status);
    else {
      boot();
      watchUse();
    }
  });
