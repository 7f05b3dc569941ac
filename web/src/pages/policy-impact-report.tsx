import { Anchor, Paper, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { api } from "../api/client.js";
import { useSignedIn } from "../api/session.js";
import { RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import { plural, policyPath } from "./policies-api.js";
import { ImpactTable, type PolicyImpact } from "./policy-impact.js";

interface ImpactRecord {
  id: string;
  created_at: string;
  action: "policy_create" | "policy_update" | "policy_delete";
  policy: { key: string; name: string };
  actor: string;
  days: number;
  attempts: number | null;
  changed_attempts: number;
  changes: PolicyImpact["changes"];
}

const ACTION_WORDS = {
  policy_create: "created",
  policy_update: "changed",
  policy_delete: "deleted",
} as const;

/**
 * R-ROLE-3's Policy Impact report (R-POL-3 for changes already made): each saved policy change,
 * newest first, and who came out differently in the logins of the days before it; within a
 * restricted admin's units (R-UNIT-8g).
 */
export default function PolicyImpactReport() {
  const { account_id } = useSignedIn();
  const report = useQuery({
    queryKey: ["reports", "policy-impact", account_id],
    queryFn: () =>
      api.get<{ items: ImpactRecord[]; total: number }>("/reports/policy-impact?limit=50"),
  });
  return (
    <Stack gap="md">
      <div>
        <Title order={2}>Policy Impact</Title>
        <Text size="sm" c="dimmed" maw={680}>
          <Explained rules={["R-POL-3", "R-ROLE-3"]}>
            Every saved policy change, and the logins it changed: the days before it were decided
            again under the policies as they were and as the change left them.
          </Explained>
        </Text>
      </div>
      {report.isError ? (
        <RefusalBanner error={report.error} title="The report could not be read" />
      ) : null}
      {report.data?.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No policy has been changed yet.
        </Text>
      ) : null}
      {report.data?.items.map((record) => (
        <Paper key={record.id} withBorder p="md" radius="md" component="article">
          <Stack gap="xs">
            <Text size="sm">
              {new Date(record.created_at).toLocaleString()}: {record.actor}{" "}
              {ACTION_WORDS[record.action]} policy{" "}
              {record.action === "policy_delete" ? (
                `“${record.policy.name}”`
              ) : (
                <Anchor component={Link} href={policyPath(record.policy.key)}>
                  {record.policy.name}
                </Anchor>
              )}
              .{" "}
              {record.changed_attempts === 0
                ? `No login of the ${record.days} days before came out differently.`
                : `${plural(record.changed_attempts, "login")}${
                    record.attempts === null ? "" : ` of ${record.attempts.toLocaleString()}`
                  } in the ${record.days} days before came out differently.`}
            </Text>
            <ImpactTable changes={record.changes} />
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
