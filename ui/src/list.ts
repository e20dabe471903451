// The account list: rows with a letter avatar, what tells the account apart (core's
// display::heading, computed in the shell), the code (grouped for reading), a countdown ring and
// the next code; search as you type, a bar of tags that filters; keyboard selection, and several
// rows selected at once (Ctrl-click, Shift-click, Ctrl+A, Shift+↑/↓); copy; reorder.
//
// Codes come from the shell (codes are never computed here). Each row knows when its code
// expires. One timer ticks once a second, on the second: codes whose period ended are replaced
// by the next code the row already has (TOTP boundaries fall on whole seconds, so codes change at
// the boundary), the shell is asked for the code after, and the countdown rings of the rows on
// screen move one step. Nothing else runs, and rows off screen cost nothing: a CSS animation
// per ring keeps a core busy under software rendering.

import { now } from "./clock";
import { call, asProblem, commands, type Problem } from "./api";
import type { AccountView, CodeView } from "./bindings";
import { byId, el, grouped, toast } from "./dom";
import { paintAvatar, startIcons } from "./icons";

/// Seconds before expiry when the countdown changes colour.
const ENDING_SECONDS = 5;
/// Rows built (and codes asked for) at once: about a screenful first, then chunks.
const FIRST_SCREEN_ROWS = 24;
const CHUNK = 200;

interface Row {
  account: AccountView;
  node: HTMLElement;
  avatarEl: HTMLElement;
  nameEl: HTMLElement;
  subEl: HTMLElement;
  codeBtn: HTMLButtonElement;
  nextEl: HTMLElement;
  ring: SVGSVGElement;
  view: CodeView | null;
}

const list = byId("list");
const search = byId<HTMLInputElement>("search");
const banner = byId("banner");
const bannerText = byId("banner-text");
const tagBar = byId("tags");
/// The tags chosen in the bar, lower-cased: a row is shown when it has every one.
const chosenTags = new Set<string>();
let rows: Row[] = [];
const rowsById = new Map<string, Row>();
/// The row with the cursor: what Enter copies, F2 renames, ↑/↓ move from.
let selectedId: string | null = null;
/// The rows selected together, shown selected; the selection bar acts on them when there are two
/// or more. Only rows on show: a search or a tag that hides a row takes it out.
const picked = new Set<string>();
/// Where a Shift-click or Shift+↑/↓ range starts.
let anchorId: string | null = null;
let pickedChanged: (accounts: AccountView[]) => void = () => {};
let timer = 0;
/// The rows on screen, kept by an IntersectionObserver: only their rings are painted.
const onScreen = new Set<Row>();
const observer = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      const row = rowsById.get((entry.target as HTMLElement).dataset.id ?? "");
      if (!row) continue;
      if (entry.isIntersecting) {
        onScreen.add(row);
        paintRing(row, now());
      } else {
        onScreen.delete(row);
      }
    }
  },
  { root: list },
);
let firstPainted = false;
let renderSeq = 0;

/** Whether the list is in the user's own order, the only one that drag and Alt+↑/↓ change. */
let manualOrder = true;
export function setManualOrder(manual: boolean): void {
  manualOrder = manual;
}

/** Moving is for the user's own order, ungrouped; otherwise the user is told where to get it. */
function canMove(): boolean {
  if (!manualOrder) toast("Sorted by the settings' order: choose \"Your order\" (⚙) to reorder");
  else if (grouping) toast("Grouped by issuer: turn grouping off (⚙) to reorder");
  return manualOrder && !grouping;
}

// ---------------------------------------------------------------- groups by issuer

/** One header per issuer, over that issuer's rows (kept together, in the list's order). */
let grouping = false;
/** The collapsed groups' keys (`groupKey`). */
const collapsed = new Set<string>();
const headers = new Map<string, HTMLButtonElement>();
let lastAccounts: AccountView[] | null = null;
let collapseChanged: (keys: string[]) => void = () => {};

/** Calls `save` with every collapsed group's key after each collapse or expand. */
export function onCollapse(save: (keys: string[]) => void): void {
  collapseChanged = save;
}

