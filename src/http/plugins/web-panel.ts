import { access } from "node:fs/promises";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { pageSecurityHeaders } from "../page-security.js";

/** First path segments that belong to the server, never to the panel's pages. */
const SERVER_SEGMENTS = new Set([
  "api",
  "admin",
  "accounts",
  "auth",
  "rest",
  "enroll",
  "oauth",
  "prompt",
  "branding",
  "healthz",
  "readyz",
]);

/** index.html is revalidated on every visit, so a new build's asset names are picked up. */
function pageHeaders(reply: FastifyReply): FastifyReply {
  return pageSecurityHeaders(reply.header("cache-control", "no-cache"));
}

/**
 * Serves the built web panel (web/dist): hashed files under /assets/ cached for a year, and
 * index.html for every other GET that is not the server's own (/api, /admin, /accounts, ...), so
 * the panel's own routes (/, /activate/<token>, /users/...) load the single-page app.
 */
export const webPanelPlugin: FastifyPluginAsync<{ root: string }> = async (app, { root }) => {
  await app.register(fastifyStatic, {
    root: path.join(root, "assets"),
    prefix: "/assets/",
    immutable: true,
    maxAge: "365d",
    index: false,
    // One /assets/* route: a missing asset is a 404, never index.html served as JavaScript.
    wildcard: true,
  });

  const sendIndex = (reply: FastifyReply) =>
    pageHeaders(reply).sendFile("index.html", root, { cacheControl: false });

  app.get("/", { config: { public: true } }, (_request, reply) => sendIndex(reply));
  app.get("/*", { config: { public: true } }, (request, reply) => {
    const pathname = request.url.split("?")[0] ?? "/";
    const first = pathname.split("/")[1] ?? "";
    const last = pathname.split("/").pop() ?? "";
    // A server path, or a file that is not there: the ordinary 404 (JSON, or Duo's envelope).
    if (SERVER_SEGMENTS.has(first) || last.includes(".")) return reply.callNotFound();
    return sendIndex(reply);
  });
};

/** The panel's files, if they have been built (`npm run build:web`); undefined otherwise. */
export async function findWebRoot(root: string): Promise<string | undefined> {
  try {
    await access(path.join(root, "index.html"));
    return root;
  } catch {
    return undefined;
  }
}
