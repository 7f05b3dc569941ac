import { chmod, rm } from "node:fs/promises";
import net from "node:net";
import { Writable } from "node:stream";
import type { FastifyBaseLogger } from "fastify";
import {
  type ControlFrame,
  controlSocketAddress,
  controlSocketPath,
  encodeFrame,
  MAX_REQUEST_BYTES,
  parseRequest,
} from "./control-protocol.js";
import type { CommandOutput } from "./output.js";

/** Runs one command line inside the server, against its open storage; resolves with the exit code. */
export type ControlHandler = (argv: string[], output: CommandOutput) => Promise<number>;

export interface ControlSocket {
  path: string;
  /** Stops accepting, lets commands already running finish, and removes the socket file. */
  close(): Promise<void>;
}

type ControlLog = Pick<FastifyBaseLogger, "info" | "warn">;

/**
 * Listens on `<dataDir>/gatehouse.sock` for CLI command lines (control-protocol.ts). Only the
 * server's own user can connect: the socket is 0600 inside the 0700 data directory. Node offers no
 * way to read the peer's uid (SO_PEERCRED), so the file modes are the guard. The caller must hold
 * the data directory's lock: any socket file already there was left by a server that died.
 */
export async function startControlSocket(
  dataDir: string,
  handle: ControlHandler,
  log: ControlLog,
): Promise<ControlSocket | undefined> {
  const address = controlSocketAddress(dataDir);
  const file = controlSocketPath(dataDir);
  if (!address) {
    log.warn(
      { path: file },
      "no control socket: the data directory's path is too long for one; CLI commands need the server stopped",
    );
    return undefined;
  }
  await rm(file, { force: true });
  const waiting = new Set<net.Socket>();
  const running = new Set<Promise<void>>();
  const server = net.createServer((socket) => {
    waiting.add(socket);
    readRequest(socket, (argv) => {
      waiting.delete(socket);
      const done = answer(socket, argv, handle, log).finally(() => running.delete(done));
      running.add(done);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Node creates the socket with the umask's mode; the 0700 directory keeps others out meanwhile.
  await chmod(file, 0o600);
  let closing: Promise<void> | undefined;
  return {
    path: file,
    close() {
      closing ??= (async () => {
        server.close();
        for (const socket of waiting) socket.destroy();
        await Promise.allSettled([...running]);
        await rm(file, { force: true });
      })();
      return closing;
    },
  };
}

/** Reads the one request line, refusing anything that is not a command line. */
function readRequest(socket: net.Socket, onRequest: (argv: string[]) => void): void {
  // A client gone mid-answer must not take the server down; its command still runs to the end.
  socket.on("error", () => {});
  socket.setEncoding("utf8");
  let received = "";
  const onData = (chunk: string) => {
    received += chunk;
    const newline = received.indexOf("\n");
    if (newline < 0 && received.length <= MAX_REQUEST_BYTES) return;
    socket.off("data", onData);
    const request =
      newline < 0 ? "the request is too long" : parseRequest(received.slice(0, newline));
    if (typeof request === "string") {
      socket.end(
        encodeFrame({ stderr: `gatehouse: bad control request: ${request}\n` }) +
          encodeFrame({ exit: 2 }),
      );
      return;
    }
    onRequest(request.argv);
  };
  socket.on("data", onData);
}

async function answer(
  socket: net.Socket,
  argv: string[],
  handle: ControlHandler,
  log: ControlLog,
): Promise<void> {
  const output = { stdout: frameStream(socket, "stdout"), stderr: frameStream(socket, "stderr") };
  let exit: number;
  try {
    exit = await handle(argv, output);
  } catch (error) {
    output.stderr.write(`gatehouse: ${error instanceof Error ? error.message : String(error)}\n`);
    exit = 1;
  }
  await Promise.all([finish(output.stdout), finish(output.stderr)]);
  socket.end(encodeFrame({ exit }));
  log.info({ command: commandWords(argv), exit }, "cli command");
}

/** `integration create`, without its options: they may carry names and addresses. */
function commandWords(argv: string[]): string {
  const end = argv.findIndex((arg) => arg.startsWith("-"));
  return argv.slice(0, Math.min(end < 0 ? argv.length : end, 2)).join(" ");
}

/** Text written to it travels as frames; it waits for the socket to take each one (backpressure). */
function frameStream(socket: net.Socket, name: "stdout" | "stderr"): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      const frame = { [name]: chunk.toString() } as ControlFrame;
      if (socket.destroyed) callback();
      else socket.write(encodeFrame(frame), () => callback());
    },
  });
}

function finish(stream: Writable): Promise<void> {
  return new Promise((resolve) => stream.end(() => resolve()));
}
