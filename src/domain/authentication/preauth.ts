import { randomUUID } from "node:crypto";
import type { Services } from "../context.js";
import { type SubjectOrKey, subjectOf } from "./authenticate.js";
import { type PreauthDevice, preauthDevices } from "./devices.js";
import type { AccessDevice, AuthApplication } from "./log.js";
import { outcomeOfAccess } from "./outcome.js";
import { type TextPrompt, textPrompt } from "./prompt.js";
import { recordAttempt } from "./record.js";
import { admitRemembered } from "./remembered.js";
import { accessOf } from "./subject.js";

/** preauth's answer (research/duo-api.md §7), before each door puts it in its own shape. */
export interface PreauthAnswer {
  result: "auth" | "allow" | "deny" | "enroll";
  status_msg: string;
  /** With `auth`: what the user can prove a factor with, and the menu for a text prompt. */
  devices: PreauthDevice[];
  prompt: TextPrompt | null;
}

/**
 * R-AUTH-3, R-POL-2: whether and how a user may authenticate. The user's standing and the policy
 * decide first: a decision made here (allowed as bypass or unenrolled, denied as disabled, locked out or
 * unenrolled, sent to enroll) is final and in the authentication log; otherwise the answer lists
 * the user's devices and the text prompt's menu, and logs nothing (no attempt was made yet).
 */
export async function preauth(
  services: Services,
  application: AuthApplication,
  whom: SubjectOrKey,
  access: AccessDevice,
  now = new Date(),
  trustedDeviceToken?: string,
): Promise<PreauthAnswer> {
  const subject = await subjectOf(services, application, whom);
  const decision = accessOf(subject, { now, ip: access.ip });
  // R-POL-2: a device the policy remembers (Duo's trusted_device_token from an earlier auth) stands
  // in for the factor of a user who must prove one, and only then; logged as a remembered device.
  const remembered =
    decision.kind === "auth" && trustedDeviceToken !== undefined
      ? await admitRemembered(
          services,
          { application, subject, access, async: false },
          decision.user,
          [trustedDeviceToken],
          now,
        )
      : null;
  if (remembered !== null)
    return { result: "allow", status_msg: remembered.status_msg, devices: [], prompt: null };
  if (decision.kind === "auth")
    return {
      result: "auth",
      status_msg: "Account is active",
      devices: preauthDevices(decision.user, subject.settings, decision.methods),
      prompt: textPrompt(decision.user, subject.settings, decision.methods),
    };
  const outcome = outcomeOfAccess(randomUUID(), decision);
  await recordAttempt(
    services.database.db,
    { application, subject, access, async: false },
    outcome,
    subject.user,
    "not_available",
  );
  return {
    result: decision.kind,
    status_msg: outcome.status_msg,
    devices: [],
    prompt: null,
  };
}
