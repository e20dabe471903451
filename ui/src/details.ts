// The details dialog: rename, tags, note and pin, its icon, the account's parameters, resync with
// another device's codes, the key and its QR code (only after an explicit click), and delete with
// a confirmation that names the account.

import { call, asProblem, commands } from "./api";
import type { AccountView, Finding } from "./bindings";
import { byId, confirmed, el, toast } from "./dom";
import { toastDeleted } from "./trash";
import { paintAvatar } from "./icons";
import { duration, t } from "./l10n";

const dialog = byId<HTMLDialogElement>("details-dialog");
const nameInput = byId<HTMLInputElement>("details-name");
const tagsInput = byId<HTMLInputElement>("details-tags");
const noteInput = byId<HTMLTextAreaElement>("details-note");
const pinnedInput = byId<HTMLInputElement>("details-pinned");
const facts = byId("details-facts");
const secretBox = byId("details-secret");
const error = byId("details-error");
const iconPreview = byId("details-icon");
const iconSearch = byId<HTMLInputElement>("details-icon-search");
const iconResults = byId("details-icon-results");
const resyncBox = byId<HTMLDetailsElement>("details-resync");
const resyncCode = byId<HTMLInputElement>("details-resync-code");
const resyncNext = byId<HTMLInputElement>("details-resync-next");
const resyncSaid = byId("details-resync-said");
const resyncApply = byId<HTMLButtonElement>("details-resync-apply");

let current: AccountView | null = null;
let changed: () => void = () => {};

/// "staging, test users,," as ["staging", "test users"]: the shell checks what is left.
export function tagsOf(text: string): string[] {
  return text.split(",").map((t) => t.trim()).filter((t) => t !== "");
}

/// The icon it shows, and which of Automatic and Letter is chosen.
function showIcon(account: AccountView): void {
  paintAvatar(iconPreview, account.avatar, account.icon);
  byId("details-icon-auto").setAttribute("aria-pressed", String(!account.icon_chosen));
  byId("details-icon-letter").setAttribute("aria-pressed", String(account.icon_chosen && account.icon === null));
}

/// An icon chosen: applied at once (as the list shows it), whatever the dialog's other fields.
async function chooseIcon(choose: (id: string) => Promise<AccountView | null>): Promise<void> {
  if (!current) return;
  try {
    const account = await choose(current.id);
    if (!account || !current) return;
    current = { ...current, icon: account.icon, icon_chosen: account.icon_chosen };
    showIcon(current);
    changed();
  } catch (e) {
    error.textContent = asProblem(e).message;
  }
}

let searchTimer = 0;
function searchIcons(): void {
  window.clearTimeout(searchTimer);
  searchTimer = window.setTimeout(async () => {
    const hits = await commands.searchIcons(iconSearch.value);
    iconResults.replaceChildren(
      ...hits.map((hit) => {
        const button = el("button", { attrs: { type: "button", title: hit.title, "aria-label": hit.title, "data-icon-id": hit.id } }, [
          el("img", { attrs: { src: hit.image, alt: "" } }),
        ]);
        button.addEventListener("click", () => void chooseIcon((id) => call(commands.setAccountIcon(id, { kind: "bundled", id: hit.id }))));
        return button;
      }),
    );
  }, 120);
}

/// Resyncs with the codes typed; `apply` saves the clock correction a first resync offered.
async function resync(apply: boolean): Promise<void> {
  if (!current) return;
  const codes = [resyncCode.value, resyncNext.value].map((c) => c.trim()).filter((c) => c !== "");
  resyncApply.hidden = true;
  resyncSaid.textContent = t("resync-looking");
  try {
    const found = await call(commands.resyncAccount(current.id, codes, apply));
    resyncSaid.textContent = finding(current.name, found.found);
    if (found.correction_seconds !== null && found.correction_seconds !== undefined) {
      const seconds = found.correction_seconds;
      resyncApply.textContent = t("resync-apply", { seconds: `${seconds > 0 ? "+" : ""}${seconds}` });
      resyncApply.hidden = false;
    }
    if (found.changed) changed();
  } catch (e) {
    resyncSaid.textContent = asProblem(e).message;
  }
  // The answer is below the fold in a small window.
  (resyncApply.hidden ? resyncSaid : resyncApply).scrollIntoView({ block: "nearest" });
}

/** What a resync found, in a sentence. Times are "2 min 30 s later than" and the like. */
function finding(name: string, found: Finding): string {
  const apart = (seconds: number) => ({ amount: duration(Math.abs(seconds)), later: seconds > 0 ? "yes" : "no" });
  switch (found.kind) {
    case "counter":
      return t(BigInt(found.next) - BigInt(found.first) > 1n ? "resync-counter-on" : "resync-counter", { name, first: found.first, next: found.next, was: found.was });
    case "agrees":
      return t("resync-agrees", { name });
    case "this_clock": {
      const said = t("resync-this-clock", {
        name,
        server: found.server,
        ...apart(found.codes_seconds),
        clock: duration(Math.abs(found.clock_seconds)),
        behind: found.clock_seconds > 0 ? "yes" : "no",
      });
      const seconds = `${found.clock_seconds > 0 ? "+" : ""}${found.clock_seconds}`;
      return found.applied ? t("resync-applied", { said, seconds }) : said;
    }
    case "their_clock":
      return t("resync-their-clock", { name, server: found.server, ...apart(found.codes_seconds) });
    case "unchecked":
      return t("resync-unchecked", { name, why: found.why, ...apart(found.codes_seconds) });
  }
}

