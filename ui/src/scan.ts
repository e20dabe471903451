// Scanning QR codes: the screen, the clipboard, image files (Open image, or dropped on the
// window). The shell reads the codes and keeps the keys; this shows what was found as a list to
// confirm, each with an editable name, duplicates of existing accounts marked and unticked,
// accounts enrolled again offered to replace the old key (the default) or to be added as new.
// Nothing is added before the user presses Add.

import { call, asProblem, commands } from "./api";
import { events, type OtpType, type ProblemView, type ScanView } from "./bindings";
import { byId, el, toast } from "./dom";
import { shellSaid, t } from "./l10n";

const dialog = byId<HTMLDialogElement>("scan-dialog");
const form = byId<HTMLFormElement>("scan-form");
const title = byId("scan-title");
const foundList = byId<HTMLUListElement>("scan-found");
const problems = byId<HTMLUListElement>("scan-problems");
const hint = byId("scan-hint");
const error = byId("scan-error");
const addButton = byId<HTMLButtonElement>("scan-add");
const progress = byId<HTMLProgressElement>("scan-progress");

type Row = { index: number; keep: HTMLInputElement; name: HTMLInputElement; replace: HTMLSelectElement | null };
let rows: Row[] = [];
let scanId = 0;
let onAdded: () => void = () => {};
let busy = false;

function describe(view: ScanView["found"][number]): string {
  const a = view.account;
  const who = [a.issuer, a.label].filter((s) => s !== "").join(" · ");
  return t("scan-facts", {
    who: who === "" ? t("scan-no-who") : who,
    kind: kindName(a.otp_type),
    algorithm: a.algorithm,
    digits: a.digits,
    period: a.period ?? 0,
  });
}

function syncButton(): void {
  const kept = rows.filter((r) => r.keep.checked);
  const keys = kept.filter((r) => r.replace?.value === "replace").length;
  const adds = kept.length - keys;
  addButton.disabled = kept.length === 0;
  if (keys === 0) addButton.textContent = t("scan-add", { count: adds });
  else if (adds === 0) addButton.textContent = t("scan-replace-keys", { keys });
  else addButton.textContent = t("scan-add-and-replace", { count: adds, keys });
}

/** Shows what a scan (or an import of `file`) found. */
export function showScan(view: ScanView, file?: string): void {
  scanId = view.scan_id;
  rows = [];
  foundList.replaceChildren();
  problems.replaceChildren(...view.problems.map((p) => el("li", { text: problemSaid(p) })));
  error.textContent = "";
  const n = view.found.length;
  if (file !== undefined) title.textContent = t("scan-title-import", { file, count: n });
  else title.textContent = n === 0 ? t("scan-title-none") : t("scan-title-found", { count: n });
  hint.hidden = n !== 0 || file !== undefined;
  progress.hidden = true;
  for (const found of view.found) {
    const keep = el("input", { attrs: { type: "checkbox", "aria-label": t("scan-keep", undefined, "aria-label") } });
    keep.checked = found.duplicate_of === null || found.duplicate_of === undefined;
    const name = el("input", {
      class: "scan-name",
      attrs: { autocomplete: "off", "aria-label": t("scan-name", undefined, "aria-label"), spellcheck: "false" },
    });
    name.value = found.account.default_name;
    const facts = el("span", { class: "scan-facts", text: describe(found) });
    const item = el("li", { class: "scan-item" }, [keep, el("div", {}, [name, facts])]);
    let replace: HTMLSelectElement | null = null;
    if (found.replaces) {
      // Enrolled again: the old key is dead. Replacing it (the default) keeps the account's
      // name and place; "Add as new" keeps both, under the name above.
      const choice = el("select", { class: "scan-choice", attrs: { "aria-label": t("scan-choice", { name: found.replaces }, "aria-label") } });
      choice.append(el("option", { text: t("scan-replace"), attrs: { value: "replace" } }), el("option", { text: t("scan-add-new"), attrs: { value: "add" } }));
      choice.value = "replace";
      const sync = () => {
        name.disabled = choice.value === "replace";
        syncButton();
      };
      choice.addEventListener("change", sync);
      sync();
      replace = choice;
      item.appendChild(
        el("div", { class: "scan-replace" }, [
          el("span", { text: t("scan-replaces", { name: found.replaces }) }),
          choice,
        ]),
      );
    }
    if (found.duplicate_of) {
      item.appendChild(
        el("span", {
          class: "scan-duplicate",
          text: found.duplicate_in_file
            ? t("scan-duplicate-above", { name: found.duplicate_of })
            : t("scan-duplicate", { name: found.duplicate_of }),
        }),
      );
    }
    keep.addEventListener("change", syncButton);
    foundList.appendChild(item);
    rows.push({ index: found.index, keep, name, replace });
  }
  addButton.hidden = n === 0;
  syncButton();
  if (!dialog.open) dialog.showModal();
  (rows.find((r) => r.keep.checked)?.name ?? byId<HTMLButtonElement>("scan-cancel")).focus();
}

/** "Added X", "Replaced the key of X", or the counts of both. */
function summary(names: string[], replaced: boolean[]): string {
  const keys = replaced.filter((r) => r).length;
  const added = names.length - keys;
  if (names.length === 1) return keys === 1 ? t("scan-replaced-one", { name: names[0] }) : t("added", { name: names[0] });
  if (keys === 0) return t("scan-added", { count: added });
  if (added === 0) return t("scan-replaced", { keys });
  return t("scan-added-and-replaced", { count: added, keys });
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
  return run(t("scanning-screen"), () => call(commands.scanScreen()));
}

export function scanImageFiles(): Promise<void> {
  return run(t("opening-images"), () => call(commands.scanImageFiles()));
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
    progress.textContent = t("scan-progress", { done: payload.done, total: payload.total });
  });
  byId("scan-cancel").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => void commands.discardScan());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const choices = rows
      .filter((r) => r.keep.checked)
      .map((r) => ({ index: r.index, name: r.name.value, replace: r.replace?.value === "replace" }));
    if (choices.length === 0) return;
    addButton.disabled = true;
    try {
      const accounts = await call(commands.addScanned(scanId, choices));
      dialog.close();
      toast(summary(accounts.map((a) => a.name), choices.map((c) => c.replace)));
      onAdded();
    } catch (e) {
      error.textContent = asProblem(e).message;
      addButton.disabled = false;
    }
  });
}

/** What could not be used, in the window's language. */
function problemSaid(problem: ProblemView): string {
  const about = problem.source ? t(`source-${problem.source}`) : problem.about;
  return shellSaid(problem.said, `scan-problem-${problem.kind}`, { about });
}

/** "TOTP", "HOTP" or "Steam Guard". */
export function kindName(kind: OtpType): string {
  return t(`kind-${kind}`);
}
