import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isStale } from "../../scripts/build-state.js";

/**
 * bin/gatehouse.js serves dist/ only while it is current and otherwise runs src/ through tsx, so
 * this decision is what keeps a compiled start fast without ever serving code older than src/.
 */
describe("issue 13 item 13: when the compiled server is current", () => {
  let root: string;
  let stamp: string;
  let sources: string;
  const at = (seconds: number) => new Date(1_700_000_000_000 + seconds * 1000);

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "gatehouse-build-state-"));
    sources = path.join(root, "src");
    stamp = path.join(root, "dist", ".built");
    await mkdir(path.join(sources, "db"), { recursive: true });
    await writeFile(path.join(sources, "db", "migrate.ts"), "");
    await mkdir(path.dirname(stamp));
    for (const entry of [path.join(sources, "db", "migrate.ts"), path.join(sources, "db"), sources])
      await utimes(entry, at(0), at(0));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  async function built(seconds: number) {
    await writeFile(stamp, "");
    await utimes(stamp, at(seconds), at(seconds));
  }

  it("issue 13 item 13: a missing build is stale", async () => {
    expect(await isStale(stamp, [sources])).toBe(true);
  });

  it("issue 13 item 13: a build newer than every source is current", async () => {
    await built(10);
    expect(await isStale(stamp, [sources])).toBe(false);
  });

  it("issue 13 item 13: a source edited after the build started makes it stale, however deep", async () => {
    await built(10);
    await utimes(path.join(sources, "db", "migrate.ts"), at(11), at(11));
    expect(await isStale(stamp, [sources])).toBe(true);
  });

  it("issue 13 item 13: a deleted or added source makes it stale through its folder", async () => {
    await built(10);
    await utimes(path.join(sources, "db"), at(12), at(12));
    expect(await isStale(stamp, [sources])).toBe(true);
  });

  it("issue 13 item 13: a source that does not exist counts for nothing", async () => {
    await built(10);
    expect(await isStale(stamp, [sources, path.join(root, "no-such-file")])).toBe(false);
  });
});
