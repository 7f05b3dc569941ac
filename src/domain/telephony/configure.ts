import { sql } from "kysely";
import type { SmsGatewayContentType } from "../../db/schema.js";
import { parsePhone } from "../admins/fields.js";
import type { UseCaseContext } from "../context.js";
import { Conflict, Invalid } from "../errors.js";
import { logSentSms, type UseCaseRunner } from "./deliver.js";
import { loadGateway, sendSms } from "./gateway.js";
import {
  parseBodyFor,
  parseContentType,
  parseGatewayUrl,
  parseMethod,
  parseSecretHeaderName,
  parseSecretValue,
  type SmsGatewayMethod,
} from "./gateway-fields.js";

/**
 * The account's SMS gateway (R-AUTH-2: SMS passcodes and activation links go through it), set by
 * those who may modify the account's settings (R-ROLE-2 "Modify global settings"; account-wide, so
 * never a restricted admin's, R-UNIT-4). The secret header's value is write-only: sealed with the
 * account's id (src/db/secrets.ts), never returned, logged or put in an audit record; it reads "set".
 */
export interface SmsGatewayView {
  configured: boolean;
  url: string | null;
  method: SmsGatewayMethod;
  content_type: SmsGatewayContentType;
  body: string;
  /** The name of the header that carries the gateway's credential, if it takes one. */
  secret_header: string | null;
  /** Whether that header's value is set: the value itself never leaves the server. */
  secret_value: "set" | null;
}

export interface SmsGatewayInput {
  url: string;
  method: string;
  content_type: string;
  body: string;
  /** null or "": no secret header. Absent: the header set before stays, value and all. */
  secret_header?: string | null;
  /** A new value for the secret header. Absent: the value set before stays (under a new name too). */
  secret_value?: string;
}

const COLUMNS = [
  "sms_gateway_url",
  "sms_gateway_method",
  "sms_gateway_content_type",
  "sms_gateway_body",
  "sms_gateway_secret_header",
  "sms_gateway_secret_enc",
] as const;

async function readRow(ctx: UseCaseContext) {
  return ctx.tx
    .selectFrom("account_settings")
    .select(COLUMNS)
    .where("account_id", "=", ctx.accountId)
    .executeTakeFirstOrThrow();
}

function toView(row: Awaited<ReturnType<typeof readRow>>): SmsGatewayView {
  return {
    configured: row.sms_gateway_url !== null,
    url: row.sms_gateway_url,
    method: row.sms_gateway_method,
    content_type: row.sms_gateway_content_type,
    body: row.sms_gateway_body,
    secret_header: row.sms_gateway_secret_header,
    secret_value: row.sms_gateway_secret_enc === null ? null : "set",
  };
}

function accountObject(ctx: UseCaseContext) {
  return {
    kind: "account",
    id: ctx.accountId,
    name: ctx.snapshot.accounts.get(ctx.accountId)?.name,
  };
}

/** The fields of `a` that differ from `b`. */
function differing(a: SmsGatewayView, b: SmsGatewayView): Partial<SmsGatewayView> {
  return Object.fromEntries(
    (Object.keys(a) as (keyof SmsGatewayView)[])
      .filter((key) => a[key] !== b[key])
      .map((key) => [key, a[key]]),
  );
}

export async function getSmsGateway(ctx: UseCaseContext): Promise<SmsGatewayView> {
  ctx.authorize("settings:modify");
  return toView(await readRow(ctx));
}

/**
 * Sets the gateway as a whole, every field checked first (a refusal names its field and changes
 * nothing). One "sms_gateway_update" record with what changed; a new secret value shows there as
 * "replaced", never as itself.
 */
