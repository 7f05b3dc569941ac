import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "../../src/domain/paging.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import { type FuzzTarget, openFuzzTarget } from "../helpers/fuzz-target.js";
import { signBytes } from "../helpers/signed-bytes.js";

/**
 * Issue 13 item 2: a NUL, a lone surrogate or invalid UTF-8 anywhere in a request is refused at
 * the door with a 400 naming the field (the panel's error shape; Duo's 40002 envelope), and
 * nothing is written. Before the guard each of these answered 500 or stored U+FFFD.
 */
describe(`issue 13 item 2: bad text never reaches the database, on ${TEST_ENGINE}`, () => {
  let t: FuzzTarget;
  const json = (text: string | Buffer) => ({
    body: Buffer.from(text),
    headers: { "content-type": "application/json" },
  });

  beforeAll(async () => {
    t = await openFuzzTarget();
  });
  afterAll(() => t?.close());

  /** Runs the request and checks it wrote no row at all (the audit log included). */
  async function refusedWithoutWriting(send: () => Promise<{ statusCode: number; body: string }>) {
    const before = await t.digest();
    const audit = await t.db
      .selectFrom("audit_log")
      .select(t.db.fn.countAll().as("n"))
      .executeTakeFirst();
    const response = await send();
    expect(await t.digest()).toEqual(before);
    expect(
      await t.db.selectFrom("audit_log").select(t.db.fn.countAll().as("n")).executeTakeFirst(),
    ).toEqual(audit);
    expect(response.statusCode, response.body).toBe(400);
    return JSON.parse(response.body);
  }

  const panelField = (body: { error: { code: string; field: string } }) => {
    expect(body.error.code).toBe("invalid");
    return body.error.field;
  };
  const duoDetail = (body: { stat: string; code: number; message_detail: string }) => {
    expect([body.stat, body.code]).toEqual(["FAIL", 40002]);
    return body.message_detail;
  };
  const duo = (
    method: "GET" | "POST",
    path: string,
    query: string,
    body?: Buffer,
    version: 2 | 5 = 2,
  ) =>
    t.app.inject(
      signBytes({
        ...t.adminApi,
        method,
        path,
        query,
        body:
          body === undefined
            ? { kind: "none" }
            : { kind: version === 5 ? "json" : "form", bytes: body },
        version,
      }),
    );

  it("issue 13 item 2: a NUL in a panel query is refused with 400 naming the parameter", async () => {
    const body = await refusedWithoutWriting(() => t.owner.get("/api/users?search=a%00b"));
    expect(panelField(body)).toBe("search");
  });

  it("issue 13 item 2: a NUL in a panel path is refused with 400 naming the path", async () => {
    const body = await refusedWithoutWriting(() => t.owner.get("/api/users/DU%00"));
    expect(panelField(body)).toBe("path");
  });

  it("issue 13 item 2: a NUL in a JSON body is refused with 400 naming the field, at any depth", async () => {
    const top = await refusedWithoutWriting(() =>
      t.owner.request({ method: "POST", url: "/api/users", ...json('{"username":"a\\u0000b"}') }),
    );
    expect(panelField(top)).toBe("username");
    const deep = await refusedWithoutWriting(() =>
      t.owner.request({
        method: "POST",
        url: "/api/users",
        ...json('{"username":"ok","aliases":["fine","x\\u0000"]}'),
      }),
    );
    expect(panelField(deep)).toBe("aliases.1");
  });

  it("issue 13 item 2: a lone surrogate in a JSON body is refused with 400 naming the field", async () => {
    const body = await refusedWithoutWriting(() =>
      t.owner.request({ method: "POST", url: "/api/users", ...json('{"username":"a\\ud800b"}') }),
    );
    expect(panelField(body)).toBe("username");
  });

  it("issue 13 item 2: invalid UTF-8 in a JSON body is refused, not stored as U+FFFD", async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"username":"bad'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    const body = await refusedWithoutWriting(() =>
      t.owner.request({ method: "POST", url: "/api/users", ...json(bytes) }),
    );
    expect(panelField(body)).toBe("username");
    expect(body.error.message).toContain("UTF-8");
  });

  it("issue 13 item 2: a pagination cursor that decodes to a NUL is refused with 400 naming it", async () => {
    const cursor = encodeCursor({ key: "a\u0000", id: "DU000000000000000000" });
    const body = await refusedWithoutWriting(() => t.owner.get(`/api/users?after=${cursor}`));
    expect(panelField(body)).toBe("after");
  });

  it("issue 13 item 2: a NUL in the User-Agent the audit log stores is refused, not a 500", async () => {
    const body = await refusedWithoutWriting(() =>
      t.owner.request({
        method: "POST",
        url: "/api/users",
        body: { username: "agent" },
        headers: { "user-agent": "x\u0000y" },
      }),
    );
    expect(panelField(body)).toBe("header user-agent");
  });

  it("issue 13 item 2: a NUL in a signed Duo form parameter is refused with 40002 naming it", async () => {
    const body = await refusedWithoutWriting(() =>
      duo("POST", "/admin/v1/users", "", Buffer.from("username=a%00b")),
    );
    expect(duoDetail(body)).toMatch(/^username: .*NUL/);
  });

  it("issue 13 item 2: a NUL in a signed Duo query and in a Duo path is refused with 40002", async () => {
    expect(
      duoDetail(await refusedWithoutWriting(() => duo("GET", "/admin/v1/users", "username=a%00"))),
    ).toMatch(/^username: /);
    expect(
      duoDetail(await refusedWithoutWriting(() => duo("GET", "/admin/v1/users/DU%00", ""))),
    ).toMatch(/^path: /);
  });

  it("issue 13 item 2: a NUL or lone surrogate in a signed v5 JSON body is refused with 40002", async () => {
    const nul = await refusedWithoutWriting(() =>
      duo("POST", "/admin/v1/users", "", Buffer.from('{"username":"a\\u0000"}'), 5),
    );
    expect(duoDetail(nul)).toMatch(/^username: /);
    const lone = await refusedWithoutWriting(() =>
      duo("POST", "/admin/v1/users", "", Buffer.from('{"realname":"\\udc00","username":"ok"}'), 5),
    );
    expect(duoDetail(lone)).toMatch(/^realname: .*surrogate/);
  });

  it("issue 13 item 2: invalid UTF-8 in a Duo form (after percent-decoding) and JSON body is refused", async () => {
    const form = await refusedWithoutWriting(() =>
      duo("POST", "/admin/v1/users", "", Buffer.from("username=bad%FF%FE")),
    );
    expect(duoDetail(form)).toMatch(/^username: .*UTF-8/);
    const bytes = Buffer.concat([
      Buffer.from('{"username":"bad'),
      Buffer.from([0xc0, 0x80]),
      Buffer.from('"}'),
    ]);
    const body = await refusedWithoutWriting(() => duo("POST", "/admin/v1/users", "", bytes, 5));
    expect(duoDetail(body)).toMatch(/^username: .*UTF-8/);
  });

  it("issue 13 item 2: text decoded inside a Duo parameter (a JSON list, aliases) is checked too", async () => {
    const list = await refusedWithoutWriting(() =>
      duo(
        "POST",
        "/admin/v1/users",
        "",
        Buffer.from(`username=ok&aliases=${encodeURIComponent('{"alias1":"a\\u0000"}')}`),
      ),
    );
    expect(duoDetail(list)).toMatch(/^aliases: /);
  });

  it("issue 13 item 2 (fuzz fix): a JSON list parameter whose items decode to a NUL is refused", async () => {
    const userId = t.ids.DU?.[0] ?? "";
    const codes = encodeURIComponent('["12345678\\u0000"]');
    const body = await refusedWithoutWriting(() =>
      duo("POST", `/admin/v1/users/${userId}/bypass_codes`, "", Buffer.from(`codes=${codes}`)),
    );
    expect(duoDetail(body)).toMatch(/^codes\.0: .*NUL/);
  });

  it("issue 13 item 2 (fuzz fix): a v5 body nested 100,000 deep is a 400, not a stack overflow", async () => {
    const depth = 100_000;
    const deep = `{"username":"ok","notes":${"[".repeat(depth)}1${"]".repeat(depth)}}`;
    const body = await refusedWithoutWriting(() =>
      duo("POST", "/admin/v1/users", "", Buffer.from(deep), 5),
    );
    expect(duoDetail(body)).toMatch(/^notes/);
  });

  it("issue 13 item 2 (fuzz fix): an integration key with a NUL in its credentials is a 401, not a 500", async () => {
    const credentials = Buffer.from(`${t.adminApi.ikey}\u0000:${"0".repeat(128)}`).toString(
      "base64",
    );
    const before = await t.digest();
    const response = await t.app.inject({
      method: "GET",
      url: "/admin/v1/users",
      headers: { date: new Date().toUTCString(), authorization: `Basic ${credentials}` },
    });
    expect(response.statusCode, response.body).toBe(401);
    expect(response.json()).toMatchObject({ stat: "FAIL", code: 40101 });
    expect(await t.digest()).toEqual(before);
  });
});
