import { Alert, Group, Paper, Stack, Switch, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.js";
import { useDecision } from "../api/decisions.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { WhyLink } from "../components/why-link.js";
import { APPLICATIONS_KEY, type Application, applicationKey } from "./application-api.js";

/**
 * A UNIX application's "Legacy Unix clients" switch, off by default, with its risk beside it:
 * duo_unix before 2.2 signs requests without a date (Duo's v1 signature), so a request someone
 * captures can be sent again later. Changing it is editing the application (R-ROLE-2, R-UNIT-8c).
 */
export function LegacyUnixClients({ application }: { application: Application }) {
  const client = useQueryClient();
  const query = {
    action: "applications:update",
    object: { kind: "application", id: application.id },
  } as const;
  const allowed = useDecision(query).data?.allow === true;
  const save = useMutation({
    mutationFn: (on: boolean) =>
      api.patch<Application>(`/applications/${application.id}`, { legacy_unix_clients: on }),
    meta: { inline: true },
    onSuccess: (saved) => {
      client.setQueryData(applicationKey(saved.id), saved);
      void client.invalidateQueries({ queryKey: APPLICATIONS_KEY });
      notifyDone(
        saved.legacy_unix_clients
          ? `Legacy Unix clients are now accepted by ${saved.name}`
          : `Legacy Unix clients are now refused by ${saved.name}`,
      );
    },
  });
  // While a change is saving, the switch shows it; a refusal puts it back.
  const on = save.isPending ? (save.variables ?? false) : application.legacy_unix_clients;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="legacy-unix">
      <Stack gap="sm">
        <Title order={3} size="h4" id="legacy-unix">
          Unix clients
        </Title>
        <Group gap="xs">
          <Switch
            label="Legacy Unix clients (duo_unix before 2.2)"
            description="Lets login_duo and pam_duo older than 2.2, such as those Debian and Ubuntu ship, log users in."
            checked={on}
            disabled={!allowed || save.isPending}
            onChange={(event) => save.mutate(event.currentTarget.checked)}
          />
          {allowed ? null : <WhyLink query={query} />}
        </Group>
        <Alert
          color={on ? "orange" : "gray"}
          variant="light"
          title="The risk"
          data-testid="legacy-risk"
        >
          <Text size="sm">
            These older clients sign their requests without a date, so someone who captures one
            request can send it again later. Gatehouse limits the harm: every passcode works only
            once, so a replayed login attempt does not let anyone in. Prefer upgrading the clients
            to duo_unix 2.2 or newer and leaving this off.
          </Text>
        </Alert>
        <RefusalBanner error={save.error} />
      </Stack>
    </Paper>
  );
}
