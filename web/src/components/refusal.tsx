import { Alert, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle } from "@tabler/icons-react";
import { ApiError } from "../api/client.js";
import { takeRuleIds } from "../rules/ids.js";
import { RuleLinks, TextWithRuleLinks } from "./rule-link.js";

/**
 * What a failure says to an admin: the server's sentence and its reason in words, and the rules
 * behind them (R-AUD-2) apart, as links to the Rules page.
 */
export interface Refusal {
  title: string;
  message: string;
  rules: string[];
  reason: string | undefined;
}

const TITLES: Record<string, string> = {
  forbidden: "Not allowed",
  invalid: "Check the form",
  conflict: "Conflict",
  not_found: "Not found",
  unauthorized: "Not signed in",
  rate_limited: "Too many attempts",
  csrf: "Request refused",
  network: "Server unreachable",
};

/** The server's message is often the reason itself, or "<rule>: <reason>": say it once. */
function repeats(message: string, error: ApiError): boolean {
  return (
    message === error.reason ||
    (error.rule !== undefined && message === `${error.rule}: ${error.reason}`) ||
    (error.reason !== undefined && message.endsWith(error.reason))
  );
}

export function describeRefusal(error: unknown): Refusal {
  if (error instanceof ApiError) {
    const message = takeRuleIds(error.message);
    const reason =
      error.reason && !repeats(error.message, error) ? takeRuleIds(error.reason) : undefined;
    const rules = [error.rule, ...message.rules, ...(reason?.rules ?? [])].filter(
      (rule): rule is string => rule !== undefined,
    );
    return {
      title: TITLES[error.code] ?? "The server refused",
      message: message.text,
      rules: [...new Set(rules)],
      reason: reason?.text || undefined,
    };
  }
  return {
    title: "Something went wrong",
    message: error instanceof Error ? error.message : String(error),
    rules: [],
    reason: undefined,
  };
}

function RefusalText({ refusal }: { refusal: Refusal }) {
  return (
    <Stack gap={4}>
      <Text size="sm">
        <TextWithRuleLinks text={refusal.message} />
      </Text>
      {refusal.reason ? (
        <Text size="sm">
          <TextWithRuleLinks text={refusal.reason} />
        </Text>
      ) : null}
      <RuleLinks ids={refusal.rules} />
    </Stack>
  );
}

/** A refusal shown in place, where the page or form that was refused is. Renders nothing without an error. */
export function RefusalBanner({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const refusal = describeRefusal(error);
  return (
    <Alert
      role="alert"
      color="red"
      variant="light"
      title={title ?? refusal.title}
      icon={<IconAlertTriangle aria-hidden />}
      data-testid="refusal"
    >
      <RefusalText refusal={refusal} />
    </Alert>
  );
}

/** A refusal as a toast: for actions whose form is already gone (a menu item, a switch). */
export function notifyRefusal(error: unknown): void {
  const refusal = describeRefusal(error);
  notifications.show({
    color: "red",
    title: refusal.title,
    message: <RefusalText refusal={refusal} />,
    autoClose: 10_000,
    closeButtonProps: { "aria-label": "Dismiss" },
  });
}

export function notifyDone(message: string): void {
  notifications.show({
    color: "teal",
    message,
    autoClose: 4_000,
    closeButtonProps: { "aria-label": "Dismiss" },
  });
}
