import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isConstraintViolation, pgErrorInfo } from "../../src/db/pg-errors.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import {
  insertAccount,
  insertAdmin,
  insertApplication,
  insertGroup,
  insertUnit,
} from "../helpers/fixtures.js";

/** The invariants the database itself holds, whatever code path writes (schema 0001_init.sql). */
describe(`database invariants on ${TEST_ENGINE}`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(() => t.close());

  async function violation(promise: Promise<unknown>): Promise<string | undefined> {
    try {
      await promise;
    } catch (error) {
      return pgErrorInfo(error)?.constraint ?? pgErrorInfo(error)?.code;
    }
    return undefined;
  }

  it("R-TEN-1: a subaccount of a subaccount is refused", async () => {
    const parent = await insertAccount(t.handle.db);
    const sub = await insertAccount(t.handle.db, { parentId: parent });
    expect(await violation(insertAccount(t.handle.db, { parentId: sub }))).toBe(
      "accounts_parent_fk",
    );
  });

  it("R-TEN-1: a parent with subaccounts cannot itself become a subaccount", async () => {
    const parent = await insertAccount(t.handle.db);
    await insertAccount(t.handle.db, { parentId: parent });
    const other = await insertAccount(t.handle.db);
    const move = t.handle.db
      .updateTable("accounts")
      .set({ parent_id: other })
      .where("id", "=", parent)
      .execute();
    expect(await violation(move)).toBe("accounts_parent_fk");
  });

  it("R-TEN-6: an admin email is unique across the parent and every subaccount, ignoring case", async () => {
    const parent = await insertAccount(t.handle.db);
    const subA = await insertAccount(t.handle.db, { parentId: parent });
    const subB = await insertAccount(t.handle.db, { parentId: parent });
    await insertAdmin(t.handle.db, { accountId: parent, email: "ana@example.com" });
    expect(
      await violation(insertAdmin(t.handle.db, { accountId: subA, email: "Ana@Example.com" })),
    ).toBe("admins_email_unique_in_tenant");
    await insertAdmin(t.handle.db, { accountId: subA, email: "bo@example.com" });
    expect(
      await violation(insertAdmin(t.handle.db, { accountId: subB, email: "bo@example.com" })),
    ).toBe("admins_email_unique_in_tenant");
    // Another parent's tree is another tenant: the same email is allowed there.
    const otherParent = await insertAccount(t.handle.db);
    await expect(
      insertAdmin(t.handle.db, { accountId: otherParent, email: "ana@example.com" }),
    ).resolves.toMatch(/^DE/);
  });

  it("R-TEN-6: two racing inserts of one email into sibling subaccounts, exactly one wins", async () => {
    const parent = await insertAccount(t.handle.db);
    const subs = await Promise.all(
      [1, 2, 3, 4].map(() => insertAccount(t.handle.db, { parentId: parent })),
    );
    // Each insert runs in its own transaction; on PostgreSQL they hold separate pool connections.
    const results = await Promise.allSettled(
      subs.map((accountId) =>
        t.handle.db
          .transaction()
          .execute((tx) => insertAdmin(tx, { accountId, email: "race@example.com" })),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect(
        isConstraintViolation((r as PromiseRejectedResult).reason, "admins_email_unique_in_tenant"),
      ).toBe(true);
    }
    const count = await t.handle.db
      .selectFrom("admins")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("tenant_id", "=", parent)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it("R-TEN-6: an admin cannot claim a tenant other than its account's", async () => {
    const parentA = await insertAccount(t.handle.db);
    const parentB = await insertAccount(t.handle.db);
    const insert = t.handle.db
      .insertInto("admins")
      .values({
        id: "DE000000000000000001",
        account_id: parentA,
        tenant_id: parentB,
        home_is_subaccount: false,
        email: "x@example.com",
        name: "X",
        phone: null,
        role: "Owner",
        subaccount_role: "Owner",
        password_hash: null,
        totp_secret_enc: null,
      })
      .execute();
    expect(await violation(insert)).toBe("admins_account_fk");
  });

  it("R-SUB-5: admins of a subaccount have no subaccount role; R-SUB-1: parent-level admins have one", async () => {
    const parent = await insertAccount(t.handle.db);
    const sub = await insertAccount(t.handle.db, { parentId: parent });
    expect(
      await violation(insertAdmin(t.handle.db, { accountId: sub, subaccountRole: "Help Desk" })),
    ).toBe("admins_subaccount_role_only_at_parent");
    expect(
      await violation(insertAdmin(t.handle.db, { accountId: parent, subaccountRole: null })),
    ).toBe("admins_subaccount_role_only_at_parent");
  });

  it("R-SUB-2: an Owner's subaccount role is Owner", async () => {
    const parent = await insertAccount(t.handle.db);
    expect(
      await violation(
        insertAdmin(t.handle.db, { accountId: parent, role: "Owner", subaccountRole: "Billing" }),
      ),
    ).toBe("admins_owner_subaccount_role");
  });

  it("R-UNIT-8h: an Owner cannot be restricted by units", async () => {
    const parent = await insertAccount(t.handle.db);
    expect(
      await violation(
        insertAdmin(t.handle.db, { accountId: parent, role: "Owner", restricted: true }),
      ),
    ).toBe("admins_owner_not_restricted");
  });

  it("R-UNIT-3: an application belongs to at most one unit; a group to many", async () => {
    const account = await insertAccount(t.handle.db);
    const [unitA, unitB] = [
      await insertUnit(t.handle.db, account),
      await insertUnit(t.handle.db, account),
    ];
    const app = await insertApplication(t.handle.db, t.secrets, { accountId: account });
    const group = await insertGroup(t.handle.db, account);
    const assignApp = (unit: string) =>
      t.handle.db
        .insertInto("admin_unit_applications")
        .values({ unit_id: unit, application_id: app, account_id: account })
        .execute();
    await assignApp(unitA);
    expect(await violation(assignApp(unitB))).toBe("admin_unit_applications_one_unit");
    for (const unit of [unitA, unitB]) {
      await t.handle.db
        .insertInto("admin_unit_groups")
        .values({ unit_id: unit, group_id: group, account_id: account })
        .execute();
    }
  });

  it("R-SUB-6: a unit holds only its own account's admins, groups and applications", async () => {
    const parent = await insertAccount(t.handle.db);
    const sub = await insertAccount(t.handle.db, { parentId: parent });
    const unit = await insertUnit(t.handle.db, parent);
    const subAdmin = await insertAdmin(t.handle.db, { accountId: sub, restricted: true });
    const subGroup = await insertGroup(t.handle.db, sub);
    for (const account of [parent, sub]) {
      expect(
        await violation(
          t.handle.db
            .insertInto("admin_unit_admins")
            .values({ unit_id: unit, admin_id: subAdmin, account_id: account })
            .execute(),
        ),
      ).toMatch(/_fkey$/);
      expect(
        await violation(
          t.handle.db
            .insertInto("admin_unit_groups")
            .values({ unit_id: unit, group_id: subGroup, account_id: account })
            .execute(),
        ),
      ).toMatch(/_fkey$/);
    }
  });

  it("R-UNIT-4: only a restricted admin can be in a unit, and must leave its units before becoming global", async () => {
    const account = await insertAccount(t.handle.db);
    const unit = await insertUnit(t.handle.db, account);
    const global = await insertAdmin(t.handle.db, { accountId: account });
    const assign = (admin: string) =>
      t.handle.db
        .insertInto("admin_unit_admins")
        .values({ unit_id: unit, admin_id: admin, account_id: account })
        .execute();
    expect(await violation(assign(global))).toMatch(/_fkey$/);
    const restricted = await insertAdmin(t.handle.db, { accountId: account, restricted: true });
    await assign(restricted);
    const unrestrict = t.handle.db
      .updateTable("admins")
      .set({ restricted_by_units: false })
      .where("id", "=", restricted)
      .execute();
    expect(await violation(unrestrict)).toMatch(/_fkey$/);
  });

  it("R-TAG-1: tags are case-sensitive; subaccount tags only on subaccounts, admin tags only on parent-level admins", async () => {
    const parent = await insertAccount(t.handle.db);
    const sub = await insertAccount(t.handle.db, { parentId: parent });
    await t.handle.db
      .insertInto("subaccount_tags")
      .values([
        { account_id: sub, tag: "Gov" },
        { account_id: sub, tag: "gov" },
      ])
      .execute();
    expect(
      await violation(
        t.handle.db
          .insertInto("subaccount_tags")
          .values({ account_id: parent, tag: "Gov" })
          .execute(),
      ),
    ).toBeDefined();
    const subAdmin = await insertAdmin(t.handle.db, { accountId: sub });
    expect(
      await violation(
        t.handle.db.insertInto("admin_tags").values({ admin_id: subAdmin, tag: "Gov" }).execute(),
      ),
    ).toBeDefined();
    const tags = await t.handle.db
      .selectFrom("subaccount_tags")
      .select("tag")
      .where("account_id", "=", sub)
      .orderBy("tag")
      .execute();
    expect(tags.map((row) => row.tag)).toEqual(["Gov", "gov"]);
  });

  it("R-TEN-5: an Accounts API application belongs to a parent", async () => {
    const parent = await insertAccount(t.handle.db);
    const sub = await insertAccount(t.handle.db, { parentId: parent });
    await insertApplication(t.handle.db, t.secrets, { accountId: parent, type: "accountsapi" });
    expect(
      await violation(
        insertApplication(t.handle.db, t.secrets, { accountId: sub, type: "accountsapi" }),
      ),
    ).toBe("applications_accountsapi_at_parent");
  });

  it("R-AUD-1: the administrator actions log is append-only", async () => {
    const account = await insertAccount(t.handle.db);
    await t.handle.db
      .insertInto("audit_log")
      .values({
        account_id: account,
        actor_kind: "system",
        actor_id: null,
        actor_name: "System",
        action: "test_entry",
        object_kind: null,
        object_id: null,
        object_name: null,
        before: null,
        after: null,
        rule: null,
        ip: null,
        user_agent: null,
      })
      .execute();
    const rewrite = t.handle.db
      .updateTable("audit_log")
      .set({ action: "forged" })
      .where("account_id", "=", account)
      .execute();
    await expect(rewrite).rejects.toThrow(/append-only/);
  });
});
