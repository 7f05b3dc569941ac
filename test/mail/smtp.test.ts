import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeEmail } from "../../src/mail/compose.js";
import { MailNotDelivered } from "../../src/mail/mailer.js";
import { smtpMailer } from "../../src/mail/smtp.js";
import {
  closedPort,
  mailerFor,
  startMailServer,
  TEST_SENDER,
  TEST_SMTP_USER,
  type TestMailServer,
} from "../helpers/mail.js";

const message = (to: string) =>
  composeEmail({
    to,
    subject: "Set up your authenticator app for Acme & Sons",
    greeting: "Hello Ana <script>alert(1)</script>,",
    before: ['Acme & Sons asks you to set up "an app".'],
    link: "https://gh.example/enroll/abc_DEF-123?x=1&y=<2>",
    after: ["It works once."],
  });

/** What the mailer's send rejected with; fails the test when it did not reject. */
async function refusal(send: Promise<void>): Promise<MailNotDelivered> {
  const error = await send.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(MailNotDelivered);
  return error as MailNotDelivered;
}

describe("the SMTP mailer (nodemailer) against a real SMTP server", () => {
  let starttls: TestMailServer;
  let implicit: TestMailServer;
  let plain: TestMailServer;

  beforeAll(async () => {
    [starttls, implicit, plain] = await Promise.all([
      startMailServer("starttls"),
      startMailServer("tls"),
      startMailServer("none"),
    ]);
  });
  afterAll(async () => {
    await Promise.all([starttls?.close(), implicit?.close(), plain?.close()]);
  });

  it("starttls: upgrades, logs in, and delivers one message with a text part and an escaped HTML part", async () => {
    await mailerFor(starttls).send(message("ana@example.com"));
    const mail = await starttls.next();
    expect(mail).toMatchObject({
      from: TEST_SENDER.address,
      to: ["ana@example.com"],
      user: TEST_SMTP_USER.user,
      secure: true,
      subject: "Set up your authenticator app for Acme & Sons",
    });
    expect(mail.headers.get("from")).toBe(`${TEST_SENDER.name} <${TEST_SENDER.address}>`);
    expect(mail.headers.get("to")).toBe("ana@example.com");
    expect(mail.text).toContain("Hello Ana <script>alert(1)</script>,");
    expect(mail.text).toContain("\nhttps://gh.example/enroll/abc_DEF-123?x=1&y=<2>\n");
    // The HTML part: every interpolated value escaped, the link's href exactly the link.
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("Hello Ana &lt;script&gt;alert(1)&lt;/script&gt;,");
    expect(mail.html).toContain("Acme &amp; Sons asks you to set up &quot;an app&quot;.");
    expect(mail.html).toContain('href="https://gh.example/enroll/abc_DEF-123?x=1&amp;y=&lt;2&gt;"');
    expect(mail.html).toContain("<title>Set up your authenticator app for Acme &amp; Sons</title>");
  });

  it("tls: implicit TLS from the first byte, with the CA option trusting a self-signed certificate", async () => {
    await mailerFor(implicit).send(message("bo@example.com"));
    expect(await implicit.next()).toMatchObject({ to: ["bo@example.com"], secure: true });
  });

  it("none: plain SMTP to a server on this machine", async () => {
    await mailerFor(plain).send(message("cy@example.com"));
    expect(await plain.next()).toMatchObject({ to: ["cy@example.com"], secure: false });
  });

  it("an address with a comma in it is one recipient, never two", async () => {
    await mailerFor(plain).send(message("x,someone-else@example.com"));
    // Sent as the one address it is, its local part quoted.
    expect((await plain.next()).to).toEqual(['"x,someone-else"@example.com']);
  });

  it("starttls never falls back to clear text: a server without STARTTLS gets nothing", async () => {
    const mailer = smtpMailer({ ...plain.config(), tls: "starttls" });
    const before = plain.received.length;
    const error = await refusal(mailer.send(message("dee@example.com")));
    expect(error.why).toBe("no secure connection could be made to the mail server");
    expect(plain.received.length).toBe(before);
  });

  it("a certificate the mailer does not trust is refused, nothing sent", async () => {
    const before = starttls.received.length;
    const error = await refusal(smtpMailer(starttls.config()).send(message("eve@example.com")));
    expect(error.why).toBe(
      "the mail server's certificate is not trusted (self-signed certificate)",
    );
    expect(starttls.received.length).toBe(before);
  });

  it("a wrong password says the mail server did not accept Gatehouse's credentials", async () => {
    const mailer = smtpMailer(
      starttls.config({ auth: { user: TEST_SMTP_USER.user, password: "wrong" } }),
      { ca: starttls.cert },
    );
    const error = await refusal(mailer.send(message("fay@example.com")));
    expect(error.why).toBe("the mail server did not accept Gatehouse's user name and password");
  });

  it("a message the server refuses says so with the server's reply; the failure is logged without the message", async () => {
    const logged: { facts: object; message: string }[] = [];
    const mailer = mailerFor(starttls, {
      logger: { warn: (facts, text) => logged.push({ facts, message: text }) },
    });
    starttls.refuseWith({ code: 550, text: "Mailbox unavailable" });
    try {
      const error = await refusal(mailer.send(message("gil@example.com")));
      expect(error.why).toBe("the mail server refused the message: 550 Mailbox unavailable");
    } finally {
      starttls.refuseWith(undefined);
    }
    expect(logged).toEqual([
      {
        facts: { mail_server: `127.0.0.1:${starttls.port}`, code: "EMESSAGE", response_code: 550 },
        message: "email not delivered",
      },
    ]);
    expect(JSON.stringify(logged)).not.toContain("enroll");
  });

  it("a mail server that is down cannot be reached", async () => {
    const mailer = smtpMailer({ ...plain.config(), port: await closedPort() });
    const error = await refusal(mailer.send(message("hal@example.com")));
    expect(error.why).toBe("the mail server could not be reached");
    expect(error.message).toBe("the email was not delivered: the mail server could not be reached");
  });
});
