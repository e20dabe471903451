// Scanning QR codes: the screen, the clipboard, image files (Open image, or dropped on the
// window). The shell reads the codes and keeps the keys; this shows what was found as a list to
// confirm, each with an editable name, duplicates of existing accounts marked and unticked.
// Nothing is added before the user presses Add.

import { call, asProblem, commands } from "./api";
import { events, type ScanView } from "./bindings";
import { byId, el, toast } from "./dom";

const dialog = byId<HTMLDialogElement>("scan-dialog");
const form = byId<HTMLFormElement>("scan-form");
const title = byId("scan-title");
const foundList = byId<HTMLUListElement>("scan-found");
const problems = byId<HTMLUListElement>("scan-problems");
const hint = byId("scan-hint");
const error = byId("scan-error");
const addButton = byId<HTMLButtonElement>("scan-add");
const progress = byId<HTMLProgressElement>("scan-progress");

type Row = { index: number; keep: HTMLInputElement; name: HTMLInputElement };
let rows: Row[] = [];
let scanId = 0;
let onAdded: () => void = () => {};
let busy = false;

function describe(view: ScanView["found"][number]): string {
  const a = view.account;
  const who = [a.issuer, a.label].filter((s) => s !== "").join(" · ");
  const kind = a.otp_type === "steam" ? "Steam Guard" : a.otp_type.toUpperCase();
  const timing = a.period === null ? "counter-based" : `every ${a.period} s`;
  return `${who === "" ? "No issuer or account" : who} — ${kind}, ${a.algorithm}, ${a.digits} digits, ${timing}`;
}

function syncButton(): void {
  const count = rows.filter((r) => r.keep.checked).length;
  addButton.disabled = count === 0;
  addButton.textContent = count === 1 ? "Add 1 account" : `Add ${count} accounts`;
}

/** Shows what a scan (or, with a `heading` such as "Import from FILE", an import) found. */
export function showScan(view: ScanView, heading?: string): void {
  scanId = view.scan_id;
  rows = [];
  foundList.replaceChildren();
  problems.replaceChildren(...view.problems.map((p) => el("li", { text: p })));
  error.textContent = "";
  const n = view.found.length;
  const count = n === 1 ? "1 account" : `${n} accounts`;
  if (heading !== undefined) title.textContent = `${heading}: ${count}`;
  else title.textContent = n === 0 ? "No QR code found" : `Found ${count}`;
  hint.hidden = n !== 0 || heading !== undefined;
  progress.hidden = true;
  for (const found of view.found) {
    const keep = el("input", { attrs: { type: "checkbox", "aria-label": "Add this account" } });
    keep.checked = found.duplicate_of === null || found.duplicate_of === undefined;
    const name = el("input", {
      class: "scan-name",
      attrs: { autocomplete: "off", "aria-label": "Name", spellcheck: "false" },
    });
    name.value = found.account.default_name;
    const facts = el("span", { class: "scan-facts", text: describe(found) });
    const item = el("li", { class: "scan-item" }, [keep, el("div", {}, [name, facts])]);
    if (found.duplicate_of) {
      item.appendChild(
        el("span", {
          class: "scan-duplicate",
          text: found.duplicate_in_file
            ? `The same account as “${found.duplicate_of}” above`
            : `Already in Tessera as “${found.duplicate_of}”`,
        }),
      );
    }
    keep.addEventListener("change", syncButton);
    foundList.appendChild(item);
    rows.push({ index: found.index, keep, name });
  }
  addButton.hidden = n === 0;
  syncButton();
  if (!dialog.open) dialog.showModal();
  (rows.find((r) => r.keep.checked)?.name ?? byId<HTMLButtonElement>("scan-cancel")).focus();
}

async function run(what: string, scan: () => Promise<ScanView | null>): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    toast(what);
    const view = await scan();
    if (view) showScan(view);
  } catch (e) {
    toast(asProblem(e).message);
  } finally {
    busy = false;
  }
}

export function scanScreen(): Promise<void> {
  return run("Scanning the screen…", () => call(commands.scanScreen()));
}

export function scanImageFiles(): Promise<void> {
  return run("Opening images…", () => call(commands.scanImageFiles()));
}

/** Ctrl+V: the clipboard's image or otpauth link. `quiet` says nothing when it holds neither
 * (an ordinary paste of text into the search field). */
export async function scanClipboard(quiet: boolean): Promise<boolean> {
  if (busy) return false;
  busy = true;
  try {
    showScan(await call(commands.scanClipboard()));
    return true;
  } catch (e) {
    const problem = asProblem(e);
    if (!(quiet && problem.code === "scan_failed")) toast(problem.message);
    return false;
  } finally {
    busy = false;
  }
}

export function setupScan(added: () => void): void {
  onAdded = added;
  void events.addProgress.listen(({ payload }) => {
    progress.hidden = false;
    progress.max = payload.total;
    progress.value = payload.done;
    progress.textContent = `${payload.done} of ${payload.total}`;
  });
  byId("scan-cancel").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => void commands.discardScan());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const choices = rows
      .filter((r) => r.keep.checked)
      .map((r) => ({ index: r.index, name: r.name.value }));
    if (choices.length === 0) return;
    addButton.disabled = true;
    try {
      const accounts = await call(commands.addScanned(scanId, choices));
      dialog.close();
      toast(accounts.length === 1 ? `Added ${accounts[0].name}` : `Added ${accounts.length} accounts`);
      onAdded();
    } catch (e) {
      error.textContent = asProblem(e).message;
      addButton.disabled = false;
    }
  });
}
