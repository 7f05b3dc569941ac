import { randomUUID } from "node:crypto";
import { afterFailure } from "../../authn/index.js";
import { rememberedDevices } from "../../authn/policy.js";
import type { Executor } from "../../db/executor.js";
import type { Services } from "../context.js";
import { commitFailure, commitSuccess } from "./commit.js";
import { type AuthOutcome, MESSAGES, outcomeOfAccess } from "./outcome.js";
import { type MatchedPasscode, matchPasscode } from "./passcodes.js";
import { type Attempt, recordAttempt } from "./record.js";
import { rememberBrowser } from "./remembered.js";
import { accessOf, loadSubject, type SubjectUser } from "./subject.js";

/**
 * Times an attempt is decided optimistically when the user's standing changed under it (commit.ts)
 * before it is decided under the user's row lock.
 */
const MAX_DECISIONS = 5;

/**
 * R-AUTH-2, R-AUTH-3, R-AUTH-4: one passcode attempt. The user's standing decides first (a
 * disabled, locked-out or unenrolled user is answered without looking at the passcode). The
 * passcode is matched against the user's credentials as read; then one statement commits the
 * outcome only if the user still stands as read (commit.ts): a valid passcode is spent (or found
 * spent by a racing attempt, which makes this one a failure), the failure count moves (a success
 * clears it, a failure may lock the user out at the account's threshold), the log entry is written.
 * Whatever the answer says has committed before it is given. When the standing keeps changing
 * under it (many attempts for one user at once), it is decided once more holding the user's row,
 * so every attempt ends in an answer and its log entry, never in an error (R-AUTH-4).
 */
export async function passcodeAttempt(
  services: Services,
  attempt: Attempt,
  passcode: string,
  now = new Date(),
): Promise<AuthOutcome> {
  const db = services.database.db;
  const txid = randomUUID();
  let subject = attempt.subject;
  for (let decision = 1; decision <= MAX_DECISIONS; decision++) {
    const decided = await decide(db, services, { ...attempt, subject }, passcode, txid, now);
    if (!("stale" in decided)) return decided;
    subject = await loadSubject(db, attempt.application, { userId: decided.stale });
  }
  // Contended (many attempts for this user at once, each changing the standing the others read):
  // decide once more holding the user's row, so that nothing can change under the decision.
  const userId = subject.user?.id ?? "";
  return db.transaction().execute(async (tx) => {
    await tx.selectFrom("users").select("id").where("id", "=", userId).forUpdate().execute();
    const locked = await loadSubject(tx, attempt.application, { userId });
    const decided = await decide(
      tx,
      services,
      { ...attempt, subject: locked },
      passcode,
      txid,
      now,
    );
    if ("stale" in decided) throw new Error("the user's standing changed under its row lock");
    return decided;
  });
}

/**
 * R-POL-2's remembered devices on the Auth API: after a factor, where the policy remembers devices,
 * the answer carries a token (stored hashed, as the prompt's remembered browsers are) that a later
 * preauth may give to skip the factor within the policy's window. Not for async=1, whose outcome
 * auth_status reads back from the database.
 */
async function withTrustedDevice(
  executor: Executor,
  attempt: Attempt,
  user: SubjectUser,
  outcome: AuthOutcome,
  now: Date,
): Promise<AuthOutcome> {
  const window = rememberedDevices(attempt.subject.policy);
  // Auth API applications only: the hosted prompt remembers a browser when the person asks, by
  // its own cookie, and Unix clients never send a token back.
  if (window === undefined || attempt.async || attempt.application.type !== "authapi")
    return outcome;
  const remembered = await rememberBrowser(
    executor,
    {
      accountId: attempt.application.accountId,
      userId: user.id,
      applicationId: attempt.application.id,
      window,
      accessIp: attempt.access.ip,
    },
    now,
  );
  return { ...outcome, trusted_device_token: remembered.token };
}

/**
 * One decision on the subject as read, committed in one statement (commit.ts); `stale` (with the
 * user's id) when the user's standing changed since it was read, and nothing was written.
 */
async function decide(
  executor: Executor,
  services: Services,
  current: Attempt,
  passcode: string,
  txid: string,
  now: Date,
): Promise<AuthOutcome | { stale: string }> {
  const { subject } = current;
  const access = accessOf(subject, { now, ip: current.access.ip });
  if (access.kind !== "auth") {
    const outcome = outcomeOfAccess(txid, access);
    await recordAttempt(executor, current, outcome, subject.user, "not_available");
    return outcome;
  }
  const user = access.user;
  const match: MatchedPasscode | null = await matchPasscode(
    executor,
    services.secrets,
    user,
    passcode,
    now.getTime(),
    access.methods,
  );
  if (match !== null) {
    const outcome: AuthOutcome = {
      txid,
      result: "allow",
      status: "allow",
      status_msg: MESSAGES.allow,
      logged: { result: "success", reason: "valid_passcode", decidedBy: access.decidedBy },
    };
    const result = await commitSuccess(executor, current, user, match, outcome, now);
    if (result === "committed") return withTrustedDevice(executor, current, user, outcome, now);
    // Decided again on the standing as it now is, never counted as a failure for being late.
    if (result === "stale") return { stale: user.id };
  }
  // A lockout that ended by itself counts afresh.
  const next = afterFailure({
    failedBefore: user.status === "locked out" ? 0 : user.failed_auth_attempts,
    threshold: subject.settings.lockoutThreshold,
    lockoutMinutes: subject.settings.lockoutMinutes,
    now,
  });
  const outcome: AuthOutcome = {
    txid,
    result: "deny",
    status: "deny",
    status_msg: next.lockout === null ? MESSAGES.invalidPasscode : MESSAGES.invalidPasscodeLocked,
    logged: { result: "denied", reason: "invalid_passcode", decidedBy: access.decidedBy },
  };
  const result = await commitFailure(
    executor,
    current,
    user,
    next,
    outcome,
    match?.factor ?? "passcode",
    match?.device ?? null,
  );
  return result === "committed" ? outcome : { stale: user.id };
}
