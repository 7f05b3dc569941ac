import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { activationStatus } from "../../domain/activations/open.js";
import { authenticate, type FactorRequest } from "../../domain/authentication/authenticate.js";
import { enrollUser } from "../../domain/authentication/enroll.js";
import { accessDevice } from "../../domain/authentication/log.js";
import type { AuthOutcome } from "../../domain/authentication/outcome.js";
import { preauth } from "../../domain/authentication/preauth.js";
import { readPromptAnswer } from "../../domain/authentication/prompt.js";
import type { UserKey } from "../../domain/authentication/subject.js";
import { readTransaction } from "../../domain/authentication/transactions.js";
import { logoFile } from "../../domain/branding/read.js";
import { ok } from "../duo/envelope.js";
import { DuoError } from "../duo/errors.js";
import { invalid, type ParamReader } from "../duo/params.js";
import { publicUrlOf } from "../public-url.js";
import { activationLinks } from "./activation-links.js";
import { applicationOfRequest, authenticatedSubject, paramsOf } from "./plugin.js";

const MAX_NAME = 300;
/** How long `check` waits for the database before answering from the key's last known row. */
export const CHECK_PATIENCE_MS = 1000;

/** `username` or `user_id`, exactly one (research/duo-api.md §7). */
export function userKeyOf(reader: ParamReader): UserKey {
  const username = reader.string("username", { max: MAX_NAME });
  const userId = reader.string("user_id", { max: 20 });
  if ((username === undefined) === (userId === undefined))
    throw invalid("username", "give either username or user_id");
  return username === undefined ? { userId: userId as string } : { username };
}

/** Where the login comes from: `ipaddr` and `hostname` as the client sends them. */
export function accessOfParams(reader: ParamReader) {
  return accessDevice(
    reader.string("ipaddr", { max: 200 }),
    reader.string("hostname", { max: 300 }),
  );
}

/** Duo's `no capable device`: what a device without push or voice answers (issue 14). */
function noCapableDevice(): DuoError {
  return new DuoError(400, 40002, "Invalid request parameters", "no capable device");
}

/**
 * The factor of an auth request (research/duo-api.md §7): `passcode` with its code, `sms` to a
 * device (a phone's id, or `auto`), `prompt` with what was typed at a text prompt (duo_unix 2.x);
 * `auto`, `push` and `phone` need a push or voice service, which Gatehouse does not run.
 */
function factorOf(reader: ParamReader): FactorRequest {
  const factor = reader.required("factor", { max: 20 });
  switch (factor) {
    case "passcode":
      return { kind: "passcode", passcode: reader.required("passcode", { max: 100 }) };
    case "sms": {
      const device = reader.string("device", { max: 20 }) ?? "auto";
      return { kind: "sms", phone: device === "auto" ? "auto" : { id: device } };
    }
    case "prompt": {
      const answer = readPromptAnswer(reader.required("prompt", { max: 255 }));
      return answer.kind === "sms" ? { kind: "sms", phone: { index: answer.index } } : answer;
    }
    case "auto":
    case "push":
    case "phone":
      throw noCapableDevice();
    default:
      throw invalid("factor", "must be one of auto, push, passcode, sms, phone, prompt");
  }
}

function authAnswer(outcome: AuthOutcome) {
  return {
    result: outcome.result,
    status: outcome.status,
    status_msg: outcome.status_msg,
    ...(outcome.trusted_device_token === undefined
      ? {}
      : { trusted_device_token: outcome.trusted_device_token }),
  };
}

function time() {
  return { time: Math.floor(Date.now() / 1000) };
}

/** research/duo-api.md §7: the Auth API's endpoints, each one use case. */
export const authApiRoutes: FastifyPluginAsync = async (app) => {
  const services = app.services;

  // Unsigned (Duo's mock and duo_unix 2.1+ call it to learn the server's clock), and answered
  // without the database, so a client can tell a slow database from a server that is gone.
  app.get("/auth/v2/ping", { config: { public: true } }, async () => ok(time()));

  // Verified against the key's last known row when the database is slow (authenticate.ts).
  app.get("/auth/v2/check", { config: { databasePatienceMs: CHECK_PATIENCE_MS } }, async () =>
    ok(time()),
  );

  // The account's logo (Settings, Branding), as its bytes with their own type (PNG, or JPEG: Duo's
  // clients take any image/*); Duo's 404 envelope when none is set.
  app.get("/auth/v2/logo", async (request, reply) => {
    const logo = await logoFile(app.database.db, applicationOfRequest(request).accountId);
    if (logo === undefined)
      throw new DuoError(404, 40401, "Resource not found", "no logo is set for this account");
    return reply
      .header("content-type", logo.contentType)
      .header("x-content-type-options", "nosniff")
      .send(logo.bytes);
  });

  app.post("/auth/v2/enroll", async (request) => {
    const reader = paramsOf(request);
    const application = applicationOfRequest(request);
    const enrollment = await enrollUser(services, application, {
      username: reader.string("username", { max: MAX_NAME }),
      validSeconds: reader.int("valid_secs", { min: 1, max: 30 * 86_400 }),
      bypassCodes: reader.int("bypass_codes", { min: 0, max: 10 }),
    });
    const links = activationLinks(publicUrlOf(request), enrollment.activation.token);
    return ok({
      activation_barcode: links.barcode,
      activation_code: enrollment.activation.activationCode,
      activation_url: links.page,
      expiration: Math.floor(enrollment.activation.expiresAt.getTime() / 1000),
      user_id: enrollment.userId,
      username: enrollment.username,
      ...(enrollment.bypassCodes.length > 0 ? { bypass_codes: enrollment.bypassCodes } : {}),
    });
  });

  app.post("/auth/v2/enroll_status", async (request) => {
    const reader = paramsOf(request);
    const application = applicationOfRequest(request);
    return ok(
      await activationStatus(app.database.db, {
        accountId: application.accountId,
        userId: reader.required("user_id", { max: 20 }),
        activationCode: reader.required("activation_code", { max: 1000 }),
      }),
    );
  });

  app.post("/auth/v2/preauth", { config: { readsSubject: true } }, async (request) => {
    const reader = paramsOf(request);
    const { application, subject } = await authenticatedSubject(request, () => userKeyOf(reader));
    const textPrompt = reader.bool("text_prompt") ?? false;
    const answer = await preauth(
      services,
      application,
      { subject },
      accessOfParams(reader),
      new Date(),
      reader.string("trusted_device_token", { max: 100 }),
    );
    if (answer.result !== "auth")
      return ok({ result: answer.result, status_msg: answer.status_msg });
    return ok({
      result: answer.result,
      status_msg: answer.status_msg,
      devices: answer.devices,
      ...(textPrompt && answer.prompt ? { prompt: answer.prompt } : {}),
    });
  });

  app.post("/auth/v2/auth", { config: { readsSubject: true } }, async (request) => {
    const reader = paramsOf(request);
    const { application, subject } = await authenticatedSubject(request, () => userKeyOf(reader));
    const async = reader.bool("async") ?? false;
    const outcome = await authenticate(services, {
      application,
      subject,
      factor: factorOf(reader),
      access: accessOfParams(reader),
      async,
    });
    return ok(async ? { txid: outcome.txid } : authAnswer(outcome));
  });

  app.get("/auth/v2/auth_status", async (request: FastifyRequest) => {
    const reader = paramsOf(request);
    const state = await readTransaction(
      app.database.db,
      applicationOfRequest(request),
      reader.required("txid", { max: 100 }),
    );
    if (state === undefined) throw invalid("txid", "is not a transaction of this application");
    return ok(state);
  });
};
