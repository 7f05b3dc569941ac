import type { ExchangedPrompt } from "../../domain/prompt/exchange.js";

const NO_LOCATION = { city: null, state: null, country: null };

/**
 * The id_token's claims beyond the registered ones (research/auth-protocols.md §3.5): the result
 * Duo's SDKs hand the application (auth_result), the username it checks (preferred_username,
 * exactly as it sent it), and the authentication log's record of the attempt (auth_context).
 */
export function idTokenClaims(prompt: ExchangedPrompt, clientId: string): Record<string, unknown> {
  const logged = prompt.logged;
  const when = logged?.createdAt ?? prompt.completedAt;
  return {
    preferred_username: prompt.username,
    auth_time: Math.floor(prompt.completedAt.getTime() / 1000),
    auth_result: { result: prompt.result, status: prompt.status, status_msg: prompt.statusMsg },
    auth_context: {
      txid: logged?.txid ?? null,
      timestamp: Math.floor(when.getTime() / 1000),
      isotimestamp: when.toISOString(),
      event_type: "authentication",
      result: logged?.result ?? (prompt.result === "allow" ? "success" : "denied"),
      reason: logged?.reason ?? prompt.status,
      factor: logged?.factor ?? "not_available",
      user: {
        name: logged?.username ?? prompt.username,
        key: logged?.userId ?? null,
        groups: logged?.groups ?? [],
      },
      application: { name: prompt.applicationName, key: clientId },
      access_device: {
        ip: logged?.accessIp ?? null,
        hostname: logged?.accessHostname ?? null,
        location: NO_LOCATION,
        epkey: null,
      },
      auth_device: { ip: null, name: logged?.authDeviceName ?? null, location: NO_LOCATION },
      alias: "",
      email: null,
      ood_software: null,
    },
  };
}
