import type { FastifyPluginAsync } from "fastify";
import { parsePhone } from "../../../domain/admins/fields.js";
import { associatePhone, disassociatePhone } from "../../../domain/phones/associate.js";
import { createPhone } from "../../../domain/phones/create.js";
import { deletePhone } from "../../../domain/phones/delete.js";
import {
  MAX_DELAY_SECONDS,
  PHONE_PLATFORMS,
  PHONE_TYPES,
  type PhoneFields,
} from "../../../domain/phones/fields.js";
import { getPhone, listPhones } from "../../../domain/phones/list.js";
import { updatePhone } from "../../../domain/phones/update.js";
import { duoPhone, duoPhoneWithUsers } from "../device-shapes.js";
import { ok, okPage, readPage } from "../envelope.js";
import { invalid, type ParamReader } from "../params.js";
import { asIntegration, deleteIfPresent, paramsOf } from "../use-case.js";

/** research/duo-api.md §3: phones, and a user's phones, page by 100 up to 500. */
const PHONES_PAGE = { default: 100, max: 500 };

type PhoneParams = { Params: { phoneId: string } };
type UserParams = { Params: { userId: string } };
type UserPhoneParams = { Params: { userId: string; phoneId: string } };

/**
 * §4.3 `number`: "E.164 format recommended ... If no leading plus sign is provided then it is
 * assumed to be a United States number and an implicit +1 prefix is added. Dashes and spaces are
 * ignored." The domain then checks the result is E.164.
 */
function readNumber(params: ParamReader): string | undefined {
  const text = params.string("number", { max: 32 });
  if (text === undefined) return undefined;
  const digits = text.replace(/[\s().-]/g, "");
  return digits === "" || digits.startsWith("+") ? digits : `+1${digits}`;
}

/** §4.3: inputs are lowercase (`mobile`, `google android`); objects show Duo's capitals. */
function readSpelling<T extends string>(params: ParamReader, name: string, values: readonly T[]) {
  const text = params.string(name, { max: 32 });
  if (text === undefined) return undefined;
  const wanted = text
    .trim()
    .toLowerCase()
    .replace(/^windows phone 7$/, "windows phone");
  const found = values.find((value) => value.toLowerCase() === wanted);
  if (!found)
    throw invalid(name, `must be one of ${values.map((v) => v.toLowerCase()).join(", ")}`);
  return found;
}

/** A delay in seconds; "" clears it. */
function readDelay(params: ParamReader, name: string): number | null | undefined {
  if (params.string(name) === "") return null;
  return params.int(name, { min: 0, max: MAX_DELAY_SECONDS });
}

/** §4.3: the fields POST /phones and POST /phones/{id} share. */
function readPhoneFields(params: ParamReader): PhoneFields {
  return {
    number: readNumber(params),
    extension: params.string("extension", { max: 15 }),
    name: params.string("name", { max: 100 }),
    type: readSpelling(params, "type", PHONE_TYPES),
    platform: readSpelling(params, "platform", PHONE_PLATFORMS),
    predelay: readDelay(params, "predelay"),
    postdelay: readDelay(params, "postdelay"),
  };
}

/**
 * research/duo-api.md §4.3 (phones) and §4.1 (a user's phones), on the panel's use cases. A
 * phone's activation (activation_url, send_sms_activation) is in phone-activation.ts; the Duo
 * Mobile installation and passcode SMS endpoints are not served (docs/duo-api.md).
 */
export const phoneRoutes: FastifyPluginAsync = async (app) => {
  app.get("/admin/v1/phones", { config: { action: "phones:view" } }, async (request) => {
    const params = paramsOf(request);
    const page = readPage(params, PHONES_PAGE);
    // §4.3: a lookup by a number that cannot be one is refused ("400 Invalid number").
    const typed = readNumber(params);
    if (typed === "") throw invalid("number", "is empty; leave it out to list every phone");
    const number = typed === undefined ? undefined : (parsePhone("number", typed) ?? undefined);
    const extension = params.string("extension", { max: 15 });
    if (extension !== undefined && number === undefined)
      throw invalid("extension", "looks a phone up together with number");
    const found = await asIntegration(app, request, "read", (ctx) =>
      listPhones(ctx, { number, extension, limit: page.limit, offset: page.offset }),
    );
    return okPage(found.items.map(duoPhoneWithUsers), page, found.total);
  });

  app.post("/admin/v1/phones", { config: { action: "phones:create" } }, async (request) => {
    const fields = readPhoneFields(paramsOf(request));
    const phone = await asIntegration(app, request, "write", (ctx) => createPhone(ctx, fields));
    return ok(duoPhoneWithUsers(phone));
  });

  app.get<PhoneParams>(
    "/admin/v1/phones/:phoneId",
    { config: { action: "phones:view" } },
    async (request) => {
      const phone = await asIntegration(app, request, "read", (ctx) =>
        getPhone(ctx, request.params.phoneId),
      );
      return ok(duoPhoneWithUsers(phone));
    },
  );

  app.post<PhoneParams>(
    "/admin/v1/phones/:phoneId",
    { config: { action: "phones:update" } },
    async (request) => {
      const change = readPhoneFields(paramsOf(request));
      const phone = await asIntegration(app, request, "write", (ctx) =>
        updatePhone(ctx, request.params.phoneId, change),
      );
      return ok(duoPhoneWithUsers(phone));
    },
  );

  app.delete<PhoneParams>(
    "/admin/v1/phones/:phoneId",
    { config: { action: "phones:delete" } },
    async (request) => {
      const id = request.params.phoneId;
      await asIntegration(app, request, "write", (ctx) =>
        deleteIfPresent("phone", id, () => deletePhone(ctx, id)),
      );
      return ok("");
    },
  );

  app.get<UserParams>(
    "/admin/v1/users/:userId/phones",
    { config: { action: "phones:view" } },
    async (request) => {
      const page = readPage(paramsOf(request), PHONES_PAGE);
      const found = await asIntegration(app, request, "read", (ctx) =>
        listPhones(ctx, { userId: request.params.userId, ...page }),
      );
      return okPage(found.items.map(duoPhone), page, found.total);
    },
  );

  app.post<UserParams>(
    "/admin/v1/users/:userId/phones",
    { config: { action: "phones:create" } },
    async (request) => {
      const phoneId = paramsOf(request).required("phone_id", { max: 20 });
      await asIntegration(app, request, "write", (ctx) =>
        associatePhone(ctx, request.params.userId, phoneId),
      );
      return ok("");
    },
  );

  app.delete<UserPhoneParams>(
    "/admin/v1/users/:userId/phones/:phoneId",
    { config: { action: "phones:delete" } },
    async (request) => {
      await asIntegration(app, request, "write", (ctx) =>
        disassociatePhone(ctx, request.params.userId, request.params.phoneId),
      );
      return ok("");
    },
  );
};
