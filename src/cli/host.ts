import type { Config } from "../config.js";
import type { Storage } from "../storage.js";
import type { CommandOutput } from "./output.js";
import type { ServeOptions } from "./serve.js";

/** What a command that reads or writes the database runs against. */
export interface CommandEnvironment {
  config: Config;
  storage: Storage;
}

/** A command's work: writes its output, returns its exit code (0 done, 3 a "no" answer). */
export type StorageCommand = (env: CommandEnvironment, output: CommandOutput) => Promise<number>;

export interface StorageNeeds {
  /** Apply pending migrations when opening the database (every command but `migrate` itself). */
  migrate?: boolean;
  /** `--out`: standard output goes to this file, written by the process the operator runs. */
  stdoutTo?: string;
}

/**
 * Where the commands of one command line run: the CLI's own process (which opens the database, or
 * hands the command line to a running server), or a process that already holds open storage (the
 * running server answering its control socket, or a test).
 */
export interface CommandHost {
  readonly output: CommandOutput;
  withStorage(command: StorageCommand, needs?: StorageNeeds): Promise<number>;
  serve(options: ServeOptions): Promise<number>;
}
