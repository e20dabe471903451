// Small DOM helpers. Text always goes in through textContent: account names come from QR codes
// and other apps' files, so they are never parsed as HTML.

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; text?: string; attrs?: Record<string, string> } = {},
  children: Node[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) node.appendChild(child);
  return node;
}

export function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing element #${id}`);
  return node as T;
}

/// "123456" as "123 456", "12345678" as "1234 5678", "1234567" as "123 4567"; Steam codes as is.
export function grouped(code: string): string {
  if (!/^\d+$/.test(code)) return code;
  if (code.length === 6) return `${code.slice(0, 3)} ${code.slice(3)}`;
  if (code.length === 7) return `${code.slice(0, 3)} ${code.slice(3)}`;
  if (code.length === 8) return `${code.slice(0, 4)} ${code.slice(4)}`;
  return code;
}

let toastTimer = 0;
export function toast(text: string): void {
  const node = byId("toast");
  node.textContent = text;
  node.classList.add("shown");
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => node.classList.remove("shown"), 1600);
}

/** Empties `fields` whenever `dialog` closes, however it closes (done, Cancel, Esc): a key or
 * passphrase typed into them must not stay in the page. */
export function forgetOnClose(dialog: HTMLDialogElement, fields: (HTMLInputElement | HTMLTextAreaElement)[]): void {
  dialog.addEventListener("close", () => {
    for (const field of fields) field.value = "";
  });
}

/** Asks in the confirmation dialog, whose button names the `action`; resolves to whether the
 * user chose it (Cancel and Esc are a no). */
export function confirmed(title: string, text: string, action: string): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>("confirm-dialog");
  byId("confirm-title").textContent = title;
  byId("confirm-text").textContent = text;
  byId("confirm-delete").textContent = action;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "delete"), { once: true }));
}
