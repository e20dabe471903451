// Sync: its part of Settings (start a set in a folder, or join one with its pairing secret; copy
// the pairing secret, sync now, turn off) and the banner the window shows while the last merge
// failed. The shell merges after every change and when the folder changes; this only shows how
// it is doing. The pairing secret goes from the keychain to the clipboard in the shell: it never
// enters this page, except as the user pastes it to join.

import { call, asProblem, commands } from "./api";
import type { SyncView } from "./bindings";
import { byId, forgetOnClose, toast } from "./dom";
import { openSettings } from "./settings";

const state = byId("sync-state");
const form = byId("sync-form");
const actions = byId("sync-actions");
const folder = byId<HTMLInputElement>("sync-folder");
const device = byId<HTMLInputElement>("sync-device");
const secret = byId<HTMLInputElement>("sync-secret");
const problem = byId("sync-error");
const banner = byId("sync-banner");
const bannerText = byId("sync-banner-text");
const OFF_TEXT = state.textContent ?? "";

function show(view: SyncView | null): void {
  form.hidden = view !== null;
  actions.hidden = view === null;
  banner.hidden = !view?.failure;
  bannerText.textContent = view?.failure ? `Sync failed: ${view.failure}` : "";
  if (!view) {
    state.textContent = OFF_TEXT;
    return;
  }
  const others = view.devices.map((d) => (d.last_seen_ms != null ? `${d.name} (${new Date(d.last_seen_ms).toLocaleString()})` : d.name));
  let text = `On: this computer, "${view.device_name}", syncs through ${view.folder}`;
  text += others.length ? ` with ${others.join(", ")}.` : `; no other computer has joined yet.`;
  if (view.last_sync_ms != null) text += ` Last synced ${new Date(view.last_sync_ms).toLocaleString()}.`;
  if (view.failure) text += ` The last sync failed: ${view.failure}`;
  if (view.notice) text += ` ${view.notice}`;
  state.textContent = text;
}

/** Asks the shell how sync is doing (at start, after every change). */
export async function refreshSync(): Promise<void> {
  try {
    show(await call(commands.syncStatus()));
  } catch {
    // The banner stays as it was.
  }
}

async function start(join: boolean, reload: () => void): Promise<void> {
  problem.textContent = "";
  if (folder.value.trim() === "") {
    problem.textContent = "Choose a folder.";
    return;
  }
  if (join && secret.value.trim() === "") {
    problem.textContent = "Paste the pairing secret of the set to join.";
    return;
  }
  const button = byId<HTMLButtonElement>(join ? "sync-join" : "sync-setup");
  button.disabled = true;
  try {
    const view = join
      ? await call(commands.syncJoin(folder.value.trim(), secret.value, device.value))
      : await call(commands.syncSetup(folder.value.trim(), device.value));
    secret.value = "";
    show(view);
    reload();
    toast(join ? "Joined: the accounts of the set are here." : "Sync on: copy the pairing secret to join from your other computers.");
  } catch (e) {
    problem.textContent = asProblem(e).message;
  } finally {
    button.disabled = false;
  }
}

export function setupSync(reload: () => void): void {
  // A pasted secret leaves the page with Settings, joined or not.
  forgetOnClose(byId<HTMLDialogElement>("settings-dialog"), [secret]);
  byId("sync-setup").addEventListener("click", () => void start(false, reload));
  byId("sync-join").addEventListener("click", () => void start(true, reload));
  secret.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      void start(true, reload);
    }
  });
  byId("sync-choose").addEventListener("click", () => {
    void call(commands.chooseSyncFolder())
      .then((picked) => {
        if (picked) folder.value = picked;
      })
      .catch((e) => toast(asProblem(e).message));
  });
  byId("sync-copy").addEventListener("click", () => {
    void call(commands.copyPairingSecret())
      .then((seconds) => toast(`Pairing secret copied; the clipboard is cleared in ${seconds} s. Keep it as you would a password.`))
      .catch((e) => toast(asProblem(e).message));
  });
  byId("sync-now").addEventListener("click", () => {
    void call(commands.syncNow())
      .then((view) => {
        show(view);
        reload();
      })
      .catch((e) => toast(asProblem(e).message));
  });
  byId("sync-off").addEventListener("click", () => {
    void call(commands.syncOff())
      .then(() => {
        toast("Sync off: every account stays on this computer.");
        return refreshSync();
      })
      .catch((e) => toast(asProblem(e).message));
  });
  byId("sync-banner-settings").addEventListener("click", openSettings);
  void refreshSync();
}
