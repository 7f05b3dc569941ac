import type { Transaction } from "kysely";
import { newId, newSecretKey } from "../db/ids.js";
import type { DatabaseHandle } from "../db/open.js";
import { insertAdmin } from "../db/queries/admins.js";
import type { Database } from "../db/schema.js";
import type { SecretBox } from "../db/secrets.js";
import { type ActivationLink, createActivationLink } from "./activation.js";
import { recordAction } from "./audit.js";
import {
  DEMO_APPLICATIONS,
  DEMO_FIRST_NAMES,
  DEMO_GROUPS,
  DEMO_LAST_NAMES,
  DEMO_PARENT,
  DEMO_PARENT_ADMINS,
  DEMO_SUBACCOUNTS,
  DEMO_UNITS,
} from "./demo-data.js";
import { Conflict } from "./errors.js";

export interface DemoResult {
  parentId: string;
  subaccounts: number;
  /** Subaccount ids by name, for scripts that go on from the demo. */
  subaccountIds: Record<string, string>;
  admins: { email: string; role: string; activation: ActivationLink }[];
  users: number;
}

/** Fills an empty database with the sample MSP of demo-data.ts, in one transaction. */
export async function createDemo(
  handle: DatabaseHandle,
  secrets: SecretBox,
  options: { publicUrl: string },
): Promise<DemoResult> {
  return handle.db.transaction().execute(async (tx) => {
    if (await tx.selectFrom("accounts").select("id").limit(1).executeTakeFirst()) {
      throw new Conflict("the demo needs an empty database; this one already has accounts");
    }
    const parentId = await insertAccount(tx, { ...DEMO_PARENT, parentId: null, tags: [] });
    const admins: DemoResult["admins"] = [];
    const subaccountIds: Record<string, string> = {};
    for (const admin of DEMO_PARENT_ADMINS) {
      const adminId = await insertAdmin(tx, {
        account_id: parentId,
        email: admin.email,
        name: admin.name,
        phone: null,
        role: admin.role,
        subaccount_role: admin.subaccountRole,
        password_hash: null,
        totp_secret_enc: null,
      });
      if (admin.tags.length) {
        await tx
          .insertInto("admin_tags")
          .values(admin.tags.map((tag) => ({ admin_id: adminId, tag })))
          .execute();
      }
      const activation = await createActivationLink(tx, {
        adminId,
        validDays: 7,
        publicUrl: options.publicUrl,
      });
      admins.push({ email: admin.email, role: admin.role, activation });
    }
    let users = await fillObjects(tx, secrets, parentId, "northwind", 6);
    for (const [index, sub] of DEMO_SUBACCOUNTS.entries()) {
      const accountId = await insertAccount(tx, { ...sub, parentId });
      subaccountIds[sub.name] = accountId;
      const domain = `${sub.name.toLowerCase().replace(/[^a-z]+/g, "")}.example`;
      users += await fillObjects(tx, secrets, accountId, domain, 8 + (index % 5) * 3);
      await insertAdmin(tx, {
        account_id: accountId,
        email: `it-lead@${domain}`,
        name: `${sub.name} IT lead`,
        phone: null,
        role: "Owner",
        password_hash: null,
        totp_secret_enc: null,
      });
    }
    await addUnits(tx, parentId);
    await recordAction(tx, {
      accountId: parentId,
      actor: { kind: "system" },
      action: "demo_create",
    });
    return { parentId, subaccounts: DEMO_SUBACCOUNTS.length, subaccountIds, admins, users };
  });
}

async function insertAccount(
  tx: Transaction<Database>,
  account: (typeof DEMO_SUBACCOUNTS)[number] & { parentId: string | null },
): Promise<string> {
  const id = newId("account");
  await tx
    .insertInto("accounts")
    .values({
      id,
      parent_id: account.parentId,
      name: account.name,
      edition: account.edition,
      nfr: account.nfr ?? false,
    })
    .execute();
  if (account.tags.length) {
    await tx
      .insertInto("subaccount_tags")
      .values(account.tags.map((tag) => ({ account_id: id, tag })))
      .execute();
  }
  return id;
}

/** Groups, applications, and users spread over the groups; returns the number of users. */
async function fillObjects(
  tx: Transaction<Database>,
  secrets: SecretBox,
  accountId: string,
  domain: string,
  userCount: number,
): Promise<number> {
  const isSubaccount = domain !== "northwind";
  const groupIds = DEMO_GROUPS.map(() => newId("group"));
  await tx
    .insertInto("groups")
    .values(
      DEMO_GROUPS.map((name, i) => ({
        id: groupIds[i] ?? newId("group"),
        account_id: accountId,
        name,
      })),
    )
    .execute();
  await tx
    .insertInto("applications")
    .values(
      DEMO_APPLICATIONS.map((app) => {
        const id = newId("integration");
        return {
          id,
          account_id: accountId,
          account_is_subaccount: isSubaccount,
          type: app.type,
          name: app.name,
          secret_key_enc: secrets.seal(newSecretKey(), id),
        };
      }),
    )
    .execute();
  const users = Array.from({ length: userCount }, (_, i) => {
    const first = DEMO_FIRST_NAMES[i % DEMO_FIRST_NAMES.length] ?? "Sam";
    const last = DEMO_LAST_NAMES[(i * 7) % DEMO_LAST_NAMES.length] ?? "Lee";
    const username = `${first}.${last}${i}`.toLowerCase();
    return {
      id: newId("user"),
      account_id: accountId,
      username,
      real_name: `${first} ${last}`,
      email: `${username}@${domain}`,
      status: i % 11 === 10 ? ("locked out" as const) : ("active" as const),
    };
  });
  await tx.insertInto("users").values(users).execute();
  await tx
    .insertInto("group_members")
    .values(
      users.map((user, i) => ({
        group_id: groupIds[i % groupIds.length] ?? "",
        user_id: user.id,
        account_id: accountId,
      })),
    )
    .execute();
  return users.length;
}

/** Two units at the parent: the Engineering help desk and the Finance apps, each with a restricted admin. */
async function addUnits(tx: Transaction<Database>, parentId: string): Promise<void> {
  const group = async (name: string) =>
    (
      await tx
        .selectFrom("groups")
        .select("id")
        .where("account_id", "=", parentId)
        .where("name", "=", name)
        .executeTakeFirstOrThrow()
    ).id;
  const app = async (name: string) =>
    (
      await tx
        .selectFrom("applications")
        .select("id")
        .where("account_id", "=", parentId)
        .where("name", "=", name)
        .executeTakeFirstOrThrow()
    ).id;
  const admin = async (email: string) => {
    const row = await tx
      .updateTable("admins")
      .set({ restricted_by_units: true })
      .where("email", "=", email)
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  };
  for (const unit of DEMO_UNITS) {
    const id = newId("unit");
    await tx
      .insertInto("admin_units")
      .values({
        id,
        account_id: parentId,
        name: unit.name,
        description: unit.description,
        all_groups: false,
        all_applications: unit.apps.length === 0,
      })
      .execute();
    for (const name of unit.groups) {
      await tx
        .insertInto("admin_unit_groups")
        .values({ unit_id: id, group_id: await group(name), account_id: parentId })
        .execute();
    }
    for (const name of unit.apps) {
      await tx
        .insertInto("admin_unit_applications")
        .values({ unit_id: id, application_id: await app(name), account_id: parentId })
        .execute();
    }
    for (const email of unit.admins) {
      await tx
        .insertInto("admin_unit_admins")
        .values({ unit_id: id, admin_id: await admin(email), account_id: parentId })
        .execute();
    }
  }
}
