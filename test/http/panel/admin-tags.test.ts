import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededAdmin, seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { PanelClient } from "../../helpers/panel-client.js";

describe(`issue 13 item 5: an admin's access tags over the panel API are tags that exist, on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let parentId: string;
  let owner: PanelClient;
  let helpDesk: SeededAdmin;
  let counter = 0;
  const email = (label: string) => `${label}-${++counter}@example.com`;

  beforeAll(async () => {
    t = await buildTestApp({ throttle: { attemptsPerWindow: 1000, windowSeconds: 60 } });
    parentId = await insertAccount(t.db, { name: "Northwind MSP" });
    const gov = await insertAccount(t.db, { parentId, name: "Gov Cloud" });
    const local = await insertAccount(t.db, { parentId, name: "Local Gov" });
    // R-TAG-1: two tags that differ only in case, both made where tags are made (an account).
    await t.db
      .insertInto("subaccount_tags")
      .values([
        { account_id: gov, tag: "Gov" },
        { account_id: local, tag: "gov" },
      ])
      .execute();
    const seeded = await seedActiveAdmin(t.database, { accountId: parentId, role: "Owner" });
    await seedActiveAdmin(t.database, { accountId: parentId, role: "Owner" });
    helpDesk = await seedActiveAdmin(t.database, { accountId: parentId, role: "Help Desk" });
    owner = new PanelClient(t.app);
    await owner.signIn(seeded);
  });
  afterAll(() => t.close());

  const tagsOf = async (adminId: string) =>
    (
      await t.db
        .selectFrom("admin_tags")
        .select("tag")
        .where("admin_id", "=", adminId)
        .orderBy("tag")
        .execute()
    ).map((row) => row.tag);
  const adminCount = async () =>
    Number(
      (
        await t.db
          .selectFrom("admins")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("issue 13 item 5: Add Administrator with a tag no account or admin has is refused, naming the field, and adds no one (R-TAG-3)", async () => {
    const before = await adminCount();
    const response = await owner.post("/api/admins", {
      name: "Typo Tagged",
      email: email("typo"),
      role: "Read-only",
      tags: ["Gov", "Govt"],
    });
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error).toMatchObject({ code: "invalid", field: "tags" });
    expect(error.message).toContain('"Govt"');
    expect(error.message).toContain("Add Access Tag");
    expect(error.message).toContain("R-TAG-3");
    await expect(adminCount()).resolves.toBe(before);
    const tags = await t.db
      .selectFrom("admin_tags")
      .select("tag")
      .where("tag", "=", "Govt")
      .execute();
    expect(tags).toEqual([]);
  });

  it("issue 13 item 5: a case variant of an existing tag is another tag: refused when it does not exist (R-TAG-1, R-TAG-3)", async () => {
    const response = await owner.post("/api/admins", {
      name: "Case Tagged",
      email: email("case"),
      role: "Read-only",
      tags: ["GOV"],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('"GOV"');
  });

  it("issue 13 item 5: 'Gov' and 'gov' both exist, so one admin is given both, saved as two (R-TAG-1)", async () => {
    const response = await owner.post("/api/admins", {
      name: "Both Cases",
      email: email("both"),
      role: "Read-only",
      tags: ["gov", "Gov"],
    });
    expect(response.statusCode, response.body).toBe(200);
    const admin = response.json().admin;
    expect(admin.tags).toEqual(["Gov", "gov"]);
    await expect(tagsOf(admin.id)).resolves.toEqual(["Gov", "gov"]);
  });

  it("issue 13 item 5: Edit Administrator refuses an unknown tag and keeps the saved ones; the admin's own tags stay allowed (R-TAG-3)", async () => {
    await t.db
      .insertInto("admin_tags")
      .values({ admin_id: helpDesk.id, tag: "Night shift" })
      .execute();
    const patch = (tags: string[]) =>
      owner.request({ method: "PATCH", url: `/api/admins/${helpDesk.id}`, body: { tags } });

    const refused = await patch(["Night shift", "Nightshift"]);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ field: "tags" });
    expect(refused.json().error.message).toContain('"Nightshift"');
    await expect(tagsOf(helpDesk.id)).resolves.toEqual(["Night shift"]);
    const audited = await t.db
      .selectFrom("audit_log")
      .select("id")
      .where("object_id", "=", helpDesk.id)
      .where("action", "=", "admin_update")
      .execute();
    expect(audited).toEqual([]);

    // "Night shift" exists only because this admin holds it: keeping it while adding "gov" is fine.
    const saved = await patch(["Night shift", "gov"]);
    expect(saved.statusCode, saved.body).toBe(200);
    await expect(tagsOf(helpDesk.id)).resolves.toEqual(["Night shift", "gov"]);
  });
});
