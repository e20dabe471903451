// The settings dialog: how long a copied code stays on the clipboard, hidden codes, the tray and
// the window, the global shortcut, the clock check. Each change is applied and saved at once by
// the shell; what the shell refuses (a shortcut another program holds) is said under it.

import { call, asProblem, commands } from "./api";
import type { Settings } from "./bindings";
import { clockCheckOff } from "./clock";
import { byId, toast } from "./dom";
import { onCollapse, setEnterTypes, setGrouping, setManualOrder } from "./list";
import { setL10n, systemLanguage, t } from "./l10n";

const dialog = byId<HTMLDialogElement>("settings-dialog");
const clipboard = byId<HTMLSelectElement>("settings-clipboard");
const closeToTray = byId<HTMLInputElement>("settings-close-to-tray");
const startMinimised = byId<HTMLInputElement>("settings-start-minimised");
const startAtLogin = byId<HTMLInputElement>("settings-start-at-login");
const release = byId<HTMLSelectElement>("settings-release");
const shortcut = byId<HTMLInputElement>("settings-shortcut");
const shortcutProblem = byId("settings-shortcut-problem");
const hideAfterCopy = byId<HTMLInputElement>("settings-hide-after-copy");
const enterTypes = byId<HTMLInputElement>("settings-enter-types");
const hideCodes = byId<HTMLInputElement>("settings-hide-codes");
const sort = byId<HTMLSelectElement>("settings-sort");
const group = byId<HTMLInputElement>("settings-group");
/** The list, asked again when its order changes. */
let reorder: () => void = () => {};
const checkClock = byId<HTMLInputElement>("settings-check-clock");
const lockMethod = byId<HTMLSelectElement>("lock-method");
const lockNew = byId("lock-new");
const lockSecret = byId<HTMLInputElement>("lock-secret");
const lockAgain = byId<HTMLInputElement>("lock-secret-again");
const lockProblem = byId("lock-problem");
const lockIdle = byId<HTMLSelectElement>("lock-idle");
const lockOnScreen = byId<HTMLInputElement>("lock-on-screen-lock");
const lockOnHide = byId<HTMLInputElement>("lock-on-hide");
const clockNote = byId("settings-check-clock-note");
const languageChoice = byId<HTMLSelectElement>("settings-language");

/** The settings as the shell last gave or took them: every field goes back on a change, so
 * none is reset to its default. */
let current: Settings | null = null;

function show(s: Settings): void {
  current = s;
  clipboard.value = String(s.clipboard_clear_seconds ?? 30);
  closeToTray.checked = s.close_to_tray ?? false;
  startMinimised.checked = s.start_minimised ?? false;
  startAtLogin.checked = s.start_at_login ?? false;
  release.value = String(s.release_window_after_seconds ?? 600);
  shortcut.value = s.shortcut ?? "";
  hideAfterCopy.checked = s.hide_after_copy ?? true;
  enterTypes.checked = s.enter_types_code ?? false;
  setEnterTypes(enterTypes.checked);
  hideCodes.checked = s.hide_codes ?? false;
  document.body.classList.toggle("hide-codes", hideCodes.checked);
  sort.value = s.sort_order ?? "manual";
  setManualOrder(sort.value === "manual");
  group.checked = s.group_by_issuer ?? false;
  setGrouping(group.checked, s.collapsed_issuers ?? []);
  checkClock.checked = s.check_clock ?? true;
  lockMethod.value = s.lock_method ?? "off";
  lockNew.hidden = true;
  lockIdle.value = String(s.lock_after_idle_seconds ?? 300);
  lockOnScreen.checked = s.lock_on_screen_lock ?? true;
  lockOnHide.checked = s.lock_on_hide ?? false;
  setL10n(clockNote, "settings-check-clock-note", { server: s.time_server ?? "pool.ntp.org" });
  languageChoice.value = s.language ?? "";
}

async function save(change: Partial<Settings>): Promise<void> {
  if (!current) return;
  const next = { ...current, ...change };
  try {
    await call(commands.setSettings(next));
    show(next);
    if ("shortcut" in change) shortcutProblem.textContent = "";
    if ("sort_order" in change) reorder();
    // Every word on the page is in the old language: the page starts again in the new one.
    if ("language" in change) location.reload();
  } catch (e) {
    const problem = asProblem(e);
    if (problem.code === "shortcut_unavailable") shortcutProblem.textContent = problem.message;
    else toast(problem.message);
    show(current);
  }
}

