import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_GRANTS } from "../../src/authz/vocabulary.js";
import { cliHost } from "../../src/cli/hosts.js";
import { runCommandLine } from "../../src/cli/program.js";
import { loadConfig } from "../../src/config.js";
import { apiHostname } from "../../src/http/public-url.js";
import {
  type CliEnvironment,
  capturedOutput,
  cliEnvironment,
  type InProcessCli,
  inProcessCli,
  type StartedServer,
  startServer,
} from "../helpers/cli.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import { insertAccount, insertUnit } from "../helpers/fixtures.js";

describe(`gatehouse integration create on ${TEST_ENGINE}`, () => {
  let cli: InProcessCli;
  let parentId: string;
  let subaccountId: string;

  beforeAll(async () => {
    cli = await inProcessCli();
    const init = await cli.run([
      "init",
      "--name",
      "Northwind MSP",
      "--owner-email",
      "olivia@northwind.example",
      "--json",
    ]);
    expect(init.code).toBe(0);
    parentId = JSON.parse(init.stdout).account_id;
    subaccountId = await insertAccount(cli.db, { parentId, name: "Cedar County" });
  });
  afterAll(() => cli.close());

  it("prints the integration key, the secret key and the API hostname; stores the secret sealed", async () => {
    const result = await cli.run([
      "integration",
      "create",
      "--account",
      parentId,
      "--type",
      "adminapi",
      "--name",
      "Reporting",
      "--grant",
      "adminapi_read_log",
      "--grant",
      "adminapi_info",
      "--json",
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(Object.keys(printed).sort()).toEqual(["api_hostname", "integration_key", "secret_key"]);
    expect(printed.integration_key).toMatch(/^DI[0-9A-Z]{18}$/);
    expect(printed.secret_key).toMatch(/^[0-9A-Za-z]{40}$/);
    expect(printed.api_hostname).toBe("gh.example");

    const secrets = cli.env.storage.secrets;
    const { row, audit } = await (async (db) => ({
      row: await db
        .selectFrom("applications")
        .selectAll()
        .where("id", "=", printed.integration_key)
        .executeTakeFirstOrThrow(),
      audit: await db
        .selectFrom("audit_log")
        .selectAll()
        .where("object_id", "=", printed.integration_key)
        .execute(),
    }))(cli.db);
    expect(row).toMatchObject({
      account_id: parentId,
      account_is_subaccount: false,
      type: "adminapi",
      name: "Reporting",
      grants: ["adminapi_info", "adminapi_read_log"],
    });
    expect(secrets.open(row.secret_key_enc, row.id)).toBe(printed.secret_key);
    // Bound to its row: the sealed value does not open as another id's.
    expect(() => secrets.open(row.secret_key_enc, parentId)).toThrow();
    for (const value of Object.values(row))
      expect(JSON.stringify(value) ?? "").not.toContain(printed.secret_key);

    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      account_id: parentId,
      actor_kind: "system",
      actor_id: null,
      action: "integration_create",
      object_kind: "application",
      object_name: "Reporting",
    });
    expect(JSON.stringify(audit)).not.toContain(printed.secret_key);
  });

  it("--all-grants gives all seven; the readable form shows the secret once; the hostname has no port", async () => {
    const env = { GATEHOUSE_PUBLIC_URL: "https://api.northwind.example:8443/" };
    const result = await cli.run(
      [
        "integration",
        "create",
        "--account",
        subaccountId,
        "--type",
        "adminapi",
        "--name",
        "Cedar sync",
        "--all-grants",
      ],
      env,
    );
    expect(result.code).toBe(0);
    const key = /Integration key:\s+(DI[0-9A-Z]{18})/.exec(result.stdout)?.[1];
    const secret = /Secret key:\s+([0-9A-Za-z]{40})/.exec(result.stdout)?.[1];
    expect(key).toBeDefined();
    expect(secret).toBeDefined();
    expect(result.stdout).toMatch(/API hostname:\s+api\.northwind\.example\n/);
    const row = await cli.db
      .selectFrom("applications")
      .select(["grants", "account_is_subaccount"])
      .where("id", "=", key ?? "")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ grants: [...API_GRANTS], account_is_subaccount: true });
  });

  it("an Accounts API integration at the parent takes no grants", async () => {
    const ok = await cli.run([
      "integration",
      "create",
      "--account",
      parentId,
      "--type",
      "accountsapi",
      "--name",
      "Provisioning",
      "--json",
    ]);
    expect(ok.code).toBe(0);
    const key = JSON.parse(ok.stdout).integration_key;
    const row = await cli.db
      .selectFrom("applications")
      .select(["type", "grants"])
      .where("id", "=", key)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ type: "accountsapi", grants: [] });

    const withGrant = await cli.run([
      "integration",
      "create",
      "--account",
      parentId,
      "--type",
      "accountsapi",
      "--name",
      "P",
      "--grant",
      "adminapi_info",
    ]);
    expect(withGrant.code).toBe(2);
    expect(withGrant.stderr).toContain("--grant: an Accounts API integration takes no grants");
    const withAll = await cli.run([
      "integration",
      "create",
      "--account",
      parentId,
      "--type",
      "accountsapi",
      "--name",
      "P",
      "--all-grants",
    ]);
    expect(withAll.code).toBe(2);
    expect(withAll.stderr).toContain("--all-grants: an Accounts API integration takes no grants");
  });

  it("refuses a bad type, grant, account or name, naming the option, and creates nothing", async () => {
    const before = await countApplications(cli.db);
    const base = ["integration", "create", "--account", parentId, "--name", "X"];
    const cases: [string[], RegExp][] = [
      [
        [...base, "--type", "radius"],
        /--type: must be adminapi, accountsapi, authapi, unix or websdk, got "radius"/,
      ],
      [
        [...base, "--type", "authapi", "--grant", "adminapi_info"],
        /--grant: grants are Admin API permissions/,
      ],
      [
        [...base, "--type", "unix", "--all-grants"],
        /--all-grants: grants are Admin API permissions/,
      ],
      [
        [...base, "--type", "unix", "--unit", "DN999999999999999999"],
        /--unit: no administrative unit DN999999999999999999 in account DA[0-9A-Z]{18}/,
      ],
      [
        [...base, "--type", "adminapi", "--grant", "adminapi_info", "--grant", "adminapi_root"],
        /--grant: unknown grant "adminapi_root"/,
      ],
      [
        ["integration", "create", "--account", "DA000000000000000000", "--name", "X"].concat([
          "--type",
          "adminapi",
        ]),
        /--account: no account DA000000000000000000 exists/,
      ],
      [
        ["integration", "create", "--account", parentId, "--name", " ", "--type", "adminapi"],
        /--name: must be 1 to 100 characters/,
      ],
      [
        [...base, "--type", "adminapi", "--all-grants", "--grant", "adminapi_info"],
        /--all-grants: give either --all-grants or --grant, not both/,
      ],
      [
        [
          "integration",
          "create",
          "--account",
          subaccountId,
          "--name",
          "X",
          "--type",
          "accountsapi",
        ],
        /--type: R-TEN-5: an Accounts API integration belongs to a parent account, and Cedar County \(DA[0-9A-Z]{18}\) is a subaccount/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await cli.run(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe("");
    }
    const missing = await cli.run(["integration", "create", "--account", parentId]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("--type");
    expect(await countApplications(cli.db)).toBe(before);
  });

  it("R-AUTH-1: Auth API and UNIX integrations, in a unit when asked (R-UNIT-3); an all-applications unit is refused", async () => {
    const unitId = await insertUnit(cli.db, parentId);
    // A new unit manages all applications until told otherwise.
    const everything = await insertUnit(cli.db, parentId);
    await cli.db
      .updateTable("admin_units")
      .set({ all_applications: false })
      .where("id", "=", unitId)
      .execute();
    const made: Record<string, string> = {};
    for (const type of ["authapi", "unix", "websdk"]) {
      const result = await cli.run([
        "integration",
        "create",
        "--account",
        parentId,
        "--type",
        type,
        "--name",
        `Logins ${type}`,
        ...(type === "unix" ? ["--unit", unitId] : []),
      ]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Created ${type} integration "Logins ${type}"`);
      expect(result.stdout).not.toContain("Grants:");
      // Duo's Web SDK calls its key a client id (the Universal Prompt's client_id).
      const label = type === "websdk" ? "Client ID" : "Integration key";
      const key = new RegExp(`${label}: +(DI[0-9A-Z]{18})`).exec(result.stdout)?.[1] ?? "";
      expect(key).not.toBe("");
      made[type] = key;
    }
    const rows = await cli.db
      .selectFrom("applications")
      .select(["id", "type", "grants", "legacy_unix_clients"])
      .where("id", "in", Object.values(made))
      .orderBy("type")
      .execute();
    expect(rows).toEqual([
      { id: made.authapi, type: "authapi", grants: [], legacy_unix_clients: false },
      { id: made.unix, type: "unix", grants: [], legacy_unix_clients: false },
      { id: made.websdk, type: "websdk", grants: [], legacy_unix_clients: false },
    ]);
    const units = await cli.db
      .selectFrom("admin_unit_applications")
      .select(["unit_id", "application_id"])
      .where("application_id", "in", Object.values(made))
      .execute();
    expect(units).toEqual([{ unit_id: unitId, application_id: made.unix }]);
    const record = await cli.db
      .selectFrom("audit_log")
      .select("after")
      .where("object_id", "=", made.unix ?? "")
      .executeTakeFirstOrThrow();
    expect(record.after).toMatchObject({ type: "unix", unit_id: unitId });

    const before = await countApplications(cli.db);
    const refused = await cli.run([
      "integration",
      "create",
      "--account",
      parentId,
      "--type",
      "authapi",
      "--name",
      "Nowhere",
      "--unit",
      everything,
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--unit: .* manages all applications already/);
    expect(await countApplications(cli.db)).toBe(before);
  });
});

async function countApplications(db: InProcessCli["db"]): Promise<number> {
  const row = await db
    .selectFrom("applications")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

describe("api_hostname and the TLS configuration", () => {
  it("api_hostname is the public URL's host name, never a port", () => {
    expect(apiHostname("https://gatehouse.example")).toBe("gatehouse.example");
    expect(apiHostname("https://gatehouse.example:8443")).toBe("gatehouse.example");
    expect(apiHostname("http://127.0.0.1:3000")).toBe("127.0.0.1");
  });

  it("TLS_CERT and TLS_KEY come together, and make the default public URL https", () => {
    const on = loadConfig({ TLS_CERT: "cert.pem", TLS_KEY: "key.pem", PORT: "8443" });
    expect(on.tls).toEqual({
      certFile: path.resolve("cert.pem"),
      keyFile: path.resolve("key.pem"),
    });
    expect(on.publicUrl).toBe("https://127.0.0.1:8443");
    const off = loadConfig({ PORT: "8080" });
    expect(off.tls).toBeUndefined();
    expect(off.publicUrl).toBe("http://127.0.0.1:8080");
    expect(() => loadConfig({ TLS_CERT: "cert.pem" })).toThrow(/TLS_KEY is not set/);
    expect(() => loadConfig({ TLS_KEY: "key.pem", TLS_CERT: "  " })).toThrow(/TLS_CERT is not set/);
  });
});

const HAS_OPENSSL = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!HAS_OPENSSL)(`gatehouse serve over HTTPS on ${TEST_ENGINE}`, () => {
  let cli: CliEnvironment;
  let dir: string;
  let cert: Buffer;
  let server: StartedServer;

  beforeAll(async () => {
    cli = await cliEnvironment();
    dir = await mkdtemp(path.join(tmpdir(), "gatehouse-tls-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
        "-subj",
        "/CN=api-local.duosecurity.com",
        "-addext",
        "subjectAltName=DNS:api-local.duosecurity.com,DNS:localhost,IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    cert = await readFile(path.join(dir, "cert.pem"));
    // In the hook: a first start on a new data directory is the slowest step of this file.
    server = await startServer({
      ...cli.env,
      TLS_CERT: path.join(dir, "cert.pem"),
      TLS_KEY: path.join(dir, "key.pem"),
    });
  });
  afterAll(async () => {
    if (server?.child.exitCode === null) {
      server.child.kill("SIGTERM");
      await once(server.child, "exit");
    }
    await cli.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** `serve` in this process, through the CLI's own host: each case is refused before it listens. */
  async function serveHere(env: NodeJS.ProcessEnv) {
    const output = capturedOutput();
    const code = await runCommandLine(["serve"], cliHost(["serve"], env, output));
    return { code, ...output.text() };
  }

  it("serves /healthz over HTTPS with TLS_CERT and TLS_KEY", async () => {
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const response = await httpsGet(`${server.url}/healthz`, cert);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ status: "ok" });
      // Plain HTTP is not served on that port.
      await expect(fetch(`${server.url.replace("https:", "http:")}/healthz`)).rejects.toThrow();
    } finally {
      server.child.kill("SIGTERM");
    }
    const [code] = await once(server.child, "exit");
    expect(code).toBe(0);
  });

  it("refuses to start with only one of TLS_CERT and TLS_KEY, naming the missing one", async () => {
    const noKey = await serveHere({ ...cli.env, PORT: "0", TLS_CERT: path.join(dir, "cert.pem") });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain("TLS_KEY is not set");
    const noCert = await serveHere({ ...cli.env, PORT: "0", TLS_KEY: path.join(dir, "key.pem") });
    expect(noCert.code).toBe(1);
    expect(noCert.stderr).toContain("TLS_CERT is not set");
  });

  it("refuses an unreadable certificate file, naming its variable", async () => {
    const result = await serveHere({
      ...cli.env,
      PORT: "0",
      TLS_CERT: path.join(dir, "missing.pem"),
      TLS_KEY: path.join(dir, "key.pem"),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`TLS_CERT: cannot read ${path.join(dir, "missing.pem")}`);
  });
});

function httpsGet(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ca }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
  });
}
