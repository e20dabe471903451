// Every account of the list, held as the shell sends it: lines of text (its RowTable). An object
// per account cost the page about 1 KB of memory each at 10,000 accounts, a string per id in a
// Map 0.5 KB more, and making either from the answer 5 MB while the window started
// (docs/testing.md). Here an account is a line of three strings (its id; what its row shows,
// made into an object when its row is placed; what a search and the tags read) and a slot in a
// table of numbers that finds an id's line. Of a long list, the shell sends what a row shows for
// the first accounts alone; the others' lines come when their rows are placed (`learn`).

import type { RowTable, RowView } from "./bindings";

/** An account as its row shows it. */
export type Account = Omit<RowView, "find">;

/** An account's row, as its line in the table holds it (its id aside). */
type Line = [string, string, string, string, string, string, number, string | null, string[], boolean, boolean];

/// Ends each account's line in every string. A search's query is typed on one line, so it never
/// matches across two accounts.
const END = "\n";
/// Before each of an account's tags (lower-cased) in its search line, and after the last.
const TAG = "\u001e";

/** Offsets of each line's start in `text`, and past the last line's END. */
function startsOf(text: string, count: number): Int32Array {
  const starts = new Int32Array(count + 1);
  let at = 0;
  for (let i = 1; i <= count; i++) {
    at = text.indexOf(END, at) + END.length;
    // Fewer lines than accounts (never from the shell): the missing ones are empty.
    starts[i] = at > 0 ? at : text.length;
  }
  return starts;
}

/** FNV-1a of `text`'s characters from `start` to `end`. */
function hash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Each account's index plus one, in the slot its id hashes to or the next free one after it (0:
 * a free slot); twice as many slots as accounts, so that a search ends soon. */
function slotsOf(ids: string, starts: Int32Array): Int32Array {
  const count = starts.length - 1;
  const slots = new Int32Array(2 ** Math.ceil(Math.log2(2 * count + 2)));
  const mask = slots.length - 1;
  for (let i = 0; i < count; i++) {
    let slot = hash(ids, starts[i], starts[i + 1] - END.length) & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = i + 1;
  }
  return slots;
}

/** The accounts of a list, in its order, by index. */
export class AccountTable {
  /** Each account's group (by issuer): its key's place in `groupKeys`. */
  readonly groups: Int32Array;
  readonly groupKeys: string[];
  /** The tags in use, each once whatever its case, spelled as first met. */
  readonly tags: string[];
  private readonly ids: string;
  private readonly rows: string;
  private readonly finds: string;
  private readonly idStarts: Int32Array;
  private readonly rowStarts: Int32Array;
  private readonly findStarts: Int32Array;
  private readonly slots: Int32Array;
  /** The index of each group's first account. */
  readonly groupFirst: Int32Array;
  /** Lines the shell sent later, by index, and those of them carried from the table before
   * (shown until their own comes). */
  private readonly later = new Map<number, string>();
  private readonly stale = new Set<number>();

  constructor(table: RowTable) {
    const count = table.groups.length;
    this.groups = Int32Array.from(table.groups);
    this.groupKeys = table.group_keys;
    this.tags = table.tags;
    this.ids = table.ids;
    this.rows = table.rows;
    this.finds = table.finds;
    this.idStarts = startsOf(this.ids, count);
    this.rowStarts = startsOf(this.rows, count);
    this.findStarts = startsOf(this.finds, count);
    this.slots = slotsOf(this.ids, this.idStarts);
    this.groupFirst = new Int32Array(this.groupKeys.length).fill(-1);
    for (let i = count - 1; i >= 0; i--) this.groupFirst[this.groups[i]] = i;
  }

  get length(): number {
    return this.groups.length;
  }

  id(index: number): string {
    return this.ids.slice(this.idStarts[index], this.idStarts[index + 1] - END.length);
  }

  /** Where account `id` is; -1 when it is not in the list. */
  indexOf(id: string | null): number {
    if (id === null) return -1;
    const mask = this.slots.length - 1;
    for (let slot = hash(id, 0, id.length) & mask; this.slots[slot] !== 0; slot = (slot + 1) & mask) {
      const index = this.slots[slot] - 1;
      const start = this.idStarts[index];
      if (this.idStarts[index + 1] - END.length - start === id.length && this.ids.startsWith(id, start)) return index;
    }
    return -1;
  }

  /** Account `index`, made from its line (a few microseconds): for the rows placed and the few
   * accounts an action reads. Undefined while its line has not come, or when it is gone. */
  at(index: number): Account | undefined {
    const start = this.rowStarts[index];
    const end = this.rowStarts[index + 1] - END.length;
    const line = end > start ? this.rows.slice(start, end) : this.later.get(index);
    if (!line) return undefined;
    const [name, issuer, first, rest, sub, letter, hue, icon, tags, pinned, hotp] = JSON.parse(line) as Line;
    return { id: this.id(index), name, issuer, first, rest, sub, letter, hue, icon, tags, pinned, hotp };
  }

  /** Whether account `index`'s line is this table's own: sent with it, or learnt since. */
  hasLine(index: number): boolean {
    return this.rowStarts[index + 1] - END.length > this.rowStarts[index] || (this.later.has(index) && !this.stale.has(index));
  }

  /** Account `index`'s line, from the shell's `row_lines`: an empty one for an account no longer
   * in the vault, which stays blank until the list is read again (and is not asked for again). */
  learn(index: number, line: string): void {
    if (index < 0) return;
    this.later.set(index, line);
    this.stale.delete(index);
  }

  /** The lines `before` learnt, for the same accounts here that came without one: shown until
   * their own come (a rename, say, reloads the list, and its rows keep their names meanwhile). */
  carry(before: AccountTable): void {
    for (const [i, line] of before.later) {
      const index = this.indexOf(before.id(i));
      if (index >= 0 && !this.hasLine(index)) {
        this.later.set(index, line);
        this.stale.add(index);
      }
    }
  }

  /** Forgets the lines learnt but those of `keep`, once they are more than `most`. */
  forget(most: number, keep: (index: number) => boolean): void {
    if (this.later.size <= most) return;
    for (const index of this.later.keys()) {
      if (keep(index)) continue;
      this.later.delete(index);
      this.stale.delete(index);
    }
  }

  /** Whether each account matches `query` (lower-cased; "" matches all) and has every tag of
   * `tags` (lower-cased): one pass through the search lines per word sought, not one per
   * account. */
  matching(query: string, tags: Iterable<string>): (index: number) => boolean {
    const needles = [...(query === "" ? [] : [query]), ...[...tags].map((tag) => `${TAG}${tag}${TAG}`)];
    if (needles.length === 0) return () => true;
    const counts = new Uint16Array(this.length);
    for (const needle of needles) {
      let line = 0;
      let at = this.finds.indexOf(needle);
      while (at >= 0) {
        while (line < this.length && this.findStarts[line + 1] <= at) line++;
        if (line === this.length) break; // past the lines counted: never from the shell
        counts[line]++;
        at = this.finds.indexOf(needle, this.findStarts[line + 1]);
      }
    }
    return (index) => counts[index] === needles.length;
  }
}
