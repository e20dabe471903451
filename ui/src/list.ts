// The account list: rows with a letter avatar, what tells the account apart (core's
// display::heading, computed in the shell), the code (grouped for reading), a countdown ring and
// the next code; search as you type, a bar of tags that filters; keyboard selection, and several
// rows selected at once (Ctrl-click, Shift-click, Ctrl+A, Shift+↑/↓); copy; reorder.
//
// The list is virtual (vlist.ts): the accounts are data, and only the rows on screen and a
// screenful either side are in the DOM, built from a few reused nodes. Each account is a line of
// the shell's RowTable, what its row shows and a search reads, held as text (table.ts) and made
// into an object for a row placed; the details dialog asks for the rest. A search or a tag filters
// the data and places the rows again; every option says its place in the whole list
// (aria-posinset, aria-setsize), so a screen reader counts them all.
//
// Codes come from the shell (codes are never computed here), asked for the rows placed, when
// they are placed. Each code knows when it expires. One timer fires when a countdown ring next
// moves (every 5 s, in the ending colour for the last 5), while the window is shown: codes whose
// period ended are replaced by the next code already here (TOTP boundaries fall on whole
// seconds), the shell is asked for the code after, and the rings move. Nothing else runs;
// hidden, nothing runs at all.

import { now } from "./clock";
import { call, asProblem, commands, type Problem } from "./api";
import type { CodeView, KeychainWaiting, RowTable } from "./bindings";
import { AccountTable, type Account } from "./table";
import { byId, el, grouped, toast } from "./dom";
import { paintAvatar, startIcons } from "./icons";
import { VirtualList } from "./vlist";
import { problemText, shellSaid, t } from "./l10n";

/// The countdown ring moves in steps of this many seconds, and its last step is in the ending
/// colour. Each move is a repaint, and in WebKitGTK even one small repaint costs an open, idle
/// window more than everything else it does (docs/testing.md), so the ring moves seldom.
const STEP_SECONDS = 5;

interface Row {
  /** The account shown, and where it is in which table: a row is filled again when either
   * changes, or when its line comes (`lined`: the account is what the line says, not a blank
   * stand-in). */
  account: Account;
  lined: boolean;
  table: AccountTable;
  index: number;
  node: HTMLElement;
  avatarEl: HTMLElement;
  nameEl: HTMLElement;
  subEl: HTMLElement;
  codeBtn: HTMLButtonElement;
  nextEl: HTMLElement;
  more: HTMLButtonElement;
  ring: SVGSVGElement;
}

/** A header over each issuer's rows when grouping, showing its first account's avatar. */
interface Group {
  kind: "group";
  key: string;
  /** Its first account's index (the shell sends that account's line with the table). */
  first: number;
}
/** What the list shows, in order: rows, each its account's index (an object more per account
 * would be held for every account), and the groups' headers. */
type Item = number | Group;

const list = byId("list");
const search = byId<HTMLInputElement>("search");
const banner = byId("banner");
const bannerText = byId("banner-text");
const tagBar = byId("tags");
/// The tags chosen in the bar, lower-cased: a row is shown when it has every one.
const chosenTags = new Set<string>();

/// Every account, in the shell's order: the arrays below are by an account's index in it.
let table = new AccountTable({ ids: "", rows: "", finds: "", groups: [], group_keys: [], tags: [] });
/// The indexes in the list's order (each issuer's together when grouping).
let order: Int32Array = new Int32Array(0);
/// The rows on show (matching the search and tags, in an open group), in order, by index: what
/// the keyboard moves through and Ctrl+A selects. `positions` has each one's place in it and
/// `itemIndexes` its item's in the virtual list (to scroll to it), -1 for an account not on show.
let shown: number[] = [];
let positions = new Int32Array(0);
let itemIndexes = new Int32Array(0);

/** Where account `id` is in `places` (`positions` or `itemIndexes`); -1 when not on show. */
function placeOf(places: Int32Array, id: string | null): number {
  const index = table.indexOf(id);
  return index < 0 ? -1 : places[index];
}
/// How many accounts of each group match, for its header.
const matching = new Map<string, number>();

/// The codes known, by id (placed or not), and those asked for and not answered yet.
const views = new Map<string, CodeView>();
const asked = new Set<string>();

/// The rows in the DOM, by id, and nodes kept for the next rows placed.
const placedRows = new Map<string, Row>();
const spareRows: Row[] = [];
const headers = new Map<string, HTMLElement>();

/// The row with the cursor: what Enter copies, F2 renames, ↑/↓ move from.
let selectedId: string | null = null;
/// The rows selected together, shown selected; the selection bar acts on them when there are two
/// or more. Only rows on show: a search or a tag that hides a row takes it out.
const picked = new Set<string>();
/// Where a Shift-click or Shift+↑/↓ range starts.
let anchorId: string | null = null;
let pickedChanged: (count: number) => void = () => {};
let timer = 0;
let firstPainted = false;

