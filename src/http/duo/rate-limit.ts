import { RateLimited } from "../../domain/errors.js";

/**
 * Requests per integration key in fixed one-second windows, per process (research/duo-api.md §2.3:
 * the official clients back off on 429 and duo_unix honours Retry-After). Behind a load balancer
 * each instance counts its own share.
 */
export class ApiRateLimit {
  readonly #windows = new Map<string, { second: number; count: number }>();

  constructor(private readonly perSecond: number) {}

  take(integrationKey: string, now = Date.now()): void {
    const second = Math.floor(now / 1000);
    const window = this.#windows.get(integrationKey);
    if (!window || window.second !== second) {
      // Old windows go as they are replaced; the map holds one entry per active key.
      this.#windows.set(integrationKey, { second, count: 1 });
      return;
    }
    window.count++;
    if (window.count > this.perSecond) throw new RateLimited(1);
  }
}