/** `key` added to `set` or taken out of it; whether it is in it now. */
function toggle(set: Set<string>, key: string): boolean {
  if (set.has(key)) set.delete(key);
  else set.add(key);
  return set.has(key);
}

function groupKey(account: AccountView): string {
  return account.issuer.trim().toLowerCase();
}

/** Grouping on or off, and the groups that start collapsed (from the settings). */
export function setGrouping(on: boolean, collapsedKeys: string[]): void {
  const changed = on !== grouping;
  grouping = on;
  collapsed.clear();
  for (const key of collapsedKeys) collapsed.add(key);
  if (changed && lastAccounts) render(lastAccounts);
}

/** `accounts` with each issuer's together, where its first one was. */
function groupedOrder(accounts: AccountView[]): AccountView[] {
  const groups = new Map<string, AccountView[]>();
  for (const a of accounts) {
    const group = groups.get(groupKey(a));
    if (group) group.push(a);
    else groups.set(groupKey(a), [a]);
  }
  return [...groups.values()].flat();
}

function groupHeader(account: AccountView): HTMLElement {
  const key = groupKey(account);
  const avatar = el("span", { class: "avatar", attrs: { "aria-hidden": "true" } });
  paintAvatar(avatar, account);
  const button = el("button", { class: "group-header", attrs: { type: "button", "aria-expanded": String(!collapsed.has(key)) } }, [
    avatar,
    el("span", { class: "group-name", text: account.issuer.trim() || "No issuer" }),
    el("span", { class: "group-count" }),
  ]);
  button.addEventListener("click", () => {
    button.setAttribute("aria-expanded", String(!toggle(collapsed, key)));
    filter();
    collapseChanged([...collapsed]);
  });
  headers.set(key, button);
  return el("div", { class: "group", attrs: { role: "presentation" } }, [button]);
}

/** The window was brought up by the shortcut: the next copy may hide it again. */
let wasSummoned = false;

/** The global shortcut brought the window up: an empty search, focused, and the first match
 * selected as the user types; the next copy hides the window again (if the settings say so). */
export function summoned(): void {
  for (const dialog of document.querySelectorAll<HTMLDialogElement>("dialog[open]")) dialog.close();
  search.value = "";
  search.dispatchEvent(new Event("input"));
  search.focus();
  wasSummoned = true;
}

export interface ListHooks {
  openDetails(account: AccountView): void;
  confirmDelete(account: AccountView): void;
  confirmDeleteMany(accounts: AccountView[]): void;
}
let hooks: ListHooks;

// ---------------------------------------------------------------- building rows

function ringSvg(): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 36 36");
  svg.setAttribute("class", "ring");
  svg.setAttribute("aria-hidden", "true");
  const track = document.createElementNS(ns, "circle");
  track.setAttribute("class", "track");
  const arc = document.createElementNS(ns, "circle");
  arc.setAttribute("class", "arc");
  for (const c of [track, arc]) {
    c.setAttribute("cx", "18");
    c.setAttribute("cy", "18");
    c.setAttribute("r", "15.9155"); // circumference 100
    svg.appendChild(c);
  }
  return svg;
}