const rows = new VirtualList<Item>(list, {
  key: (item) => (typeof item === "number" ? table.id(item) : `group:${item.key}`),
  kind: (item) => (typeof item === "number" ? "row" : item.kind),
  node: (item, index) => (typeof item === "number" ? placeRow(item, index) : placeHeader(item)),
  release: (key, node) => {
    if (key.startsWith("group:")) return;
    const row = placedRows.get(key);
    if (row?.node !== node) return;
    placedRows.delete(key);
    spareRows.push(row);
  },
  placed: () => {
    showCursor();
    askAtRest();
    schedule();
    firstPaint();
  },
});

/** Whether the list is in the user's own order, the only one that drag and Alt+↑/↓ change. */
let manualOrder = true;
export function setManualOrder(manual: boolean): void {
  manualOrder = manual;
}

/** Moving is for the user's own order, ungrouped; otherwise the user is told where to get it. */
function canMove(): boolean {
  if (!manualOrder) toast(t("reorder-sorted"));
  else if (grouping) toast(t("reorder-grouped"));
  return manualOrder && !grouping;
}

// ---------------------------------------------------------------- groups by issuer

/** One header per issuer, over that issuer's rows (kept together, in the list's order). */
let grouping = false;
/** The collapsed groups' keys (`groupKey`). */
const collapsed = new Set<string>();
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

/** Grouping on or off, and the groups that start collapsed (from the settings). */
export function setGrouping(on: boolean, collapsedKeys: string[]): void {
  const changed = on !== grouping;
  grouping = on;
  collapsed.clear();
  for (const key of collapsedKeys) collapsed.add(key);
  order = listOrder();
  if (changed && table.length > 0) filter(true);
}

/** The accounts' indexes in the list's order: the shell's, or with each issuer's together where
 * its first one was (the shell's `open_window` picks the first screen's codes in this same
 * order). */
function listOrder(): Int32Array {
  const next = new Int32Array(table.length);
  if (!grouping) return next.map((_, i) => i);
  // Counting sort by group, in order within each.
  const { groups, groupKeys } = table;
  const starts = new Int32Array(groupKeys.length + 1);
  for (const group of groups) starts[group + 1]++;
  for (let g = 0; g < groupKeys.length; g++) starts[g + 1] += starts[g];
  for (let i = 0; i < groups.length; i++) next[starts[groups[i]]++] = i;
  return next;
}

function placeHeader(item: Group): HTMLElement {
  let group = headers.get(item.key);
  if (!group) {
    const account = table.at(item.first) ?? blank(table.id(item.first));
    const avatar = el("span", { class: "avatar", attrs: { "aria-hidden": "true" } });
    paintAvatar(avatar, account, account.icon);
    const button = el("button", { class: "group-header", attrs: { type: "button", "data-group": item.key } }, [
      avatar,
      el("span", { class: "group-name", text: account.issuer.trim() || t("group-no-issuer") }),
      el("span", { class: "group-count" }),
    ]);
    group = el("div", { class: "group", attrs: { role: "presentation" } }, [button]);
    headers.set(item.key, group);
  }
  const button = group.firstElementChild as HTMLElement;
  button.setAttribute("aria-expanded", String(!collapsed.has(item.key)));
  (button.lastElementChild as HTMLElement).textContent = String(matching.get(item.key) ?? 0);
  return group;
}

/** The global shortcut brought the window up: the next copy may hide it again. */
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
  openDetails(id: string): void;
  confirmDelete(account: Account): void;
  confirmDeleteMany(accounts: Account[]): void;
}
let hooks: ListHooks;

// ---------------------------------------------------------------- rows

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

function rowNodes(): Omit<Row, "account" | "lined" | "table" | "index"> {
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
  return { node, avatarEl, nameEl, subEl, codeBtn, nextEl, more, ring };
}

/** Lays out a row nobody sees, while the window waits for the shell's first answer: a row's
 * first layout loads its fonts (tens of milliseconds in WebKitGTK), which then no longer delay
 * the first code. */
export function warmRows(): void {
  const { node, avatarEl, nameEl, subEl, codeBtn, nextEl } = rowNodes();
  avatarEl.textContent = "W";
  nameEl.append(el("span", { class: "key", text: "Wg" }), el("span", { class: "rest", text: "Wg" }));
  subEl.textContent = "Wg";
  codeBtn.textContent = "012 345";
  nextEl.textContent = "678 901";
  node.style.visibility = "hidden";
  list.append(node);
  node.getBoundingClientRect();
  node.remove();
}

/** The row of account `index` for the DOM: the one already placed, else a spare node filled for
 * it. What a row does is handled once for the whole list (`setupList`). */
function placeRow(index: number, place: number): HTMLElement {
  const id = table.id(index);
  let row = placedRows.get(id);
  if (!row || row.table !== table || row.index !== index || (!row.lined && table.hasLine(index))) {
    const account = table.at(index) ?? blank(id);
    row ??= spareRows.pop() ?? { ...rowNodes(), account, lined: false, table, index };
    placedRows.set(id, row);
    fillAccount(row, account, index);
  }
  const node = row.node;
  const at = positions[index];
  node.setAttribute("aria-posinset", String((at < 0 ? place : at) + 1));
  node.setAttribute("aria-setsize", String(shown.length));
  return node;
}

