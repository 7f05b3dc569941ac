import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconArrowLeft, IconSwitchHorizontal } from "@tabler/icons-react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Link, useLocation, useParams } from "wouter";
import { ApiError, api } from "../api/client.js";
import { useResetData, useSignedIn } from "../api/session.js";
import type { Switcher } from "../api/types.js";
import { ActionButton } from "../components/action-button.js";
import { PageSkeleton } from "../components/page-skeleton.js";
import { notifyRefusal, RefusalBanner } from "../components/refusal.js";
import type { Subaccount } from "./subaccount-data.js";
import { SubaccountDialog } from "./subaccount-dialog.js";
import { TagBadges } from "./subaccount-tags.js";

function BackLink() {
  return (
    <Anchor component={Link} href="/subaccounts" size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        Accounts
      </Group>
    </Anchor>
  );
}

/** R-TAG-2's refusal: the account exists, and the admin shares no tag with it. */
function isNoAccess(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && error.rule === "R-TAG-2";
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
  const switchTo = useMutation({
    mutationFn: () => api.post<Switcher>("/switcher", { account_id: id }),
    onSuccess: async () => {
      await resetData();
      navigate("/");
    },
    onError: notifyRefusal,
    meta: { inline: true },
  });

  if (account.isPending) return <PageSkeleton />;
  if (account.isError)
    return (
      <Stack gap="md">
        <BackLink />
        {isNoAccess(account.error) ? (
          <Stack gap="xs" data-testid="no-access">
            <RefusalBanner error={account.error} title="You don't have access to this subaccount" />
            <Text size="sm" c="dimmed">
              The Accounts page lists every subaccount, but one can be opened only by Owners and by
              administrators who share an access tag with it, or when it has none (R-TAG-4,
              R-TAG-2). An Owner can add one of your tags to it, or one of its tags to you.
            </Text>
          </Stack>
        ) : (
          <RefusalBanner error={account.error} title="This subaccount cannot be shown" />
        )}
      </Stack>
    );

  const sub = account.data;
  return (
    <Stack gap="lg">
      <BackLink />
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{sub.name}</Title>
          <Group gap="xs" mt={6}>
            <Badge variant="light">{sub.edition}</Badge>
            {sub.nfr ? (
              <Badge variant="light" color="grape">
                NFR
              </Badge>
            ) : null}
            <Badge variant="outline" color="gray">
              Subaccount
            </Badge>
          </Group>
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
            loading={switchTo.isPending}
            onClick={() => switchTo.mutate()}
          >
            Switch to this account
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
    </Stack>
  );
}