function buildRow(account: AccountView): Row {
  const avatarEl = el("span", { class: "avatar", attrs: { "aria-hidden": "true" } });
  const nameEl = el("div", { class: "name" });
  const subEl = el("div", { class: "sub" });
  const codeBtn = el("button", { class: "code", attrs: { type: "button" } });
  const nextEl = el("div", { class: "next" });
  const ring = ringSvg();
  const more = el("button", { class: "more icon-button", text: "⋯", attrs: { type: "button" } });
  const node = el("div", { class: "row", attrs: { role: "option", "aria-selected": "false", draggable: "true" } }, [
    avatarEl,
    el("div", { class: "who" }, [nameEl, subEl]),
    codeBtn,
    el("div", { class: "timer" }, [ring, nextEl]),
    more,
  ]);
  const row: Row = { account, node, avatarEl, nameEl, subEl, codeBtn, nextEl, ring, view: null };
  codeBtn.addEventListener("click", () => void activate(row));
  more.addEventListener("click", () => hooks.openDetails(row.account));
  node.addEventListener("mousedown", (e) => {
    if (!e.shiftKey) return;
    // A Shift-click selects rows, not their text; the list takes the keys (Ctrl+A, Delete).
    e.preventDefault();
    list.focus();
  });
  node.addEventListener("click", (e) => {
    if ((e.target as Element).closest("button, input")) return; // the code, details, a rename
    if (e.shiftKey) pickRange(row.account.id);
    else if (e.ctrlKey || e.metaKey) togglePick(row.account.id);
    else select(row.account.id, false);
  });
  nameEl.addEventListener("dblclick", () => renameInline(row));
  node.addEventListener("dragstart", (e) => {
    e.dataTransfer?.setData("text/x-tessera-id", row.account.id);
    node.classList.add("dragging");
  });
  node.addEventListener("dragend", () => node.classList.remove("dragging"));
  node.addEventListener("dragover", (e) => {
    e.preventDefault();
    node.classList.add("drop-target");
  });
  node.addEventListener("dragleave", () => node.classList.remove("drop-target"));
  node.addEventListener("drop", (e) => {
    e.preventDefault();
    node.classList.remove("drop-target");
    const id = e.dataTransfer?.getData("text/x-tessera-id");
    if (id && id !== row.account.id && canMove()) void moveTo(id, rows.indexOf(row));
  });
  fillAccount(row, account);
  observer.observe(node);
  return row;
}

function fillAccount(row: Row, account: AccountView): void {
  row.account = account;
  row.node.id = `row-${account.id}`;
  row.node.dataset.id = account.id;
  fillHeading(row);
  paintAvatar(row.avatarEl, account);
  row.subEl.textContent = account.heading.sub;
  row.node.querySelector(".more")?.setAttribute("aria-label", `Details of ${account.name}${account.pinned ? " (pinned)" : ""}`);
  row.node.classList.toggle("hotp", account.otp_type === "hotp");
  row.node.classList.toggle("pinned", account.pinned);
  paintCode(row);
}

/// The first line: the part that tells the account apart, which CSS never cuts while it fits,
/// then the rest, cut first.
function fillHeading(row: Row): void {
  const { first, rest } = row.account.heading;
  row.nameEl.replaceChildren(el("span", { class: "key", text: first }), ...(rest ? [el("span", { class: "rest", text: rest })] : []));
  row.nameEl.title = first + rest;
}

// ---------------------------------------------------------------- codes

function paintCode(row: Row): void {
  const { account, view, codeBtn, nextEl } = row;
  row.node.classList.remove("problem");
  if (view?.problem) {
    row.node.classList.add("problem");
    codeBtn.textContent = view.problem.code === "secret_missing" ? "Key missing" : "Unavailable";
    codeBtn.title = view.problem.message;
    codeBtn.setAttribute("aria-label", `${account.name}: ${view.problem.message}`);
    nextEl.textContent = "";
    return;
  }
  codeBtn.title = "";
  if (account.otp_type === "hotp") {
    const code = view?.code ?? null;
    codeBtn.textContent = code === null ? "Show code" : grouped(code);
    codeBtn.setAttribute("aria-label", code === null ? `Show a code for ${account.name}` : `Copy code ${code} of ${account.name}`);
    nextEl.textContent = "";
    return;
  }
  const code = view?.code ?? null;
  codeBtn.textContent = code === null ? "··· ···" : grouped(code);
  codeBtn.setAttribute("aria-label", code === null ? `${account.name}: loading` : `Copy code ${code} of ${account.name}`);
  nextEl.textContent = view?.next_code ? grouped(view.next_code) : "";
  nextEl.setAttribute("aria-label", view?.next_code ? `Next code ${view.next_code}` : "");
  if (onScreen.has(row)) paintRing(row, now());
}

/// Moves the row's countdown ring to where the period is at `now`, and turns it "ending" in
/// the last seconds.
function paintRing(row: Row, now: number): void {
  const { view, ring } = row;
  if (!view || view.expires_at_ms == null || view.period == null) return;
  const left = Math.max(0, view.expires_at_ms - now) / 1000;
  const arc = ring.lastElementChild as SVGCircleElement;
  arc.style.setProperty("stroke-dashoffset", String(100 - (left / view.period) * 100));
  row.node.classList.toggle("ending", left <= ENDING_SECONDS);
}

