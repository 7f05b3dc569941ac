import { randomUUID } from "node:crypto";
import type { Services } from "../context.js";
import type { AccessDevice, AuthApplication } from "./log.js";
import type { AuthOutcome } from "./outcome.js";
import { passcodeAttempt } from "./passcode-attempt.js";
import { type PhoneChoice, smsAttempt } from "./sms.js";
import { loadSubject, type Subject, type UserKey } from "./subject.js";
import { transactionInsert } from "./transactions.js";

/** The factor an auth request asks for, as the doors read it from Duo's parameters. */
export type FactorRequest =
  | { kind: "passcode"; passcode: string }
  | { kind: "sms"; phone: PhoneChoice }
  /** Push or a phone call: Gatehouse runs no such service (issue 14: answered as for a device without it). */
  | { kind: "unavailable"; factor: "push" | "phone" };

/** Whom to authenticate: a user to look up, or the subject a door already read with its key. */
export type SubjectOrKey = { user: UserKey } | { subject: Subject };

export type AuthRequest = {
  application: AuthApplication;
  factor: FactorRequest;
  access: AccessDevice;
  async: boolean;
} & SubjectOrKey;

/** The subject given, or read now. */
export function subjectOf(
  services: Services,
  application: AuthApplication,
  whom: SubjectOrKey,
): Promise<Subject> {
  return "subject" in whom
    ? Promise.resolve(whom.subject)
    : loadSubject(services.database.db, application, whom.user);
}

export const UNAVAILABLE_MESSAGE = {
  push: "Gatehouse sends no push notifications: enter a passcode instead.",
  phone: "Gatehouse makes no phone calls: enter a passcode instead.",
} as const;

/**
 * One authentication (R-AUTH-2, R-AUTH-3, R-AUTH-4): the user's standing and facts are read once,
 * then the factor decides. An unavailable factor changes nothing and is not an attempt: the person
 * is told what to use instead.
 */
export async function authenticate(services: Services, request: AuthRequest): Promise<AuthOutcome> {
  if (request.factor.kind === "unavailable") {
    const outcome: AuthOutcome = {
      txid: randomUUID(),
      result: "deny",
      status: "deny",
      status_msg: UNAVAILABLE_MESSAGE[request.factor.factor],
      logged: null,
    };
    if (request.async)
      await transactionInsert(request.application, outcome).execute(services.database.db);
    return outcome;
  }
  const subject = await subjectOf(services, request.application, request);
  const attempt = {
    application: request.application,
    subject,
    access: request.access,
    async: request.async,
  };
  return request.factor.kind === "sms"
    ? smsAttempt(services, attempt, request.factor.phone)
    : passcodeAttempt(services, attempt, request.factor.passcode);
}
