import fs from "node:fs";
import path from "node:path";
import { BatonError } from "../core/errors.ts";
import { ioError } from "./atomic.ts";

/**
 * Loads a built-in module on first use: only commands that write take the lock, so reads do
 * not pay for loading crypto, net and os at startup.
 */
const builtin = process.getBuiltinModule;

export interface Lock {
  /** Lets the next command in. Never throws: a failed release must not hide the real result. */
  release(): Promise<void>;
}

/**
 * `socket`: a kernel object the operating system frees the instant its holder dies (Linux:
 * abstract-namespace unix socket; Windows: named pipe). `file`: generation files created with
 * O_EXCL, holding the owner's pid, host and token (every other platform).
 */
export type LockStrategy = "socket" | "file";

export interface LockOptions {
  /** How long to wait for another holder before failing with LOCK_TIMEOUT. */
  timeoutMs?: number;
  /** Defaults to the platform's sound choice; tests force `file` to exercise the fallback. */
  strategy?: LockStrategy;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** A claim (see {@link publish}) that is itself unreadable: judged by age, as a last resort. */
const UNREADABLE_STALE_MS = 2_000;
/** A waiter refreshes its ticket's mtime this often, so a stopped one can be passed over. */
const TICKET_REFRESH_MS = 500;
/** A ticket not refreshed for this long belongs to a waiter that is not running: skipped. */
const TICKET_STALE_MS = 5_000;

/**
 * Windows takes the named pipe; everywhere else the generation files, which cost a handful of
 * small file operations where a listening socket costs loading node:net and a trip through the
 * event loop (about 8 ms a write, a third of Node's own start-up). On Linux the file lock also
 * records the holder's pid namespace and start time, so a pid reused by another process, or
 * one seen from another container, is never mistaken for the holder.
 */
export function defaultLockStrategy(): LockStrategy {
  return process.platform === "win32" ? "socket" : "file";
}

/** Platforms where the socket lock works (tests exercise it on Linux as well). */
export function socketLockSupported(platform: NodeJS.Platform = process.platform): boolean {
  return platform === "linux" || platform === "win32";
}

/**
 * The workspace lock around every read-modify-write.
 *
 * On Linux it is a listening socket in the abstract namespace named after the workspace's real
 * path; on Windows a named pipe. Binding is atomic, and the kernel releases the name the instant
 * its holder dies, kill -9 included, so a crashed writer never blocks the next command.
 * Elsewhere (macOS, the BSDs) it is a chain of generation files, see {@link tryFileLock}.
 *
 * Known limits of the socket lock: the name is shared by processes in one network namespace
 * (Linux) or one machine (Windows), so two containers that mount the same repository do not see
 * each other's lock; and any local user could bind the name first, which makes Baton wait and
 * then fail with LOCK_TIMEOUT (it can delay writes, never let two writers in).
 */
export async function acquireLock(lockFile: string, options: LockOptions = {}): Promise<Lock> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const strategy = options.strategy ?? defaultLockStrategy();
  const deadline = Date.now() + timeoutMs;
  const name = strategy === "socket" ? socketName(lockFile) : lockDir(lockFile);
  const attempt = () =>
    strategy === "socket" ? trySocketLock(name) : Promise.resolve(tryFileLock(name));
  const queue = lockDir(lockFile);
  let ticket: Ticket | null = null;
  let delay = 1;
  try {
    for (;;) {
      // First come, first served: with others waiting, only the first of them tries.
      const othersFirst = waiterAhead(queue, ticket);
      if (!othersFirst) {
        const lock = await attempt();
        if (lock) return lock;
      }
      if (ticket && !ticket.exists()) {
        ticket.withdraw();
        ticket = null;
      }
      ticket ??= takeTicket(queue);
      if (Date.now() >= deadline) {
        throw new BatonError(
          "LOCK_TIMEOUT",
          `another Baton command held the workspace lock for over ${formatSeconds(timeoutMs)}`,
          strategy === "file"
            ? `wait for the other command to finish, then retry; if no Baton command is running, delete ${path.basename(lockDir(lockFile))}/ in ${path.dirname(lockFile)}`
            : "wait for the other command to finish, then retry",
        );
      }
      ticket.refresh();
      // The first in line looks often, so the lock is never idle long; the others need only
      // notice when they move up.
      const pause = othersFirst ? 20 + Math.random() * 10 : delay;
      await sleep(Math.min(pause, Math.max(1, deadline - Date.now())));
      delay = Math.min(delay * 2, 4);
    }
  } finally {
    ticket?.withdraw();
  }
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

/** The folder holding the file strategy's generation files, beside the configured lock path. */
export function lockDir(lockFile: string): string {
  return `${lockFile}.d`;
}

/**
 * Two 32-bit FNV-1a lanes over the path. The name only has to differ between workspaces on one
 * machine (a collision would merely serialise two workspaces), so no cryptographic hash, and no
 * node:crypto load on every write, is needed.
 */
function nameHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 0x2f) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

