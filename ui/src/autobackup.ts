// Automatic backups: their part of Settings (turn on with a folder, how many to keep and a
// passphrase asked once; turn off) and the banner the window shows while the last backup failed.
// The shell writes the backups after every change; this only shows how they are doing.

import { call, asProblem, commands } from "./api";
import type { AutoBackupView } from "./bindings";
import { byId, forgetOnClose, toast } from "./dom";
import { strengthHint } from "./backup";
import { openSettings } from "./settings";
import { dateTime, t } from "./l10n";

const state = byId("auto-backup-state");
const form = byId("auto-backup-form");
const folder = byId<HTMLInputElement>("auto-backup-folder");
const keep = byId<HTMLInputElement>("auto-backup-keep");
const pass = byId<HTMLInputElement>("auto-backup-pass");
const pass2 = byId<HTMLInputElement>("auto-backup-pass2");
const strength = byId("auto-backup-strength");
const problem = byId("auto-backup-error");
const turnOn = byId<HTMLButtonElement>("auto-backup-on");
const turnOff = byId<HTMLButtonElement>("auto-backup-off");
const banner = byId("backup-banner");
const bannerText = byId("backup-banner-text");

function show(view: AutoBackupView | null): void {
  form.hidden = view !== null;
  turnOff.hidden = view === null;
  banner.hidden = !view?.failure;
  bannerText.textContent = view?.failure ? t("auto-backup-failed", { why: view.failure }) : "";
  if (!view) {
    state.textContent = t("auto-backup-off-state");
    return;
  }
  const parts = [t("auto-backup-on-state", { folder: view.folder, keep: view.keep })];
  if (view.last_at_ms != null) parts.push(t("auto-backup-last", { when: dateTime(view.last_at_ms), count: view.last_accounts ?? 0 }));
  if (view.failure) parts.push(t("auto-backup-last-failed", { why: view.failure }));
  state.textContent = parts.join(" ");
}

/** Asks the shell how automatic backups are doing (at start, after every change). */
export async function refreshAutoBackup(): Promise<void> {
  try {
    show(await call(commands.autoBackupStatus()));
  } catch {
    // The banner stays as it was; the list shows keychain problems itself.
  }
}

function check(): boolean {
  const { ok, hint } = strengthHint(pass.value);
  const same = pass.value === pass2.value;
  strength.textContent = pass.value === "" ? t("auto-backup-note") : ok && pass2.value !== "" && !same ? t("passphrases-differ") : hint;
  return ok && same && folder.value.trim() !== "";
}

async function enable(): Promise<void> {
  problem.textContent = "";
  if (!check()) {
    problem.textContent = t(folder.value.trim() === "" ? "choose-folder" : "same-passphrase-twice");
    return;
  }
  turnOn.disabled = true;
  try {
    const view = await call(commands.enableAutoBackup(folder.value.trim(), Number(keep.value) || 10, pass.value));
    pass.value = "";
    pass2.value = "";
    show(view);
    toast(t("auto-backup-turned-on"));
  } catch (e) {
    problem.textContent = asProblem(e).message;
  } finally {
    turnOn.disabled = false;
  }
}

export function setupAutoBackup(): void {
  // The passphrase leaves the page with Settings, turned on or not.
  forgetOnClose(byId<HTMLDialogElement>("settings-dialog"), [pass, pass2]);
  for (const field of [pass, pass2]) field.addEventListener("input", check);
  for (const field of [folder, keep, pass, pass2]) {
    // Enter turns them on rather than closing Settings.
    field.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        void enable();
      }
    });
  }
  turnOn.addEventListener("click", () => void enable());
  turnOff.addEventListener("click", () => {
    void call(commands.disableAutoBackup())
      .then(() => {
        toast(t("auto-backup-turned-off"));
        return refreshAutoBackup();
      })
      .catch((e) => toast(asProblem(e).message));
  });
  byId("auto-backup-choose").addEventListener("click", () => {
    void call(commands.chooseBackupFolder())
      .then((picked) => {
        if (picked) folder.value = picked;
      })
      .catch((e) => toast(asProblem(e).message));
  });
  byId("backup-banner-settings").addEventListener("click", openSettings);
  void refreshAutoBackup();
}
