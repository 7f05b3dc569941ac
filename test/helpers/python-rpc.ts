import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * A long-lived Python process driving one of Duo's clients a call at a time (JSON lines in and
 * out): one interpreter start for a whole test file. No timeout of its own: the test's decides.
 */
export interface PythonRpc {
  call<T = unknown>(method: string, args?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export function startPythonRpc(script: string, env: NodeJS.ProcessEnv): PythonRpc {
  const child: ChildProcessWithoutNullStreams = spawn("/usr/bin/python3", [script], { env });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  lines.on("line", (line) => waiting.shift()?.(line));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  child.on("exit", (code) => {
    for (const resolve of waiting.splice(0))
      resolve(JSON.stringify({ crashed: `python exited ${code}: ${stderr}` }));
  });
  return {
    async call<T>(method: string, args: Record<string, unknown> = {}): Promise<T> {
      const line = await new Promise<string>((resolve) => {
        waiting.push(resolve);
        child.stdin.write(`${JSON.stringify({ method, args })}\n`);
      });
      const answer = JSON.parse(line) as { ok?: T; error?: string; crashed?: string };
      if (answer.crashed) throw new Error(answer.crashed);
      if (answer.error !== undefined) throw new Error(answer.error);
      return answer.ok as T;
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}
