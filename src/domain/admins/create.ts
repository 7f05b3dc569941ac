import { sql } from "kysely";
import type { AdminChange, Role } from "../../authz/index.js";
import { isConstraintViolation } from "../../db/pg-errors.js";
import { type InsertAdminValues, insertAdmin } from "../../db/queries/admins.js";
import type { Mailer } from "../../mail/mailer.js";
import { parseTags, replaceAdminTags } from "../accounts/tags.js";
import type { UseCaseContext } from "../context.js";
import { Conflict, Invalid } from "../errors.js";
import { parseEmail, parseName } from "../validate.js";
import { emailActivationLink } from "./activation-email.js";
import { type ActivationLinkView, issueActivationLink } from "./activation-link.js";
import {
  activationDays,
  parsePhone,
  parseUnitIds,
  refuseDelegationInSubaccount,
  refuseUnknownTags,
} from "./fields.js";
import { replaceAdminUnits } from "./units.js";
import { type AdminView, adminObject, findAdmin } from "./view.js";

export interface NewAdminInput {
  email: string;
  name: string;
  phone?: string | null;
  /** Required in a paid edition; in Free it cannot be assigned (R-PLAN-1) and the admin is saved as Owner. */
  role?: Role;
  /** Parent-level admins only (R-SUB-5); defaults to `role` (R-SUB-3). */
  subaccount_role?: Role;
  /** Parent-level admins only (R-SUB-5). */
  tags?: string[];
  /** Units of this account (R-SUB-6); any makes the admin restricted (R-UNIT-4). */
  unit_ids?: string[];
  /**
   * R-UNIT-4, R-UNIT-5: restricted by units even in none (Duo's `restricted_by_admin_units`); by
   * default, restricted exactly when units are given. False with units is an input error.
   */
  restricted?: boolean;
  /** R-ADM-2: days the activation link stays valid; the account's setting when absent. */
  valid_days?: number;
}

export interface CreatedAdmin {
  admin: AdminView;
  /** Shown once, to the Owner who added the admin (R-ADM-2); with `emailed_to` when emailed too. */
  activation: ActivationLinkView;
}

/**
 * Add Administrator, in the account the session acts in: the parent (a parent-level admin with a
 * subaccount role and tags) or a subaccount (R-SUB-5: one role, nothing else). The engine decides
 * the proposed admin (R-ROLE-5, R-PLAN-1, R-SUB-2, R-SUB-4, R-UNIT-8h); the admin starts Pending
 * Activation with a new activation link (R-ADM-1, R-ADM-2), emailed to them when `emailWith` is
 * given: the last step, so a message the mail server refuses leaves no admin behind.
 */
export async function createAdmin(
  ctx: UseCaseContext,
  input: NewAdminInput,
  options: { publicUrl: string; emailWith?: Mailer },
): Promise<CreatedAdmin> {
  ctx.authorize("admins:create");
  const account = ctx.snapshot.accounts.get(ctx.accountId);
  const isParentLevel = account?.isParent === true;
  refuseDelegationInSubaccount(isParentLevel, input);
  const email = parseEmail("email", input.email);
  const name = parseName("name", input.name);
  const phone = parsePhone("phone", input.phone ?? null);
  if (input.role === undefined && account?.edition !== "Free")
    throw new Invalid("role", "is required: choose one of the seven administrative roles");
  const role: Role = input.role ?? "Owner";
  // R-SUB-3: the subaccount role defaults to the account role; R-SUB-2: an Owner's is Owner.
  const subaccountRole = isParentLevel ? (input.subaccount_role ?? role) : null;
  const tags = parseTags("tags", input.tags ?? []);
  const unitIds = parseUnitIds(ctx, input.unit_ids ?? []);
  if (input.restricted === false && unitIds.length > 0)
    throw new Invalid(
      "unit_ids",
      "an administrator with access to all groups and applications is in no unit",
    );
  const restricted = input.restricted ?? unitIds.length > 0;

  const change: AdminChange = {
    ...(input.role === undefined ? {} : { role }),
    ...(input.subaccount_role === undefined ? {} : { subaccountRole: input.subaccount_role }),
    ...(tags.length > 0 ? { tags } : {}),
    ...(input.unit_ids === undefined ? {} : { unitIds }),
    ...(restricted ? { restricted } : {}),
  };
  const target = { object: { kind: "admin" as const }, adminChange: change };
  ctx.authorize("admins:create", target);
  if (change.subaccountRole !== undefined) ctx.authorize("subaccount_roles:edit", target);
  if (tags.length > 0) ctx.authorize("tags:manage");
  await refuseUnknownTags(ctx, tags);

  const validDays = await activationDays(ctx, ctx.accountId, input.valid_days);
  const id = await insertUniqueAdmin(ctx, {
    account_id: ctx.accountId,
    email,
    name,
    phone,
    role,
    ...(subaccountRole === null ? {} : { subaccount_role: subaccountRole }),
    status: "Pending Activation",
    restricted_by_units: restricted,
    password_hash: null,
    totp_secret_enc: null,
  });
  if (tags.length > 0) await replaceAdminTags(ctx.tx, id, tags);
  // The admin row is written restricted already (R-UNIT-4); only the memberships remain.
  if (unitIds.length > 0) await replaceAdminUnits(ctx, id, unitIds, async () => {});
  const link = await issueActivationLink(ctx, {
    adminId: id,
    validDays,
    publicUrl: options.publicUrl,
  });
  const admin = await findAdmin(ctx, id);
  await ctx.audit({
    action: "admin_create",
    object: adminObject(admin),
    after: {
      email,
      name,
      phone,
      role,
      subaccount_role: subaccountRole,
      tags,
      restricted_by_units: restricted,
      unit_ids: unitIds,
      status: admin.status,
      activation_expires_at: link.expiresAt.toISOString(),
      ...(options.emailWith ? { activation_emailed_to: email } : {}),
    },
  });
  if (options.emailWith) await emailActivationLink(ctx, options.emailWith, admin, link);
  const activation = { url: link.url, expires_at: link.expiresAt.toISOString() };
  return {
    admin,
    activation: options.emailWith ? { ...activation, emailed_to: email } : activation,
  };
}

/**
 * R-TEN-6: one email, one admin, across the parent and all its subaccounts, case-insensitively. The
 * unique index decides (race-free whoever else inserts admins); its violation is rolled back to a
 * savepoint so the refusal can name the account of the admin who has the email.
 */
async function insertUniqueAdmin(ctx: UseCaseContext, values: InsertAdminValues): Promise<string> {
  await sql`savepoint admin_insert`.execute(ctx.tx);
  try {
    const id = await insertAdmin(ctx.tx, values);
    await sql`release savepoint admin_insert`.execute(ctx.tx);
    return id;
  } catch (error) {
    if (!isConstraintViolation(error, "admins_email_unique_in_tenant")) throw error;
    await sql`rollback to savepoint admin_insert`.execute(ctx.tx);
    const holder = await ctx.tx
      .selectFrom("admins as a")
      .innerJoin("accounts as c", "c.id", "a.account_id")
      .select("c.name")
      .where("a.tenant_id", "=", ctx.tenantId)
      .where((eb) => eb(eb.fn("lower", ["a.email"]), "=", values.email.toLowerCase()))
      .executeTakeFirst();
    throw new Conflict(
      `${values.email} is already an administrator of ${holder?.name ?? "another account of this parent"}; an email belongs to one administrator across the parent and all its subaccounts`,
      "R-TEN-6",
      "email",
    );
  }
}
