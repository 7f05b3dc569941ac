import { once } from "node:events";

/**
 * Where a command writes: the terminal when it runs in the CLI's own process, the control socket
 * when it runs inside the server for a CLI on the other end, or strings in a test.
 */
export interface CommandOutput {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const processOutput: CommandOutput = { stdout: process.stdout, stderr: process.stderr };

/** Writes `text`, waiting for the stream to drain when it asks to (a large CSV over a socket). */
export async function print(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain");
}

/** Writes `lines`, each ended by a newline. */
export function printLines(stream: NodeJS.WritableStream, lines: readonly string[]): Promise<void> {
  return print(stream, `${lines.join("\n")}\n`);
}
