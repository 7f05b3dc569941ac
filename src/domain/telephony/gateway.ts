import type { Executor } from "../../db/executor.js";
import type { SmsGatewayContentType } from "../../db/schema.js";
import type { SecretBox } from "../../db/secrets.js";

/** An account's outbound SMS gateway: one HTTP request per message, built from a template. */
export interface SmsGateway {
  url: string;
  method: "POST" | "PUT" | "GET";
  contentType: SmsGatewayContentType;
  /** The body, with {{to}} and {{message}} where the number and the text go (unused for GET). */
  body: string;
  /** A header carrying the gateway's credential, if it needs one. */
  secretHeader: { name: string; value: string } | null;
}

/** How long the gateway has to answer before the message counts as not sent. */
export const GATEWAY_TIMEOUT_MS = 10_000;

/** The placeholders a template may hold. */
export const PLACEHOLDERS = ["{{to}}", "{{message}}"] as const;

function fill(
  template: string,
  values: { to: string; message: string },
  encode: (text: string) => string,
) {
  return template
    .replaceAll("{{to}}", encode(values.to))
    .replaceAll("{{message}}", encode(values.message));
}

/** Text put inside a JSON string: quotes, backslashes and control characters escaped. */
function inJsonString(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/**
 * The request that sends one message: each value escaped for where it lands (the URL and a form
 * body percent-encoded, a JSON body as the inside of a string, plain text as is), so a message
 * can never change the request's shape.
 */
export function gatewayRequest(
  gateway: SmsGateway,
  to: string,
  message: string,
): { url: string; init: RequestInit } {
  const values = { to, message };
  const headers: Record<string, string> = {};
  if (gateway.secretHeader) headers[gateway.secretHeader.name] = gateway.secretHeader.value;
  const url = fill(gateway.url, values, encodeURIComponent);
  if (gateway.method === "GET") return { url, init: { method: "GET", headers } };
  headers["content-type"] = gateway.contentType;
  const escapeValue =
    gateway.contentType === "application/json"
      ? inJsonString
      : gateway.contentType === "application/x-www-form-urlencoded"
        ? encodeURIComponent
        : (text: string) => text;
  return {
    url,
    init: { method: gateway.method, headers, body: fill(gateway.body, values, escapeValue) },
  };
}

export type SendResult = { sent: true } | { sent: false; why: string };

/** Sends one message; any answer but a 2xx, or none within the timeout, is not sent. */
export async function sendSms(
  gateway: SmsGateway,
  to: string,
  message: string,
): Promise<SendResult> {
  const { url, init } = gatewayRequest(gateway, to, message);
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS) });
    await response.arrayBuffer();
    return response.ok
      ? { sent: true }
      : { sent: false, why: `the gateway answered HTTP ${response.status}` };
  } catch (error) {
    return { sent: false, why: `the gateway could not be reached (${(error as Error).message})` };
  }
}

/** The account's gateway, its secret opened; null when none is configured. */
export async function loadGateway(
  executor: Executor,
  secrets: SecretBox,
  accountId: string,
): Promise<SmsGateway | null> {
  const row = await executor
    .selectFrom("account_settings")
    .select([
      "sms_gateway_url",
      "sms_gateway_method",
      "sms_gateway_content_type",
      "sms_gateway_body",
      "sms_gateway_secret_header",
      "sms_gateway_secret_enc",
    ])
    .where("account_id", "=", accountId)
    .executeTakeFirst();
  if (!row || row.sms_gateway_url === null) return null;
  return {
    url: row.sms_gateway_url,
    method: row.sms_gateway_method,
    contentType: row.sms_gateway_content_type,
    body: row.sms_gateway_body,
    secretHeader:
      row.sms_gateway_secret_header === null || row.sms_gateway_secret_enc === null
        ? null
        : {
            name: row.sms_gateway_secret_header,
            value: secrets.open(row.sms_gateway_secret_enc, accountId),
          },
  };
}
