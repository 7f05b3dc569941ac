import type { FastifyPluginAsync } from "fastify";
import { authenticate } from "../../domain/authentication/authenticate.js";
import { loadSubject } from "../../domain/authentication/subject.js";
import { Invalid } from "../../domain/errors.js";
import { reissueCode } from "../../domain/prompt/complete.js";
import { finishEnrollment } from "../../domain/prompt/enroll.js";
import { askToManageDevices } from "../../domain/prompt/own-devices.js";
import { readStep } from "../../domain/prompt/step.js";
import { formOf, single } from "./form.js";
import type { PromptView } from "./prompt-view.js";

const route = { config: { public: true } };

/**
 * Logging in at the hosted prompt (issue 15 items 2 and 4): the page for where the person stands,
 * a passcode, an SMS passcode, enrolling an authenticator app, asking to manage devices, and the
 * way back to the application once the outcome is decided.
 */
export const loginRoutes: FastifyPluginAsync<{ view: PromptView }> = async (app, { view }) => {
  const services = app.services;
  const db = () => app.database.db;

  app.get("/prompt/:id", route, async (request, reply) =>
    view.current(request, reply, await view.inPrompt(request)),
  );

  app.post("/prompt/:id/passcode", route, async (request, reply) => {
    const at = await view.inPrompt(request);
    if (at.session.outcome !== null) return view.current(request, reply, at);
    const passcode = single(formOf(request), "passcode")?.trim() ?? "";
    if (passcode === "")
      return view.current(request, reply, at, { error: "Type a passcode, then choose Log in." });
    const subject = await loadSubject(db(), at.session.application, {
      username: at.session.username,
    });
    const outcome = await authenticate(services, {
      application: at.session.application,
      subject,
      factor: { kind: "passcode", passcode },
      access: view.accessOf(request),
      async: false,
    });
    if (outcome.result === "allow") {
      if (outcome.logged?.reason === "valid_passcode")
        await view.rememberIfAsked(request, reply, at, subject);
      return view.conclude(reply, at, outcome);
    }
    return view.afterDenial(request, reply, at, outcome);
  });

  app.post("/prompt/:id/sms", route, async (request, reply) => {
    const at = await view.inPrompt(request);
    if (at.session.outcome !== null) return view.current(request, reply, at);
    const phone = single(formOf(request), "phone") ?? "";
    const outcome = await authenticate(services, {
      application: at.session.application,
      user: { username: at.session.username },
      factor: { kind: "sms", phone: { id: phone } },
      access: view.accessOf(request),
      async: false,
    });
    if (outcome.status === "sent")
      return view.current(request, reply, at, {
        notice: "We sent you a text message with a passcode. Type it below.",
      });
    if (outcome.result === "allow") return view.conclude(reply, at, outcome);
    return view.afterDenial(request, reply, at, outcome);
  });

  app.post("/prompt/:id/enroll", route, async (request, reply) => {
    const at = await view.inPrompt(request);
    if (at.session.outcome !== null) return view.current(request, reply, at);
    const step = await readStep(services, at.session, view.accessOf(request));
    if (step.kind !== "enroll") return view.current(request, reply, at);
    try {
      const code = await finishEnrollment(
        services,
        at.session,
        step.subject,
        single(formOf(request), "passcode") ?? "",
        view.accessOf(request),
      );
      return view.sendBack(reply, at.session, code);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return view.current(request, reply, at, { error: error.why });
    }
  });

  app.post("/prompt/:id/manage", route, async (request, reply) => {
    const at = await view.inPrompt(request);
    if (at.session.outcome !== null) return view.current(request, reply, at);
    await askToManageDevices(db(), at.session);
    return view.current(request, reply, await view.reread(request, at), {
      notice: "First show it is you, as when you log in; then you can add or remove devices.",
    });
  });

  app.post("/prompt/:id/return", route, async (request, reply) => {
    const at = await view.inPrompt(request);
    if (at.session.outcome === null) return view.current(request, reply, at);
    return view.sendBack(reply, at.session, await reissueCode(db(), at.session));
  });
};
