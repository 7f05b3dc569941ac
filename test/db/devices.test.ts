import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.js";
import { pgErrorInfo } from "../../src/db/pg-errors.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import { insertAccount } from "../helpers/fixtures.js";

/** Migration 0005: what the database itself holds about phones, tokens and their users. */
describe(`phone and hardware token invariants on ${TEST_ENGINE}`, () => {
  let t: TestDatabase;
  let accountId: string;
  let otherId: string;
  beforeAll(async () => {
    t = await openTestDatabase();
    accountId = await insertAccount(t.handle.db);
    otherId = await insertAccount(t.handle.db);
  });
  afterAll(() => t.close());

  async function violation(promise: Promise<unknown>): Promise<string | undefined> {
    try {
      await promise;
    } catch (error) {
      return pgErrorInfo(error)?.constraint ?? pgErrorInfo(error)?.code;
    }
    return undefined;
  }
  const phone = (values: { number?: string; extension?: string; account?: string } = {}) => {
    const id = newId("phone");
    return {
      id,
      run: t.handle.db
        .insertInto("phones")
        .values({
          id,
          account_id: values.account ?? accountId,
          number: values.number ?? "",
          extension: values.extension ?? "",
        })
        .execute(),
    };
  };
  const token = (values: {
    type: "h6" | "t6" | "yk" | "d1";
    serial?: string;
    totp_step?: number | null;
    counter?: number | null;
    secret?: string | null;
  }) =>
    t.handle.db
      .insertInto("hardware_tokens")
      .values({
        id: newId("hardwareToken"),
        account_id: accountId,
        type: values.type,
        serial: values.serial ?? newId("hardwareToken"),
        totp_step: values.totp_step ?? null,
        counter: values.counter ?? null,
        secret_enc: values.secret === undefined ? "sealed" : values.secret,
      })
      .execute();

  it("a phone's number is E.164 or empty, an extension needs a number, and a number and extension name one phone per account (R-TEN-2)", async () => {
    expect(await violation(phone({ number: "5550100" }).run)).toBe("phones_number_shape");
    expect(await violation(phone({ extension: "12" }).run)).toBe("phones_extension_needs_number");
    await phone({ number: "+15550100100" }).run;
    expect(await violation(phone({ number: "+15550100100" }).run)).toBe("phones_number_unique");
    await phone({ number: "+15550100100", extension: "7" }).run;
    await phone({ number: "+15550100100", account: otherId }).run;
    // Devices without a number do not collide.
    await phone().run;
    await phone().run;
  });

  it("a token's counter is HOTP's, its time step TOTP's, its secret sealed unless it is a D-100; a type and serial name one token", async () => {
    expect(await violation(token({ type: "h6" }))).toBe("hardware_tokens_counter");
    expect(await violation(token({ type: "t6", counter: 0, totp_step: 30 }))).toBe(
      "hardware_tokens_counter",
    );
    expect(await violation(token({ type: "t6" }))).toBe("hardware_tokens_totp_step");
    expect(await violation(token({ type: "t6", totp_step: 45 }))).toBe("hardware_tokens_totp_step");
    expect(await violation(token({ type: "h6", counter: 0, totp_step: 30 }))).toBe(
      "hardware_tokens_totp_step",
    );
    expect(await violation(token({ type: "yk", secret: null }))).toBe("hardware_tokens_secret");
    expect(await violation(token({ type: "d1" }))).toBe("hardware_tokens_secret");
    await token({ type: "d1", secret: null, serial: "D-1" });
    await token({ type: "h6", counter: 0, serial: "D-1" });
    expect(await violation(token({ type: "h6", counter: 0, serial: "D-1" }))).toBe(
      "hardware_tokens_serial_unique",
    );
  });

  it("R-TEN-2: a device is linked only to a user of its own account; a token to one user at most", async () => {
    const db = t.handle.db;
    const ours = newId("user");
    const theirs = newId("user");
    const second = newId("user");
    await db
      .insertInto("users")
      .values([
        { id: ours, account_id: accountId, username: "ours" },
        { id: second, account_id: accountId, username: "second" },
        { id: theirs, account_id: otherId, username: "theirs" },
      ])
      .execute();
    const { id: phoneId, run } = phone();
    await run;
    const link = (userId: string, account: string) =>
      db
        .insertInto("user_phones")
        .values({ user_id: userId, phone_id: phoneId, account_id: account })
        .execute();
    expect(await violation(link(theirs, accountId))).toBe("user_phones_user_id_account_id_fkey");
    expect(await violation(link(theirs, otherId))).toBe("user_phones_phone_id_account_id_fkey");
    await link(ours, accountId);
    await link(second, accountId);

    const tokenId = newId("hardwareToken");
    await db
      .insertInto("hardware_tokens")
      .values({ id: tokenId, account_id: accountId, type: "yk", serial: "Y-1", secret_enc: "s" })
      .execute();
    const assign = (userId: string) =>
      db
        .insertInto("user_hardware_tokens")
        .values({ user_id: userId, token_id: tokenId, account_id: accountId })
        .execute();
    await assign(ours);
    expect(await violation(assign(second))).toBe("user_hardware_tokens_one_user");

    // A deleted user's links go with it; the devices stay.
    await db.deleteFrom("users").where("id", "=", ours).execute();
    expect(
      await db
        .selectFrom("user_phones")
        .select("user_id")
        .where("phone_id", "=", phoneId)
        .execute(),
    ).toEqual([{ user_id: second }]);
    expect(
      await db.selectFrom("hardware_tokens").select("id").where("id", "=", tokenId).execute(),
    ).toEqual([{ id: tokenId }]);
  });
});
