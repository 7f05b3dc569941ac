import net from "node:net";
import { createInterface } from "node:readline";
import { controlSocketAddress, encodeFrame, parseFrame } from "./control-protocol.js";
import { type CommandOutput, print } from "./output.js";

/**
 * Hands `argv` to the server running on `dataDir` and relays its answer; resolves with the
 * command's exit code, or undefined when no server listens there (none runs, or one died and left
 * its socket behind), so the caller opens the data directory itself.
 */
export async function runInServer(
  dataDir: string,
  argv: readonly string[],
  output: CommandOutput,
): Promise<number | undefined> {
  const address = controlSocketAddress(dataDir);
  const socket = address ? await connect(address) : undefined;
  if (!socket) return undefined;
  // A connection lost mid-answer ends the frames early: that is reported below, without an exit frame.
  socket.on("error", () => {});
  socket.write(encodeFrame({ argv: [...argv] }));
  let exit: number | undefined;
  for await (const line of createInterface({
    input: socket,
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    const frame = parseFrame(line);
    if (!frame) throw new Error(`the server on ${dataDir} sent an answer this CLI cannot read`);
    if ("stdout" in frame) await print(output.stdout, frame.stdout);
    else if ("stderr" in frame) await print(output.stderr, frame.stderr);
    else exit = frame.exit;
  }
  if (exit === undefined)
    throw new Error(
      `the server on ${dataDir} stopped before the command finished; whether it took effect is unknown, so check before running it again`,
    );
  return exit;
}

/** True when a server answers on `dataDir`'s control socket. */
export async function serverIsRunning(dataDir: string): Promise<boolean> {
  const address = controlSocketAddress(dataDir);
  const socket = address ? await connect(address) : undefined;
  socket?.destroy();
  return socket !== undefined;
}

/** The connection, or undefined when nothing listens (no socket file, or a dead server's). */
function connect(address: string): Promise<net.Socket | undefined> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(address);
    socket.once("connect", () => {
      socket.removeAllListeners("error");
      resolve(socket);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ECONNREFUSED") resolve(undefined);
      else
        reject(new Error(`cannot reach the server's control socket ${address}: ${error.message}`));
    });
  });
}
