import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecoveryOwner } from "../../src/domain/auth/recover.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import { insertAccount, insertAdmin } from "../helpers/fixtures.js";

describe(`recovery (R-ADM-5) on ${TEST_ENGINE}`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(() => t.close());

  it("R-ADM-5: creates a temporary Owner pending activation, flagged in the row and the log", async () => {
    const accountId = await insertAccount(t.handle.db);
    const result = await createRecoveryOwner(t.handle, {
      accountId,
      email: "rescue@example.com",
      publicUrl: "https://gh.example",
    });
    expect(result.activation.url).toMatch(/^https:\/\/gh\.example\/activate\//);
    const admin = await t.handle.db
      .selectFrom("admins")
      .selectAll()
      .where("id", "=", result.adminId)
      .executeTakeFirstOrThrow();
    expect(admin).toMatchObject({
      role: "Owner",
      subaccount_role: "Owner",
      is_temporary: true,
      status: "Pending Activation",
    });
    const entry = await t.handle.db
      .selectFrom("audit_log")
      .selectAll()
      .where("object_id", "=", result.adminId)
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      action: "admin_create",
      actor_kind: "system",
      actor_name: "Recovery (CLI)",
    });
    expect(entry.after).toMatchObject({ temporary: true });
  });

  it("R-TEN-6: refuses an email another admin of the tenant holds, naming that admin's account", async () => {
    const parent = await insertAccount(t.handle.db, { name: "Parent Co" });
    const sub = await insertAccount(t.handle.db, { parentId: parent, name: "Child Co" });
    await insertAdmin(t.handle.db, { accountId: sub, email: "taken@example.com" });
    await expect(
      createRecoveryOwner(t.handle, {
        accountId: parent,
        email: "Taken@example.com",
        publicUrl: "https://gh.example",
      }),
    ).rejects.toThrow(/R-TEN-6: Taken@example.com already belongs to an administrator of Child Co/);
  });

  it("refuses an unknown account", async () => {
    await expect(
      createRecoveryOwner(t.handle, {
        accountId: "DA000000000000000000",
        email: "x@example.com",
        publicUrl: "https://gh.example",
      }),
    ).rejects.toThrow(/account DA000000000000000000 was not found/);
  });
});
