// The trash: Undo on the toast after a delete, and "Recently deleted" (Settings) with Restore
// and Delete forever. A deleted account keeps its key in the keychain for 30 days; the shell
// decides everything (`tessera_vault::trash`), this only shows it.

import { asProblem, call, commands } from "./api";
import type { AccountView, TrashedView } from "./bindings";
import { byId, confirmed, el, toast } from "./dom";

const dialog = byId<HTMLDialogElement>("trash-dialog");
const list = byId("trash-list");
const error = byId("trash-error");
/** The list, shown again after a restore. */
let changed: () => void = () => {};

function counted(n: number): string {
  return n === 1 ? "1 account" : `${n} accounts`;
}

/** Says what was deleted, with an Undo that puts it back. */
export function toastDeleted(accounts: AccountView[]): void {
  const what = accounts.length === 1 ? accounts[0].name : counted(accounts.length);
  toast(`Deleted ${what}`, {
    label: "Undo",
    run: () => void restore(accounts.map((a) => a.id)),
  });
}

async function restore(ids: string[]): Promise<boolean> {
  try {
    await call(commands.restoreFromTrash(ids));
    toast(`Restored ${ids.length === 1 ? "the account" : counted(ids.length)}`);
    changed();
    return true;
  } catch (e) {
    toast(asProblem(e).message);
    return false;
  }
}

// f64 crosses as `number | null` (NaN has no JSON); the shell sends whole seconds.
function day(unixSeconds: number | null): string {
  return new Date((unixSeconds ?? 0) * 1000).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

function row(t: TrashedView): HTMLLIElement {
  const restoreButton = el("button", { text: "Restore", attrs: { type: "button", "aria-label": `Restore ${t.name}` } });
  const forever = el("button", { text: "Delete forever", class: "danger", attrs: { type: "button", "aria-label": `Delete ${t.name} forever` } });
  restoreButton.addEventListener("click", async () => {
    if (await restore([t.id])) await show();
  });
  forever.addEventListener("click", async () => {
    const text = `"${t.name}" and its secret key will be deleted from this computer now. Without a backup, its codes cannot be made again.`;
    if (!(await confirmed(`Delete "${t.name}" forever?`, text, "Delete forever"))) return;
    await purge([t.id]);
  });
  const what = el("span", { class: "what", text: t.issuer && t.issuer !== t.name ? `${t.name} · ${t.issuer}` : t.name }, [
    el("span", { class: "when", text: `Deleted ${day(t.deleted)} · deleted for good on ${day(t.purged_at)}` }),
  ]);
  return el("li", { attrs: { "data-id": t.id } }, [what, restoreButton, forever]);
}

async function purge(ids: string[] | null): Promise<void> {
  try {
    const n = await call(commands.deleteFromTrash(ids));
    toast(`Deleted ${counted(n)} forever`);
  } catch (e) {
    error.textContent = asProblem(e).message;
  }
  await show();
}

async function show(): Promise<void> {
  error.textContent = "";
  let trash: TrashedView[] = [];
  try {
    trash = await call(commands.trashList());
  } catch (e) {
    error.textContent = asProblem(e).message;
  }
  list.replaceChildren(...trash.map(row));
  byId("trash-empty-note").hidden = trash.length > 0;
  byId<HTMLButtonElement>("trash-empty").disabled = trash.length === 0;
}

export async function openTrash(): Promise<void> {
  await show();
  if (!dialog.open) dialog.showModal();
}

export function setupTrash(onChange: () => void): void {
  changed = onChange;
  byId("trash-button").addEventListener("click", () => void openTrash());
  byId("trash-empty").addEventListener("click", async () => {
    const n = list.children.length;
    const text = `${counted(n)} and their secret keys will be deleted from this computer now. Without a backup, their codes cannot be made again.`;
    if (!(await confirmed("Empty the trash?", text, "Delete forever"))) return;
    await purge(null);
  });
}
