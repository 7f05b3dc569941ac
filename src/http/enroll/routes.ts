import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import {
  activationBarcode,
  confirmActivation,
  openActivation,
} from "../../domain/activations/open.js";
import { accessDevice } from "../../domain/authentication/log.js";
import { Invalid, NotFound } from "../../domain/errors.js";
import { ACTIVATION_PATH } from "../auth-api/activation-links.js";
import { pageSecurityHeaders } from "../page-security.js";
import { parseFormText } from "../strict-decoding.js";
import { donePage, gonePage, setupPage } from "./page.js";

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return pageSecurityHeaders(reply)
    .code(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .send(body);
}

function tokenOf(request: FastifyRequest): string {
  const { token } = request.params as { token: string };
  if (!TOKEN.test(token)) throw new NotFound("activation", "link", GONE);
  return token;
}

const GONE =
  "This activation link has expired or was already used. Ask your administrator for a new one.";

/**
 * R-AUTH-5: the pages behind a device activation link (/enroll/<token>), for the person setting up
 * an authenticator app: the QR code to scan, then a first code to prove it works. Public (the link
 * is the credential), no script, the panel's CSP; the token never reaches a log (redact-url.ts).
 */
export const enrollPages: FastifyPluginAsync = async (app) => {
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "buffer", bodyLimit: 4096 },
    (_request, body, done) => {
      const parsed = parseFormText(body as Buffer);
      if (!parsed.ok) return done(new Invalid(parsed.bad.field, parsed.bad.why));
      done(null, parsed.value);
    },
  );
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof NotFound) return html(reply, 404, gonePage(error.message));
    if (error instanceof Invalid) return html(reply, 400, gonePage(error.why));
    throw error;
  });

  app.get(`${ACTIVATION_PATH}/:token`, { config: { public: true } }, async (request, reply) => {
    const page = await openActivation(app.database.db, app.secrets, tokenOf(request));
    return html(reply, 200, setupPage(page));
  });

  app.get(
    `${ACTIVATION_PATH}/:token/qr.png`,
    { config: { public: true } },
    async (request, reply) => {
      const png = await activationBarcode(app.database.db, app.secrets, tokenOf(request));
      return pageSecurityHeaders(reply)
        .header("content-type", "image/png")
        .header("cache-control", "no-store")
        .send(png);
    },
  );

  app.post(`${ACTIVATION_PATH}/:token`, { config: { public: true } }, async (request, reply) => {
    const token = tokenOf(request);
    const form = request.body as ReadonlyMap<string, readonly string[]> | undefined;
    const code = form?.get("code")?.[0] ?? "";
    try {
      const done = await confirmActivation(
        app.services,
        token,
        code,
        accessDevice(request.ip, undefined),
      );
      return html(reply, 200, donePage(done.accountName));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const page = await openActivation(app.database.db, app.secrets, token);
      return html(reply, 400, setupPage({ ...page, error: error.why }));
    }
  });
};