function showProblems(problems: Problem["error"][]): void {
  const global = problems.find((p) => p.code === "no_keychain" || p.code === "keychain_locked" || p.code === "keychain_failed");
  banner.hidden = !global;
  bannerText.textContent = global ? global.message : "";
  byId("banner-retry").hidden = false;
}

/** The keychain waits for the person (an unlock, an access request): said until the codes come
 * or fail. */
export function showKeychainWait(what: string): void {
  banner.hidden = false;
  bannerText.textContent = `Tessera is ${what}`;
  byId("banner-retry").hidden = true;
}

/** Every row's codes asked for again: the banner's "Try again" (from the keychain as it is now,
 * started or unlocked since; the shell keeps no failure), and after the time codes are made for
 * changed (a clock correction). */
export function refreshCodes(): void {
  void loadCodes(rows.filter((r) => r.account.otp_type !== "hotp").map((r) => r.account.id));
}

async function loadCodes(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  let views: CodeView[];
  try {
    views = await call(commands.codes(ids));
  } catch (e) {
    showProblems([asProblem(e).error]);
    return;
  }
  const problems: Problem["error"][] = [];
  for (const view of views) {
    const row = rowsById.get(view.id);
    if (!row) continue;
    row.view = view;
    if (view.problem) problems.push(view.problem);
    paintCode(row);
  }
  showProblems(problems);
  schedule();
}

/// The list's one timer: at the next whole second, while any row counts down.
function schedule(): void {
  window.clearTimeout(timer);
  if (!rows.some((r) => r.view?.expires_at_ms != null && !r.view.problem)) return;
  timer = window.setTimeout(tick, 1000 - (now() % 1000));
}

function tick(): void {
  const at = now();
  const refresh: string[] = [];
  for (const row of rows) {
    const view = row.view;
    if (!view || view.expires_at_ms == null || view.period == null || view.problem) continue;
    // Timers fire a little late, never early; the margin covers a clock read a hair early.
    if (view.expires_at_ms <= at + 20) {
      // The boundary: the next code, already here, becomes the code at once.
      const periods = Math.floor((at + 20 - view.expires_at_ms) / (view.period * 1000)) + 1;
      row.view = {
        ...view,
        code: periods === 1 ? view.next_code : null,
        next_code: null,
        expires_at_ms: view.expires_at_ms + periods * view.period * 1000,
      };
      paintCode(row);
      refresh.push(row.account.id);
    }
  }
  if (!document.hidden) for (const row of onScreen) paintRing(row, at);
  schedule();
  void loadCodes(refresh);
}

// ---------------------------------------------------------------- the list

/// Shows `accounts` in order, keeping rows (and their codes) that were already there. The first
/// screenful is built and its codes asked for at once; the other rows follow in chunks, so that
/// 1000 accounts do not delay the first code.
export function render(accounts: AccountView[]): void {
  const seq = ++renderSeq;
  const keep = new Set(accounts.map((a) => a.id));
  if ([...picked].some((id) => !keep.has(id))) setPicked([...picked].filter((id) => keep.has(id)));
  const old = new Map(rowsById);
  for (const [id, row] of old) {
    if (keep.has(id)) continue;
    row.node.remove();
    observer.unobserve(row.node);
    onScreen.delete(row);
    old.delete(id);
  }
  lastAccounts = accounts;
  if (grouping) accounts = groupedOrder(accounts);
  rows = [];
  rowsById.clear();
  headers.clear();
  list.replaceChildren();
  let lastKey: string | null = null;
  byId("empty").hidden = accounts.length > 0;
  let at = 0;
  const step = (size: number) => {
    if (seq !== renderSeq) return; // a newer render took over
    const chunk = accounts.slice(at, at + size);
    at += chunk.length;
    const fragment = document.createDocumentFragment();
    const fresh: string[] = [];
    for (const account of chunk) {
      const existing = old.get(account.id);
      if (existing) fillAccount(existing, account);
      const row = existing ?? buildRow(account);
      rows.push(row);
      rowsById.set(account.id, row);
      if (grouping && groupKey(account) !== lastKey) {
        lastKey = groupKey(account);
        fragment.appendChild(groupHeader(account));
      }
      fragment.appendChild(row.node);
      if (row.view === null) fresh.push(account.id);
    }
    list.appendChild(fragment);
    if (at >= accounts.length) fillTagBar();
    filter();
    const codes = loadCodes(fresh).then(firstPaint);
    // Icons after the first screen's codes, painted or not (all HOTP, keys missing).
    void codes.then(() => requestAnimationFrame(startIcons));
    if (at >= accounts.length) return;
    // The other rows wait for the first screen's codes to be painted: built meanwhile, they
    // hold back that paint.
    if (size === FIRST_SCREEN_ROWS) {
      void codes.then(() => requestAnimationFrame(() => window.setTimeout(() => step(CHUNK), 0)));
    } else {
      window.setTimeout(() => step(CHUNK), 0);
    }
  };
  step(FIRST_SCREEN_ROWS);
}

