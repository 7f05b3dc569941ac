import { Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconSwitchHorizontal, IconUserPlus } from "@tabler/icons-react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useLocation, useParams } from "wouter";
import { ApiError, api } from "../api/client.js";
import { useResetData, useSignedIn } from "../api/session.js";
import type { Switcher } from "../api/types.js";
import { AccountBadges } from "../components/account-badges.js";
import { ActionButton } from "../components/action-button.js";
import { BackLink, DetailPage } from "../components/detail-page.js";
import { notifyRefusal, RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import { TagBadges } from "../components/tag-badges.js";
import { ADD_ADMINISTRATOR_SEARCH } from "./administrators-add.js";
import type { Subaccount } from "./subaccount-data.js";
import { SubaccountDialog } from "./subaccount-dialog.js";

/** R-TAG-2's refusal: the account exists, and the admin shares no tag with it. */
function isNoAccess(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && error.rule === "R-TAG-2";
}

/** Nothing of the account: the server's refusal, and for R-TAG-2 who may open it. */
function Unavailable({ error }: { error: unknown }) {
  if (!isNoAccess(error))
    return <RefusalBanner error={error} title="This subaccount cannot be shown" />;
  return (
    <Stack gap="xs" data-testid="no-access">
      <RefusalBanner error={error} title="You don't have access to this subaccount" />
      <Text size="sm" c="dimmed">
        <Explained rules={["R-TAG-4", "R-TAG-2"]}>
          The Accounts page lists every subaccount, but only Owners and administrators who share an
          access tag with one can open it (anyone can open one that has no tags). An Owner can add
          one of your tags to it, or one of its tags to you.
        </Explained>
      </Text>
    </Stack>
  );
}

/**
 * One subaccount, opened from the Accounts page or by its address (R-TAG-4): its edition, NFR flag
 * and tags, with Switch to it and Edit. One the admin cannot enter shows only the server's refusal,
 * its rule and reason (both sides' tags), and nothing of the account.
 */
export default function SubaccountPage() {
  const { id = "" } = useParams<{ id: string }>();
  const session = useSignedIn();
  const [, navigate] = useLocation();
  const resetData = useResetData();
  const [editing, edit] = useDisclosure(false);
  const account = useQuery({
    queryKey: ["subaccount", session.account_id, id],
    queryFn: () => api.get<Subaccount>(`/accounts/${encodeURIComponent(id)}`),
  });
  // Where to go once the session acts in the subaccount: its Dashboard, or its Administrators page
  // with Add Administrator open (an admin is added in the account the session acts in, R-SUB-5).
  const switchTo = useMutation({
    mutationFn: (_then: "dashboard" | "add-administrator") =>
      api.post<Switcher>("/switcher", { account_id: id }),
    onSuccess: async (_switched, then) => {
      await resetData();
      navigate(then === "dashboard" ? "/" : `/administrators?${ADD_ADMINISTRATOR_SEARCH}`);
    },
    onError: notifyRefusal,
    meta: { inline: true },
  });

  return (
    <DetailPage
      query={account}
      back={<BackLink href="/subaccounts" label="Accounts" />}
      unavailable={(error) => <Unavailable error={error} />}
    >
      {(sub) => (
        <>
          <Group justify="space-between" align="flex-start">
            <div>
              <Title order={2}>{sub.name}</Title>
              <AccountBadges edition={sub.edition} nfr={sub.nfr} isSubaccount />
            </div>
            <Group gap="sm">
              <ActionButton
                query={{ action: "subaccounts:rename" }}
                variant="default"
                onClick={edit.open}
              >
                Edit
              </ActionButton>
              <ActionButton
                query={{ action: "accounts:switch", accountId: sub.id }}
                leftSection={<IconSwitchHorizontal size={16} aria-hidden />}
                loading={switchTo.isPending && switchTo.variables === "dashboard"}
                onClick={() => switchTo.mutate("dashboard")}
              >
                Switch to this account
              </ActionButton>
              <ActionButton
                query={{ action: "admins:create", accountId: sub.id }}
                variant="default"
                leftSection={<IconUserPlus size={16} aria-hidden />}
                loading={switchTo.isPending && switchTo.variables === "add-administrator"}
                onClick={() => switchTo.mutate("add-administrator")}
              >
                Add Administrator
              </ActionButton>
            </Group>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Paper withBorder p="md" radius="md">
              <Text size="sm" c="dimmed" mb={6}>
                Access tags
              </Text>
              <TagBadges tags={sub.tags} />
            </Paper>
            <Paper withBorder p="md" radius="md">
              <Text size="sm" c="dimmed" mb={6}>
                Created
              </Text>
              <Text size="sm">{new Date(sub.created_at).toLocaleString()}</Text>
            </Paper>
          </SimpleGrid>
          <SubaccountDialog
            key={`${String(editing)}-${sub.name}-${sub.tags.join("\u0000")}`}
            account={sub}
            opened={editing}
            onClose={edit.close}
            onDeleted={() => navigate("/subaccounts")}
          />
        </>
      )}
    </DetailPage>
  );
}
