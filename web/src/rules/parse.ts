import { RULE_ID } from "./ids.js";

/**
 * docs/rules.md, read for the panel's Rules page. The file's format is small and fixed: an optional
 * `# Title` and opening paragraphs, `## Section` headings, and under them one `### R-XXX-N: title`
 * heading per rule followed by paragraphs and `- ` bullet lines, with `**bold**`, `*italic*`,
 * `` `code` `` and `[text](address)` inside. Anything else is kept as plain paragraph text, so a
 * line the parser does not know is shown rather than lost.
 */

export type Inline =
  | { kind: "text"; text: string }
  | { kind: "bold"; text: string }
  | { kind: "italic"; text: string }
  | { kind: "code"; text: string }
  | { kind: "link"; text: string; href: string };

export type Block =
  | { kind: "paragraph"; inline: Inline[] }
  | { kind: "list"; ordered: boolean; items: Inline[][] }
  | { kind: "heading"; inline: Inline[] };

export interface Rule {
  /** As written, e.g. "R-TAG-2": the page's anchor for the rule. */
  id: string;
  title: string;
  blocks: Block[];
}

export interface Section {
  title: string;
  /** The section's anchor: its title in lower case, words joined by dashes. */
  slug: string;
  /** Paragraphs between the section heading and its first rule. */
  blocks: Block[];
  rules: Rule[];
}

export interface RulesDocument {
  title: string | undefined;
  /** Paragraphs before the first section. */
  blocks: Block[];
  sections: Section[];
}

const RULE_HEADING = new RegExp(`^###\\s+(${RULE_ID.source})\\b\\s*[:.\\u2013\\u2014-]?\\s*(.*)$`);
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;
const INLINE = /\*\*(.+?)\*\*|\*([^*\s](?:[^*]*[^*\s])?)\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;

export function slugOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export function parseInline(text: string): Inline[] {
  const parts: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) parts.push({ kind: "text", text: text.slice(last, match.index) });
    const [, bold, italic, code, linkText, href] = match;
    if (bold !== undefined) parts.push({ kind: "bold", text: bold });
    else if (italic !== undefined) parts.push({ kind: "italic", text: italic });
    else if (code !== undefined) parts.push({ kind: "code", text: code });
    else if (linkText !== undefined && href !== undefined)
      parts.push({ kind: "link", text: linkText, href });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}

/** Collects the lines under one heading into paragraphs and lists. */
class BlockCollector {
  readonly blocks: Block[] = [];
  private paragraph: string[] = [];
  private list: { ordered: boolean; items: string[] } | undefined;

  line(line: string): void {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const item = bullet ?? numbered;
    if (line.trim() === "") {
      this.flush();
    } else if (item?.[1] !== undefined) {
      this.flushParagraph();
      const ordered = numbered !== null;
      if (this.list && this.list.ordered !== ordered) this.flushList();
      this.list ??= { ordered, items: [] };
      this.list.items.push(item[1].trim());
    } else if (this.list && /^\s/.test(line)) {
      // An indented line continues the bullet above it.
      const items = this.list.items;
      items[items.length - 1] = `${items[items.length - 1] ?? ""} ${line.trim()}`;
    } else {
      this.flushList();
      this.paragraph.push(line.trim());
    }
  }

  heading(text: string): void {
    this.flush();
    this.blocks.push({ kind: "heading", inline: parseInline(text) });
  }

  flush(): void {
    this.flushParagraph();
    this.flushList();
  }

  private flushParagraph(): void {
    if (this.paragraph.length === 0) return;
    this.blocks.push({ kind: "paragraph", inline: parseInline(this.paragraph.join(" ")) });
    this.paragraph = [];
  }

  private flushList(): void {
    if (!this.list) return;
    this.blocks.push({
      kind: "list",
      ordered: this.list.ordered,
      items: this.list.items.map(parseInline),
    });
    this.list = undefined;
  }
}

export function parseRules(markdown: string): RulesDocument {
  const document: RulesDocument = { title: undefined, blocks: [], sections: [] };
  let collector = new BlockCollector();
  let target: Block[] = document.blocks;
  const close = () => {
    collector.flush();
    target.push(...collector.blocks);
    collector = new BlockCollector();
  };
  let section: Section | undefined;
  let inFence = false;
  for (const raw of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    if (/^\s*```/.test(raw)) {
      // A fenced block's lines are shown as text; its fences are not.
      inFence = !inFence;
      continue;
    }
    const line = inFence ? `    ${raw}` : raw;
    const rule = inFence ? null : RULE_HEADING.exec(line);
    if (!inFence && /^#\s+/.test(line) && document.title === undefined && !section) {
      close();
      document.title = line.replace(/^#\s+/, "").trim();
    } else if (!inFence && /^##\s+/.test(line)) {
      close();
      const title = line.replace(/^##\s+/, "").trim();
      section = { title, slug: slugOf(title), blocks: [], rules: [] };
      document.sections.push(section);
      target = section.blocks;
    } else if (rule?.[1] !== undefined) {
      close();
      const parsed: Rule = { id: rule[1], title: (rule[2] ?? "").trim(), blocks: [] };
      if (!section) {
        section = { title: "Rules", slug: "rules", blocks: [], rules: [] };
        document.sections.push(section);
      }
      section.rules.push(parsed);
      target = parsed.blocks;
    } else if (!inFence && /^#{1,6}\s+/.test(line)) {
      collector.heading(line.replace(/^#{1,6}\s+/, "").trim());
    } else {
      collector.line(line);
    }
  }
  close();
  return document;
}