/** The kernel name of the socket lock: one per workspace, keyed by the folder's real path. */
export function socketName(lockFile: string, platform: NodeJS.Platform = process.platform): string {
  let real = path.dirname(lockFile);
  try {
    real = fs.realpathSync.native(real);
  } catch {
    // A folder that does not exist yet is keyed by its given path.
  }
  let key = path.join(real, path.basename(lockFile));
  // NTFS and APFS compare names case-insensitively: one folder, one lock, however it is spelled.
  if (platform === "win32" || platform === "darwin") key = key.toLowerCase();
  const hash = nameHash(key);
  return platform === "win32" ? `\\\\.\\pipe\\baton-lock-${hash}` : `\0baton-lock-${hash}`;
}

function trySocketLock(name: string): Promise<Lock | null> {
  return new Promise((resolve, reject) => {
    // Nobody should connect, but if something does, drop it at once: an open connection would
    // keep the process alive and make close() wait.
    const server = builtin("node:net").createServer({ pauseOnConnect: true }, (socket) =>
      socket.destroy(),
    );
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        resolve(null);
        return;
      }
      reject(
        new BatonError(
          "IO_ERROR",
          `could not take the workspace lock (${error.code ?? error.message})`,
          "retry the command; if it keeps failing, report your platform in a bug",
        ),
      );
    };
    server.once("error", onError);
    try {
      // exclusive: inside a cluster worker, a shared handle would let two workers both "hold" it.
      server.listen({ path: name, exclusive: true }, () => {
        server.off("error", onError);
        server.on("error", () => {
          // A listening server has nothing left to report that matters to the lock.
        });
        // The lock must never keep a finished command's process alive.
        server.unref();
        resolve({
          release: () =>
            new Promise<void>((done) => {
              try {
                server.close(() => done());
              } catch {
                done();
              }
            }),
        });
      });
    } catch (error) {
      server.off("error", onError);
      onError(error as NodeJS.ErrnoException);
    }
  });
}

interface GenerationState {
  free?: boolean;
  pid?: number;
  host?: string;
  token?: string;
  /** Linux: the holder's pid namespace, e.g. `pid:[4026531836]`. */
  pidns?: string;
  /** Linux: the holder's start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
  start?: string;
}

/**
 * One attempt at the file lock. The lock is a chain of generation files `0, 1, 2, …` in one
 * folder; the highest generation is the lock's state: held by a pid, or free. Every change of
 * state creates the next generation with O_EXCL, so each transition has exactly one winner —
 * taking a free lock, taking over from a dead holder, and releasing are all the same step, and
 * no file a live holder depends on is ever renamed or deleted (the race in rename-aside
 * takeovers, where a stealer can move a fresh holder's file away, cannot happen).
 *
 * Older generations are removed by whoever creates a newer one. A contender that listed the
 * folder before such a removal might re-create an old number; it checks afterwards that its
 * generation is the highest and withdraws if not. The highest generation is never deleted.
 */
export function tryFileLock(dir: string): Lock | null {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const top = highestGeneration(dir);
    if (top !== null && isHeld(dir, String(top))) return null;
    const mine = (top ?? -1) + 1;
    // Only tells this holder's generation apart: unique enough without loading node:crypto.
    const token = `${process.hrtime.bigint().toString(36)}${Math.random().toString(36).slice(2)}`;
    const owner: GenerationState = {
      pid: process.pid,
      host: builtin("node:os").hostname(),
      token,
      ...selfIdentity(),
    };
    if (!publish(dir, String(mine), owner)) return null;
    if (highestGeneration(dir) !== mine) {
      removeQuietly(path.join(dir, String(mine)));
      return null;
    }
    removeOlder(dir, mine);
    return {
      release: async () => {
        try {
          // A free generation on top of ours; if it exists already, someone judged us dead
          // (another host or pid namespace), and the lock is no longer ours to free.
          if (publish(dir, String(mine + 1), { free: true })) removeOlder(dir, mine + 1);
        } catch {
          // Best effort: a holder that cannot write its release is treated like a dead one.
        }
      },
    };
  } catch (error) {
    throw ioError(error, `take the workspace lock in ${dir}`);
  }
}

