import { Alert, Anchor, Code, List, Paper, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo } from "react";
import { Link } from "wouter";
import { splitRuleIds } from "../rules/ids.js";
import { type Block, type Inline, parseRules, type Rule } from "../rules/parse.js";

/**
 * docs/rules.md, bundled as text into this page's own chunk (so the first page load stays small).
 * Globbed rather than imported, so that a tree without the file still builds: the page then says so.
 */
const RULES_FILES = import.meta.glob<string>("../../../docs/rules.md", {
  query: "?raw",
  import: "default",
});

async function loadRules(): Promise<string | null> {
  const load = Object.values(RULES_FILES)[0];
  return load ? load() : null;
}

/** Words of a rule's text; any rule id in them is a link to that rule on this page. */
function Words({ text }: { text: string }) {
  return (
    <>
      {splitRuleIds(text).map((part, index) =>
        part.kind === "rule" ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text, in order
          <Anchor key={index} href={`#${part.id}`} underline="always" data-rule-link={part.id}>
            {part.id}
          </Anchor>
        ) : (
          part.text
        ),
      )}
    </>
  );
}

function InlineText({ parts }: { parts: Inline[] }) {
  return (
    <>
      {parts.map((part, index) => {
        const key = `${index}-${part.kind}`;
        switch (part.kind) {
          case "bold":
            return (
              <strong key={key}>
                <Words text={part.text} />
              </strong>
            );
          case "italic":
            return (
              <em key={key}>
                <Words text={part.text} />
              </em>
            );
          case "code":
            return <Code key={key}>{part.text}</Code>;
          case "link":
            // Links within the page and to the web work here; a path into the repository does not.
            return part.href.startsWith("#") || /^https?:\/\//.test(part.href) ? (
              <Anchor key={key} href={part.href} underline="always">
                {part.text}
              </Anchor>
            ) : (
              <Words key={key} text={part.text} />
            );
          default:
            return <Words key={key} text={part.text} />;
        }
      })}
    </>
  );
}

function Blocks({ blocks }: { blocks: Block[] }) {
  return (
    <>
      {blocks.map((block, index) => {
        const key = `${index}-${block.kind}`;
        if (block.kind === "list") {
          return (
            <List key={key} type={block.ordered ? "ordered" : "unordered"} size="sm" spacing={4}>
              {block.items.map((item, itemIndex) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the items of one fixed list, in order
                <List.Item key={itemIndex}>
                  <InlineText parts={item} />
                </List.Item>
              ))}
            </List>
          );
        }
        if (block.kind === "heading")
          return (
            <Text key={key} size="sm" fw={700}>
              <InlineText parts={block.inline} />
            </Text>
          );
        return (
          <Text key={key} size="sm">
            <InlineText parts={block.inline} />
          </Text>
        );
      })}
    </>
  );
}

function RuleEntry({ rule }: { rule: Rule }) {
  return (
    <Paper
      component="article"
      withBorder
      p="md"
      radius="md"
      id={rule.id}
      aria-labelledby={`${rule.id}-title`}
      style={{ scrollMarginTop: 80 }}
    >
      <Stack gap={6}>
        <Title order={4} id={`${rule.id}-title`}>
          <Anchor href={`#${rule.id}`} c="dimmed" size="sm" mr={8} data-rule-link={rule.id}>
            {rule.id}
          </Anchor>
          {rule.title}
        </Title>
        <Blocks blocks={rule.blocks} />
      </Stack>
    </Paper>
  );
}

/** Brings the rule the address names into view once the page is drawn, and on every later #id. */
function useScrollToHash(ready: boolean) {
  useEffect(() => {
    if (!ready) return;
    const scroll = () => {
      const id = decodeURIComponent(window.location.hash.slice(1));
      if (id) document.getElementById(id)?.scrollIntoView({ block: "start" });
    };
    scroll();
    window.addEventListener("hashchange", scroll);
    return () => window.removeEventListener("hashchange", scroll);
  }, [ready]);
}

/**
 * The Rules page: the project's rules (docs/rules.md) in its own words, one anchor per rule, so
 * that every rule id the panel shows links to `/rules#R-TAG-2` and lands on its explanation.
 */
export default function RulesPage({ signedIn }: { signedIn: boolean }) {
  const text = useQuery({ queryKey: ["rules-text"], queryFn: loadRules, staleTime: Infinity });
  const parsed = useMemo(() => (text.data ? parseRules(text.data) : undefined), [text.data]);
  useScrollToHash(parsed !== undefined);
  return (
    <Stack gap="lg" maw={860}>
      <div>
        <Title order={2}>{parsed?.title ?? "Rules"}</Title>
        <Text size="sm" c="dimmed">
          What Gatehouse allows and refuses, and why. Each rule has an id; the panel shows it as a
          link to this page wherever a rule decided something.
          {signedIn ? null : (
            <>
              {" "}
              <Anchor component={Link} href="/sign-in" underline="always">
                Sign in
              </Anchor>
            </>
          )}
        </Text>
      </div>
      {text.isPending ? <Text size="sm">Loading the rules…</Text> : null}
      {text.data === null ? (
        <Alert color="yellow" variant="light" title="The rules are not in this build">
          The panel was built without docs/rules.md. Build it again from a complete copy of the
          project.
        </Alert>
      ) : null}
      {parsed ? (
        <>
          <Blocks blocks={parsed.blocks} />
          <nav aria-label="Sections">
            <List size="sm" spacing={2}>
              {parsed.sections.map((section) => (
                <List.Item key={section.slug}>
                  <Anchor href={`#${section.slug}`}>{section.title}</Anchor>
                </List.Item>
              ))}
            </List>
          </nav>
          {parsed.sections.map((section) => (
            <Stack key={section.slug} gap="sm" component="section" aria-labelledby={section.slug}>
              <Title order={3} id={section.slug} style={{ scrollMarginTop: 80 }}>
                {section.title}
              </Title>
              <Blocks blocks={section.blocks} />
              {section.rules.map((rule) => (
                <RuleEntry key={rule.id} rule={rule} />
              ))}
            </Stack>
          ))}
        </>
      ) : null}
    </Stack>
  );
}
