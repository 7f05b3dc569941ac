import { type TSchema, Type } from "typebox";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../domain/paging.js";

/** Shared request and response shapes of the panel API. */
/** A request body or query: a field the schema does not list is an error naming it, never ignored. */
export const Input = <T extends Record<string, TSchema>>(properties: T) =>
  Type.Object(properties, { additionalProperties: false });

export const IdOf = (prefix: string) => Type.String({ pattern: `^${prefix}[0-9A-Z]{18}$` });
export const AccountId = IdOf("DA");
export const Edition = Type.Union([
  Type.Literal("Free"),
  Type.Literal("Essentials"),
  Type.Literal("Advantage"),
  Type.Literal("Premier"),
]);
export const Role = Type.Union([
  Type.Literal("Owner"),
  Type.Literal("Administrator"),
  Type.Literal("Application Manager"),
  Type.Literal("User Manager"),
  Type.Literal("Help Desk"),
  Type.Literal("Billing"),
  Type.Literal("Read-only"),
]);
export const Tag = Type.String({ minLength: 1, maxLength: 64 });
export const Ok = Type.Object({ ok: Type.Literal(true) });

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }),
  after: Type.Optional(Type.String({ maxLength: 512 })),
};

export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), next: Type.Union([Type.String(), Type.Null()]) });

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    rule: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    field: Type.Optional(Type.String()),
  }),
});