/// Tells the shell, once, that the first code is on screen (for the start-up benchmark).
function firstPaint(): void {
  if (firstPainted || !rows.some((r) => r.view?.code)) return;
  firstPainted = true;
  requestAnimationFrame(() => requestAnimationFrame(() => void commands.firstCodePainted()));
}

export async function reload(): Promise<void> {
  try {
    render(await call(commands.listAccounts()));
  } catch (e) {
    showProblems([asProblem(e).error]);
  }
}

function matches(account: AccountView, query: string): boolean {
  const tags = account.tags.map((t) => t.toLowerCase());
  for (const tag of chosenTags) if (!tags.includes(tag)) return false;
  if (query === "") return true;
  return [account.name, account.issuer, account.label, account.note, ...account.tags].some((s) => s.toLowerCase().includes(query));
}

/** The tags of `accounts`, each once whatever its case: by its lower-case form, spelled as first
 * met. */
export function tagsIn(accounts: AccountView[]): Map<string, string> {
  const tags = new Map<string, string>();
  for (const account of accounts) for (const tag of account.tags) if (!tags.has(tag.toLowerCase())) tags.set(tag.toLowerCase(), tag);
  return tags;
}

/// One button per tag in use (spelled as first met, in alphabetical order), pressed while
/// chosen; hidden when no account has a tag. Chosen tags that are gone are dropped.
function fillTagBar(): void {
  const tags = tagsIn(rows.map((r) => r.account));
  for (const tag of chosenTags) if (!tags.has(tag)) chosenTags.delete(tag);
  const sorted = [...tags].sort(([a], [b]) => a.localeCompare(b));
  tagBar.replaceChildren(
    ...sorted.map(([key, tag]) => {
      const button = el("button", { class: "tag", text: tag, attrs: { type: "button", "aria-pressed": String(chosenTags.has(key)) } });
      button.addEventListener("click", () => {
        button.setAttribute("aria-pressed", String(toggle(chosenTags, key)));
        filter();
      });
      return button;
    }),
  );
  tagBar.hidden = sorted.length === 0;
}

function filter(): void {
  const query = search.value.trim().toLowerCase();
  let shown = 0;
  const matching = new Map<string, number>();
  for (const row of rows) {
    const match = matches(row.account, query);
    const key = groupKey(row.account);
    if (match) matching.set(key, (matching.get(key) ?? 0) + 1);
    row.node.hidden = !match || (grouping && collapsed.has(key));
    if (match) shown++;
  }
  // A group shows while any of its accounts matches, collapsed or not, with how many do.
  for (const [key, header] of headers) {
    const count = matching.get(key) ?? 0;
    (header.parentElement as HTMLElement).hidden = count === 0;
    (header.lastElementChild as HTMLElement).textContent = String(count);
  }
  byId("no-match").hidden = shown > 0 || rows.length === 0;
  // Rows a render has yet to build stay selected.
  const onShow = [...picked].filter((id) => rowsById.get(id)?.node.hidden !== true);
  if (onShow.length < picked.size) setPicked(onShow);
  const current = selectedId ? rowsById.get(selectedId) : undefined;
  if (current && !current.node.hidden) return;
  if (onShow.length > 0) setCursor(onShow[0], false);
  else select(query === "" && chosenTags.size === 0 ? null : (visibleRows()[0]?.account.id ?? null), false);
}

