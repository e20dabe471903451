// The settings dialog: how long a copied code stays on the clipboard.

import { call, asProblem, commands } from "./api";
import { byId, toast } from "./dom";

const dialog = byId<HTMLDialogElement>("settings-dialog");
const clipboard = byId<HTMLSelectElement>("settings-clipboard");

export function setupSettings(): void {
  void call(commands.getSettings())
    .then((s) => {
      clipboard.value = String(s.clipboard_clear_seconds);
    })
    .catch(() => {});
  byId("settings-button").addEventListener("click", () => dialog.showModal());
  clipboard.addEventListener("change", async () => {
    const seconds = Number(clipboard.value);
    try {
      await call(commands.setSettings({ clipboard_clear_seconds: seconds }));
    } catch (e) {
      toast(asProblem(e).message);
    }
  });
}
