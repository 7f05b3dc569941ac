import { randomInt, randomUUID } from "node:crypto";
import type { Executor } from "../../db/executor.js";
import { sealBypassCode } from "../bypass-codes/codes.js";
import type { Services } from "../context.js";
import { Invalid } from "../errors.js";
import { loadGateway, sendSms } from "../telephony/gateway.js";
import { smsPhones } from "./devices.js";
import { type AuthOutcome, outcomeOfAccess } from "./outcome.js";
import { type Attempt, recordAttempt } from "./record.js";
import { accessOf, type SubjectPhone } from "./subject.js";

/** How long an SMS passcode may be used. */
export const SMS_PASSCODE_MINUTES = 10;
/** Credits one SMS costs, as the telephony log counts them. */
export const SMS_CREDITS = 1;

/** Which phone: a phone's id, "auto" (the first that takes SMS), or the prompt's number (sms2). */
export type PhoneChoice = { id: string } | { index: number } | "auto";

/** A new SMS passcode: 7 digits, so it is never taken for a 6- or 8-digit token's code. */
export function newSmsPasscode(): string {
  return String(randomInt(1_000_000, 10_000_000));
}

function choosePhone(phones: SubjectPhone[], choice: PhoneChoice): SubjectPhone {
  const phone =
    choice === "auto"
      ? phones[0]
      : "id" in choice
        ? phones.find((candidate) => candidate.id === choice.id)
        : phones[choice.index - 1];
  if (phone === undefined)
    throw new Invalid(
      "device",
      phones.length === 0
        ? "the user has no phone that takes SMS passcodes (a mobile number, and an SMS gateway set for the account)"
        : "is not one of the user's phones that take SMS passcodes",
    );
  return phone;
}

async function expireUnused(tx: Executor, phoneId: string): Promise<void> {
  await tx
    .updateTable("sms_passcodes")
    .set({ expires_at: new Date() })
    .where("phone_id", "=", phoneId)
    .where("used_at", "is", null)
    .where("expires_at", ">", new Date())
    .execute();
}

/**
 * R-AUTH-2: sends a new SMS passcode through the account's gateway (research/duo-api.md §7
 * factor=sms: the answer is a denial with status `sent`; the person then logs in with the code).
 * The passcode is stored (hashed, expiring, any earlier unused one expired) before it is sent, so
 * it works the moment it arrives; a message the gateway refuses is expired again and said so.
 * Every message sent is in the telephony log with its credits.
 */
export async function smsAttempt(
  services: Services,
  attempt: Attempt,
  choice: PhoneChoice,
  now = new Date(),
): Promise<AuthOutcome> {
  const db = services.database.db;
  const { subject, application } = attempt;
  const txid = randomUUID();
  const decided = accessOf(subject, { now, ip: attempt.access.ip });
  // R-POL-2: where SMS is not an allowed method, no message is sent.
  const access: typeof decided =
    decided.kind === "auth" && !decided.methods.includes("sms")
      ? { kind: "deny", reason: "deny_by_policy", decidedBy: decided.decidedBy }
      : decided;
  if (access.kind !== "auth") {
    const outcome = outcomeOfAccess(txid, access);
    const user = subject.user;
    await recordAttempt(db, attempt, outcome, user, "sms_refresh");
    return outcome;
  }
  const user = access.user;
  const phone = choosePhone(smsPhones(user, subject.settings), choice);
  const gateway = await loadGateway(db, services.secrets, subject.accountId);
  if (gateway === null) throw new Invalid("device", "the account has no SMS gateway");
  const code = newSmsPasscode();
  const stored = await db.transaction().execute(async (tx) => {
    await expireUnused(tx, phone.id);
    return tx
      .insertInto("sms_passcodes")
      .values({
        account_id: subject.accountId,
        phone_id: phone.id,
        ...sealBypassCode(code),
        expires_at: new Date(now.getTime() + SMS_PASSCODE_MINUTES * 60_000),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
  });
  const message = `Your ${application.name} login passcode is ${code}. It works once, for ${SMS_PASSCODE_MINUTES} minutes.`;
  const delivery = await sendSms(gateway, phone.number, message);
  const outcome: AuthOutcome = delivery.sent
    ? { txid, result: "deny", status: "sent", status_msg: "New SMS passcodes sent.", logged: null }
    : {
        txid,
        result: "deny",
        status: "deny",
        status_msg: "The SMS could not be sent. Try again, or use another way to log in.",
        logged: null,
      };
  await db.transaction().execute(async (tx) => {
    if (delivery.sent) {
      await tx
        .insertInto("telephony_log")
        .values({
          account_id: subject.accountId,
          type: "sms",
          context: "authentication",
          phone_number: phone.number,
          credits: SMS_CREDITS,
          user_id: user.id,
          txid,
        })
        .execute();
      await tx
        .updateTable("phones")
        .set({ sms_passcodes_sent: true })
        .where("id", "=", phone.id)
        .execute();
    } else {
      await tx
        .updateTable("sms_passcodes")
        .set({ expires_at: new Date() })
        .where("id", "=", stored.id)
        .execute();
    }
    await recordAttempt(tx, attempt, outcome, user, "sms_refresh");
  });
  return outcome;
}
