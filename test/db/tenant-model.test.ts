import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibleSubaccounts, compile } from "../../src/authz/index.js";
import { loadTenantModel } from "../../src/db/queries/tenant-model.js";
import { createDemo, type DemoResult } from "../../src/domain/demo.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { TEST_ENGINE } from "../helpers/engine.js";

describe(`loading the tenant model on ${TEST_ENGINE}`, () => {
  let t: TestDatabase;
  let demo: DemoResult;
  beforeAll(async () => {
    t = await openTestDatabase();
    demo = await createDemo(t.handle, t.secrets, { publicUrl: "https://gh.example" });
    await t.handle.db.updateTable("admins").set({ status: "Active" }).execute();
  });
  afterAll(() => t.close());

  it("reads every subaccount with its tags, every admin with tags and units, and the units' scope", async () => {
    const model = await loadTenantModel(t.handle.db, demo.parentId);
    expect(model.parent).toMatchObject({
      id: demo.parentId,
      name: "Northwind MSP",
      edition: "Premier",
    });
    expect(model.subaccounts).toHaveLength(20);
    expect(model.subaccounts.find((s) => s.name === "Bluebird Health")?.tags).toEqual([
      "Healthcare",
      "US",
    ]);
    expect(model.subaccounts.find((s) => s.name === "Northwind Internal")).toMatchObject({
      nfr: true,
      tags: [],
    });
    expect(model.admins).toHaveLength(11 + 20);
    expect(model.admins.find((a) => a.email === "ada@northwind.example")).toMatchObject({
      role: "Administrator",
      tags: ["EU", "US"],
    });
    const finance = model.units.find((u) => u.name === "Finance systems");
    expect(finance).toMatchObject({ allGroups: false, allApplications: false });
    expect(finance?.groupIds).toHaveLength(1);
    expect(finance?.applicationIds).toHaveLength(1);
    expect(finance?.adminIds).toEqual([
      model.admins.find((a) => a.email === "arne@northwind.example")?.id,
    ]);
  });

  it("R-TAG-1, R-TAG-2: the compiled model gives the access the demo's tags describe, case-sensitively", async () => {
    const snapshot = compile(await loadTenantModel(t.handle.db, demo.parentId));
    const rui = [...snapshot.admins.values()].find(
      (a) => a.facts.email === "rui@northwind.example",
    );
    const names = accessibleSubaccounts(snapshot, rui?.facts.id ?? "").map(
      (id) => snapshot.accounts.get(id)?.name,
    );
    // Rui has "Healthcare": Bluebird Health yes, Harbor Clinics ("healthcare") no, untagged ones yes.
    expect(names).toContain("Bluebird Health");
    expect(names).not.toContain("Harbor Clinics");
    expect(names).toContain("Evergreen Schools");
  });
});
