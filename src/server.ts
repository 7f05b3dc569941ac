import type { FastifyInstance } from "fastify";
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
  options: { port: number; host: string },
): Promise<RunningServer> {
  const url = await app.listen({ port: options.port, host: options.host });
  let stopping: Promise<void> | undefined;
  return {
    app,
    url,
    stop() {
      // Fastify's close stops the listener, closes idle keep-alive sockets and waits for in-flight requests.
      stopping ??= app.close().then(() => database.close());
      return stopping;
    },
  };
}
