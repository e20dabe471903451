// Export and import of backups. The shell opens the file dialogs and reads and writes the
// files; this asks for the format and the passphrase (twice for a new backup, with a strength
// hint), and shows an import's accounts in the same list to confirm as a scan.

import { call, asProblem, commands } from "./api";
import { MIN_PASSPHRASE_CHARS, type AccountView, type ExportFormat } from "./bindings";
import { byId, forgetOnClose, toast } from "./dom";
import { showScan } from "./scan";
import { t } from "./l10n";

const exportDialog = byId<HTMLDialogElement>("export-dialog");
const exportForm = byId<HTMLFormElement>("export-form");
const pass = byId<HTMLInputElement>("export-pass");
const pass2 = byId<HTMLInputElement>("export-pass2");
const strength = byId("export-strength");
const secretPart = byId("export-secret");
const warning = byId("export-warning");
const exportError = byId("export-error");
const exportSubmit = byId<HTMLButtonElement>("export-submit");

const importDialog = byId<HTMLDialogElement>("import-dialog");
const importForm = byId<HTMLFormElement>("import-form");
const importText = byId("import-text");
const importPass = byId<HTMLInputElement>("import-pass");
const importError = byId("import-error");

let importFile = "";
/** The accounts the export writes: every one (`null`), or the selection's. */
let exportIds: string[] | null = null;

/** The formats written behind a passphrase; the others hold the keys in clear. */
const ENCRYPTED: ExportFormat[] = ["tessera", "aegis"];

function kind(): ExportFormat {
  const checked = exportForm.querySelector<HTMLInputElement>('input[name="export-kind"]:checked');
  return (checked?.value ?? "tessera") as ExportFormat;
}

/** A rough guess of how hard a passphrase is to guess: its length times the bits of the kinds
 * of characters in it. A hint, not a measurement. */
export function strengthHint(text: string): { ok: boolean; hint: string } {
  if (text.length === 0) return { ok: false, hint: "" };
  if ([...text].length < MIN_PASSPHRASE_CHARS) return { ok: false, hint: t("strength-short", { count: MIN_PASSPHRASE_CHARS }) };
  let pool = 0;
  if (/[a-z]/.test(text)) pool += 26;
  if (/[A-Z]/.test(text)) pool += 26;
  if (/[0-9]/.test(text)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(text)) pool += 33;
  const distinct = new Set(text).size;
  const bits = Math.min([...text].length, distinct * 2) * Math.log2(Math.max(pool, 2));
  if (bits < 45) return { ok: true, hint: t("strength-weak") };
  if (bits < 70) return { ok: true, hint: t("strength-fair") };
  return { ok: true, hint: t("strength-strong") };
}

function syncExport(): void {
  const encrypted = ENCRYPTED.includes(kind());
  secretPart.hidden = !encrypted;
  warning.hidden = encrypted;
  exportSubmit.textContent = t(encrypted ? "export-submit" : "export-submit-clear");
  if (!encrypted) {
    exportSubmit.disabled = false;
    return;
  }
  const { ok, hint } = strengthHint(pass.value);
  const same = pass.value === pass2.value;
  strength.textContent = ok && pass2.value !== "" && !same ? t("passphrases-differ") : hint;
  strength.classList.toggle("error", !ok && pass.value !== "");
  exportSubmit.disabled = !(ok && same);
}

/** The export dialog, for every account or for `accounts` (the selection). */
export function openExport(accounts: Pick<AccountView, "id">[] | null = null): void {
  exportIds = accounts?.map((a) => a.id) ?? null;
  byId("export-title").textContent = accounts ? t("export-title-selected", { count: accounts.length }) : t("export-title");
  pass.value = "";
  pass2.value = "";
  exportError.textContent = "";
  syncExport();
  exportDialog.showModal();
  if (ENCRYPTED.includes(kind())) pass.focus();
}

export async function openImport(): Promise<void> {
  try {
    const chosen = await call(commands.chooseImport());
    if (!chosen) return;
    importFile = chosen.file_name;
    if (!chosen.encrypted) {
      showScan(await call(commands.openImport(null)), importFile);
      return;
    }
    importText.textContent = t("import-encrypted", { file: chosen.file_name, format: t(`format-${chosen.format}`) });
    importPass.value = "";
    importError.textContent = "";
    importDialog.showModal();
    importPass.focus();
  } catch (e) {
    toast(asProblem(e).message);
  }
}

export function setupBackup(): void {
  const settings = byId<HTMLDialogElement>("settings-dialog");
  byId("export-button").addEventListener("click", () => {
    settings.close();
    openExport();
  });
  byId("import-button").addEventListener("click", () => {
    settings.close();
    void openImport();
  });
  byId("empty-import").addEventListener("click", () => void openImport());
  byId("export-cancel").addEventListener("click", () => exportDialog.close());
  byId("import-cancel").addEventListener("click", () => importDialog.close());
  forgetOnClose(exportDialog, [pass, pass2]);
  forgetOnClose(importDialog, [importPass]);
  for (const input of exportForm.querySelectorAll("input")) input.addEventListener("input", syncExport);
  exportForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    exportSubmit.disabled = true;
    exportError.textContent = "";
    try {
      const done = await call(commands.exportBackup(kind(), ENCRYPTED.includes(kind()) ? pass.value : null, exportIds));
      if (done) {
        exportDialog.close();
        const missing = done.missing.length;
        toast(t(missing > 0 ? "exported-missing" : "exported", { count: done.count, path: done.path, missing }));
      }
    } catch (e) {
      exportError.textContent = asProblem(e).message;
    } finally {
      syncExport();
    }
  });
  importForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    importError.textContent = "";
    try {
      const view = await call(commands.openImport(importPass.value));
      importPass.value = "";
      importDialog.close();
      showScan(view, importFile);
    } catch (e) {
      const problem = asProblem(e);
      importError.textContent = problem.message;
      if (problem.code !== "wrong_passphrase") importDialog.close();
      if (problem.code !== "wrong_passphrase") toast(problem.message);
      importPass.select();
    }
  });
}
