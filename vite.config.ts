import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The web panel (web/): `vite build` writes static files to web/dist, which the server serves at
 * `/`. `npm run dev:web` serves it with hot reload and sends /api to a server on port 3000.
 * Vitest has its own vitest.config.ts, so tests do not inherit `root: "web"`.
 */
export default defineConfig({
  root: "web",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // scripts/web.ts reads it to measure the initial JavaScript (entry and its static imports).
    manifest: true,
    // Pages are lazy chunks; the entry holds React, Mantine, TanStack Query and the shell.
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:3000" },
  },
});
