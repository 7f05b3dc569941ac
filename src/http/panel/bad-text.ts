import type { FastifyInstance } from "fastify";
import { Invalid } from "../../domain/errors.js";
import { checkHeaders, checkPath, parseJsonText, parseQueryText } from "../strict-decoding.js";

/**
 * The panel door's text guard: JSON bodies are read with a strict UTF-8 decoder and checked at any
 * depth as they are parsed; the path, the query and the headers the server stores (User-Agent in
 * the audit log) are checked before validation. Any of them holding a NUL, a lone surrogate or
 * invalid UTF-8 is a 400 naming the field, before any handler runs or anything reaches the database.
 */
export function guardPanelText(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) => {
    const parsed = parseJsonText(body as Buffer);
    if (parsed.ok) done(null, parsed.value);
    else done(new Invalid(parsed.bad.field, parsed.bad.why), undefined);
  });
  app.addHook("preValidation", async (request) => {
    const query = parseQueryText(request.url);
    const bad =
      checkPath(request.url) ?? (query.ok ? undefined : query.bad) ?? checkHeaders(request.headers);
    if (bad) throw new Invalid(bad.field, bad.why);
  });
}
