import { useQuery } from "@tanstack/react-query";
import { api } from "../api/client.js";

/**
 * Whether this server sends email (GET /api/mail-delivery: its operator configured a mail server,
 * GATEHOUSE_SMTP_*). Undefined while the answer loads: nothing is offered on a guess.
 */
export function useMailDelivery(): boolean | undefined {
  const answer = useQuery({
    queryKey: ["mail-delivery"],
    queryFn: () => api.get<{ configured: boolean }>("/mail-delivery"),
    staleTime: 5 * 60_000,
  });
  return answer.data?.configured;
}
