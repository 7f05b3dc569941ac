import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { rememberedDevices } from "../../authn/policy.js";
import { accessDevice } from "../../domain/authentication/log.js";
import type { AuthOutcome } from "../../domain/authentication/outcome.js";
import { admitRemembered, rememberBrowser } from "../../domain/authentication/remembered.js";
import type { Subject } from "../../domain/authentication/subject.js";
import {
  completePrompt,
  promptOutcomeOf,
  redirectWithCode,
  reissueCode,
} from "../../domain/prompt/complete.js";
import { enrollmentSetup } from "../../domain/prompt/enroll.js";
import { ownDevices } from "../../domain/prompt/own-devices.js";
import { findPromptSession, type PromptSession } from "../../domain/prompt/sessions.js";
import { promptStep, readStep } from "../../domain/prompt/step.js";
import { PromptBranding } from "./branding.js";
import { formOf, single } from "./form.js";
import { devicesPage, enrollPage, factorsPage, type PromptFrame, refusalPage } from "./pages.js";
import { promptSecurityHeaders } from "./security-headers.js";
import { BROWSER_COOKIE, rememberCookieName, rememberCookieOptions } from "./session-cookie.js";

/** What a page handler has: the session this browser is in, and how its pages look. */
export interface InPrompt {
  session: PromptSession;
  frame: PromptFrame;
}

/** A message for the page from what the person just did. */
export interface PageMessage {
  error?: string;
  notice?: string;
}

export type PromptView = ReturnType<typeof promptView>;

/**
 * What the hosted prompt's routes share (issue 15 items 2 to 4): the session a request is in, the
 * page for where its person stands now, and the endings: back to the application with a code, or
 * a refusal that says why, or, for a person who asked, their devices first.
 */
export function promptView(app: FastifyInstance) {
  const services = app.services;
  const db = () => app.database.db;
  const brandings = new PromptBranding();

  function html(reply: FastifyReply, status: number, body: string, session?: PromptSession) {
    return promptSecurityHeaders(reply, session?.redirectUri)
      .code(status)
      .header("content-type", "text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .send(body);
  }

  async function inPrompt(request: FastifyRequest): Promise<InPrompt> {
    const { id } = request.params as { id: string };
    const session = await findPromptSession(db(), id, request.cookies[BROWSER_COOKIE]);
    const branding = await brandings.of(db(), session.application.accountId);
    return {
      session,
      frame: {
        branding,
        applicationName: session.application.name,
        username: session.username,
        base: `/prompt/${session.id}`,
      },
    };
  }

  const accessOf = (request: FastifyRequest) => accessDevice(request.ip, undefined);

  /** Back to the application with the code for the outcome. */
  function sendBack(reply: FastifyReply, session: PromptSession, code: string) {
    return promptSecurityHeaders(reply, session.redirectUri)
      .header("cache-control", "no-store")
      .redirect(redirectWithCode(session, code), 303);
  }

  /** The person's devices, once they proved a factor and asked to manage them. */
  async function showDevices(reply: FastifyReply, at: InPrompt, message: PageMessage = {}) {
    const { apps, keys, usable } = await ownDevices(db(), at.session);
    return html(
      reply,
      message.error ? 400 : 200,
      devicesPage(at.frame, { apps, keys, usable, ...message }),
      at.session,
    );
  }

  /** The session as it is now, for a page shown after a change to it. */
  async function reread(request: FastifyRequest, at: InPrompt): Promise<InPrompt> {
    return {
      ...at,
      session: await findPromptSession(db(), at.session.id, request.cookies[BROWSER_COOKIE]),
    };
  }

  /**
   * An outcome that ends the prompt: allowed goes straight back (or, for a person who asked, to
   * their devices first); denied says why first.
   */
  async function conclude(reply: FastifyReply, at: InPrompt, outcome: AuthOutcome) {
    const code = await completePrompt(db(), at.session, promptOutcomeOf(outcome));
    if (outcome.result === "allow" && at.session.manageDevices)
      return showDevices(reply, at, {
        notice: "You are logged in. Add or remove your devices, then continue.",
      });
    if (outcome.result === "allow") return sendBack(reply, at.session, code);
    return html(reply, 403, refusalPage(at.frame, outcome.status_msg), at.session);
  }

  /** The page for where the person stands now, with a message from what they just did. */
  async function current(
    request: FastifyRequest,
    reply: FastifyReply,
    at: InPrompt,
    message: PageMessage = {},
  ) {
    const { session, frame } = at;
    if (session.outcome !== null) {
      if (session.outcome.result === "allow" && session.manageDevices)
        return showDevices(reply, at, message);
      if (session.outcome.result === "allow")
        return sendBack(reply, session, await reissueCode(db(), session));
      return html(reply, 403, refusalPage(frame, session.outcome.statusMsg), session);
    }
    const step = await promptStep(services, session, accessOf(request));
    if (step.kind === "decided") return conclude(reply, at, step.outcome);
    if (step.kind === "enroll") {
      const setup = await enrollmentSetup(services, session, frame.branding.name);
      return html(
        reply,
        message.error ? 400 : 200,
        enrollPage(frame, { ...setup, offersSecurityKey: true, error: message.error }),
        session,
      );
    }
    const remembered = await admitRemembered(
      services,
      {
        application: session.application,
        subject: step.subject,
        access: accessOf(request),
        async: false,
      },
      step.user,
      [
        request.cookies[rememberCookieName(session.application.id)],
        request.cookies[rememberCookieName(session.application.accountId)],
      ],
    );
    if (remembered !== null) return conclude(reply, at, remembered);
    return html(
      reply,
      message.error ? 400 : 200,
      factorsPage(frame, {
        rememberHours: rememberedDevices(step.subject.policy)?.hours ?? null,
        smsPhones: step.smsPhones,
        hasSecurityKey: step.user.security_keys.length > 0,
        managing: session.manageDevices,
        ...message,
      }),
      session,
    );
  }

  /**
   * "Remember me", when the person asked for it and the account offers it: this browser skips the
   * prompt for this user and application from now on, until it expires or an admin forgets it.
   */
  async function rememberIfAsked(
    request: FastifyRequest,
    reply: FastifyReply,
    at: InPrompt,
    subject: Subject,
  ) {
    const window = rememberedDevices(subject.policy);
    if (
      window === undefined ||
      subject.user === null ||
      single(formOf(request), "remember") !== "1"
    )
      return;
    const remembered = await rememberBrowser(db(), {
      accountId: at.session.application.accountId,
      userId: subject.user.id,
      applicationId: at.session.application.id,
      window,
      accessIp: request.ip,
    });
    // Remembered across applications: one cookie for the account, which every prompt reads.
    reply.setCookie(
      rememberCookieName(
        window.perApplication ? at.session.application.id : at.session.application.accountId,
      ),
      remembered.token,
      rememberCookieOptions(request, remembered.expiresAt),
    );
  }

  /**
   * After a factor failed: the person tries again while their standing still asks for a factor;
   * once it does not (the failure locked them out), the prompt ends with that attempt's outcome,
   * already in the log.
   */
  async function afterDenial(
    request: FastifyRequest,
    reply: FastifyReply,
    at: InPrompt,
    outcome: AuthOutcome,
  ) {
    const step = await readStep(services, at.session, accessOf(request));
    if (step.kind === "factors" || outcome.logged === null)
      return current(request, reply, at, { error: outcome.status_msg });
    return conclude(reply, at, outcome);
  }

  return {
    html,
    inPrompt,
    reread,
    accessOf,
    sendBack,
    showDevices,
    conclude,
    current,
    rememberIfAsked,
    afterDenial,
  };
}
