import { createWriteStream, type WriteStream } from "node:fs";
import { Writable } from "node:stream";
import { type CommandOutput, print } from "./output.js";

/**
 * `--out file`: runs `command` with its standard output going to `file`, in the process the
 * operator runs (a relative path is theirs, not the server's). The file is created at the first
 * byte, so a refused command leaves none; "wrote <file>" follows only a command that succeeded.
 */
export async function withStdoutTo(
  file: string | undefined,
  output: CommandOutput,
  command: (output: CommandOutput) => Promise<number>,
): Promise<number> {
  if (file === undefined) return command(output);
  const sink = new FileOpenedOnFirstWrite(file);
  let exit: number;
  try {
    exit = await command({ ...output, stdout: sink });
  } finally {
    await new Promise<void>((resolve) => sink.end(() => resolve()));
  }
  if (sink.failure) throw new Error(`cannot write ${file}: ${sink.failure.message}`);
  if (exit === 0) await print(output.stderr, `wrote ${file}\n`);
  return exit;
}

/** Collects a write error instead of raising it mid-command: the command finishes, then it is reported. */
class FileOpenedOnFirstWrite extends Writable {
  failure: Error | undefined;
  #stream: WriteStream | undefined;

  constructor(private readonly file: string) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    if (this.failure) {
      callback();
      return;
    }
    if (!this.#stream) {
      this.#stream = createWriteStream(this.file);
      this.#stream.on("error", (error) => {
        this.failure ??= error;
      });
    }
    this.#stream.write(chunk, () => callback());
  }

  override _final(callback: () => void): void {
    if (this.#stream && !this.failure) this.#stream.end(() => callback());
    else callback();
  }
}
