// Two animation frames after the page is ready, the line of text has been painted: say so to the
// Rust side, as Tessera's window does for its first code (ui/src/list.ts). The page has no
// bundler, so it calls Tauri's internal IPC, the one @tauri-apps/api's invoke() wraps.
window.addEventListener("DOMContentLoaded", () => {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => window.__TAURI_INTERNALS__.invoke("painted")),
  );
});
