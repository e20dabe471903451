// Sync: its part of Settings (start a set in a folder, or join one with its pairing secret; copy
// the pairing secret, sync now, turn off) and the banner the window shows while the last merge
// failed. The shell merges after every change and when the folder changes; this only shows how
// it is doing. The pairing secret goes from the keychain to the clipboard in the shell: it never
// enters this page, except as the user pastes it to join.

import { call, asProblem, commands } from "./api";
import type { SyncView } from "./bindings";
import { byId, forgetOnClose, toast } from "./dom";
import { openSettings } from "./settings";
import { dateTime, language, shellSaid, t } from "./l10n";

const state = byId("sync-state");
const form = byId("sync-form");
const actions = byId("sync-actions");
const folder = byId<HTMLInputElement>("sync-folder");
const device = byId<HTMLInputElement>("sync-device");
const secret = byId<HTMLInputElement>("sync-secret");
const problem = byId("sync-error");
const banner = byId("sync-banner");
const bannerText = byId("sync-banner-text");

function show(view: SyncView | null): void {
  form.hidden = view !== null;
  actions.hidden = view === null;
  banner.hidden = !view?.failure;
  bannerText.textContent = view?.failure ? t("sync-failed", { why: view.failure }) : "";
  if (!view) {
    state.textContent = t("sync-off-state");
    return;
  }
  const others = view.devices.map((d) => (d.last_seen_ms != null ? t("sync-device-seen", { name: d.name, when: dateTime(d.last_seen_ms) }) : d.name));
  let text = t("sync-on-state", { device: view.device_name, folder: view.folder });
  text += others.length ? ` ${t("sync-with", { devices: new Intl.ListFormat(language).format(others) })}` : t("sync-alone");
  if (view.last_sync_ms != null) text += ` ${t("sync-last", { when: dateTime(view.last_sync_ms) })}`;
  if (view.failure) text += ` ${t("sync-last-failed", { why: view.failure })}`;
  if (view.notice) text += ` ${shellSaid(view.notice.said, `sync-notice-${view.notice.kind}`, { name: view.notice.name })}`;
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
    problem.textContent = t("choose-folder");
    return;
  }
  if (join && secret.value.trim() === "") {
    problem.textContent = t("sync-need-secret");
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
    toast(t(join ? "sync-joined" : "sync-started"));
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
      .then((seconds) => toast(t("sync-secret-copied", { seconds })))
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
        toast(t("sync-turned-off"));
        return refreshSync();
      })
      .catch((e) => toast(asProblem(e).message));
  });
  byId("sync-banner-settings").addEventListener("click", openSettings);
  void refreshSync();
}
