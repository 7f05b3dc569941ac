import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInServer } from "../../src/cli/control-client.js";
import { type ControlSocket, startControlSocket } from "../../src/cli/control-socket.js";
import { openStorageHost } from "../../src/cli/hosts.js";
import { runCommandLine } from "../../src/cli/program.js";
import { capturedOutput, type InProcessCli, inProcessCli } from "../helpers/cli.js";
import { TEST_ENGINE } from "../helpers/engine.js";

const quietLog = { info: () => {}, warn: () => {} } as unknown as Parameters<
  typeof startControlSocket
>[2];

/** Sends raw bytes to the socket and collects the answer until the server closes it. */
function exchange(socketPath: string, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath, () => socket.write(bytes));
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      answer += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(answer));
  });
}

// The server's side of the socket in this process, over a test database: the protocol, not the
// process (test/cli/control-socket.test.ts runs the real server and binary).
describe(`issue 13 item 10: the control socket's protocol on ${TEST_ENGINE}`, () => {
  let cli: InProcessCli;
  let dataDir: string;
  let control: ControlSocket | undefined;

  beforeAll(async () => {
    cli = await inProcessCli();
    dataDir = await mkdtemp(path.join(tmpdir(), "gatehouse-control-"));
    control = await startControlSocket(
      dataDir,
      (argv, output) =>
        runCommandLine(argv, openStorageHost(cli.env, output, { redirects: false })),
      quietLog,
    );
  });
  afterAll(async () => {
    await control?.close();
    await rm(dataDir, { recursive: true, force: true });
    await cli.close();
  });

  it("runs a command line and relays its output and exit code", async () => {
    const output = capturedOutput();
    const code = await runInServer(
      dataDir,
      ["init", "--name", "Northwind MSP", "--owner-email", "olivia@northwind.example", "--json"],
      output,
    );
    expect(code).toBe(0);
    expect(JSON.parse(output.text().stdout)).toMatchObject({ account_name: "Northwind MSP" });
    const again = capturedOutput();
    expect(
      await runInServer(dataDir, ["init", "--name", "X", "--owner-email", "x@y.example"], again),
    ).toBe(2);
    expect(again.text().stderr).toContain("already initialized");
  });

  it("a stale socket file is replaced at start, created 0600, and removed at stop", async () => {
    const info = await stat(path.join(dataDir, "gatehouse.sock"));
    expect(info.mode & 0o777).toBe(0o600);
    const other = await mkdtemp(path.join(tmpdir(), "gatehouse-control-"));
    try {
      // What a server killed with -9 leaves: a socket file that nothing answers on.
      await writeFile(path.join(other, "gatehouse.sock"), "");
      expect(await runInServer(other, ["actions"], capturedOutput())).toBeUndefined();
      const restarted = await startControlSocket(other, async () => 0, quietLog);
      expect(await runInServer(other, ["actions"], capturedOutput())).toBe(0);
      await restarted?.close();
      await expect(stat(path.join(other, "gatehouse.sock"))).rejects.toThrow(/ENOENT/);
      expect(await runInServer(other, ["actions"], capturedOutput())).toBeUndefined();
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it("refuses serve inside the server, and requests that are not a command line", async () => {
    const output = capturedOutput();
    expect(await runInServer(dataDir, ["serve"], output)).toBe(1);
    expect(output.text().stderr).toContain("`serve` cannot run inside the server");
    const socketPath = path.join(dataDir, "gatehouse.sock");
    for (const [bytes, why] of [
      ["not json\n", "the request is not JSON"],
      ['{"argv":"init"}\n', "argv: expected an array of strings"],
      ['{"argv":[1]}\n', "argv: expected an array of strings"],
      [`{"argv":["${"x".repeat(70_000)}`, "the request is too long"],
    ] as const) {
      const answer = await exchange(socketPath, bytes);
      expect(
        answer
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line)),
      ).toEqual([{ stderr: `gatehouse: bad control request: ${why}\n` }, { exit: 2 }]);
    }
    // Still answering after all that.
    expect(await runInServer(dataDir, ["migrate", "--status"], capturedOutput())).toBe(0);
  });
});
