import { Select, Skeleton } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useLocation } from "wouter";
import { api } from "../api/client.js";
import { useResetData } from "../api/session.js";
import type { Switcher, SwitchTarget } from "../api/types.js";

export const SWITCHER_KEY = ["switcher"] as const;

function labelOf(account: SwitchTarget): string {
  return account.nfr ? `${account.name} (NFR)` : account.name;
}

/**
 * R-TAG-5: the account switcher. The server lists the home account and only the subaccounts the
 * admin can access; choosing one switches the session there (POST /api/switcher), and every cached
 * answer is dropped, since decisions and data differ per account.
 */
export function AccountSwitcher() {
  const [, navigate] = useLocation();
  const resetData = useResetData();
  const switcher = useQuery({
    queryKey: SWITCHER_KEY,
    queryFn: () => api.get<Switcher>("/switcher"),
  });
  const switchTo = useMutation({
    mutationFn: (accountId: string) => api.post<Switcher>("/switcher", { account_id: accountId }),
    onSuccess: async () => {
      await resetData();
      navigate("/");
    },
  });
  if (!switcher.data) return <Skeleton height={36} width={260} radius="sm" />;
  const [home, ...subaccounts] = switcher.data.accounts;
  const option = (account: SwitchTarget) => ({ value: account.id, label: labelOf(account) });
  const data = [
    ...(home ? [{ group: "Home account", items: [option(home)] }] : []),
    ...(subaccounts.length > 0 ? [{ group: "Subaccounts", items: subaccounts.map(option) }] : []),
  ];
  return (
    <Select
      aria-label="Account"
      data-testid="account-switcher"
      data={data}
      value={switcher.data.current}
      onChange={(value) => {
        if (value && value !== switcher.data.current) switchTo.mutate(value);
      }}
      searchable
      allowDeselect={false}
      nothingFoundMessage="No accessible account matches"
      limit={200}
      maxDropdownHeight={360}
      w={{ base: 200, md: 280 }}
      disabled={switchTo.isPending}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