/** What a row shows until its account's line comes: nothing but its place. */
function blank(id: string): Account {
  return { id, name: "", issuer: "", first: "", rest: "", sub: "", letter: "", hue: 0, icon: null, tags: [], pinned: false, hotp: false };
}

function fillAccount(row: Row, account: Account, index: number): void {
  row.account = account;
  row.lined = table.hasLine(index);
  row.table = table;
  row.index = index;
  row.node.id = `row-${account.id}`;
  row.node.dataset.id = account.id;
  row.node.classList.remove("copied", "dragging", "drop-target");
  row.node.setAttribute("aria-selected", String(picked.has(account.id)));
  row.node.classList.toggle("cursor", account.id === selectedId);
  fillHeading(row);
  paintAvatar(row.avatarEl, account, account.icon);
  row.subEl.textContent = account.sub;
  label(() => row.more.setAttribute("aria-label", t("row-details", { name: account.name, pinned: account.pinned ? "yes" : "no" }, "aria-label")));
  row.node.classList.toggle("hotp", account.hotp);
  row.node.classList.toggle("pinned", account.pinned);
  paintCode(row);
}

/// The first line: the part that tells the account apart, which CSS never cuts while it fits,
/// then the rest, cut first.
function fillHeading(row: Row): void {
  // A rename under way keeps its field when the list is shown again (a sync, the CLI).
  if (renaming && renaming.id === row.account.id && row.nameEl.contains(renaming.input)) return;
  const { first, rest } = row.account;
  row.nameEl.replaceChildren(el("span", { class: "key", text: first }), ...(rest ? [el("span", { class: "rest", text: rest })] : []));
  row.nameEl.title = first + rest;
}

/** The row placed for the node an event happened in. */
function rowOf(target: EventTarget | null): Row | undefined {
  const node = (target as Element | null)?.closest?.<HTMLElement>(".row");
  return node ? placedRows.get(node.dataset.id ?? "") : undefined;
}

// ---------------------------------------------------------------- codes

function paintCode(row: Row): void {
  const { account, codeBtn, nextEl } = row;
  const view = views.get(account.id) ?? null;
  row.node.classList.remove("problem");
  if (view?.problem) {
    row.node.classList.add("problem");
    const problem = problemText(view.problem);
    codeBtn.textContent = t(view.problem.code === "secret_missing" ? "row-key-missing" : "row-unavailable");
    codeBtn.title = problem;
    label(() => codeBtn.setAttribute("aria-label", t("row-problem", { name: account.name, problem }, "aria-label")));
    nextEl.textContent = "";
    labelRow(row, null);
    return;
  }
  codeBtn.title = "";
  if (account.hotp) {
    const code = view?.code ?? null;
    codeBtn.textContent = code === null ? t("row-show-code") : grouped(code);
    label(() => codeBtn.setAttribute("aria-label", t(code === null ? "row-show-code" : "row-copy", { code: code ?? "", name: account.name }, "aria-label")));
    nextEl.textContent = "";
    labelRow(row, null);
    return;
  }
  const code = view?.code ?? null;
  codeBtn.textContent = code === null ? "··· ···" : grouped(code);
  nextEl.textContent = view?.next_code ? grouped(view.next_code) : "";
  label(() => {
    codeBtn.setAttribute("aria-label", t(code === null ? "row-loading" : "row-copy", { code: code ?? "", name: account.name }, "aria-label"));
    nextEl.setAttribute("aria-label", view?.next_code ? t("row-next", { code: view.next_code }, "aria-label") : "");
  });
  paintRing(row, now());
}

/** Words for screen readers wait here until the first code is painted: formatting them (Fluent
 * and Intl, first used then) took a third of the first screen's time. In order, so a node keeps
 * the last words given for it. */
let labelsLater: (() => void)[] | null = [];

function label(task: () => void): void {
  if (labelsLater) labelsLater.push(task);
  else task();
}

/** The first screen is painted: its rows' words for screen readers, and from now on at once. */
export function labelRows(): void {
  const tasks = labelsLater ?? [];
  labelsLater = null;
  for (const task of tasks) task();
}

/// What a screen reader says of a row: the account, its code and the seconds left as the ring
/// shows them (so the label changes when the ring moves, not every second).
function labelRow(row: Row, left: number | null): void {
  label(() => labelRowNow(row, left));
}

function labelRowNow(row: Row, left: number | null): void {
  const { account } = row;
  const view = views.get(account.id);
  const who = { name: account.name, sub: account.sub };
  let label: string;
  if (view?.problem) label = t("row-label-problem", { ...who, problem: problemText(view.problem) });
  else if (!view?.code) label = t(account.hotp ? "row-label-counter" : "row-label-loading", who);
  else if (left === null) label = t("row-label-code", { ...who, code: grouped(view.code) });
  else label = t("row-label", { ...who, code: grouped(view.code), seconds: left });
  if (row.node.getAttribute("aria-label") !== label) row.node.setAttribute("aria-label", label);
}

