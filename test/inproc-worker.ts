/**
 * Runs Baton's CLI in this worker thread, one command at a time, for test/helpers.ts `baton()`:
 * the same `run(argv, io)` the shipped binary calls, without a process start per command.
 * Requests come over a MessagePort; the caller blocks on a shared flag until the answer is posted.
 */
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { run } from "../src/cli/main.ts";

interface Request {
  cwd: string;
  args: string[];
  env: Record<string, string>;
}

const { port, flag } = workerData as { port: MessagePort; flag: Int32Array };
const baseline = { ...process.env };

port.on("message", async (request: Request) => {
  for (const key of Object.keys(process.env)) if (!(key in baseline)) delete process.env[key];
  Object.assign(process.env, baseline, request.env);
  let stdout = "";
  let stderr = "";
  let code: number;
  try {
    code = await run(request.args, {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      cwd: request.cwd,
    });
  } catch (error) {
    code = 1;
    stderr += `${error instanceof Error ? error.stack : String(error)}\n`;
  }
  port.postMessage({ code, stdout, stderr });
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
parentPort?.postMessage("ready");
