import { timingSafeEqual } from "node:crypto";
import { BSON } from "bson";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { type ApplicationRow, toAuthApplication } from "../../domain/authentication/application.js";
import { authenticate, type FactorRequest } from "../../domain/authentication/authenticate.js";
import type { AuthApplication } from "../../domain/authentication/log.js";
import { preauth } from "../../domain/authentication/preauth.js";
import { readPromptAnswer } from "../../domain/authentication/prompt.js";
import { readTransaction } from "../../domain/authentication/transactions.js";
import { DomainError } from "../../domain/errors.js";
import {
  hostCandidates,
  type ReceivedRequest,
  SecretKeyCache,
  union,
  verifySignature,
} from "../duo/authenticate.js";
import { canonicalString, type Params, sign } from "../duo/canonical.js";
import { toDuoError } from "../duo/envelope.js";
import { DuoError } from "../duo/errors.js";
import { invalid, ParamReader, readRequest } from "../duo/params.js";
import { ApiRateLimit } from "../duo/rate-limit.js";
import { applicationOf, type Keys } from "./authenticate.js";
import { accessOfParams } from "./routes.js";

/**
 * duo_unix before 2.2 (Debian's and Ubuntu's libpam-duo and login-duo 1.11.3) speaks Duo's legacy
 * Auth API: POST /rest/v1/preauth.bson, auth.bson, GET status.bson (1.12 to 2.1: the same in
 * JSON), form bodies, signed with Duo's v1 signature, which covers no date
 * (research/auth-protocols.md §1-2).
 *
 * Two facts of those clients shape this door. With their default fail mode they let the user in
 * on a 401, a 5xx, or an answer they cannot read, at preauth: so every refusal here, a bad
 * signature included, is an HTTP 200 with `stat: FAIL` and an int32 `code`, which they treat as a
 * denial; only a server that cannot decide at all (its database unreachable) answers 503, which is
 * what the fail mode is for. And they give up polling after 20 replies and then let the user in:
 * every transaction here is final when it is made, so the first poll ends it.
 *
 * The v1 signature can be replayed by whoever captured a request, so it is accepted only for a
 * Unix application whose admin turned on legacy clients (off by default); a replayed auth request
 * carries a passcode that has already been spent.
 */

const ENCODINGS = ["bson", "json"] as const;
type Encoding = (typeof ENCODINGS)[number];

function encodingOf(request: FastifyRequest): Encoding {
  return request.url.split("?")[0]?.endsWith(".json") ? "json" : "bson";
}

function send(reply: FastifyReply, encoding: Encoding, body: Record<string, unknown>) {
  reply.code(200);
  if (encoding === "json") return reply.type("application/json").send(JSON.stringify(body));
  // Every number sent is a small whole number, which BSON writes as int32: what the client reads.
  return reply.type("application/bson").send(Buffer.from(BSON.serialize(body)));
}

/** Duo's v1 signature (no date): HMAC-SHA1 (1.x) or HMAC-SHA512 (2.0.1 to 2.0.3) of four lines. */
function legacySignatureMatches(secretKey: string, signature: string, request: ReceivedRequest) {
  const digest = signature.length === 40 ? "sha1" : signature.length === 128 ? "sha512" : undefined;
  if (digest === undefined || !/^[0-9a-f]+$/.test(signature)) return false;
  const given = Buffer.from(signature);
  let matched = false;
  for (const host of hostCandidates(request)) {
    const canonical = canonicalString(1, {
      date: "",
      method: request.method,
      host,
      path: request.url.split("?")[0] ?? "",
      params: union(request.query, request.form),
      body: request.body,
      xDuoHeaders: {},
    });
    matched = timingSafeEqual(Buffer.from(sign(secretKey, digest, canonical)), given) || matched;
  }
  return matched;
}

function requireLegacyUnix(row: ApplicationRow): void {
  if (row.type !== "unix")
    throw new DuoError(
      403,
      40301,
      "Access forbidden",
      "this integration key is not a Unix application's; the legacy API serves only Unix applications",
    );
  if (!row.legacy_unix_clients)
    throw new DuoError(
      403,
      40301,
      "Access forbidden",
      "legacy Unix clients (duo_unix before 2.2) are turned off for this application; turn them on in its settings, or upgrade the client",
    );
}

