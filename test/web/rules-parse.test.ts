import { describe, expect, it } from "vitest";
import { splitRuleIds, takeRuleIds } from "../../web/src/rules/ids.js";
import { parseInline, parseRules } from "../../web/src/rules/parse.js";

/** docs/rules.md's format, as the Rules page reads it. */
const FIXTURE = `# Gatehouse rules

These are the rules the product follows.

## Access tags

Tags decide who opens a subaccount.

### R-TAG-1: Tags are case-sensitive names

Access tags are names. **Capitals count**: "Gov" and "gov" are two tags.

A second paragraph,
on two lines.

### R-TAG-2: Who can open a subaccount

An administrator can open a subaccount when:
- they are an *Owner*, or
- it has no tags, or
  any tag at all is missing
- they share a tag with it (see R-TAG-1).

## Administrative units

### R-UNIT-8a: Users in scope

The members of the unit's groups, \`all users\` where the unit says so. See [the tags](#R-TAG-1).
`;

describe("issue 13 item 7: the Rules page's reading of docs/rules.md", () => {
  it("issue 13 item 7: sections, one entry per rule with its id and title, paragraphs and bullets", () => {
    const document = parseRules(FIXTURE);
    expect(document.title).toBe("Gatehouse rules");
    expect(document.blocks).toEqual([
      {
        kind: "paragraph",
        inline: [{ kind: "text", text: "These are the rules the product follows." }],
      },
    ]);
    expect(document.sections.map((section) => [section.title, section.slug])).toEqual([
      ["Access tags", "access-tags"],
      ["Administrative units", "administrative-units"],
    ]);
    const [tags, units] = document.sections;
    expect(tags?.blocks).toHaveLength(1);
    expect(tags?.rules.map((rule) => [rule.id, rule.title])).toEqual([
      ["R-TAG-1", "Tags are case-sensitive names"],
      ["R-TAG-2", "Who can open a subaccount"],
    ]);
    expect(units?.rules.map((rule) => rule.id)).toEqual(["R-UNIT-8a"]);

    const first = tags?.rules[0];
    expect(first?.blocks).toEqual([
      {
        kind: "paragraph",
        inline: [
          { kind: "text", text: "Access tags are names. " },
          { kind: "bold", text: "Capitals count" },
          { kind: "text", text: ': "Gov" and "gov" are two tags.' },
        ],
      },
      {
        kind: "paragraph",
        inline: [{ kind: "text", text: "A second paragraph, on two lines." }],
      },
    ]);
    const second = tags?.rules[1];
    expect(second?.blocks[0]?.kind).toBe("paragraph");
    expect(second?.blocks[1]).toEqual({
      kind: "list",
      ordered: false,
      items: [
        [
          { kind: "text", text: "they are an " },
          { kind: "italic", text: "Owner" },
          { kind: "text", text: ", or" },
        ],
        [{ kind: "text", text: "it has no tags, or any tag at all is missing" }],
        [{ kind: "text", text: "they share a tag with it (see R-TAG-1)." }],
      ],
    });
    expect(units?.rules[0]?.blocks).toEqual([
      {
        kind: "paragraph",
        inline: [
          { kind: "text", text: "The members of the unit's groups, " },
          { kind: "code", text: "all users" },
          { kind: "text", text: " where the unit says so. See " },
          { kind: "link", text: "the tags", href: "#R-TAG-1" },
          { kind: "text", text: "." },
        ],
      },
    ]);
  });

  it("issue 13 item 7: a rule heading without a title, and lines it does not know, are kept", () => {
    const document = parseRules("### R-ADM-5\nText before any section.\n#### A note\nMore.");
    expect(document.sections).toHaveLength(1);
    const rule = document.sections[0]?.rules[0];
    expect(rule).toMatchObject({ id: "R-ADM-5", title: "" });
    expect(rule?.blocks.map((block) => block.kind)).toEqual(["paragraph", "heading", "paragraph"]);
  });

  it("issue 13 item 7: an asterisk that is not emphasis stays text", () => {
    expect(parseInline("2 * 3 is six")).toEqual([{ kind: "text", text: "2 * 3 is six" }]);
  });
});

describe("issue 13 item 7: rule ids taken out of the panel's sentences", () => {
  it("issue 13 item 7: a leading id and parenthesised ids become links, the sentence stays words", () => {
    expect(takeRuleIds("R-TAG-2: subaccount Acme has tags [Gov]; you have [EU]")).toEqual({
      text: "Subaccount Acme has tags [Gov]; you have [EU]",
      rules: ["R-TAG-2"],
    });
    expect(takeRuleIds("They become Active by activating (R-ADM-2).")).toEqual({
      text: "They become Active by activating.",
      rules: ["R-ADM-2"],
    });
    expect(takeRuleIds("R-SUB-1, R-SUB-7: a role (rule R-UNIT-8a) here")).toEqual({
      text: "A role here",
      rules: ["R-SUB-1", "R-SUB-7", "R-UNIT-8a"],
    });
    expect(takeRuleIds("Nothing to take")).toEqual({ text: "Nothing to take", rules: [] });
    // A field's error keeps its own first letter: only a sentence that lost its leading id changes.
    expect(takeRuleIds("must be a whole number (R-ADM-2)")).toEqual({
      text: "must be a whole number",
      rules: ["R-ADM-2"],
    });
  });

  it("issue 13 item 7: an id mid-sentence is split out where it stands", () => {
    expect(splitRuleIds("see R-TAG-1 and R-UNIT-8a.")).toEqual([
      { kind: "text", text: "see " },
      { kind: "rule", id: "R-TAG-1" },
      { kind: "text", text: " and " },
      { kind: "rule", id: "R-UNIT-8a" },
      { kind: "text", text: "." },
    ]);
  });
});
