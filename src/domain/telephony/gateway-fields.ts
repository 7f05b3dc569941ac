import { SMS_GATEWAY_CONTENT_TYPES, type SmsGatewayContentType } from "../../db/schema.js";
import { Invalid } from "../errors.js";
import { gatewayRequest, PLACEHOLDERS, type SmsGateway } from "./gateway.js";

/**
 * What an administrator sets of the account's SMS gateway, checked field by field before anything
 * is stored: each refusal names its field and says what would do. The limits are the table's own
 * checks (0008_authentication.sql), said in words.
 */

export const SMS_GATEWAY_METHODS = ["POST", "PUT", "GET"] as const;
export type SmsGatewayMethod = (typeof SMS_GATEWAY_METHODS)[number];
export { SMS_GATEWAY_CONTENT_TYPES, type SmsGatewayContentType };

export const MAX_URL_LENGTH = 2000;
export const MAX_BODY_LENGTH = 4000;
export const MAX_SECRET_LENGTH = 1000;

/** The request's own framing: a gateway's credential header may not replace one of these. */
const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  "content-type",
  "content-length",
  "host",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "expect",
]);

const HEADER_NAME = /^[A-Za-z0-9-]{1,100}$/;
/** Printable ASCII without line breaks (a header cannot carry them), no space at either end. */
const HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Any {{word}} that is not one of the two placeholders: a typo the gateway would receive as is. */
function refuseUnknownPlaceholders(field: string, template: string): void {
  for (const match of template.matchAll(/\{\{[^}]*\}\}/g))
    if (!(PLACEHOLDERS as readonly string[]).includes(match[0]))
      throw new Invalid(
        field,
        `holds ${match[0]}; the placeholders are ${PLACEHOLDERS.join(" and ")}`,
      );
}

export function parseGatewayUrl(value: string): string {
  const url = value.trim();
  if (url === "") throw new Invalid("url", "is required: the address each message is sent to");
  if (url.length > MAX_URL_LENGTH)
    throw new Invalid("url", `must be at most ${MAX_URL_LENGTH} characters`);
  if (/\s/.test(url)) throw new Invalid("url", "must not contain spaces or line breaks");
  if (!/^https?:\/\//.test(url)) throw new Invalid("url", "must start with https:// or http://");
  refuseUnknownPlaceholders("url", url);
  let parsed: URL;
  try {
    parsed = new URL(url.replaceAll("{{to}}", "0").replaceAll("{{message}}", "m"));
  } catch {
    throw new Invalid("url", "is not a web address, such as https://sms.example.com/send");
  }
  // Kept in clear and shown to every administrator who may change settings, so never a credential.
  if (parsed.username !== "" || parsed.password !== "")
    throw new Invalid(
      "url",
      "must not hold a user name or password: put the gateway's credential in the secret header, which is kept sealed",
    );
  const authority = url.slice(url.indexOf("//") + 2).split(/[/?#]/)[0] ?? "";
  if (authority.includes("{{"))
    throw new Invalid("url", "may hold {{to}} and {{message}} in its path or query, not its host");
  return url;
}

export function parseMethod(value: string): SmsGatewayMethod {
  const method = SMS_GATEWAY_METHODS.find((candidate) => candidate === value);
  if (!method) throw new Invalid("method", `must be one of ${SMS_GATEWAY_METHODS.join(", ")}`);
  return method;
}

export function parseContentType(value: string): SmsGatewayContentType {
  const type = SMS_GATEWAY_CONTENT_TYPES.find((candidate) => candidate === value);
  if (!type)
    throw new Invalid("content_type", `must be one of ${SMS_GATEWAY_CONTENT_TYPES.join(", ")}`);
  return type;
}

export function parseSecretHeaderName(value: string): string {
  const name = value.trim();
  if (!HEADER_NAME.test(name))
    throw new Invalid(
      "secret_header",
      "must be a header name of letters, digits and hyphens, such as X-Api-Key (at most 100)",
    );
  if (RESERVED_HEADERS.has(name.toLowerCase()))
    throw new Invalid("secret_header", `cannot be ${name}: Gatehouse sets that header itself`);
  return name;
}

export function parseSecretValue(value: string): string {
  if (value.length > MAX_SECRET_LENGTH || !HEADER_VALUE.test(value))
    throw new Invalid(
      "secret_value",
      `must be 1 to ${MAX_SECRET_LENGTH} printable characters, without line breaks or spaces at either end`,
    );
  return value;
}

const WHAT: Record<(typeof PLACEHOLDERS)[number], string> = {
  "{{to}}": "where the number goes",
  "{{message}}": "where the text goes",
};

/**
 * The body template, and the gateway as a whole: the number and the message must each reach the
 * gateway (in the address, or in the body when the method sends one), and a JSON body must still
 * be JSON once they are filled in (a placeholder outside quotes would not be).
 */
export function parseBodyFor(gateway: Omit<SmsGateway, "secretHeader">): string {
  const body = gateway.body;
  if (body.length > MAX_BODY_LENGTH)
    throw new Invalid("body", `must be at most ${MAX_BODY_LENGTH} characters`);
  refuseUnknownPlaceholders("body", body);
  const sent = gateway.method === "GET" ? gateway.url : `${gateway.url}\n${body}`;
  const missing = PLACEHOLDERS.filter((placeholder) => !sent.includes(placeholder));
  if (missing.length > 0) {
    const what = missing
      .map((placeholder) => `${placeholder} (${WHAT[placeholder]})`)
      .join(" and ");
    throw new Invalid(
      gateway.method === "GET" ? "url" : "body",
      gateway.method === "GET"
        ? `must hold ${what}: a GET request sends no body`
        : `must hold ${what}, here or in the address`,
    );
  }
  if (gateway.method !== "GET" && gateway.contentType === "application/json") {
    const { init } = gatewayRequest({ ...gateway, secretHeader: null }, "+15555550100", 'a "b"');
    try {
      JSON.parse(String(init.body));
    } catch {
      throw new Invalid(
        "body",
        'is not JSON once {{to}} and {{message}} are filled in: put each inside quotes, as in {"to":"{{to}}"}',
      );
    }
  }
  return body;
}
