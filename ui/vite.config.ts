import { defineConfig } from "vite";

// The window loads ui/dist from the app binary; no dev server, no remote content.
export default defineConfig({
  root: ".",
  build: { outDir: "dist", emptyOutDir: true, target: "safari16", sourcemap: false },
  clearScreen: false,
});
