import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { FastifyPluginAsync } from "fastify";
import { PROMPT_SCRIPT } from "./browser-script.js";

/** @simplewebauthn/browser's own browser bundle, as the package ships it. */
function webauthnBundle(): string {
  const main = createRequire(import.meta.url).resolve("@simplewebauthn/browser");
  const root = path.resolve(path.dirname(main), "..");
  return readFileSync(path.join(root, "dist", "bundle", "index.umd.min.js"), "utf8");
}

const ASSETS: Record<string, string> = {
  "webauthn.js": webauthnBundle(),
  "prompt.js": PROMPT_SCRIPT,
};

/** The prompt's scripts: the same for everyone, so a browser may keep them for an hour. */
export const assetRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    "/prompt/assets/:file",
    { config: { public: true, cacheable: true } },
    async (request, reply) => {
      const { file } = request.params as { file: string };
      const body = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
      if (body === undefined) return reply.callNotFound();
      return reply
        .header("content-type", "text/javascript; charset=utf-8")
        .header("cache-control", "public, max-age=3600")
        .header("x-content-type-options", "nosniff")
        .send(body);
    },
  );
};
