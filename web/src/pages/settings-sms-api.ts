/** The shapes of the SMS gateway routes of src/http/panel/settings.ts. */

export type GatewayMethod = "POST" | "PUT" | "GET";
export type GatewayContentType =
  | "application/json"
  | "application/x-www-form-urlencoded"
  | "text/plain";

/** GET/PUT/DELETE /api/settings/sms-gateway: the secret header's value never comes back. */
export interface SmsGateway {
  configured: boolean;
  url: string | null;
  method: GatewayMethod;
  content_type: GatewayContentType;
  body: string;
  secret_header: string | null;
  /** "set" while a value is stored for the secret header. */
  secret_value: "set" | null;
}

/** What PUT takes: the secret value only when a new one is typed. */
export interface SmsGatewayInput {
  url: string;
  method: GatewayMethod;
  content_type: GatewayContentType;
  body: string;
  secret_header: string | null;
  secret_value?: string;
}

/** POST /api/settings/sms-gateway/test. */
export interface TestMessageResult {
  sent: boolean;
  why?: string;
}

export const smsGatewayKey = (accountId: string) => ["settings", accountId, "sms-gateway"] as const;

export const GATEWAY_FIELDS = [
  "url",
  "method",
  "content_type",
  "body",
  "secret_header",
  "secret_value",
] as const;

export const METHOD_CHOICES: { value: GatewayMethod; label: string }[] = [
  { value: "POST", label: "POST" },
  { value: "PUT", label: "PUT" },
  { value: "GET", label: "GET (number and text in the address)" },
];

export const CONTENT_TYPE_CHOICES: { value: GatewayContentType; label: string }[] = [
  { value: "application/json", label: "JSON" },
  { value: "application/x-www-form-urlencoded", label: "Form (URL-encoded)" },
  { value: "text/plain", label: "Plain text" },
];
