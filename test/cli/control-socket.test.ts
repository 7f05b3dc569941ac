import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliHost } from "../../src/cli/hosts.js";
import { runCommandLine } from "../../src/cli/program.js";
import {
  type CliEnvironment,
  capturedOutput,
  cliEnvironment,
  runCli,
  type StartedServer,
  startServer,
  withCliDatabase,
} from "../helpers/cli.js";
import { signedRequest } from "../helpers/duo.js";
import { TEST_ENGINE } from "../helpers/engine.js";

// The real binary against a real server: one server start, each command its own process, as an
// operator runs them. On PGlite they reach the server over its socket; on PostgreSQL directly.
describe(`issue 13 item 10: the CLI works while the server runs, on ${TEST_ENGINE}`, () => {
  let cli: CliEnvironment;
  let server: StartedServer;
  let workDir: string;
  let parentId: string;
  let integration: { integration_key: string; secret_key: string; api_hostname: string };
  const socket = () => path.join(cli.env.GATEHOUSE_DATA_DIR ?? "", "gatehouse.sock");

  beforeAll(async () => {
    cli = await cliEnvironment();
    workDir = await mkdtemp(path.join(tmpdir(), "gatehouse-cwd-"));
    server = await startServer(cli.env, [
      "--init-name",
      "Northwind MSP",
      "--init-owner-email",
      "olivia@northwind.example",
    ]);
    parentId = /\((DA[0-9A-Z]{18})\) and its Owner/.exec(server.output())?.[1] ?? "";
  });
  afterAll(async () => {
    if (server.child.exitCode === null) {
      server.child.kill("SIGTERM");
      await once(server.child, "exit");
    }
    await cli.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it.skipIf(TEST_ENGINE !== "pglite")(
    "the server listens on a socket in its data directory that only its own user can open",
    async () => {
      expect(parentId).toMatch(/^DA/);
      const info = await stat(socket());
      expect(info.isSocket()).toBe(true);
      expect(info.mode & 0o777).toBe(0o600);
      expect((await stat(cli.env.GATEHOUSE_DATA_DIR ?? "")).mode & 0o777).toBe(0o700);
      expect(info.uid).toBe(process.getuid?.());
    },
  );

  it.skipIf(TEST_ENGINE !== "postgres")(
    "with DATABASE_URL the server opens no socket: the CLI connects to PostgreSQL itself",
    () => {
      expect(parentId).toMatch(/^DA/);
      expect(existsSync(socket())).toBe(false);
    },
  );

  it("integration create prints working credentials: the running server accepts them at once", async () => {
    const result = await runCli(
      [
        "integration",
        "create",
        "--account",
        parentId,
        "--type",
        "adminapi",
        "--name",
        "Reporting",
        "--all-grants",
        "--json",
      ],
      cli.env,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    integration = JSON.parse(result.stdout);
    expect(integration.integration_key).toMatch(/^DI[0-9A-Z]{18}$/);
    expect(integration.api_hostname).toBe("gh.example");

    const request = signedRequest({
      ikey: integration.integration_key,
      skey: integration.secret_key,
      method: "GET",
      url: "/admin/v1/info/summary",
      host: "gh.example",
    });
    const { host: _signedFor, ...headers } = request.headers;
    const response = await fetch(`${server.url}${request.url}`, { headers });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ stat: "OK" });
  });

  it("refusals keep their exit code and message through the server", async () => {
    const result = await runCli(
      ["integration", "create", "--account", parentId, "--type", "radius", "--name", "X"],
      cli.env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--type: must be adminapi, accountsapi, authapi, unix or websdk, got "radius"',
    );
    expect(result.stdout).toBe("");
  });

  it("recover creates a temporary Owner in the running server (R-ADM-5)", async () => {
    const result = await runCli(
      ["recover", "--account", parentId, "--email", "rescue@northwind.example", "--json"],
      cli.env,
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      email: "rescue@northwind.example",
      temporary: true,
      activation_url: expect.stringMatching(/^https:\/\/gh\.example\/activate\//),
    });
  });

  it("check answers from the server's live data, with exit 3 for a denial (R-ADM-1)", async () => {
    const result = await runCli(
      [
        "check",
        "--admin",
        "rescue@northwind.example",
        "--action",
        "users:view",
        "--account",
        parentId,
      ],
      cli.env,
    );
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^DENY \(R-ADM-1\) /);
  });

  it("access-summary --out writes the file where the CLI runs, listing what the server holds (R-SUM-1)", async () => {
    const result = await runCli(
      ["access-summary", "--account", parentId, "--out", "summary.csv"],
      cli.env,
      { cwd: workDir },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("wrote summary.csv\n");
    const rows = (await readFile(path.join(workDir, "summary.csv"), "utf8")).split("\r\n");
    expect(rows.some((row) => row.includes("olivia@northwind.example"))).toBe(true);
    expect(rows.some((row) => row.includes("rescue@northwind.example"))).toBe(true);
  });

  // PostgreSQL serves several servers at once; embedded PGlite one per data directory.
  it.skipIf(TEST_ENGINE !== "pglite")(
    "a second serve on the same data directory is refused, naming the running server",
    async () => {
      const output = capturedOutput();
      const code = await runCommandLine(["serve"], cliHost(["serve"], cli.env, output));
      expect(code).toBe(1);
      expect(output.text().stderr).toContain(
        `a Gatehouse server is already running on ${cli.env.GATEHOUSE_DATA_DIR}`,
      );
    },
  );

  it.skipIf(TEST_ENGINE !== "pglite")(
    "the server logs each command it ran by name only, never its options or output",
    () => {
      const log = server.output();
      expect(log).toContain('"command":"integration create","exit":0');
      expect(log).toContain('"command":"check","exit":3');
      expect(log).not.toContain(integration.secret_key);
      expect(log).not.toContain("rescue@northwind.example");
    },
  );

  it("stops cleanly on SIGTERM, removes its socket, and the CLI then opens the data directory itself", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({
      status: "ready",
      database: TEST_ENGINE,
    });
    server.child.kill("SIGTERM");
    const [code] = await once(server.child, "exit");
    expect(code).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
    expect(existsSync(socket())).toBe(false);

    const result = await runCli(
      [
        "check",
        "--admin",
        "rescue@northwind.example",
        "--action",
        "users:view",
        "--account",
        parentId,
      ],
      cli.env,
    );
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^DENY \(R-ADM-1\) /);
    const admins = await withCliDatabase(cli.env, (db) =>
      db.selectFrom("admins").select(["email", "is_temporary"]).orderBy("email").execute(),
    );
    expect(admins).toEqual([
      { email: "olivia@northwind.example", is_temporary: false },
      { email: "rescue@northwind.example", is_temporary: true },
    ]);
  });
});
