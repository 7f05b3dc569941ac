import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { runCli } from "../helpers/cli.js";

const HOST = { GATEHOUSE_SMTP_HOST: "smtp.example.com", GATEHOUSE_SMTP_FROM: "mfa@example.com" };

describe("GATEHOUSE_SMTP_*: the mail server, read at start-up", () => {
  it("unset: no mail server, and nothing else needed", () => {
    expect(loadConfig({}).smtp).toBeUndefined();
  });

  it("the defaults: STARTTLS on 587, no login; implicit TLS on 465", () => {
    expect(loadConfig(HOST).smtp).toEqual({
      host: "smtp.example.com",
      port: 587,
      tls: "starttls",
      from: { name: "", address: "mfa@example.com" },
    });
    expect(loadConfig({ ...HOST, GATEHOUSE_SMTP_TLS: "TLS" }).smtp).toMatchObject({
      tls: "tls",
      port: 465,
    });
  });

  it("everything given: port, login, a sender with a display name", () => {
    const config = loadConfig({
      GATEHOUSE_SMTP_HOST: " mail.example.org ",
      GATEHOUSE_SMTP_PORT: "2525",
      GATEHOUSE_SMTP_TLS: "starttls",
      GATEHOUSE_SMTP_USER: "relay",
      GATEHOUSE_SMTP_PASSWORD: " pass with spaces ",
      GATEHOUSE_SMTP_FROM: '"Acme, Security" <mfa@acme.example>',
    });
    expect(config.smtp).toEqual({
      host: "mail.example.org",
      port: 2525,
      tls: "starttls",
      auth: { user: "relay", password: " pass with spaces " },
      from: { name: "Acme, Security", address: "mfa@acme.example" },
    });
  });

  it("none is allowed for a mail server on this machine only", () => {
    for (const host of ["localhost", "127.0.0.1", "127.0.0.53", "::1", "[::1]"])
      expect(
        loadConfig({ ...HOST, GATEHOUSE_SMTP_HOST: host, GATEHOUSE_SMTP_TLS: "none" }).smtp,
      ).toMatchObject({ tls: "none", port: 587 });
    expect(() => loadConfig({ ...HOST, GATEHOUSE_SMTP_TLS: "none" })).toThrow(
      /^GATEHOUSE_SMTP_TLS=none .* only for a mail server on this machine .*not smtp\.example\.com/,
    );
    expect(() =>
      loadConfig({ ...HOST, GATEHOUSE_SMTP_HOST: "10.0.0.5", GATEHOUSE_SMTP_TLS: "none" }),
    ).toThrow(/^GATEHOUSE_SMTP_TLS=none/);
  });

  it("incomplete or invalid settings are refused with a sentence naming the variable", () => {
    const refusals: [NodeJS.ProcessEnv, RegExp][] = [
      [{ GATEHOUSE_SMTP_HOST: "smtp.example.com" }, /^GATEHOUSE_SMTP_FROM is not set/],
      [
        { GATEHOUSE_SMTP_FROM: "mfa@example.com" },
        /^GATEHOUSE_SMTP_HOST is not set, but GATEHOUSE_SMTP_FROM is/,
      ],
      [
        { GATEHOUSE_SMTP_PASSWORD: "x" },
        /^GATEHOUSE_SMTP_HOST is not set, but GATEHOUSE_SMTP_PASSWORD is/,
      ],
      [
        { ...HOST, GATEHOUSE_SMTP_PORT: "0" },
        /^GATEHOUSE_SMTP_PORT must be an integer from 1 to 65535, got "0"/,
      ],
      [{ ...HOST, GATEHOUSE_SMTP_PORT: "smtp" }, /^GATEHOUSE_SMTP_PORT must be/],
      [
        { ...HOST, GATEHOUSE_SMTP_TLS: "ssl" },
        /^GATEHOUSE_SMTP_TLS must be one of starttls, tls, none, got "ssl"/,
      ],
      [{ ...HOST, GATEHOUSE_SMTP_USER: "relay" }, /^GATEHOUSE_SMTP_PASSWORD is not set/],
      [{ ...HOST, GATEHOUSE_SMTP_PASSWORD: "secret" }, /^GATEHOUSE_SMTP_USER is not set/],
      [
        { ...HOST, GATEHOUSE_SMTP_FROM: "not an address" },
        /^GATEHOUSE_SMTP_FROM must be one email address/,
      ],
      [
        { ...HOST, GATEHOUSE_SMTP_FROM: "a@example.com, b@example.com" },
        /^GATEHOUSE_SMTP_FROM must be one/,
      ],
      [
        { ...HOST, GATEHOUSE_SMTP_HOST: "smtp://smtp.example.com" },
        /^GATEHOUSE_SMTP_HOST must be a host name or IP address, without a scheme or port/,
      ],
      [
        { ...HOST, GATEHOUSE_SMTP_HOST: "smtp.example.com:587" },
        /^GATEHOUSE_SMTP_HOST must be a host name/,
      ],
    ];
    for (const [env, message] of refusals)
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(message);
  });

  it("gatehouse serve stops at start-up with the sentence, before opening anything", async () => {
    const result = await runCli(["serve"], {
      ...process.env,
      GATEHOUSE_DATA_DIR: "/nonexistent/gatehouse-smtp-config-test",
      GATEHOUSE_SMTP_HOST: "smtp.example.com",
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("GATEHOUSE_SMTP_FROM is not set");
  });
});