/// Moves the row's countdown ring to where the period is at `now`, and turns it "ending" for
/// its last step.
function paintRing(row: Row, now: number): void {
  const view = views.get(row.account.id);
  if (!view || view.expires_at_ms == null || view.period == null) return;
  const left = secondsShown(view.expires_at_ms, now);
  labelRow(row, left);
  const arc = row.ring.lastElementChild as SVGCircleElement;
  const offset = String(100 - (Math.min(left, view.period) / view.period) * 100);
  // Unchanged, nothing is written: the tick of another row's step repaints nothing here.
  if (arc.style.getPropertyValue("stroke-dashoffset") !== offset) arc.style.setProperty("stroke-dashoffset", offset);
  row.node.classList.toggle("ending", left <= STEP_SECONDS);
}

/** The seconds left the ring shows at `now`, in whole steps (10 from 10 s left down to 5 s).
 * Codes expire on whole seconds, and the timer fires at these moments, a little late, never
 * early. */
function secondsShown(expiresAtMs: number, now: number): number {
  const left = Math.max(0, expiresAtMs - now) / 1000;
  return Math.ceil(left / STEP_SECONDS) * STEP_SECONDS;
}

/** When the ring of a code expiring at `expiresAtMs` next moves: its next step, or a second
 * after an expiry not rolled over yet. */
function nextMove(expiresAtMs: number, now: number): number {
  const shown = secondsShown(expiresAtMs, now);
  return expiresAtMs - (shown > 0 ? shown - STEP_SECONDS : -1) * 1000;
}

/// A code whose period ended at `at` becomes the next code, when there is one (a single period
/// later); whether it changed, and so needs the code after from the shell.
function rollOver(id: string, at: number): boolean {
  const view = views.get(id);
  if (!view || view.expires_at_ms == null || view.period == null || view.problem) return false;
  // Timers fire a little late, never early; the margin covers a clock read a hair early.
  if (view.expires_at_ms > at + 20) return false;
  const periods = Math.floor((at + 20 - view.expires_at_ms) / (view.period * 1000)) + 1;
  views.set(id, {
    ...view,
    code: periods === 1 ? view.next_code : null,
    next_code: null,
    expires_at_ms: view.expires_at_ms + periods * view.period * 1000,
  });
  return true;
}

function showProblems(problems: Problem["error"][]): void {
  const global = problems.find((p) => p.code === "no_keychain" || p.code === "keychain_locked" || p.code === "keychain_failed");
  banner.hidden = !global;
  bannerText.textContent = global ? problemText(global) : "";
  byId("banner-retry").hidden = false;
}

/** The keychain waits for the person (an unlock, an access request): said until the codes come
 * or fail. */
export function showKeychainWait(wait: KeychainWaiting): void {
  banner.hidden = false;
  bannerText.textContent = shellSaid(`Tessera is ${wait.said}`, "keychain-waiting", { keychain: wait.program ?? t("the-keychain"), seconds: wait.seconds });
  byId("banner-retry").hidden = true;
}

/** The codes asked for again: the banner's "Try again" (from the keychain as it is now, started
 * or unlocked since; the shell keeps no failure), and after the time codes are made for changed
 * (a clock correction). Rows off screen ask when they are placed. */
export function refreshCodes(): void {
  for (const [id, view] of views) if (!accountById(id)?.hotp || view.problem) views.delete(id);
  askCodes();
}

/// Whether the shell is asked for lines now: one question at a time.
let askingLines = false;
/// The most lines a table keeps learnt, beyond those of the rows placed and the cursor's.
const MOST_LINES = 1000;

/** The lines of the placed rows that came without one: each shows a blank stand-in (or the line
 * the table before had learnt) until it comes. */
async function askLines(): Promise<void> {
  if (askingLines) return;
  const asking = table;
  const ids: string[] = [];
  for (const [id, row] of placedRows) if (row.table === asking && !asking.hasLine(row.index)) ids.push(id);
  if (ids.length === 0) return;
  askingLines = true;
  let lines: string[];
  try {
    lines = await call(commands.rowLines(ids));
  } catch (e) {
    showProblems([asProblem(e).error]);
    return;
  } finally {
    askingLines = false;
  }
  ids.forEach((id, n) => asking.learn(asking.indexOf(id), lines[n] ?? ""));
  forgetLines(asking);
  for (const id of ids) {
    const row = placedRows.get(id);
    const account = row?.table === asking ? asking.at(row.index) : undefined;
    if (row && account) fillAccount(row, account, row.index);
  }
  // The rows placed meanwhile (a scroll, a new table), once the list rests.
  askAtRest();
}

/** Keeps `of`'s lines learnt few: those of the rows placed and the cursor's stay. */
function forgetLines(of: AccountTable): void {
  of.forget(MOST_LINES, (index) => placedRows.get(of.id(index))?.index === index || of.id(index) === selectedId);
}

