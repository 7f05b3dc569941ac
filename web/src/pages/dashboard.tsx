import {
  Alert,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, lazy, Suspense, useState } from "react";
import { api } from "../api/client.js";
import { useDecision } from "../api/decisions.js";
import { useSignedIn } from "../api/session.js";
import { type Dashboard, EDITIONS, type Edition } from "../api/types.js";
import { AccountBadges } from "../components/account-badges.js";
import { SWITCHER_KEY } from "../components/account-switcher.js";
import { ActionButton } from "../components/action-button.js";
import { type ModelChange, PreviewButton } from "../components/change-preview.js";
import { DialogActions } from "../components/dialog-actions.js";
import { PageSkeleton } from "../components/page-skeleton.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";

const dashboardKey = (accountId: string) => ["dashboard", accountId] as const;

/** The activity chart, its own chunk: loaded only for viewers of the Authentication Log (R-ROLE-3). */
const AuthenticationActivityCard = lazy(() => import("./dashboard-activity.js"));

function Count({ label, value }: { label: string; value: number }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={`count-${label.toLowerCase()}`}>
        {value.toLocaleString()}
      </Text>
    </Paper>
  );
}

/** The change an Owner previews (R-PLAN-1..3: a Free edition makes every admin an Owner there). */
function editionChange(dashboard: Dashboard, edition: Edition): ModelChange | undefined {
  if (edition === dashboard.edition) return undefined;
  return dashboard.is_subaccount
    ? { kind: "subaccount", accountId: dashboard.id, edition }
    : { kind: "parent", edition };
}

/** R-TEN-4, R-PLAN-2: the plan edition, changed in a dialog (Owners; the engine decides). */
function EditionDialog({
  dashboard,
  opened,
  onClose,
}: {
  dashboard: Dashboard;
  opened: boolean;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [edition, setEdition] = useState<Edition>(dashboard.edition);
  const change = useMutation({
    mutationFn: () => api.put<Dashboard>("/account/edition", { edition }),
    meta: { inline: true },
    onSuccess: (updated) => {
      client.setQueryData(dashboardKey(updated.id), updated);
      void client.invalidateQueries({ queryKey: SWITCHER_KEY });
      // The edition changes what every admin may do here (R-PLAN-1, R-PLAN-3): ask the engine
      // again, for the navigation (decisions) and for each action (explain).
      void client.invalidateQueries({ queryKey: ["decisions"] });
      void client.invalidateQueries({ queryKey: ["explain"] });
      notifyDone(`${updated.name} is now on ${updated.edition}`);
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Change plan edition">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <RefusalBanner error={change.error} />
          <Select
            label="Edition"
            data={EDITIONS.map((value) => ({ value, label: value }))}
            value={edition}
            onChange={(value) => value && setEdition(value as Edition)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <Text size="sm" c="dimmed">
            A downgrade keeps every role, tag and unit; they apply again when the account moves back
            up.
          </Text>
          <DialogActions
            onCancel={onClose}
            label="Save"
            loading={change.isPending}
            disabled={edition === dashboard.edition}
            extra={<PreviewButton change={editionChange(dashboard, edition)} />}
          />
        </Stack>
      </form>
    </Modal>
  );
}

/** The Dashboard of the account the session acts in: name, edition, NFR, counts, and R-ROLE-9's warning. */
export default function DashboardPage() {
  const session = useSignedIn();
  const [editing, { open, close }] = useDisclosure(false);
  const seesActivity =
    useDecision({ action: "reports:view_authentication_log" }).data?.allow === true;
  const dashboard = useQuery({
    queryKey: dashboardKey(session.account_id),
    queryFn: () => api.get<Dashboard>("/account"),
  });
  if (dashboard.isPending) return <PageSkeleton />;
  if (dashboard.isError)
    return <RefusalBanner error={dashboard.error} title="The Dashboard is not available" />;
  const account = dashboard.data;
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{account.name}</Title>
          <AccountBadges
            edition={account.edition}
            nfr={account.nfr}
            isSubaccount={account.is_subaccount}
          />
        </div>
        <ActionButton query={{ action: "edition:change" }} variant="default" onClick={open}>
          Change edition
        </ActionButton>
      </Group>
      {account.owner_warning ? (
        <Alert
          color="yellow"
          variant="light"
          title={account.active_owners === 1 ? "Only one active Owner" : "No active Owner"}
          icon={<IconAlertTriangle aria-hidden />}
          data-testid="owner-warning"
        >
          <Text size="sm">
            <Explained rules={["R-ROLE-9"]}>
              {account.active_owners === 1
                ? "This account has only one active Owner."
                : "This account has no active Owner."}{" "}
              Add a second Owner so that the account is not locked out if one leaves.
            </Explained>
          </Text>
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }}>
        <Count label="Users" value={account.counts.users} />
        <Count label="Groups" value={account.counts.groups} />
        <Count label="Applications" value={account.counts.applications} />
        <Count label="Administrators" value={account.counts.admins} />
        {account.is_subaccount ? null : (
          <Count label="Subaccounts" value={account.counts.subaccounts} />
        )}
      </SimpleGrid>
      {seesActivity ? (
        <Suspense fallback={<Skeleton height={300} radius="md" />}>
          <AuthenticationActivityCard />
        </Suspense>
      ) : null}
      <EditionDialog key={String(editing)} dashboard={account} opened={editing} onClose={close} />
    </Stack>
  );
}
