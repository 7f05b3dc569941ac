import type { FastifyPluginAsync } from "fastify";
import { Conflict, Invalid, NotFound } from "../../domain/errors.js";
import { assetRoutes } from "./asset-routes.js";
import { deviceRoutes } from "./device-routes.js";
import { keyRoutes } from "./key-routes.js";
import { loginRoutes } from "./login-routes.js";
import { promptErrorPage } from "./pages.js";
import { promptView } from "./prompt-view.js";

/**
 * The hosted prompt's pages (issue 15 items 2 to 4): the person proves a factor, or sets one up,
 * or is told why they cannot go on; every ending sends the browser back to the application with a
 * single-use code for the outcome. Only the browser that opened the prompt can use it. What cannot
 * go on is a page in plain words, never an error code.
 */
export const promptPages: FastifyPluginAsync = async (app) => {
  const view = promptView(app);
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof NotFound)
      return view.html(reply, 404, promptErrorPage("This login cannot go on", error.message));
    if (error instanceof Conflict)
      return view.html(reply, 409, promptErrorPage("This login is finished", error.message));
    if (error instanceof Invalid)
      return view.html(
        reply,
        400,
        promptErrorPage("This request cannot be used", `${error.field} ${error.why}.`),
      );
    throw error;
  });
  await app.register(assetRoutes);
  await app.register(loginRoutes, { view });
  await app.register(deviceRoutes, { view });
  await app.register(keyRoutes, { view });
};