function highestGeneration(dir: string): number | null {
  let top: number | null = null;
  for (const name of fs.readdirSync(dir)) {
    if (!/^\d{1,15}$/.test(name)) continue;
    const n = Number(name);
    if (top === null || n > top) top = n;
  }
  return top;
}

/**
 * Creates `name` in `dir` holding `state`, exclusively: false when it exists already. The bytes
 * go to a claim file first (`.{name}-{pid}-{random}`), which link(2) publishes under the name,
 * so the file never exists without its content and of several racers exactly one wins. Where
 * hard links are not supported the name is created with O_EXCL and written while the claim,
 * naming its writer, stays beside it: an empty file is then judged by its claim (see
 * {@link beingWritten}), never by its age.
 */
function publish(dir: string, name: string, state: GenerationState): boolean {
  const claim = path.join(
    dir,
    `.${name}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`,
  );
  const file = path.join(dir, name);
  const content = JSON.stringify({ ...state, at: new Date().toISOString() });
  fs.writeFileSync(claim, content, { flag: "wx", mode: 0o644 });
  try {
    try {
      fs.linkSync(claim, file);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") return false;
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw error;
    }
    return createExclusively(file, content);
  } finally {
    removeQuietly(claim);
  }
}

function createExclusively(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, "wx", 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    fs.writeSync(fd, content);
    fs.closeSync(fd);
  } catch (error) {
    // Nobody builds on a file still unreadable, so withdrawing it is safe.
    try {
      fs.closeSync(fd);
    } catch {
      // Already closed.
    }
    removeQuietly(file);
    throw error;
  }
  return true;
}

/** The state a lock file records; "unreadable" when it exists without whole content. */
function readState(file: string): GenerationState | "missing" | "unreadable" {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw error;
  }
  try {
    const state = JSON.parse(text) as GenerationState;
    return state !== null && typeof state === "object" ? state : "unreadable";
  } catch {
    return "unreadable";
  }
}

function isHeld(dir: string, name: string): boolean {
  const state = readState(path.join(dir, name));
  if (state === "missing") return false;
  if (state === "unreadable") return beingWritten(dir, name);
  if (state.free === true) return false;
  return ownerAlive(state, path.join(dir, name));
}

/**
 * An unreadable lock file exists only between its exclusive create and its write (on a file
 * system without hard links), or after a crash that tore it (a power loss). Its writer's claim
 * still stands beside it until the content is written, so: a live claim means the writer is at
 * it, keep off; no live claim and still unreadable means the writer is gone, take over at once.
 */
function beingWritten(dir: string, name: string): boolean {
  const prefix = `.${name}-`;
  for (const entry of fs.readdirSync(dir)) {
    if (!entry.startsWith(prefix)) continue;
    const claim = path.join(dir, entry);
    const state = readState(claim);
    if (state === "missing") continue;
    if (state === "unreadable") {
      const pid = Number(entry.slice(prefix.length).split("-")[0]);
      if (isAlive(pid) && ageMs(claim) < UNREADABLE_STALE_MS) return true;
      continue;
    }
    if (ownerAlive(state, claim)) return true;
  }
  // The writer removes its claim only after writing, so content may have landed meanwhile.
  const again = readState(path.join(dir, name));
  if (again === "missing" || again === "unreadable") return false;
  return again.free !== true && ownerAlive(again, path.join(dir, name));
}

/** Whether the process a lock file names is still running (or cannot be judged from here). */
function ownerAlive(state: GenerationState, file: string): boolean {
  if (typeof state.pid !== "number") return ageMs(file) < UNREADABLE_STALE_MS;
  // A pid means nothing on another machine (a shared network folder) or in another pid
  // namespace (a container sharing the checkout): never judge such a holder dead.
  if (typeof state.host === "string" && state.host !== builtin("node:os").hostname()) return true;
  const here = selfIdentity();
  if (state.pidns !== undefined && here.pidns !== undefined && state.pidns !== here.pidns) {
    return true;
  }
  if (!isAlive(state.pid)) return false;
  // Alive, but a different process that was given the dead holder's pid?
  if (state.start === undefined) return true;
  const now = processIdentity(state.pid).start;
  return now === undefined || now === state.start;
}

// ---- the queue of waiters ----