/// When the list last scrolled: the rows a scroll places ask for their codes once it rests, so
/// that flinging through thousands of accounts asks the keychain only for those stopped at.
let scrolledAt = 0;
let restTimer = 0;
const SCROLL_REST_MS = 100;
list.addEventListener("scroll", () => (scrolledAt = performance.now()), { passive: true });

/** The placed rows' lines and codes, once the list rests: filling the rows a fling passes
 * through made its frames slower (at 10,000 accounts, a frame every 22 ms against 17). */
function askAtRest(): void {
  const since = performance.now() - scrolledAt;
  window.clearTimeout(restTimer);
  if (since >= SCROLL_REST_MS) {
    void askLines();
    askCodes();
  } else restTimer = window.setTimeout(askAtRest, SCROLL_REST_MS - since);
}

/** Codes for the placed rows that have none, or an expired one. */
function askCodes(): void {
  const at = now();
  const ids: string[] = [];
  for (const [id, row] of placedRows) {
    if (asked.has(id)) continue;
    if (!views.has(id) || rollOver(id, at)) {
      if (views.has(id)) paintCode(row);
      ids.push(id);
    }
  }
  void loadCodes(ids);
}

async function loadCodes(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  for (const id of ids) asked.add(id);
  let answer: CodeView[];
  try {
    answer = await call(commands.codes(ids));
  } catch (e) {
    showProblems([asProblem(e).error]);
    return;
  } finally {
    for (const id of ids) asked.delete(id);
  }
  takeCodes(answer);
}

/** Codes from the shell, painted where their rows are placed. */
function takeCodes(answer: CodeView[]): void {
  const problems: Problem["error"][] = [];
  for (const view of answer) {
    if (table.indexOf(view.id) < 0) continue;
    views.set(view.id, view);
    if (view.problem) problems.push(view.problem);
    const row = placedRows.get(view.id);
    if (row) paintCode(row);
  }
  showProblems(problems);
  schedule();
  firstPaint();
}

/// The list's one timer: at the next move of a placed row's ring (a code's expiry among them),
/// while the window is shown.
function schedule(): void {
  window.clearTimeout(timer);
  timer = 0;
  if (document.hidden) return;
  const at = now();
  let next = Infinity;
  for (const id of placedRows.keys()) {
    const view = views.get(id);
    if (view?.expires_at_ms != null && !view.problem) next = Math.min(next, nextMove(view.expires_at_ms, at));
  }
  if (next < Infinity) timer = window.setTimeout(tick, Math.max(0, next - at));
}

function tick(): void {
  const at = now();
  const refresh: string[] = [];
  for (const [id, row] of placedRows) {
    if (rollOver(id, at)) {
      paintCode(row);
      if (!asked.has(id)) refresh.push(id);
    } else {
      paintRing(row, at);
    }
  }
  schedule();
  void loadCodes(refresh);
}

/// Tells the shell, once, that the first code is on screen (for the start-up benchmark).
function firstPaint(): void {
  if (firstPainted || ![...placedRows.keys()].some((id) => views.get(id)?.code)) return;
  firstPainted = true;
  // Icons after the first screen's codes: they never delay them.
  requestAnimationFrame(() => {
    startIcons();
    requestAnimationFrame(() => void commands.firstCodePainted());
  });
}

// ---------------------------------------------------------------- the list

/// Shows `next` in order. Rows on screen keep their nodes; codes already known stay.
/// `codes`, when given, are the first screen's codes, which came with the accounts.
export function render(next: RowTable, codes: CodeView[] = []): void {
  const before = table;
  table = new AccountTable(next);
  table.carry(before);
  order = listOrder();
  positions = new Int32Array(table.length);
  itemIndexes = new Int32Array(table.length);
  for (const id of views.keys()) if (table.indexOf(id) < 0) views.delete(id);
  if (codes.length > 0) takeCodes(codes);
  if ([...picked].some((id) => table.indexOf(id) < 0)) setPicked([...picked].filter((id) => table.indexOf(id) >= 0));
  byId("empty").hidden = table.length > 0;
  fillTagBar(new Map(table.tags.map((tag) => [tag.toLowerCase(), tag])));
  filter(true);
}

export async function reload(): Promise<void> {
  try {
    render(await call(commands.listAccounts()));
  } catch (e) {
    showProblems([asProblem(e).error]);
  }
}

/** The tags of `accounts`, each once whatever its case: by its lower-case form, spelled as first
 * met. */
export function tagsIn(accounts: Account[]): Map<string, string> {
  const tags = new Map<string, string>();
  for (const account of accounts) for (const tag of account.tags) if (!tags.has(tag.toLowerCase())) tags.set(tag.toLowerCase(), tag);
  return tags;
}

