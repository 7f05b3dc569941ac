import { Readable } from "node:stream";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import { Type } from "typebox";
import { accessSummary } from "../../domain/access-summary.js";
import { asAdmin } from "./use-case.js";

/** A CSV download: the response is a stream of text/csv, described as such in the OpenAPI document. */
export const CsvResponse = {
  description: "A CSV file (RFC 4180, CRLF line ends), streamed as an attachment",
  content: { "text/csv": { schema: Type.String() } },
};

/**
 * Streams CSV lines as a download. `filename` is made by the server (ASCII letters, digits, - and
 * .), so it needs no quoting beyond the quotes. The reply is the untyped one: a stream is not the
 * string the schema describes, and Fastify sends streams without serializing them.
 */
export function sendCsv(
  reply: FastifyReply,
  filename: string,
  lines: Iterable<string> | AsyncIterable<string>,
): FastifyReply {
  return reply
    .header("content-type", "text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${filename}"`)
    .send(Readable.from(lines));
}

/** R-SUM-1: the access summary CSV, from the Administrators page. */
export const accessSummaryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/access-summary.csv",
    {
      config: { action: "admins:view" },
      schema: { response: { 200: CsvResponse } },
    },
    async (request, reply) => {
      const summary = await asAdmin(app, request, "read", async (ctx) => accessSummary(ctx));
      return sendCsv(reply, summary.filename, summary.lines);
    },
  );
};
