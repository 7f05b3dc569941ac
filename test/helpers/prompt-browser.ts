import https from "node:https";
import { createRequire } from "node:module";
import type { HttpsTestServer } from "./duo.js";

/** What a browser got back for one request, redirects not followed. */
export interface Page {
  status: number;
  location: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A browser as the hosted prompt sees one, in a test without Chromium: it keeps the cookies the
 * server sets (by name; the prompt sets one, on /prompt/) and trusts the test server's certificate.
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly server: HttpsTestServer) {}

  get(url: string): Promise<Page> {
    return this.request("GET", url);
  }

  post(url: string, form: Record<string, string>): Promise<Page> {
    return this.request("POST", url, new URLSearchParams(form).toString());
  }

  request(method: string, url: string, body?: string): Promise<Page> {
    const target = new URL(url, `https://127.0.0.1:${this.server.port}`);
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    return new Promise((resolve, reject) => {
      const request = https.request(
        target,
        {
          method,
          ca: this.server.cert,
          headers: {
            ...(cookie ? { cookie } : {}),
            ...(body === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" }),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            for (const line of response.headers["set-cookie"] ?? []) {
              const [pair = ""] = line.split(";");
              const at = pair.indexOf("=");
              this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
            }
            resolve({
              status: response.statusCode ?? 0,
              location: response.headers.location,
              headers: response.headers,
              body: Buffer.concat(chunks).toString("utf8"),
            });
          });
        },
      );
      request.on("error", reject);
      request.end(body);
    });
  }
}

interface TokenPayload {
  preferred_username: string;
  aud: string;
  iss: string;
  auth_result: { result: string; status: string; status_msg: string };
  auth_context: Record<string, unknown> & { factor: string; reason: string; result: string };
}

export interface UniversalClient {
  healthCheck(): Promise<{ stat: string }>;
  createAuthUrl(username: string, state: string): Promise<string>;
  generateState(): string;
  exchangeAuthorizationCodeFor2FAResult(code: string, username: string): Promise<TokenPayload>;
  axios: unknown;
}

const require = createRequire(import.meta.url);
const { Client } = require("@duosecurity/duo_universal") as {
  Client: new (options: {
    clientId: string;
    clientSecret: string;
    apiHost: string;
    redirectUrl: string;
  }) => UniversalClient;
};
const axios = require("axios") as {
  create(options: object): {
    interceptors: { response: { use(onResponse: (response: { data: unknown }) => unknown): void } };
  };
};

/**
 * Duo's Universal Prompt SDK for Node, unchanged, as a web application would build it; only its
 * connection is pointed at the test server: 3.0.0 pins Duo's CA in a private axios instance, which
 * is replaced by one that trusts the test's certificate (research/auth-protocols.md §3.1).
 * `tamper` rewrites the server's answers before the SDK reads them.
 */
export function universalClient(
  server: HttpsTestServer,
  credentials: { clientId: string; clientSecret: string; redirectUrl: string },
  tamper?: (data: Record<string, unknown>) => void,
  apiHost = `127.0.0.1:${server.port}`,
): UniversalClient {
  const client = new Client({ ...credentials, apiHost });
  const instance = axios.create({
    baseURL: `https://${apiHost}`,
    httpsAgent: new https.Agent({ ca: server.cert }),
  });
  if (tamper)
    instance.interceptors.response.use((response) => {
      tamper(response.data as Record<string, unknown>);
      return response;
    });
  client.axios = instance;
  return client;
}