interface Ticket {
  readonly number: number;
  /** False once someone removed it (judging us dead): then a new one is taken. */
  exists(): boolean;
  /** Keeps the ticket's mtime fresh (at most every TICKET_REFRESH_MS). */
  refresh(): void;
  /** Leaves the queue. Never throws. */
  withdraw(): void;
}

const TICKET = /^w(\d{1,15})$/;

/**
 * Joins the queue: a ticket `w{n}` in the lock folder, numbered past every ticket there, so
 * waiters are served in the order they came. Published like a generation file (exactly one
 * waiter gets each number) and naming its waiter, so a dead waiter is recognised and removed.
 */
function takeTicket(dir: string): Ticket {
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  for (const name of fs.readdirSync(dir)) {
    const m = TICKET.exec(name);
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  const owner: GenerationState = {
    pid: process.pid,
    host: builtin("node:os").hostname(),
    ...selfIdentity(),
  };
  while (!publish(dir, `w${n}`, owner)) n++;
  const file = path.join(dir, `w${n}`);
  let refreshed = Date.now();
  myTickets.add(`w${n}`);
  return {
    number: n,
    exists: () => fs.existsSync(file),
    refresh() {
      if (Date.now() - refreshed < TICKET_REFRESH_MS) return;
      refreshed = Date.now();
      try {
        const now = new Date();
        fs.utimesSync(file, now, now);
      } catch {
        // Removed as dead by someone who misjudged us: we merely lose our place.
      }
    },
    withdraw() {
      myTickets.delete(`w${n}`);
      removeQuietly(file);
    },
  };
}

/** This process's own tickets, never judged by the liveness checks. */
const myTickets = new Set<string>();

/**
 * Whether a live waiter is ahead of `ticket` (any waiter, for a newcomer without one), looking
 * from the front of the queue and stopping at the first. A ticket whose waiter is dead is
 * removed on the way; one whose waiter stopped refreshing it (a stopped process) is passed
 * over, so neither blocks the queue.
 */
function waiterAhead(dir: string, ticket: Ticket | null): boolean {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return false;
  }
  const mine = ticket === null ? Number.POSITIVE_INFINITY : ticket.number;
  const ahead: number[] = [];
  for (const name of names) {
    const m = TICKET.exec(name);
    if (m && Number(m[1]) < mine && !myTickets.has(name)) ahead.push(Number(m[1]));
  }
  for (const n of ahead.sort((a, b) => a - b)) {
    const name = `w${n}`;
    const file = path.join(dir, name);
    const state = readState(file);
    if (state === "missing") continue;
    const alive = state === "unreadable" ? beingWritten(dir, name) : ownerAlive(state, file);
    if (!alive) removeQuietly(file);
    else if (ageMs(file) < TICKET_STALE_MS) return true;
  }
  return false;
}

let self: { pidns?: string; start?: string } | undefined;

/** This process's own identity: it cannot change while the process lives. */
function selfIdentity(): { pidns?: string; start?: string } {
  self ??= processIdentity(process.pid);
  return self;
}

/** Linux facts that pin down a process beyond its pid; empty elsewhere. */
function processIdentity(pid: number): { pidns?: string; start?: string } {
  if (process.platform !== "linux") return {};
  const out: { pidns?: string; start?: string } = {};
  try {
    out.pidns = fs.readlinkSync(`/proc/${pid === process.pid ? "self" : pid}/ns/pid`);
  } catch {
    // No /proc, or not allowed to look: the pid alone decides.
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: fields are counted after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const start = fields[19];
    if (start !== undefined && /^\d+$/.test(start)) out.start = start;
  } catch {
    // As above.
  }
  return out;
}

/**
 * Removes the generations below `than` and the claims of those generations; also the claims a
 * waiter killed while publishing its ticket left behind (a claim lives for microseconds).
 */
function removeOlder(dir: string, than: number): void {
  for (const name of fs.readdirSync(dir)) {
    if (/^\d{1,15}$/.test(name) && Number(name) < than) removeQuietly(path.join(dir, name));
    const claim = /^\.(w?)(\d{1,15})-\d+-/.exec(name);
    if (!claim) continue;
    const old = claim[1] === "" ? Number(claim[2]) < than : ageMs(path.join(dir, name)) > 10_000;
    if (old) removeQuietly(path.join(dir, name));
  }
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Another contender removed it, or the folder is read-only: harmless either way.
  }
}

function ageMs(file: string): number {
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
