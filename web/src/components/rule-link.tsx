import { Anchor, Text } from "@mantine/core";
import { Fragment, type ReactNode } from "react";
import { Link } from "wouter";
import { splitRuleIds, takeRuleIds } from "../rules/ids.js";

/** The Rules page's address for a rule: its anchor there is the rule's id. */
export const ruleHref = (id: string) => `/rules#${encodeURIComponent(id)}`;

/** A rule's id as a small link to where the Rules page explains it. */
export function RuleLink({ id }: { id: string }) {
  return (
    <Anchor
      component={Link}
      href={ruleHref(id)}
      size="xs"
      underline="always"
      data-rule-link={id}
      title={`Read rule ${id} on the Rules page`}
    >
      {id}
    </Anchor>
  );
}

/** "Rule R-TAG-2" or "Rules R-TAG-2, R-TAG-4" after a sentence, each id a link; nothing without ids. */
export function RuleLinks({ ids }: { ids: readonly string[] }) {
  if (ids.length === 0) return null;
  return (
    <Text span size="xs" c="dimmed" data-testid="rule-links">
      {ids.length === 1 ? "Rule " : "Rules "}
      {ids.map((id, index) => (
        <Fragment key={id}>
          {index > 0 ? ", " : null}
          <RuleLink id={id} />
        </Fragment>
      ))}
    </Text>
  );
}

/**
 * A sentence from the server or the engine, in words: the rule ids it carries ("R-TAG-2: ..." or
 * "... (R-ADM-2)") are taken out and shown after it as links, with any the caller names too.
 */
export function SentenceWithRules({
  text,
  rules = [],
  size = "sm",
}: {
  text: string;
  rules?: readonly (string | undefined)[];
  size?: "xs" | "sm";
}) {
  const plain = takeRuleIds(text);
  const ids = [
    ...new Set([...rules.filter((id): id is string => id !== undefined), ...plain.rules]),
  ];
  return (
    <Text size={size} component="div">
      <TextWithRuleLinks text={plain.text} /> <RuleLinks ids={ids} />
    </Text>
  );
}

/** A help text in words with its rules after it, for a field's description or a note. */
export function Explained({ children, rules }: { children: ReactNode; rules: readonly string[] }) {
  return (
    <>
      {children} <RuleLinks ids={rules} />
    </>
  );
}

/** Text in which any rule id left mid-sentence is a link where it stands. */
export function TextWithRuleLinks({ text }: { text: string }) {
  return (
    <>
      {splitRuleIds(text).map((part, index) =>
        part.kind === "rule" ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text, in order
          <RuleLink key={index} id={part.id} />
        ) : (
          part.text
        ),
      )}
    </>
  );
}
