import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const DOMAIN = resolve(dirname(fileURLToPath(import.meta.url)), "../../src/domain");

// Type-only imports count too: a cycle of types still ties the modules' meanings together, and
// the next value import along it would make it a runtime cycle.
const RELATIVE_IMPORT = /\bfrom\s+"(\.{1,2}\/[^"]+)"/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** The domain's import graph: each file's relative imports that stay inside src/domain. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(DOMAIN)) {
    const targets = [...readFileSync(file, "utf8").matchAll(RELATIVE_IMPORT)]
      .map((match) => resolve(dirname(file), (match[1] ?? "").replace(/\.js$/, ".ts")))
      .filter((target) => target.startsWith(`${DOMAIN}/`));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/**
 * The files that import each other in a circle, grouped by strongly connected component (Tarjan):
 * linear in the graph's size, where listing every elementary cycle can grow exponentially.
 */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file) ?? 0);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        connect(next);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      component.push(member);
      if (member === file) break;
    }
    const selfImport = graph.get(file)?.includes(file) ?? false;
    if (component.length > 1 || selfImport) components.push(component.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) connect(file);
  return components;
}

describe("src/domain import graph", () => {
  it("issue 13 item 8: the domain's modules import each other in one direction, with no cycle", () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(20);
    const circles = cyclesOf(graph).map((files) => files.map((file) => relative(DOMAIN, file)));
    expect(circles, "files that import each other in a circle").toEqual([]);
  });

  it("issue 13 item 8: the detector finds a circle when there is one", () => {
    const graph = new Map([
      ["/a.ts", ["/b.ts"]],
      ["/b.ts", ["/c.ts"]],
      ["/c.ts", ["/a.ts", "/d.ts"]],
      ["/d.ts", ["/d.ts", "/e.ts"]],
      ["/e.ts", []],
    ]);
    expect(cyclesOf(graph)).toEqual([["/d.ts"], ["/a.ts", "/b.ts", "/c.ts"]]);
  });
});
