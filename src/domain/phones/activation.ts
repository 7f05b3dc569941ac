import {
  type CreatedActivation,
  createActivation,
  DEFAULT_ACTIVATION_SECONDS,
  MAX_ACTIVATION_SECONDS,
} from "../activations/create.js";
import type { UseCaseContext } from "../context.js";
import { visibleOwners } from "../devices/scope.js";
import { Invalid } from "../errors.js";
import { logSentSms, type UseCaseRunner } from "../telephony/deliver.js";
import { loadGateway, type SmsGateway, sendSms } from "../telephony/gateway.js";
import { phoneCapabilities } from "./fields.js";
import type { PhoneRow } from "./summary.js";
import { visiblePhone } from "./view.js";

/**
 * Device activation from the admin's side (research/duo-api.md §4.3 activation_url and
 * send_sms_activation): a single-use, expiring link that puts an authenticator app on the phone
 * (R-AUTH-5, src/domain/activations/create.ts). Sending an activation is R-ROLE-2's "Manage 2FA
 * devices", which Help Desk has (R-ROLE-3: "send Duo Mobile activations"); a restricted admin
 * reaches only phones of users in their units (R-UNIT-8f). The link is shown to the caller once and
 * never put in a log or an audit record.
 */

export interface ActivationRequest {
  /** Seconds the link works (Duo's valid_secs): a day unless given, at most 30 days. */
  validSeconds?: number;
  /** Whose account the app shows: one of the phone's users the caller may see; else the first by username. */
  userId?: string;
}

export interface PhoneActivation {
  phoneId: string;
  userId: string;
  username: string;
  activation: CreatedActivation;
  validSeconds: number;
}

function phoneName(row: PhoneRow): string {
  return row.number || row.name || row.id;
}

type Started = PhoneActivation & { row: PhoneRow };

/**
 * Checks (and `check`, whose answer it passes on), then writes the pending activation; any earlier
 * pending one of the phone ends (createActivation).
 */
async function startActivation<T = undefined>(
  ctx: UseCaseContext,
  phoneId: string,
  request: ActivationRequest,
  check?: (row: PhoneRow) => Promise<T>,
): Promise<{ started: Started; checked: T | undefined }> {
  const validSeconds = request.validSeconds ?? DEFAULT_ACTIVATION_SECONDS;
  if (!Number.isInteger(validSeconds) || validSeconds < 1 || validSeconds > MAX_ACTIVATION_SECONDS)
    throw new Invalid("valid_secs", `must be a whole number from 1 to ${MAX_ACTIVATION_SECONDS}`);
  const { row } = await visiblePhone(ctx, phoneId, "phones:send_activation");
  const users = (await visibleOwners(ctx, "phone", [phoneId])).get(phoneId) ?? [];
  const user =
    request.userId === undefined
      ? users[0]
      : users.find((candidate) => candidate.id === request.userId);
  if (request.userId !== undefined && !user)
    throw new Invalid("user_id", `is not a user of phone ${phoneName(row)}`);
  if (!user)
    throw new Invalid(
      "phone_id",
      "belongs to no user: attach the phone to a user first, whose username the app will show",
    );
  const checked = await check?.(row);
  const activation = await createActivation(ctx.tx, ctx.services.secrets, {
    accountId: ctx.accountId,
    userId: user.id,
    phoneId,
    issuer: ctx.snapshot.accounts.get(ctx.accountId)?.name ?? "Gatehouse",
    username: user.username,
    validSeconds,
  });
  return {
    started: { phoneId, userId: user.id, username: user.username, activation, validSeconds, row },
    checked,
  };
}

function withoutRow({ row: _row, ...activation }: Started): PhoneActivation {
  return activation;
}

function auditActivation(
  ctx: UseCaseContext,
  started: Started,
  delivery: Record<string, unknown>,
): Promise<void> {
  return ctx.audit({
    action: "phone_activation_create",
    object: { kind: "phone", id: started.phoneId, name: phoneName(started.row) },
    after: {
      user_id: started.userId,
      username: started.username,
      expires_at: started.activation.expiresAt.toISOString(),
      ...delivery,
    },
  });
}