/// One button per tag in use (spelled as first met, in alphabetical order), pressed while
/// chosen; hidden when no account has a tag. Chosen tags that are gone are dropped.
function fillTagBar(tags: Map<string, string>): void {
  for (const tag of chosenTags) if (!tags.has(tag)) chosenTags.delete(tag);
  const sorted = [...tags].sort(([a], [b]) => a.localeCompare(b));
  tagBar.replaceChildren(
    ...sorted.map(([key, tag]) => {
      const button = el("button", { class: "tag", text: tag, attrs: { type: "button", "aria-pressed": String(chosenTags.has(key)) } });
      button.addEventListener("click", () => {
        button.setAttribute("aria-pressed", String(toggle(chosenTags, key)));
        filter(true);
      });
      return button;
    }),
  );
  tagBar.hidden = sorted.length === 0;
}

/// The last search's query and how many accounts it found (with the tags then chosen), and the
/// indexes of those found, kept between keystrokes.
let lastQuery: string | null = null;
let lastFound = -1;
let found = new Int32Array(0);

/** The rows on show for the search and the tags, placed again. Typing skips that when the rows
 * are the ones on show already (`force` for anything else that changes them). */
function filter(force = false): void {
  const query = search.value.trim().toLowerCase();
  const byTags = chosenTags.size > 0;
  if (found.length < order.length) found = new Int32Array(order.length);
  const matches = table.matching(query, chosenTags);
  let count = 0;
  for (let o = 0; o < order.length; o++) if (matches(order[o])) found[count++] = order[o];
  // A query that narrows the last one finds some of its accounts, one that widens it all of
  // them and more: the same number found is the same accounts (every account, say, while
  // "user" is typed into a list of users).
  const same = lastQuery !== null && (query.includes(lastQuery) || lastQuery.includes(query)) && count === lastFound;
  lastQuery = query;
  lastFound = count;
  if (same && !force) return;
  matching.clear();
  positions.fill(-1);
  itemIndexes.fill(-1);
  // A group shows while any of its accounts matches, collapsed or not, with how many do (its
  // header reads `matching` when placed, after this loop).
  const items: Item[] = [];
  shown = [];
  let lastKey: string | null = null;
  for (let f = 0; f < count; f++) {
    const i = found[f];
    if (grouping) {
      const key = table.groupKeys[table.groups[i]];
      matching.set(key, (matching.get(key) ?? 0) + 1);
      if (key !== lastKey) {
        lastKey = key;
        items.push({ kind: "group", key, first: table.groupFirst[table.groups[i]] });
      }
      if (collapsed.has(key)) continue;
    }
    positions[i] = shown.length;
    itemIndexes[i] = items.length;
    shown.push(i);
    items.push(i);
  }
  byId("no-match").hidden = count > 0 || table.length === 0;
  const onShow = [...picked].filter((id) => placeOf(positions, id) >= 0);
  if (onShow.length < picked.size) setPicked(onShow);
  rows.setItems(items);
  if (placeOf(positions, selectedId) >= 0) return;
  if (onShow.length > 0) setCursor(onShow[0], false);
  else select(query === "" && !byTags ? null : idOf(shown[0]), false);
}

/** The row `id` alone selected, with the cursor (none for `null`). */
function select(id: string | null, scroll: boolean): void {
  anchorId = id;
  setPicked(id ? [id] : []);
  setCursor(id, scroll);
}

function setCursor(id: string | null, scroll: boolean): void {
  if (selectedId) placedRows.get(selectedId)?.node.classList.remove("cursor");
  selectedId = id;
  if (id && scroll) rows.reveal(placeOf(itemIndexes, id));
  placedRows.get(id ?? "")?.node.classList.add("cursor");
  showCursor();
}

/** The cursor's row is the list's active descendant while it is placed. */
function showCursor(): void {
  const row = selectedId ? placedRows.get(selectedId) : undefined;
  if (row) list.setAttribute("aria-activedescendant", row.node.id);
  else list.removeAttribute("aria-activedescendant");
}

/** Exactly the rows `ids` selected: only the rows that change are touched. */
function setPicked(ids: string[]): void {
  const next = new Set(ids);
  for (const id of picked) if (!next.has(id)) placedRows.get(id)?.node.setAttribute("aria-selected", "false");
  for (const id of next) if (!picked.has(id)) placedRows.get(id)?.node.setAttribute("aria-selected", "true");
  picked.clear();
  for (const id of next) picked.add(id);
  pickedChanged(picked.size);
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
  const to = placeOf(positions, id);
  const from = placeOf(positions, anchorId);
  if (from < 0) {
    select(id, true);
    return;
  }
  setPicked(shown.slice(Math.min(from, to), Math.max(from, to) + 1).map((i) => table.id(i)));
  setCursor(id, true);
}

/** Ctrl+A, or the selection bar's "Select all": every row on show. */
export function pickAll(): void {
  setPicked(shown.map((i) => table.id(i)));
  if (!selectedId || !picked.has(selectedId)) setCursor(idOf(shown[0]), false);
}

/** The selection back to the row with the cursor alone. */
export function pickOne(): void {
  select(selectedId, false);
}

/** The selected accounts as they are now, in the list's order (the lines not here yet asked
 * for first). */