/** Shows the settings dialog (from ⚙ or the tray's menu). */
export function openSettings(): void {
  void call(commands.shortcutProblem())
    .then((p) => (shortcutProblem.textContent = p ?? ""))
    .catch(() => {});
  if (!dialog.open) dialog.showModal();
}

/** `initial`: the settings the window opened with, if it got them. */
export function setupSettings(onReorder: () => void, initial: Settings | null): void {
  reorder = onReorder;
  onCollapse((keys) => void save({ collapsed_issuers: keys }));
  if (initial) show(initial);
  else
    void call(commands.getSettings())
      .then(show)
      .catch(() => {});
  byId("settings-button").addEventListener("click", openSettings);
  clipboard.addEventListener("change", () => void save({ clipboard_clear_seconds: Number(clipboard.value) }));
  closeToTray.addEventListener("change", () => void save({ close_to_tray: closeToTray.checked }));
  startMinimised.addEventListener("change", () => void save({ start_minimised: startMinimised.checked }));
  startAtLogin.addEventListener("change", () => void save({ start_at_login: startAtLogin.checked }));
  release.addEventListener("change", () => void save({ release_window_after_seconds: Number(release.value) }));
  hideAfterCopy.addEventListener("change", () => void save({ hide_after_copy: hideAfterCopy.checked }));
  enterTypes.addEventListener("change", () => void save({ enter_types_code: enterTypes.checked }));
  hideCodes.addEventListener("change", () => void save({ hide_codes: hideCodes.checked }));
  sort.addEventListener("change", () => void save({ sort_order: sort.value as Settings["sort_order"] }));
  group.addEventListener("change", () => void save({ group_by_issuer: group.checked }));
  shortcut.addEventListener("change", () => void save({ shortcut: shortcut.value.trim() }));
  lockMethod.addEventListener("change", () => void chooseLock());
  byId("lock-set").addEventListener("click", () => void setLock());
  lockIdle.addEventListener("change", () => void save({ lock_after_idle_seconds: Number(lockIdle.value) }));
  lockOnScreen.addEventListener("change", () => void save({ lock_on_screen_lock: lockOnScreen.checked }));
  lockOnHide.addEventListener("change", () => void save({ lock_on_hide: lockOnHide.checked }));
  byId("language-system").textContent = t("language-system", { language: t(`language-${systemLanguage()}`) });
  languageChoice.addEventListener("change", () => void save({ language: languageChoice.value === "" ? null : languageChoice.value }));
  checkClock.addEventListener("change", () => {
    void save({ check_clock: checkClock.checked });
    if (!checkClock.checked) clockCheckOff();
  });
}

/** A passphrase or PIN is typed twice before it is set; off and the system's authentication
 * are set at once (the system's asks once now). */
async function chooseLock(): Promise<void> {
  lockProblem.textContent = "";
  const method = lockMethod.value as Settings["lock_method"];
  if (method === "passphrase" || method === "pin") {
    lockNew.hidden = false;
    setL10n(byId("lock-new-label"), method === "pin" ? "lock-new-pin" : "lock-new-passphrase");
    lockSecret.inputMode = method === "pin" ? "numeric" : "text";
    lockSecret.focus();
    return;
  }
  lockNew.hidden = true;
  await applyLock(method, null);
}

async function setLock(): Promise<void> {
  if (lockSecret.value !== lockAgain.value) {
    lockProblem.textContent = t("lock-differ");
    return;
  }
  await applyLock(lockMethod.value as Settings["lock_method"], lockSecret.value);
}

async function applyLock(method: Settings["lock_method"], secret: string | null): Promise<void> {
  try {
    show(await call(commands.setLock(method ?? "off", secret)));
    lockSecret.value = lockAgain.value = "";
    toast(t(method === "off" ? "lock-none-set" : "lock-now-set"));
  } catch (e) {
    lockProblem.textContent = asProblem(e).message;
    if (current) show(current);
    lockMethod.value = method ?? "off";
    lockNew.hidden = secret === null;
  }
}
