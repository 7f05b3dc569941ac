/** Where a request came from, for the log (R-AUD-1) and for per-address throttling (R-ADM-4). */
export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
}
