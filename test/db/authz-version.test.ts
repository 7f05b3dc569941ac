import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decide } from "../../src/authz/index.js";
import { newId } from "../../src/db/ids.js";
import { SnapshotCache } from "../../src/domain/authorization.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import {
  insertAccount,
  insertAdmin,
  insertApplication,
  insertGroup,
  insertUnit,
} from "../helpers/fixtures.js";

/** Migration 0003: every write to a fact the engine reads bumps the tenant's version, and nothing else does. */
describe(`the authorization version on ${TEST_ENGINE}`, () => {
  let t: TestDatabase;
  let parentId: string;
  let subId: string;
  let adminId: string;
  beforeAll(async () => {
    t = await openTestDatabase();
    parentId = await insertAccount(t.handle.db, { name: "MSP" });
    subId = await insertAccount(t.handle.db, { parentId, name: "Customer" });
    adminId = await insertAdmin(t.handle.db, { accountId: parentId, role: "Help Desk" });
  });
  afterAll(() => t.close());

  const version = async () =>
    Number(
      (
        await t.handle.db
          .selectFrom("accounts")
          .select("authz_version")
          .where("id", "=", parentId)
          .executeTakeFirstOrThrow()
      ).authz_version,
    );
  const bumps = async (change: () => Promise<unknown>) => {
    const before = await version();
    await change();
    return (await version()) - before;
  };

  it("bumps on each kind of change the engine reads, in the subaccount's tenant too", async () => {
    const db = t.handle.db;
    const changes: [string, () => Promise<unknown>][] = [
      [
        "subaccount edition",
        () => db.updateTable("accounts").set({ edition: "Free" }).where("id", "=", subId).execute(),
      ],
      [
        "subaccount tag",
        () => db.insertInto("subaccount_tags").values({ account_id: subId, tag: "EU" }).execute(),
      ],
      [
        "admin role",
        () =>
          db
            .updateTable("admins")
            .set({ role: "Billing", subaccount_role: "Billing" })
            .where("id", "=", adminId)
            .execute(),
      ],
      [
        "admin tag",
        () => db.insertInto("admin_tags").values({ admin_id: adminId, tag: "EU" }).execute(),
      ],
      [
        "admin status",
        () =>
          db.updateTable("admins").set({ status: "Disabled" }).where("id", "=", adminId).execute(),
      ],
      [
        "role setting",
        () =>
          db
            .updateTable("account_settings")
            .set({ helpdesk_bypass: "deny" })
            .where("account_id", "=", subId)
            .execute(),
      ],
      ["new subaccount admin", () => insertAdmin(db, { accountId: subId, role: "Owner" })],
      ["new unit", () => insertUnit(db, parentId)],
      ["new subaccount", () => insertAccount(db, { parentId })],
    ];
    for (const [name, change] of changes) expect([name, await bumps(change)]).toEqual([name, 1]);
  });

  it("bumps when unit membership changes, and when a deleted group leaves a unit", async () => {
    const db = t.handle.db;
    const unitId = await insertUnit(db, parentId);
    const groupId = await insertGroup(db, parentId);
    const appId = await insertApplication(db, t.secrets, { accountId: parentId });
    expect(
      await bumps(() =>
        db
          .insertInto("admin_unit_groups")
          .values({ unit_id: unitId, group_id: groupId, account_id: parentId })
          .execute(),
      ),
    ).toBe(1);
    expect(
      await bumps(() =>
        db
          .insertInto("admin_unit_applications")
          .values({ unit_id: unitId, application_id: appId, account_id: parentId })
          .execute(),
      ),
    ).toBe(1);
    expect(await bumps(() => db.deleteFrom("groups").where("id", "=", groupId).execute())).toBe(1);
  });

  it("does not bump on sign-in bookkeeping or on users and groups outside units", async () => {
    const db = t.handle.db;
    expect(
      await bumps(() =>
        db
          .updateTable("admins")
          .set({ failed_sign_ins: 3, last_sign_in_at: new Date() })
          .where("id", "=", adminId)
          .execute(),
      ),
    ).toBe(0);
    expect(await bumps(() => insertGroup(db, parentId))).toBe(0);
    // Phones and tokens are decided on through their users' groups: not engine facts (0005).
    const phoneId = newId("phone");
    expect(
      await bumps(() =>
        db.insertInto("phones").values({ id: phoneId, account_id: parentId }).execute(),
      ),
    ).toBe(0);
    expect(
      await bumps(async () => {
        const userId = newId("user");
        await db
          .insertInto("users")
          .values({ id: userId, account_id: parentId, username: "device-owner" })
          .execute();
        await db
          .insertInto("user_phones")
          .values({ user_id: userId, phone_id: phoneId, account_id: parentId })
          .execute();
      }),
    ).toBe(0);
    expect(await bumps(() => sql`select 1`.execute(db))).toBe(0);
  });

  it("a cached snapshot is never used after a change committed elsewhere", async () => {
    const cache = new SnapshotCache();
    const db = t.handle.db;
    const sub = await insertAccount(db, { parentId, name: "Tagged later" });
    const owner = await insertAdmin(db, { accountId: parentId, role: "Administrator" });
    await db.updateTable("admins").set({ status: "Active" }).where("id", "=", owner).execute();
    const canEnter = () =>
      db.transaction().execute(async (tx) => {
        const snapshot = await cache.load(tx, parentId, { forUpdate: false, cacheable: true });
        return decide(snapshot, { kind: "admin", adminId: owner }, "dashboard:view", {
          accountId: sub,
        }).allow;
      });
    expect(await canEnter()).toBe(true);
    expect(await canEnter()).toBe(true);
    await db.insertInto("subaccount_tags").values({ account_id: sub, tag: "Gov" }).execute();
    expect(await canEnter()).toBe(false);
  });

  it("a snapshot read after the transaction's own uncommitted change is not cached", async () => {
    const cache = new SnapshotCache();
    const db = t.handle.db;
    const sub = await insertAccount(db, { parentId, name: "Rolled back" });
    const admin = await insertAdmin(db, { accountId: parentId, role: "Administrator" });
    await db.updateTable("admins").set({ status: "Active" }).where("id", "=", admin).execute();
    await expect(
      db.transaction().execute(async (tx) => {
        await tx.insertInto("subaccount_tags").values({ account_id: sub, tag: "Gov" }).execute();
        await cache.load(tx, parentId, { forUpdate: false, cacheable: false });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const snapshot = await db
      .transaction()
      .execute((tx) => cache.load(tx, parentId, { forUpdate: false, cacheable: true }));
    expect(
      decide(snapshot, { kind: "admin", adminId: admin }, "dashboard:view", { accountId: sub })
        .allow,
    ).toBe(true);
  });
});
