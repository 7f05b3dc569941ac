import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { totpCode } from "../../src/domain/auth/totp.js";
import type { SeededAdmin } from "./admins.js";

/**
 * A browser's view of the panel API through app.inject(): it keeps the session cookie and the CSRF
 * token as the web panel does, and speaks from a chosen client address.
 */
export class PanelClient {
  cookie: string | undefined;
  csrfToken: string | undefined;
  /** TOTP codes are single-use: each sign-in of the same admin uses the next time step. */
  private static nextStep = new Map<string, number>();

  constructor(
    private readonly app: FastifyInstance,
    readonly ip = "198.51.100.7",
    readonly userAgent = "PanelClient/1.0 (test)",
  ) {}

  async request(options: {
    method: InjectOptions["method"];
    url: string;
    body?: unknown;
    headers?: Record<string, string>;
    csrf?: boolean;
  }): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { "user-agent": this.userAgent, ...options.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (options.csrf !== false && this.csrfToken && options.method !== "GET")
      headers["x-csrf-token"] = this.csrfToken;
    const response = await this.app.inject({
      method: options.method,
      url: options.url,
      headers,
      remoteAddress: this.ip,
      ...(options.body === undefined ? {} : { payload: options.body as object }),
    });
    const session = response.cookies.find((cookie) => cookie.name === "gatehouse_session");
    if (session) this.cookie = session.value ? `gatehouse_session=${session.value}` : undefined;
    return response;
  }

  post(
    url: string,
    body?: unknown,
    extra: { csrf?: boolean; headers?: Record<string, string> } = {},
  ) {
    return this.request({ method: "POST", url, body: body ?? {}, ...extra });
  }

  get(url: string) {
    return this.request({ method: "GET", url });
  }

  /** A fresh code for the admin, one time step later than the last one this process used. */
  static codeFor(admin: SeededAdmin): string {
    const step = Math.max(PanelClient.nextStep.get(admin.id) ?? 0, Math.floor(Date.now() / 30_000));
    PanelClient.nextStep.set(admin.id, step + 1);
    return totpCode(admin.totpSecret, step * 30_000);
  }

  /** Both steps of sign-in; fails the test's expectations loudly if either step is refused. */
  async signIn(admin: SeededAdmin): Promise<void> {
    const first = await this.post("/api/auth/sign-in", {
      email: admin.email,
      password: admin.password,
    });
    if (first.statusCode !== 200)
      throw new Error(`password step refused: ${first.statusCode} ${first.body}`);
    const second = await this.post("/api/auth/second-factor", { code: PanelClient.codeFor(admin) });
    if (second.statusCode !== 200)
      throw new Error(`second factor refused: ${second.statusCode} ${second.body}`);
    this.csrfToken = second.json().csrf_token;
  }
}
