import {
  type PhoneCapability,
  type PhonePlatform,
  type PhoneRecord,
  type PhoneType,
  phoneCapabilities,
} from "./fields.js";

/**
 * A phone's own columns and the shape they are shown in, without its users: the piece that both a
 * phone's view (with its users) and a user's view (with its phones) are built from, so that the
 * imports run one way, users -> phones/summary <- phones/view (issue 13 item 8).
 */

/** A phone as admins see it (research/duo-api.md §5 "phone"), without its users. */
export interface PhoneSummary {
  id: string;
  number: string;
  extension: string;
  name: string;
  type: PhoneType;
  platform: PhonePlatform;
  model: string;
  predelay: number | null;
  postdelay: number | null;
  activated: boolean;
  sms_passcodes_sent: boolean;
  capabilities: PhoneCapability[];
  last_seen_at: string | null;
  created_at: string;
}

export const PHONE_COLUMNS = [
  "d.id",
  "d.number",
  "d.extension",
  "d.name",
  "d.type",
  "d.platform",
  "d.model",
  "d.predelay",
  "d.postdelay",
  "d.activated",
  "d.sms_passcodes_sent",
  "d.last_seen",
  "d.created_at",
] as const;

export interface PhoneRow extends PhoneRecord {
  id: string;
  model: string;
  activated: boolean;
  sms_passcodes_sent: boolean;
  last_seen: Date | null;
  created_at: Date;
}

export function toPhoneSummary(row: PhoneRow): PhoneSummary {
  return {
    id: row.id,
    number: row.number,
    extension: row.extension,
    name: row.name,
    type: row.type,
    platform: row.platform,
    model: row.model,
    predelay: row.predelay,
    postdelay: row.postdelay,
    activated: row.activated,
    sms_passcodes_sent: row.sms_passcodes_sent,
    capabilities: phoneCapabilities(row),
    last_seen_at: row.last_seen?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
  };
}
