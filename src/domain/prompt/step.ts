import { randomUUID } from "node:crypto";
import { type PreauthDevice, preauthDevices, smsPhones } from "../authentication/devices.js";
import type { AccessDevice } from "../authentication/log.js";
import { type AuthOutcome, outcomeOfAccess } from "../authentication/outcome.js";
import { recordAttempt } from "../authentication/record.js";
import {
  accessOf,
  allowedKeys,
  loadSubject,
  type Subject,
  type SubjectAccess,
  type SubjectUser,
} from "../authentication/subject.js";
import type { Services } from "../context.js";
import type { PromptSession } from "./sessions.js";

/** What the prompt shows next for the person in it. */
export type PromptStep =
  /** Prove a factor: with a passcode, an SMS passcode to one of these phones, or a security key. */
  | {
      kind: "factors";
      subject: Subject;
      user: SubjectUser;
      devices: PreauthDevice[];
      smsPhones: { id: string; name: string }[];
    }
  /**
   * No usable device (or no user yet), and the account requires enrollment: set one up first
   * (issue 15 item 4); an unknown user is created when they finish, as the application named them.
   */
  | { kind: "enroll"; subject: Subject }
  /** The user's standing decided without a factor (R-AUTH-3), logged already. */
  | { kind: "decided"; outcome: AuthOutcome };

/** Before anything is logged: the step the user's standing leads to (see promptStep). */
export type StandingStep =
  | Exclude<PromptStep, { kind: "decided" }>
  | {
      kind: "standing";
      subject: Subject;
      decision: Exclude<SubjectAccess, { kind: "auth" | "enroll" }>;
    };

/**
 * The step the user's standing and the policy lead to now, deciding nothing and logging nothing.
 * R-POL-2: the user's devices and keys are those of the methods the policy allows here (a key of a
 * kind it does not allow is not asked for, and is refused if offered).
 */
export async function readStep(
  services: Services,
  session: PromptSession,
  access: AccessDevice,
  now = new Date(),
): Promise<StandingStep> {
  const subject = await loadSubject(services.database.db, session.application, {
    username: session.username,
  });
  const decision = accessOf(subject, { now, ip: access.ip });
  if (decision.kind === "auth")
    return {
      kind: "factors",
      subject,
      user: { ...decision.user, security_keys: allowedKeys(decision.user, decision.methods) },
      devices: preauthDevices(decision.user, subject.settings, decision.methods),
      smsPhones: (decision.methods.includes("sms")
        ? smsPhones(decision.user, subject.settings)
        : []
      ).map((phone) => ({
        id: phone.id,
        name: phone.number === "" ? phone.name : `the number ending ${phone.number.slice(-4)}`,
      })),
    };
  if (decision.kind === "enroll") return { kind: "enroll", subject };
  return { kind: "standing", subject, decision };
}

/**
 * R-AUTH-3 in the hosted prompt: the user's standing decides first, exactly as for the Auth API's
 * preauth: bypass and disabled users, locked-out users and unenrolled users under allow or deny
 * are decided here and logged (R-AUTH-4); under "require enrollment" an unenrolled user is walked
 * through enrollment (nothing is logged until they finish); anyone else proves a factor.
 */
export async function promptStep(
  services: Services,
  session: PromptSession,
  access: AccessDevice,
  now = new Date(),
): Promise<PromptStep> {
  const step = await readStep(services, session, access, now);
  if (step.kind !== "standing") return step;
  const outcome = outcomeOfAccess(randomUUID(), step.decision);
  await recordAttempt(
    services.database.db,
    { application: session.application, subject: step.subject, access, async: false },
    outcome,
    step.subject.user,
    "not_available",
  );
  return { kind: "decided", outcome };
}