export async function pickedAccounts(): Promise<Account[]> {
  const indexes: number[] = [];
  for (const i of order) if (picked.has(table.id(i))) indexes.push(i);
  return accountsAt(indexes);
}

/** Accounts `indexes` of the table, their lines asked for when not here. Those gone meanwhile
 * are left out. */
async function accountsAt(indexes: number[]): Promise<Account[]> {
  const asking = table;
  const missing = indexes.filter((i) => !asking.hasLine(i));
  if (missing.length > 0) {
    const lines = await call(commands.rowLines(missing.map((i) => asking.id(i))));
    missing.forEach((i, n) => asking.learn(i, lines[n] ?? ""));
  }
  const accounts = indexes.map((i) => asking.at(i)).filter((a): a is Account => a !== undefined);
  forgetLines(asking);
  return accounts;
}

/** Calls `changed` with how many accounts are selected whenever the selection changes. */
export function onPick(changed: (count: number) => void): void {
  pickedChanged = changed;
}

function moveSelection(step: number, extend: boolean): void {
  if (shown.length === 0) return;
  const at = placeOf(positions, selectedId);
  const to = at < 0 ? (step > 0 ? 0 : shown.length - 1) : Math.min(shown.length - 1, Math.max(0, at + step));
  if (extend) pickRange(table.id(shown[to]));
  else select(table.id(shown[to]), true);
}

/** Enter types the code, and Shift+Enter copies it (the setting `enter_types_code`). */
let enterTypes = false;
export function setEnterTypes(on: boolean): void {
  enterTypes = on;
}

/// Shift+Enter (or Enter, see `enterTypes`) in the window the shortcut brought up: the shell
/// hides it and types the code (with `both`, the code, Tab and the next one) into the window
/// that had the focus. HOTP: a code is taken first, as for a copy.
async function typeCode(account: Account, both: boolean): Promise<void> {
  if (!wasSummoned) {
    toast(t("type-needs-shortcut"));
    return;
  }
  const id = account.id;
  select(id, true);
  try {
    if (!both && account.hotp && !views.get(id)?.code) {
      takeCodes([await call(commands.takeHotpCode(id))]);
    }
    await call(commands.typeCode(id, both));
    wasSummoned = false;
  } catch (e) {
    toast(asProblem(e).message);
  }
}

/// Click on a code, or Enter: copy it (HOTP: take a code first).
async function activate(account: Account): Promise<void> {
  const id = account.id;
  if (picked.has(id)) setCursor(id, false);
  else select(id, true);
  try {
    if (account.hotp && !views.get(id)?.code) {
      takeCodes([await call(commands.takeHotpCode(id))]);
      return;
    }
    const { code, clear_after_seconds: clear } = await call(commands.copyCode(id));
    const row = placedRows.get(id);
    row?.node.classList.add("copied");
    window.setTimeout(() => placedRows.get(id)?.node.classList.remove("copied"), 900);
    toast(clear > 0 ? t("copied-cleared", { code: grouped(code), seconds: clear }) : t("copied", { code: grouped(code) }));
    if (wasSummoned) {
      wasSummoned = false;
      await call(commands.hideAfterCopy());
    }
  } catch (e) {
    toast(asProblem(e).message);
  }
}

async function moveTo(id: string, to: number): Promise<void> {
  try {
    render(await call(commands.moveAccount(id, to)));
    select(id, true);
  } catch (e) {
    toast(asProblem(e).message);
  }
}

/// The field of the rename under way, with the id of its account.
let renaming: { id: string; input: HTMLInputElement } | null = null;

