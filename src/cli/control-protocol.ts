import path from "node:path";

/**
 * The running server's control socket: a CLI on embedded PGlite, which allows one process per data
 * directory, hands its command line to the server holding it. Newline-delimited JSON: the client
 * sends one request line, the server answers with output frames and then one exit frame.
 */
export const CONTROL_SOCKET_NAME = "gatehouse.sock";

export interface ControlRequest {
  /** The command line after `gatehouse`, parsed again by the server with the same definitions. */
  argv: string[];
}

export type ControlFrame = { stdout: string } | { stderr: string } | { exit: number };

/** A request line longer than this is refused: a command line is a few hundred bytes. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** Linux's sun_path holds 108 bytes with its NUL; Node silently truncates longer paths. */
const MAX_SOCKET_PATH_BYTES = 107;

export function controlSocketPath(dataDir: string): string {
  return path.join(dataDir, CONTROL_SOCKET_NAME);
}

/**
 * The address to bind or connect to: the absolute path, or the path relative to this process's
 * working directory when only that fits; undefined when neither does (the socket is then not used:
 * a truncated path would land outside the private data directory).
 */
export function controlSocketAddress(dataDir: string): string | undefined {
  const absolute = controlSocketPath(dataDir);
  if (Buffer.byteLength(absolute) <= MAX_SOCKET_PATH_BYTES) return absolute;
  const relative = `./${path.relative(process.cwd(), absolute)}`;
  return Buffer.byteLength(relative) <= MAX_SOCKET_PATH_BYTES ? relative : undefined;
}

export function encodeFrame(frame: ControlFrame | ControlRequest): string {
  return `${JSON.stringify(frame)}\n`;
}

/** The request as sent, or why it is refused. */
export function parseRequest(line: string): ControlRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return "the request is not JSON";
  }
  const argv = (value as { argv?: unknown } | null)?.argv;
  if (!Array.isArray(argv) || !argv.every((arg) => typeof arg === "string"))
    return "argv: expected an array of strings";
  return { argv };
}

/** A frame as received, or undefined when the line is not one. */
export function parseFrame(line: string): ControlFrame | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const frame = value as Record<string, unknown>;
  if (typeof frame.stdout === "string") return { stdout: frame.stdout };
  if (typeof frame.stderr === "string") return { stderr: frame.stderr };
  if (typeof frame.exit === "number" && Number.isInteger(frame.exit)) return { exit: frame.exit };
  return undefined;
}
