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
/** Says `text` for a moment; with an `action` (Undo after a delete), with its button, for long
 * enough to reach it. */
export function toast(text: string, action?: { label: string; run: () => void }): void {
  const node = byId("toast");
  node.replaceChildren(el("span", { text }));
  if (action) {
    const button = el("button", { text: action.label, attrs: { type: "button", id: "toast-action" } });
    button.addEventListener("click", () => {
      node.classList.remove("shown", "with-action");
      action.run();
    }, { once: true });
    node.appendChild(button);
  }
  node.classList.toggle("with-action", action !== undefined);
  node.classList.add("shown");
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => node.classList.remove("shown", "with-action"), action ? 8000 : 1600);
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

/** WebKit leaves the focus on the page when a modal dialog closes; other engines give it back
 * to what had it when the dialog opened, which is where keyboard and screen reader users expect
 * to be. Every dialog opens through `showModal`, so this is done once for all of them. */
export function returnFocusFromDialogs(): void {
  const showModal = HTMLDialogElement.prototype.showModal;
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement): void {
    const opener = document.activeElement;
    this.addEventListener(
      "close",
      () => {
        const lost = document.activeElement === null || document.activeElement === document.body || this.contains(document.activeElement);
        if (lost && opener instanceof HTMLElement && opener.isConnected) opener.focus();
      },
      { once: true },
    );
    showModal.call(this);
  };
}