/** An activation link for the caller to hand over (the panel shows it with its QR code). */
export async function createPhoneActivation(
  ctx: UseCaseContext,
  phoneId: string,
  request: ActivationRequest,
): Promise<PhoneActivation> {
  const { started } = await startActivation(ctx, phoneId, request);
  await auditActivation(ctx, started, { delivery: "link" });
  return withoutRow(started);
}

export const ACTIVATION_URL_MARK = "<acturl>";
export const INSTALLATION_URL_MARK = "<insturl>";
const MAX_MESSAGE_LENGTH = 1000;

/** Duo's activation_msg or installation_msg: it must hold the mark the link replaces. */
export function parseMessage(field: string, value: string | undefined, mark: string) {
  if (value === undefined) return undefined;
  if (value.length > MAX_MESSAGE_LENGTH)
    throw new Invalid(field, `must be at most ${MAX_MESSAGE_LENGTH} characters`);
  if (!value.includes(mark)) throw new Invalid(field, `must contain ${mark}, where the link goes`);
  return value;
}

export interface SmsActivationRequest extends ActivationRequest {
  /** The text sent, with <acturl> where the link goes. */
  activationMessage?: string;
  /** The page the link opens, for a token (the door knows the public address). */
  linkOf: (token: string) => string;
}

export interface SmsActivation extends PhoneActivation {
  message: string;
}

async function gatewayOf(ctx: UseCaseContext): Promise<SmsGateway> {
  const gateway = await loadGateway(ctx.tx, ctx.services.secrets, ctx.accountId);
  if (gateway === null)
    throw new Invalid(
      "sms_gateway",
      "is not set for this account: an administrator sets one in Settings",
    );
  return gateway;
}

/**
 * Sends the activation link by SMS to the phone's own number through the account's gateway
 * (telephony log context "activation"). Refused, changing nothing, when the phone has no mobile
 * number or the account no gateway. The activation is written first (its link is in the message);
 * the gateway is called outside any transaction (src/domain/telephony/deliver.ts); then one record
 * says what happened, and a message the gateway did not take leaves no live link behind.
 */
export async function sendSmsActivation(
  run: UseCaseRunner,
  phoneId: string,
  request: SmsActivationRequest,
): Promise<SmsActivation> {
  const template = parseMessage("activation_msg", request.activationMessage, ACTIVATION_URL_MARK);
  const prepared = await run("write", async (ctx) => {
    const { started, checked: gateway } = await startActivation(ctx, phoneId, request, (row) => {
      if (!phoneCapabilities(row).includes("sms"))
        throw new Invalid("phone_id", `${phoneName(row)} has no mobile number to text`);
      return gatewayOf(ctx);
    });
    if (!gateway) throw new Error("the check answers with the gateway");
    const account = ctx.snapshot.accounts.get(ctx.accountId)?.name ?? "Gatehouse";
    const message = (
      template ?? `To set up your authenticator app for ${account}, open ${ACTIVATION_URL_MARK}`
    ).replaceAll(ACTIVATION_URL_MARK, request.linkOf(started.activation.token));
    return { started, gateway, message };
  });
  const { started, gateway, message } = prepared;
  const delivery = await sendSms(gateway, started.row.number, message);
  await run("write", async (ctx) => {
    if (delivery.sent)
      await logSentSms(ctx, {
        context: "activation",
        phoneNumber: started.row.number,
        userId: started.userId,
      });
    else
      await ctx.tx
        .deleteFrom("device_activations")
        .where("id", "=", started.activation.id)
        .execute();
    await auditActivation(ctx, started, {
      delivery: "sms",
      to: started.row.number,
      sent: delivery.sent,
      ...(delivery.sent ? {} : { why: delivery.why }),
    });
  });
  if (!delivery.sent) throw new Invalid("sms_gateway", `did not take the message: ${delivery.why}`);
  return { ...withoutRow(started), message };
}
