import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * A fresh clone has only what the repository holds: every link in the README and docs/ must lead
 * to a file in it (and to a heading of it, where the link names one), and every rule id the code
 * names must have its heading in docs/rules.md, where the panel's Rules page reads it.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const RULE_ID = /R-[A-Z]+-[0-9]+[a-z]?/g;

async function documents(): Promise<string[]> {
  const docs = (await readdir(path.join(ROOT, "docs"))).filter((file) => file.endsWith(".md"));
  return ["README.md", ...docs.map((file) => path.join("docs", file))];
}

/** The lines that are prose: fenced code blocks left out, inline code spans blanked. */
function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split("\n").flatMap((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return [];
    }
    return fenced ? [] : [line.replace(/`+[^`]*`+/g, "")];
  });
}

/** Inline links and images, `[text](target "title")`, and reference definitions, `[x]: target`. */
function linkTargets(markdown: string): string[] {
  return proseLines(markdown).flatMap((line) => {
    const inline = [...line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)];
    const reference = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
    return [...inline.map((match) => match[1] ?? ""), ...(reference?.[1] ? [reference[1]] : [])];
  });
}

/** GitHub's anchor for a heading: lowercased, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Every anchor a Markdown file offers; a repeated heading gets -1, -2 ... as on GitHub. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of markdown.split("\n").filter((text) => /^#{1,6}\s/.test(text))) {
    const base = slug(line.replace(/^#{1,6}\s+/, "").replace(/\s+#+\s*$/, ""));
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** Why a link from `from` (relative to the root) does not resolve in the repository, or undefined. */
async function brokenReason(from: string, target: string): Promise<string | undefined> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(target)?.[1]?.toLowerCase();
  if (scheme === "http" || scheme === "https" || scheme === "mailto") return undefined;
  if (scheme) return `a ${scheme}: link cannot be followed from a clone`;
  const [rawPath = "", anchor] = target.split("#", 2);
  // As on GitHub, a path with a leading slash starts at the repository's root.
  const base = rawPath.startsWith("/") ? ROOT : path.dirname(path.join(ROOT, from));
  const file = rawPath ? path.join(base, decodeURIComponent(rawPath)) : path.join(ROOT, from);
  const inside = path.relative(ROOT, file);
  if (inside.startsWith("..") || path.isAbsolute(inside)) return "it leads outside the repository";
  if (!existsSync(file)) return "no such file in the repository";
  if (anchor && file.endsWith(".md") && !anchors(await readFile(file, "utf8")).has(anchor))
    return `${inside} has no heading #${anchor}`;
  return undefined;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? sourceFiles(full) : Promise.resolve([full]);
    }),
  );
  return nested.flat();
}

describe("the documentation stands on its own in a clone", () => {
  it("issue 13 item 11: every relative link in README.md and docs/*.md resolves to a file (and heading) in the repository", async () => {
    const broken: string[] = [];
    let checked = 0;
    for (const document of await documents()) {
      for (const target of linkTargets(await readFile(path.join(ROOT, document), "utf8"))) {
        checked++;
        const reason = await brokenReason(document, target);
        if (reason) broken.push(`${document}: ${target} (${reason})`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });

  it("issue 13 item 11: the link check refuses what a clone cannot follow", async () => {
    expect(await brokenReason("README.md", "../shared/SPEC.md")).toBe(
      "it leads outside the repository",
    );
    expect(await brokenReason("docs/duo-api.md", "missing.md")).toBe(
      "no such file in the repository",
    );
    expect(await brokenReason("README.md", "docs/rules.md#no-such-rule")).toBe(
      "docs/rules.md has no heading #no-such-rule",
    );
    expect(await brokenReason("README.md", "https://example.com/anything")).toBeUndefined();
    expect(
      await brokenReason(
        "docs/duo-api.md",
        "rules.md#r-tag-2-which-subaccounts-an-administrator-can-reach",
      ),
    ).toBeUndefined();
  });

  it("issue 13 item 11: every rule id named in src/ has its heading in docs/rules.md (R-AUD-2)", async () => {
    const rules = await readFile(path.join(ROOT, "docs", "rules.md"), "utf8");
    const headings = rules
      .split("\n")
      .filter((line) => line.startsWith("### "))
      .map((line) => /^### (R-[A-Z]+-[0-9]+[a-z]?): \S/.exec(line)?.[1] ?? `malformed: ${line}`);
    expect(headings.filter((heading) => heading.startsWith("malformed"))).toEqual([]);
    expect(headings.filter((id, index) => headings.indexOf(id) !== index)).toEqual([]);

    const named = new Set<string>();
    for (const file of await sourceFiles(path.join(ROOT, "src")))
      for (const id of (await readFile(file, "utf8")).match(RULE_ID) ?? []) named.add(id);
    expect(named.size).toBeGreaterThan(0);
    expect([...named].filter((id) => !headings.includes(id)).sort()).toEqual([]);
  });
});
