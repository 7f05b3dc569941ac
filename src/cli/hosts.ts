import { type Config, loadConfig } from "../config.js";
import { runInServer, serverIsRunning } from "./control-client.js";
import type { CommandEnvironment, CommandHost } from "./host.js";
import { withStdoutTo } from "./out-file.js";
import { type CommandOutput, processOutput } from "./output.js";
import { runCommandLine } from "./program.js";

/**
 * The CLI's own process. On embedded PGlite, which allows one process per data directory, a command
 * runs inside the server when one is running there (over its control socket); otherwise, and always
 * on PostgreSQL, the CLI opens the database itself. The configuration is read when a command needs
 * it, so `--help` and `actions` work with a broken environment.
 */
export function cliHost(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  output: CommandOutput = processOutput,
): CommandHost {
  return {
    output,
    withStorage(command, needs = {}) {
      const config = loadConfig(env);
      return withStdoutTo(needs.stdoutTo, output, async (out) => {
        const inServer = config.databaseUrl
          ? undefined
          : await runInServer(config.dataDir, argv, out);
        if (inServer !== undefined) return inServer;
        // Loaded only here: a command the server runs needs no database driver in this process.
        const { openStorage } = await import("../storage.js");
        const storage = await openStorage(config, { migrate: needs.migrate });
        try {
          return await command({ config, storage }, out);
        } finally {
          await storage.database.close();
        }
      });
    },
    async serve(options) {
      const config = loadConfig(env);
      if (!config.databaseUrl && (await serverIsRunning(config.dataDir)))
        throw new Error(
          `a Gatehouse server is already running on ${config.dataDir}: stop it before starting another (the other commands run inside it meanwhile)`,
        );
      // The HTTP stack is most of the CLI's start-up time: only `serve` loads it.
      const { serve } = await import("./serve.js");
      await serve(config, options, (argv, env, out) =>
        runCommandLine(argv, openStorageHost(env, out, { redirects: false })),
      );
      return 0;
    },
  };
}

/**
 * A process that holds the storage open already: the running server answering its control socket
 * (`redirects: false`, the CLI on the other end writes `--out` itself), or a test.
 */
export function openStorageHost(
  env: CommandEnvironment,
  output: CommandOutput,
  options: { redirects: boolean },
): CommandHost {
  return {
    output,
    withStorage(command, needs = {}) {
      if (!options.redirects) return command(env, output);
      return withStdoutTo(needs.stdoutTo, output, (out) => command(env, out));
    },
    async serve() {
      throw new Error(
        `\`serve\` cannot run inside the server: it is already serving ${describe(env.config)}`,
      );
    },
  };
}

function describe(config: Config): string {
  return config.databaseUrl ? "its PostgreSQL database" : config.dataDir;
}
