import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InProcessCli, inProcessCli, runCli } from "../helpers/cli.js";
import { TEST_ENGINE } from "../helpers/engine.js";

// The commands run in this process, through the same parser and command functions as
// bin/gatehouse.js; test/cli/control-socket.test.ts runs the binary itself, server up and down.
describe(`gatehouse CLI on ${TEST_ENGINE}`, () => {
  let cli: InProcessCli;
  beforeAll(async () => {
    cli = await inProcessCli();
  });
  afterAll(() => cli.close());

  it("init creates the parent and its Owner with an activation link, then refuses a second run", async () => {
    const first = await cli.run([
      "init",
      "--name",
      "Northwind MSP",
      "--owner-email",
      "olivia@northwind.example",
      "--json",
    ]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result).toMatchObject({
      account_name: "Northwind MSP",
      owner_email: "olivia@northwind.example",
    });
    expect(result.account_id).toMatch(/^DA[0-9A-Z]{18}$/);
    expect(result.activation_url).toMatch(/^https:\/\/gh\.example\/activate\/[A-Za-z0-9_-]{43}$/);

    const second = await cli.run([
      "init",
      "--name",
      "Other",
      "--owner-email",
      "mallory@example.com",
    ]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain("already initialized");
  });

  it("migrate reports the database up to date", async () => {
    const status = await cli.run(["migrate", "--status"]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/\d+ applied, 0 pending/);
    const run = await cli.run(["migrate"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("up to date");
  });

  it("init explains a bad option, naming the choices", async () => {
    const result = await cli.run([
      "init",
      "--name",
      "X",
      "--owner-email",
      "a@b.example",
      "--edition",
      "Gold",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Allowed choices are Free, Essentials, Advantage, Premier/);
  });
});

describe("the gatehouse binary's exit codes and argument parsing", () => {
  it("refuses a bad option with exit 1 and the allowed choices, before touching any database", async () => {
    const result = await runCli(
      ["init", "--name", "X", "--owner-email", "a@b.example", "--edition", "Gold"],
      { ...process.env, GATEHOUSE_DATA_DIR: "/nonexistent/gatehouse-never-created" },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Allowed choices are Free, Essentials, Advantage, Premier/);
  });

  it("lists every action with its SPEC row, exit 0", async () => {
    const result = await runCli(["actions", "--json"], process.env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toContainEqual(
      expect.objectContaining({ action: "users:delete", row: "Manage users and directory sync" }),
    );
  });
});

describe(`gatehouse demo on ${TEST_ENGINE}`, () => {
  let cli: InProcessCli;
  let demo: { parentId: string; subaccountIds: Record<string, string> };
  beforeAll(async () => {
    cli = await inProcessCli();
    const first = await cli.run(["demo", "--json"]);
    expect(first.code).toBe(0);
    demo = JSON.parse(first.stdout);
  });
  afterAll(() => cli.close());

  it("fills an empty database with the sample MSP, and refuses a non-empty one", async () => {
    const result = demo as unknown as {
      subaccounts: number;
      admins: { role: string }[];
      users: number;
    };
    expect(result.subaccounts).toBe(20);
    expect(new Set(result.admins.map((admin) => admin.role)).size).toBe(7);
    expect(result.users).toBeGreaterThan(100);
    const second = await cli.run(["demo"]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain("empty database");
  });

  it("R-TAG-2: check explains a denial from the live database, and an allowed action", async () => {
    // Demo admins wait for activation (R-ADM-1); activate them here to ask about their roles.
    await cli.db.updateTable("admins").set({ status: "Active" }).execute();
    const cedar = demo.subaccountIds["Cedar County Government"] ?? "";
    const denied = await cli.run([
      "check",
      "--admin",
      "hugo@northwind.example",
      "--action",
      "users:view",
      "--account",
      cedar,
    ]);
    expect(denied.code).toBe(3);
    expect(denied.stdout).toContain(
      'DENY (R-TAG-2) You cannot open Cedar County Government: it is tagged "Government Restricted", and your access tags are "EU".',
    );
    const allowed = await cli.run([
      "check",
      "--admin",
      "greta@northwind.example",
      "--action",
      "users:delete",
      "--account",
      cedar,
      "--json",
    ]);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ allow: true });
    const unknown = await cli.run([
      "check",
      "--admin",
      "greta@northwind.example",
      "--action",
      "users:juggle",
      "--account",
      cedar,
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('action: unknown action "users:juggle"');
  });

  it("R-SUM-1: access-summary writes the CSV of parent-level admins by subaccount", async () => {
    const result = await cli.run(["access-summary", "--account", demo.parentId]);
    expect(result.code).toBe(0);
    const rows = result.stdout.trim().split("\r\n");
    const header = rows[0]?.split(",") ?? [];
    expect(header.filter((name) => !["Administrator", "Status"].includes(name))).toHaveLength(20);
    expect(rows).toHaveLength(1 + 11);
    const hugo = rows.find((row) => row.startsWith("Hugo Helpdesk EU"))?.split(",") ?? [];
    expect(hugo[header.indexOf("Acme Corp (EU)")]).toBe("Help Desk");
    expect(hugo[header.indexOf("Acme Corp (US)")]).toBe("");
    expect(hugo[header.indexOf("Evergreen Schools")]).toBe("Help Desk");
  });
});
