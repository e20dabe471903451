// Issuer icons in avatars. A row is drawn with its letter; the images of the icons the list shows
// are asked of the shell once each, only after the first codes are on screen, so they never
// delay them, and drawn over the letters as they come. An SVG is always an <img>: nothing in it
// runs.

import { call, commands } from "./api";
import type { AvatarView, IconImage } from "./bindings";

/// As many as the shell gives in one answer (`MAX_ICONS_PER_CALL`).
const PER_CALL = 4096;

const images = new Map<string, IconImage>();
const wanted = new Set<string>();
let started = false;
let loading = false;
const dark = window.matchMedia("(prefers-color-scheme: dark)");

/** An avatar element showing an account's letter on its issuer's hue, then its icon (`icon`,
 * a key for `icon_images`) if it has one. */
export function paintAvatar(node: HTMLElement, avatar: AvatarView, icon: string | null | undefined): void {
  const key = icon ?? null;
  if (key === null || node.dataset.icon !== key) node.textContent = avatar.letter;
  node.style.setProperty("--hue", String(avatar.hue));
  paintIcon(node, key);
}

/** `node` (an avatar already showing its letter) shows the icon `key` once its image is here. */
function paintIcon(node: HTMLElement, key: string | null): void {
  if (key === null) {
    delete node.dataset.icon;
    node.classList.remove("icon", "tile", "custom");
    return;
  }
  node.dataset.icon = key;
  const image = images.get(key);
  if (image) {
    draw(node, image);
    return;
  }
  wanted.add(key);
  if (started) void load();
}

/** The first codes are painted: icons may come now. */
export function startIcons(): void {
  if (started) return;
  started = true;
  void load();
}

function draw(node: HTMLElement, image: IconImage): void {
  const img = node.querySelector("img") ?? document.createElement("img");
  img.alt = "";
  img.decoding = "async";
  img.src = dark.matches ? image.dark : image.light;
  node.replaceChildren(img);
  node.classList.add("icon");
  node.classList.toggle("tile", image.tile);
  node.classList.toggle("custom", image.key.startsWith("custom:"));
}

async function load(): Promise<void> {
  if (loading) return;
  loading = true;
  // Every paintIcon of the current render first, then one call.
  await new Promise((resolve) => window.setTimeout(resolve, 0));
  const keys = [...wanted].filter((k) => !images.has(k));
  wanted.clear();
  try {
    for (let at = 0; at < keys.length; at += PER_CALL) {
      for (const image of await call(commands.iconImages(keys.slice(at, at + PER_CALL)))) images.set(image.key, image);
    }
  } catch {
    // Icons are a help, not the point: the letters stay.
  }
  loading = false;
  repaint();
  if (wanted.size > 0) void load();
}

function repaint(): void {
  for (const node of document.querySelectorAll<HTMLElement>(".avatar[data-icon]")) {
    const image = images.get(node.dataset.icon ?? "");
    if (image) draw(node, image);
  }
}

dark.addEventListener("change", repaint);
