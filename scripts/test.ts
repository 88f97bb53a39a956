/**
 * `npm test`: the whole suite (or the files given), two files at a time. Temp folders go to
 * memory where the machine has it (/dev/shm), in a folder of this run's own that is removed at
 * the end: the tests make thousands of small workspaces, and on a disk their fsyncs, not Baton,
 * were a third of the run. TMPDIR set by the caller is kept.
 *
 *   npm test                         every test/**\/*.test.ts
 *   npm test -- test/cli/seed.test.ts
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const MEMORY = "/dev/shm";
/** A container's /dev/shm is often 64 MB; the suite's workspaces need far more at their peak. */
const ENOUGH = 2 * 1024 ** 3;

function memoryTemp(): string | null {
  if (process.env.TMPDIR || process.platform !== "linux") return null;
  try {
    fs.accessSync(MEMORY, fs.constants.W_OK);
    const free = fs.statfsSync(MEMORY);
    if (free.bavail * free.bsize < ENOUGH) return null;
    const dir = fs.mkdtempSync(path.join(MEMORY, "baton-test-"));
    // Like /tmp: the tests that run a command as an unprivileged user need to reach their files.
    fs.chmodSync(dir, 0o1777);
    return dir;
  } catch {
    return null;
  }
}

// Ctrl-C reaches the test runner too; this process waits for it to stop, then cleans up.
process.on("SIGINT", () => {});
const files = process.argv.slice(2);
const temp = memoryTemp();
const result = spawnSync(
  process.execPath,
  ["--test", "--test-concurrency=2", ...(files.length > 0 ? files : ["test/**/*.test.ts"])],
  { stdio: "inherit", env: temp ? { ...process.env, TMPDIR: temp } : process.env },
);
if (temp) fs.rmSync(temp, { recursive: true, force: true });
process.exit(result.status ?? 1);
