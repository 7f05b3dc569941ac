import type { FastifyInstance } from "fastify";
import { type ControlHandler, startControlSocket } from "./cli/control-socket.js";
import type { DatabaseHandle } from "./db/open.js";

export interface RunningServer {
  app: FastifyInstance;
  /** The address it listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  stop(): Promise<void>;
}

export async function listen(
  app: FastifyInstance,
  database: DatabaseHandle,
  options: {
    port: number;
    host: string;
    /** Embedded PGlite: the control socket in the data directory, for CLI commands. */
    control?: { dataDir: string; handle: ControlHandler };
  },
): Promise<RunningServer> {
  const url = await app.listen({ port: options.port, host: options.host });
  const control = options.control
    ? await startControlSocket(options.control.dataDir, options.control.handle, app.log).catch(
        async (error: unknown) => {
          await app.close();
          throw error;
        },
      )
    : undefined;
  let stopping: Promise<void> | undefined;
  return {
    app,
    url,
    stop() {
      // Fastify's close stops the listener, closes idle keep-alive sockets and waits for in-flight requests.
      // CLI commands already running finish before the database closes, as requests do.
      stopping ??= Promise.all([app.close(), control?.close()]).then(() => database.close());
      return stopping;
    },
  };
}
