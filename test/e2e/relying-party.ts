import { createServer, type Server } from "node:http";
import type { HttpsTestServer } from "../helpers/duo.js";
import { type UniversalClient, universalClient } from "../helpers/prompt-browser.js";

/** A small web application protected by Duo's Universal Prompt, as its developer would write it. */
export interface RelyingParty {
  url: string;
  close(): Promise<void>;
}

function page(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1><p id="result">${text}</p></main></body></html>`;
}

const escapeText = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The application of issue 15's tests, following the SDK's own example: /login?username= checks
 * Duo's health, saves a fresh state and sends the browser to the prompt; /duo-callback compares
 * the state, exchanges duo_code with the SDK (unchanged: only its connection trusts the test
 * server, see universalClient) and shows what the SDK verified, or the error it raised.
 */
export async function startRelyingParty(
  gatehouse: HttpsTestServer,
  credentials: { clientId: string; clientSecret: string },
  apiHost: string,
): Promise<RelyingParty> {
  const pending = new Map<string, string>();
  let client: UniversalClient | undefined;
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const send = (status: number, html: string) =>
      response.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(html);
    try {
      if (!client) throw new Error("the application has not started");
      if (url.pathname === "/login") {
        await client.healthCheck();
        const username = url.searchParams.get("username") ?? "";
        const state = client.generateState();
        pending.set(state, username);
        response.writeHead(302, { location: await client.createAuthUrl(username, state) }).end();
        return;
      }
      if (url.pathname === "/duo-callback") {
        const state = url.searchParams.get("state") ?? "";
        const username = pending.get(state);
        if (username === undefined)
          return send(400, page("Login failed", "The state does not match."));
        pending.delete(state);
        const token = await client.exchangeAuthorizationCodeFor2FAResult(
          url.searchParams.get("duo_code") ?? "",
          username,
        );
        const result = token.auth_result;
        return result.result === "allow"
          ? send(
              200,
              page(
                "Logged in",
                `Welcome, ${escapeText(token.preferred_username)} (${escapeText(token.auth_context.factor)}).`,
              ),
            )
          : send(403, page("Login denied", `Denied: ${escapeText(result.status_msg)}`));
      }
      send(404, page("Not found", url.pathname));
    } catch (error) {
      send(
        502,
        page("Login failed", escapeText(error instanceof Error ? error.message : String(error))),
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const url = `http://localhost:${port}`;
  client = universalClient(
    gatehouse,
    { ...credentials, redirectUrl: `${url}/duo-callback` },
    undefined,
    apiHost,
  );
  return {
    url,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
