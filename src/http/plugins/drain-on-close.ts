import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";

/**
 * While the app closes, responses to in-flight requests carry `Connection: close`, so a keep-alive
 * client lets go of its socket and the server can finish closing at once instead of waiting for the
 * keep-alive timeout. (Fastify already answers new requests on such sockets with 503.)
 */
export const drainOnClosePlugin: FastifyPluginAsync = fp(
  async (app) => {
    let closing = false;
    app.addHook("preClose", async () => {
      closing = true;
    });
    app.addHook("onSend", async (_request, reply) => {
      if (closing) reply.header("connection", "close");
    });
  },
  { name: "drain-on-close" },
);