function fact(term: string, value: string): Node[] {
  return [el("dt", { text: term }), el("dd", { text: value === "" ? "—" : value })];
}

/** The details of account `id`, read from the shell: the list keeps only what its rows show. */
export async function openDetails(id: string): Promise<void> {
  try {
    showDetails(await call(commands.account(id)));
  } catch (e) {
    toast(asProblem(e).message);
  }
}

function showDetails(account: AccountView): void {
  current = account;
  byId("details-title").textContent = account.name;
  nameInput.value = account.name;
  tagsInput.value = account.tags.join(", ");
  noteInput.value = account.note;
  pinnedInput.checked = account.pinned;
  showIcon(account);
  iconSearch.value = "";
  iconResults.replaceChildren();
  facts.replaceChildren(
    ...fact(t("fact-issuer"), account.issuer),
    ...fact(t("fact-account"), account.label),
    ...fact(t("fact-type"), t(`type-${account.otp_type}`)),
    ...fact(t("fact-algorithm"), account.algorithm),
    ...fact(t("fact-digits"), String(account.digits)),
    ...(account.period != null
      ? fact(t("fact-period"), t("fact-period-value", { seconds: account.period }))
      : fact(t("fact-counter"), String(account.counter ?? 0))),
  );
  resyncBox.open = false;
  resyncCode.value = "";
  resyncNext.value = "";
  resyncSaid.textContent = "";
  resyncApply.hidden = true;
  secretBox.hidden = true;
  byId("details-key").textContent = "";
  byId<HTMLImageElement>("details-qr").removeAttribute("src");
  byId<HTMLButtonElement>("details-reveal").hidden = false;
  error.textContent = "";
  dialog.showModal();
}

export async function confirmDelete(account: Pick<AccountView, "id" | "name">): Promise<void> {
  const name = { name: account.name };
  if (!(await confirmed(t("delete-title", name), t("delete-text", name), t("delete")))) return;
  try {
    await call(commands.removeAccount(account.id));
    dialog.close();
    toastDeleted([account]);
    changed();
  } catch (e) {
    toast(asProblem(e).message);
  }
}

export function setupDetails(onChange: () => void): void {
  changed = onChange;
  byId("details-reveal").addEventListener("click", async () => {
    if (!current) return;
    try {
      const revealed = await call(commands.revealSecret(current.id));
      byId("details-key").textContent = revealed.secret;
      byId<HTMLImageElement>("details-qr").src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(revealed.qr_svg)}`;
      secretBox.hidden = false;
      byId<HTMLButtonElement>("details-reveal").hidden = true;
    } catch (e) {
      error.textContent = asProblem(e).message;
    }
  });
  byId("details-delete").addEventListener("click", () => current && void confirmDelete(current));
  byId("details-icon-auto").addEventListener("click", () => void chooseIcon((id) => call(commands.setAccountIcon(id, { kind: "auto" }))));
  byId("details-icon-letter").addEventListener("click", () => void chooseIcon((id) => call(commands.setAccountIcon(id, { kind: "letter" }))));
  byId("details-icon-file").addEventListener("click", () => void chooseIcon((id) => call(commands.chooseIconFile(id))));
  byId("details-resync-go").addEventListener("click", () => void resync(false));
  resyncApply.addEventListener("click", () => void resync(true));
  // Enter in a code resyncs; it doesn't save and close the dialog.
  for (const input of [resyncCode, resyncNext]) {
    input.addEventListener("keydown", (e) => {
      if (e.key !== "Enter") return;
      e.preventDefault();
      void resync(false);
    });
  }
  iconSearch.addEventListener("input", searchIcons);
  // Enter in the search picks nothing and saves nothing: the results are buttons.
  iconSearch.addEventListener("keydown", (e) => {
    if (e.key === "Enter") e.preventDefault();
  });
  byId<HTMLFormElement>("details-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!current) return;
    const name = nameInput.value.trim();
    const tags = tagsOf(tagsInput.value);
    const note = noteInput.value.trim();
    let saved = false;
    try {
      // The tags and note first: a refused tag leaves the name as it was too.
      if (tags.join("\n") !== current.tags.join("\n") || note !== current.note) {
        current = await call(commands.setAccountMeta(current.id, tags, note));
        saved = true;
      }
      if (pinnedInput.checked !== current.pinned) {
        current = await call(commands.pinAccount(current.id, pinnedInput.checked));
        saved = true;
      }
      if (name !== current.name) {
        await call(commands.renameAccount(current.id, name));
        saved = true;
      }
    } catch (e) {
      error.textContent = asProblem(e).message;
      if (saved) changed();
      return;
    }
    if (saved) changed();
    dialog.close();
  });
  dialog.addEventListener("close", () => {
    // The key leaves the page with the dialog.
    byId("details-key").textContent = "";
    byId<HTMLImageElement>("details-qr").removeAttribute("src");
    current = null;
  });
}
