import { Button, type ButtonProps, Group, Skeleton } from "@mantine/core";
import type { ReactNode } from "react";
import { type DecisionQuery, useDecision } from "../api/decisions.js";
import { WhyLink } from "./why-link.js";

interface ActionButtonProps extends Omit<ButtonProps, "disabled"> {
  /** The action the button performs, as the engine names it, and its object if any. */
  query: DecisionQuery;
  onClick: () => void;
  children: ReactNode;
  /** Disabled for a reason of the page's own (nothing to save yet), whatever the engine says. */
  disabled?: boolean;
}

/**
 * A button offered only as the engine decides: enabled when allowed; disabled with a "Why?" link
 * when denied. While the decision loads, a skeleton of the same size keeps the layout still.
 */
export function ActionButton({
  query,
  onClick,
  children,
  disabled = false,
  ...props
}: ActionButtonProps) {
  const decision = useDecision(query);
  if (decision.isPending) return <Skeleton height={36} width={140} radius="sm" />;
  const allowed = decision.data?.allow === true;
  return (
    <Group gap="xs" wrap="nowrap">
      <Button {...props} disabled={!allowed || disabled} onClick={allowed ? onClick : undefined}>
        {children}
      </Button>
      {allowed ? null : <WhyLink query={query} />}
    </Group>
  );
}
