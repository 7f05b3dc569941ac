import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { isStale, ROOT } from "./build-state.js";

/**
 * The web panel's build, for `npm start` (through scripts/build.ts: build when web/dist is missing
 * or older than its sources), the e2e tests' global setup, and the size budget of issue 8 (initial JavaScript under
 * 250 KB gzipped).
 *
 *   tsx scripts/web.ts build-if-stale    build only when needed
 *   tsx scripts/web.ts build             always build
 *   tsx scripts/web.ts size              gzipped size of the JavaScript the first page load needs
 */
export const WEB_DIST = path.join(ROOT, "web", "dist");
const INITIAL_JS_BUDGET = 250 * 1024;

/** Is web/dist missing, or older than anything it is built from? A few dozen stat calls. */
export function isWebStale(): Promise<boolean> {
  return isStale(path.join(WEB_DIST, "index.html"), [
    "web/src",
    // What the panel imports from the server's source (the permission table, shared checks).
    "src/authz",
    "src/db/schema.ts",
    "src/domain/branding",
    "web/index.html",
    "vite.config.ts",
    "package-lock.json",
  ]);
}

export async function buildWeb(): Promise<void> {
  // Vite is a devDependency: a production install serves the web/dist it was shipped with.
  const { build } = await import("vite");
  // A production bundle even when called from Vitest (NODE_ENV=test would bring React's dev build).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      configFile: path.join(ROOT, "vite.config.ts"),
      mode: "production",
      logLevel: "warn",
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

export async function buildWebIfStale(): Promise<boolean> {
  if (!(await isWebStale())) return false;
  await buildWeb();
  return true;
}

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

/** The entry chunk and every chunk it imports statically (lazy pages excluded), gzipped. */
export async function initialJsSize(): Promise<{ files: string[]; gzipBytes: number }> {
  const manifest = JSON.parse(
    await readFile(path.join(WEB_DIST, ".vite", "manifest.json"), "utf8"),
  ) as Record<string, ManifestChunk>;
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const child of manifest[key]?.imports ?? []) visit(child);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  const files = [...seen].flatMap((key) => {
    const file = manifest[key]?.file;
    return file?.endsWith(".js") ? [file] : [];
  });
  let gzipBytes = 0;
  for (const file of files) gzipBytes += gzipSync(await readFile(path.join(WEB_DIST, file))).length;
  return { files, gzipBytes };
}

async function main(command: string | undefined): Promise<void> {
  switch (command) {
    case "build":
      await buildWeb();
      return;
    case "build-if-stale":
      if (await buildWebIfStale()) process.stderr.write("web panel built into web/dist\n");
      return;
    case "size": {
      const { files, gzipBytes } = await initialJsSize();
      const kb = (gzipBytes / 1024).toFixed(1);
      process.stdout.write(
        `${JSON.stringify({ initial_js_gzip_kb: Number(kb), budget_kb: INITIAL_JS_BUDGET / 1024, files })}\n`,
      );
      if (gzipBytes > INITIAL_JS_BUDGET) process.exitCode = 1;
      return;
    }
    default:
      process.stderr.write("usage: tsx scripts/web.ts build | build-if-stale | size\n");
      process.exitCode = 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await main(process.argv[2]);
