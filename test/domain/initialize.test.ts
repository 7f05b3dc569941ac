import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../src/db/ids.js";
import { initialize } from "../../src/domain/initialize.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { TEST_ENGINE } from "../helpers/engine.js";

describe(`initialize on ${TEST_ENGINE}`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(() => t.close());
  const input = {
    accountName: "Northwind MSP",
    ownerEmail: "olivia@northwind.example",
    publicUrl: "https://gh.example",
  };

  it("R-ADM-2: creates the parent, its first Owner pending activation, and a single stored hash of the link", async () => {
    const result = await initialize(t.handle, input);
    const account = await t.handle.db
      .selectFrom("accounts")
      .selectAll()
      .where("id", "=", result.accountId)
      .executeTakeFirstOrThrow();
    expect(account).toMatchObject({
      name: "Northwind MSP",
      parent_id: null,
      is_subaccount: false,
      edition: "Premier",
    });
    const owner = await t.handle.db
      .selectFrom("admins")
      .selectAll()
      .where("id", "=", result.ownerId)
      .executeTakeFirstOrThrow();
    expect(owner).toMatchObject({
      role: "Owner",
      subaccount_role: "Owner",
      status: "Pending Activation",
      password_hash: null,
    });

    const token = result.activation.url.replace("https://gh.example/activate/", "");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const links = await t.handle.db
      .selectFrom("admin_activations")
      .selectAll()
      .where("admin_id", "=", result.ownerId)
      .execute();
    expect(links).toHaveLength(1);
    expect(links[0]?.token_hash).toBe(hashToken(token));
    const days = (result.activation.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);

    const log = await t.handle.db
      .selectFrom("audit_log")
      .select(["action", "actor_name"])
      .where("account_id", "=", result.accountId)
      .execute();
    expect(log.map((entry) => entry.action).sort()).toEqual(["admin_create", "customer_create"]);
    expect(log.every((entry) => entry.actor_name === "System")).toBe(true);
  });

  it("refuses a second run, and leaves the database as it was", async () => {
    const before = await t.handle.db.selectFrom("admins").select("id").execute();
    await expect(
      initialize(t.handle, { ...input, ownerEmail: "mallory@example.com" }),
    ).rejects.toThrow(/already initialized/);
    expect(await t.handle.db.selectFrom("admins").select("id").execute()).toEqual(before);
  });

  it("refuses an invalid email before writing anything, naming the field", async () => {
    const fresh = await openTestDatabase();
    try {
      await expect(
        initialize(fresh.handle, { ...input, ownerEmail: "not-an-email" }),
      ).rejects.toMatchObject({
        code: "invalid",
        field: "owner_email",
      });
      expect(await fresh.handle.db.selectFrom("accounts").select("id").execute()).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it("two first runs at once: exactly one succeeds", async () => {
    const fresh = await openTestDatabase();
    try {
      const results = await Promise.allSettled([
        initialize(fresh.handle, input),
        initialize(fresh.handle, { ...input, ownerEmail: "omar@northwind.example" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await fresh.handle.db.selectFrom("accounts").select("id").execute()).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });
});
