/**
 * The Administrators page with 5,000 admins, in Debian's Chromium against the real server on
 * PGlite: how long the first render takes, and how long each keystroke in the search box takes
 * until the table's rows settle (the table's data-query equals the typed text, then two animation
 * frames so the rows are painted), median and p95 over 20 keystrokes. Target: < 100 ms a keystroke.
 * Prints one JSON line.
 *
 *   npm run bench -- web-admins
 */
import { randomBytes } from "node:crypto";
import { buildWebIfStale, initialJsSize, WEB_DIST } from "../scripts/web.js";
import { newId } from "../src/db/ids.js";
import { migrate, readMigrations } from "../src/db/migrate.js";
import { openDatabase } from "../src/db/open.js";
import type { Role } from "../src/db/schema.js";
import { createSecretBox } from "../src/db/secrets.js";
import { buildApp } from "../src/http/app.js";
import { launchBrowser, openPage } from "../test/e2e/browser.js";
import { signInThroughUi } from "../test/e2e/ui.js";
import { seedActiveAdmin } from "../test/helpers/admins.js";
import { insertAccount } from "../test/helpers/fixtures.js";

const ADMINS = 5_000;
const ROLES: readonly Role[] = ["Administrator", "User Manager", "Help Desk", "Read-only"];
const TAGS = ["EU", "US", "Gov", "APAC"];
// 13 characters typed, then 7 erased: 20 keystrokes, each changing the query.
const KEYS = [..."bulk admin 12", ...Array.from({ length: 7 }, () => "Backspace")];

/**
 * In the page, after a keystroke: milliseconds from its keydown until the table shows the typed
 * query's rows, painted. A string, so the bundler's helpers (tsx's __name) stay out of the page.
 */
const SETTLED = `(async () => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const input = document.querySelector("input[type=search]");
  const table = document.querySelector("table[data-query]");
  while (table.dataset.query !== input.value) await frame();
  await frame();
  await frame();
  return performance.now() - window.__keyAt;
})()`;

await buildWebIfStale();
const handle = await openDatabase({ kind: "pglite-memory" });
await migrate(handle);
const secrets = createSecretBox(randomBytes(32));
const db = handle.db;
const parentId = await insertAccount(db, { name: "Bench MSP", edition: "Premier" });
const { tenant_id } = await db
  .selectFrom("accounts")
  .select("tenant_id")
  .where("id", "=", parentId)
  .executeTakeFirstOrThrow();
const owner = await seedActiveAdmin(
  { handle, secrets, close: () => handle.close() },
  { accountId: parentId, role: "Owner", email: "owner@bench.test" },
);

// In bulk, through the database: 5,000 admins (5,001 with the Owner), each with one tag.
for (let start = 0; start < ADMINS; start += 500) {
  const rows = Array.from({ length: Math.min(500, ADMINS - start) }, (_, offset) => {
    const n = start + offset;
    const role = ROLES[n % ROLES.length] as Role;
    return {
      id: newId("admin"),
      account_id: parentId,
      tenant_id,
      home_is_subaccount: false,
      email: `admin-${String(n).padStart(5, "0")}@bulk.test`,
      name: `Bulk Admin ${n}`,
      phone: null,
      role,
      subaccount_role: role,
      status: "Active" as const,
      password_hash: null,
      totp_secret_enc: null,
    };
  });
  await db.insertInto("admins").values(rows).execute();
  await db
    .insertInto("admin_tags")
    .values(rows.map((row, i) => ({ admin_id: row.id, tag: TAGS[i % TAGS.length] as string })))
    .execute();
}

const app = await buildApp({
  database: handle,
  secrets,
  migrations: await readMigrations(),
  webRoot: WEB_DIST,
  throttle: { attemptsPerWindow: 10_000, windowSeconds: 60 },
});
const url = await app.listen({ port: 0, host: "127.0.0.1" });
const browser = await launchBrowser();
try {
  const page = await openPage(browser, url);
  await signInThroughUi(page, owner);

  // First render: from navigation start to every row loaded and the table drawn.
  await page.goto("/administrators");
  const total = (ADMINS + 1).toLocaleString("en-US");
  await page.waitForFunction(
    (text) => document.querySelector("[data-testid=row-count]")?.textContent === `${text} in all`,
    total,
    { polling: "raf", timeout: 60_000 },
  );
  const firstRender = await page.evaluate(() => performance.now());

  const search = page.getByLabel("Search administrators");
  await search.focus();
  await page.evaluate(
    `document.addEventListener("keydown", () => { window.__keyAt = performance.now(); }, true)`,
  );
  const times: number[] = [];
  for (const key of KEYS) {
    await page.keyboard.press(key);
    times.push(await page.evaluate<number>(SETTLED));
  }
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const { gzipBytes } = await initialJsSize();
  console.log(
    JSON.stringify({
      admins: ADMINS,
      first_render_ms: Math.round(firstRender),
      filter_keystroke_ms_median: Number(at(0.5)?.toFixed(1)),
      filter_keystroke_ms_p95: Number(at(0.95)?.toFixed(1)),
      initial_js_gzip_kb: Number((gzipBytes / 1024).toFixed(1)),
    }),
  );
} finally {
  await browser.close();
  await app.close();
  await handle.close();
}
