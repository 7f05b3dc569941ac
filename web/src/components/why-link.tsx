import { Anchor, Badge, Group, List, Loader, Popover, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { type DecisionQuery, useDecision } from "../api/decisions.js";
import { RefusalBanner } from "./refusal.js";

/**
 * "Why?" beside a disabled action: opens the engine's explanation (POST /api/explain, R-AUD-2),
 * the rule that decided, its sentence and the chain of facts behind it.
 */
export function WhyLink({ query, label }: { query: DecisionQuery; label?: string }) {
  const [opened, { close, toggle }] = useDisclosure(false);
  const explanation = useDecision(query, opened);
  return (
    <Popover
      opened={opened}
      onChange={(next) => (next ? undefined : close())}
      width={360}
      withArrow
      shadow="md"
      trapFocus
      returnFocus
    >
      <Popover.Target>
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={toggle}
          aria-expanded={opened}
          aria-label={label ?? `Why can't I ${query.action.replace(/[:_]/g, " ")}?`}
        >
          Why?
        </Anchor>
      </Popover.Target>
      <Popover.Dropdown aria-live="polite">
        {explanation.isPending ? (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">Asking the engine…</Text>
          </Group>
        ) : explanation.isError ? (
          <RefusalBanner error={explanation.error} />
        ) : (
          <Stack gap="xs" data-testid="explanation">
            <Group gap="xs">
              <Badge color={explanation.data.allow ? "teal" : "red"} variant="light">
                {explanation.data.allow ? "Allowed" : "Denied"}
              </Badge>
              <Text size="sm" fw={600}>
                Rule {explanation.data.rule}
              </Text>
            </Group>
            <Text size="sm">{explanation.data.reason}</Text>
            {explanation.data.facts.length > 0 ? (
              <List size="xs" spacing={2}>
                {explanation.data.facts.map((fact) => (
                  <List.Item key={fact}>{fact}</List.Item>
                ))}
              </List>
            ) : null}
          </Stack>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
