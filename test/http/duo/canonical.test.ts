import { describe, expect, it } from "vitest";
import {
  canonicalParams,
  canonicalString,
  type Params,
  type SignedRequest,
  sign,
} from "../../../src/http/duo/canonical.js";

/** research/duo-api.md §1.4: vectors computed with duo_client_python 5.6.1's own sign(). */
const SKEY = "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
const DATE = "Tue, 21 Aug 2012 17:29:18 -0000";
const base = {
  date: DATE,
  host: "api-xxxxxxxx.duosecurity.com",
  path: "/admin/v1/users",
  body: Buffer.alloc(0),
  xDuoHeaders: {},
};
const params = (entries: [string, string[]][]): Params => new Map(entries);

describe("Duo request signing (research/duo-api.md §1.3, §1.4)", () => {
  it("canonical parameters: sorted, repeated keys sorted, RFC 3986 escaping with %20", () => {
    expect(
      canonicalParams(
        params([
          ["a", ["b", "a"]],
          ["b c", ["~!*()@"]],
        ]),
      ),
    ).toBe("a=a&a=b&b%20c=~%21%2A%28%29%40");
    expect(canonicalParams(new Map())).toBe("");
  });

  it("Duo's Node client keeps a repeated key's values in the order it sends them", () => {
    const repeated = params([["users", ["DU2", "DU1"]]]);
    expect(canonicalParams(repeated)).toBe("users=DU1&users=DU2");
    expect(canonicalParams(repeated, false)).toBe("users=DU2&users=DU1");
  });

  const getUsers: SignedRequest = {
    ...base,
    method: "GET",
    params: params([
      ["realname", ["First Last"]],
      ["username", ["root"]],
    ]),
  };

  it("case A: v2 with HMAC-SHA1", () => {
    expect(sign(SKEY, "sha1", canonicalString(2, getUsers))).toBe(
      "2ab6e038eedf2fc7998387e55a0a5a5ef706528e",
    );
  });

  it("case B: v2 with HMAC-SHA512", () => {
    expect(sign(SKEY, "sha512", canonicalString(2, getUsers))).toBe(
      "fa11d23d14d8a17fbe26b09fca9fc8970bc77b2b68bf3e3dc203b20e6123f312e6de817ba57fc1afd9c97c157e3ec617e49af6701b41df4adcbf6dbefafce532",
    );
  });

  it("case C: v5 POST with a JSON body, hashed as received", () => {
    const request: SignedRequest = {
      ...base,
      method: "POST",
      params: new Map(),
      body: Buffer.from('{"realname":"First Last","username":"root"}'),
    };
    expect(sign(SKEY, "sha512", canonicalString(5, request))).toBe(
      "5878511421d1f9d3741869f6c3da5e987fc041bb8c69c7c40c401062f3e3376fd61913e16d33fba18690766b54de5aca16f01d7204d6c041a709869d7c852914",
    );
  });

  it("case D: v5 GET with an X-Duo-Date header in the header hash", () => {
    const request: SignedRequest = {
      ...base,
      method: "GET",
      params: params([
        ["limit", ["10"]],
        ["offset", ["0"]],
      ]),
      xDuoHeaders: { "X-Duo-Date": DATE },
    };
    expect(sign(SKEY, "sha512", canonicalString(5, request))).toBe(
      "eedca5d5551e10056c970d009bbc7bc8401e33d681f926970a9f4e846a0accb3ba1933208cce056d0cd19ded4fbdbaee62a6333b5fe6eff6d7309d2ca4e5debf",
    );
  });
});
