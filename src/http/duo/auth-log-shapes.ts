import type { AuthLogRow } from "../../domain/auth-logs/authentication-records.js";
import type { TelephonyRow } from "../../domain/auth-logs/telephony-records.js";

/**
 * The authentication and telephony logs in Duo's record shapes (research/duo-api.md §4.9,
 * research/auth-protocols.md §7.2). Gatehouse knows no geolocation, browser or endpoint posture:
 * those fields are present and null, as Duo writes an unknown part, so a client reading them finds
 * them.
 */

interface Location {
  city: null;
  state: null;
  country: null;
}
const NOWHERE: Location = Object.freeze({ city: null, state: null, country: null });

/** §7.2: one record of GET /admin/v2/logs/authentication. */
export interface DuoAuthLogV2 {
  txid: string;
  /** Seconds, although the query's times are milliseconds. */
  timestamp: number;
  isotimestamp: string;
  event_type: string;
  result: string;
  reason: string;
  factor: string;
  user: { key: string | null; name: string; groups: string[] };
  application: { key: string | null; name: string | null };
  access_device: { ip: string | null; hostname: string | null; location: Location };
  auth_device: { ip: null; location: Location; name: string | null };
  alias: string;
  email: string;
  trusted_endpoint_status: null;
  ood_software: null;
  adaptive_trust_assessments: Record<string, never>;
}

/** The record's time in milliseconds, cut (not rounded) from its microseconds, as cursors name it. */
export function millisecondsOf(cursorTime: string): number {
  return Date.parse(`${cursorTime.slice(0, 23)}Z`);
}

/** "2025-01-31T10:00:00.123456+00:00": Duo's ISO form, to the microsecond the log keeps. */
function isoMicroseconds(cursorTime: string): string {
  return `${cursorTime.slice(0, 26)}+00:00`;
}

function seconds(cursorTime: string): number {
  return Math.floor(millisecondsOf(cursorTime) / 1000);
}

export function duoAuthLogV2(row: AuthLogRow): DuoAuthLogV2 {
  return {
    txid: row.txid,
    timestamp: seconds(row.cursor_time),
    isotimestamp: isoMicroseconds(row.cursor_time),
    event_type: row.event_type,
    result: row.result,
    reason: row.reason,
    factor: row.factor,
    user: { key: row.user_id, name: row.username, groups: row.user_groups ?? [] },
    application: { key: row.application_id, name: row.application_name },
    access_device: { ip: row.access_ip, hostname: row.access_hostname, location: NOWHERE },
    auth_device: { ip: null, location: NOWHERE, name: row.auth_device_name },
    alias: "",
    email: row.email,
    trusted_endpoint_status: null,
    ood_software: null,
    adaptive_trust_assessments: {},
  };
}

/** Duo's v1 words for a v2 result (the v1 log wrote results in capitals, failures as FAILURE). */
const V1_RESULTS: Record<string, string> = {
  success: "SUCCESS",
  denied: "FAILURE",
  error: "ERROR",
  fraud: "FRAUD",
};
const ACRONYMS: Record<string, string> = {
  sms: "SMS",
  yubikey: "YubiKey",
  u2f: "U2F",
  webauthn: "WebAuthn",
};

/** "duo_mobile_passcode" as v1 wrote factors: "Duo Mobile Passcode"; "sms_passcode": "SMS Passcode". */
function titleWords(code: string): string {
  return code
    .split("_")
    .map((word) => ACRONYMS[word] ?? `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
    .join(" ");
}

/** "invalid_passcode" as v1 wrote reasons: "Invalid passcode". */
function sentenceWords(code: string): string {
  const words = code.replaceAll("_", " ");
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

/** research/auth-protocols.md §7.2 (v1, deprecated): one record of GET /admin/v1/logs/authentication. */
export interface DuoAuthLogV1 {
  timestamp: number;
  username: string;
  factor: string;
  result: string;
  reason: string;
  ip: string | null;
  integration: string | null;
  new_enrollment: boolean;
  location: Location;
}

export function duoAuthLogV1(row: AuthLogRow): DuoAuthLogV1 {
  return {
    timestamp: seconds(row.cursor_time),
    username: row.username,
    factor: titleWords(row.factor),
    result: V1_RESULTS[row.result] ?? row.result.toUpperCase(),
    reason: sentenceWords(row.reason),
    ip: row.access_ip,
    integration: row.application_name,
    new_enrollment: row.event_type === "enrollment",
    location: NOWHERE,
  };
}

/** §4.9: one record of GET /admin/v1/logs/telephony. */
export interface DuoTelephonyV1 {
  context: string;
  credits: number;
  isotimestamp: string;
  phone: string;
  timestamp: number;
  type: string;
}

export function duoTelephonyV1(row: TelephonyRow): DuoTelephonyV1 {
  return {
    context: row.context,
    credits: row.credits,
    isotimestamp: `${row.cursor_time.slice(0, 19)}+00:00`,
    phone: row.phone_number,
    timestamp: seconds(row.cursor_time),
    type: row.type,
  };
}

/** §4.9: one item of GET /admin/v2/logs/telephony. */
export interface DuoTelephonyV2 {
  context: string;
  credits: number;
  phone: string;
  telephony_id: string;
  ts: string;
  txid: string | null;
  type: string;
}

export function duoTelephonyV2(row: TelephonyRow): DuoTelephonyV2 {
  return {
    context: row.context,
    credits: row.credits,
    phone: row.phone_number,
    telephony_id: String(row.id),
    ts: isoMicroseconds(row.cursor_time),
    txid: row.txid,
    type: row.type,
  };
}