async function authenticateLegacy(
  request: FastifyRequest,
  keys: Keys,
  received: ReceivedRequest,
): Promise<AuthApplication> {
  const { row, signature } = await applicationOf(
    request.server.database.db,
    received.headers.authorization,
  );
  requireLegacyUnix(row);
  // duo_unix 2.0.4 and later sign the date (v2); before that, no date is sent at all.
  if (received.headers.date !== undefined || received.headers["x-duo-date"] !== undefined)
    verifySignature(keys, row, signature, received);
  else if (
    !legacySignatureMatches(
      keys.cache.open(keys.secrets, row.id, row.secret_key_enc),
      signature,
      received,
    )
  )
    throw new DuoError(401, 40103, "Invalid signature in request credentials");
  return toAuthApplication(row);
}

/** The database could not be reached: the one case where the client's fail mode should decide. */
function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === "string" &&
    (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND)$/.test(code) || /^(08|57P)/.test(code))
  );
}

function factorOfAuto(reader: ParamReader): FactorRequest {
  const factor = reader.required("factor", { max: 20 });
  if (factor !== "auto") throw invalid("factor", "must be auto");
  const answer = readPromptAnswer(reader.required("auto", { max: 255 }));
  return answer.kind === "sms" ? { kind: "sms", phone: { index: answer.index } } : answer;
}

export const legacyAuthApi: FastifyPluginAsync<{
  apiHostnames: string[];
  requestsPerSecond: number;
}> = async (app, options) => {
  const limit = new ApiRateLimit(options.requestsPerSecond);
  const keys = { secrets: app.secrets, cache: new SecretKeyCache() };
  const services = app.services;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  const context = new WeakMap<FastifyRequest, { application: AuthApplication; params: Params }>();
  app.addHook("preHandler", async (request) => {
    const { body, query, form, params } = readRequest(request, { formBodies: true });
    const application = await authenticateLegacy(request, keys, {
      method: request.method,
      url: request.url,
      headers: request.headers,
      query,
      form,
      body,
      apiHostnames: options.apiHostnames,
    });
    limit.take(application.id);
    context.set(request, { application, params });
  });
  const of = (request: FastifyRequest) => {
    const found = context.get(request);
    if (!found) throw new Error("legacy routes run behind the signature check");
    return { application: found.application, reader: new ParamReader(found.params) };
  };

  app.setErrorHandler((error, request, reply) => {
    const encoding = encodingOf(request);
    if (!(error instanceof DuoError) && !(error instanceof DomainError) && isUnavailable(error)) {
      request.log.error({ err: error }, "legacy Auth API: the database is unreachable");
      return reply.code(503).send();
    }
    const duo = toDuoError(error);
    if (duo.status === 500) request.log.error({ err: error }, "legacy Auth API request failed");
    return send(reply, encoding, {
      stat: "FAIL",
      code: duo.code,
      message: duo.detail === undefined ? duo.message : `${duo.message}: ${duo.detail}`,
    });
  });

  for (const encoding of ENCODINGS) {
    app.post(`/rest/v1/preauth.${encoding}`, async (request, reply) => {
      const { application, reader } = of(request);
      const answer = await preauth(
        services,
        application,
        { user: { username: reader.required("user", { max: 300 }) } },
        accessOfParams(reader),
      );
      const response =
        answer.result === "auth" && answer.prompt
          ? { result: "auth", prompt: answer.prompt.text, factors: answer.prompt.factors }
          : { result: answer.result, status: answer.status_msg };
      return send(reply, encoding, { stat: "OK", response });
    });

    app.post(`/rest/v1/auth.${encoding}`, async (request, reply) => {
      const { application, reader } = of(request);
      const async = reader.bool("async") ?? false;
      const outcome = await authenticate(services, {
        application,
        user: { username: reader.required("user", { max: 300 }) },
        factor: factorOfAuto(reader),
        access: accessOfParams(reader),
        async,
      });
      const response = async
        ? { txid: outcome.txid }
        : { result: outcome.result, status: outcome.status_msg };
      return send(reply, encoding, { stat: "OK", response });
    });

    app.get(`/rest/v1/status.${encoding}`, async (request, reply) => {
      const { application, reader } = of(request);
      const state = await readTransaction(
        app.database.db,
        application,
        reader.required("txid", { max: 100 }),
      );
      if (state === undefined || state.result === "waiting")
        throw invalid("txid", "is not a transaction of this application");
      return send(reply, encoding, {
        stat: "OK",
        response: { result: state.result, status: state.status_msg },
      });
    });
  }
};
