import { sql } from "kysely";
import { newId } from "../db/ids.js";
import type { DatabaseHandle } from "../db/open.js";
import { insertAdmin } from "../db/queries/admins.js";
import { findAccountSettings } from "../db/queries/settings.js";
import type { Edition } from "../db/schema.js";
import { type ActivationLink, createActivationLink } from "./activation.js";
import { recordAction } from "./audit.js";
import { Conflict } from "./errors.js";
import { parseEmail, parseName } from "./validate.js";

export interface InitializeInput {
  accountName: string;
  ownerEmail: string;
  ownerName?: string;
  edition?: Edition;
  publicUrl: string;
}

export interface InitializeResult {
  accountId: string;
  accountName: string;
  ownerId: string;
  ownerEmail: string;
  activation: ActivationLink;
}

/** Serialises concurrent first runs; any fixed number works. */
const INIT_LOCK_KEY = 7_243_911_306;

/**
 * First run: the parent account and its first Owner, pending activation (R-ADM-2). Refused once
 * the database holds any account, so it cannot be used to mint a second Owner later (that is what
 * `gatehouse recover` is for, R-ADM-5).
 */
export async function initialize(
  handle: DatabaseHandle,
  input: InitializeInput,
): Promise<InitializeResult> {
  const accountName = parseName("name", input.accountName);
  const ownerEmail = parseEmail("owner_email", input.ownerEmail);
  const ownerName = parseName(
    "owner_name",
    input.ownerName ?? ownerEmail.split("@")[0] ?? ownerEmail,
  );
  return handle.db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${INIT_LOCK_KEY})`.execute(tx);
    const existing = await tx.selectFrom("accounts").select("id").limit(1).executeTakeFirst();
    if (existing) throw new Conflict("Gatehouse is already initialized: the database has accounts");
    const accountId = newId("account");
    await tx
      .insertInto("accounts")
      .values({ id: accountId, name: accountName, edition: input.edition ?? "Premier" })
      .execute();
    const settings = await findAccountSettings(tx, accountId);
    const ownerId = await insertAdmin(tx, {
      account_id: accountId,
      email: ownerEmail,
      name: ownerName,
      phone: null,
      role: "Owner",
      password_hash: null,
      totp_secret_enc: null,
    });
    const activation = await createActivationLink(tx, {
      adminId: ownerId,
      validDays: settings.admin_activation_valid_days,
      publicUrl: input.publicUrl,
    });
    const actor = { kind: "system" } as const;
    await recordAction(tx, {
      accountId,
      actor,
      action: "customer_create",
      object: { kind: "account", id: accountId, name: accountName },
      after: { name: accountName, edition: input.edition ?? "Premier" },
    });
    await recordAction(tx, {
      accountId,
      actor,
      action: "admin_create",
      object: { kind: "admin", id: ownerId, name: ownerEmail },
      after: { email: ownerEmail, name: ownerName, role: "Owner", status: "Pending Activation" },
    });
    return { accountId, accountName, ownerId, ownerEmail, activation };
  });
}