export async function configureSmsGateway(
  ctx: UseCaseContext,
  input: SmsGatewayInput,
): Promise<SmsGatewayView> {
  ctx.authorize("settings:modify");
  const url = parseGatewayUrl(input.url);
  const method = parseMethod(input.method);
  const contentType = parseContentType(input.content_type);
  const body = parseBodyFor({ url, method, contentType, body: input.body });
  const row = await readRow(ctx);
  const before = toView(row);
  const header =
    input.secret_header === undefined
      ? row.sms_gateway_secret_header
      : input.secret_header === null || input.secret_header.trim() === ""
        ? null
        : parseSecretHeaderName(input.secret_header);
  let sealed = header === null ? null : row.sms_gateway_secret_enc;
  if (input.secret_value !== undefined) {
    if (header === null)
      throw new Invalid("secret_header", "is needed to send a secret value: name the header");
    sealed = ctx.services.secrets.seal(parseSecretValue(input.secret_value), ctx.accountId);
  }
  if (header !== null && sealed === null)
    throw new Invalid("secret_value", `is needed with the secret header ${header}`);
  await ctx.tx
    .updateTable("account_settings")
    .set({
      sms_gateway_url: url,
      sms_gateway_method: method,
      sms_gateway_content_type: contentType,
      sms_gateway_body: body,
      sms_gateway_secret_header: header,
      sms_gateway_secret_enc: sealed,
      updated_at: new Date(),
    })
    .where("account_id", "=", ctx.accountId)
    .execute();
  const after = toView(await readRow(ctx));
  const changed = differing(after, before);
  await ctx.audit({
    action: "sms_gateway_update",
    object: accountObject(ctx),
    before: differing(before, after),
    after: input.secret_value === undefined ? changed : { ...changed, secret_value: "replaced" },
  });
  return after;
}

/** Removes the gateway, its secret included; SMS passcodes and SMS activations stop. Logged even when none was set. */
export async function removeSmsGateway(ctx: UseCaseContext): Promise<SmsGatewayView> {
  ctx.authorize("settings:modify");
  const before = toView(await readRow(ctx));
  await ctx.tx
    .updateTable("account_settings")
    .set({
      sms_gateway_url: null,
      sms_gateway_method: sql`default`,
      sms_gateway_content_type: sql`default`,
      sms_gateway_body: sql`default`,
      sms_gateway_secret_header: null,
      sms_gateway_secret_enc: null,
      updated_at: new Date(),
    })
    .where("account_id", "=", ctx.accountId)
    .execute();
  await ctx.audit({
    action: "sms_gateway_delete",
    object: accountObject(ctx),
    before: before.configured ? before : null,
  });
  return toView(await readRow(ctx));
}

export interface TestMessageResult {
  sent: boolean;
  /** Why the gateway did not take it, in words (its HTTP status, or that it could not be reached). */
  why?: string;
}

/**
 * "Send a test message": one SMS through the account's gateway to the number given, decided and
 * checked first, sent outside any transaction, then recorded: the telephony log (context "test",
 * with its credits) when the gateway took it, and one "sms_gateway_test" record either way. A
 * gateway that refuses is an answer (sent: false, why), not an error.
 */
export async function sendTestMessage(
  run: UseCaseRunner,
  input: { to: string },
): Promise<TestMessageResult> {
  const prepared = await run("read", async (ctx) => {
    ctx.authorize("settings:modify");
    const to = parsePhone("to", input.to);
    if (to === null) throw new Invalid("to", "is required: the mobile number to send the test to");
    const gateway = await loadGateway(ctx.tx, ctx.services.secrets, ctx.accountId);
    if (gateway === null)
      throw new Conflict("The account has no SMS gateway: set one first.", undefined, "url");
    const account = ctx.snapshot.accounts.get(ctx.accountId)?.name ?? "your account";
    return { to, gateway, message: `Gatehouse test message for ${account}: SMS works.` };
  });
  const delivery = await sendSms(prepared.gateway, prepared.to, prepared.message);
  return run("write", async (ctx) => {
    if (delivery.sent) await logSentSms(ctx, { context: "test", phoneNumber: prepared.to });
    const result: TestMessageResult = delivery.sent
      ? { sent: true }
      : { sent: false, why: delivery.why };
    await ctx.audit({
      action: "sms_gateway_test",
      object: accountObject(ctx),
      after: { to: prepared.to, ...result },
    });
    return result;
  });
}
