import type { Action } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import { authorizeDevice, type DeviceTarget, visibleOwners } from "../devices/scope.js";
import { NotFound } from "../errors.js";
import type { UserSummary } from "../users/view.js";
import {
  type PhoneCapability,
  type PhonePlatform,
  type PhoneRecord,
  type PhoneType,
  phoneCapabilities,
} from "./fields.js";

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

/** A phone with the users the caller may see (R-UNIT-8a). */
export interface PhoneView extends PhoneSummary {
  users: UserSummary[];
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

/** The account's phones, aliased `d`, for a query to narrow. */
export function phonesOf(ctx: UseCaseContext) {
  return ctx.tx.selectFrom("phones as d").where("d.account_id", "=", ctx.accountId);
}

/** Views of phones, with the users of all of them the caller may see fetched in one query. */
export async function toPhoneViews(ctx: UseCaseContext, rows: PhoneRow[]): Promise<PhoneView[]> {
  const owners = await visibleOwners(
    ctx,
    "phone",
    rows.map((row) => row.id),
  );
  return rows.map((row) => Object.assign(toPhoneSummary(row), { users: owners.get(row.id) ?? [] }));
}

/**
 * One phone of this account, once the caller may take `action` on it: a phone of no user in the
 * caller's units answers NotFound like a missing one (R-UNIT-8f). Returns its row and target.
 */
export async function visiblePhone(
  ctx: UseCaseContext,
  id: string,
  action: Action = "phones:view",
): Promise<{ row: PhoneRow; target: DeviceTarget }> {
  const row = await phonesOf(ctx).select(PHONE_COLUMNS).where("d.id", "=", id).executeTakeFirst();
  if (!row) throw new NotFound("phone", id);
  return { row, target: await authorizeDevice(ctx, "phone", id, action) };
}
