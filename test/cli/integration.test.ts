import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_GRANTS } from "../../src/authz/vocabulary.js";
import { loadConfig } from "../../src/config.js";
import { createSecretBox, loadSecretKey } from "../../src/db/secrets.js";
import { apiHostname } from "../../src/http/public-url.js";
import { type CliEnvironment, cliEnvironment, runCli, withCliDatabase } from "../helpers/cli.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import { insertAccount } from "../helpers/fixtures.js";

const BIN = path.resolve("bin/gatehouse.js");

async function openSecretBox(env: NodeJS.ProcessEnv) {
  return createSecretBox(
    await loadSecretKey({
      secretKey: env.GATEHOUSE_SECRET_KEY,
      dataDir: env.DATABASE_URL ? undefined : env.GATEHOUSE_DATA_DIR,
    }),
  );
}

describe(`gatehouse integration create on ${TEST_ENGINE}`, () => {
  let cli: CliEnvironment;
  let parentId: string;
  let subaccountId: string;

  beforeAll(async () => {
    cli = await cliEnvironment();
    const init = await runCli(
      ["init", "--name", "Northwind MSP", "--owner-email", "olivia@northwind.example", "--json"],
      cli.env,
    );
    expect(init.code).toBe(0);
    parentId = JSON.parse(init.stdout).account_id;
    subaccountId = await withCliDatabase(cli.env, (db) =>
      insertAccount(db, { parentId, name: "Cedar County" }),
    );
  });
  afterAll(() => cli.close());

  it("prints the integration key, the secret key and the API hostname; stores the secret sealed", async () => {
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
        "--grant",
        "adminapi_read_log",
        "--grant",
        "adminapi_info",
        "--json",
      ],
      cli.env,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(Object.keys(printed).sort()).toEqual(["api_hostname", "integration_key", "secret_key"]);
    expect(printed.integration_key).toMatch(/^DI[0-9A-Z]{18}$/);
    expect(printed.secret_key).toMatch(/^[0-9A-Za-z]{40}$/);
    expect(printed.api_hostname).toBe("gh.example");

    const secrets = await openSecretBox(cli.env);
    const { row, audit } = await withCliDatabase(cli.env, async (db) => ({
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
    }));
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
    const env = { ...cli.env, GATEHOUSE_PUBLIC_URL: "https://api.northwind.example:8443/" };
    const result = await runCli(
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
    const row = await withCliDatabase(env, (db) =>
      db
        .selectFrom("applications")
        .select(["grants", "account_is_subaccount"])
        .where("id", "=", key ?? "")
        .executeTakeFirstOrThrow(),
    );
    expect(row).toEqual({ grants: [...API_GRANTS], account_is_subaccount: true });
  });

  it("an Accounts API integration at the parent takes no grants", async () => {
    const ok = await runCli(
      [
        "integration",
        "create",
        "--account",
        parentId,
        "--type",
        "accountsapi",
        "--name",
        "Provisioning",
        "--json",
      ],
      cli.env,
    );
    expect(ok.code).toBe(0);
    const key = JSON.parse(ok.stdout).integration_key;
    const row = await withCliDatabase(cli.env, (db) =>
      db
        .selectFrom("applications")
        .select(["type", "grants"])
        .where("id", "=", key)
        .executeTakeFirstOrThrow(),
    );
    expect(row).toEqual({ type: "accountsapi", grants: [] });

    const withGrant = await runCli(
      [
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
      ],
      cli.env,
    );
    expect(withGrant.code).toBe(2);
    expect(withGrant.stderr).toContain("--grant: an Accounts API integration takes no grants");
    const withAll = await runCli(
      [
        "integration",
        "create",
        "--account",
        parentId,
        "--type",
        "accountsapi",
        "--name",
        "P",
        "--all-grants",
      ],
      cli.env,
    );
    expect(withAll.code).toBe(2);
    expect(withAll.stderr).toContain("--all-grants: an Accounts API integration takes no grants");
  });

  it("refuses a bad type, grant, account or name, naming the option, and creates nothing", async () => {
    const before = await countApplications(cli.env);
    const base = ["integration", "create", "--account", parentId, "--name", "X"];
    const cases: [string[], RegExp][] = [
      [[...base, "--type", "websdk"], /--type: must be adminapi or accountsapi, got "websdk"/],
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
      const result = await runCli(args, cli.env);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe("");
    }
    const missing = await runCli(["integration", "create", "--account", parentId], cli.env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("--type");
    expect(await countApplications(cli.env)).toBe(before);
  }, 120_000);
});

async function countApplications(env: NodeJS.ProcessEnv): Promise<number> {
  return withCliDatabase(env, async (db) => {
    const row = await db
      .selectFrom("applications")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  });
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
  });
  afterAll(async () => {
    await cli.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("serves /healthz over HTTPS with TLS_CERT and TLS_KEY", async () => {
    const server = await startHttpsServer({
      ...cli.env,
      TLS_CERT: path.join(dir, "cert.pem"),
      TLS_KEY: path.join(dir, "key.pem"),
    });
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
    const noKey = await runCli(["serve"], {
      ...cli.env,
      PORT: "0",
      TLS_CERT: path.join(dir, "cert.pem"),
    });
    expect(noKey.code).not.toBe(0);
    expect(noKey.stderr).toContain("TLS_KEY is not set");
    const noCert = await runCli(["serve"], {
      ...cli.env,
      PORT: "0",
      TLS_KEY: path.join(dir, "key.pem"),
    });
    expect(noCert.code).not.toBe(0);
    expect(noCert.stderr).toContain("TLS_CERT is not set");
  });

  it("refuses an unreadable certificate file, naming its variable", async () => {
    const result = await runCli(["serve"], {
      ...cli.env,
      PORT: "0",
      TLS_CERT: path.join(dir, "missing.pem"),
      TLS_KEY: path.join(dir, "key.pem"),
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`TLS_CERT: cannot read ${path.join(dir, "missing.pem")}`);
  });
});

/** Like test/helpers/cli.ts startServer, for an https:// listener. */
function startHttpsServer(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "serve"], {
      env: { ...env, PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /"url":"(https:\/\/[^"]+)"/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1], output: () => output });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code) =>
      reject(new Error(`gatehouse serve exited with ${code} before listening:\n${output}`)),
    );
  });
}

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
