import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { BatonError } from "../core/errors.ts";

export interface Lock {
  release(): Promise<void>;
}

export interface LockOptions {
  /** How long to wait for another holder before failing with LOCK_TIMEOUT. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The workspace lock around every read-modify-write.
 *
 * On Linux it is a kernel object: a listening socket in the abstract namespace named after the
 * workspace's real path. Binding is atomic, and the kernel releases it the instant its holder
 * dies, kill -9 included, so a crashed writer never blocks the next command.
 * Elsewhere it falls back to an O_EXCL lock file holding the owner's pid and a token; a file
 * whose pid is no longer alive is taken over.
 */
export async function acquireLock(lockFile: string, options: LockOptions = {}): Promise<Lock> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const attempt = process.platform === "linux" ? trySocketLock : tryFileLock;
  const key = lockKey(lockFile);
  let delay = 2;
  for (;;) {
    const lock = await attempt(lockFile, key);
    if (lock) return lock;
    if (Date.now() >= deadline) {
      throw new BatonError(
        "LOCK_TIMEOUT",
        `another Baton command held the workspace lock for over ${Math.round(timeoutMs / 1000)} s`,
        "wait for the other command to finish, then retry",
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
}

function lockKey(lockFile: string): string {
  let real = path.dirname(lockFile);
  try {
    real = fs.realpathSync(real);
  } catch {
    // A folder that does not exist yet is keyed by its given path.
  }
  const hash = createHash("sha256")
    .update(path.join(real, path.basename(lockFile)))
    .digest("hex");
  return `\0baton-lock-${hash.slice(0, 40)}`;
}

function trySocketLock(_lockFile: string, key: string): Promise<Lock | null> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") resolve(null);
      else
        reject(
          new BatonError(
            "IO_ERROR",
            `could not take the workspace lock (${error.code})`,
            "retry the command",
          ),
        );
    });
    server.listen(key, () => {
      server.unref();
      resolve({
        release: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

async function tryFileLock(lockFile: string): Promise<Lock | null> {
  const token = randomBytes(8).toString("hex");
  const content = JSON.stringify({ pid: process.pid, token, at: new Date().toISOString() });
  try {
    fs.writeFileSync(lockFile, content, { flag: "wx" });
    return {
      release: async () => {
        if (readOwner(lockFile)?.token === token) fs.rmSync(lockFile, { force: true });
      },
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const owner = readOwner(lockFile);
  const stale = owner ? !isAlive(owner.pid) : lockAgeMs(lockFile) > 2_000;
  if (stale) takeOverStale(lockFile, owner?.token ?? null);
  return null;
}

/** Moves a dead holder's file aside; if a live holder slipped in meanwhile, puts theirs back. */
function takeOverStale(lockFile: string, staleToken: string | null): void {
  const aside = `${lockFile}.stale-${randomBytes(4).toString("hex")}`;
  try {
    fs.renameSync(lockFile, aside);
  } catch {
    return;
  }
  if (readOwner(aside)?.token === staleToken) {
    fs.rmSync(aside, { force: true });
    return;
  }
  try {
    fs.linkSync(aside, lockFile);
  } catch {
    // Someone else holds the lock now; the moved file is theirs no longer.
  }
  fs.rmSync(aside, { force: true });
}

function readOwner(file: string): { pid: number; token: string } | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { pid?: unknown; token?: unknown };
    if (typeof parsed.pid === "number" && typeof parsed.token === "string") {
      return { pid: parsed.pid, token: parsed.token };
    }
  } catch {
    // Unreadable or half-written: treated by age.
  }
  return null;
}

function lockAgeMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
