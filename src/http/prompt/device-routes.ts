import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { Invalid, NotFound } from "../../domain/errors.js";
import { enrollmentSetup } from "../../domain/prompt/enroll.js";
import { addOwnAuthenticator, removeOwnDevice } from "../../domain/prompt/own-devices.js";
import { formOf, single } from "./form.js";
import { addAppPage } from "./pages.js";
import type { InPrompt, PromptView } from "./prompt-view.js";

const route = { config: { public: true } };

/**
 * A person's own devices at the hosted prompt (issue 15 item 4), once they proved a factor and
 * asked for them: add an authenticator app, remove one (never their last way in).
 */
export const deviceRoutes: FastifyPluginAsync<{ view: PromptView }> = async (app, { view }) => {
  const services = app.services;

  /** The device pages are for a person who proved a factor and asked for them. */
  async function managing(request: FastifyRequest): Promise<InPrompt> {
    const at = await view.inPrompt(request);
    if (at.session.outcome?.result !== "allow" || !at.session.manageDevices)
      throw new NotFound("prompt", at.session.id, "Log in first to manage your devices.");
    return at;
  }

  app.get("/prompt/:id/devices/app", route, async (request, reply) => {
    const at = await managing(request);
    const setup = await enrollmentSetup(services, at.session, at.frame.branding.name, "manage");
    return view.html(reply, 200, addAppPage(at.frame, setup), at.session);
  });

  app.post("/prompt/:id/devices/app", route, async (request, reply) => {
    const at = await managing(request);
    try {
      await addOwnAuthenticator(
        services,
        at.session,
        single(formOf(request), "passcode") ?? "",
        view.accessOf(request),
      );
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const setup = await enrollmentSetup(services, at.session, at.frame.branding.name, "manage");
      return view.html(
        reply,
        400,
        addAppPage(at.frame, { ...setup, error: error.why }),
        at.session,
      );
    }
    return view.showDevices(reply, await view.reread(request, at), {
      notice: "Your new authenticator app is ready: you can log in with it from now on.",
    });
  });

  app.post("/prompt/:id/devices/remove", route, async (request, reply) => {
    const at = await managing(request);
    try {
      await removeOwnDevice(
        services,
        at.session,
        single(formOf(request), "device") ?? "",
        view.accessOf(request),
      );
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return view.showDevices(reply, at, { error: error.why });
    }
    return view.showDevices(reply, at, {
      notice: "The device is removed: it no longer logs you in.",
    });
  });
};
