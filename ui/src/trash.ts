// The trash: Undo on the toast after a delete, and "Recently deleted" (Settings) with Restore
// and Delete forever. A deleted account keeps its key in the keychain for 30 days; the shell
// decides everything (`tessera_vault::trash`), this only shows it.

import { asProblem, call, commands } from "./api";
import type { AccountView, TrashedView } from "./bindings";
import { byId, confirmed, el, toast } from "./dom";
import { day, t } from "./l10n";

const dialog = byId<HTMLDialogElement>("trash-dialog");
const list = byId("trash-list");
const error = byId("trash-error");
/** The list, shown again after a restore. */
let changed: () => void = () => {};

/** Says what was deleted, with an Undo that puts it back. */
export function toastDeleted(accounts: Pick<AccountView, "id" | "name">[]): void {
  toast(accounts.length === 1 ? t("deleted", { name: accounts[0].name }) : t("deleted-many", { count: accounts.length }), {
    label: t("undo"),
    run: () => void restore(accounts.map((a) => a.id)),
  });
}

async function restore(ids: string[]): Promise<boolean> {
  try {
    await call(commands.restoreFromTrash(ids));
    toast(ids.length === 1 ? t("restored-one") : t("restored", { count: ids.length }));
    changed();
    return true;
  } catch (e) {
    toast(asProblem(e).message);
    return false;
  }
}

// f64 crosses as `number | null` (NaN has no JSON); the shell sends whole seconds.
function dayOf(unixSeconds: number | null): string {
  return day((unixSeconds ?? 0) * 1000);
}

function row(item: TrashedView): HTMLLIElement {
  const name = { name: item.name };
  const restoreButton = el("button", { text: t("trash-restore"), attrs: { type: "button", "aria-label": t("trash-restore", name, "aria-label") } });
  const forever = el("button", { text: t("trash-forever"), class: "danger", attrs: { type: "button", "aria-label": t("trash-forever", name, "aria-label") } });
  restoreButton.addEventListener("click", async () => {
    if (await restore([item.id])) await show();
  });
  forever.addEventListener("click", async () => {
    if (!(await confirmed(t("forever-title", name), t("forever-text", name), t("trash-forever")))) return;
    await purge([item.id]);
  });
  const what = el("span", { class: "what", text: item.issuer && item.issuer !== item.name ? `${item.name} · ${item.issuer}` : item.name }, [
    el("span", { class: "when", text: t("trash-when", { deleted: dayOf(item.deleted), purged: dayOf(item.purged_at) }) }),
  ]);
  return el("li", { attrs: { "data-id": item.id } }, [what, restoreButton, forever]);
}

async function purge(ids: string[] | null): Promise<void> {
  try {
    const n = await call(commands.deleteFromTrash(ids));
    toast(t("deleted-forever", { count: n }));
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
    if (!(await confirmed(t("empty-trash-title"), t("empty-trash-text", { count: n }), t("trash-forever")))) return;
    await purge(null);
  });
}
