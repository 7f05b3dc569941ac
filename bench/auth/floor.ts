/**
 * The floor of a login for bench/auth.ts: the least any server speaking Duo's Auth API must do,
 * written as one would by hand for speed. A bare Fastify route per call; the form body read with
 * URLSearchParams; one HMAC-SHA512 over the v2 canonical string (one signature form, the Host
 * header as sent); node-postgres named statements (planned once per connection): preauth reads the
 * integration and the user's phone in one statement; auth reads the same with the app's sealed
 * secret, checks the TOTP code (otpauth, window ±1) and, in one statement, spends the step, notes
 * the login and writes the log entry. Three statements and one commit per login, as Gatehouse
 * makes; none of Gatehouse's rules (status, lockout, new users, other factors, async, the text
 * guard). What the floor cannot do in a given time, no Auth API server on this machine can.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import Fastify from "fastify";
import * as OTPAuth from "otpauth";
import pg from "pg";
import type { SecretBox } from "../../src/db/secrets.js";

interface Row {
  account_id: string;
  app_secret: string;
  app_id: string;
  user_id: string | null;
  phone_id: string | null;
  totp_secret_enc: string | null;
  totp_last_step: string | null;
}

const READ = `select a.account_id, a.secret_key_enc as app_secret, a.id as app_id, u.id as user_id,
       p.id as phone_id, p.totp_secret_enc, p.totp_last_step
  from applications a
  left join users u on u.account_id = a.account_id and lower(u.username) = $2
  left join user_phones up on up.user_id = u.id
  left join phones p on p.id = up.phone_id
 where a.id = $1 limit 1`;

const SPEND = `with spent as (
    update phones set totp_last_step = $1 where id = $2
       and (totp_last_step is null or totp_last_step < $1) returning id),
  login as (update users set last_login_at = now() where id = $3 and exists (select 1 from spent) returning id)
insert into authentication_log (txid, account_id, event_type, result, reason, factor, user_id, username, application_id, application_name)
select $4::uuid, $5, 'authentication', 'success', 'valid_passcode', 'duo_mobile_passcode', $3, $6, $7, 'floor'
  from login`;

function signatureOk(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  path: string,
  body: string,
): boolean {
  const auth = String(headers.authorization ?? "");
  const decoded = Buffer.from(auth.replace(/^Basic /, ""), "base64").toString();
  const given = decoded.slice(decoded.indexOf(":") + 1);
  const params = [...new URLSearchParams(body)]
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .sort()
    .join("&");
  const host = String(headers.host).toLowerCase();
  const canonical = [String(headers.date), "POST", host, path, params].join("\n");
  const expected = createHmac("sha512", secret).update(canonical).digest("hex");
  return (
    expected.length === given.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given))
  );
}

export async function startFloor(
  url: string,
  box: SecretBox,
): Promise<{ port: number; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const secretKeys = new Map<string, string>();
  const app = Fastify();
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string" },
    (_request, body, done) => done(null, body),
  );
  const read = async (
    request: { headers: Record<string, string | string[] | undefined>; body: unknown },
    path: string,
  ) => {
    const body = String(request.body);
    const form = new URLSearchParams(body);
    const ikey = Buffer.from(String(request.headers.authorization).slice(6), "base64")
      .toString()
      .split(":")[0];
    const { rows } = await pool.query<Row>({
      name: "floor_read",
      text: READ,
      values: [ikey, (form.get("username") ?? "").toLowerCase()],
    });
    const row = rows[0];
    if (!row) return undefined;
    let secret = secretKeys.get(row.app_secret);
    if (secret === undefined) {
      secret = box.open(row.app_secret, row.app_id);
      secretKeys.set(row.app_secret, secret);
    }
    return signatureOk(secret, request.headers, path, body) ? { row, form } : undefined;
  };
  app.post("/auth/v2/preauth", async (request, reply) => {
    const found = await read(request, "/auth/v2/preauth");
    if (!found) return reply.code(401).send({ stat: "FAIL", code: 40103 });
    return {
      stat: "OK",
      response: {
        result: "auth",
        status_msg: "Account is active",
        devices: [{ device: found.row.phone_id, capabilities: ["mobile_otp"] }],
      },
    };
  });
  app.post("/auth/v2/auth", async (request, reply) => {
    const found = await read(request, "/auth/v2/auth");
    if (!found) return reply.code(401).send({ stat: "FAIL", code: 40103 });
    const { row, form } = found;
    const code = form.get("passcode") ?? "";
    const secret =
      row.totp_secret_enc && row.phone_id ? box.open(row.totp_secret_enc, row.phone_id) : undefined;
    const delta =
      secret === undefined
        ? null
        : OTPAuth.TOTP.validate({
            token: code,
            secret: OTPAuth.Secret.fromBase32(secret),
            window: 1,
          });
    const step = delta === null ? null : Math.floor(Date.now() / 30_000) + delta;
    let allowed = false;
    if (step !== null && (row.totp_last_step === null || Number(row.totp_last_step) < step)) {
      const spent = await pool.query({
        name: "floor_spend",
        text: SPEND,
        values: [
          step,
          row.phone_id,
          row.user_id,
          randomUUID(),
          row.account_id,
          form.get("username"),
          row.app_id,
        ],
      });
      allowed = spent.rowCount === 1;
    }
    return {
      stat: "OK",
      response: {
        result: allowed ? "allow" : "deny",
        status: allowed ? "allow" : "deny",
        status_msg: "",
      },
    };
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    async close() {
      await app.close();
      await pool.end();
    },
  };
}
