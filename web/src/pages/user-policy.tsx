import { Anchor, Paper, Select, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "wouter";
import { api } from "../api/client.js";
import { useDecision } from "../api/decisions.js";
import { RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import { policyPath, SECTION_NAMES, type Sections, useNames } from "./policies-api.js";
import { SECTION_TITLES } from "./policy-sections.js";
import { SECTION_WORDS } from "./policy-words.js";
import type { User } from "./user-api.js";

interface Effective {
  policy: {
    [S in keyof Required<Sections>]: {
      value: Required<Sections>[S];
      from: { key: string; name: string; level: "global" | "application" | "group" };
    };
  };
}

const LEVEL_WORDS = {
  global: "the global policy",
  application: "the application's policy",
  group: "a policy for one of the user's groups",
} as const;

/**
 * Issue 16 item 4: what decides this user's next login to an application, setting by setting, and
 * which policy each setting comes from (R-POL-1). For those who work with policies (R-ROLE-2).
 */
export function UserPolicy({ user }: { user: User }) {
  const allowed = useDecision({ action: "policies:assign" }).data?.allow === true;
  const names = useNames();
  const [application, setApplication] = useState<string | null>(null);
  const effective = useQuery({
    queryKey: ["policies", "effective", user.id, application],
    queryFn: () =>
      api.get<Effective>(
        `/policies/effective?user_id=${encodeURIComponent(user.id)}&application_id=${encodeURIComponent(application ?? "")}`,
      ),
    enabled: allowed && application !== null,
  });
  if (!allowed) return null;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="user-policy">
      <Stack gap="sm">
        <Title order={3} id="user-policy">
          Policy on an application
        </Title>
        <Text size="sm" c="dimmed">
          <Explained rules={["R-POL-1", "R-POL-2"]}>
            What decides {user.username}&apos;s next login to an application, and which policy each
            setting comes from.
          </Explained>
        </Text>
        <Select
          label="Application"
          placeholder="Choose an application"
          searchable
          data={names.applications.map((app) => ({ value: app.id, label: app.name }))}
          value={application}
          onChange={setApplication}
          w={320}
        />
        {effective.isError ? (
          <RefusalBanner error={effective.error} title="The policy could not be worked out" />
        ) : null}
        {effective.data ? (
          <Table aria-label={`The policy on ${names.application(application ?? "")}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Setting</Table.Th>
                <Table.Th>What it does</Table.Th>
                <Table.Th>From</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {SECTION_NAMES.map((name) => {
                const section = effective.data.policy[name];
                const words = SECTION_WORDS[name] as (value: unknown) => string;
                return (
                  <Table.Tr key={name}>
                    <Table.Td>{SECTION_TITLES[name]}</Table.Td>
                    <Table.Td>{words(section.value)}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} href={policyPath(section.from.key)}>
                        {section.from.name}
                      </Anchor>{" "}
                      <Text span size="sm" c="dimmed">
                        ({LEVEL_WORDS[section.from.level]})
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        ) : null}
      </Stack>
    </Paper>
  );
}