function visibleRows(): Row[] {
  return rows.filter((r) => !r.node.hidden);
}

/** The row `id` alone selected, with the cursor (none for `null`). */
function select(id: string | null, scroll: boolean): void {
  anchorId = id;
  setPicked(id ? [id] : []);
  setCursor(id, scroll);
}

function setCursor(id: string | null, scroll: boolean): void {
  if (selectedId) rowsById.get(selectedId)?.node.classList.remove("cursor");
  selectedId = id;
  const row = id ? rowsById.get(id) : undefined;
  if (row) {
    row.node.classList.add("cursor");
    list.setAttribute("aria-activedescendant", row.node.id);
    if (scroll) row.node.scrollIntoView({ block: "nearest" });
  } else {
    list.removeAttribute("aria-activedescendant");
  }
}

/** Exactly the rows `ids` selected: only the rows that change are touched. */
function setPicked(ids: string[]): void {
  const next = new Set(ids);
  for (const id of picked) if (!next.has(id)) rowsById.get(id)?.node.setAttribute("aria-selected", "false");
  for (const id of next) if (!picked.has(id)) rowsById.get(id)?.node.setAttribute("aria-selected", "true");
  picked.clear();
  for (const id of next) picked.add(id);
  pickedChanged(pickedAccounts());
}

/** Ctrl-click: the row in or out of the selection, the others kept. */
function togglePick(id: string): void {
  const next = new Set(picked);
  toggle(next, id);
  setPicked([...next]);
  anchorId = id;
  setCursor(id, false);
}

/** Shift-click or Shift+↑/↓: the rows on show from the anchor to `id`. */
function pickRange(id: string): void {
  const shown = visibleRows().map((r) => r.account.id);
  const to = shown.indexOf(id);
  const from = anchorId ? shown.indexOf(anchorId) : -1;
  if (from < 0) {
    select(id, true);
    return;
  }
  setPicked(shown.slice(Math.min(from, to), Math.max(from, to) + 1));
  setCursor(id, true);
}

/** Ctrl+A, or the selection bar's "Select all": every row on show. */
export function pickAll(): void {
  const shown = visibleRows();
  setPicked(shown.map((r) => r.account.id));
  if (!selectedId || !picked.has(selectedId)) setCursor(shown[0]?.account.id ?? null, false);
}

/** The selection back to the row with the cursor alone. */
export function pickOne(): void {
  select(selectedId, false);
}

/** The selected accounts as they are now, in the list's order. */
export function pickedAccounts(): AccountView[] {
  return rows.filter((r) => picked.has(r.account.id)).map((r) => r.account);
}

/** Calls `changed` with the selected accounts whenever the selection changes. */
export function onPick(changed: (accounts: AccountView[]) => void): void {
  pickedChanged = changed;
}

function moveSelection(step: number, extend: boolean): void {
  const shown = visibleRows();
  if (shown.length === 0) return;
  const at = shown.findIndex((r) => r.account.id === selectedId);
  const to = at < 0 ? (step > 0 ? 0 : shown.length - 1) : Math.min(shown.length - 1, Math.max(0, at + step));
  if (extend) pickRange(shown[to].account.id);
  else select(shown[to].account.id, true);
}

/// Click on a code, or Enter: copy it (HOTP: take a code first).
async function activate(row: Row): Promise<void> {
  if (picked.has(row.account.id)) setCursor(row.account.id, false);
  else select(row.account.id, false);
  try {
    if (row.account.otp_type === "hotp" && !row.view?.code) {
      row.view = await call(commands.takeHotpCode(row.account.id));
      paintCode(row);
      return;
    }
    const { code, clear_after_seconds: clear } = await call(commands.copyCode(row.account.id));
    row.node.classList.add("copied");
    window.setTimeout(() => row.node.classList.remove("copied"), 900);
    toast(clear > 0 ? `Copied ${grouped(code)} · cleared in ${clear} s` : `Copied ${grouped(code)}`);
    if (wasSummoned) {
      wasSummoned = false;
      await call(commands.hideAfterCopy());
    }
  } catch (e) {
    toast(asProblem(e).message);
  }
}

