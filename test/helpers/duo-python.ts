import { execFileSync } from "node:child_process";

/**
 * Duo's official Python client as Debian packages it (python3-duo-client 4.5.0), run unchanged by
 * the tests that drive Gatehouse with it. .ci/run installs it with apt: a developer machine without
 * it skips those tests, CI never does.
 */
export const PYTHON = "/usr/bin/python3";

const installed = (() => {
  try {
    execFileSync(PYTHON, ["-c", "import duo_client"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** Whether the tests that need the client run here: where it is installed, and always in CI. */
export const duoPythonRuns = installed || process.env.CI !== undefined;
