// Several accounts at once: while two or more rows are selected (Ctrl-click, Shift-click,
// Ctrl+A), a bar says how many and tags, untags, exports or deletes them. A tag change is one
// write that changes none of them if any is refused; a deletion asks once, naming the count.

import { call, asProblem, commands } from "./api";
import { openExport } from "./backup";
import { tagsOf } from "./details";
import { byId, confirmed, el, toast } from "./dom";
import { toastDeleted } from "./trash";
import { onPick, pickAll, pickedAccounts, pickOne, render, tagsIn } from "./list";
import { t } from "./l10n";
import type { Account } from "./table";

const bar = byId("selection-bar");
const count = byId("selection-count");
const tagDialog = byId<HTMLDialogElement>("bulk-tag-dialog");
const tagInput = byId<HTMLInputElement>("bulk-tag");
const tagError = byId("bulk-tag-error");

/** The accounts the tag dialog changes, as they were when it opened. */
let chosen: Account[] = [];
/** Whether the tag dialog adds its tags or removes them. */
let adding = true;

/** "3 accounts", "1 account". */
async function openTags(add: boolean): Promise<void> {
  adding = add;
  chosen = await pickedAccounts();
  const count = { count: chosen.length };
  byId("bulk-tag-title").textContent = t(add ? "bulk-tag-title" : "bulk-untag-title", count);
  byId("bulk-tag-submit").textContent = t(add ? "add" : "remove");
  // Suggestions: the tags the selected accounts have.
  byId("bulk-tag-known").replaceChildren(...[...tagsIn(chosen).values()].sort().map((tag) => el("option", { attrs: { value: tag } })));
  tagInput.value = "";
  tagError.textContent = "";
  tagDialog.showModal();
  tagInput.focus();
}

/** Asks once, naming the count and the first few names; then deletes them together. */
export async function confirmDeleteMany(accounts: Account[]): Promise<void> {
  const n = accounts.length;
  const names = t("delete-many-names", { names: accounts.slice(0, 3).map((a) => t("quoted", { name: a.name })).join(", "), more: Math.max(0, n - 3) });
  if (!(await confirmed(t("delete-many-title", { count: n }), t("delete-many-text", { count: n, names }), t("delete-many", { count: n })))) return;
  try {
    render(await call(commands.removeAccounts(accounts.map((a) => a.id))));
    toastDeleted(accounts);
  } catch (e) {
    toast(asProblem(e).message);
  }
}

export function setupSelection(): void {
  onPick((picked) => {
    bar.hidden = picked < 2;
    count.textContent = t("selection-count", { count: picked });
  });
  byId("selection-all").addEventListener("click", pickAll);
  byId("selection-clear").addEventListener("click", pickOne);
  // Each reads the accounts first, whose lines may come from the shell (a long list, list.ts).
  const act = (task: () => Promise<unknown>) => () => void task().catch((e: unknown) => toast(asProblem(e).message));
  byId("selection-tag").addEventListener("click", act(() => openTags(true)));
  byId("selection-untag").addEventListener("click", act(() => openTags(false)));
  byId("selection-export").addEventListener("click", act(async () => openExport(await pickedAccounts())));
  byId("selection-delete").addEventListener("click", act(async () => confirmDeleteMany(await pickedAccounts())));
  byId("bulk-tag-cancel").addEventListener("click", () => tagDialog.close());
  byId<HTMLFormElement>("bulk-tag-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const tags = tagsOf(tagInput.value);
    if (tags.length === 0) return;
    const ids = chosen.map((a) => a.id);
    try {
      render(await call(commands.tagAccounts(ids, adding ? tags : [], adding ? [] : tags)));
      tagDialog.close();
      toast(t(adding ? "tagged" : "untagged", { count: ids.length }));
    } catch (e) {
      // Refused (a tag Tessera does not take, one account full): nothing changed, say why.
      tagError.textContent = asProblem(e).message;
    }
  });
}
