// The Add dialog: a secret key with its parameters, or a pasted otpauth:// link, checked live by
// the shell (preview_account) so the form says what is wrong, not just that something is. Its
// top row starts a scan instead (scan.ts).

import { call, asProblem, commands } from "./api";
import type { AddSource, OtpType, HashAlgorithm } from "./bindings";
import { byId, forgetOnClose, toast } from "./dom";
import { scanClipboard, scanImageFiles, scanScreen } from "./scan";
import { t } from "./l10n";
import { kindName } from "./scan";

const dialog = byId<HTMLDialogElement>("add-dialog");
const form = byId<HTMLFormElement>("add-form");
const check = byId("add-check");
const submit = byId<HTMLButtonElement>("add-submit");
const nameInput = byId<HTMLInputElement>("add-name");
const tabs = { key: byId<HTMLButtonElement>("tab-key"), uri: byId<HTMLButtonElement>("tab-uri") };
const panes = { key: byId("pane-key"), uri: byId("pane-uri") };
const input = {
  secret: byId<HTMLInputElement>("add-secret"),
  issuer: byId<HTMLInputElement>("add-issuer"),
  label: byId<HTMLInputElement>("add-label"),
  type: byId<HTMLSelectElement>("add-type"),
  algorithm: byId<HTMLSelectElement>("add-algorithm"),
  digits: byId<HTMLSelectElement>("add-digits"),
  period: byId<HTMLInputElement>("add-period"),
  counter: byId<HTMLInputElement>("add-counter"),
  uri: byId<HTMLTextAreaElement>("add-uri"),
};

let mode: "key" | "uri" = "key";
let checkSeq = 0;
let onAdded: (id: string) => void = () => {};

function source(): AddSource {
  if (mode === "uri") return { kind: "uri", uri: input.uri.value };
  return {
    kind: "key",
    secret: input.secret.value,
    issuer: input.issuer.value,
    label: input.label.value,
    otp_type: input.type.value as OtpType,
    algorithm: input.algorithm.value as HashAlgorithm,
    digits: Number(input.digits.value),
    period: Number(input.period.value),
    counter: Number(input.counter.value),
  };
}

function empty(): boolean {
  return mode === "uri" ? input.uri.value.trim() === "" : input.secret.value.trim() === "";
}

async function validate(): Promise<void> {
  const seq = ++checkSeq;
  if (empty()) {
    check.textContent = "";
    check.className = "check";
    submit.disabled = true;
    nameInput.placeholder = "";
    return;
  }
  try {
    const preview = await call(commands.previewAccount(source()));
    if (seq !== checkSeq) return;
    check.textContent = t("add-ok", {
      kind: kindName(preview.otp_type),
      algorithm: preview.algorithm,
      digits: preview.digits,
      period: preview.period ?? 0,
      bits: preview.key_bits,
    });
    check.className = "check ok";
    nameInput.placeholder = preview.default_name;
    submit.disabled = false;
  } catch (e) {
    if (seq !== checkSeq) return;
    check.textContent = asProblem(e).message;
    check.className = "check error";
    submit.disabled = true;
  }
}

function showMode(next: "key" | "uri"): void {
  mode = next;
  for (const m of ["key", "uri"] as const) {
    tabs[m].setAttribute("aria-selected", String(m === mode));
    panes[m].hidden = m !== mode;
  }
  (mode === "uri" ? input.uri : input.secret).focus();
  void validate();
}

function syncKind(): void {
  const type = input.type.value;
  byId("add-counter-label").hidden = type !== "hotp";
  byId("add-period-label").hidden = type === "hotp";
  input.digits.disabled = type === "steam";
}

export function openAdd(added: (id: string) => void): void {
  onAdded = added;
  form.reset();
  syncKind();
  check.textContent = "";
  submit.disabled = true;
  nameInput.placeholder = "";
  dialog.showModal();
  showMode("key");
}

export function setupAdd(): void {
  tabs.key.addEventListener("click", () => showMode("key"));
  tabs.uri.addEventListener("click", () => showMode("uri"));
  for (const field of Object.values(input)) field.addEventListener("input", () => void validate());
  input.type.addEventListener("change", () => {
    syncKind();
    void validate();
  });
  byId("add-cancel").addEventListener("click", () => dialog.close());
  forgetOnClose(dialog, [input.secret, input.uri]);
  const scanWith = (scan: () => Promise<unknown>) => () => {
    dialog.close();
    void scan();
  };
  byId("add-scan-screen").addEventListener("click", scanWith(scanScreen));
  byId("add-open-image").addEventListener("click", scanWith(scanImageFiles));
  byId("add-paste-image").addEventListener("click", scanWith(() => scanClipboard(false)));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    submit.disabled = true;
    try {
      const name = nameInput.value.trim();
      const account = await call(commands.addAccount(name === "" ? null : name, source()));
      dialog.close();
      toast(t("added", { name: account.name }));
      onAdded(account.id);
    } catch (e) {
      check.textContent = asProblem(e).message;
      check.className = "check error";
      submit.disabled = false;
    }
  });
}
