// The app lock's screen: shown instead of everything else when the shell says Tessera is
// locked (at start, or after a LockChanged event reloaded the page). The page then never loads
// an account. Unlocking reloads it again, into the accounts.

import { asProblem, call, commands } from "./api";
import type { LockStatus_Serialize as LockStatus } from "./bindings";
import { byId } from "./dom";
import { setL10n, t } from "./l10n";

const screen = byId("lock-screen");
const form = byId<HTMLFormElement>("unlock-form");
const secret = byId<HTMLInputElement>("unlock-secret");
const submit = byId<HTMLButtonElement>("unlock-submit");
const system = byId<HTMLButtonElement>("unlock-system");
const problem = byId("unlock-problem");

/** Disables the buttons for the wait after wrong tries, counting it down. */
function waitFor(seconds: number): void {
  if (seconds <= 0) return;
  submit.disabled = system.disabled = true;
  let left = seconds;
  const tick = (): void => {
    if (left <= 0) {
      submit.disabled = system.disabled = false;
      problem.textContent = "";
      secret.focus();
      return;
    }
    problem.textContent = t("unlock-wait", { seconds: left });
    left -= 1;
    window.setTimeout(tick, 1000);
  };
  tick();
}

async function failed(e: unknown): Promise<void> {
  secret.value = "";
  problem.textContent = asProblem(e).message;
  const status = await commands.lockStatus().catch(() => null);
  if (status) waitFor(status.wait_seconds);
}

export function showLockScreen(status: LockStatus): void {
  document.body.classList.add("locked");
  screen.hidden = false;
  const pin = status.method === "pin";
  const bySystem = status.method === "system";
  byId("unlock-label").hidden = bySystem;
  submit.hidden = bySystem;
  system.hidden = !bySystem;
  setL10n(byId("unlock-label"), pin ? "unlock-pin" : "unlock-passphrase");
  secret.inputMode = pin ? "numeric" : "text";
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (submit.disabled || secret.value === "") return;
    try {
      await call(commands.unlock(secret.value));
      secret.value = "";
      location.reload();
    } catch (e) {
      await failed(e);
    }
  });
  system.addEventListener("click", async () => {
    try {
      await call(commands.unlockWithSystem());
      location.reload();
    } catch (e) {
      await failed(e);
    }
  });
  waitFor(status.wait_seconds);
  if (bySystem) system.focus();
  else secret.focus();
}

let lastNoted = 0;
/** Tells the shell the window is used (at most every 5 s), for the lock after a time without
 * use; Ctrl+L locks at once. */
export function watchUse(): void {
  const used = (): void => {
    const now = Date.now();
    if (now - lastNoted < 5000) return;
    lastNoted = now;
    void commands.noteActivity();
  };
  for (const type of ["keydown", "pointerdown", "wheel"]) {
    document.addEventListener(type, used, { capture: true, passive: true });
  }
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === "l") {
      e.preventDefault();
      void commands.lockWindow();
    }
  });
}
