// A virtual list: of a long list of items, only those on screen and a screenful either side are
// in the DOM, so that 10,000 accounts cost what 30 do. Two spacers (the container's ::before and
// ::after, sized by --above and --below) stand for the items left out, so the scroll bar is the
// whole list's. Heights are measured as items are placed; an item never placed counts the last
// height measured for its kind.
//
// The items placed are the container's children, in the list's order: `nth-child` and the
// reading order of a screen reader are the list's own.

export interface Source<T> {
  /** What stays the same for an item across renders (an account's id). */
  key(item: T): string;
  /** "row" or "group": items of a kind share an estimated height until measured. */
  kind(item: T): string;
  /** The item's node, made or filled for it; asked again at every update while it is placed. */
  node(item: T, index: number): HTMLElement;
  /** The node of `key` left the DOM (it may be given to another item later). */
  release(key: string, node: HTMLElement): void;
  /** The DOM holds the items from `first` to `end` (exclusive) now. */
  placed(first: number, end: number): void;
}

/** Height of a kind never measured yet (a row's, with its borders). */
const FIRST_ESTIMATE = 58;

export class VirtualList<T> {
  private items: T[] = [];
  private readonly heights = new Map<string, number>();
  private readonly typical = new Map<string, number>();
  private offsets = new Float64Array(1);
  private stale = true;
  private readonly onDom = new Map<string, HTMLElement>();
  private frame = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly source: Source<T>,
  ) {
    container.addEventListener("scroll", () => this.soon(), { passive: true });
    new ResizeObserver(() => this.soon()).observe(container);
  }

  /** The list becomes `items`: the nodes on screen are updated at once, the screenful either
   * side at the next frame (a keystroke in the search then fills one screen, not three). */
  setItems(items: T[]): void {
    this.items = items;
    this.stale = true;
    this.update(false);
    this.soon();
  }

  get length(): number {
    return this.items.length;
  }

  /** Scrolls the least that brings item `index` whole into view. */
  reveal(index: number): void {
    if (index < 0 || index >= this.items.length) return;
    this.layout();
    const top = this.offsets[index];
    const bottom = this.offsets[index + 1];
    const view = this.container.clientHeight;
    if (top < this.container.scrollTop) this.container.scrollTop = top;
    else if (bottom > this.container.scrollTop + view) this.container.scrollTop = bottom - view;
    this.update();
  }

  /** An update at the next frame, once for any number of scroll events before it. */
  private soon(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.update();
    });
  }

  private heightOf(item: T): number {
    return this.heights.get(this.source.key(item)) ?? this.typical.get(this.source.kind(item)) ?? FIRST_ESTIMATE;
  }

  /** The offsets of every item's top, from the heights known. */
  private layout(): void {
    if (!this.stale) return;
    const n = this.items.length;
    if (this.offsets.length < n + 1) this.offsets = new Float64Array(Math.max(n + 1, this.offsets.length * 2));
    this.offsets[0] = 0;
    for (let i = 0; i < n; i++) this.offsets[i + 1] = this.offsets[i] + this.heightOf(this.items[i]);
    this.stale = false;
  }

  /** The index of the item at `y` (the last one whose top is at or above it). */
  private indexAt(y: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.offsets[mid + 1] <= y) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(lo, Math.max(0, this.items.length - 1));
  }

  /** Places the items in view (and, with `margins`, a screenful either side) and takes out the
   * others. */
  update(margins = true): void {
    this.layout();
    const n = this.items.length;
    const view = this.container.clientHeight || window.innerHeight;
    const margin = margins ? view : 0;
    const top = this.container.scrollTop;
    const first = n === 0 ? 0 : this.indexAt(top - margin);
    const end = n === 0 ? 0 : Math.min(n, this.indexAt(top + view + margin) + 1);

    const wanted: HTMLElement[] = [];
    const keys = new Set<string>();
    for (let i = first; i < end; i++) {
      const item = this.items[i];
      const key = this.source.key(item);
      const node = this.source.node(item, i);
      const before = this.onDom.get(key);
      if (before && before !== node) {
        before.remove();
        this.source.release(key, before);
      }
      this.onDom.set(key, node);
      keys.add(key);
      wanted.push(node);
    }
    for (const [key, node] of this.onDom) {
      if (keys.has(key)) continue;
      node.remove();
      this.onDom.delete(key);
      this.source.release(key, node);
    }
    // Nodes already in place stay where they are (a focused one keeps its focus).
    let at = this.container.firstElementChild;
    for (const node of wanted) {
      if (node === at) at = at.nextElementSibling;
      else this.container.insertBefore(node, at);
    }

    // The stand-ins first: measured with the old ones, the list would be shorter for a moment,
    // and the browser would pull the scroll position back into it.
    this.placeSpacers(first, end);

    // The heights as drawn: a long name wraps, a larger font makes every row taller.
    let changed = false;
    for (let i = first; i < end; i++) {
      const item = this.items[i];
      const height = wanted[i - first].getBoundingClientRect().height;
      if (height === 0) continue; // not laid out (the window is hidden)
      const key = this.source.key(item);
      const kind = this.source.kind(item);
      if (!this.typical.has(kind)) {
        // The first one measured stands for every item of its kind not measured yet.
        this.typical.set(kind, height);
        changed = true;
      }
      if (this.heights.get(key) !== height) {
        this.heights.set(key, height);
        changed = true;
      }
    }
    if (changed) {
      this.stale = true;
      this.layout();
      this.placeSpacers(first, end);
    }
    this.source.placed(first, end);
  }

  private placeSpacers(first: number, end: number): void {
    this.container.style.setProperty("--above", `${this.offsets[first]}px`);
    this.container.style.setProperty("--below", `${this.offsets[this.items.length] - this.offsets[end]}px`);
  }
}
