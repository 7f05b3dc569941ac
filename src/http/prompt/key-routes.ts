import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { RelyingParty } from "../../domain/auth/security-keys.js";
import { Invalid, NotFound } from "../../domain/errors.js";
import { ownDevices } from "../../domain/prompt/own-devices.js";
import {
  addOwnKey,
  enrollWithKey,
  keyLogin,
  loginOptions,
  setupOptions,
} from "../../domain/prompt/security-keys.js";
import { readStep } from "../../domain/prompt/step.js";
import { relyingPartyOf } from "../auth/relying-party.js";
import { formOf, single } from "./form.js";
import type { InPrompt, PromptView } from "./prompt-view.js";

const route = { config: { public: true } };

/**
 * Security keys and passkeys at the hosted prompt (issue 15 items 3 and 4): the options a page's
 * script hands the browser (JSON), and the browser's answer, posted with the page's form: to log
 * in, to enroll with a key, or to add one among the person's devices.
 */
export const keyRoutes: FastifyPluginAsync<{ view: PromptView }> = async (app, { view }) => {
  const services = app.services;
  const db = () => app.database.db;

  /** The relying party the browser's key answers: this server's origin, under the account's name. */
  const relyingParty = (request: FastifyRequest, at: InPrompt): RelyingParty => ({
    ...relyingPartyOf(request),
    rpName: at.frame.branding.name,
  });

  const answerOf = (request: FastifyRequest) => single(formOf(request), "response") ?? "";

  /** Where a setup stands: enrolling to log in, or adding a device after logging in. */
  async function setupPhase(request: FastifyRequest, at: InPrompt) {
    if (at.session.outcome === null) {
      const step = await readStep(services, at.session, view.accessOf(request));
      if (step.kind === "enroll") return { phase: "enroll" as const, subject: step.subject };
    } else if (at.session.outcome.result === "allow" && at.session.manageDevices) {
      return { phase: "manage" as const, user: (await ownDevices(db(), at.session)).user };
    }
    throw new NotFound("prompt", at.session.id, "Setting up a security key is not open here now.");
  }

  app.post("/prompt/:id/webauthn/options", route, async (request) => {
    const at = await view.inPrompt(request);
    const step =
      at.session.outcome === null
        ? await readStep(services, at.session, view.accessOf(request))
        : undefined;
    if (step?.kind !== "factors")
      throw new NotFound("prompt", at.session.id, "This login is not asking for a security key.");
    return loginOptions(services, at.session, step.user, relyingParty(request, at));
  });

  app.post("/prompt/:id/webauthn", route, async (request, reply) => {
    const at = await view.inPrompt(request);
    if (at.session.outcome !== null) return view.current(request, reply, at);
    const step = await readStep(services, at.session, view.accessOf(request));
    if (step.kind !== "factors") return view.current(request, reply, at);
    const subject = step.subject;
    try {
      const outcome = await keyLogin(
        services,
        at.session,
        subject,
        step.user,
        answerOf(request),
        relyingParty(request, at),
        view.accessOf(request),
      );
      if (outcome.result !== "allow")
        return view.current(request, reply, at, { error: outcome.status_msg });
      await view.rememberIfAsked(request, reply, at, subject);
      return view.conclude(reply, at, outcome);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return view.current(request, reply, at, { error: error.why });
    }
  });

  app.post("/prompt/:id/webauthn/register/options", route, async (request) => {
    const at = await view.inPrompt(request);
    const where = await setupPhase(request, at);
    const user = where.phase === "enroll" ? where.subject.user : where.user;
    return setupOptions(services, at.session, user, relyingParty(request, at));
  });

  app.post("/prompt/:id/webauthn/register", route, async (request, reply) => {
    const at = await view.inPrompt(request);
    const where = await setupPhase(request, at);
    const rp = relyingParty(request, at);
    try {
      if (where.phase === "enroll") {
        const code = await enrollWithKey(
          services,
          at.session,
          where.subject,
          answerOf(request),
          rp,
          view.accessOf(request),
        );
        return view.sendBack(reply, at.session, code);
      }
      await addOwnKey(
        services,
        at.session,
        where.user,
        answerOf(request),
        rp,
        view.accessOf(request),
      );
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      if (where.phase === "enroll") return view.current(request, reply, at, { error: error.why });
      return view.showDevices(reply, at, { error: error.why });
    }
    return view.showDevices(reply, at, {
      notice: "Your security key is ready: you can log in with it from now on.",
    });
  });
};