async function moveTo(id: string, position: number): Promise<void> {
  try {
    render(await call(commands.moveAccount(id, position)));
    select(id, true);
  } catch (e) {
    toast(asProblem(e).message);
  }
}

function renameInline(row: Row): void {
  const input = el("input", { class: "rename", attrs: { "aria-label": `New name for ${row.account.name}` } });
  input.value = row.account.name;
  row.nameEl.replaceChildren(input);
  row.nameEl.title = "";
  input.focus();
  input.select();
  let done = false;
  const finish = async (save: boolean) => {
    if (done) return;
    done = true;
    const name = input.value.trim();
    if (save && name !== "" && name !== row.account.name) {
      try {
        fillAccount(row, await call(commands.renameAccount(row.account.id, name)));
      } catch (e) {
        toast(asProblem(e).message);
      }
    }
    fillHeading(row);
    list.focus();
  };
  input.addEventListener("keydown", (e) => {
    e.stopPropagation();
    if (e.key === "Enter") void finish(true);
    if (e.key === "Escape") void finish(false);
  });
  input.addEventListener("blur", () => void finish(true));
}

/** Whether the keys go to a text field (the search, a rename). */
function inField(): boolean {
  return document.activeElement instanceof HTMLInputElement || document.activeElement instanceof HTMLTextAreaElement;
}

function anyDialogOpen(): boolean {
  return document.querySelector("dialog[open]") !== null;
}

export function setupList(h: ListHooks, openAdd: () => void): void {
  byId("banner-retry").addEventListener("click", refreshCodes);
  hooks = h;
  list.tabIndex = 0;
  search.addEventListener("input", filter);
  document.addEventListener("keydown", (e) => {
    if (anyDialogOpen()) return;
    const inSearch = document.activeElement === search;
    const selected = selectedId ? rowsById.get(selectedId) : undefined;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "n") {
      e.preventDefault();
      openAdd();
    } else if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown") && selected) {
      e.preventDefault();
      if (!canMove()) return;
      const at = rows.indexOf(selected);
      void moveTo(selected.account.id, Math.max(0, at + (e.key === "ArrowUp" ? -1 : 1)));
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      moveSelection(e.key === "ArrowDown" ? 1 : -1, e.shiftKey);
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "a" && !inField()) {
      // In the search field Ctrl+A selects its text; elsewhere, every row on show.
      e.preventDefault();
      pickAll();
    } else if (e.key === "Enter") {
      const target = selected ?? visibleRows()[0];
      if (target && (inSearch || document.activeElement === list || document.activeElement === document.body)) {
        e.preventDefault();
        void activate(target);
      }
    } else if (e.key === "Escape") {
      if (picked.size > 1) {
        pickOne();
      } else if (search.value !== "") {
        search.value = "";
        filter();
      } else {
        select(null, false);
      }
      search.focus();
    } else if (e.key === "F2" && selected) {
      e.preventDefault();
      renameInline(selected);
    } else if (e.key === "Delete" && picked.size > 1 && !inSearch) {
      e.preventDefault();
      hooks.confirmDeleteMany(pickedAccounts());
    } else if (e.key === "Delete" && selected && !inSearch) {
      e.preventDefault();
      hooks.confirmDelete(selected.account);
    } else if (e.key.length === 1 && !inSearch && !e.ctrlKey && !e.metaKey && !e.altKey && !inField()) {
      // Typing anywhere searches.
      search.focus();
    }
  });
  document.addEventListener("visibilitychange", () => {
    // Timers may have slept while hidden: catch up at once.
    if (!document.hidden) tick();
  });
}

export function accountById(id: string): AccountView | undefined {
  return rowsById.get(id)?.account;
}
