import { describe, expect, it } from "vitest";
import { findBadText, MAX_NESTING } from "../domain/text-guard.js";
import { checkPath, parseFormText, parseJsonText, parseQueryText } from "./strict-decoding.js";

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((part) => (typeof part === "string" ? Buffer.from(part) : Buffer.from(part))),
  );

describe("issue 13 item 2: the text guard and strict decoding", () => {
  it("names the first bad key or value at any depth, and lets good text through", () => {
    expect(findBadText({ a: ["ok", { b: "x\u0000" }] }, "")).toMatchObject({ field: "a.1.b" });
    expect(findBadText({ "k\u0000": 1 }, "")).toMatchObject({ field: "k\\u0000" });
    expect(findBadText(["\udc00"], "tags")).toMatchObject({ field: "tags.0" });
    expect(findBadText({ name: "Zoë 🙂 日本", n: 1, ok: null }, "")).toBeUndefined();
  });

  it("refuses nesting past MAX_NESTING without recursing", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findBadText(deep, "body")?.why).toContain(`${MAX_NESTING}`);
  });

  it("refuses invalid UTF-8 in JSON, naming the field that held it", () => {
    const parsed = parseJsonText(bytes('{"a":"ok","b":{"c":"x', [0xed, 0xa0, 0x80], '"}}'));
    expect(parsed).toEqual({ ok: false, bad: { field: "b.c", why: "is not valid UTF-8 text" } });
    expect(parseJsonText(bytes('{"a":"é"}'))).toEqual({ ok: true, value: { a: "é" } });
  });

  it("refuses prototype keys as Fastify's parser does", () => {
    expect(parseJsonText(bytes('{"__proto__":{"x":1}}'))).toMatchObject({ ok: false });
    expect(parseJsonText(bytes('{"a":{"constructor":{"prototype":{}}}}'))).toMatchObject({
      ok: false,
      bad: { field: "a.constructor" },
    });
  });

  it("reads forms as URLSearchParams does, but refuses what it would turn into U+FFFD", () => {
    const text = "a=1&b=x+y&a=%C3%A9&c=%zz&&d";
    const ours = parseFormText(Buffer.from(text));
    expect(ours.ok && [...ours.value]).toEqual(
      [...new URLSearchParams(text)].reduce<[string, string[]][]>((all, [k, v]) => {
        const found = all.find(([name]) => name === k);
        if (found) found[1].push(v);
        else all.push([k, [v]]);
        return all;
      }, []),
    );
    expect(parseFormText(Buffer.from("name=%FF"))).toMatchObject({
      ok: false,
      bad: { field: "name" },
    });
    expect(parseQueryText("/x?q=a%00")).toMatchObject({ ok: false, bad: { field: "q" } });
    expect(checkPath("/users/DU%00?x=1")).toMatchObject({ field: "path" });
    expect(checkPath("/users/%E6%97%A5")).toBeUndefined();
  });
});
