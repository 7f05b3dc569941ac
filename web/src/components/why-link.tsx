import { Anchor, Badge, Group, List, Loader, Popover, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { whyQuestion } from "../api/action-words.js";
import { type DecisionQuery, useDecision } from "../api/decisions.js";
import { RefusalBanner } from "./refusal.js";
import { SentenceWithRules } from "./rule-link.js";

/**
 * "Why?" beside a disabled action: opens the engine's explanation (POST /api/explain, R-AUD-2),
 * its sentence in words, the chain of facts behind it, and the rule that decided as a link. Its
 * accessible name is a question a person would ask: "Why can't I delete this user?".
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
          aria-label={label ?? whyQuestion(query)}
        >
          Why?
        </Anchor>
      </Popover.Target>
      <Popover.Dropdown aria-live="polite">
        {explanation.isPending ? (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">Finding out why…</Text>
          </Group>
        ) : explanation.isError ? (
          <RefusalBanner error={explanation.error} />
        ) : (
          <Stack gap="xs" data-testid="explanation">
            <Group gap="xs">
              <Badge color={explanation.data.allow ? "teal" : "red"} variant="light">
                {explanation.data.allow ? "Allowed" : "Denied"}
              </Badge>
            </Group>
            <SentenceWithRules text={explanation.data.reason} rules={[explanation.data.rule]} />
            {explanation.data.facts.length > 0 ? (
              <List size="xs" spacing={2}>
                {explanation.data.facts.map((fact) => (
                  <List.Item key={fact}>
                    <SentenceWithRules text={fact} size="xs" />
                  </List.Item>
                ))}
              </List>
            ) : null}
          </Stack>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