function renameInline(row: Row): void {
  const account = row.account;
  const input = el("input", { class: "rename", attrs: { "aria-label": t("row-rename", { name: account.name }, "aria-label") } });
  input.value = account.name;
  row.nameEl.replaceChildren(input);
  row.nameEl.title = "";
  renaming = { id: account.id, input };
  input.focus();
  input.select();
  let done = false;
  const finish = async (save: boolean) => {
    if (done) return;
    done = true;
    if (renaming?.input === input) renaming = null;
    const name = input.value.trim();
    if (save && name !== "" && name !== account.name) {
      try {
        await call(commands.renameAccount(account.id, name));
        await reload();
      } catch (e) {
        toast(asProblem(e).message);
      }
    }
    // The row may show another account by now (scrolled away and placed again).
    if (row.account.id === account.id) fillHeading(row);
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

/** What the rows do, handled once for the whole list: rows come and go as it scrolls. */
function handleRowEvents(): void {
  list.addEventListener("click", (e) => {
    const target = e.target as Element;
    const header = target.closest<HTMLElement>(".group-header");
    if (header) {
      const key = header.dataset.group ?? "";
      header.setAttribute("aria-expanded", String(!toggle(collapsed, key)));
      filter(true);
      collapseChanged([...collapsed]);
      return;
    }
    const row = rowOf(target);
    if (!row) return;
    // A code's click and a rename wait for the row's line: a blank stand-in is no account yet.
    if (target.closest(".code")) {
      if (row.lined) void activate(row.account);
    } else if (target.closest(".more")) hooks.openDetails(row.account.id);
    else if (target.closest("button, input")) return; // a rename
    else if (e.shiftKey) pickRange(row.account.id);
    else if (e.ctrlKey || e.metaKey) togglePick(row.account.id);
    else select(row.account.id, false);
  });
  list.addEventListener("mousedown", (e) => {
    if (!e.shiftKey || !rowOf(e.target)) return;
    // A Shift-click selects rows, not their text; the list takes the keys (Ctrl+A, Delete).
    e.preventDefault();
    list.focus();
  });
  list.addEventListener("dblclick", (e) => {
    const row = rowOf(e.target);
    if (row?.lined && (e.target as Element).closest(".name")) renameInline(row);
  });
  list.addEventListener("dragstart", (e) => {
    const row = rowOf(e.target);
    if (!row) return;
    e.dataTransfer?.setData("text/x-tessera-id", row.account.id);
    row.node.classList.add("dragging");
  });
  list.addEventListener("dragend", (e) => rowOf(e.target)?.node.classList.remove("dragging"));
  list.addEventListener("dragover", (e) => {
    const row = rowOf(e.target);
    if (!row) return;
    e.preventDefault();
    row.node.classList.add("drop-target");
  });
  list.addEventListener("dragleave", (e) => rowOf(e.target)?.node.classList.remove("drop-target"));
  list.addEventListener("drop", (e) => {
    const row = rowOf(e.target);
    if (!row) return;
    e.preventDefault();
    row.node.classList.remove("drop-target");
    const id = e.dataTransfer?.getData("text/x-tessera-id");
    const to = table.indexOf(row.account.id);
    if (id && id !== row.account.id && canMove()) void moveTo(id, to);
  });
}

export function setupList(h: ListHooks, openAdd: () => void): void {
  byId("banner-retry").addEventListener("click", refreshCodes);
  hooks = h;
  list.tabIndex = 0;
  handleRowEvents();
  search.addEventListener("input", () => filter());
  document.addEventListener("keydown", (e) => {
    if (anyDialogOpen()) return;
    const inSearch = document.activeElement === search;
    const selected = selectedId ? accountById(selectedId) : undefined;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "n") {
      e.preventDefault();
      openAdd();
    } else if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown") && selected) {
      e.preventDefault();
      if (!canMove()) return;
      const at = Math.max(0, table.indexOf(selected.id));
      void moveTo(selected.id, Math.max(0, at + (e.key === "ArrowUp" ? -1 : 1)));
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      moveSelection(e.key === "ArrowDown" ? 1 : -1, e.shiftKey);
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "a" && !inField()) {
      // In the search field Ctrl+A selects its text; elsewhere, every row on show.
      e.preventDefault();
      pickAll();
    } else if (e.key === "Enter" && e.altKey && selected) {
      // Alt+Enter: the selected account's details (GNOME's Properties key), the keyboard's
      // way to the row's ⋯ button, which a list's option cannot offer a screen reader.
      e.preventDefault();
      hooks.openDetails(selected.id);
    } else if (e.key === "Enter") {
      // The cursor's account, else the first on show; its line asked for if not here yet.
      const cursor = table.indexOf(selectedId);
      const at = cursor >= 0 ? cursor : shown.length > 0 ? shown[0] : -1;
      if (at >= 0 && (inSearch || document.activeElement === list || document.activeElement === document.body)) {
        e.preventDefault();
        // Ctrl+Shift+Enter types both codes; Shift swaps typing and copying (settings).
        const both = e.ctrlKey && e.shiftKey;
        const types = both || e.shiftKey !== enterTypes;
        void (async () => {
          const [target] = await accountsAt([at]);
          if (!target) return;
          if (types) await typeCode(target, both);
          else await activate(target);
        })().catch((error: unknown) => toast(asProblem(error).message));
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
      setCursor(selected.id, true);
      const row = placedRows.get(selected.id);
      if (row) renameInline(row);
    } else if (e.key === "Delete" && picked.size > 1 && !inSearch) {
      e.preventDefault();
      void pickedAccounts()
        .then((accounts) => hooks.confirmDeleteMany(accounts))
        .catch((error: unknown) => toast(asProblem(error).message));
    } else if (e.key === "Delete" && selected && !inSearch) {
      e.preventDefault();
      hooks.confirmDelete(selected);
    } else if (e.key.length === 1 && !inSearch && !e.ctrlKey && !e.metaKey && !e.altKey && !inField()) {
      // Typing anywhere searches.
      search.focus();
    }
  });
  document.addEventListener("visibilitychange", () => {
    // Hidden, the timer stops; shown again, the codes catch up at once.
    if (document.hidden) schedule();
    else {
      tick();
      askCodes();
    }
  });
}

export function accountById(id: string): Account | undefined {
  const index = table.indexOf(id);
  return index < 0 ? undefined : table.at(index);
}

/** The id of account `index`, or null for none (`undefined`, past the end of a list). */
function idOf(index: number | undefined): string | null {
  return index === undefined ? null : table.id(index);
}
