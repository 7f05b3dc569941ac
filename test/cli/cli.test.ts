import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CliEnvironment,
  cliEnvironment,
  runCli,
  startServer,
  withCliDatabase,
} from "../helpers/cli.js";
import { TEST_ENGINE } from "../helpers/engine.js";

describe(`gatehouse CLI on ${TEST_ENGINE}`, () => {
  let cli: CliEnvironment;
  beforeAll(async () => {
    cli = await cliEnvironment();
  });
  afterAll(() => cli.close());

  it("init creates the parent and its Owner with an activation link, then refuses a second run", async () => {
    const first = await runCli(
      ["init", "--name", "Northwind MSP", "--owner-email", "olivia@northwind.example", "--json"],
      cli.env,
    );
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result).toMatchObject({
      account_name: "Northwind MSP",
      owner_email: "olivia@northwind.example",
    });
    expect(result.account_id).toMatch(/^DA[0-9A-Z]{18}$/);
    expect(result.activation_url).toMatch(/^https:\/\/gh\.example\/activate\/[A-Za-z0-9_-]{43}$/);

    const second = await runCli(
      ["init", "--name", "Other", "--owner-email", "mallory@example.com"],
      cli.env,
    );
    expect(second.code).toBe(2);
    expect(second.stderr).toContain("already initialized");
  });

  it("init explains a bad option", async () => {
    const result = await runCli(
      ["init", "--name", "X", "--owner-email", "a@b.example", "--edition", "Gold"],
      cli.env,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Allowed choices are Free, Essentials, Advantage, Premier/);
  });

  it("migrate reports the database up to date", async () => {
    const status = await runCli(["migrate", "--status"], cli.env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/\d+ applied, 0 pending/);
    const run = await runCli(["migrate"], cli.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("up to date");
  });

  it("serve answers /healthz and /readyz, and stops cleanly on SIGTERM", async () => {
    const server = await startServer(cli.env);
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({
        status: "ready",
        database: TEST_ENGINE,
      });
    } finally {
      server.child.kill("SIGTERM");
    }
    const [code] = await once(server.child, "exit");
    expect(code).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
  });
});

describe(`gatehouse demo on ${TEST_ENGINE}`, () => {
  let cli: CliEnvironment;
  let demo: { parentId: string; subaccountIds: Record<string, string> };
  beforeAll(async () => {
    cli = await cliEnvironment();
  });
  afterAll(() => cli.close());

  it("fills an empty database with the sample MSP, and refuses a non-empty one", async () => {
    const first = await runCli(["demo", "--json"], cli.env);
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result.subaccounts).toBe(20);
    expect(new Set(result.admins.map((admin: { role: string }) => admin.role)).size).toBe(7);
    expect(result.users).toBeGreaterThan(100);
    const second = await runCli(["demo"], cli.env);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain("empty database");
    demo = result;
    // Demo admins wait for activation (R-ADM-1); activate them here to ask about their roles.
    await withCliDatabase(cli.env, (db) =>
      db.updateTable("admins").set({ status: "Active" }).execute(),
    );
  });

  it("R-TAG-2: check explains a denial from the live database, and an allowed action", async () => {
    const cedar = demo.subaccountIds["Cedar County Government"] ?? "";
    const denied = await runCli(
      ["check", "--admin", "hugo@northwind.example", "--action", "users:view", "--account", cedar],
      cli.env,
    );
    expect(denied.code).toBe(3);
    expect(denied.stdout).toContain(
      "DENY (R-TAG-2) R-TAG-2: subaccount Cedar County Government has tags [Government Restricted]; you have [EU]; tags are case-sensitive",
    );
    const allowed = await runCli(
      [
        "check",
        "--admin",
        "greta@northwind.example",
        "--action",
        "users:delete",
        "--account",
        cedar,
        "--json",
      ],
      cli.env,
    );
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ allow: true });
  });

  it("R-SUM-1: access-summary writes the CSV of parent-level admins by subaccount", async () => {
    const result = await runCli(["access-summary", "--account", demo.parentId], cli.env);
    expect(result.code).toBe(0);
    const rows = result.stdout.trim().split("\r\n");
    expect(rows[0]?.split(",")).toHaveLength(21);
    expect(rows).toHaveLength(1 + 11);
    const hugo = rows.find((row) => row.startsWith("Hugo Helpdesk EU"))?.split(",") ?? [];
    const header = rows[0]?.split(",") ?? [];
    expect(hugo[header.indexOf("Acme Corp (EU)")]).toBe("Help Desk");
    expect(hugo[header.indexOf("Acme Corp (US)")]).toBe("");
    expect(hugo[header.indexOf("Evergreen Schools")]).toBe("Help Desk");
  });

  it("actions lists every action with its SPEC row", async () => {
    const result = await runCli(["actions", "--json"], cli.env);
    const actions = JSON.parse(result.stdout);
    expect(actions).toContainEqual(
      expect.objectContaining({ action: "users:delete", row: "Manage users and directory sync" }),
    );
  });

  it.skipIf(TEST_ENGINE !== "pglite")(
    "a second process on the same embedded data directory is refused while the first runs",
    async () => {
      const server = await startServer(cli.env);
      try {
        const clash = await runCli(["migrate"], cli.env);
        expect(clash.code).toBe(1);
        expect(clash.stderr).toMatch(/is in use by process \d+/);
      } finally {
        server.child.kill("SIGTERM");
        await once(server.child, "exit");
      }
    },
  );
});
