import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { PanelClient } from "../../helpers/panel-client.js";

describe(`the access summary CSV over the panel API on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let parentId: string;
  let acme: string;
  let gov: string;
  let owner: PanelClient;
  let ownerEmail: string;

  beforeAll(async () => {
    t = await buildTestApp();
    parentId = await insertAccount(t.db, { name: "Northwind MSP" });
    acme = await insertAccount(t.db, { parentId, name: "Acme, EU" });
    gov = await insertAccount(t.db, { parentId, name: "=Gov" });
    await t.db
      .insertInto("subaccount_tags")
      .values([
        { account_id: acme, tag: "EU" },
        { account_id: gov, tag: "Government Restricted" },
      ])
      .execute();
    const seeded = await seedActiveAdmin(t.database, {
      accountId: parentId,
      role: "Owner",
      email: "owner@northwind.example",
    });
    ownerEmail = seeded.email;
    owner = new PanelClient(t.app);
    await owner.signIn(seeded);
  });
  afterAll(() => t.close());

  const seed = async (
    accountId: string,
    role: Role,
    email: string,
    values: { subaccountRole?: Role; tags?: string[] } = {},
  ) => {
    const admin = await seedActiveAdmin(t.database, { accountId, role, email });
    if (values.subaccountRole)
      await t.db
        .updateTable("admins")
        .set({ subaccount_role: values.subaccountRole })
        .where("id", "=", admin.id)
        .execute();
    if (values.tags)
      await t.db
        .insertInto("admin_tags")
        .values(values.tags.map((tag) => ({ admin_id: admin.id, tag })))
        .execute();
    return admin;
  };

  it("R-SUM-1: row 1 the subaccounts, column A the parent-level admins, each cell the subaccount role where accessible and empty where not", async () => {
    await seed(parentId, "Help Desk", "eu.helpdesk@northwind.example", {
      subaccountRole: "Read-only",
      tags: ["EU"],
    });
    await seed(parentId, "Billing", "untagged@northwind.example");
    await seed(acme, "Owner", "customer@acme.example");

    const response = await owner.get("/api/access-summary.csv");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers["content-disposition"]).toMatch(
      /^attachment; filename="access-summary-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(response.body.endsWith("\r\n")).toBe(true);
    const [header = [], ...rows] = parseCsv(response.body);
    // CSV quoting, and a leading apostrophe on a cell a spreadsheet would run as a formula.
    expect(response.body).toContain(`"Acme, EU"`);
    expect(response.body).toContain(`'=Gov`);
    expect(header.slice(0, 2)).toEqual(["Administrator", "Status"]);
    expect(header.slice(2).sort()).toEqual(["'=Gov", "Acme, EU"]);
    const cells = new Map(
      rows.map((row) => [
        row[0],
        Object.fromEntries(header.slice(2).map((name, i) => [name, row[i + 2]])),
      ]),
    );
    expect(rows.map((row) => row[1])).toEqual(["Active", "Active", "Active"]);
    expect(cells.get(`Test Admin <${ownerEmail}>`)).toEqual({
      "Acme, EU": "Owner",
      "'=Gov": "Owner",
    });
    expect(cells.get("Test Admin <eu.helpdesk@northwind.example>")).toEqual({
      "Acme, EU": "Read-only",
      "'=Gov": "",
    });
    expect(cells.get("Test Admin <untagged@northwind.example>")).toEqual({
      "Acme, EU": "",
      "'=Gov": "",
    });
    // R-SUB-5: an admin added directly to a subaccount is not a parent-level admin.
    expect(response.body).not.toContain("customer@acme.example");
    expect(rows).toHaveLength(3);
  });

  it("issue 13 item 6, R-SUM-1: pending, disabled and expired admins show their configured access with their status", async () => {
    const statuses = ["Pending Activation", "Disabled", "Expired"] as const;
    for (const status of statuses) {
      const tagged = await seed(
        parentId,
        "Help Desk",
        `eu.${status.split(" ")[0]}@northwind.example`,
        {
          tags: ["EU"],
        },
      );
      const newOwner = await seed(
        parentId,
        "Owner",
        `owner.${status.split(" ")[0]}@northwind.example`,
      );
      await t.db
        .updateTable("admins")
        .set({ status })
        .where("id", "in", [tagged.id, newOwner.id])
        .execute();
    }
    const response = await owner.get("/api/access-summary.csv");
    const [header = [], ...rows] = parseCsv(response.body);
    const row = (email: string) => {
      const cells = rows.find((r) => r[0]?.endsWith(`<${email}>`)) ?? [];
      return [
        cells[1],
        ...header
          .slice(2)
          .map((name) => `${name}=${cells[header.indexOf(name)]}`)
          .sort(),
      ];
    };
    for (const status of statuses) {
      const word = status.split(" ")[0];
      // Was: every cell empty, which read as "no access" (issue 13 item 6).
      expect(row(`owner.${word}@northwind.example`)).toEqual([
        status,
        "'=Gov=Owner",
        "Acme, EU=Owner",
      ]);
      expect(row(`eu.${word}@northwind.example`)).toEqual([status, "'=Gov=", "Acme, EU=Help Desk"]);
    }
  });

  it("R-SUM-1, R-ROLE-5: only those who may view administrators at the parent download it; a read writes no log record", async () => {
    const administrator = await seed(parentId, "Administrator", "adm@northwind.example");
    const client = new PanelClient(t.app);
    await client.signIn(administrator);
    const refused = await client.get("/api/access-summary.csv");
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.rule).toMatch(/^R-ROLE-/);

    const customer = await seed(acme, "Owner", "owner@acme.example");
    const customerClient = new PanelClient(t.app);
    await customerClient.signIn(customer);
    const outside = await customerClient.get("/api/access-summary.csv");
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.rule).toBe("R-SUB-5");

    const before = await t.db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("action", "<>", "access_denied")
      .executeTakeFirstOrThrow();
    await owner.get("/api/access-summary.csv");
    const after = await t.db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("action", "<>", "access_denied")
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

/** RFC 4180, enough for the test: quoted cells with doubled quotes, CRLF line ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return rows;
}
