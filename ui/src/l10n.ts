// The window's words, from the Fluent catalogues in locales/ (one per language, shared with the
// shell's tray menu). The page's own elements name their message with `data-l10n-id` (and
// `data-l10n-args`); code asks with `t()`. The shell says which language to use (the setting, or
// the system's); `en-XA` is a pseudo-language for tests: English accented and lengthened, so that
// any text not from a catalogue, or cut off, shows.

import { FluentBundle, FluentResource, type FluentVariable, type Message } from "@fluent/bundle";
import en from "../../locales/en.ftl?raw";
import de from "../../locales/de.ftl?raw";

type Args = Record<string, FluentVariable>;

const CATALOGUES: Record<string, string> = { en, de };
export const PSEUDO = "en-XA";

/** Made by `useLanguage`; English until then (a message asked for before the language is known). */
let made: Catalogue | null = null;
let current = "en";
/** The language of dates and numbers (`Intl`), and of the page's `lang`. */
export let language = "en";

const ACCENTED: Record<string, string> = Object.fromEntries(
  [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"].map((c, i) => [c, [..."åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"][i]]),
);

/** English made foreign-looking and about a third longer; markup (`<kbd>`) is left alone. */
function pseudo(text: string): string {
  return text
    .split(/(<[^>]*>)/)
    .map((part) => (part.startsWith("<") ? part : [...part].map((c) => (/[aeiouAEIOU]/.test(c) ? ACCENTED[c] + ACCENTED[c] : ACCENTED[c] ?? c)).join("")))
    .join("");
}

/** A language's catalogue, parsed a message at a time as they are asked for: parsing the whole
 * file delayed the first code, which needs a few dozen of its messages. */
class Catalogue {
  readonly bundle: FluentBundle;
  /** The text of each message not parsed yet, by id. */
  private readonly unread = new Map<string, string>();

  constructor(tag: string, text: string) {
    const isPseudo = tag === PSEUDO;
    // No isolation marks around arguments: every language shipped is left to right, and the
    // marks would end up in copied text.
    this.bundle = new FluentBundle(isPseudo ? "en" : tag, { useIsolating: false, transform: isPseudo ? pseudo : (s) => s });
    // An entry starts at a line "id =" or "-term =" and holds the lines after it up to the next
    // entry or comment (a value's other lines, its attributes and variants, are indented, or
    // close a select with "}").
    const terms: string[] = [];
    let id: string | null = null;
    let lines: string[] = [];
    const keep = (): void => {
      if (id?.startsWith("-")) terms.push(lines.join("\n"));
      else if (id !== null) this.unread.set(id, lines.join("\n"));
    };
    for (const line of text.split("\n")) {
      const start = /^(-?[a-zA-Z][\w-]*) *=/.exec(line);
      if (start || line.startsWith("#")) {
        keep();
        id = start?.[1] ?? null;
        lines = [line];
      } else lines.push(line);
    }
    keep();
    this.read(terms.join("\n"));
  }

  message(id: string): Message | undefined {
    const text = this.unread.get(id);
    if (text !== undefined) {
      this.unread.delete(id);
      this.read(text);
    }
    return this.bundle.getMessage(id);
  }

  /** Parses `text`, and the messages it names ("{ n-accounts }"), which its own need. */
  private read(text: string): void {
    this.bundle.addResource(new FluentResource(text));
    for (const [, named] of text.matchAll(/\{ *([a-zA-Z][\w-]*)(?:\.[\w-]+)? *\}/g)) this.message(named);
  }
}

function bundle(): Catalogue {
  made ??= make("en");
  return made;
}

/** Catalogues made, by tag: one may be made while the window waits for the shell (`prepare`). */
const catalogues = new Map<string, Catalogue>();

function make(tag: string): Catalogue {
  let made = catalogues.get(tag);
  if (!made) {
    made = new Catalogue(tag, CATALOGUES[tag === PSEUDO ? "en" : tag] ?? en);
    catalogues.set(tag, made);
  }
  return made;
}

/** Reads the catalogue of `tag` (the webview's language, most often the one the shell will
 * name) while the window waits for the shell's answer, rather than after it. */
export function prepare(tag: string): void {
  make(shipped(tag));
}

let system = "en";

/** The catalogue for a tag the shell or the webview gives ("de", "de-AT"): its language's, else
 * English. */
function shipped(tag: string): string {
  if (tag === PSEUDO) return tag;
  const primary = tag.split(/[-_]/)[0].toLowerCase();
  return primary in CATALOGUES ? primary : "en";
}

/** Uses `tag` ("en", "de", or the pseudo-language), as the shell resolved it; `systemTag` is the
 * system's, which Settings names. */
export function useLanguage(tag: string, systemTag: string): void {
  system = shipped(systemTag) === PSEUDO ? "en" : shipped(systemTag);
  const known = shipped(tag);
  made = make(known);
  current = known;
  language = known === PSEUDO ? "en" : known;
  document.documentElement.lang = language;
}

/** The system's language, of those the window has. */
export function systemLanguage(): string {
  return system;
}

/** Message `id`'s text; an attribute of it with `attribute`. A missing message shows its id
 * (the catalogue test keeps that from happening). */
export function t(id: string, args?: Args, attribute?: string): string {
  const words = bundle();
  const message = words.message(id);
  const pattern = attribute ? message?.attributes[attribute] : message?.value;
  if (!pattern) return id;
  return words.bundle.formatPattern(pattern, args);
}

/** Puts the messages the elements under `root` name into them: the text, and attributes such as
 * `placeholder` or `aria-label`. An element that holds others (a label and its field) gets the
 * text in place of its own text, its children kept; `data-l10n-markup` takes `<kbd>` and
 * `<code>` from the catalogue. */
export function localize(root: ParentNode = document): void {
  for (const node of root.querySelectorAll<HTMLElement>("[data-l10n-id]")) localizeOne(node);
}

/** `localize()` for what the window shows first: the dialogs (most of the page's words) wait
 * for `localize(dialog)` after the first code. */
export function localizeOutsideDialogs(): void {
  for (const node of document.querySelectorAll<HTMLElement>("[data-l10n-id]")) if (!node.closest("dialog")) localizeOne(node);
}

function localizeOne(node: HTMLElement): void {
  const words = bundle();
  const message = words.message(node.dataset.l10nId ?? "");
  if (!message) return;
  const args = node.dataset.l10nArgs ? (JSON.parse(node.dataset.l10nArgs) as Args) : undefined;
  for (const [name, pattern] of Object.entries(message.attributes)) node.setAttribute(name, words.bundle.formatPattern(pattern, args));
  if (!message.value) return;
  const text = words.bundle.formatPattern(message.value, args);
  if (node.hasAttribute("data-l10n-markup")) node.innerHTML = text;
  else if (node.childElementCount === 0) node.textContent = text;
  else replaceOwnText(node, text);
}

/** `text` in place of the first words directly in `node`, with the spaces that kept them apart
 * from the fields beside them; its other words go. */
function replaceOwnText(node: HTMLElement, text: string): void {
  let done = false;
  for (const child of node.childNodes) {
    if (child.nodeType !== Node.TEXT_NODE || child.textContent?.trim() === "") continue;
    const old = child.textContent ?? "";
    child.textContent = done ? "" : (/^\s/.test(old) ? " " : "") + text + (/\s$/.test(old) ? " " : "");
    done = true;
  }
}

/** Names `node`'s message (and its arguments), and puts it in. */
export function setL10n(node: HTMLElement, id: string, args?: Args): void {
  node.dataset.l10nId = id;
  if (args) node.dataset.l10nArgs = JSON.stringify(args);
  else delete node.dataset.l10nArgs;
  localizeOne(node);
}

/** A moment as this language writes it. */
export function dateTime(unixMs: number): string {
  return new Date(unixMs).toLocaleString(language);
}

/** A day as this language writes it. */
export function day(unixMs: number): string {
  return new Date(unixMs).toLocaleDateString(language, { year: "numeric", month: "short", day: "numeric" });
}

/** A sentence the shell made: in English as it is, since it names the details (a file, a
 * position, a dialog); in another language the catalogue's message `id`, from what the shell
 * sent beside it. */
export function shellSaid(english: string, id: string, args?: Args): string {
  return current === "en" ? english : t(id, args);
}

/** What the window says of a failed command: the shell's sentence, or its code's. */
export function problemText(error: { code: string; message: string }): string {
  return shellSaid(error.message, `error-${error.code}`);
}

/** "42 s", "3 min 20 s", "2 h 5 min". */
export function duration(seconds: number): string {
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
  if (h > 0) return t("duration-hours", { h, m });
  if (m > 0) return t("duration-minutes", { m, s });
  return t("duration-seconds", { s });
}
