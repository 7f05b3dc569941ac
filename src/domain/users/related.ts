import { type RawBuilder, sql } from "kysely";
import { decide } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import type { GroupStatus } from "../groups/list.js";
import { scopedGroupIds, scopeOf } from "../groups/unit-scope.js";
import type { PhonePlatform, PhoneType } from "../phones/fields.js";
import { type PhoneSummary, toPhoneSummary } from "../phones/summary.js";
import type { TokenType } from "../tokens/fields.js";
import { type TokenSummary, toTokenSummary } from "../tokens/summary.js";
import { toWebAuthnSummary, type WebAuthnSummary } from "../webauthn/summary.js";

/*
 * What a user carries besides its own columns. The imports run one way (issue 13 item 8):
 * users/view -> users/related -> phones/summary, tokens/summary, webauthn/summary; the device views that list
 * their users (phones/view, tokens/view -> devices/scope -> users/view) never come back here.
 */

/** One of a user's groups, with what the Admin API's user object shows of it (duo-api.md §5). */
export interface UserGroupRef {
  id: string;
  name: string;
  description: string;
  status: GroupStatus;
}

/** A user's phones, hardware tokens and WebAuthn credentials, as the Admin API's user object carries them (§5). */
export interface UserDevices {
  phones: PhoneSummary[];
  tokens: TokenSummary[];
  webauthn: WebAuthnSummary[];
}

/** What a page of users carries besides their own columns, looked up by user id. */
export interface Related {
  groupsOf(userId: string): UserGroupRef[];
  devicesOf(userId: string): UserDevices;
}

/** One row of the statement below: a group, a phone, a token or a WebAuthn credential, beside its user. */
type RelatedRow = { user_id: string; id: string } & (
  | { kind: "group"; name: string; description: string; status: GroupStatus }
  | {
      kind: "phone";
      name: string;
      created_at: Date;
      number: string;
      extension: string;
      type: PhoneType;
      platform: PhonePlatform;
      model: string;
      predelay: number | null;
      postdelay: number | null;
      activated: boolean;
      sms_passcodes_sent: boolean;
      last_seen: Date | null;
    }
  | { kind: "token"; created_at: Date; type: TokenType; serial: string; totp_step: number | null }
  | {
      kind: "webauthn";
      /** The credential's name, device type and last use, in the columns named for phones. */
      name: string;
      type: "single_device" | "multi_device";
      last_seen: Date | null;
      created_at: Date;
      label: string;
    }
);

export const NO_DEVICES: UserDevices = Object.freeze({ phones: [], tokens: [], webauthn: [] });

/** R-ROLE-3: whoever may not see phone numbers (Application Manager) sees no devices at all. */
export function mayViewDevices(ctx: UseCaseContext): boolean {
  return decide(ctx.snapshot, ctx.caller.principal, "phones:view", { accountId: ctx.accountId })
    .allow;
}

/**
 * The groups (those the caller may see, R-UNIT-8b) and, when asked, the phones, hardware tokens and
 * WebAuthn credentials of a page of users, in one statement whatever the page's size: every statement is a round trip
 * on PostgreSQL and a fixed cost on PGlite (bench/duo-api.ts; test/http/duo/queries-per-request).
 * The branches line up column for column; each kind reads its own columns. Never a token's secret.
 */
export async function relatedOf(
  ctx: UseCaseContext,
  userIds: readonly string[],
  wanted: { groups: boolean; devices: boolean },
): Promise<Related> {
  const ids = [...userIds];
  const inScope = scopedGroupIds(scopeOf(ctx));
  const branches: RawBuilder<unknown>[] = [];
  // Every branch names and types every column: whichever comes first names them for the union.
  if (wanted.groups && inScope?.length !== 0)
    branches.push(sql`
      select gm.user_id, 'group' as kind, g.id, g.name, g.name as sort_key,
             g.description, g.status, null::timestamptz as created_at, null::text as number,
             null::text as extension, null::text as type, null::text as platform,
             null::text as model, null::integer as predelay, null::integer as postdelay,
             null::boolean as activated, null::boolean as sms_passcodes_sent,
             null::timestamptz as last_seen, null::text as serial, null::integer as totp_step,
             null::text as label
        from group_members gm join groups g on g.id = gm.group_id
       where gm.account_id = ${ctx.accountId} and gm.user_id = any(${ids})
             ${inScope === undefined ? sql`` : sql`and g.id = any(${inScope})`}`);
  if (wanted.devices && ids.length > 0 && mayViewDevices(ctx))
    branches.push(
      sql`
      select up.user_id, 'phone' as kind, d.id, d.name, d.number as sort_key,
             null::text as description, null::text as status, d.created_at, d.number,
             d.extension, d.type, d.platform,
             d.model, d.predelay, d.postdelay,
             d.activated, d.sms_passcodes_sent,
             d.last_seen, null::text as serial, null::integer as totp_step, null::text as label
        from phones d join user_phones up on up.phone_id = d.id
       where d.account_id = ${ctx.accountId} and up.user_id = any(${ids})`,
      sql`
      select ut.user_id, 'token' as kind, d.id, null::text as name, d.serial as sort_key,
             null::text as description, null::text as status, d.created_at, null::text as number,
             null::text as extension, d.type, null::text as platform,
             null::text as model, null::integer as predelay, null::integer as postdelay,
             null::boolean as activated, null::boolean as sms_passcodes_sent,
             null::timestamptz as last_seen, d.serial, d.totp_step, null::text as label
        from hardware_tokens d join user_hardware_tokens ut on ut.token_id = d.id
       where d.account_id = ${ctx.accountId} and ut.user_id = any(${ids})`,
      sql`
      select w.user_id, 'webauthn' as kind, w.id, w.credential_name as name, w.id as sort_key,
             null::text as description, null::text as status, w.created_at, null::text as number,
             null::text as extension, w.device_type as type, null::text as platform,
             null::text as model, null::integer as predelay, null::integer as postdelay,
             null::boolean as activated, null::boolean as sms_passcodes_sent,
             w.last_used_at as last_seen, null::text as serial, null::integer as totp_step, w.label
        from webauthn_credentials w
       where w.account_id = ${ctx.accountId} and w.user_id = any(${ids})`,
    );
  const groups = new Map<string, UserGroupRef[]>();
  const devices = new Map<string, UserDevices>();
  if (ids.length > 0 && branches.length > 0) {
    const { rows } = await sql<RelatedRow>`${sql.join(branches, sql` union all `)}
      order by kind, sort_key, id`.execute(ctx.tx);
    for (const row of rows) {
      if (row.kind === "group") {
        const refs = groups.get(row.user_id) ?? [];
        groups.set(row.user_id, refs);
        refs.push({ id: row.id, name: row.name, description: row.description, status: row.status });
        continue;
      }
      const of = devices.get(row.user_id) ?? { phones: [], tokens: [], webauthn: [] };
      devices.set(row.user_id, of);
      if (row.kind === "phone") of.phones.push(toPhoneSummary(row));
      else if (row.kind === "token") of.tokens.push(toTokenSummary(row));
      else
        of.webauthn.push(
          toWebAuthnSummary({
            id: row.id,
            credential_name: row.name,
            label: row.label,
            device_type: row.type,
            created_at: row.created_at,
            last_used_at: row.last_seen,
          }),
        );
    }
  }
  return {
    groupsOf: (userId) => groups.get(userId) ?? [],
    devicesOf: (userId) => devices.get(userId) ?? NO_DEVICES,
  };
}
